"""Reading the CSV and XLSX files commune staff keep their lists in."""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook


class UnreadableFile(ValueError):
    """The file is not a CSV or XLSX we can read; the message says why."""


@dataclass
class Sheet:
    """A header and its rows, numbered as the spreadsheet shows them (header = 1)."""

    header: list[str]
    total: int
    rows: Iterator[tuple[int, dict[str, str]]]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _rows(header: list[str], lines: Iterator[list[object]]) -> Iterator[tuple[int, dict[str, str]]]:
    for number, line in enumerate(lines, start=2):
        cells = [_cell(value) for value in line]
        if not any(cells):
            continue
        yield number, dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))


def open_sheet(path: Path) -> Sheet:
    """Open ``path`` by its extension; header names are trimmed and lower-cased."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _open_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _open_csv(path)
    raise UnreadableFile(f"{path.name}: expected a .csv or .xlsx file")


def _open_csv(path: Path) -> Sheet:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"{path.name}: not UTF-8 text (save the CSV as UTF-8)") from exc
    lines = text.splitlines()
    if not lines:
        raise UnreadableFile(f"{path.name}: the file is empty")
    dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
    reader = csv.reader(lines, dialect)
    header = [_cell(name).lower() for name in next(reader)]
    return Sheet(header, max(len(lines) - 1, 0), _rows(header, reader))


def _open_xlsx(path: Path) -> Sheet:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise UnreadableFile(f"{path.name}: not a readable XLSX workbook") from exc
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    first = next(lines, None)
    if first is None:
        raise UnreadableFile(f"{path.name}: the first sheet is empty")
    header = [_cell(name).lower() for name in first]
    return Sheet(header, max((sheet.max_row or 1) - 1, 0), _rows(header, lines))
