"""Login throttling (issue 19): guessing slows down, the right user still gets in.

Driven as the attacks were: wrong passwords for ``" erin "`` from one client,
the same behind a load balancer (every request from the proxy's address), and
one password tried across 30 usernames.
"""

from __future__ import annotations

import dataclasses

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway import proxies
from gateway.console import throttle
from gateway.services.staff import create_staff
from tests.console.conftest import PASSWORD, log_in

PROXY = "10.9.9.9"


@pytest.fixture
def erin(world) -> str:
    create_staff("erin", PASSWORD, ["AB"], "admin")
    return "erin"


def browser(app: Flask, address: str, forwarded: str | None = None) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if forwarded:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded
    return client


def behind_a_proxy(app: Flask, hops: int) -> None:
    app.config["SETTINGS"] = dataclasses.replace(app.config["SETTINGS"], trusted_proxies=hops)
    proxies.init_app(app)


def test_failures_for_a_padded_username_do_not_lock_the_user_out(app, erin):
    attacker = browser(app, "203.0.113.5")
    for _attempt in range(throttle.PAIR_FAILURES):
        assert log_in(attacker, " erin ", "guess").status_code == 401
    assert log_in(attacker, " ERIN ", "guess").status_code == 429
    assert log_in(attacker, "erin").status_code == 429  # the attacker's client stays refused
    assert log_in(browser(app, "198.51.100.7"), "erin").status_code == 302


def test_behind_a_trusted_proxy_each_client_is_counted_apart(app, erin):
    behind_a_proxy(app, 1)
    attacker = browser(app, PROXY, "203.0.113.5")
    for _attempt in range(throttle.PAIR_FAILURES + 3):
        log_in(attacker, "erin", "guess")
    assert log_in(attacker, "erin").status_code == 429
    assert log_in(browser(app, PROXY, "198.51.100.7"), "erin").status_code == 302


def test_a_forwarded_header_is_not_trusted_without_a_configured_proxy(app, erin):
    attacker = browser(app, "203.0.113.5", "192.0.2.1")
    for _attempt in range(throttle.PAIR_FAILURES):
        log_in(attacker, "erin", "guess")
    attacker.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.2"
    assert log_in(attacker, "erin", "guess").status_code == 429


def test_only_the_configured_hops_are_trusted(app, erin):
    behind_a_proxy(app, 1)
    attacker = browser(app, PROXY, "192.0.2.1, 203.0.113.5")
    for _attempt in range(throttle.PAIR_FAILURES):
        log_in(attacker, "erin", "guess")
    attacker.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.99, 203.0.113.5"
    assert log_in(attacker, "erin", "guess").status_code == 429


def test_one_password_across_30_usernames_is_stopped(app, erin):
    sprayer = browser(app, "203.0.113.5")
    answers = [log_in(sprayer, f"staff{n:02d}", "Summer2026!").status_code for n in range(30)]
    assert answers[: throttle.CLIENT_USERNAMES] == [401] * throttle.CLIENT_USERNAMES
    assert set(answers[throttle.CLIENT_USERNAMES :]) == {429}
    assert log_in(sprayer, "erin").status_code == 429
    assert log_in(browser(app, "198.51.100.7"), "erin").status_code == 302


def test_logging_into_an_own_account_does_not_reset_the_spray_count(app, erin):
    sprayer = browser(app, "203.0.113.5")
    for n in range(throttle.CLIENT_USERNAMES - 1):
        assert log_in(sprayer, f"staff{n:02d}", "guess").status_code == 401
    assert log_in(sprayer, "viewer").status_code == 302
    assert log_in(sprayer, "staff99", "guess").status_code == 401
    assert log_in(sprayer, "staff98", "guess").status_code == 429


def test_a_username_under_attack_slows_every_guessing_client_but_not_the_user(app, erin):
    guessers = [browser(app, f"203.0.113.{n}") for n in range(throttle.ATTACKED_FAILURES)]
    for guesser in guessers:
        assert log_in(guesser, "erin", "guess").status_code == 401
    assert log_in(guessers[0], "erin", "guess").status_code == 429
    assert log_in(browser(app, "203.0.114.1"), "erin", "guess").status_code == 401
    assert log_in(browser(app, "198.51.100.7"), "erin").status_code == 302


def test_counts_hold_no_username_or_address(app, erin, redis_client):
    log_in(browser(app, "203.0.113.5"), "erin", "guess")
    keys = redis_client.keys(f"{throttle.PREFIX}:*")
    assert len(keys) == 4
    for key in keys:
        assert b"erin" not in key and b"203.0" not in key
        assert 0 < redis_client.ttl(key) <= throttle.WINDOW_SECONDS
    members = redis_client.smembers(next(k for k in keys if b":usernames:" in k))
    assert all(b"erin" not in member for member in members)
