"""Fixtures for the jobs: a real RQ worker in-process, and Africa's Talking intercepted."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import pytest
import responses
from flask import Flask
from rq import SimpleWorker

from tests.workers.fake_africastalking import SANDBOX_URL, InterceptedApi
from workers.queues import QUEUE_NAMES


@pytest.fixture
def at_api() -> Iterator[InterceptedApi]:
    """Africa's Talking's sandbox API, answered at the HTTP layer; the SDK runs for real."""
    api = InterceptedApi()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as intercept:
        intercept.add_callback(responses.POST, SANDBOX_URL, callback=api.callback)
        yield api


@pytest.fixture
def at_app(app: Flask, at_api: InterceptedApi) -> Flask:
    """The app, configured as with ``SMS_PROVIDER=africastalking`` on the sandbox."""
    app.config["SETTINGS"] = dataclasses.replace(
        app.config["SETTINGS"],
        sms_provider="africastalking",
        at_username="sandbox",
        at_api_key="test-api-key",
    )
    app.extensions.pop("sms_provider", None)
    return app


@pytest.fixture
def work(app: Flask) -> Callable[..., None]:
    """Run a real RQ worker on the app's queues (urgent first) until they are empty.

    ``SimpleWorker`` runs jobs in this process, inside the test's app context,
    so the jobs see the test's database and the intercepted HTTP.
    """

    def run(max_jobs: int | None = None) -> None:
        queues = [app.extensions["queues"][name] for name in QUEUE_NAMES]
        SimpleWorker(queues, connection=app.extensions["redis"]).work(burst=True, max_jobs=max_jobs)

    return run
