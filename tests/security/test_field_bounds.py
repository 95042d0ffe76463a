"""Every webhook field is bounded where it is parsed: one over its bound is a 400
naming it, on SQLite and PostgreSQL alike, and nothing is stored.

PostgreSQL stores ids in ``varchar(255)`` columns and refuses a longer value
where SQLite keeps it: unchecked, a 301-character SMS id was a 500 there, which
Africa's Talking retries for ever, so that report was never stored.
"""

from __future__ import annotations

import pytest
from flask import Flask
from redis import Redis

from db.models import InboundMessage
from gateway.webhooks import FIELD_LIMITS, MAX_ID
from tests.security.callbacks import (
    DELIVERY,
    EVENTS,
    RECORDING_CALLBACKS,
    SMS,
    TOKEN,
    USSD,
    snapshot,
)

READ_FIELDS = {
    USSD: ("sessionId", "phoneNumber", "serviceCode", "networkCode"),
    EVENTS: ("sessionId", "phoneNumber", "status"),
    SMS: ("from", "to", "id", "linkId", "networkCode", "date"),
    DELIVERY: ("id", "status", "phoneNumber", "networkCode", "failureReason", "retryCount"),
}
"""The fields each route reads, besides the texts (bounded by ``MAX_FIELD``)."""
IDS = {
    USSD: ("sessionId",),
    EVENTS: ("sessionId",),
    SMS: ("id", "linkId"),
    DELIVERY: ("id", "failureReason"),
}
"""Fields a provider fills with its own ids and words: their longest allowed value is stored."""


def post(app: Flask, path: str, **fields: str):
    form = {**RECORDING_CALLBACKS[path], **fields}
    return app.test_client().post(f"{path}?token={TOKEN}", data=form)


@pytest.mark.usefixtures("commune")
@pytest.mark.parametrize(
    ("path", "field"), [(path, field) for path, fields in READ_FIELDS.items() for field in fields]
)
def test_a_field_over_its_bound_is_named_in_a_400(
    guarded_app: Flask, redis_client: Redis, path: str, field: str
):
    before = snapshot(redis_client)
    response = post(guarded_app, path, **{field: "y" * (FIELD_LIMITS.get(field, MAX_ID) + 1)})
    assert response.status_code == 400
    assert response.get_data(as_text=True) == f"400 field too long: {field}"
    assert snapshot(redis_client) == before


@pytest.mark.usefixtures("commune")
@pytest.mark.parametrize(
    ("path", "field"), [(path, field) for path, fields in IDS.items() for field in fields]
)
def test_an_id_at_its_bound_is_taken(guarded_app: Flask, path: str, field: str):
    response = post(guarded_app, path, **{field: "y" * FIELD_LIMITS[field]})
    assert response.status_code == 200, response.get_data(as_text=True)


@pytest.mark.usefixtures("commune")
def test_the_reported_long_sms_id_gets_a_400_not_a_500(guarded_app: Flask):
    response = guarded_app.test_client().post(
        f"{SMS}?token={TOKEN}", data={"from": "+84919500041", "text": "2 13", "id": "y" * 300}
    )
    assert response.status_code == 400
    assert "id" in response.get_data(as_text=True)
    assert InboundMessage.select().count() == 0
