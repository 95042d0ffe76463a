"""The sweep: what the queue missed is found, once, and a dead worker's rows are judged."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from flask import Flask
from rq import SimpleWorker

from db.base import utcnow
from db.models import OutboundMessage
from gateway import create_app
from gateway.embedded_redis import EmbeddedRedis
from gateway.jobs import BULK, DEFAULT, HOUSEKEEPING, PERIODIC, QUEUE_NAMES, URGENT
from gateway.services.outbox import outbox, queue_sms
from workers.sweep import UNKNOWN_AFTER_DEATH, SweepReport, sweep_outbox

LATER = dt.timedelta(minutes=10)
"""Far enough ahead that every threshold of the sweep has passed."""


def printed(app: Flask) -> list[str]:
    return [sms.phone for sms in app.extensions["sms_provider"].sent]


def test_recovery_runs_every_minute_on_its_own_queue_after_urgent():
    recovery = {"workers.sweep.sweep_outbox", "workers.escalation.rearm_escalations"}
    assert {
        job.func for job in PERIODIC if job.queue == HOUSEKEEPING and job.cron == "* * * * *"
    } >= recovery
    assert QUEUE_NAMES.index(URGENT) < QUEUE_NAMES.index(HOUSEKEEPING) < QUEUE_NAMES.index(DEFAULT)


def test_with_redis_down_the_message_commits_and_leaves_once_redis_is_back(
    app: Flask, caplog: pytest.LogCaptureFixture
):
    settings = app.config["SETTINGS"]
    with EmbeddedRedis() as server:
        cut_off = create_app(
            {
                "DATABASE_URL": settings.database_url,
                "REDIS_URL": server.url,
                "SECRET_KEY": "test-secret",
                "SMS_PROVIDER": "console",
            }
        )
        with cut_off.app_context():
            server.stop()
            with caplog.at_level(logging.WARNING), outbox():
                message = queue_sms("+84912345678", "Da nhan khai bao cua ho 12", priority=DEFAULT)
            assert OutboundMessage.get_by_id(message.id).state == "queued"
            assert "left for the sweep" in caplog.text

            server.start()
            assert sweep_outbox(utcnow() + LATER).enqueued == 1
            assert sweep_outbox(utcnow() + LATER).enqueued == 0  # its job is waiting
            queues = list(cut_off.extensions["queues"].values())
            SimpleWorker(queues, connection=cut_off.extensions["redis"]).work(burst=True)
            assert sweep_outbox(utcnow() + LATER).enqueued == 0

            assert printed(cut_off) == ["+84912345678"]
            assert OutboundMessage.get_by_id(message.id).state == "sent"


def test_the_sweep_leaves_waiting_messages_to_their_jobs(app: Flask, work):
    with outbox():
        for index in range(3):
            queue_sms(f"+8491234567{index}", "Nhac khai bao", priority=BULK)
        queue_sms("+84987654321", "Ca khan 4", priority=URGENT)

    assert sweep_outbox(utcnow() + LATER) == SweepReport(expired=0, enqueued=0, resent=0, failed=0)
    work()

    assert sorted(printed(app)) == ["+84912345670", "+84912345671", "+84912345672", "+84987654321"]


def _row(phone: str, priority: str, state: str, provider: str = "", **values) -> int:
    """A row as a worker killed mid-send leaves it (no job holds it any more)."""
    old = utcnow() - dt.timedelta(minutes=30)
    return OutboundMessage.create(
        phone=phone,
        text=f"text for {phone}",
        priority=priority,
        state=state,
        provider=provider,
        attempts=1 if state == "sending" else 0,
        created_at=old,
        updated_at=old,
        **values,
    ).id


def test_a_dead_workers_rows_are_resent_or_failed_as_documented(app: Flask, work):
    now = utcnow()
    urgent_in_flight = _row("+84900000001", URGENT, "sending", "africastalking")
    reply_in_flight = _row("+84900000002", DEFAULT, "sending", "africastalking")
    bulk_in_flight = _row("+84900000003", BULK, "sending", "africastalking")
    bulk_claimed = _row("+84900000004", BULK, "sending")
    lost_enqueue = _row("+84900000005", DEFAULT, "queued")
    too_late = _row("+84900000006", BULK, "queued", expires_at=now - dt.timedelta(minutes=5))
    busy = OutboundMessage.create(
        phone="+84900000007", text="t", priority=BULK, state="sending", provider="console"
    ).id

    report = sweep_outbox(now)
    work()

    assert report == SweepReport(expired=1, enqueued=1, resent=3, failed=1)
    states = {row.id: (row.state, row.failure_reason) for row in OutboundMessage.select()}
    assert states == {
        urgent_in_flight: ("sent", None),
        reply_in_flight: ("sent", None),
        bulk_in_flight: ("failed", UNKNOWN_AFTER_DEATH),
        bulk_claimed: ("sent", None),
        lost_enqueue: ("sent", None),
        too_late: ("expired", "expired before it could be sent"),
        busy: ("sending", None),
    }
    assert sorted(printed(app)) == [
        "+84900000001",
        "+84900000002",
        "+84900000004",
        "+84900000005",
    ]
