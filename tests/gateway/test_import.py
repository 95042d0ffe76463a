import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from db.models import Commune, Household, HouseholdPhone, Member, Team

COMMUNES = [
    ["commune_code", "commune_name", "health_station_phone", "timezone", "escalation_minutes"],
    ["AB", "Xa An Binh", "0220 3123 456", "", "7.5"],
    ["CD", "Xa Cam Dong", "84912000111", "Asia/Bangkok", ""],
]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def communes(runner, tmp_path):
    result = runner.invoke(args=["import", str(write_csv(tmp_path / "c.csv", COMMUNES))])
    assert result.exit_code == 0, result.output
    return result


def test_communes_import_with_defaults_and_decimal_minutes(communes):
    ab = Commune.get(Commune.code == "AB")
    assert ab.escalation_seconds == 450
    assert ab.timezone == "Asia/Ho_Chi_Minh"
    assert ab.health_station_phone == "+842203123456"
    assert Commune.get(Commune.code == "CD").escalation_seconds == 900


def test_members_from_xlsx_with_columns_in_any_order(communes, runner, tmp_path):
    rows = [
        ["Phone", "Name", "team", "commune_code", "role", "group", "group_leader", "extra"],
        ["0988 000 111", "Le Van Tam", "Thon 1", "AB", "leader", "", "no", "ignored"],
        ["+84 988-000-112", "Pham Thi Hoa", "Thon 1", "AB", "", "Nhom A", "yes", ""],
        ["01688000113", "Vu Van Son", "Thon 2", "AB", "health", "Nhom B", "no", ""],
    ]
    result = runner.invoke(args=["import", str(write_xlsx(tmp_path / "m.xlsx", rows))])
    assert result.exit_code == 0, result.output
    assert "members: 3 created" in result.output
    hoa = Member.get(Member.phone == "+84988000112")
    assert (hoa.role, hoa.group_leader, hoa.group.name, hoa.team.name) == (
        "member", True, "Nhom A", "Thon 1",
    )  # fmt: skip
    assert Member.get(Member.name == "Vu Van Son").phone == "+84388000113"
    assert Team.select().count() == 2


def test_bad_rows_are_reported_by_row_and_reason(communes, runner, tmp_path):
    runner.invoke(
        args=[
            "import",
            str(write_csv(tmp_path / "m.csv", [
                ["commune_code", "team", "name", "phone"],
                ["AB", "Thon 1", "Le Van Tam", "0988000111"],
            ])),
        ]
    )  # fmt: skip
    rows = [
        ["commune_code", "team", "household_code", "head_name", "phones", "people",
         "phone_kind", "language", "member_phone"],
        ["AB", "Thon 1", "H1", "Nguyen Van A", "0912 345 678; 0220 3888 999", "4", "basic", "",
         "0988000111"],
        ["AB", "Thon 1", "H2", "Tran Thi B", "12345", "", "", "", ""],
        ["ZZ", "Thon 1", "H3", "Le C", "", "", "", "", ""],
        ["AB", "Thon 1", "H4", "Le D", "0912 345 678", "", "", "", ""],
        ["AB", "Thon 1", "H5", "Le E", "", "many", "", "", ""],
        ["AB", "Thon 1", "H6", "Le F", "", "", "pager", "", ""],
        ["AB", "Thon 1", "H7", "Le G", "", "", "", "fr", ""],
        ["AB", "Thon 1", "H8", "Le H", "", "", "", "", "0999999999"],
        ["AB", "Thon 1", "", "Le I", "", "", "", "", ""],
        ["AB", "Thon 2", "H10", "Do K", "", "", "none", "vi-accents", ""],
    ]  # fmt: skip
    result = runner.invoke(args=["import", str(write_csv(tmp_path / "h.csv", rows))])
    assert result.exit_code == 1
    assert "households: 2 created, 0 updated, 0 unchanged, 8 rejected" in result.output
    for text in [
        "row 3: phones '12345'",
        "row 4: commune 'ZZ' does not exist",
        "row 5: phone +84912345678 already belongs to household H1",
        "row 6: people 'many'",
        "row 7: phone_kind 'pager'",
        "row 8: language 'fr'",
        "row 9: member_phone +84999999999 is not a member of this commune",
        "row 10: household_code must not be empty",
    ]:
        assert text in result.output
    h1 = Household.get(Household.code == "H1")
    assert h1.member.name == "Le Van Tam"
    assert {p.phone for p in h1.phones} == {"+84912345678", "+842203888999"}
    assert Household.get(Household.code == "H10").language == "vi-accents"


def test_five_thousand_rows_twice(communes, runner, tmp_path):
    header = ["commune_code", "team", "household_code", "head_name", "phones", "people"]
    rows = [header]
    for i in range(5000):
        phone = f"091{i:07d}" if i % 250 else "not a phone"
        rows.append(["AB", f"Thon {i % 12}", f"H{i:05d}", f"Head {i}", phone, str(1 + i % 6)])
    path = write_csv(tmp_path / "big.csv", rows)

    first = runner.invoke(args=["import", str(path)])
    assert first.exit_code == 1
    assert "households: 4980 created, 0 updated, 0 unchanged, 20 rejected" in first.output
    assert "row 2: phones 'not a phone'" in first.output
    assert Household.select().count() == 4980
    assert HouseholdPhone.select().count() == 4980

    second = runner.invoke(args=["import", str(path)])
    assert "households: 0 created, 0 updated, 4980 unchanged, 20 rejected" in second.output
    assert Household.select().count() == 4980


def test_a_changed_row_updates_in_place(communes, runner, tmp_path):
    header = ["commune_code", "team", "household_code", "head_name", "phones"]
    runner.invoke(args=["import", str(write_csv(tmp_path / "a.csv", [
        header, ["AB", "Thon 1", "H1", "Old Name", "0912345678"]]))])  # fmt: skip
    result = runner.invoke(args=["import", str(write_csv(tmp_path / "b.csv", [
        header, ["AB", "Thon 1", "H1", "New Name", "0912345679"]]))])  # fmt: skip
    assert "0 created, 1 updated" in result.output
    h1 = Household.get(Household.code == "H1")
    assert h1.head_name == "New Name"
    assert [p.phone for p in h1.phones] == ["+84912345679"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.csv", "a,b,c\n1,2,3\n", "matches no kind of file"),
        ("x.csv", "", "the file is empty"),
        ("x.pdf", "%PDF", "expected a .csv or .xlsx file"),
        ("x.xlsx", "not a zip", "not a readable XLSX workbook"),
    ],
)
def test_unreadable_files_get_a_clear_message(runner, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert message in result.output


def test_a_rejected_row_does_not_leave_a_phantom_team(communes, runner, tmp_path):
    rows = [
        ["commune_code", "team", "name", "phone"],
        ["AB", "New Team", "Bad Phone", "123"],
        ["AB", "New Team", "Good Phone", "0988000111"],
    ]
    result = runner.invoke(args=["import", str(write_csv(tmp_path / "m.csv", rows))])
    assert "members: 1 created, 0 updated, 0 unchanged, 1 rejected" in result.output
    assert Member.get().team.name == "New Team"


def test_communes_on_one_code_with_their_districts(communes, runner, tmp_path):
    """A province's shared USSD code and each commune's district (optional columns);
    a file without them leaves what was set."""
    rows = [
        ["commune_code", "commune_name", "health_station_phone", "district", "ussd_code"],
        ["AB", "Xa An Binh", "0220 3123 456", "Luc Nam", "*384*123#"],
        ["CD", "Xa Cam Dong", "84912000111", "Yen Dung", "*384*123#"],
    ]
    result = runner.invoke(args=["import", str(write_csv(tmp_path / "d.csv", rows))])
    assert result.exit_code == 0, result.output
    shared = Commune.select().where(Commune.ussd_code == "*384*123#").order_by(Commune.code)
    assert [(c.code, c.district) for c in shared] == [("AB", "Luc Nam"), ("CD", "Yen Dung")]
    runner.invoke(args=["import", str(write_csv(tmp_path / "c2.csv", COMMUNES))])
    assert Commune.get(Commune.code == "AB").district == "Luc Nam"
