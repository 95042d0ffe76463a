"""The daily report (SPEC §7) for the commune, on screen and as CSV or XLSX.

Rows are rendered from the report's own column list, whatever columns it
grows, so the page, the download and ``gateway report daily`` stay one report.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from flask import Blueprint, Response, render_template, request

from gateway.console.audit_trail import audit
from gateway.console.scoping import commune, today
from gateway.services import reports

bp = Blueprint("reports", __name__, url_prefix="/reports")

MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _day() -> dt.date:
    """The day asked for; a malformed or future date means today."""
    current = today()
    try:
        asked = dt.date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        return current
    return min(asked, current)


def _cells(row: object) -> list[object]:
    values = dataclasses.asdict(row)  # type: ignore[call-overload]
    return [values.get(column, "") for column in reports.COLUMNS]


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
        rows=[_cells(row) for row in rows],
    )


@bp.get("/daily.<any(csv, xlsx):fmt>")
def download(fmt: str) -> Response:
    day = _day()
    rows = reports.daily_report(day, commune().code)
    body = reports.to_csv(rows) if fmt == "csv" else reports.to_xlsx(rows)
    audit("report_export", f"{day.isoformat()} {fmt}")
    name = f"daily-{commune().code}-{day.isoformat()}.{fmt}"
    return Response(
        body, mimetype=MIME[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
