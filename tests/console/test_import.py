"""Importing a household file from the console: a background preview with every row's
error, then a background commit, each followed by a progress bar."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from db.models import Household, ImportRun, Member, Team
from gateway.services.staff import create_staff
from tests.console.conftest import PASSWORD, csrf_token, post

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
    """Post the file as a browser does: one multipart body, encoded in memory (the test
    client's own encoder spools a large body to a temporary file it never closes)."""
    fields = {"csrf_token": csrf_token(client, "/console/c/AB/households/import"),
              "file": FileStorage(io.BytesIO(body), name)}  # fmt: skip
    boundary, encoded = encode_multipart(fields)
    return client.post(
        "/console/c/AB/households/import",
        data=encoded,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def _previewed(client, work, body: bytes, name: str = "households.csv") -> tuple[str, str]:
    """Upload, let the worker preview, and return the run's page and address."""
    response = _upload(client, body, name)
    assert response.status_code == 302, response.get_data(as_text=True)
    waiting = client.get(response.location).get_data(as_text=True)
    assert "data-import-status" in waiting  # the progress bar, until a worker runs
    work()
    return client.get(response.location).get_data(as_text=True), response.location


def _confirm(client, work, address: str) -> str:
    response = post(client, address + "/confirm", page=address)
    assert response.status_code == 302, response.get_data(as_text=True)
    work()
    return client.get(address).get_data(as_text=True)


def test_preview_lists_counts_and_row_errors_and_writes_nothing(admin, world, work):
    page, _ = _previewed(admin, work, _csv(*GOOD, *BAD))
    assert "thêm mới 2" in page
    assert "3 dòng có lỗi" in page
    assert re.search(r"<td>4</td><td>phones &#39;12345&#39;: quá ngắn", page)
    assert "<td>5</td><td>dòng này thuộc xã khác</td>" in page
    assert "<td>6</td><td>phone_kind &#39;fax&#39; không thuộc" in page
    assert "1 hộ không liên lạc được bằng SMS" in page and "AB011" in page
    assert "xã AB chưa có số di động trực" in page
    assert not Household.select().where(Household.code.in_(["AB010", "AB011"])).exists()
    assert not Team.select().where(Team.name == "Thon Moi").exists()


def test_confirm_imports_the_good_rows_into_this_commune_only(admin, world, work):
    _, address = _previewed(admin, work, _csv(*GOOD, *BAD))
    done = _confirm(admin, work, address)
    assert "2 mới, 0 cập nhật, 0 giữ nguyên" in done
    assert "<td>5</td>" in done  # the bad rows are listed again
    new = Household.get(Household.code == "AB010")
    assert (new.commune_id, new.member_id) == (world.ab.id, world.member.id)
    assert Household.get(Household.code == "AB011").team.name == "Thon Moi"
    assert not Household.select().where(Household.code == "CD099").exists()
    again = post(admin, address + "/confirm", page=address)
    assert again.status_code == 400  # a preview is confirmed once


def test_errors_are_shown_in_english_on_the_switch(admin, world, work):
    _, address = _previewed(admin, work, _csv(*BAD))
    admin.post("/console/language", data={"csrf_token": _token(admin), "lang": "en"})
    page = admin.get(address).get_data(as_text=True)
    assert "phones &#39;12345&#39;: too short" in page
    assert "this row is for another commune" in page


def _token(client) -> str:
    page = client.get("/console/c/AB/today/").get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def test_an_xlsx_file_and_a_member_file(admin, world, work):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["commune_code", "team", "name", "phone", "role"])
    sheet.append(["AB", "Thon Dong", "Do Van Khoa", "0988 000 555", "deputy"])
    body = io.BytesIO()
    workbook.save(body)
    page, address = _previewed(admin, work, body.getvalue(), "members.xlsx")
    assert "thêm mới 1" in page
    _confirm(admin, work, address)
    member = Member.get(Member.phone == "+84988000555")
    assert (member.role, member.team.commune_id) == ("deputy", world.ab.id)


def test_a_file_that_is_not_a_household_file_is_refused_whole(admin, world, work):
    communes = b"commune_code,commune_name,health_station_phone\nZZ,Xa Z,0220 3123 999\n"
    page, _ = _previewed(admin, work, communes)
    assert "Ở đây chỉ nhập được" in page
    unknown, _ = _previewed(admin, work, b"name,age\nAn,3\n")
    assert "dòng tiêu đề không khớp loại tệp nào" in unknown
    latin1, _ = _previewed(admin, work, HEADER.encode() + "\nAB,Thôn,AB1,Lê\n".encode("latin-1"))
    assert "không phải văn bản UTF-8" in latin1


def test_only_csv_and_xlsx_are_accepted(admin, world):
    response = _upload(admin, _csv(*GOOD), "households.pdf")
    assert response.status_code == 400
    assert "Chỉ nhận tệp .csv hoặc .xlsx" in response.get_data(as_text=True)


def test_a_district_file_is_previewed_in_pages_and_imported(admin, world, work):
    """20,000 rows (about 1 MB): far past the old 64 KiB form limit and 20,000-row cap."""
    lines = [
        f"AB,Thon {n % 12},AB{n:05d},Nguyen Van {n},Dong,{'12345' if n % 100 == 0 else ''},2,basic,"
        for n in range(1, 20_001)
    ]
    body = _csv(*lines)
    assert len(body) > 900_000
    page, address = _previewed(admin, work, body)
    assert "thêm mới 19800" in page and "200 dòng có lỗi" in page
    assert "Trang 1 / 2" in page and "<td>101</td>" in page and "<td>20001</td>" not in page
    second = admin.get(address + "?page=2").get_data(as_text=True)
    assert "<td>20001</td>" in second and "<td>101</td>" not in second
    done = _confirm(admin, work, address)
    assert "19800 mới" in done
    assert Household.select().where(Household.commune == world.ab).count() == 19_802


def test_the_status_endpoint_follows_the_job(admin, world, work):
    response = _upload(admin, _csv(*GOOD))
    status = admin.get(response.location + "/status").get_json()
    assert status == {"state": "previewing", "done": 0, "total": 0}
    work()
    status = admin.get(response.location + "/status").get_json()
    assert status == {"state": "previewed", "done": 2, "total": 2}


def test_the_preview_of_another_user_cannot_be_confirmed_or_seen_elsewhere(as_user, world, work):
    create_staff("admin2", PASSWORD, ["AB"], "admin")
    admin, other = as_user("admin"), as_user("admin2")
    _, address = _previewed(admin, work, _csv(*GOOD))
    assert post(other, address + "/confirm", page=address).status_code == 400
    assert not Household.select().where(Household.code == "AB010").exists()
    cd = as_user("admin_cd")
    token = address.rsplit("/", 1)[1]
    assert cd.get(f"/console/c/CD/households/import/{token}").status_code == 404
    assert ImportRun.get(ImportRun.token == token).state == "previewed"


def test_a_team_that_differs_only_by_accents_or_case_is_flagged(admin, world, work):
    page, address = _previewed(
        admin,
        work,
        _csv(
            "AB,Thôn Đông,AB020,Nguyen Van A,Dong,,2,none,",
            "AB,thon doai,AB021,Nguyen Van B,Doai,,2,none,",
            "AB,Thôn Đông,AB022,Nguyen Van C,Dong,,2,none,",
        ),
    )
    assert "tổ &#39;Thôn Đông&#39; sẽ thành tổ mới bên cạnh &#39;Thon Dong&#39;" in page
    assert "tổ &#39;thon doai&#39; được hiểu là tổ đã có &#39;Thon Doai&#39;" in page
    assert page.count("Thôn Đông&#39; sẽ thành") == 1  # once per name, not per row
    _confirm(admin, work, address)
    assert Household.get(Household.code == "AB021").team_id == world.other_team.id
    assert Household.get(Household.code == "AB020").team.name == "Thôn Đông"


def test_a_file_over_the_limit_gets_the_413_page_not_a_crash(admin, world, monkeypatch):
    """The error page once rebuilt the page's forms from the refused body: a 500."""
    monkeypatch.setattr("gateway.console.UPLOAD_LIMIT", 100_000)
    lines = [f"AB,Thon Dong,AB{n:05d},Nguyen Van {n},Dong,,2,basic," for n in range(4000)]
    response = _upload(admin, _csv(*lines))
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.get_data(as_text=True)
    assert not ImportRun.select().exists()
