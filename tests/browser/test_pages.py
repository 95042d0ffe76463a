"""Scoping as a browser meets it, a phone-sized screen, English, and the remaining pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.base import database
from db.models import Household
from tests.browser.conftest import log_in


def test_a_user_of_another_commune_gets_403_and_404(page, shots: Path):
    demo_household = Household.get(Household.code == "AB001")
    database.close()
    log_in(page, "admin_cd")
    assert page.url.endswith("/console/c/CD/today/")
    for path in ("today/", "households/", "cases/", "reports/daily.csv", "simulator/"):
        response = page.goto(f"/console/c/DEMO/{path}")
        assert response.status == 403, path
    assert "Bạn không có quyền" in page.locator("main").inner_text()
    page.screenshot(path=shots / "forbidden.png")
    response = page.goto(f"/console/c/CD/households/{demo_household.id}")
    assert response.status == 404
    assert page.goto("/console/c/CD/households/").status == 200
    assert "AB001" not in page.content()


def test_the_console_fits_a_phone(browser, server, shots: Path):
    context = browser.new_context(
        base_url=server.url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    log_in(page)
    for name, path in (("phone-today", "today/"), ("phone-case-list", "cases/?state=all")):
        page.goto(f"/console/c/DEMO/{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} is wider than the phone by {overflow}px"
        page.screenshot(path=shots / f"{name}.png")
    context.close()


def test_english_on_a_switch(page):
    log_in(page)
    page.click("button[value=en]")
    assert page.locator("h1").inner_text().startswith("Today")
    page.click("nav.pages >> text=Households")
    assert page.locator("h1").inner_text().startswith("Households")
    page.click("button[value=vi]")
    assert page.locator("h1").inner_text().startswith("Hộ gia đình")


@pytest.mark.parametrize(
    ("name", "path", "heading"),
    [
        ("households", "households/?team=1", "Hộ gia đình"),
        ("teams", "teams/1", "Thon Dong"),
        ("messages", "messages/", "Tin nhắn"),
        ("reports", "reports/", "Báo cáo ngày"),
        ("cases", "cases/?state=all", "Ca báo"),
    ],
)
def test_main_pages_render(page, shots: Path, name: str, path: str, heading: str):
    log_in(page)
    response = page.goto(f"/console/c/DEMO/{path}")
    assert response.status == 200
    assert page.locator("h1").inner_text().startswith(heading)
    page.screenshot(path=shots / f"{name}.png", full_page=True)


def test_bulk_assign_with_tick_all(page):
    log_in(page)
    page.goto("/console/c/DEMO/teams/")
    page.click("text=Giao hộ >> nth=1")
    page.check("input[data-check-all]")
    ticked = page.locator("input[name=households]:checked").count()
    assert ticked == page.locator("input[name=households]").count() > 0
    member = page.locator("select[name=member] option").nth(0)
    name = member.inner_text().split(" · ")[0]
    page.select_option("select[name=member]", member.get_attribute("value"))
    page.click("text=Giao các hộ đã chọn")
    assert f"Đã giao {ticked} hộ cho {name}" in page.locator(".flash").inner_text()


def test_the_case_table_keeps_age_rung_and_member_on_a_phone(browser, server):
    context = browser.new_context(
        base_url=server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    log_in(page)
    for path in ("cases/?state=all", "today/"):
        page.goto(f"/console/c/DEMO/{path}")
        row = page.locator("table.cards tbody tr").first
        keys = row.locator("td.key")
        labels = [keys.nth(i).get_attribute("data-label") for i in range(keys.count())]
        assert labels == ["Cấp đang báo", "Tổ viên", "Thời gian"], path
        for index in range(3):
            box = keys.nth(index).bounding_box()
            assert keys.nth(index).is_visible(), (path, labels[index])
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
            assert box["y"] + box["height"] <= 844 * 3, (path, box)
    context.close()
