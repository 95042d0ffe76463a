"""Importing a household (or member) file from the console: preview, then commit.

The preview runs the real :class:`Importer` inside a transaction that is then
rolled back, so its counts and per-row errors are exactly what the commit will
do, with no second set of rules to drift from the first. Rows naming another
commune are refused here: a commune's staff import into their own commune only.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from db.base import database
from db.models import Commune
from gateway.services.importer import Importer, ImportReport, RowError, detect_kind
from gateway.services.spreadsheets import UnreadableFile, open_sheet

KINDS = ("households", "members")
"""What a commune's staff may import; communes are the operator's business."""
MAX_ROWS = 20_000
SAMPLE = 15
KEEP_SECONDS = 24 * 3600


class ImportRefused(ValueError):
    """The whole file cannot be imported; the message says why, in the reader's language."""


@dataclass
class Preview:
    kind: str
    header: list[str]
    sample: list[tuple[int, dict[str, str]]]
    total: int
    report: ImportReport


class _DryRun(Exception):
    """Raised inside the preview's transaction so that nothing it wrote is kept."""


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "console-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(upload: FileStorage) -> str:
    """Keep the uploaded file until it is confirmed; returns its token.

    The token, not the user's file name, names the file on disk, and old
    uploads nobody confirmed are removed on the way.
    """
    folder = _folder()
    for old in folder.iterdir():
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    suffix = Path(upload.filename or "").suffix.lower()
    upload.save(folder / f"{token}{suffix}")
    return token


def stored(token: str) -> Path:
    found = [path for path in _folder().glob(f"{token}.*") if path.suffix in (".csv", ".xlsx")]
    if len(token) != 32 or not found:
        raise ImportRefused(_("The uploaded file is gone; upload it again."))
    return found[0]


def discard(token: str) -> None:
    for path in _folder().glob(f"{token}.*"):
        path.unlink(missing_ok=True)


@dataclass
class _Rows:
    kind: str
    header: list[str]
    mine: list[tuple[int, dict[str, str]]]
    """This commune's rows, blank ``commune_code`` filled in."""
    foreign: list[tuple[int, str]]
    """An error for each row of another commune."""
    sample: list[tuple[int, dict[str, str]]]
    """The first rows as the file has them, for the preview."""


def _read(path: Path, commune: Commune) -> _Rows:
    try:
        sheet = open_sheet(path)
        kind = detect_kind(sheet.header)
    except (UnreadableFile, RowError) as exc:
        raise ImportRefused(str(exc)) from exc
    if kind not in KINDS:
        raise ImportRefused(_("Only household and member files can be imported here."))
    rows = _Rows(kind, sheet.header, [], [], [])
    for count, (number, row) in enumerate(sheet.rows):
        if count >= MAX_ROWS:
            raise ImportRefused(_("More than %(n)d rows: split the file.", n=MAX_ROWS))
        if count < SAMPLE:
            rows.sample.append((number, row))
        if row.get("commune_code", "") in ("", commune.code):
            rows.mine.append((number, {**row, "commune_code": commune.code}))
        else:
            rows.foreign.append((number, _("this row is for another commune")))
    return rows


def _run(rows: _Rows) -> ImportReport:
    report = Importer(rows.kind, current_app.config["SETTINGS"].default_region).run(rows.mine)
    report.errors = sorted(report.errors + rows.foreign)
    return report


def preview(path: Path, commune: Commune) -> Preview:
    rows = _read(path, commune)
    try:
        with database.atomic():
            report = _run(rows)
            raise _DryRun
    except _DryRun:
        pass
    return Preview(rows.kind, rows.header, rows.sample, len(rows.mine) + len(rows.foreign), report)


def commit(path: Path, commune: Commune) -> ImportReport:
    return _run(_read(path, commune))
