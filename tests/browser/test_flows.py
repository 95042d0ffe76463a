"""What staff do in a real browser: import, schedule, follow a case, train on the simulator."""

from __future__ import annotations

import urllib.parse
import urllib.request
from pathlib import Path

from db.base import database
from db.models import Case, Commune, Declaration, Household, ReminderSchedule
from flows.encoding import measure
from flows.reminder_texts import variants, with_samples
from gateway.services import placeholder_samples
from tests.browser.conftest import log_in
from tests.support import until

HOUSEHOLDS = """commune_code,team,household_code,head_name,village,phones,people,phone_kind
DEMO,Thon Dong,AB901,Nguyen Thi Hong,Thon Dong,0912 777 001,3,basic
DEMO,Thon Moi,AB902,Tran Van Khanh,Thon Moi,,2,none
DEMO,Thon Dong,AB903,Le Van Loc,Thon Dong,12345,2,basic
CD,Thon Bac,CD902,Pham Thi Mo,Thon Bac,,1,basic
"""


def test_log_in_and_see_today(page, shots: Path):
    page.goto("/console/c/DEMO/today/")
    assert "/console/login" in page.url
    log_in(page)
    assert page.url.endswith("/console/c/DEMO/today/")
    assert page.locator("h1").inner_text().startswith("Hôm nay")
    assert page.locator(".progress").count() == 3
    assert page.locator("svg.chart rect").count() == 14
    page.screenshot(path=shots / "today.png", full_page=True)


def test_import_a_household_file_through_the_preview(page, worker, shots: Path, tmp_path: Path):
    log_in(page)
    page.click("nav.pages >> text=Hộ gia đình")
    page.click("text=Nhập tệp")
    upload = tmp_path / "ho-gia-dinh.csv"
    upload.write_text(HOUSEHOLDS, encoding="utf-8")
    page.set_input_files("input[type=file]", str(upload))
    page.click("button.primary")
    preview = page.locator("#preview")
    preview.wait_for()  # the worker previews; console.js reloads the page when it is done
    assert "Khi nhập sẽ thêm mới 2" in preview.inner_text()
    errors = preview.locator("table.errors tbody tr")
    assert errors.count() == 2
    assert "12345" in errors.nth(0).inner_text() and "xã khác" in errors.nth(1).inner_text()
    assert not Household.select().where(Household.code == "AB901").exists()
    page.screenshot(path=shots / "import-preview.png", full_page=True)
    page.click("text=Nhập các dòng hợp lệ")
    page.locator("#result").wait_for()
    assert "2 mới" in page.locator("#result").inner_text()
    assert Household.get(Household.code == "AB902").team.name == "Thon Moi"
    assert not Household.select().where(Household.code.in_(["AB903", "CD902"])).exists()
    database.close()


def test_create_a_schedule_watching_the_segment_counter(page, shots: Path):
    log_in(page)
    page.goto("/console/c/DEMO/schedules/new")
    page.fill("input[name=name]", "Nhac khai bao buoi trua")
    page.select_option("select[name=audience]", "not_declared")
    page.fill("input[name=times]", "12:30")
    for day in "12345":
        page.check(f"input[name=weekdays][value='{day}']")
    counter = page.locator("#counter")
    plain = "Nho khai bao suc khoe truoc 14:00 hom nay. Bam *384*123# hoac nhan tin 1 toi 8080."
    page.fill("textarea[name=template]", plain)
    assert counter.inner_text().startswith(f"GSM-7 · {len(plain)} ký tự · 1 tin")
    page.fill("textarea[name=template]", "")
    page.type("textarea[name=template]", "Nhớ khai báo sức khỏe trước 14:00 hôm nay nhé! " * 2)
    assert counter.inner_text().startswith("UCS-2")
    assert "· 2 tin" in counter.inner_text()
    two = "Nho khai bao truoc {deadline}, HD de xem cach bao.\nen: Please declare by {deadline}."
    page.fill("textarea[name=template]", two)
    samples = placeholder_samples.longest_values(Commune.get(Commune.code == "DEMO"))
    database.close()
    expected = " | ".join(
        f"{language}: GSM-7 · {measure(with_samples(text, samples)).length} ký tự · 1 tin"
        for language, text in variants(two).items()
    )
    assert counter.inner_text() == expected
    # Counted by its name, {team_leader_phone} would make this UCS-2 text two SMS.
    named = "Nhớ khai báo sức khỏe hôm nay nhé, có gì gọi tổ trưởng: {team_leader_phone}"
    page.fill("textarea[name=template]", named)
    sent = measure(with_samples(named, samples))
    assert measure(named).segments == 2 and sent.segments == 1
    assert counter.inner_text() == f"UCS-2 · {sent.length} ký tự · 1 tin"
    page.fill("textarea[name=template]", "")
    page.type("textarea[name=template]", "Nhớ khai báo sức khỏe trước 14:00 hôm nay nhé! " * 2)
    page.screenshot(path=shots / "schedule-form.png", full_page=True)
    samples = ["", "a" * 160, "a" * 161, "€" * 80, "é" * 153, "ế" * 70, "ế" * 71, "😀" * 40]
    for text in samples:
        counted = page.evaluate("text => window.measureSms(text)", text)
        expected = measure(text)
        assert (counted["encoding"], counted["length"], counted["segments"]) == (
            expected.encoding,
            expected.length,
            expected.segments,
        ), text
    page.fill("textarea[name=template]", plain)
    page.click("button.primary")
    assert page.url.endswith("/console/c/DEMO/schedules/")
    row = page.locator("tr", has_text="Nhac khai bao buoi trua")
    assert "12:30" in row.inner_text() and "GSM-7 · 1 tin" in row.inner_text()
    schedule = ReminderSchedule.get(ReminderSchedule.name == "Nhac khai bao buoi trua")
    assert (schedule.audience, schedule.weekdays, schedule.template) == (
        "not_declared",
        "12345",
        plain,
    )
    page.screenshot(path=shots / "schedules.png", full_page=True)
    database.close()


def _dial(server_url: str, session: str, text: str) -> str:
    """A household's phone, as Africa's Talking posts it to the live server."""
    body = urllib.parse.urlencode(
        {"sessionId": session, "serviceCode": "*384*123#", "phoneNumber": "0912000005",
         "text": text, "networkCode": "45204"}
    ).encode()  # fmt: skip
    request = urllib.request.Request(f"{server_url}/webhooks/africastalking/ussd", data=body)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode()


def test_follow_a_case_from_open_to_resolved(page, server, shots: Path):
    for text in ("", "2", "2*12", "2*12*2", "2*12*2*385"):
        screen = _dial(server.url, "browser-case", text)
    assert screen.startswith("END ")
    case = Case.select().order_by(Case.id.desc()).first()
    database.close()
    log_in(page)
    page.click("nav.pages >> text=Ca báo")
    page.click(f"a[href$='/cases/{case.id}']")
    assert "Mới mở" in page.locator("h1").inner_text()
    assert "sốt, ho" in page.locator("dl.facts").inner_text()
    page.click("#acknowledge")
    assert f"Đã nhận ca {case.id}" in page.locator(".flash").inner_text()
    assert "Đã nhận" in page.locator("h1").inner_text()
    page.fill("textarea[name=note]", "Tram y te da den kham, cach ly tai nha")
    page.click("#resolve")
    assert "Đã xử lý" in page.locator("h1").inner_text()
    timeline = page.locator("ol.timeline").inner_text()
    for step in ("mở ca", "đã báo tin", "đã nhận", "đã xử lý", "[admin]"):
        assert step in timeline
    page.screenshot(path=shots / "case.png", full_page=True)
    resolved = Case.get_by_id(case.id)
    assert resolved.state == "resolved"
    assert resolved.resolution_note == "Tram y te da den kham, cach ly tai nha"
    database.close()


def test_ussd_simulator_through_a_declaration(page, worker, shots: Path):
    """The declaration waits in the inbox until the worker records it, as a real one."""
    log_in(page)
    page.goto("/console/c/DEMO/simulator/")
    page.select_option("select[name=phone]", "+84912000003")
    page.click("#dial")
    screen = page.locator("#screen")
    screen.filter(has_text="1 Ca nha khoe").wait_for()
    page.click(".key[data-key='1']")
    page.click("#send")
    page.locator("#log .log-ended").wait_for()
    assert "END" not in screen.inner_text() and screen.inner_text()
    page.screenshot(path=shots / "simulator.png", full_page=True)
    recorded = (
        Declaration.select()
        .join(Household)
        .where(Household.code == "AB003", Declaration.source_ref.startswith("ussd:sim-"))
    )
    until(recorded.exists, "the worker to record the declaration")
    declaration = recorded.get()
    assert (declaration.kind, declaration.channel) == ("well", "ussd")
    assert declaration.source_ref.startswith("ussd:sim-")
    database.close()
