"""Delivery reports move a message forward only; a phone that keeps failing gets a visit."""

from __future__ import annotations

import dataclasses
import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient

from db.base import utcnow
from db.models import Household, HouseholdPhone, OutboundMessage
from tests import factories

URL = "/webhooks/africastalking/delivery"
PHONE = "+84912345678"


@pytest.fixture
def household(app: Flask) -> Household:
    team = factories.team(factories.commune())
    return factories.household(team, "H1", phones=(PHONE,))


def sent(provider_id: str, phone: str = PHONE) -> int:
    return OutboundMessage.create(
        phone=phone,
        text="Nhac khai bao",
        state="sent",
        provider="africastalking",
        provider_id=provider_id,
        sent_at=utcnow(),
    ).id


def report(client: FlaskClient, provider_id: str, status: str, **fields: str):
    return client.post(URL, data={"id": provider_id, "status": status, **fields})


def state(message_id: int) -> tuple[str, str | None]:
    row = OutboundMessage.get_by_id(message_id)
    return row.state, row.failure_reason


def failures() -> int:
    return HouseholdPhone.get(HouseholdPhone.phone == PHONE).failures


def visit_reason(household: Household) -> str | None:
    return Household.get_by_id(household.id).visit_reason


def test_success_is_recorded(client: FlaskClient, household):
    message = sent("ATXid_1")

    response = report(client, "ATXid_1", "Success", phoneNumber=PHONE, networkCode="45201")

    assert response.status_code == 200
    assert state(message) == ("success", None)


@pytest.mark.parametrize("status", ["Failed", "Rejected"])
def test_a_failure_records_its_reason(client: FlaskClient, household, status: str):
    message = sent("ATXid_2")

    response = report(client, "ATXid_2", status, failureReason="UserInBlackList", retryCount="0")

    assert response.status_code == 200
    assert state(message) == (status.lower(), "UserInBlackList")


def test_progress_moves_forward_and_never_back(client: FlaskClient, household):
    message = sent("ATXid_3")

    for status, expected in [
        ("Submitted", "submitted"),
        ("Sent", "submitted"),
        ("Buffered", "buffered"),
        ("Success", "success"),
        ("Sent", "success"),
        ("Buffered", "success"),
        ("Failed", "success"),
    ]:
        assert report(client, "ATXid_3", status).status_code == 200
        assert state(message)[0] == expected


def test_an_unknown_status_is_refused_and_changes_nothing(client: FlaskClient, household):
    message = sent("ATXid_4")

    for status in ["Delivered", "success", ""]:
        assert report(client, "ATXid_4", status).status_code == 400
    assert state(message) == ("sent", None)


@pytest.mark.parametrize("missing", ["id", "status"])
def test_a_missing_field_is_refused(client: FlaskClient, household, missing: str):
    message = sent("ATXid_5")
    data = {"id": "ATXid_5", "status": "Success"}
    del data[missing]

    response = client.post(URL, data=data)

    assert response.status_code == 400
    assert missing in response.get_data(as_text=True)
    assert state(message) == ("sent", None)


def test_an_unknown_provider_id_is_answered_and_changes_nothing(
    client: FlaskClient, household, caplog: pytest.LogCaptureFixture
):
    message = sent("ATXid_6")

    with caplog.at_level(logging.INFO, logger="gateway.services.delivery"):
        response = report(client, "ATXid_unknown", "Failed", failureReason="DeliveryFailure")

    assert response.status_code == 200
    assert state(message) == ("sent", None)
    assert failures() == 0
    assert "unknown message id ATXid_unknown" in caplog.text


def test_an_oversized_field_is_refused(client: FlaskClient, household):
    message = sent("ATXid_7")

    response = report(client, "ATXid_7", "Failed", failureReason="x" * 5000)

    assert response.status_code == 400
    assert state(message) == ("sent", None)


def test_a_repeated_report_counts_once(client: FlaskClient, household):
    message = sent("ATXid_8")

    for _ in range(3):
        assert (
            report(client, "ATXid_8", "Failed", failureReason="DeliveryFailure").status_code == 200
        )

    assert state(message) == ("failed", "DeliveryFailure")
    assert failures() == 1
    assert visit_reason(household) is None


def test_a_phone_that_keeps_failing_gets_a_visit(client: FlaskClient, household):
    for index in range(3):
        sent(f"ATXid_fail_{index}")
        report(client, f"ATXid_fail_{index}", "Failed", failureReason="DeliveryFailure")

    assert failures() == 3
    assert visit_reason(household) == f"SMS to {PHONE} keeps failing: DeliveryFailure"


def test_a_success_resets_the_count(client: FlaskClient, household):
    outcomes = ["Failed", "Rejected", "Success", "Failed", "Expired"]
    for index, status in enumerate(outcomes):
        sent(f"ATXid_mixed_{index}")
        report(client, f"ATXid_mixed_{index}", status, failureReason="DeliveryFailure")

    assert failures() == 2
    assert visit_reason(household) is None


def test_our_own_lack_of_credit_is_not_the_phones_fault(client: FlaskClient, household):
    for index in range(3):
        sent(f"ATXid_credit_{index}")
        report(client, f"ATXid_credit_{index}", "Failed", failureReason="InsufficientCredit")

    assert failures() == 0
    assert visit_reason(household) is None


def test_the_webhook_token_is_required_when_set(app: Flask, client: FlaskClient, household):
    app.config["SETTINGS"] = dataclasses.replace(app.config["SETTINGS"], webhook_token="s3cret")
    message = sent("ATXid_9")

    for query in ["", "?token=wrong"]:
        response = client.post(URL + query, data={"id": "ATXid_9", "status": "Success"})
        assert response.status_code == 403
    assert state(message) == ("sent", None)

    response = client.post(URL + "?token=s3cret", data={"id": "ATXid_9", "status": "Success"})
    assert response.status_code == 200
    assert state(message) == ("success", None)
