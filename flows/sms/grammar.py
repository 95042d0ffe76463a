"""Reading a household's or a member's text (SPEC §5).

The grammar forgives everything a keypad produces: case, diacritics or their
absence, any separators, full-width digits, symptom words for digits. The
household forms and how their numbers are told apart are described in
:mod:`flows.sms.household`. Decisions on the ambiguous texts:

* ``OK 12`` acknowledges case 12. ``OK`` with no number is read as a
  household's "ok" when the rest is a form (``ok, ca nha khoe`` is well) and
  otherwise asks for the case number (``Reason.CASE_MISSING``): members type
  it, and a lone "ok" must not count as a declaration.
* ``DUNG`` is "dừng" (stop) only when typed without diacritics or as "dừng":
  "đúng" (right) and "dùng" (use) fold to the same letters and must not
  unsubscribe anyone. Likewise ``BAT`` is "bật", never "bắt" or "bát".
* ``KB <code> <form>``: the code is the first run of letters and digits,
  joined by ``-``, ``_`` or ``/`` (``HG-012``), at most 20 characters.
  Only ``KB`` starts a proxy declaration: a household writing "khai bao 1"
  declares for itself.
* ``XA <commune code> <form>`` (``XA RL01 2 13``): a sender the gateway does
  not know names their commune, so their report reaches its health station
  where the number texted serves several communes. The code is read like a
  household code. A known household's own commune wins over the one named.
* Texts longer than :data:`~flows.sms.normalize.MAX_LENGTH` are not read.

``parse`` never raises: every ``str`` gives a :data:`~flows.sms.readings.Reading`:
the effect itself when the text asks for one to be recorded.
"""

from __future__ import annotations

import re
from functools import lru_cache

from flows.effects import Acknowledge, Declare, OptIn, OptOut, ProxyDeclare, Resolve
from flows.report import Report
from flows.sms.household import read_report
from flows.sms.lexicon import lex
from flows.sms.normalize import MAX_LENGTH, Token, clean, fold, number, tokenize
from flows.sms.readings import HelpRequest, Reading, Reason, Unknown

__all__ = ["HelpRequest", "Reading", "Reason", "Unknown", "parse"]

MAX_CODE_LENGTH = 20
MAX_CASE_NUMBER = 999_999_999
PARSED_TEXTS = 4096
"""Distinct texts whose readings :func:`parse` keeps, the least recently sent dropped."""

_HELP = {("hd",), ("help",), ("huong", "dan"), ("tro", "giup")}
# Compared with diacritics kept (see the module docstring).
_STOP = {"dung", "dừng", "dưng", "ngung", "ngừng", "ngưng", "stop"}
_START = {"bat", "bật", "bât", "bat dau", "bắt đầu", "start"}
_CASE_WORDS = {"ca", "case", "so"}
_NOTE_SEPARATORS = " ,.;:-_/#*"

_NOT_WORD = re.compile(r"[\W_]+")
_CODE = re.compile(r"[\W_]*([a-z0-9]+(?:[-_/][a-z0-9]+)*)(?![^\W_])")
_RESOLUTION = re.compile(
    r"[\W_]*xong(?:[\W_]+(?:ca|case|so)(?![^\W\d_]))?[\W_]*([0-9]+)(.*)",
    re.IGNORECASE,
)


@lru_cache(maxsize=PARSED_TEXTS)
def parse(text: str) -> Reading:
    """The effect or request a text carries; :class:`Unknown` with a reason if none.

    Remembered per text (:data:`PARSED_TEXTS`): a burst is thousands of
    households sending the same few forms (``1``, ``2 13``), and every reading
    is immutable, so each distinct text is read once per process.
    """
    if len(text) > MAX_LENGTH:
        return Unknown(Reason.TOO_LONG)
    cleaned = clean(text)
    folded = fold(cleaned)
    tokens = tokenize(folded)
    if not tokens:
        return HelpRequest() if "?" in cleaned else Unknown(Reason.EMPTY)
    words = tuple(token.text for token in tokens)
    bare = _NOT_WORD.sub(" ", cleaned.casefold()).strip()
    if words in _HELP:
        return HelpRequest()
    if bare in _STOP:
        return OptOut()
    if bare in _START:
        return OptIn()
    match words[0]:
        case "ok":
            return _acknowledgement(tokens[1:])
        case "xong":
            return _resolution(cleaned)
        case "kb":
            return _proxy(folded[tokens[0].end :])
        case "xa" if len(tokens) > 2:
            return _named_commune(folded[tokens[0].end :])
    return _declaration(tokens)


def _declaration(tokens: list[Token]) -> Declare | Unknown:
    report = read_report(lex(tokens))
    return Declare(report) if isinstance(report, Report) else Unknown(report)


def _acknowledgement(tokens: list[Token]) -> Reading:
    rest = tokens
    while rest and rest[0].text in _CASE_WORDS:
        rest = rest[1:]
    if not rest or not rest[0].is_number:
        declared = _declaration(tokens) if tokens else None
        return declared if isinstance(declared, Declare) else Unknown(Reason.CASE_MISSING)
    if any(token.is_number for token in rest[1:]):
        return Unknown(Reason.EXTRA_NUMBER)
    case_number = _case_number(rest[0].text)
    return Unknown(Reason.BAD_CASE) if case_number is None else Acknowledge(case_number)


def _resolution(cleaned: str) -> Reading:
    match = _RESOLUTION.fullmatch(cleaned)
    if match is None:
        return Unknown(Reason.CASE_MISSING)
    digits, note = match.groups()
    case_number = _case_number(digits)
    if case_number is None:
        return Unknown(Reason.BAD_CASE)
    return Resolve(case_number, note.lstrip(_NOTE_SEPARATORS).rstrip())


def _case_number(digits: str) -> int | None:
    value = number(digits)
    return value if 1 <= value <= MAX_CASE_NUMBER else None


def _proxy(after_kb: str) -> Reading:
    read = _code_and_form(after_kb)
    if isinstance(read, Unknown):
        return read
    code, declared = read
    return ProxyDeclare(code, declared.report)


def _named_commune(after_xa: str) -> Reading:
    read = _code_and_form(after_xa)
    if isinstance(read, Unknown):
        return read
    code, declared = read
    return Declare(declared.report, commune=code)


def _code_and_form(rest: str) -> tuple[str, Declare] | Unknown:
    """``<code> <form>`` after ``KB`` or ``XA``: the code upper-cased, the form read."""
    match = _CODE.match(rest)
    if match is None:
        return Unknown(Reason.HOUSEHOLD_MISSING)
    code = match.group(1)
    if len(code) > MAX_CODE_LENGTH:
        return Unknown(Reason.HOUSEHOLD_MISSING)
    tokens = tokenize(rest[match.end() :])
    if not tokens:
        return Unknown(Reason.FORM_MISSING)
    declared = _declaration(tokens)
    if isinstance(declared, Unknown):
        return declared
    return code.upper(), declared
