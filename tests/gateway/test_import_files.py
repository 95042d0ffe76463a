"""Files as spreadsheets write them, new columns, and what the report says about reach.

The two CSV files under ``files/`` were saved by LibreOffice Calc (headless,
``soffice --convert-to csv``) from one sheet: all cells quoted with ``,``, and
minimal quoting with ``;`` as a European-locale spreadsheet writes. Excel's
"CSV UTF-8" adds a byte-order mark, tested by prefixing one.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from db.models import Commune, Household, HouseholdPhone
from tests.gateway.test_import import COMMUNES, write_csv

FILES = Path(__file__).with_name("files")
SAVED = ["households-libreoffice-comma.csv", "households-libreoffice-semicolon.csv"]


@pytest.fixture
def commune_ab(runner, tmp_path):
    result = runner.invoke(args=["import", str(write_csv(tmp_path / "c.csv", COMMUNES))])
    assert result.exit_code == 0, result.output


def _households() -> dict[str, tuple]:
    return {
        h.code: (
            h.head_name,
            h.village,
            h.team.name,
            h.people,
            h.phone_kind,
            sorted((p.phone, p.kind) for p in h.phones),
        )
        for h in Household.select()
    }


EXPECTED = {
    "AB101": ('Nguyen "Ba" Van', "Xóm 1, Đông", "Thôn Đông", 4, "basic",
              [("+842043123456", "landline"), ("+84912345101", "mobile")]),
    "AB102": ("Tran, Thi Cuc", "Đông", "Thôn Đông", 2, "basic", [("+84912345102", "mobile")]),
    "AB103": ('Lê Văn "Út", con', "Đoài\nngõ 3", "Thon Doai", 1, "none", []),
    "AB104": ("Phạm Thị Hoa; Mai", "Đoài", "Thon Doai", 3, "landline",
              [("+842043123457", "landline")]),
}  # fmt: skip


@pytest.mark.parametrize("name", SAVED)
def test_a_file_saved_by_a_spreadsheet_imports_exactly_and_again_unchanged(
    commune_ab, runner, name
):
    first = runner.invoke(args=["import", str(FILES / name)])
    assert first.exit_code == 0, first.output
    assert "households: 4 created, 0 updated, 0 unchanged, 0 rejected" in first.output
    assert _households() == EXPECTED
    again = runner.invoke(args=["import", str(FILES / name)])
    assert "households: 0 created, 0 updated, 4 unchanged, 0 rejected" in again.output


def test_excel_csv_utf8_with_a_byte_order_mark(commune_ab, runner, tmp_path):
    path = tmp_path / "excel.csv"
    rows = (FILES / SAVED[0]).read_text(encoding="utf-8").replace("\n", "\r\n")
    # Excel ends rows with CRLF and keeps a line break inside a cell as LF.
    rows = rows.replace("Đoài\r\nngõ", "Đoài\nngõ")
    path.write_bytes(codecs.BOM_UTF8 + rows.encode())
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert _households() == EXPECTED


def test_the_report_names_households_no_sms_can_reach(commune_ab, runner):
    result = runner.invoke(args=["import", str(FILES / SAVED[0])])
    assert "cannot be reached by SMS (landline only): 1 households: AB104" in result.output
    assert "cannot be reached by SMS (no phone): 1 households: AB103" in result.output
    assert "commune AB has no duty mobile (health_station_mobile)" in result.output


def test_a_station_duty_mobile_must_be_a_mobile(runner, tmp_path):
    rows = [
        ["commune_code", "commune_name", "health_station_phone", "health_station_mobile"],
        ["AB", "Xa An Binh", "0204 3878 115", "0912 000 115"],
        ["CD", "Xa Cam Dong", "0204 3878 116", "0204 3878 117"],
        ["EF", "Xa E", "0204 3878 118", ""],
    ]
    result = runner.invoke(args=["import", str(write_csv(tmp_path / "c.csv", rows))])
    assert result.exit_code == 1
    assert "row 3: health_station_mobile +842043878117 is a landline" in result.output
    assert "warning: row 4: commune EF has no duty mobile" in result.output
    assert Commune.get(Commune.code == "AB").health_station_mobile == "+84912000115"
    assert Commune.get(Commune.code == "EF").health_station_mobile is None
    assert not Commune.select().where(Commune.code == "CD").exists()


def test_a_quoted_comma_never_shifts_columns(commune_ab, runner, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(
        "commune_code,team,household_code,head_name,phones\n"
        'AB,Thon 1,H1,"Nguyen ""Ba"" Van","0912 345 678"\n'
        'AB,"Thon 1, xom 2",H2,"Tran, Thi",\n',
        encoding="utf-8",
    )
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert Household.get(Household.code == "H1").head_name == 'Nguyen "Ba" Van'
    h2 = Household.get(Household.code == "H2")
    assert (h2.head_name, h2.team.name) == ("Tran, Thi", "Thon 1, xom 2")
    assert HouseholdPhone.get().phone == "+84912345678"


def test_excel_unicode_text_is_utf16_with_tabs(commune_ab, runner, tmp_path):
    rows = (FILES / SAVED[1]).read_text(encoding="utf-8").replace(";", "\t")
    rows = rows.replace('"Phạm Thị Hoa\t Mai"', '"Phạm Thị Hoa; Mai"')
    rows = rows.replace('"0912 345 101\t 0204 3123 456"', '"0912 345 101; 0204 3123 456"')
    path = tmp_path / "unicode.txt"
    path.write_text(rows, encoding="utf-16")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert _households() == EXPECTED
