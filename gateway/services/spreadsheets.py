"""Reading the CSV and XLSX files commune staff keep their lists in.

CSV files come from Excel and LibreOffice far more often than from code: with
a byte-order mark, with ``;`` between cells where the computer's locale uses a
decimal comma, with quotes doubled inside quoted cells and commas or line
breaks inside them. The ``csv`` module reads all of that when it is told the
right dialect, so the dialect is sniffed over the first lines of the file (not
its header alone, which has no quotes to learn from) and then held to Excel's
quoting rules. Rows are streamed from disk, never read into memory whole.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from gateway.services.import_report import RowError
from gateway.services.safe_cells import unquote

SAMPLE_BYTES = 64 * 1024
DELIMITERS = ",;\t"


class UnreadableFile(RowError):
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
    return unquote(str(value).strip())


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
    raise UnreadableFile("%(name)s: expected a .csv or .xlsx file", name=path.name)


def _encoding(path: Path) -> str:
    """UTF-8 (with or without a byte-order mark), or UTF-16 with one (Excel's "Unicode text")."""
    with path.open("rb") as raw:
        start = raw.read(SAMPLE_BYTES)
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        start.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # A sample cut inside a character is fine; anything earlier is not UTF-8.
        if exc.start < len(start) - 3:
            raise UnreadableFile(
                "%(name)s: not UTF-8 text (save the CSV as UTF-8)", name=path.name
            ) from exc
    return "utf-8-sig"


def dialect_of(sample: str) -> type[csv.Dialect]:
    """Excel's quoting rules with the separator the file uses.

    The sniffer sees whole lines, quotes and all; its guess of the separator is
    kept only if the header splits on it too. Quoting is always Excel's
    (``"`` doubled inside a quoted cell), which is what every spreadsheet writes.
    """
    lines = sample.splitlines()
    header = lines[0] if lines else ""
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        sample = sample[: sample.rstrip().rfind("\n") + 1] or sample
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ","
    if header.count(delimiter) == 0:
        delimiter = max(DELIMITERS, key=header.count)

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter
    return Dialect


def _open_csv(path: Path) -> Sheet:
    encoding = _encoding(path)
    with path.open(encoding=encoding, newline="") as text:
        sample = text.read(SAMPLE_BYTES)
    if not sample.strip():
        raise UnreadableFile("%(name)s: the file is empty", name=path.name)
    dialect = dialect_of(sample)
    try:
        with path.open(encoding=encoding, newline="") as text:
            total = sum(1 for _ in csv.reader(text, dialect)) - 1
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            "%(name)s: not UTF-8 text (save the CSV as UTF-8)", name=path.name
        ) from exc
    except csv.Error as exc:
        raise UnreadableFile(
            "%(name)s: not a CSV file (%(reason)s)", name=path.name, reason=str(exc)
        ) from exc
    with path.open(encoding=encoding, newline="") as text:
        header = [_cell(name).lower() for name in next(csv.reader(text, dialect))]
    return Sheet(header, max(total, 0), _csv_rows(path, encoding, dialect, header))


def _csv_rows(
    path: Path, encoding: str, dialect: type[csv.Dialect], header: list[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows after the header, the file opened only while they are read."""
    with path.open(encoding=encoding, newline="") as text:
        reader = csv.reader(text, dialect)
        next(reader)
        yield from _rows(header, reader)


def _open_xlsx(path: Path) -> Sheet:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise UnreadableFile("%(name)s: not a readable XLSX workbook", name=path.name) from exc
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    first = next(lines, None)
    if first is None:
        raise UnreadableFile("%(name)s: the first sheet is empty", name=path.name)
    header = [_cell(name).lower() for name in first]
    return Sheet(header, max((sheet.max_row or 1) - 1, 0), _rows(header, lines))
