"""Security headers on every console response, and pages that need no inline code."""

from __future__ import annotations

import re

from tests.console.conftest import open_case
from tests.console.test_scoping import EDIT_PAGES, READ_PAGES
from tests.console.test_throttle import behind_a_proxy

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.I)


def csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def assert_hardened(response) -> None:
    policy = csp(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_every_console_page_is_hardened_and_has_no_inline_code(admin, world):
    case = open_case(world.household)
    pages = [page.format(c="AB") for page in READ_PAGES + EDIT_PAGES] + [
        f"/console/c/AB/cases/{case.id}",
        f"/console/c/AB/teams/{world.team.id}",
        f"/console/c/AB/households/{world.household.id}",
        "/console/c/CD/today/",
        "/console/c/AB/households/99999",
        "/console/static/console.css",
    ]
    for page in pages:
        with admin.get(page) as response:
            assert_hardened(response)
            html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        assert not INLINE_SCRIPT.search(html), page
        assert not INLINE_STYLE.search(html), (page, INLINE_STYLE.search(html))


def test_the_login_page_and_its_redirects_are_hardened(client, world):
    assert_hardened(client.get("/console/login"))
    assert_hardened(client.get("/console/c/AB/today/"))


def test_hsts_only_over_https(client, world):
    assert "Strict-Transport-Security" not in client.get("/console/login").headers
    secure = client.get("/console/login", base_url="https://console.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_hsts_behind_a_trusted_load_balancer_that_ended_tls(app, world):
    behind_a_proxy(app, 1)
    response = app.test_client().get(
        "/console/login",
        environ_base={"REMOTE_ADDR": "10.9.9.9", "HTTP_X_FORWARDED_PROTO": "https"},
    )
    assert "Strict-Transport-Security" in response.headers
