"""The daily report (SPEC §7) for the commune, on screen and as CSV or XLSX.

Rows are rendered from the report's own column list, whatever columns it
grows, so the page, the download and ``gateway report daily`` stay one report.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, render_template, request

from gateway.console import params, report_sheet
from gateway.console.audit_trail import audit
from gateway.console.scoping import commune, today
from gateway.services import reports

bp = Blueprint("reports", __name__, url_prefix="/reports")

MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _day() -> dt.date:
    """The day asked for; a malformed or future date means today, a date before
    the product's data a 400."""
    current = today()
    return params.day(request.args, "date", current) or current


@bp.get("/")
def index() -> str:
    day = _day()
    rows = reports.daily_report(day, commune().code)
    audit("report_view", day.isoformat())
    return render_template(
        "console/reports.html",
        day=day,
        today=today(),
        columns=reports.COLUMNS,
        heading=report_sheet.heading_lines(commune(), day),
        rows=report_sheet.table(rows, commune()),
        teams=len(rows),
    )


@bp.get("/daily.<any(csv, xlsx):fmt>")
def download(fmt: str) -> Response:
    day = _day()
    rows = reports.daily_report(day, commune().code)
    if fmt == "csv":
        # The byte-order mark lets Excel on Windows read "Thôn Đoài" as UTF-8.
        body: str | bytes = "\ufeff" + reports.to_csv(rows)
    else:
        body = report_sheet.to_xlsx(rows, commune(), day)
    audit("report_export", f"{day.isoformat()} {fmt}")
    name = f"daily-{commune().code}-{day.isoformat()}.{fmt}"
    return Response(
        body, mimetype=MIME[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
