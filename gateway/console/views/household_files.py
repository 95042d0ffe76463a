"""Household files: import CSV/XLSX with a preview, export in the same format.

The export writes the import format, so staff can download the list, fix it in
a spreadsheet, and import it back.
"""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, flash, render_template, request, session
from flask_babel import gettext as _
from openpyxl import Workbook

from gateway.console import imports
from gateway.console.audit_trail import audit
from gateway.console.forms import ConfirmImportForm, ImportForm
from gateway.console.household_query import Filters, households, phones_of
from gateway.console.scoping import admin_required, commune, today

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


@bp.get("/import")
@admin_required
def form() -> str:
    return render_template("console/households/import.html", form=ImportForm())


@bp.post("/import")
@admin_required
def upload() -> str | tuple[str, int]:
    """Store the file and show what importing it would do; nothing is written yet."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("console/households/import.html", form=form), 400
    token = imports.store(form.file.data)
    try:
        preview = imports.preview(imports.stored(token), commune())
    except imports.ImportRefused as exc:
        imports.discard(token)
        flash(str(exc), "error")
        return render_template("console/households/import.html", form=ImportForm()), 400
    session["import"] = {"token": token, "commune": commune().id}
    return render_template(
        "console/households/import.html",
        form=ImportForm(),
        preview=preview,
        errors=dict(preview.report.errors),
        confirm=ConfirmImportForm(token=token),
        filename=form.file.data.filename,
    )


@bp.post("/import/confirm")
@admin_required
def confirm() -> str | tuple[str, int]:
    """Import the previewed file: good rows are written, bad rows listed again."""
    form = ConfirmImportForm()
    pending = session.get("import") or {}
    if (
        not form.validate_on_submit()
        or pending.get("token") != form.token.data
        or pending.get("commune") != commune().id
    ):
        flash(_("That import is no longer pending; upload the file again."), "error")
        return render_template("console/households/import.html", form=ImportForm()), 400
    try:
        report = imports.commit(imports.stored(form.token.data), commune())
    except imports.ImportRefused as exc:
        flash(str(exc), "error")
        return render_template("console/households/import.html", form=ImportForm()), 400
    finally:
        session.pop("import", None)
    imports.discard(form.token.data)
    audit("household_import", f"{report.created} new, {report.updated} updated")
    flash(
        _(
            "Imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged,"
            " %(errors)d rows with errors.",
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            errors=len(report.errors),
        ),
        "success" if report.ok else "warning",
    )
    return render_template("console/households/import.html", form=ImportForm(), done=report)


def _export_rows() -> list[list[object]]:
    rows = list(households(Filters.from_args(request.args), today()))
    phones = phones_of(rows)
    return [
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
