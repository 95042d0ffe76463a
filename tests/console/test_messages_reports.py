"""Messages with their delivery state, and the daily report on screen and downloaded."""

from __future__ import annotations

import dataclasses
import io

from openpyxl import load_workbook

from db.base import utcnow
from db.models import Declaration, InboundMessage, OutboundMessage
from gateway.services import reports
from gateway.services.callers import local_today
from tests.console.conftest import csrf_token


def _messages(world) -> None:
    OutboundMessage.create(phone="+84912000001", text="Nho khai bao", household=world.household)
    OutboundMessage.create(
        phone=world.member.phone,
        text="Ca 7: khan",
        state="failed",
        failure_reason="UserInBlackList",
    )
    OutboundMessage.create(phone="+84912000101", text="Foreign", household=world.foreign_household)
    InboundMessage.create(phone="+84912000001", text="1", provider_id="a")
    InboundMessage.create(phone="+84912000101", text="2 13", provider_id="b")


def test_outbound_messages_with_their_delivery_state(admin, world):
    _messages(world)
    page = admin.get("/console/c/AB/messages/").get_data(as_text=True)
    assert "Nho khai bao" in page and "Ca 7: khan" in page and "Foreign" not in page
    assert "delivery-failed" in page and "không gửi được" in page
    assert "thuê bao chặn tin nhắn quảng cáo" in page and ">UserInBlackList<" not in page
    failed = admin.get("/console/c/AB/messages/?state=failed").get_data(as_text=True)
    assert "Ca 7: khan" in failed and "Nho khai bao" not in failed
    by_phone = admin.get("/console/c/AB/messages/?phone=0988+000+001").get_data(as_text=True)
    assert "Ca 7: khan" in by_phone and "Nho khai bao" not in by_phone


def test_inbound_messages_of_the_commune(admin, world):
    _messages(world)
    page = admin.get("/console/c/AB/messages/?box=in").get_data(as_text=True)
    assert "+84912000001" in page and "+84912000101" not in page


def test_the_report_page_shows_every_column_of_the_report(admin, world):
    day = local_today(world.ab, "Asia/Ho_Chi_Minh", utcnow())
    Declaration.create(
        commune=world.ab, household=world.household, local_date=day, kind="well", channel="sms"
    )
    page = admin.get("/console/c/AB/reports/").get_data(as_text=True)
    assert page.count("<th>") >= len(reports.COLUMNS)
    assert "Số người có triệu chứng" in page
    assert "Thon Bac" not in page


def test_the_csv_download_is_the_report_with_a_byte_order_mark(admin, world):
    day = local_today(world.ab, "Asia/Ho_Chi_Minh", utcnow())
    body = admin.get(f"/console/c/AB/reports/daily.csv?date={day}").data
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.decode("utf-8-sig") == reports.to_csv(reports.daily_report(day, "AB"))


def test_the_xlsx_is_a_sheet_a_commune_can_forward(admin, world):
    day = local_today(world.ab, "Asia/Ho_Chi_Minh", utcnow())
    Declaration.create(
        commune=world.ab, household=world.household, local_date=day, kind="well", channel="sms"
    )
    xlsx = admin.get("/console/c/AB/reports/daily.xlsx")
    assert f"daily-AB-{day}.xlsx" in xlsx.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(xlsx.data))
    assert len(workbook.sheetnames) == 1
    lines = [[cell for cell in row] for row in workbook.active.iter_rows(values_only=True)]
    heading = [line[0] for line in lines[:4]]
    assert heading[0] == "Báo cáo khai báo y tế hằng ngày"
    assert heading[1] == "Xã: Xa An Binh (AB)"
    assert heading[2] == f"Ngày: {day.strftime('%d/%m/%Y')}"
    assert heading[3] == "Hạn khai báo: 14:00"
    header = lines[5]
    assert header[:4] == ["Xã", "Tổ", "Hộ gia đình", "Đã khai báo"]
    assert "Số người có triệu chứng" in header
    teams = reports.daily_report(day, "AB")
    body = lines[6:]
    assert len(body) == len(teams) + 1
    assert all(line[0] == "Xa An Binh" for line in body)
    total = dict(zip(header, body[-1], strict=True))
    assert total["Tổ"] == "Tổng"
    assert total["Đã khai báo"] == sum(team.declared for team in teams) == 1
    assert total["Hộ gia đình"] == sum(team.households for team in teams)


def test_the_xlsx_speaks_english_on_the_switch(admin, world):
    admin.post(
        "/console/language",
        data={"csrf_token": csrf_token(admin), "lang": "en", "next": "/console/"},
    )
    sheet = load_workbook(io.BytesIO(admin.get("/console/c/AB/reports/daily.xlsx").data)).active
    assert sheet["A1"].value == "Daily health declaration report"
    assert [cell.value for cell in sheet[6]][:3] == ["Commune", "Team", "Households"]
    assert sheet.cell(row=sheet.max_row, column=2).value == "Total"


def test_the_print_page_has_the_heading_and_the_totals_row(admin, world):
    page = admin.get("/console/c/AB/reports/").get_data(as_text=True)
    assert "Xã: Xa An Binh (AB)" in page and "Hạn khai báo: 14:00" in page
    assert 'class="total"' in page and "Tổng" in page
    assert 'class="print-page"' in page


def test_a_bad_or_future_date_means_today(admin, world):
    day = local_today(world.ab, "Asia/Ho_Chi_Minh", utcnow())
    for asked in ("2999-01-01", "yesterday"):
        page = admin.get(f"/console/c/AB/reports/?date={asked}").get_data(as_text=True)
        assert f'value="{day.isoformat()}"' in page


def test_a_route_whose_reports_stop_at_the_operator_says_so(app, admin, world):
    assert 'role="note"' not in admin.get("/console/c/AB/messages/").get_data(as_text=True)
    app.config["SETTINGS"] = dataclasses.replace(
        app.config["SETTINGS"],
        sms_provider="kannel",
        kannel_sendsms_url="http://127.0.0.1:9/cgi-bin/sendsms",
        kannel_username="gateway",
        kannel_password="secret",
        public_url="http://127.0.0.1:5000",
        kannel_reports_submit_only=True,
    )
    app.extensions.pop("sms_provider", None)
    page = admin.get("/console/c/AB/messages/").get_data(as_text=True)
    assert 'role="note"' in page and "nhà mạng chỉ báo đã nhận tin" in page
