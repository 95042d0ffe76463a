"""The providers' callbacks, served by their own app in front of the console's.

They share the console's settings and connections but none of its browser
extensions, and read url-encoded forms with the standard library: the same
fields as Werkzeug's parser would read.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from flask import Flask, request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.inbox import WaitingSms
from gateway.webhooks import posted_form
from tests import factories

HOUSEHOLD_PHONE = "+84912000001"
SMS = "/webhooks/africastalking/sms"
USSD = "/webhooks/africastalking/ussd"
BROWSER_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options")


@pytest.fixture
def commune():
    commune = factories.commune("AB")
    team = factories.team(commune, "Thon Dong")
    member = factories.member(team, "+84988000001", "Le Thi Hoa")
    factories.household(team, "AB001", (HOUSEHOLD_PHONE,), member)
    return commune


def stored_texts() -> list[str]:
    return [row.text for row in WaitingSms.select().order_by(WaitingSms.id)]


def test_callbacks_carry_no_browser_headers_and_no_cookie(client, commune):
    client.get("/console/login")  # a browser's session cookie, sent back with the callback
    assert client.get_cookie("session") is not None
    ussd = {"sessionId": "s1", "phoneNumber": HOUSEHOLD_PHONE, "text": ""}
    response = client.post(USSD, data=ussd)
    assert response.status_code == 200
    assert response.get_data(as_text=True).startswith("CON ")
    assert "Set-Cookie" not in response.headers
    assert not [name for name in BROWSER_HEADERS if name in response.headers]
    page = client.get("/console/login")
    assert all(name in page.headers for name in BROWSER_HEADERS)


def test_a_repeated_field_counts_once_first_as_sent(client, commune):
    body = f"from={HOUSEHOLD_PHONE}&to=8088&id=r1&text=1&text=2+13"
    response = client.post(SMS, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert stored_texts() == ["1"]


def test_a_form_with_a_charset_is_read(client, commune):
    body = urlencode({"from": HOUSEHOLD_PHONE, "to": "8088", "id": "c1", "text": "Cả nhà khỏe"})
    response = client.post(
        SMS, data=body, content_type="application/x-www-form-urlencoded; charset=UTF-8"
    )
    assert response.status_code == 200
    assert stored_texts() == ["Cả nhà khỏe"]


def test_an_escape_that_is_not_utf8_is_kept_as_a_replacement(client, commune):
    body = "from=%2B84912000001&to=8088&id=e1&text=1%FF"
    response = client.post(SMS, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert stored_texts() == ["1\ufffd"]


def test_a_body_that_is_not_utf8_is_no_form(client, commune):
    body = b"from=%2B84912000001&to=8088&id=b1&text=\xff"
    response = client.post(SMS, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.get_data(as_text=True) == "400 missing field: from"
    assert stored_texts() == []


def test_a_multipart_form_is_still_read(client, commune):
    form = {"from": HOUSEHOLD_PHONE, "to": "8088", "id": "m1", "text": "1"}
    response = client.post(SMS, data=form, content_type="multipart/form-data")
    assert response.status_code == 200
    assert stored_texts() == ["1"]


FIELD = st.text(st.characters(blacklist_categories=["Cs"]), max_size=20)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pairs=st.lists(st.tuples(FIELD, FIELD), max_size=6))
def test_the_form_read_is_werkzeugs(app: Flask, pairs: list[tuple[str, str]]):
    """For every url-encoded body a client can send, the same fields as ``request.form``."""
    body = urlencode(pairs)
    with app.test_request_context(
        USSD, method="POST", data=body, content_type="application/x-www-form-urlencoded"
    ):
        read = posted_form()
        assert read == request.form.to_dict(flat=True)


def test_the_apps_routing_table_lists_the_callbacks(app: Flask):
    """Served by their own app, listed in the console's (``flask routes``, ``url_for``)."""
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert {USSD, f"{USSD}/events", SMS, "/webhooks/africastalking/delivery"} <= rules
