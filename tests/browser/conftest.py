"""A real server and a real headless Chromium for the console's browser tests.

The app runs under werkzeug's ``make_server`` in a thread on 127.0.0.1, on a
SQLite file of its own, with the demo commune loaded by the same importer
staff use, a second commune for the scoping checks, and two weeks of
declarations so the Today chart has something to draw.

Chromium is Debian's (``/usr/bin/chromium``, installed by ``.ci/run``).
Without it the tests are skipped and say so at the end of the run; on CI
(``CI`` set) its absence is a failure, so a broken install cannot pass quietly.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from db.base import database, utcnow
from db.migrate import upgrade
from db.models import Commune, Declaration, Household
from flows.report import Kind, Report, Symptom
from gateway import create_app
from gateway.services.callers import local_today
from gateway.services.declarations import declare
from gateway.services.demo import load_demo
from gateway.services.staff import create_staff
from tests import factories
from tests.support import Processes

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "demo-password-1"
WELL = Report(Kind.WELL)
URGENT = (
    Report(Kind.SYMPTOMS, people=1, symptoms=frozenset({Symptom.FEVER, Symptom.SHORT_OF_BREATH})),
    Report(Kind.ARRIVAL, people=2, arrived_from="Ha Noi", arrived_days_ago=1),
    Report(Kind.SYMPTOMS, people=2, symptoms=frozenset({Symptom.COUGH}), temperature_tenths=378),
)
SCREENSHOTS = os.environ.get("GATEWAY_SCREENSHOTS")
"""Where screenshots go; ``docs/screenshots.py`` sets it, otherwise a temporary folder."""

_skipped: list[str] = []


@dataclass
class Server:
    url: str
    app: Flask


def _seed() -> None:
    """The demo commune, another commune, a plausible last two weeks, and this morning.

    Today's urgent reports go through the real ``declare`` service, so their
    cases have the alerts and timeline a real one has.
    """
    load_demo("admin", PASSWORD)
    other = factories.commune("CD", name="Xa Cam Dinh")
    factories.household(factories.team(other, "Thon Bac"), "CD001", ("+84912000999",))
    create_staff("admin_cd", PASSWORD, ["CD"], "admin")
    demo = Commune.get(Commune.code == "DEMO")
    today = local_today(demo, "Asia/Ho_Chi_Minh", utcnow())
    households = list(Household.select().where(Household.commune == demo).order_by(Household.id))
    for back in range(1, 14):
        share = 0.55 + 0.3 * ((back * 7) % 10) / 10
        for household in households[: int(len(households) * share)]:
            Declaration.create(
                commune=demo,
                household=household,
                local_date=today - dt.timedelta(days=back),
                kind="well",
                channel="ussd",
            )
    for household in households[20:48]:
        declare(WELL, commune_id=demo.id, local_date=today, household=household,
                phone=None, channel="ussd")  # fmt: skip
    for household, report in zip(households[51:54], URGENT, strict=True):
        declare(report, commune_id=demo.id, local_date=today, household=household,
                phone=household.phones.first().phone, channel="sms")  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, redis_url: str) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("browser")
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'gateway.sqlite3'}",
            "REDIS_URL": redis_url,
            "SECRET_KEY": "browser-test-secret",
            "SMS_PROVIDER": "console",
        }
    )
    app.instance_path = str(folder / "instance")
    with app.app_context():
        upgrade()
        _seed()
    database.close()
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield Server(f"http://127.0.0.1:{http.server_port}", app)
    http.shutdown()
    thread.join(timeout=10)
    database.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (apt-get install chromium): browser tests not run"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set and {reason}")
        _skipped.append(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server: Server):
    """A fresh browser profile (no cookies) on a laptop-sized window.

    Anything the Content-Security-Policy blocked is a failure: a page that
    only works with inline script or style would pass its clicks here and
    break for staff.
    """
    context = browser.new_context(
        base_url=server.url, viewport={"width": 1280, "height": 900}, locale="vi-VN"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert blocked == [], blocked


@pytest.fixture
def worker(server: Server, tmp_path: Path) -> Iterator[None]:
    """A real ``gateway worker`` on the server's database and Redis, for the jobs pages
    start (console imports); stopped by its process id after the test."""
    settings = server.app.config["SETTINGS"]
    environment = {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "SECRET_KEY": "browser-test-secret",
        "SMS_PROVIDER": "console",
    }
    processes = Processes(environment, cwd=tmp_path, log=tmp_path / "worker.log")
    try:
        processes.gateway("worker")
        yield
    finally:
        processes.kill_all()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_in(page, username: str = "admin", password: str = PASSWORD) -> None:
    page.goto("/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button.primary")
    page.wait_for_load_state()


def pytest_terminal_summary(terminalreporter) -> None:
    if _skipped:
        terminalreporter.section("browser tests", sep="!", red=True, bold=True)
        terminalreporter.line(f"Browser tests were SKIPPED: {_skipped[0]}")
