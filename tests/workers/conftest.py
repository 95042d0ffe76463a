"""Fixtures for the jobs: a real RQ worker in-process, Africa's Talking scripted, and
the environment of the worker processes a test starts (its own SQLite file and Redis, a
fake Africa's Talking)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from gateway.embedded_redis import EmbeddedRedis
from gateway.job_worker import GatewayWorker
from gateway.jobs import QUEUE_NAMES
from tests.http_stub import StubServer
from tests.support import gateway_environment, send_through_africastalking
from tests.workers.fake_africastalking import MESSAGING_PATH, FakeServer, InterceptedApi


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    """A fake Africa's Talking on a real port, for worker processes."""
    with FakeServer() as server:
        yield server


@pytest.fixture
def environment(tmp_path: Path, fake: FakeServer) -> Iterator[dict[str, str]]:
    """What a started ``gateway`` process sees: a SQLite file, a Redis of its own, ``fake``."""
    with EmbeddedRedis() as redis_server:
        database_url = f"sqlite:///{tmp_path / 'gateway.sqlite3'}"
        yield gateway_environment(database_url, redis_server.url, fake.url)


@pytest.fixture
def at_api() -> Iterator[InterceptedApi]:
    """Africa's Talking's API on a local socket (its URL in ``api.url``); the SDK runs for real."""
    api = InterceptedApi()
    with StubServer() as server:
        server.add_callback("POST", MESSAGING_PATH, api.callback)
        api.url = server.url
        yield api


@pytest.fixture
def at_app(app: Flask, at_api: InterceptedApi) -> Flask:
    """The app, configured as with ``SMS_PROVIDER=africastalking`` on the sandbox,
    ``AT_API_URL`` pointing at ``at_api``."""
    send_through_africastalking(app, at_api.url)
    return app


@pytest.fixture
def work(app: Flask) -> Callable[..., None]:
    """Run the product's worker on the app's queues (urgent first) until they are empty.

    It runs jobs in this process (no fork), inside the test's app context, so
    the jobs see the test's database and the intercepted HTTP.
    """

    def run(max_jobs: int | None = None) -> None:
        queues = [app.extensions["queues"][name] for name in QUEUE_NAMES]
        GatewayWorker(queues, connection=app.extensions["redis"]).work(
            burst=True, max_jobs=max_jobs
        )

    return run
