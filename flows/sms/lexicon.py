"""The words households use, and how a text becomes a list of items.

Vocabulary is folded ASCII (see :mod:`flows.sms.normalize`), so ``sot``
stands for "sốt", "Sốt" and "SOT" alike. A phrase is matched longest first:
"dau moi nguoi" (aching body) before "moi nguoi" (everyone), "ho gia dinh"
(household) before "ho" (cough).

Negations ("khong", "ko", "k", "hok", "no", "not") are items of their own,
never fillers: "khong sot" (no fever) must not read as a fever, and "khong
can thuoc" (we do not need medicine) not as a help request. "ko sao", "k sao
ca", "hok sao" (no problem) are phrases of their own, and mean well.

Number words ("mot", "hai", "ba" ... "muoi", "hai muoi mot") are numbers only
where nothing else fits: before a head-count or day marker ("hai nguoi", "ba
ngay"), or as the head count right after the form number of a well or arrival
text ("3 hai"). Elsewhere they stay words, because most are words too: "nam"
(Ha Nam, a year), "sau" (after), "bay" (now), "ba" (grandmother), "tam"
(for a while).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from flows.report import Contact, Need, Symptom
from flows.sms.normalize import Token, number


@dataclass(frozen=True)
class Number:
    """A bare number: its meaning depends on the form and its position."""

    digits: str

    @property
    def value(self) -> int:
        return number(self.digits)


@dataclass(frozen=True)
class Temperature:
    """A number that can only be a temperature: ``38,5``, ``38 do``, ``385C``."""

    tenths: int


@dataclass(frozen=True)
class People:
    """A number marked as a head count: ``2 nguoi``."""

    count: int


@dataclass(frozen=True)
class Days:
    """How long ago: ``hom qua``, ``3 ngay``."""

    days: int


@dataclass(frozen=True)
class SymptomWord:
    symptom: Symptom


@dataclass(frozen=True)
class NeedWord:
    need: Need


@dataclass(frozen=True)
class ContactWord:
    contact: Contact


@dataclass(frozen=True)
class HelpWord:
    """``giup``, ``can giup do``: a help request that names no need."""


@dataclass(frozen=True)
class ArrivalWord:
    """``moi ve``, ``ve tu``: someone arrived; the words after it name the place."""


@dataclass(frozen=True)
class WellWord:
    """``khoe``: only decides the form when nothing urgent is in the text."""


@dataclass(frozen=True)
class Negation:
    """``khong``: the words around it cannot be taken at face value."""


@dataclass(frozen=True)
class Word:
    """Not in the vocabulary: a place name in an arrival, a need in a help request."""

    text: str


Item = (
    Number
    | Temperature
    | People
    | Days
    | SymptomWord
    | NeedWord
    | ContactWord
    | HelpWord
    | ArrivalWord
    | WellWord
    | Negation
    | Word
)

_SYMPTOMS: Mapping[Symptom, tuple[str, ...]] = {
    Symptom.FEVER: ("sot", "fever"),
    Symptom.COUGH: ("ho", "cough", "coughing"),
    Symptom.SHORT_OF_BREATH: (
        "kho tho",
        "tho kho",
        "breathless",
        "breathing",
        "short of breath",
        "shortness of breath",
    ),
    Symptom.SORE_THROAT: ("dau hong", "rat hong", "viem hong", "sore throat", "throat"),
    Symptom.LOST_TASTE_SMELL: (
        "mat vi giac",
        "mat khuu giac",
        "mat khu giac",
        "mat vi",
        "mat mui",
        "vi giac",
        "khuu giac",
        "khu giac",
        "taste",
        "smell",
    ),
    Symptom.TIRED_ACHING: (
        "met",
        "met moi",
        "moi met",
        "dau nguoi",
        "dau moi",
        "dau moi nguoi",
        "dau nhuc",
        "tired",
        "tiredness",
        "ache",
        "aches",
        "aching",
        "body ache",
    ),
}

_NEEDS: Mapping[Need, tuple[str, ...]] = {
    Need.FOOD: ("food", "gao", "com", "rice", "do an", "thuc an", "thuc pham", "luong thuc"),
    Need.MEDICINE: ("thuoc", "thuoc men", "medicine", "medicines", "drugs"),
    Need.OTHER: ("khac", "other"),
}

_CONTACTS: Mapping[Contact, tuple[str, ...]] = {
    # "FO" with the letter O is a common slip for F0.
    Contact.F0: ("fo", "duong tinh", "positive"),
}

_NOT = ("khong", "ko", "k", "kg", "kh", "khg", "hok", "hem")
"""How "khong" is typed on a keypad."""

_WELL = (
    "khoe", "khoe manh", "binh thuong", "on", "on dinh", "well", "fine", "ok", "oke", "oki",
    "tot", "binh an",
    # "khong sao (ca)" (no problem at all), "khong co gi" (nothing), in every spelling of "khong".
    *(f"{no} {rest}" for no in _NOT for rest in ("sao", "sao ca", "sao het", "co gi", "van de gi")),
)  # fmt: skip

_HELP_WORDS = (
    "giup", "giup do", "can giup", "can giup do", "ho tro", "can ho tro", "cuu", "cuu voi",
    "help", "need help",
)  # fmt: skip

_ARRIVAL_WORDS = (
    "ve tu", "moi ve", "moi ve tu", "vua ve", "vua ve tu", "tro ve", "tro ve tu", "den tu",
    "moi den", "vua den", "ve que", "arrived", "arrived from", "came back", "came from",
)  # fmt: skip

# "chua" (not yet) and "het" (no more) are left out: "chua co gao", "het
# thuoc" are how people ask for rice and medicine.
_NEGATIONS = (*_NOT, "no", "not", "without", "dont", "don t")

_UNITS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9,
}  # fmt: skip
"""Number words; in compounds "mot" and "lam" (after "muoi"), "tu" and "mot" (after tens)
are spoken forms of 1, 5 and 4."""
_TEN = "muoi"
_AFTER_TENS = {**_UNITS, "mot": 1, "lam": 5, "nham": 5, "tu": 4}

_DAYS: Mapping[int, tuple[str, ...]] = {0: ("hom nay", "today"), 1: ("hom qua", "yesterday")}

# Words that carry no meaning here. "ba" (grandmother) is left out because it
# is also "three".
_FILLERS = (
    # Who is speaking or ill.
    "anh", "be", "bo", "chau", "chi", "chong", "con", "em", "me", "minh", "my", "i", "we",
    "ong", "toi", "vo", "nha", "ca nha", "gia dinh", "ho gia dinh", "family", "everyone",
    "moi nguoi",
    # Linking words, "khai bao" itself, and the connectors of "vua ve tu Ha Noi".
    "a", "all", "and", "are", "back", "bao", "bi", "bit", "but", "ca", "can", "cao",
    "co", "covid", "da", "dc", "dk", "duoc", "den", "deu", "from", "has", "have", "hoi",
    "is", "khai", "khai bao", "loss", "lost", "moi", "need", "nhe", "nhung", "nhiet",
    "nhiet do", "of", "only", "rat", "roi", "temp", "temperature", "tu", "va", "ve", "very",
    "voi", "vua", "with", "xin",
    # Markers met without a number before them.
    "c", "do", "ng", "ngay", "nguoi", "people",
)  # fmt: skip


def _phrases(*phrases: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(phrase.split()) for phrase in phrases)


_PEOPLE_MARKERS = _phrases("nguoi", "ng", "people", "person", "persons")
_TEMPERATURE_MARKERS = _phrases("do", "c", "oc", "do c")
_DAY_MARKERS = _phrases("ngay", "ngay truoc", "day", "days", "day ago", "days ago")


def _table() -> dict[tuple[str, ...], Item | None]:
    table: dict[tuple[str, ...], Item | None] = {}
    for phrase in _FILLERS:
        table[tuple(phrase.split())] = None
    for symptom, phrases in _SYMPTOMS.items():
        table.update({tuple(p.split()): SymptomWord(symptom) for p in phrases})
    for need, phrases in _NEEDS.items():
        table.update({tuple(p.split()): NeedWord(need) for p in phrases})
    for contact, phrases in _CONTACTS.items():
        table.update({tuple(p.split()): ContactWord(contact) for p in phrases})
    for days, phrases in _DAYS.items():
        table.update({tuple(p.split()): Days(days) for p in phrases})
    table.update({tuple(p.split()): WellWord() for p in _WELL})
    table.update({tuple(p.split()): HelpWord() for p in _HELP_WORDS})
    table.update({tuple(p.split()): ArrivalWord() for p in _ARRIVAL_WORDS})
    table.update({tuple(p.split()): Negation() for p in _NEGATIONS})
    return table


_PHRASES = _table()
_LONGEST = max(len(phrase) for phrase in _PHRASES)
_F_LEVELS = {"0": Contact.F0, "1": Contact.F1, "2": Contact.F2}


def lex(tokens: list[Token]) -> list[Item]:
    """The items of a text, fillers dropped, in the order typed."""
    items: list[Item] = []
    at = 0
    while at < len(tokens):
        item, at = _number(tokens, at) if tokens[at].is_number else _word(tokens, at)
        if item is not None:
            items.append(item)
    return items


def _number(tokens: list[Token], at: int) -> tuple[Item, int]:
    value = number(tokens[at].text)
    after = at + 1
    if (
        34 <= value <= 42
        and after < len(tokens)
        and tokens[after].is_number
        and tokens[after].gap in {".", ","}
        and len(tokens[after].text) == 1
    ):
        tenths = value * 10 + int(tokens[after].text)
        return Temperature(tenths), after + 1 + _phrase(tokens, after + 1, _TEMPERATURE_MARKERS)
    for markers, item in (
        (_PEOPLE_MARKERS, People(value)),
        (_TEMPERATURE_MARKERS, Temperature(value * 10 if value < 100 else value)),
        (_DAY_MARKERS, Days(value)),
    ):
        marked = _phrase(tokens, after, markers)
        if marked:
            return item, after + marked
    return Number(tokens[at].text), after


_HEAD_COUNT_FORMS = frozenset({"1", "3"})
"""Forms whose next field is the head count, so "3 hai" can only mean two people."""


def _number_word(tokens: list[Token], at: int) -> tuple[Item, int] | None:
    """A number in words where it can only be a number (see the module docstring)."""
    spelled = _spelled(tokens, at)
    if spelled is None:
        return None
    value, after = spelled
    for markers, item in ((_PEOPLE_MARKERS, People(value)), (_DAY_MARKERS, Days(value))):
        marked = _phrase(tokens, after, markers)
        if marked:
            return item, after + marked
    if at == 1 and tokens[0].text in _HEAD_COUNT_FORMS:
        return Number(str(value)), after
    return None


def _spelled(tokens: list[Token], at: int) -> tuple[int, int] | None:
    """The value of the number words at ``at`` and where they end: "hai", "muoi lam",
    "hai muoi mot" (1-99)."""
    words = [token.text for token in tokens[at : at + 3]]
    tens = 0
    if words[0] == _TEN:
        tens, rest = 10, words[1:]
    elif words[0] in _UNITS and words[1:2] == [_TEN]:
        tens, rest = _UNITS[words[0]] * 10, words[2:]
    if tens:
        unit = _AFTER_TENS.get(rest[0]) if rest else None
        return (
            (tens + unit, at + len(words) - len(rest) + 1)
            if unit
            else (tens, at + len(words) - len(rest))
        )
    if words[0] in _UNITS:
        return _UNITS[words[0]], at + 1
    return None


def _word(tokens: list[Token], at: int) -> tuple[Item | None, int]:
    text = tokens[at].text
    after = at + 1
    spelled = _number_word(tokens, at)
    if spelled is not None:
        return spelled
    if (
        text == "f"
        and after < len(tokens)
        and tokens[after].text in _F_LEVELS
        and tokens[after].gap in {"", " ", "-"}
    ):
        return ContactWord(_F_LEVELS[tokens[after].text]), after + 1
    length = _phrase(tokens, at, _PHRASES)
    if length:
        return _PHRASES[tuple(token.text for token in tokens[at : at + length])], at + length
    return Word(text), after


def _phrase(tokens: list[Token], at: int, phrases: Collection[tuple[str, ...]]) -> int:
    """How many tokens the longest of ``phrases`` starting at ``at`` covers; 0 if none.

    Phrases are letters only, so a number token never matches one.
    """
    for length in range(min(_LONGEST, len(tokens) - at), 0, -1):
        if tuple(token.text for token in tokens[at : at + length]) in phrases:
            return length
    return 0
