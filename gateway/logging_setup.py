"""Logs without health data: phone numbers masked, tokens hidden, no message text.

Logs travel (journald, a log service, a support ticket), so they must be safe
for anyone who operates the service to read (SPEC §9). The code itself logs a
phone only through :func:`flows.phones.mask` and never logs a request body or
an SMS text. This module is the net under that rule, for lines the code does
not write: werkzeug's and gunicorn's access logs (request lines carry
``?token=``), driver errors that quote a value, a developer's debug line, and
peewee's query log, whose parameters are the data itself (only its SQL is kept).

The masking runs in the log record factory, the one hook every record passes
through whatever logger creates it and whatever handler writes it. A handler
filter would miss handlers added after start-up (gunicorn's, pytest's); a logger
filter applies to that one logger and not to its children.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import unquote_plus

from flask import Flask

from flows.phones import InvalidPhone, mask, to_e164

BIDI = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""Direction marks that phones copied from a right-to-left text carry."""
_SEP = rf"(?:[ ()+{BIDI}-]|%20|%2[Bb]|%E2%80%8[EFef])"
_START = r"(?:(?<=%[0-9A-Fa-f]{2})|(?<=\w\+)|(?<![\w+]))"
_SIGN = r"(?:\+|%2[Bb]|＋)?"
_PHONE = rf"{_START}{_SIGN}\(?\d(?:{_SEP}{{0,2}}\d){{7,16}}(?!\w)"
"""Eight or more digits as people and providers write them: spaces, hyphens,
brackets, direction marks, URL-encoded (``?q=0912+000+002``, ``tel%3A%2B84...``),
after a ``tel:``, a ``%XX`` byte or a ``+`` that encodes a space."""
_DOTTED = r"(?:(?<=%[0-9A-Fa-f]{2})|(?<=\w\+)|(?<![\w.+]))\+?\d{1,5}(?:\.\d{2,4}){2,3}(?!\w|\.\d)"
"""Dots between groups (``0912.345.678``); at least two dots, so a decimal
number is not taken for one, and an IPv4 address is kept (see below)."""
_UUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
_HEX_ID = r"(?=[0-9A-Fa-f]*[A-Fa-f])[0-9A-Fa-f]{12,}"
_WORD_ID = r"[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)+"
ID_LIKE = rf"(?<![\w%-])(?:{_UUID}|{_HEX_ID}|{_WORD_ID})(?![\w-])"
"""Ids are never masked: RQ job ids (``send-sms-42-1``, ``reminder-7-2026-11-23-0730``,
UUIDs), provider ids (``ATXid_…``, hex), so a log line still finds its job."""
MASKED = re.compile(rf"(?P<id>{ID_LIKE})|(?P<phone>{_DOTTED}|{_PHONE})")
DATE_LIKE = re.compile(r"\d{4}[-.]\d{2}[-.]\d{2}(?: \d{2})?")
IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
SECRET_PARAM = re.compile(r"(?i)\b((?:token|api_?key|password|secret)=)[^&\s\"']*")
MESSAGE_PARAM = re.compile(r"(?i)([?&](?:text|answer)=)[^&\s\"']*")
"""An SMS's text in a query string: Kannel's ``get-url`` and ``sendsms`` carry it there."""
WEBHOOK_QUERY = re.compile(r"(/webhooks/[^\s?\"']*)\?[^\s\"']*")
"""A webhook's query string carries what the provider sent (``from``, ``text``)
when it uses GET (Kannel does): access logs show the path alone."""
_formatter = logging.Formatter()


def redact_text(text: str) -> str:
    """``text`` with webhook query strings dropped, secrets and message texts in other
    query strings hidden, and phones masked."""
    text = SECRET_PARAM.sub(r"\1***", WEBHOOK_QUERY.sub(r"\1", text))
    return MASKED.sub(_mask, MESSAGE_PARAM.sub(r"\1***", text))


def _mask(match: re.Match[str]) -> str:
    found = match.group()
    if match.group("id") or DATE_LIKE.fullmatch(found) or IPV4.fullmatch(found):
        return found
    number = unquote_plus(found).replace("＋", "+")
    number = re.sub(rf"[{BIDI}.]", "", number)
    try:
        return mask(to_e164(number))
    except InvalidPhone:
        return "***"


def redact(record: logging.LogRecord) -> None:
    """Replace the record's message (and traceback) by its redacted text."""
    if record.name == "peewee" and isinstance(record.msg, tuple) and record.msg:
        record.msg, record.args = str(record.msg[0]), None
    try:
        message = record.getMessage()
    except (TypeError, ValueError, KeyError):
        message = f"{record.msg} (arguments dropped: they did not fit the message)"
    record.msg, record.args = redact_text(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = redact_text(_formatter.formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = redact_text(record.stack_info)


class RedactingRecordFactory:
    """Wraps the record factory in place, so masking composes with any other wrapper."""

    def __init__(self, wrapped: Any) -> None:
        self.wrapped = wrapped

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.wrapped(*args, **kwargs)
        redact(record)
        return record


def init_app(app: Flask) -> None:
    """Install the masking once per process (every app shares the process's logging)."""
    current = logging.getLogRecordFactory()
    if not isinstance(current, RedactingRecordFactory):
        logging.setLogRecordFactory(RedactingRecordFactory(current))
