"""Kannel's callbacks through the app: an SMS from an ``sms-service`` and a report at a
``dlr-url``, as Kannel sends them (fields in the URL, the text as raw bytes in the
charset Kannel names, or the body with ``post-url``)."""

from __future__ import annotations

import dataclasses
from urllib.parse import quote_from_bytes, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient

from db.base import utcnow
from db.models import Case, Declaration, InboundMessage, OutboundMessage
from tests import factories
from workers.inbox import handle_inbox

SMS = "/webhooks/kannel/sms"
DELIVERY = "/webhooks/kannel/delivery"
HOUSEHOLD_PHONE = "+84912000001"
MEMBER_PHONE = "+84988000001"
STATION = "+842203123456"


@pytest.fixture
def commune(app: Flask):
    commune = factories.commune("AB", health_station_phone=STATION)
    team = factories.team(commune, "Thon Dong")
    member = factories.member(team, MEMBER_PHONE, "Le Thi Hoa")
    factories.household(team, "AB001", (HOUSEHOLD_PHONE,), member, village="Thon Dong")
    return commune


def kannel_url(path: str, text: bytes | None = None, **fields: str) -> str:
    """A URL as Kannel builds it from its ``%`` escapes: ``%a`` is the raw bytes, escaped."""
    query = urlencode(fields)
    if text is not None:
        query += "&text=" + quote_from_bytes(text)
    return f"{path}?{query}"


def incoming(kannel_id: str, sender: str = HOUSEHOLD_PHONE) -> dict[str, str]:
    return {"from": sender, "to": "8088", "id": kannel_id, "smsc": "viettel", "coding": "0"}


def sent(phone: str = HOUSEHOLD_PHONE, state: str = "sent") -> int:
    return OutboundMessage.create(
        phone=phone, text="Nhac khai bao", state=state, provider="kannel", sent_at=utcnow()
    ).id


def test_a_get_url_sms_in_ucs2_is_declared_and_answered_through_the_outbox(
    client: FlaskClient, commune
):
    url = kannel_url(
        SMS,
        "2 sốt khó thở".encode("utf-16-be"),
        **incoming("k-1"),
        charset="UTF-16BE",
    )

    response = client.get(url)

    assert (response.status_code, response.get_data()) == (200, b"")
    handle_inbox()
    stored = InboundMessage.get()
    assert (stored.provider_id, stored.text, stored.network_code) == (
        "k-1",
        "2 sốt khó thở",
        "viettel",
    )
    case = Case.get()
    assert case.red_flag and Declaration.get().channel == "sms"
    replies = OutboundMessage.select().where(OutboundMessage.phone == HOUSEHOLD_PHONE)
    assert [reply.state for reply in replies] == ["queued"]


def test_a_post_url_sms_carries_its_text_in_the_body(client: FlaskClient, commune):
    response = client.post(
        kannel_url(SMS, **incoming("k-2")),
        data="1".encode("utf-16-be"),
        content_type="text/plain; charset=UTF-16BE",
    )

    assert (response.status_code, response.get_data()) == (200, b"")
    handle_inbox()
    assert InboundMessage.get().text == "1"
    assert Declaration.get().kind == "well"


def test_a_repeated_kannel_id_records_once(client: FlaskClient, commune):
    url = kannel_url(SMS, b"2 1", **incoming("k-same"), charset="UTF-8")

    statuses = [client.get(url).status_code for _ in range(3)]

    assert statuses == [200, 200, 200]
    handle_inbox()
    assert InboundMessage.select().count() == 1
    assert Declaration.select().count() == 1
    assert OutboundMessage.select().where(OutboundMessage.phone == HOUSEHOLD_PHONE).count() == 1


@pytest.mark.parametrize("missing", ["from", "id", "text"])
def test_an_sms_missing_a_field_is_400_naming_it(client: FlaskClient, commune, missing):
    fields = {**incoming("k-3"), "text": "1"}
    del fields[missing]

    response = client.get(f"{SMS}?{urlencode(fields)}")

    assert response.status_code == 400
    assert missing in response.get_data(as_text=True)
    assert InboundMessage.select().count() == 0


def test_delivery_reports_move_the_message_they_name_forward_only(client: FlaskClient, commune):
    message, other = sent(), sent()

    def report(status: str, message_id: int = message, **extra: str) -> int:
        url = kannel_url(DELIVERY, id=str(message_id), status=status, smsc="viettel", **extra)
        return client.get(url).status_code

    assert report("8", answer="ACK/") == 200
    assert OutboundMessage.get_by_id(message).state == "submitted"
    assert report("1") == 200
    assert report("8") == 200
    assert OutboundMessage.get_by_id(message).state == "success"
    assert OutboundMessage.get_by_id(other).state == "sent"
    assert report("16", other, answer="NACK/0x0000000b/Invalid Destination Address") == 200
    rejected = OutboundMessage.get_by_id(other)
    assert (rejected.state, rejected.failure_reason) == (
        "rejected",
        "NACK/0x0000000b/Invalid Destination Address",
    )
    assert report("1", 999_999) == 200


@pytest.mark.parametrize("status", ["3", "0", "", "delivered", "1 "])
def test_a_report_with_a_value_kannel_never_sends_changes_nothing(
    client: FlaskClient, commune, status
):
    message = sent()

    response = client.post(DELIVERY, data={"id": str(message), "status": status})

    assert response.status_code == (200 if status == "1 " else 400)
    expected = "success" if status == "1 " else "sent"
    assert OutboundMessage.get_by_id(message).state == expected


@pytest.fixture
def submit_only(app: Flask) -> Flask:
    """The app on a Kannel route whose reports only say the operator took a message."""
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
    return app


def test_on_a_submit_only_route_a_reply_proves_the_last_message_arrived(
    submit_only: Flask, commune
):
    client = submit_only.test_client()
    older, last = sent(state="submitted"), sent(state="submitted")
    member_message = sent(MEMBER_PHONE, state="submitted")

    client.get(kannel_url(SMS, b"1", **incoming("k-4"), charset="UTF-8"))
    handle_inbox()

    states = [OutboundMessage.get_by_id(i).state for i in (older, last, member_message)]
    assert states == ["submitted", "success", "submitted"]
    assert OutboundMessage.get_by_id(last).failure_reason is None


def test_a_reply_proves_nothing_of_what_was_sent_after_it_came_in(submit_only: Flask, commune):
    client = submit_only.test_client()
    before = sent(state="submitted")
    client.get(kannel_url(SMS, b"1", **incoming("k-6"), charset="UTF-8"))
    after = sent(state="submitted")  # sent while the SMS waited for a worker

    handle_inbox()

    assert OutboundMessage.get_by_id(before).state == "success"
    assert OutboundMessage.get_by_id(after).state == "submitted"


def test_on_a_route_with_real_reports_a_reply_proves_nothing(client: FlaskClient, commune):
    last = sent(state="submitted")

    client.get(kannel_url(SMS, b"1", **incoming("k-5"), charset="UTF-8"))
    handle_inbox()

    assert OutboundMessage.get_by_id(last).state == "submitted"
