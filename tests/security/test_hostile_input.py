"""Hostile input at every webhook: query strings, unknown and repeated fields,
multipart and raw bodies, with and without the token.

Whatever arrives, the answer is a 403 (no token), a 400 naming a field, a 413,
or a 200 with a screen a phone can show; never a 500, and nothing is stored
by a request that was not answered 200. ``tests/gateway/test_webhook_fuzz.py``
fuzzes the known fields' values; this adds everything around them.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis import Redis
from werkzeug.datastructures import MultiDict

from flows.encoding import is_gsm7
from tests.security.callbacks import RECORDING_CALLBACKS, TOKEN, USSD, snapshot

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ROUTES = list(RECORDING_CALLBACKS)

names = st.one_of(
    st.sampled_from(["token", "Token", "sessionId", "text", "id", "from", "status", ""]),
    st.text(max_size=12),
)
values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "\x00", "%", "%zz", "\u202e", "😷", "*" * 200, "x" * 2001]),
)
pairs = st.lists(st.tuples(names, values), max_size=6)
raw_query = st.text(alphabet="abctokenTOKEN=&%+;#?/0123456789xyz\x00 ", max_size=60)


def form_for(path: str, overrides: list[tuple[str, str]]) -> MultiDict[str, str]:
    """The route's well-formed callback with hostile fields added or repeated in front."""
    return MultiDict(overrides + list(RECORDING_CALLBACKS[path].items()))


def assert_clear_answer(path: str, status: int, body: str) -> None:
    assert status in (200, 400, 413), body[:200]
    if path == USSD and status == 200:
        assert body.startswith(("CON ", "END ")) and len(body) <= 160 and is_gsm7(body)


@pytest.mark.usefixtures("commune")
@pytest.mark.parametrize("path", ROUTES)
def test_without_the_token_nothing_gets_through(guarded_app: Flask, redis_client: Redis, path):
    client = guarded_app.test_client()
    before = snapshot(redis_client)

    @FUZZ
    @given(query=raw_query, extra=pairs)
    def check(query: str, extra: list[tuple[str, str]]) -> None:
        if TOKEN in query:
            return
        response = client.post(f"{path}?{query}", data=form_for(path, extra))
        assert response.status_code == 403
        assert snapshot(redis_client) == before

    check()


@pytest.mark.usefixtures("commune")
@pytest.mark.parametrize("path", ROUTES)
def test_with_the_token_any_query_and_fields_get_a_clear_answer(
    guarded_app: Flask, redis_client: Redis, path
):
    client = guarded_app.test_client()

    @FUZZ
    @given(query=pairs, extra=pairs, multipart=st.booleans())
    def check(query: list[tuple[str, str]], extra: list[tuple[str, str]], multipart: bool) -> None:
        before = snapshot(redis_client)
        url = f"{path}?{urlencode([('token', TOKEN), *query])}"
        response = client.post(
            url,
            data=form_for(path, extra)
            if multipart
            else urlencode(list(form_for(path, extra).items(multi=True))),
            content_type="multipart/form-data"
            if multipart
            else "application/x-www-form-urlencoded",
        )
        assert_clear_answer(path, response.status_code, response.get_data(as_text=True))
        if response.status_code != 200:
            assert snapshot(redis_client) == before

    check()


@pytest.mark.usefixtures("commune")
@pytest.mark.parametrize("path", ROUTES)
def test_raw_bodies_of_any_type_never_give_a_500(guarded_app: Flask, redis_client: Redis, path):
    client = guarded_app.test_client()

    @FUZZ
    @given(
        body=st.binary(max_size=300),
        content_type=st.sampled_from(
            [
                "application/x-www-form-urlencoded",
                "application/x-www-form-urlencoded; charset=latin-1",
                "multipart/form-data; boundary=xYz",
                "multipart/form-data",
                "application/json",
                "application/octet-stream",
                "text/plain; charset=utf-16",
            ]
        ),
    )
    def check(body: bytes, content_type: str) -> None:
        before = snapshot(redis_client)
        response = client.post(f"{path}?token={TOKEN}", data=body, content_type=content_type)
        assert_clear_answer(path, response.status_code, response.get_data(as_text=True))
        if response.status_code != 200:
            assert snapshot(redis_client) == before

    check()
