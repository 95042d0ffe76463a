"""Oversized webhook calls get a 413 or a 400 naming the field, never a 500, and record nothing.

The limits: 64 KiB a callback (``gateway.webhooks.MAX_BODY``, whether the body
comes with a length or chunked), 1,000 multipart parts (Flask's
``MAX_FORM_PARTS``), 2,000 characters a field (``gateway.webhooks.MAX_FIELD``).
"""

from __future__ import annotations

import io

import pytest
from flask import Flask
from redis import Redis

from gateway.webhooks import MAX_BODY, MAX_FIELD
from tests.security.callbacks import RECORDING_CALLBACKS, SMS, TOKEN, snapshot

MIB = 1024 * 1024


def oversized_requests(path: str) -> dict[str, dict[str, object]]:
    """Test-client arguments for each way a request can be too big."""
    form = RECORDING_CALLBACKS[path]
    field = next(iter(form))
    return {
        "body over 16 MiB": {
            "data": b"a=" + b"x" * (16 * MIB),
            "content_type": "application/x-www-form-urlencoded",
        },
        "form over 64 KiB": {"data": {**form, "padding": "x" * MAX_BODY}},
        "field over the limit": {"data": {**form, field: "1" * (MAX_FIELD + 1)}},
        "ten thousand fields": {"data": b"&".join(b"f%d=1" % n for n in range(10_000))},
        "multipart of many parts": {
            "data": {**form, **{f"part{n}": "1" for n in range(2000)}},
            "content_type": "multipart/form-data",
        },
        "chunked body over 16 MiB": {
            "input_stream": io.BytesIO(b"a=" + b"x" * (16 * MIB)),
            "content_type": "application/x-www-form-urlencoded",
            "headers": {"Transfer-Encoding": "chunked"},
        },
    }


CASES = list(oversized_requests(SMS))


@pytest.mark.usefixtures("commune")
@pytest.mark.parametrize("path", list(RECORDING_CALLBACKS))
@pytest.mark.parametrize("case", CASES)
def test_an_oversized_request_gets_413_or_400_and_records_nothing(
    guarded_app: Flask, redis_client: Redis, path: str, case: str
):
    before = snapshot(redis_client)
    arguments = oversized_requests(path)[case]
    response = guarded_app.test_client().post(f"{path}?token={TOKEN}", **arguments)
    assert response.status_code in (400, 413), response.get_data(as_text=True)[:200]
    assert snapshot(redis_client) == before


@pytest.mark.usefixtures("commune")
def test_a_field_over_the_limit_is_named(guarded_app: Flask):
    arguments = oversized_requests(SMS)["field over the limit"]
    response = guarded_app.test_client().post(f"{SMS}?token={TOKEN}", **arguments)
    assert response.status_code == 400
    assert response.get_data(as_text=True) == "400 field too long: from"
