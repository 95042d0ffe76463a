"""The SMS webhook end to end: what each text stores and the one reply it queues.

The webhook stores the SMS and wakes the workers; :func:`text` then runs the
workers' drain job in this process, as a worker would right after.
"""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from db.models import Case, Declaration, Household, InboundMessage, OutboundMessage
from flows.encoding import measure
from tests import factories
from workers.inbox import handle_inbox

HOUSEHOLD_PHONE = "+84912000001"
MEMBER_PHONE = "+84988000001"
STATION = "+84977000115"
"""The station's duty mobile: its own number, a landline, never gets an SMS."""
_ids = itertools.count()


@pytest.fixture
def commune():
    commune = factories.commune("AB", health_station_mobile=STATION)
    team = factories.team(commune, "Thon Dong")
    member = factories.member(team, MEMBER_PHONE, "Le Thi Hoa")
    factories.household(team, "AB001", (HOUSEHOLD_PHONE,), member, village="Thon Dong")
    factories.household(team, "AB002", (), member)
    return commune


def text(client, sender: str, body: str, message_id: str | None = None, **extra):
    data = {
        "from": sender,
        "to": "8088",
        "text": body,
        "date": "2026-11-23 08:00:00",
        "id": message_id or f"ATXid_{next(_ids)}",
        "linkId": "",
        "networkCode": "45204",
        **extra,
    }
    response = client.post("/webhooks/africastalking/sms", data=data)
    handle_inbox()
    return response


def replies_to(phone: str) -> list[str]:
    query = OutboundMessage.select().where(OutboundMessage.phone == phone)
    return [m.text for m in query.order_by(OutboundMessage.id)]


def test_a_well_declaration_is_stored_and_answered(client, commune):
    response = text(client, "0912 000 001", "1")
    assert response.status_code == 200
    declaration = Declaration.get()
    assert (declaration.kind, declaration.channel, declaration.household.code) == (
        "well", "sms", "AB001",
    )  # fmt: skip
    [reply] = replies_to(HOUSEHOLD_PHONE)
    assert measure(reply).segments == 1
    assert InboundMessage.get().outcome == "handled"


@pytest.mark.parametrize("body", ["2 13 2 385", "2 1,3 2 38.5", "sot kho tho", "Sốt, khó thở"])
def test_symptoms_open_a_case_and_alert_the_member(client, commune, body):
    text(client, HOUSEHOLD_PHONE, body)
    case = Case.get()
    assert case.kind == "symptoms" and "3" in case.symptoms.split(",")
    assert case.red_flag
    alerts = {m.phone for m in OutboundMessage.select().where(OutboundMessage.case == case)}
    assert alerts == {MEMBER_PHONE, STATION}
    [reply] = replies_to(HOUSEHOLD_PHONE)
    assert "115" in reply


def test_a_duplicate_provider_id_records_once(client, commune):
    for _ in range(3):
        assert text(client, HOUSEHOLD_PHONE, "2 1", message_id="ATXid_same").status_code == 200
    assert InboundMessage.select().count() == 1
    assert Declaration.select().count() == 1
    assert Case.select().count() == 1
    assert len(replies_to(HOUSEHOLD_PHONE)) == 1


@pytest.mark.parametrize("sender", ["VIETTEL", "AFRICASTKNG", "9029", "*123#"])
def test_alphanumeric_senders_and_short_codes_get_no_reply(client, commune, sender):
    assert text(client, sender, "1").status_code == 200
    assert InboundMessage.get().outcome == "ignored"
    assert OutboundMessage.select().count() == 0
    assert Declaration.select().count() == 0


def test_anything_else_gets_one_helpful_reply(client, commune):
    text(client, HOUSEHOLD_PHONE, "what is this?")
    [reply] = replies_to(HOUSEHOLD_PHONE)
    assert "1" in reply and "2" in reply
    assert Declaration.select().count() == 0


def test_stop_and_start(client, commune):
    text(client, HOUSEHOLD_PHONE, "DUNG")
    assert Household.get(Household.code == "AB001").opted_out
    text(client, HOUSEHOLD_PHONE, "start")
    assert not Household.get(Household.code == "AB001").opted_out
    assert len(replies_to(HOUSEHOLD_PHONE)) == 2


def test_member_acknowledges_and_resolves_by_sms(client, commune):
    text(client, HOUSEHOLD_PHONE, "2 2")
    case = Case.get()
    text(client, MEMBER_PHONE, f"ok {case.id}")
    assert Case.get_by_id(case.id).state == "acknowledged"
    coming = replies_to(HOUSEHOLD_PHONE)[-1]
    assert MEMBER_PHONE in coming
    text(client, MEMBER_PHONE, f"XONG {case.id} da den kham, on dinh")
    resolved = Case.get_by_id(case.id)
    assert (resolved.state, resolved.resolution_note) == ("resolved", "da den kham, on dinh")


def test_a_household_cannot_acknowledge(client, commune):
    text(client, HOUSEHOLD_PHONE, "2 2")
    case = Case.get()
    text(client, HOUSEHOLD_PHONE, f"OK {case.id}")
    assert Case.get_by_id(case.id).state == "open"
    assert InboundMessage.select().order_by(InboundMessage.id.desc()).get().outcome == (
        "not_a_member"
    )


def test_member_declares_for_a_household_by_code(client, commune):
    text(client, MEMBER_PHONE, "KB ab002 1")
    declaration = Declaration.get()
    assert (declaration.household.code, declaration.channel) == ("AB002", "proxy")
    assert "AB002" in replies_to(MEMBER_PHONE)[-1]
    text(client, MEMBER_PHONE, "KB ZZ999 1")
    assert Declaration.select().count() == 1


def test_a_stranger_reporting_symptoms_reaches_the_health_station(client, commune):
    text(client, "0912 999 999", "2 1")
    case = Case.get()
    assert case.household is None
    assert {m.phone for m in OutboundMessage.select().where(OutboundMessage.case == case)} == {
        STATION
    }


def test_a_phone_sending_too_much_is_throttled_and_flagged(client, commune):
    for _ in range(25):
        text(client, HOUSEHOLD_PHONE, "xin chao")
    outcomes = [m.outcome for m in InboundMessage.select().order_by(InboundMessage.id)]
    assert outcomes.count("throttled") == 5
    assert len(replies_to(HOUSEHOLD_PHONE)) == 21
    assert Household.get(Household.code == "AB001").visit_reason


@pytest.mark.parametrize("missing", ["from", "text", "id"])
def test_a_missing_field_is_named_in_a_400(client, commune, missing):
    data = {"from": HOUSEHOLD_PHONE, "to": "8088", "text": "1", "id": "x", "date": "d"}
    del data[missing]
    response = client.post("/webhooks/africastalking/sms", data=data)
    assert response.status_code == 400
    assert missing in response.get_data(as_text=True)
    assert InboundMessage.select().count() == 0


def test_oversized_and_binary_text(client, commune):
    assert text(client, HOUSEHOLD_PHONE, "1" * 5000).status_code == 400
    assert text(client, HOUSEHOLD_PHONE, "\x00\xff\ufffe" * 10).status_code == 200
    assert InboundMessage.select().count() == 1
    assert len(replies_to(HOUSEHOLD_PHONE)) == 1


def test_the_webhook_token(app, commune):
    app.config["SETTINGS"] = dataclasses.replace(app.config["SETTINGS"], webhook_token="s3cret")
    client = app.test_client()
    assert text(client, HOUSEHOLD_PHONE, "1").status_code == 403
    response = client.post(
        "/webhooks/africastalking/sms?token=wrong", data={"from": HOUSEHOLD_PHONE}
    )
    assert response.status_code == 403
    assert InboundMessage.select().count() == 0
    response = client.post(
        "/webhooks/africastalking/sms?token=s3cret",
        data={"from": HOUSEHOLD_PHONE, "to": "8088", "text": "1", "id": "t1"},
    )
    assert response.status_code == 200
    handle_inbox()
    assert Declaration.select().count() == 1
