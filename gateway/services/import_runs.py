"""A console import in the background: preview (a dry run), confirmation, commit.

The web request only stores the upload and a row; RQ jobs do the reading and
the importing (a district's file is tens of thousands of rows), writing their
progress on the row after each chunk, which the page polls. Both jobs run the
same :class:`Importer` as ``gateway import``, scoped to the uploader's commune:
the preview plans every row and writes nothing, so its counts and errors are
what the commit will do.
"""

from __future__ import annotations

import json
from pathlib import Path

from db.base import utcnow
from db.models import Commune, ImportRun
from gateway.services.import_report import ImportReport, Problem, RowError
from gateway.services.importer import Importer, detect_kind
from gateway.services.spreadsheets import open_sheet

KINDS = ("households", "members")
"""What a commune's staff may import; communes are the operator's business."""
MAX_ROWS = 200_000
"""A province's file is the operator's (``gateway import``); a district's fits."""
RUNNING = ("previewing", "importing")


def create(path: Path, filename: str, commune: Commune, staff_id: int, token: str) -> ImportRun:
    return ImportRun.create(
        token=token, commune=commune, staff=staff_id, filename=filename[:200], path=str(path)
    )


def preview(run_id: int, region: str) -> ImportRun:
    """Plan every row of the file and keep the report; nothing is written."""
    return _run(run_id, region, dry_run=True, finished="previewed")


def confirm(token: str, staff_id: int, commune_id: int) -> ImportRun | None:
    """Move a previewed run to ``importing``, once, for its own uploader only."""
    claimed = (
        ImportRun.update(state="importing", done=0, updated_at=utcnow())
        .where(
            ImportRun.token == token,
            ImportRun.staff == staff_id,
            ImportRun.commune == commune_id,
            ImportRun.state == "previewed",
        )
        .execute()
    )
    return ImportRun.get(ImportRun.token == token) if claimed else None


def commit(run_id: int, region: str) -> ImportRun:
    """Import the good rows; the uploaded file is removed once done."""
    run = _run(run_id, region, dry_run=False, finished="done")
    Path(run.path).unlink(missing_ok=True)
    return run


def fail(run_id: int, problem: Problem) -> None:
    report = ImportReport("")
    report.errors.append(problem)
    ImportRun.update(
        state="failed", report=json.dumps(report.to_json()), updated_at=utcnow()
    ).where(ImportRun.id == run_id).execute()


def report_of(run: ImportRun) -> ImportReport | None:
    return ImportReport.from_json(json.loads(run.report)) if run.report else None


def _run(run_id: int, region: str, *, dry_run: bool, finished: str) -> ImportRun:
    run = ImportRun.get_by_id(run_id)
    try:
        sheet = open_sheet(Path(run.path))
        kind = detect_kind(sheet.header)
        if kind not in KINDS:
            raise RowError("Only household and member files can be imported here.")
        if sheet.total > MAX_ROWS:
            raise RowError("More than %(n)d rows: split the file.", n=MAX_ROWS)
    except RowError as error:
        fail(run_id, error.at(0))
        return ImportRun.get_by_id(run_id)
    except FileNotFoundError:
        fail(run_id, Problem(0, "The uploaded file is gone; upload it again."))
        return ImportRun.get_by_id(run_id)
    ImportRun.update(kind=kind, total=sheet.total, done=0, updated_at=utcnow()).where(
        ImportRun.id == run_id
    ).execute()
    importer = Importer(kind, region, scope=run.commune, dry_run=dry_run)
    report = importer.run(sheet.rows, progress=lambda rows: _progress(run_id, rows))
    ImportRun.update(
        state=finished, report=json.dumps(report.to_json()), updated_at=utcnow()
    ).where(ImportRun.id == run_id).execute()
    return ImportRun.get_by_id(run_id)


def _progress(run_id: int, rows: int) -> None:
    ImportRun.update(done=ImportRun.done + rows, updated_at=utcnow()).where(
        ImportRun.id == run_id
    ).execute()
