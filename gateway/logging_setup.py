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

PHONE_LIKE = re.compile(r"(?<![\w+])(?:\+|%2B)?\(?\d(?:(?:[ ()+-]|%20){0,2}\d){7,16}(?!\w)")
"""Eight or more digits, as people and providers write numbers, also URL-encoded
in a query string (``?q=0912+000+002``); dots are left out so IP addresses
stay readable."""
DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{2})?")
SECRET_PARAM = re.compile(r"(?i)\b((?:token|api_?key|password|secret)=)[^&\s\"']*")
MESSAGE_PARAM = re.compile(r"(?i)([?&](?:text|answer)=)[^&\s\"']*")
"""An SMS's text in a query string: Kannel's ``get-url`` and ``sendsms`` carry it there."""
_formatter = logging.Formatter()


def redact_text(text: str) -> str:
    """``text`` with secrets and message texts in query strings and anything phone-like masked."""
    hidden = MESSAGE_PARAM.sub(r"\1***", SECRET_PARAM.sub(r"\1***", text))
    return PHONE_LIKE.sub(_mask_phone, hidden)


def _mask_phone(match: re.Match[str]) -> str:
    found = match.group()
    if DATE_LIKE.fullmatch(found):
        return found
    try:
        return mask(to_e164(unquote_plus(found)))
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
