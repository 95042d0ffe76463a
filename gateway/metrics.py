"""``/metrics`` for Prometheus: the numbers an operator running a province watches.

Each number is kept where it stays true:

- **Counters and histograms of the web processes** (requests and their latency,
  webhook outcomes, time to acknowledge a case) are ``prometheus_client``
  metrics. Under gunicorn every worker process counts its own requests, so a
  scrape answered by one process would see a fraction of them. Set
  ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory in gunicorn's environment
  (the process environment, not ``.env``: ``prometheus_client`` reads it when
  it is first imported, before the app exists): every process then writes its
  values to files there and any process answering ``/metrics`` sums them all.
  Empty the directory before each start (files of an earlier run would be added
  to this one's) and give each gunicorn instance its own. Counters only, so
  gunicorn's ``child_exit`` hook (``mark_process_dead``, for live gauges) is not
  needed.
- **Send failures** are counted by the RQ jobs, and RQ forks a work horse per
  job: a counter in its memory dies with the job, and a multiprocess file per
  job would pile up by the thousand. The jobs count in Redis instead (one
  ``HINCRBY``), shared by every worker on every host; a Redis flush resets it,
  which Prometheus' ``rate()`` handles like any counter reset.
- **Gauges read at scrape time**, from the source of truth: jobs per RQ queue
  and state (one Redis pipeline), and outbox rows still waiting to leave (one
  query on the ``(state, created_at)`` index). A part that is down is reported
  as ``gateway_part_up 0`` and its numbers are left out; the scrape still works.

``/metrics`` says how busy a health system is, so it is not public: with
``METRICS_TOKEN`` set it answers only ``Authorization: Bearer <METRICS_TOKEN>``
(Prometheus' ``authorization`` scrape setting); without it, only in debug mode.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import os
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from flask import Blueprint, Flask, Response, abort, current_app, request
from peewee import PeeweeException, fn
from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from redis.exceptions import RedisError

from db.base import utcnow
from db.models import RUNGS, Case, OutboundMessage
from gateway.redis_queues import redis

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)
bp = Blueprint("metrics", __name__)

REGISTRY = CollectorRegistry()
"""This process's metrics; declared once per process, like a module's logger."""
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
WAITING_STATES = ("queued", "sending")
SEND_FAILURES_KEY = "gateway:metrics:send-failures"

REQUESTS = Counter(
    "gateway_http_requests",
    "HTTP requests answered, by route (not path: no ids or phones), method and status.",
    ["endpoint", "method", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "gateway_http_request_duration_seconds",
    "Time to answer a request; Africa's Talking gives a USSD callback 15 seconds.",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15),
    registry=REGISTRY,
)
SMS_RECEIVED = Counter(
    "gateway_sms_received",
    "Incoming SMS by outcome: handled, duplicate, throttled, ignored, or the problem.",
    ["outcome"],
    registry=REGISTRY,
)
DECLARATIONS = Counter(
    "gateway_declarations_recorded",
    "Declarations committed, by channel (ussd, sms, proxy).",
    ["channel"],
    registry=REGISTRY,
)
REPEATED = Counter(
    "gateway_declarations_repeated",
    "Repeated callbacks of a declaration already recorded, which recorded nothing.",
    ["channel"],
    registry=REGISTRY,
)
CASES_OPENED = Counter(
    "gateway_cases_opened",
    "Cases committed, by kind (symptoms, arrival, contact, help).",
    ["kind"],
    registry=REGISTRY,
)
ACKNOWLEDGED = Histogram(
    "gateway_case_acknowledge_seconds",
    "From a case opening to its acknowledgement, by the rung it had climbed to.",
    ["rung"],
    buckets=(30, 60, 120, 300, 600, 900, 1800, 2700, 3600, 7200, 14400, 43200, 86400),
    registry=REGISTRY,
)


def observe_acknowledgement(case: Case, at: dt.datetime) -> None:
    """Record how long ``case`` waited for someone to take it."""
    waited = max((at - case.opened_at).total_seconds(), 0.0)
    ACKNOWLEDGED.labels(rung=RUNGS[case.rung]).observe(waited)


def count_send_failures(kind: str, count: int = 1) -> None:
    """Count failed sends in Redis (see the module docstring); never fails the job.

    ``kind``: ``rejected`` (the provider refused a recipient: final) or
    ``provider_error`` (the request failed: the job retries).
    """
    try:
        redis().hincrby(SEND_FAILURES_KEY, kind, count)
    except RedisError as exc:
        log.warning("send failure not counted (Redis): %s", type(exc).__name__)


class ScrapeTimeState:
    """Gauges computed when Prometheus scrapes, from Redis and the database."""

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "gateway_part_up", "Whether the scrape could read the part.", labels=["part"]
        )
        for part, read in (("redis", self._redis), ("db", self._outbox)):
            try:
                families = list(read())
            except (RedisError, PeeweeException) as exc:
                log.warning("metrics: %s unreadable: %s", part, type(exc).__name__)
                up.add_metric([part], 0)
                continue
            up.add_metric([part], 1)
            yield from families
        yield up

    @staticmethod
    def _redis() -> Iterator[Metric]:
        queues = current_app.extensions["queues"]
        pipe = redis().pipeline(transaction=False)
        for queue in queues.values():
            pipe.llen(queue.key)
            for registry in (
                queue.scheduled_job_registry,
                queue.started_job_registry,
                queue.failed_job_registry,
            ):
                pipe.zcard(registry.key)
        pipe.hgetall(SEND_FAILURES_KEY)
        *counts, failures = pipe.execute()
        jobs = GaugeMetricFamily(
            "gateway_queue_jobs",
            "RQ jobs per queue and state; queued is the backlog.",
            labels=["queue", "state"],
        )
        states = ("queued", "scheduled", "started", "failed")
        for index, name in enumerate(queues):
            for offset, state in enumerate(states):
                jobs.add_metric([name, state], counts[index * len(states) + offset])
        yield jobs
        sent = CounterMetricFamily(
            "gateway_send_failures", "SMS the provider refused or could not take.", labels=["kind"]
        )
        for kind, value in sorted(failures.items()):
            sent.add_metric([kind.decode()], int(value))
        yield sent

    @staticmethod
    def _outbox() -> Iterator[Metric]:
        rows = (
            OutboundMessage.select(
                OutboundMessage.state,
                OutboundMessage.priority,
                fn.COUNT(OutboundMessage.id),
                fn.MIN(OutboundMessage.created_at),
            )
            .where(OutboundMessage.state.in_(WAITING_STATES))
            .group_by(OutboundMessage.state, OutboundMessage.priority)
            .tuples()
        )
        waiting = GaugeMetricFamily(
            "gateway_outbox_messages",
            "Outbound SMS not yet handed to the provider, by state and priority.",
            labels=["state", "priority"],
        )
        oldest = GaugeMetricFamily(
            "gateway_outbox_oldest_seconds",
            "Age of the oldest outbound SMS in each waiting state and priority.",
            labels=["state", "priority"],
        )
        now = utcnow()
        for state, priority, count, first in rows:
            waiting.add_metric([state, priority], count)
            oldest.add_metric([state, priority], max((now - first).total_seconds(), 0.0))
        yield waiting
        yield oldest


@bp.get("/metrics")
def metrics() -> Response:
    settings = current_app.config["SETTINGS"]
    if settings.metrics_token is None:
        if not current_app.debug:
            abort(404)
    else:
        given = request.headers.get("Authorization", "").encode()
        if not hmac.compare_digest(given, f"Bearer {settings.metrics_token}".encode()):
            return Response("401 Unauthorized\n", 401, {"WWW-Authenticate": "Bearer"})
    scrape = CollectorRegistry()
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:  # prometheus_client's own test for the mode
        multiprocess.MultiProcessCollector(scrape)
    else:
        scrape.register(REGISTRY)
    scrape.register(ScrapeTimeState())
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    return Response(encode(scrape), content_type=content_type)


STARTED = "gateway.metrics.started"
"""The ``environ`` key where :class:`Stamped` puts when a request reached the app."""


class Stamped:
    """Notes in ``environ`` when each request reaches a Flask app, for its latency.

    A wrapper round ``app.wsgi_app`` rather than a ``before_request`` hook: Flask
    calls each hook through ``ensure_sync``, and for a USSD screen the two
    hooks of the metrics cost more than their counter and histogram.
    """

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        environ[STARTED] = time.perf_counter()
        return self.app(environ, start_response)


_counted: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}
"""Each (route, method, status)'s counter and histogram, looked up by labels once."""


def _count_request(response: Response) -> Response:
    """Runs for every answer, a 500 from an unhandled error included."""
    answered = request._get_current_object()  # one context lookup, not one per attribute
    endpoint = answered.url_rule.rule if answered.url_rule else "unmatched"
    method = answered.method if answered.method in METHODS else "other"
    key = (endpoint, method, response.status_code)
    children = _counted.get(key)
    if children is None:
        status = str(response.status_code)
        children = REQUESTS.labels(endpoint, method, status), LATENCY.labels(endpoint)
        _counted[key] = children
    count, latency = children
    count.inc()
    started = answered.environ.get(STARTED)
    if started is not None:
        latency.observe(time.perf_counter() - started)
    return response


def init_app(app: Flask) -> None:
    count_requests(app)
    app.register_blueprint(bp)


def count_requests(app: Flask) -> None:
    """Every answer of ``app`` counted and timed (the console's, the callbacks')."""
    app.wsgi_app = Stamped(app.wsgi_app)  # type: ignore[method-assign]
    app.after_request(_count_request)
