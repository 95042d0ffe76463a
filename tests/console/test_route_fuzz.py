"""Every console route, every parameter, odd values: a 4xx at worst, never a 5xx.

The routes are read from ``app.url_map``, so a page added later is fuzzed too.
Each run is logged in as one role (admin, viewer, district) and, through the
``app`` fixture, runs on SQLite and on PostgreSQL, where an id past
``integer`` or a NUL byte used to be a 500.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from tests.console.conftest import World, csrf_token

PARAMETER = re.compile(r"<(?:([^<>:]+):)?(\w+)>")
QUERY_NAMES = [
    "page", "team", "q", "date", "state", "box", "phone", "declared", "phone_kind", "next", "lang",
]  # fmt: skip
NOT_POSTED = {"console.auth.logout", "console.auth.login", "console.language.switch"}
"""Posts that would end or restart the fuzzing client's session."""

ODD = st.sampled_from(
    [
        "99999999999999999999",
        "2147483648",
        "2147483647",
        "0",
        "-1",
        "²",
        "٣",
        "１",
        "1e3",
        " 1",
        "0001-01-01",
        "9999-12-31",
        "2026-02-30",
        "\x00",
        "%00",
        "'; DROP TABLE household; --",
        "a" * 5000,
        "\u202e0912000001",
    ]
)
VALUES = st.one_of(
    ODD,
    ODD,
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda day: day.isoformat()),
)


def console_rules(app: Flask) -> list[Rule]:
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("console.")]
    assert len(rules) > 20, "the console's routes were not found"
    return rules


def path_values(rule: Rule, world: World) -> st.SearchStrategy[dict[str, str]]:
    known_ids = [world.household.id, world.team.id, world.foreign_household.id, 1]
    parts: dict[str, st.SearchStrategy[str]] = {}
    for converter, name in PARAMETER.findall(rule.rule):
        if name == "commune":
            parts[name] = st.one_of(st.sampled_from(["AB", "CD", "ZZ"]), VALUES)
        elif converter.startswith("any("):
            choices = [c.strip() for c in converter[4:-1].split(",")]
            parts[name] = st.one_of(st.sampled_from(choices), VALUES)
        else:
            parts[name] = st.one_of(st.sampled_from(known_ids).map(str), VALUES)
    return st.fixed_dictionaries(parts)


def url_of(rule: Rule, values: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        return quote(values[match.group(2)], safe="") or "x"

    return PARAMETER.sub(fill, rule.rule)


@pytest.mark.parametrize("role", ["admin", "viewer", "district"])
def test_no_console_route_answers_5xx(app: Flask, world: World, as_user, role: str):
    client: FlaskClient = as_user(role)
    token = csrf_token(client, "/console/c/AB/today/")
    rules = console_rules(app)

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        """One set of odd query values, sent to every route with odd path values."""
        query = data.draw(
            st.dictionaries(st.one_of(st.sampled_from(QUERY_NAMES), st.text(max_size=8)), VALUES)
        )
        for rule in rules:
            url = url_of(rule, data.draw(path_values(rule, world)))
            posted = "POST" in rule.methods and rule.endpoint not in NOT_POSTED
            if posted and data.draw(st.booleans()):
                response = client.post(url, query_string=query, data={"csrf_token": token})
            else:
                response = client.get(url, query_string=query)
            assert response.status_code < 500, (url, query, response.status_code)

    fuzz()
    assert client.get("/console/c/AB/today/").status_code == 200  # still logged in


@pytest.mark.parametrize(
    "url",
    [
        "households/?page=99999999999999999999",
        "households/?page=²",
        "households/?team=²",
        "households/?team=99999999999999999999",
        "households/99999999999999999999",
        "households/²",
        "teams/99999999999999999999",
        "cases/99999999999999999999",
        "cases/99999999999999999999/acknowledge",
        "schedules/99999999999999999999",
        "messages/?page=99999999999999999999",
        "messages/?page=²",
        "reports/?date=0001-01-01",
        "reports/daily.csv?date=0001-01-01",
        "reports/daily.xlsx?date=0001-01-01",
        "households/export.csv?page=²",
        "households/?q=%00",
        "audit/?page=²",
        "audit/?page=99999999999999999999",
    ],
)
def test_the_reported_urls_get_a_4xx_or_the_page(admin, world, url):
    response = admin.get(f"/console/c/AB/{url}")
    assert response.status_code in (200, 400, 404, 405), response.status_code


def test_an_out_of_range_value_names_its_field(admin, world):
    page = admin.get("/console/c/AB/households/?page=99999999999999999999")
    assert page.status_code == 400
    assert "page" in page.get_data(as_text=True)
    report = admin.get("/console/c/AB/reports/?date=0001-01-01")
    assert report.status_code == 400
    assert "date" in report.get_data(as_text=True)
    assert admin.get("/console/c/AB/households/99999999999999999999").status_code == 404
