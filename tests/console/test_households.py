"""Households: search, filters, edit, export."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from db.base import utcnow
from db.models import Declaration, Household, HouseholdPhone
from db.search import fold
from gateway.services.callers import local_today
from tests import factories
from tests.console.conftest import post
from tests.console.test_import import _previewed


def _codes(client, query: str = "") -> list[str]:
    page = client.get(f"/console/c/AB/households/?{query}").get_data(as_text=True)
    return [code for code in ("AB001", "AB002", "AB003", "CD001") if f">{code}<" in page]


def test_the_list_holds_the_communes_households(admin, world):
    assert _codes(admin) == ["AB001", "AB002"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=AB002", ["AB002"]),
        ("q=head+ab001", ["AB001"]),
        ("q=0912+000+002", ["AB002"]),
        ("q=Dong", ["AB001"]),
        ("phone_kind=none", ["AB002"]),
        ("declared=yes", ["AB001"]),
        ("declared=no", ["AB002"]),
        ("state=pending", []),
        ("team=999999", []),
        ("declared=maybe&phone_kind=fax&page=x", ["AB001", "AB002"]),
    ],
)
def test_search_and_filters(admin, world, query, expected):
    Declaration.create(
        commune=world.ab,
        household=world.household,
        local_date=local_today(world.ab, "Asia/Ho_Chi_Minh", utcnow()),
        kind="well",
        channel="sms",
    )
    assert _codes(admin, query) == expected


@pytest.mark.parametrize(
    "typed", ["Phuong", "phương", "PHUONG", "Phu\u031bo\u031b\u0300ng", "nguyen thi"]
)
def test_search_ignores_accents_and_case(admin, world, typed):
    Household.update(head_name="Nguyễn Thị Phương", village="Thôn Đoài").where(
        Household.id == world.quiet.id
    ).execute()
    assert _codes(admin, f"q={typed}") == ["AB002"]
    assert _codes(admin, "q=thon+doai") == ["AB002"]
    assert _codes(admin, "q=Đoài") == ["AB002"]


def test_folding_covers_every_vietnamese_letter():
    letters = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
    assert (
        fold(letters + letters.upper())
        == fold("aaaaaaaaaaaaaaaaadeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyy") * 2
    )


def test_filter_by_team(admin, world):
    assert _codes(admin, f"team={world.other_team.id}") == ["AB002"]


def test_pages_of_fifty(admin, world):
    for number in range(3, 60):
        factories.household(world.team, f"AB{number:03d}")
    first = admin.get("/console/c/AB/households/").get_data(as_text=True)
    assert "Trang 1 / 2" in first and first.count('href="/console/c/AB/households/') >= 50
    second = admin.get("/console/c/AB/households/?page=2").get_data(as_text=True)
    assert "AB059" in second and "AB003" not in second


def _edit(client, household, **changes):
    data = {
        "head_name": household.head_name,
        "village": household.village,
        "people": household.people,
        "phones": "",
        "phone_kind": household.phone_kind,
        "language": household.language,
        "team": household.team_id,
        "member": household.member_id or 0,
        "confirmed": "y",
        **changes,
    }
    return post(client, f"/console/c/AB/households/{household.id}", data)


def test_edit_normalises_phones_and_reassigns(admin, world):
    response = _edit(
        admin,
        world.quiet,
        head_name="Nguyen Thi Mai",
        phones="0912 345 678; +84 988-000-777",
        member=world.leader.id,
        people=4,
        phone_kind="basic",
    )
    assert response.status_code == 302
    household = Household.get_by_id(world.quiet.id)
    assert (household.head_name, household.member_id, household.people) == (
        "Nguyen Thi Mai",
        world.leader.id,
        4,
    )
    phones = {p.phone for p in HouseholdPhone.select().where(HouseholdPhone.household == household)}
    assert phones == {"+84912345678", "+84988000777"}


def test_edit_shows_the_importers_reason_and_changes_nothing(admin, world):
    response = _edit(admin, world.quiet, head_name="Changed", phones="12")
    assert response.status_code == 200
    assert "phones &#39;12&#39;" in response.get_data(as_text=True)
    assert Household.get_by_id(world.quiet.id).head_name == world.quiet.head_name


def test_a_phone_owned_by_another_household_is_refused(admin, world):
    response = _edit(admin, world.quiet, phones="0912000001")
    assert "số +84912000001 đã thuộc hộ AB001" in response.get_data(as_text=True)


def test_a_pending_household_is_confirmed_and_can_opt_out(admin, world):
    Household.update(state="pending").where(Household.id == world.quiet.id).execute()
    _edit(admin, world.quiet, confirmed="y", opted_out="y")
    household = Household.get_by_id(world.quiet.id)
    assert (household.state, household.opted_out) == ("confirmed", True)
    _edit(admin, household, confirmed="", opted_out="")
    assert Household.get_by_id(world.quiet.id).state == "pending"


def test_export_is_an_import_file_of_the_filtered_list(admin, world):
    text = admin.get("/console/c/AB/households/export.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    by_code = {row["household_code"]: row for row in rows}
    assert sorted(by_code) == ["AB001", "AB002"]
    assert by_code["AB001"]["phones"] == "+84912000001"
    assert by_code["AB001"]["member_phone"] == world.member.phone
    assert by_code["AB001"]["commune_code"] == "AB"
    one = admin.get("/console/c/AB/households/export.xlsx?q=AB002")
    assert one.headers["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(one.data)).active
    assert [cell.value for cell in sheet[2]][2] == "AB002"
    assert sheet.max_row == 2


def test_the_exported_file_imports_back_unchanged(admin, world, work):
    exported = admin.get("/console/c/AB/households/export.csv").data
    page, _ = _previewed(admin, work, exported)
    assert "giữ nguyên 2" in page
