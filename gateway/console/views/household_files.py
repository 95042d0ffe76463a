"""Household files: import CSV/XLSX with a preview, export in the same format.

An import is a run (``ImportRun``): the upload starts its preview in the
background, the run's page shows a progress bar until the preview is ready,
then every error of every row in pages; the uploader confirms, and the commit
runs in the background with its own progress bar. The export writes the import
format, so staff can download the list, fix it in a spreadsheet, and import it
back.
"""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from openpyxl import Workbook

from db.models import ImportRun
from gateway.console import imports
from gateway.console.audit_trail import audit
from gateway.console.forms import ActionForm, ImportForm
from gateway.console.household_query import Filters, households, phones_of
from gateway.console.scoping import admin_required, commune, today
from gateway.services import import_runs
from gateway.services.safe_cells import neutralised

bp = Blueprint("household_files", __name__, url_prefix="/households")

EXPORT_COLUMNS = [
    "commune_code",
    "team",
    "household_code",
    "head_name",
    "village",
    "phones",
    "people",
    "phone_kind",
    "language",
    "member_phone",
]
PAGE = 100
"""Row errors per page of a preview or a result."""
TOKEN = "<string(length=32):token>"


@bp.get("/import")
@admin_required
def form() -> str:
    return render_template("console/households/import.html", form=ImportForm())


@bp.post("/import")
@admin_required
def upload() -> str | tuple[str, int] | Response:
    """Store the file and start its preview; nothing is written to the lists yet."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("console/households/import.html", form=form), 400
    run = imports.start(form.file.data, commune(), current_user.user_id)
    return redirect(url_for(".run", token=run.token))


def _run_or_404(token: str) -> ImportRun:
    run = ImportRun.get_or_none(ImportRun.token == token, ImportRun.commune == commune().id)
    if run is None:
        abort(404)
    return run


@bp.get(f"/import/{TOKEN}")
@admin_required
def run(token: str) -> str:
    """The run as it stands: a progress bar, the preview, or the result."""
    found = _run_or_404(token)
    report = import_runs.report_of(found)
    errors = report.errors if report else []
    pages = max(1, -(-len(errors) // PAGE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    return render_template(
        "console/households/import_run.html",
        run=found,
        report=report,
        errors=errors[(page - 1) * PAGE : page * PAGE],
        page=page,
        pages=pages,
        confirm=ActionForm(),
        mine=found.staff_id == current_user.user_id,
        translate=gettext,
    )


@bp.get(f"/import/{TOKEN}/status")
@admin_required
def status(token: str) -> Response:
    """What the page's script polls while a job runs."""
    found = _run_or_404(token)
    return jsonify(state=found.state, done=found.done, total=found.total)


@bp.post(f"/import/{TOKEN}/confirm")
@admin_required
def confirm(token: str) -> Response | tuple[str, int]:
    """Import the previewed file's good rows, in the background; once, by its uploader."""
    _run_or_404(token)
    claimed = import_runs.confirm(token, current_user.user_id, commune().id)
    if claimed is None:
        return render_template("console/households/import.html", form=ImportForm(),
                               expired=True), 400  # fmt: skip
    previewed = import_runs.report_of(claimed)
    audit("household_import", f"{claimed.filename}: {previewed.created} new, "
          f"{previewed.updated} updated (as previewed)")  # fmt: skip
    imports.commit(claimed)
    return redirect(url_for(".run", token=token))


def _export_rows() -> list[list[object]]:
    rows = list(households(Filters.from_args(request.args), today()))
    phones = phones_of(rows)
    return [
        neutralised(
            [
                commune().code,
                row.team.name,
                row.code,
                row.head_name,
                row.village,
                ";".join(phones[row.id]),
                row.people,
                row.phone_kind,
                row.language,
                row.member.phone if row.member_id else "",
            ]
        )
        for row in rows
    ]


@bp.get("/export.<any(csv, xlsx):fmt>")
def export(fmt: str) -> Response:
    """The filtered list as an import file: what staff download is what they can import."""
    name = f"households-{commune().code}-{today().isoformat()}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    rows = _export_rows()
    audit("household_export", f"{fmt}, {len(rows)} households")
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(rows)
        return Response(
            "\ufeff" + out.getvalue(), mimetype="text/csv; charset=utf-8", headers=headers
        )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("households")
    sheet.append(EXPORT_COLUMNS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return Response(
        out.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=headers,
    )
