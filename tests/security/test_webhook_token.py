"""With ``WEBHOOK_TOKEN`` set, a webhook call without the right ``?token=`` is refused
with 403 before anything is read or recorded, and the token is compared in constant time."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from flask import Flask
from redis import Redis

from tests.security.callbacks import RECORDING_CALLBACKS, SMS, TOKEN, snapshot

WRONG_TOKENS = {
    "missing": "",
    "empty": "?token=",
    "wrong": "?token=guess",
    "prefix": f"?token={TOKEN[:-1]}",
    "longer": f"?token={TOKEN}x",
    "other case": f"?token={TOKEN.upper()}",
    "padded": f"?token=%20{TOKEN}",
    "first of two": f"?token=guess&token={TOKEN}",
    "other name": f"?Token={TOKEN}",
    "not ascii": f"?token={quote('tökén')}",
    "nul": f"?token={TOKEN}%00",
    "bad escape": "?token=%ff%fe",
}


@pytest.mark.usefixtures("commune")
@pytest.mark.parametrize("path", list(RECORDING_CALLBACKS))
@pytest.mark.parametrize("query", list(WRONG_TOKENS.values()), ids=list(WRONG_TOKENS))
def test_a_wrong_or_missing_token_gets_403_and_records_nothing(
    guarded_app: Flask, redis_client: Redis, path: str, query: str
):
    before = snapshot(redis_client)
    response = guarded_app.test_client().post(path + query, data=RECORDING_CALLBACKS[path])
    assert response.status_code == 403
    assert snapshot(redis_client) == before


@pytest.mark.usefixtures("commune")
@pytest.mark.parametrize("path", list(RECORDING_CALLBACKS))
def test_the_token_anywhere_but_the_query_string_is_refused(
    guarded_app: Flask, redis_client: Redis, path: str
):
    before = snapshot(redis_client)
    client = guarded_app.test_client()
    in_form = client.post(path, data={**RECORDING_CALLBACKS[path], "token": TOKEN})
    in_header = client.post(
        path, data=RECORDING_CALLBACKS[path], headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert (in_form.status_code, in_header.status_code) == (403, 403)
    assert snapshot(redis_client) == before


@pytest.mark.usefixtures("commune")
@pytest.mark.parametrize("path", list(RECORDING_CALLBACKS))
def test_the_right_token_lets_the_same_callback_through(
    guarded_app: Flask, redis_client: Redis, path: str
):
    before = snapshot(redis_client)
    response = guarded_app.test_client().post(
        f"{path}?token={TOKEN}", data=RECORDING_CALLBACKS[path]
    )
    assert response.status_code == 200
    assert snapshot(redis_client) != before


@pytest.mark.usefixtures("commune")
@pytest.mark.parametrize("verdict", [True, False])
def test_hmac_compare_digest_alone_decides(
    guarded_app: Flask, monkeypatch: pytest.MonkeyPatch, verdict: bool
):
    """The comparison goes through ``hmac.compare_digest`` with the given and the
    expected token, and nothing else (no early ``==``) can overrule its verdict:
    a wrong token passes when it says equal, the right one fails when it says not."""
    calls: list[tuple[bytes, bytes]] = []

    def compare_digest(given: bytes, expected: bytes) -> bool:
        calls.append((given, expected))
        return verdict

    monkeypatch.setattr("gateway.webhooks.hmac.compare_digest", compare_digest)
    given = "guess" if verdict else TOKEN
    response = guarded_app.test_client().post(f"{SMS}?token={given}", data=RECORDING_CALLBACKS[SMS])
    assert response.status_code == (200 if verdict else 403)
    assert calls == [(given.encode(), TOKEN.encode())]
