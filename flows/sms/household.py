"""The household forms of SPEC §5: a list of items becomes a :class:`Report`.

How numbers are told apart (the part of the grammar a person has to learn):

* The first number is the form: ``1`` well, ``2`` symptoms, ``3`` arrival,
  ``4`` positive test or contact, ``5`` help. Without it, the words decide:
  an F-level or "duong tinh" is form 4, an arrival ("moi ve", "ve tu") form
  3, a symptom word form 2, a need or a plea ("giup", "can giup do") form 5,
  "khoe" or "ko sao" form 1.
* Right after ``2``, ``4`` and ``5`` comes the choice of the USSD screen that
  follows, typed the same way: symptoms 1-6 (``2 13``), contact 1 F0, 2 F1,
  3 F2 (``4 2``), needs 1 food, 2 medicine, 3 other (``5 12``). It may be one
  number (``13``) or single digits (``1 3``, ``1,3``); a run of single digits
  ends at the first digit that is not a choice or repeats one, so
  ``2 1 3 3`` is symptoms 1 and 3 and 3 people, and the digit right before a
  temperature is the head count, so ``2 1 3 2 385`` reads like
  ``2 13 2 385``. Without a temperature, ``2 1 2`` stays symptoms 1 and 2:
  write ``2 1 2 nguoi`` for one symptom and two people. A first number that
  is no choice is read as the next field instead.
* Then the number of people, 1-30; then, in form 2 only, the highest
  temperature: ``385`` (tenths), ``38,5``/``38.5``, or whole degrees 34-42
  (``39``), ``0`` for "not measured" (as people are never 0, ``2 13 0``
  means it too). A number that can only be a temperature (34-42 or
  340-429) is one wherever it stands, so ``2 13 385`` needs no head count.
  ``2 nguoi``, ``38 do``, ``3 ngay`` mark a number explicitly.
* Words of another urgent form ride along: symptoms and needs may accompany
  forms 2-5 ("4 sot": positive with fever; "sot, can thuoc": fever and
  medicine), since an urgent report must never be refused for saying too
  much. Form ``1`` with anything urgent is a contradiction and is not read.
* Words the vocabulary does not know are a place in form 3 ("3 2 tu Ha
  Noi"), a need of their own in form 5 ("5 can nuoc": other), and make any
  other text unknown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flows.report import Contact, Kind, Need, Report, Symptom
from flows.sms.lexicon import (
    ArrivalWord,
    ContactWord,
    Days,
    HelpWord,
    Item,
    NeedWord,
    Negation,
    Number,
    People,
    SymptomWord,
    Temperature,
    WellWord,
    Word,
)
from flows.sms.readings import Reason

MAX_PEOPLE = 30
"""Households are counted in people, and larger numbers are far likelier to be
a temperature typed without its form or a slip of the thumb."""

MIN_TEMPERATURE, MAX_TEMPERATURE = 340, 429
"""Tenths of a degree, as the USSD screen accepts them."""

MAX_DAYS_AGO = 14
"""Arrivals are followed for 14 days; an older one is not a risk case."""

PLACE_LENGTH = 40
_PLACES = {"hn": "Ha Noi", "sg": "Sai Gon", "hcm": "TP HCM", "tphcm": "TP HCM"}
"""Places people abbreviate: "co nguoi ve tu HN"."""

_FORMS: Mapping[str, Kind] = {
    "1": Kind.WELL,
    "2": Kind.SYMPTOMS,
    "3": Kind.ARRIVAL,
    "4": Kind.POSITIVE,
    "5": Kind.HELP,
}

# What the digits typed right after a form's number choose, as on USSD.
_CHOICES: Mapping[Kind, Mapping[str, Symptom | Contact | Need]] = {
    Kind.SYMPTOMS: {str(int(symptom)): symptom for symptom in Symptom},
    Kind.POSITIVE: {"1": Contact.F0, "2": Contact.F1, "3": Contact.F2},
    Kind.HELP: {"1": Need.FOOD, "2": Need.MEDICINE, "3": Need.OTHER},
}


@dataclass
class _Draft:
    kind: Kind
    explicit: bool
    symptoms: set[Symptom] = field(default_factory=set)
    needs: set[Need] = field(default_factory=set)
    contacts: set[Contact] = field(default_factory=set)
    place: list[str] = field(default_factory=list)
    people: int | None = None
    temperature: int | None = None
    temperature_given: bool = False
    days: int | None = None
    described: bool = False


def read_report(items: Sequence[Item]) -> Report | Reason:
    """The report the items describe, or why they describe none."""
    if not items:
        return Reason.NO_FORM
    first = items[0]
    if isinstance(first, Number):
        kind = _FORMS.get(first.digits)
        if kind is None:
            return Reason.UNKNOWN_FORM
        draft = _Draft(kind, explicit=True)
        rest = _choose(draft, items[1:])
    else:
        implied = _implied(items)
        if implied is None:
            return Reason.UNKNOWN_WORD if _has_words(items) else Reason.NO_FORM
        draft = _Draft(implied, explicit=False)
        rest = items
    for item in rest:
        problem = _take(draft, item)
        if problem is not None:
            return problem
    return _report(draft)


def _implied(items: Sequence[Item]) -> Kind | None:
    """The form a text without a leading number is in, most urgent first."""
    for kind, kinds in (
        (Kind.POSITIVE, ContactWord),
        (Kind.ARRIVAL, ArrivalWord),
        (Kind.SYMPTOMS, SymptomWord),
        (Kind.HELP, NeedWord | HelpWord),
        (Kind.WELL, WellWord),
    ):
        if any(isinstance(item, kinds) for item in items):
            return kind
    return None


def _has_words(items: Sequence[Item]) -> bool:
    return any(isinstance(item, Word | Negation) for item in items)


def _choose(draft: _Draft, items: Sequence[Item]) -> Sequence[Item]:
    """Take the choice typed right after the form's number; return the rest."""
    choices = _CHOICES.get(draft.kind)
    if choices is None or not items or not isinstance(items[0], Number):
        return items
    digits = items[0].digits
    several = draft.kind is not Kind.POSITIVE  # one contact level at a time
    if not all(digit in choices for digit in digits) or (len(digits) > 1 and not several):
        return items
    chosen = [choices[digit] for digit in digits]
    taken = 1
    if len(digits) == 1 and several:
        for item in items[1:]:
            if not isinstance(item, Number) or item.digits not in choices:
                break
            if choices[item.digits] in chosen:
                break
            chosen.append(choices[item.digits])
            taken += 1
        # "2 1 3 2 385" follows "2 13 2 385": the digit just before a
        # temperature is the head count, not one more symptom.
        if taken > 1 and taken < len(items) and _temperature_like(draft, items[taken]):
            chosen.pop()
            taken -= 1
    for choice in chosen:
        _add(draft, choice)
    return items[taken:]


def _temperature_like(draft: _Draft, item: Item) -> bool:
    if draft.kind is not Kind.SYMPTOMS:
        return False
    return isinstance(item, Temperature) or (
        isinstance(item, Number) and (item.value == 0 or _degrees(item.value) is not None)
    )


def _degrees(value: int) -> int | None:
    """A bare number as tenths of a degree, if it can only be a temperature."""
    if 34 <= value <= 42:
        return value * 10
    if MIN_TEMPERATURE <= value <= MAX_TEMPERATURE:
        return value
    return None


def _add(draft: _Draft, choice: Symptom | Contact | Need) -> None:
    if isinstance(choice, Symptom):
        draft.symptoms.add(choice)
    elif isinstance(choice, Contact):
        draft.contacts.add(choice)
    else:
        draft.needs.add(choice)


def _take(draft: _Draft, item: Item) -> Reason | None:
    urgent = draft.kind is not Kind.WELL
    match item:
        case Number():
            return _number(draft, item.value)
        case People(count=count):
            if draft.people is not None:
                return Reason.EXTRA_NUMBER
            return _people(draft, count)
        case Temperature(tenths=tenths):
            if draft.kind is not Kind.SYMPTOMS:
                return Reason.MIXED_FORMS
            return _temperature(draft, tenths)
        case Days(days=days):
            # "sot 2 ngay" (fever for two days), "hom nay": said, not recorded.
            if draft.kind is not Kind.ARRIVAL:
                return None
            if draft.days is not None:
                return Reason.EXTRA_NUMBER
            if days > MAX_DAYS_AGO:
                return Reason.BAD_DAYS
            draft.days = days
        case SymptomWord(symptom=symptom) if urgent:
            draft.symptoms.add(symptom)
        case NeedWord(need=need) if urgent:
            draft.needs.add(need)
        case ContactWord(contact=contact) if draft.kind is Kind.POSITIVE:
            draft.contacts.add(contact)
        case HelpWord() if urgent:
            pass
        case ArrivalWord() if draft.kind is Kind.ARRIVAL:
            pass
        case SymptomWord() | NeedWord() | ContactWord() | HelpWord() | ArrivalWord():
            return Reason.MIXED_FORMS
        case WellWord():
            pass
        case Word(text=text) if draft.kind is Kind.ARRIVAL:
            draft.place.append(text)
        case Word() if draft.kind is Kind.HELP:
            draft.described = True
        case Negation() if draft.kind is Kind.HELP and draft.explicit:
            # "5 khong co gao" (we have no rice): after a typed 5, a
            # negation describes the need rather than cancelling it.
            draft.described = True
        case Negation() | Word():
            return Reason.UNKNOWN_WORD
    return None


def _number(draft: _Draft, value: int) -> Reason | None:
    """A bare number after the choice: people first, then the temperature."""
    degrees = _degrees(value) if draft.kind is Kind.SYMPTOMS else None
    if degrees is not None:
        return _temperature(draft, degrees)
    if value == 0 and draft.kind is Kind.SYMPTOMS and not draft.temperature_given:
        draft.temperature_given = True  # "not measured", as on the USSD screen
        return None
    if draft.people is None:
        return _people(draft, value)
    if draft.kind is not Kind.SYMPTOMS or draft.temperature_given:
        return Reason.EXTRA_NUMBER
    return Reason.BAD_TEMPERATURE


def _people(draft: _Draft, count: int) -> Reason | None:
    if not 1 <= count <= MAX_PEOPLE:
        return Reason.BAD_PEOPLE
    draft.people = count
    return None


def _temperature(draft: _Draft, tenths: int) -> Reason | None:
    if draft.temperature_given:
        return Reason.EXTRA_NUMBER
    if not MIN_TEMPERATURE <= tenths <= MAX_TEMPERATURE:
        return Reason.BAD_TEMPERATURE
    draft.temperature = tenths
    draft.temperature_given = True
    return None


def _report(draft: _Draft) -> Report | Reason:
    if len(draft.contacts) > 1:
        return Reason.MIXED_FORMS
    contact = next(iter(draft.contacts), Contact.F0 if draft.kind is Kind.POSITIVE else None)
    kind = Kind.CONTACT if contact in (Contact.F1, Contact.F2) else draft.kind
    place = " ".join(_PLACES.get(word, word.title()) for word in draft.place)
    place = place[:PLACE_LENGTH].rstrip() or None
    # A need put in words of its own ("5 can nuoc") is still a need.
    needs = draft.needs or ({Need.OTHER} if draft.described else set())
    return Report(
        kind=kind,
        people=draft.people,
        symptoms=frozenset(draft.symptoms),
        temperature_tenths=draft.temperature,
        contact=contact,
        arrived_from=place,
        arrived_days_ago=draft.days,
        needs=frozenset(needs),
    )
