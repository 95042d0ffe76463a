"""Sending: the product's worker on the test Redis, the real Africa's Talking SDK,
its HTTP intercepted. Each message leaves once, on its priority's queue, and
urgent and default messages are drained in batches, not a job each."""

from __future__ import annotations

import datetime as dt
import threading

import requests
from flask import Flask
from rq.job import Job, JobStatus
from rq.registry import FinishedJobRegistry, ScheduledJobRegistry

from db.base import utcnow
from db.models import OutboundMessage
from gateway.jobs import (
    BATCH_SIZE,
    BULK,
    DEFAULT,
    DRAIN_JOB,
    SEND_BATCH_JOB,
    URGENT,
    enqueue_messages,
)
from gateway.services.outbox import outbox, queue_sms
from tests.workers.fake_africastalking import InterceptedApi
from workers.sending import (
    DRAIN_BATCH,
    EXPIRED_REASON,
    SEND_THREADS,
    drain,
    send_batch,
    threads_needed,
)

PHONE = "+84912345678"
ALERT = "Ca khẩn số 12: hộ Nguyễn Văn A, thôn Đông, sốt cao và khó thở. Trả lời OK 12 để nhận."


def phones(count: int) -> list[str]:
    return [f"+8491{index:07d}" for index in range(count)]


def queue_many(numbers: list[str], text: str, priority: str = BULK) -> list[OutboundMessage]:
    with outbox():
        return [queue_sms(number, text, priority=priority) for number in numbers]


def test_a_queued_message_is_sent_once_and_recorded(at_app, at_api: InterceptedApi, work):
    with outbox():
        message = queue_sms(PHONE, ALERT, priority=URGENT)

    work()
    work()

    assert at_api.recipients() == [PHONE]
    assert at_api.requests[0]["message"] == ALERT
    row = OutboundMessage.get_by_id(message.id)
    assert row.state == "sent"
    assert row.provider == "africastalking"
    assert row.provider_id.startswith("ATXid_")
    assert row.cost == "KES 0.8000"
    assert (row.encoding, row.segments) == ("UCS-2", 2)
    assert row.attempts == 1
    assert row.sent_at is not None


def test_two_jobs_for_the_same_message_send_it_once(at_app: Flask, at_api, work):
    with outbox():
        message = queue_sms(PHONE, "Nhac: khai bao y te truoc 14:00", priority=DEFAULT)
    at_app.extensions["queues"][DEFAULT].enqueue(DRAIN_JOB, DEFAULT)
    at_app.extensions["queues"][BULK].enqueue(SEND_BATCH_JOB, [message.id])

    work()

    assert at_api.recipients() == [PHONE]
    assert OutboundMessage.get_by_id(message.id).state == "sent"
    finished = sum(
        FinishedJobRegistry(queue=queue).count for queue in at_app.extensions["queues"].values()
    )
    assert finished == 3


def test_enqueueing_the_same_messages_again_collapses(at_app: Flask, at_api, work):
    urgent = queue_many([PHONE], "Ca khan 3", priority=URGENT)
    bulk = queue_many(phones(3), "Nhac khai bao")
    queues = at_app.extensions["queues"]
    assert (queues[URGENT].count, queues[BULK].count) == (1, 1)

    enqueue_messages(urgent + bulk)
    enqueue_messages(urgent + bulk)

    assert (queues[URGENT].count, queues[BULK].count) == (1, 1)
    work()
    assert sorted(at_api.recipients()) == sorted([PHONE, *phones(3)])


def test_two_jobs_running_at_once_send_each_message_once(app: Flask):
    messages = queue_many(phones(200), "Nhac khai bao truoc 14:00")
    ids = [message.id for message in messages]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def job() -> None:
        with app.app_context():
            start.wait(timeout=10)
            try:
                send_batch(ids)
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    printed = [sms.phone for sms in app.extensions["sms_provider"].sent]
    assert sorted(printed) == sorted(phones(200))
    assert {row.state for row in OutboundMessage.select()} == {"sent"}


def test_two_drains_running_at_once_send_each_message_once(app: Flask):
    numbers = phones(3 * DRAIN_BATCH)
    with outbox():
        for index, number in enumerate(numbers):
            queue_sms(number, f"Da nhan khai bao cua ho {index % 7}", priority=DEFAULT)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        with app.app_context():
            start.wait(timeout=10)
            try:
                while OutboundMessage.select().where(OutboundMessage.state == "queued").exists():
                    drain(DEFAULT)
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    printed = [sms.phone for sms in app.extensions["sms_provider"].sent]
    assert sorted(printed) == sorted(numbers)
    assert {row.state for row in OutboundMessage.select()} == {"sent"}


def test_replies_are_drained_in_batches_not_a_job_each(at_app: Flask, at_api, work):
    numbers = phones(DRAIN_BATCH + 100)
    with outbox():
        for number in numbers[:100]:
            queue_sms(number, "Da nhan: ca nha khoe.", priority=DEFAULT)
    for index, number in enumerate(numbers[100:]):
        with outbox():  # each reply commits with its own declaration
            queue_sms(number, f"Da nhan khai bao cua ho {index}", priority=DEFAULT)
    assert at_app.extensions["queues"][DEFAULT].count == 1

    work()

    finished = FinishedJobRegistry(queue=at_app.extensions["queues"][DEFAULT])
    assert finished.count == 2  # a full batch, then its continuation
    assert sorted(at_api.recipients()) == sorted(numbers)
    assert len(at_api.requests) == 1 + DRAIN_BATCH  # the identical text went as one request
    assert {row.state for row in OutboundMessage.select()} == {"sent"}


def test_a_drain_records_each_rows_own_result(at_app: Flask, at_api: InterceptedApi, work):
    numbers = phones(DRAIN_BATCH)
    at_api.refusals = {numbers[7]: (406, "UserInBlacklist")}
    for index, number in enumerate(numbers):
        with outbox():
            queue_sms(number, f"Da nhan khai bao cua ho {index}", priority=DEFAULT)

    work()

    rows = {row.phone: row for row in OutboundMessage.select()}
    refused = rows.pop(numbers[7])
    assert (refused.state, refused.failure_reason, refused.provider_id) == (
        "rejected",
        "UserInBlacklist",
        None,
    )
    assert {(row.state, row.cost) for row in rows.values()} == {("sent", "KES 0.8000")}
    assert len({row.provider_id for row in rows.values()}) == len(rows)
    assert all(row.provider_id.startswith("ATXid_") and row.sent_at for row in rows.values())


def test_a_slow_provider_gets_a_drains_requests_side_by_side(
    at_app: Flask, at_api: InterceptedApi, work
):
    at_api.delay = 0.05
    numbers = phones(12)
    for index, number in enumerate(numbers):
        with outbox():
            queue_sms(number, f"Ca khan {index}", priority=URGENT)

    work()

    assert sorted(at_api.recipients()) == sorted(numbers)
    assert 1 < len(set(at_api.connections)) <= 1 + SEND_THREADS
    assert {row.state for row in OutboundMessage.select()} == {"sent"}


def test_threads_are_as_many_as_the_providers_answer_time_needs():
    assert threads_needed(0.0005, 0.0004, 100) == 1  # answers at once: this thread alone
    assert threads_needed(0.0013, 0.0004, 100) == 3
    assert threads_needed(0.2, 0.0005, 100) == SEND_THREADS  # a real route, 200 ms away
    assert threads_needed(0.2, 0.0005, 3) == 3
    assert threads_needed(0.2, 0.0, 0) == 1


def test_urgent_alerts_go_between_two_batches_of_replies(at_app: Flask, at_api, work):
    replies = phones(2 * DRAIN_BATCH)
    with outbox():
        for index, number in enumerate(replies):
            queue_sms(number, f"Da nhan khai bao cua ho {index}", priority=DEFAULT)
    work(max_jobs=1)
    with outbox():
        queue_sms(PHONE, "Ca khan 5", priority=URGENT)

    work(max_jobs=1)

    assert at_api.recipients()[DRAIN_BATCH:] == [PHONE]
    work()
    assert sorted(at_api.recipients()) == sorted([*replies, PHONE])


def test_identical_bulk_texts_go_as_one_request(at_app, at_api: InterceptedApi, work):
    numbers = phones(300)
    queue_many(numbers, "Nhac: 12:30, ho chua khai bao hom nay xin khai truoc 14:00.")
    queue_many(numbers[:2], "Another text, another request")

    work()

    assert sorted(len(form["to"].split(",")) for form in at_api.requests) == [2, 300]
    assert sorted(at_api.recipients()) == sorted(numbers + numbers[:2])
    assert OutboundMessage.select().where(OutboundMessage.state != "sent").count() == 0


def test_a_big_fan_out_is_split_into_batches(at_app, at_api: InterceptedApi, work):
    numbers = phones(BATCH_SIZE + 1)
    queue_many(numbers, "Nhac khai bao")

    work()

    assert sorted(len(form["to"].split(",")) for form in at_api.requests) == [1, BATCH_SIZE]
    assert sorted(at_api.recipients()) == sorted(numbers)


def test_a_provider_error_puts_the_message_back_to_wait_out_a_backoff(
    at_app: Flask, at_api: InterceptedApi, work
):
    at_api.failures = [500, requests.ConnectionError("connection refused")]
    with outbox():
        message = queue_sms(PHONE, "Ca khan 7", priority=URGENT)
    retries = ScheduledJobRegistry(queue=at_app.extensions["queues"][URGENT])

    for attempt, backoff in ((1, 10), (2, 30)):
        before = utcnow()
        work()
        row = OutboundMessage.get_by_id(message.id)
        assert (row.state, row.provider, row.attempts) == ("queued", "", attempt)
        assert before + dt.timedelta(seconds=backoff) <= row.retry_at
        work()  # a drain before the backoff ends leaves it alone
        assert OutboundMessage.get_by_id(message.id).attempts == attempt
        [job_id] = retries.get_job_ids()
        job = Job.fetch(job_id, connection=at_app.extensions["redis"])
        assert (job.func_name, job.args, job.get_status()) == (
            DRAIN_JOB,
            (URGENT,),
            JobStatus.SCHEDULED,
        )
        OutboundMessage.update(retry_at=utcnow()).execute()  # as if its backoff had passed
        retries.requeue(job)

    work()

    row = OutboundMessage.get_by_id(message.id)
    assert (row.state, row.attempts) == ("sent", 3)
    assert at_api.recipients() == [PHONE, PHONE, PHONE]  # two refused, one taken


def test_a_refused_recipient_is_recorded_and_a_passing_refusal_retried(
    at_app: Flask, at_api: InterceptedApi, work
):
    numbers = phones(3)
    at_api.refusals = {
        numbers[0]: (403, "InvalidPhoneNumber"),
        numbers[1]: (500, "InternalServerError"),
    }
    messages = queue_many(numbers, "Nhac khai bao")

    work()

    states = {m.phone: (m.state, m.failure_reason) for m in OutboundMessage.select()}
    assert states == {
        numbers[0]: ("rejected", "InvalidPhoneNumber"),
        numbers[1]: ("queued", None),
        numbers[2]: ("sent", None),
    }
    at_api.refusals = {}
    retries = ScheduledJobRegistry(queue=at_app.extensions["queues"][BULK])
    for job_id in retries.get_job_ids():
        retries.requeue(job_id)
    work()
    assert OutboundMessage.get_by_id(messages[1].id).state == "sent"
    assert sorted(at_api.recipients()) == sorted([*numbers, numbers[1]])


def test_an_expired_reminder_is_never_sent_and_an_urgent_message_never_expires(
    at_app, at_api: InterceptedApi, work
):
    past = utcnow() - dt.timedelta(minutes=1)
    with outbox():
        reminder = queue_sms(PHONE, "Nhac khai bao truoc 14:00", priority=BULK, expires_at=past)
        alert = queue_sms("+84987654321", "Ca khan 9", priority=URGENT, expires_at=past)

    work()

    reminder = OutboundMessage.get_by_id(reminder.id)
    assert (reminder.state, reminder.failure_reason) == ("expired", EXPIRED_REASON)
    assert OutboundMessage.get_by_id(alert.id).state == "sent"
    assert at_api.recipients() == ["+84987654321"]


def test_the_urgent_queue_is_taken_before_bulk(at_app, at_api: InterceptedApi, work):
    with outbox():
        for index, number in enumerate(phones(1000)):
            queue_sms(number, f"Nhac khai bao {index}", priority=BULK)
    with outbox():
        queue_sms(PHONE, "Ca khan 1", priority=URGENT)

    work(max_jobs=1)

    assert at_api.recipients() == [PHONE]
    assert OutboundMessage.select().where(OutboundMessage.state == "queued").count() == 1000
