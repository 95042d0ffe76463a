"""The gateway served on a real HTTP port, a real Kannel in front of it, and its fake SMSC.

Without Kannel installed the real-Kannel tests are skipped, and the end of the
run says so in red: CI installs it (``.ci/run``), so a skip there is a fault.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from gateway.job_worker import GatewayWorker
from gateway.jobs import QUEUE_NAMES
from tests.kannel import real
from tests.support import serving

TOKEN = "kannel-webhook-token"
_skipped: list[str] = []


@pytest.fixture
def gateway_url(app: Flask) -> Iterator[str]:
    """The test's app behind a real threaded HTTP server, where Kannel calls it."""
    with serving(app) as url:
        yield url


@pytest.fixture
def kannel(app: Flask, gateway_url: str, tmp_path: Path) -> Iterator[real.KannelServer]:
    """A Kannel (not started yet) and the app configured to send through it."""
    reason = real.missing()
    if reason:
        _skipped.append(reason)
        pytest.skip(reason)
    directory = tmp_path / "kannel"
    directory.mkdir()
    server = real.KannelServer(directory, gateway_url, TOKEN)
    app.config["SETTINGS"] = dataclasses.replace(
        app.config["SETTINGS"],
        sms_provider="kannel",
        kannel_sendsms_url=server.sendsms_url,
        kannel_username=real.USERNAME,
        kannel_password=real.PASSWORD,
        kannel_smsc="operator",
        public_url=gateway_url,
        webhook_token=TOKEN,
    )
    app.extensions.pop("sms_provider", None)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smsc(kannel: real.KannelServer) -> Iterator[real.FakeSmsc]:
    """Kannel started, and the test connected as its SMSC."""
    kannel.start()
    network = real.FakeSmsc(kannel.smsc_port)
    try:
        yield network
    finally:
        network.close()


class InProcessWorker(GatewayWorker):
    """The product's worker (which looks at the inbox) without its command channel.

    A burst run inside a test takes no commands, and stopping that channel's
    thread can stall for a minute: redis-py's thread waits out RQ's 60 s poll
    when it is stopped before its subscription was confirmed.
    """

    def subscribe(self) -> None:
        return None


@pytest.fixture
def work(app: Flask) -> Callable[[], None]:
    """A real RQ worker on the app's queues (urgent first), in this process, until empty."""

    def run() -> None:
        queues = [app.extensions["queues"][name] for name in QUEUE_NAMES]
        InProcessWorker(queues, connection=app.extensions["redis"]).work(burst=True)

    return run


def pytest_terminal_summary(terminalreporter) -> None:
    if _skipped:
        terminalreporter.section("Kannel", sep="!", red=True, bold=True)
        terminalreporter.line(f"Real-Kannel tests were SKIPPED: {_skipped[0]}")
