"""Inbound SMS as an inbox: the webhook stores, the workers watch and handle in batches.

Each stored row is handled exactly once, in arrival order per phone, whatever
fails in between; a row whose wake-up was lost is found by the watch or the sweep.
The webhook never waits for a worker's transaction.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from peewee import OperationalError

from db.base import database, utcnow
from db.inbox import WaitingSms, ensure, inbox_database
from db.models import Case, Declaration, Household, InboundMessage, OutboundMessage
from gateway.job_worker import GatewayWorker, InboxWatch
from gateway.jobs import (
    DEFAULT,
    INBOX_JOB,
    INBOX_WAKE_KEY,
    QUEUE_NAMES,
    URGENT,
    drain_waiting,
)
from gateway.providers.base import IncomingSms
from gateway.services import inbound_sms
from tests import factories
from workers.inbox import (
    BATCHES_PER_JOB,
    SETTLE_LIMIT,
    STALE,
    SettledWatch,
    handle_inbox,
    sweep_inbox,
    wake_if_waiting,
)

STATION = "+84977000999"
"""The station's duty mobile: a red flag texts it at once."""
MEMBER = "+84988000001"
PHONES = [f"+8491200{index:04d}" for index in range(6)]
_ids = itertools.count()


@pytest.fixture
def commune(app: Flask) -> None:
    commune = factories.commune("IB", health_station_mobile=STATION)
    team = factories.team(commune, "Thon Dong")
    member = factories.member(team, MEMBER, "Le Thi Hoa")
    for index, phone in enumerate(PHONES):
        factories.household(team, f"IB{index:03d}", (phone,), member)


def text(client: FlaskClient, sender: str, body: str, message_id: str | None = None) -> str:
    """Post one SMS (not handled yet); the webhook's answer."""
    data = {"from": sender, "to": "8088", "text": body, "id": message_id or f"ib_{next(_ids)}"}
    response = client.post("/webhooks/africastalking/sms", data=data)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def replies_to(phone: str) -> list[str]:
    query = OutboundMessage.select().where(OutboundMessage.phone == phone)
    return [message.text for message in query.order_by(OutboundMessage.id)]


@pytest.fixture
def work(app: Flask) -> Callable[[], None]:
    """A real RQ worker on the app's queues, in this process, until they are empty."""

    def run() -> None:
        queues = [app.extensions["queues"][name] for name in QUEUE_NAMES]
        GatewayWorker(queues, connection=app.extensions["redis"]).work(burst=True)

    return run


@pytest.mark.usefixtures("commune")
def test_the_webhook_stores_and_a_worker_handles(client, app, work):
    assert text(client, PHONES[0], "2 13 2 385") == "received"
    waiting = WaitingSms.get()
    assert (waiting.phone, waiting.text, waiting.to) == (PHONES[0], "2 13 2 385", "8088")
    assert InboundMessage.select().count() == Declaration.select().count() == 0
    assert OutboundMessage.select().count() == 0
    assert app.extensions["queues"][URGENT].count == 0, "the webhook needs no Redis"
    work()
    assert WaitingSms.select().count() == 0
    row = InboundMessage.get()
    assert row.outcome == "handled" and row.handled_at >= row.received_at
    assert (row.provider_id, row.received_at) == (waiting.provider_id, waiting.received_at)
    assert Case.select().count() == 1
    assert {m.phone for m in OutboundMessage.select()} == {PHONES[0], MEMBER, STATION}
    assert {m.state for m in OutboundMessage.select()} == {"sent"}


@pytest.mark.usefixtures("commune")
def test_a_burst_wakes_one_drain_job_that_handles_it_all(client, app, work):
    for index in range(30):
        text(client, PHONES[index % len(PHONES)], "1")
    assert wake_if_waiting() and wake_if_waiting()
    assert app.extensions["queues"][URGENT].count == 1
    work()
    assert {row.outcome for row in InboundMessage.select()} == {"handled"}
    assert Declaration.select().count() == 30
    for phone in PHONES:
        assert len(replies_to(phone)) == 5


@pytest.mark.usefixtures("commune")
def test_the_same_id_from_another_phone_is_another_message(client):
    assert text(client, PHONES[0], "1", message_id="ATXid_shared") == "received"
    assert text(client, PHONES[1], "1", message_id="ATXid_shared") == "received"
    assert text(client, PHONES[0], "1", message_id="ATXid_shared") == "duplicate"
    handle_inbox()
    assert InboundMessage.select().count() == 2
    declared = {d.household.code for d in Declaration.select().where(Declaration.is_current)}
    assert declared == {"IB000", "IB001"}
    assert len(replies_to(PHONES[0])) == 1 and len(replies_to(PHONES[1])) == 1


@pytest.mark.usefixtures("commune")
def test_one_phones_messages_are_handled_in_the_order_they_arrived(client):
    text(client, PHONES[0], "DUNG")
    text(client, PHONES[0], "start")
    text(client, PHONES[1], "start")
    text(client, PHONES[1], "DUNG")
    assert handle_inbox() == 4
    assert not Household.get(Household.code == "IB000").opted_out
    assert Household.get(Household.code == "IB001").opted_out


@pytest.mark.usefixtures("commune")
def test_a_member_acknowledges_a_case_opened_in_the_same_batch(client):
    text(client, PHONES[0], "2 2")
    handle_inbox()
    case = Case.get()
    text(client, MEMBER, f"ok {case.id}")
    text(client, MEMBER, f"xong {case.id} on dinh")
    handle_inbox()
    assert Case.get_by_id(case.id).state == "resolved"
    assert [row.outcome for row in InboundMessage.select().order_by(InboundMessage.id)] == [
        "handled"
    ] * 3


@pytest.mark.usefixtures("commune")
def test_throttling_counts_what_came_before_within_a_batch(client):
    for _ in range(25):
        text(client, PHONES[0], "xin chao")
    handle_inbox()
    outcomes = [row.outcome for row in InboundMessage.select().order_by(InboundMessage.id)]
    assert outcomes == ["handled"] * 20 + ["throttled"] * 5
    assert len(replies_to(PHONES[0])) == 21
    assert Household.get(Household.code == "IB000").visit_reason


@pytest.mark.usefixtures("commune")
def test_a_batch_that_fails_is_rolled_back_whole_and_handled_once_later(client, monkeypatch):
    for phone in PHONES:
        text(client, phone, "2 2")
    real = inbound_sms.compose
    calls = itertools.count()

    def failing(*args):
        if next(calls) == 3:
            raise OperationalError("connection lost")
        return real(*args)

    monkeypatch.setattr(inbound_sms, "compose", failing)
    with pytest.raises(OperationalError):
        handle_inbox()
    assert WaitingSms.select().count() == 6
    assert InboundMessage.select().count() == 0
    assert Declaration.select().count() == Case.select().count() == 0
    assert OutboundMessage.select().count() == 0
    monkeypatch.setattr(inbound_sms, "compose", real)
    assert handle_inbox() == 6
    assert handle_inbox() == 0
    assert Case.select().count() == 6
    for phone in PHONES:
        assert len(replies_to(phone)) == 1


@pytest.mark.usefixtures("commune")
def test_a_message_that_breaks_the_code_is_set_aside_alone(client, app, monkeypatch):
    for phone in PHONES[:3]:
        text(client, phone, "2 2")
    real = inbound_sms.compose

    def broken(command, outcome, caller):
        if caller.phone == PHONES[1]:
            raise ValueError("a bug")
        return real(command, outcome, caller)

    monkeypatch.setattr(inbound_sms, "compose", broken)
    assert handle_inbox() == 3
    outcomes = {row.phone: row.outcome for row in InboundMessage.select()}
    assert outcomes == {PHONES[0]: "handled", PHONES[1]: "error", PHONES[2]: "handled"}
    assert Case.select().count() == 2
    assert replies_to(PHONES[1]) == []
    priorities = {message.priority for message in OutboundMessage.select()}
    assert priorities == {URGENT, DEFAULT}
    assert all(drain_waiting(priority) for priority in priorities)


@pytest.mark.usefixtures("commune")
def test_the_sweep_handles_rows_whose_wake_up_was_lost(client, app):
    for phone in PHONES:
        text(client, phone, "1")
    app.extensions["queues"][URGENT].empty()
    assert sweep_inbox() == 0
    assert sweep_inbox(utcnow() + STALE + dt.timedelta(seconds=1)) == 6
    assert Declaration.select().count() == 6
    assert sweep_inbox(utcnow() + STALE + dt.timedelta(seconds=1)) == 0


@pytest.mark.usefixtures("commune")
def test_a_big_backlog_hands_over_to_a_fresh_job(client, app):
    for index in range(2 * BATCHES_PER_JOB + 1):
        text(client, PHONES[index % len(PHONES)], "1")
    app.extensions["queues"][URGENT].empty()
    app.extensions["redis"].delete(INBOX_WAKE_KEY)
    assert handle_inbox(batch_size=2) == 2 * BATCHES_PER_JOB
    assert app.extensions["queues"][URGENT].count == 1
    assert handle_inbox(batch_size=2) == 1
    assert app.extensions["queues"][URGENT].count == 1


@pytest.mark.usefixtures("commune")
def test_a_running_worker_watches_the_inbox(client, app):
    """No wake-up from the webhook: the worker's watch queues a drain within moments."""
    assert not wake_if_waiting()
    watch = InboxWatch(app, interval=0.01)
    watch.start()
    try:
        text(client, PHONES[0], "1")
        deadline = time.monotonic() + 5
        while app.extensions["queues"][URGENT].count == 0:
            assert time.monotonic() < deadline, "the watch never queued a drain"
            time.sleep(0.01)
    finally:
        watch.stop()
    assert app.extensions["queues"][URGENT].count == 1
    handle_inbox()
    assert not wake_if_waiting()
    assert replies_to(PHONES[0])


@pytest.mark.usefixtures("commune")
def test_a_drain_that_dies_after_its_commit_leaves_nothing_to_handle_twice(client, monkeypatch):
    for phone in PHONES:
        text(client, phone, "2 2")
    real = inbound_sms._leave_inbox

    def dying(rows):
        raise OperationalError("the worker died before it emptied the inbox")

    monkeypatch.setattr(inbound_sms, "_leave_inbox", dying)
    with pytest.raises(OperationalError):
        handle_inbox()
    assert WaitingSms.select().count() == 6, "still waiting, and already recorded"
    assert InboundMessage.select().count() == Case.select().count() == 6
    monkeypatch.setattr(inbound_sms, "_leave_inbox", real)
    assert handle_inbox() == 0
    assert WaitingSms.select().count() == 0
    assert InboundMessage.select().count() == Case.select().count() == 6
    for phone in PHONES:
        assert len(replies_to(phone)) == 1


@pytest.mark.usefixtures("commune")
def test_a_providers_retry_after_the_sms_was_handled_is_a_duplicate(client):
    assert text(client, PHONES[0], "2 2", message_id="ATXid_again") == "received"
    handle_inbox()
    assert text(client, PHONES[0], "2 2", message_id="ATXid_again") == "duplicate"
    assert WaitingSms.select().count() == 0
    assert handle_inbox() == 0
    assert Case.select().count() == 1 and len(replies_to(PHONES[0])) == 1


@pytest.mark.usefixtures("commune")
def test_the_webhook_does_not_wait_for_a_workers_transaction(client, app, database_url):
    """On SQLite the inbox is a file of its own: a worker holding the main file's one
    writer (here, for up to 5 s) does not hold up a webhook."""
    holding, answered = threading.Event(), threading.Event()

    def worker_transaction() -> None:
        with app.app_context(), database.atomic():
            database.execute_sql('UPDATE "commune" SET "name" = "name"')
            holding.set()
            answered.wait(5)

    holder = threading.Thread(target=worker_transaction)
    holder.start()
    assert holding.wait(5)
    try:
        assert text(client, PHONES[0], "1") == "received"
        assert holder.is_alive(), "the webhook answered only after the transaction ended"
    finally:
        answered.set()
        holder.join()
    if database_url.startswith("sqlite"):
        assert inbox_database.obj.database == f"{database.obj.database}-inbox"
    else:
        assert inbox_database.obj is database.obj
    assert handle_inbox() == 1


@pytest.mark.usefixtures("commune")
def test_what_an_older_gateway_left_unhandled_moves_into_the_inbox(client):
    """Before the inbox had a database of its own, the webhook stored in ``inbound_message``;
    an upgrade must not strand what was still waiting there."""
    for phone in PHONES[:2]:
        InboundMessage.create(phone=phone, text="1", provider_id=f"old-{phone}", to="8088")
    InboundMessage.create(
        phone=PHONES[2], text="1", provider_id="done", outcome="handled", handled_at=utcnow()
    )
    ensure()
    assert {row.phone for row in WaitingSms.select()} == set(PHONES[:2])
    assert InboundMessage.select().count() == 1
    ensure()
    assert WaitingSms.select().count() == 2
    assert handle_inbox() == 2
    assert {row.outcome for row in InboundMessage.select()} == {"handled"}
    assert len(replies_to(PHONES[0])) == len(replies_to(PHONES[1])) == 1


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.usefixtures("commune")
def test_the_watch_queues_the_drain_once_the_inbox_stops_growing(client, app):
    clock, drains = Clock(), app.extensions["queues"][URGENT]
    watch = SettledWatch(clock)
    assert not watch(), "an empty inbox"
    text(client, PHONES[0], "1")
    assert not watch(), "first seen: it may still be growing"
    text(client, PHONES[1], "1")
    clock.now += 0.05
    assert not watch(), "it grew"
    assert drains.count == 0
    clock.now += 0.05
    assert watch(), "it stopped growing"
    assert drains.count == 1
    handle_inbox()
    assert not watch()
    assert len(replies_to(PHONES[0])) == len(replies_to(PHONES[1])) == 1


@pytest.mark.usefixtures("commune")
def test_a_steady_stream_is_drained_within_the_settling_limit(client, app):
    clock, drains = Clock(), app.extensions["queues"][URGENT]
    watch, start = SettledWatch(clock), clock.now
    for tick in range(100):
        text(client, PHONES[tick % len(PHONES)], "1")
        if watch():
            break
        clock.now += 0.05
    assert drains.count == 1
    assert SETTLE_LIMIT <= clock.now - start < SETTLE_LIMIT + 0.1


@pytest.mark.usefixtures("commune")
def test_no_second_drain_is_queued_while_one_runs(client, app, monkeypatch):
    """Drains take batches one at a time: a second would wait for the first in a worker
    that could send meanwhile. The running drain queues the next if SMS still wait."""
    urgent = app.extensions["queues"][URGENT]

    def drains() -> int:
        return sum(job.func_name == INBOX_JOB for job in urgent.jobs)

    waiting = BATCHES_PER_JOB + 1  # each batch takes 2 and 1 arrives: every batch is full
    for index in range(waiting):
        text(client, PHONES[index % len(PHONES)], "1")
    real, queued_meanwhile, senders = inbound_sms.handle_pending, [], itertools.cycle(PHONES)

    def arriving_meanwhile(settings, limit):
        sms = IncomingSms(sender=next(senders), text="2 2", provider_id=f"mid_{next(_ids)}")
        assert inbound_sms.receive(sms, settings) == "received"
        queued_meanwhile.append(wake_if_waiting() and drains())
        return real(settings, 2)

    monkeypatch.setattr("workers.inbox.handle_pending", arriving_meanwhile)
    handle_inbox(batch_size=2)
    assert queued_meanwhile == [0] * BATCHES_PER_JOB
    assert drains() == 1, "SMS still wait: the drain queued the next"
    monkeypatch.undo()
    urgent.empty()
    while handle_inbox():
        pass
    assert drains() == 0
    assert WaitingSms.select().count() == 0
    assert InboundMessage.select().count() == waiting + BATCHES_PER_JOB
