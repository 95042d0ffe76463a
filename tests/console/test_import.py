"""Importing a household file from the console: preview first, per-row errors, then commit."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook

from db.models import Household, Member, Team
from tests.console.conftest import post

HEADER = "commune_code,team,household_code,head_name,village,phones,people,phone_kind,member_phone"
GOOD = [
    "AB,Thon Dong,AB010,Nguyen Van Binh,Dong,0912 111 222,3,basic,0988000001",
    ",Thon Moi,AB011,Tran Thi Cuc,Moi,,2,none,",
]
BAD = [
    "AB,Thon Dong,AB012,Le Van Dat,Dong,12345,2,basic,",
    "CD,Thon Bac,CD099,Pham Van E,Bac,,1,basic,",
    "AB,Thon Dong,AB013,Vu Thi Ha,Dong,,2,fax,",
]


def _csv(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def _upload(client, body: bytes, name: str = "households.csv"):
    return post(client, "/console/c/AB/households/import", {"file": (io.BytesIO(body), name)})


def _confirm(client, preview_page: str):
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', preview_page)
    assert token, "no confirm form on the preview"
    return post(client, "/console/c/AB/households/import/confirm", {"token": token.group(1)})


def test_preview_lists_counts_and_row_errors_and_writes_nothing(admin, world):
    page = _upload(admin, _csv(*GOOD, *BAD)).get_data(as_text=True)
    assert "thêm mới 2" in page
    assert "3 dòng có lỗi" in page
    assert re.search(r"<td>4</td><td>phones &#39;12345&#39;", page)
    assert "<td>5</td><td>dòng này thuộc xã khác</td>" in page
    assert "<td>6</td><td>phone_kind &#39;fax&#39;" in page
    assert not Household.select().where(Household.code.in_(["AB010", "AB011"])).exists()
    assert not Team.select().where(Team.name == "Thon Moi").exists()


def test_confirm_imports_the_good_rows_into_this_commune_only(admin, world):
    preview = _upload(admin, _csv(*GOOD, *BAD)).get_data(as_text=True)
    done = _confirm(admin, preview).get_data(as_text=True)
    assert "2 mới, 0 cập nhật, 0 giữ nguyên" in done
    assert "<td>5</td>" in done  # the bad rows are listed again
    new = Household.get(Household.code == "AB010")
    assert (new.commune_id, new.member_id) == (world.ab.id, world.member.id)
    assert Household.get(Household.code == "AB011").team.name == "Thon Moi"
    assert not Household.select().where(Household.code == "CD099").exists()
    again = _confirm(admin, preview)
    assert again.status_code == 400  # a preview is confirmed once


def test_an_xlsx_file_and_a_member_file(admin, world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["commune_code", "team", "name", "phone", "role"])
    sheet.append(["AB", "Thon Dong", "Do Van Khoa", "0988 000 555", "deputy"])
    body = io.BytesIO()
    workbook.save(body)
    preview = _upload(admin, body.getvalue(), "members.xlsx").get_data(as_text=True)
    assert "thêm mới 1" in preview
    _confirm(admin, preview)
    member = Member.get(Member.phone == "+84988000555")
    assert (member.role, member.team.commune_id) == ("deputy", world.ab.id)


def test_a_file_that_is_not_a_household_file_is_refused_whole(admin, world):
    communes = b"commune_code,commune_name,health_station_phone\nZZ,Xa Z,0220 3123 999\n"
    response = _upload(admin, communes)
    assert response.status_code == 400
    assert "Ở đây chỉ nhập được" in response.get_data(as_text=True)
    unknown = _upload(admin, b"name,age\nAn,3\n")
    assert unknown.status_code == 400
    assert "matches no kind of file" in unknown.get_data(as_text=True)
    latin1 = _upload(admin, HEADER.encode() + "\nAB,Thôn,AB1,Lê\n".encode("latin-1"))
    assert "not UTF-8" in latin1.get_data(as_text=True)


def test_only_csv_and_xlsx_are_accepted(admin, world):
    response = _upload(admin, _csv(*GOOD), "households.pdf")
    assert response.status_code == 400
    assert "Chỉ nhận tệp .csv hoặc .xlsx" in response.get_data(as_text=True)


def test_a_file_larger_than_the_webhooks_limit_is_fine(admin, world):
    lines = [f"AB,Thon Dong,AB{n:04d},Nguyen Van {n},Dong,,2,basic," for n in range(1, 2000)]
    body = _csv(*lines)
    assert len(body) > 64 * 1024
    preview = _upload(admin, body).get_data(as_text=True)
    assert "thêm mới 1999" in preview


def test_the_preview_of_another_session_cannot_be_confirmed(as_user, world):
    admin, other = as_user("admin"), as_user("admin")
    preview = _upload(admin, _csv(*GOOD)).get_data(as_text=True)
    assert _confirm(other, preview).status_code == 400
    assert not Household.select().where(Household.code == "AB010").exists()
