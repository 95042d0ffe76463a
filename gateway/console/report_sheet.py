"""The daily report as a commune forwards it: one sheet a district officer can read.

``gateway report daily`` keeps SPEC §3's machine column names for scripts; the
console's workbook is for people: headings in the reader's language, the
commune's name, the day and the declaration deadline above the table, and the
totals as the last row of the same sheet.
"""

from __future__ import annotations

import datetime as dt
import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from db.models import Commune
from gateway.console.formatting import column_label
from gateway.services import reports
from gateway.services.safe_cells import neutralised

DECLARATION_DEADLINE = "14:00"
"""Households declare by 14:00 local time (DOMAIN.md); the sheet says so."""


def heading_lines(commune: Commune, day: dt.date) -> list[str]:
    """What the sheet and the printed page say above the table."""
    return [
        _("Daily health declaration report"),
        _("Commune: %(name)s (%(code)s)", name=commune.name, code=commune.code),
        _("Date: %(day)s", day=day.strftime("%d/%m/%Y")),
        _("Declaration deadline: %(time)s", time=DECLARATION_DEADLINE),
    ]


def table(rows: list[reports.TeamRow], commune: Commune) -> list[list[object]]:
    """The team rows then the commune's totals row, the commune shown by its name."""
    lines: list[list[object]] = []
    for row in [*rows, *reports.totals(rows)]:
        values: list[object] = []
        for column in reports.COLUMNS:
            value = getattr(row, column)
            if column == "commune":
                value = commune.name if value == commune.code else value
            elif column == "team" and value == reports.TOTAL:
                value = _("Total")
            values.append(value)
        lines.append(neutralised(values))  # team names never run as formulas
    return lines


def to_xlsx(rows: list[reports.TeamRow], commune: Commune, day: dt.date) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Report")[:31]
    for line in heading_lines(commune, day):
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append([column_label(column) for column in reports.COLUMNS])
    header = sheet.max_row
    for cell in sheet[header]:
        cell.font = Font(bold=True)
    for values in table(rows, commune):
        sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=3)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
