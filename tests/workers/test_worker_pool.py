"""``gateway worker`` with several processes: all of them work, stop on a signal, come back.

The pool is started as an operator starts it, against a temporary SQLite file, a
Redis of its own and a fake Africa's Talking.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import suppress
from multiprocessing.synchronize import Event as EventType
from pathlib import Path

import pytest
from flask import Flask

from db.models import InboundMessage, OutboundMessage
from gateway import early_stop
from gateway.job_worker import SCHEDULER_STOP_SECONDS, GatewayWorker, stop_child
from gateway.jobs import QUEUE_NAMES
from gateway.worker_pool import WorkerPool
from gateway.worker_priority import autogroup_niceness
from tests import factories
from tests.support import WAIT, Processes, is_gone, process_tree
from tests.workers.fake_africastalking import FakeServer

MEMBER = "+84988000001"
PHONES = [f"+8491200{index:04d}" for index in range(40)]


def wait_until(done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not done():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def children_of(process: subprocess.Popen[bytes]) -> list[int]:
    """The pool's workers (each may have a child of its own: RQ's scheduler)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == process.pid and fields[0] not in ("Z", "X"):
                children.append(int(stat.parent.name))
    return sorted(children)


def stops_on(process: subprocess.Popen[bytes], signum: int, log: Path) -> None:
    """``signum`` to the pool alone; it and every worker under it exit cleanly."""
    tree = process_tree(process.pid)
    process.send_signal(signum)
    assert process.wait(timeout=WAIT) == 0, log.read_text()
    wait_until(lambda: all(is_gone(pid) for pid in tree), f"{tree} outlived the pool")


def test_an_idle_worker_stops_on_sigterm(processes: Processes):
    worker = processes.gateway("worker", "--processes", "1")
    wait_until(lambda: "Listening on" in processes.log.read_text(), "the worker never started")
    time.sleep(0.5)  # in RQ's wait for a job
    stops_on(worker, signal.SIGTERM, processes.log)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_pool_answers_a_burst_once_and_stops_whole(
    gateway_app: Flask, processes: Processes, fake: FakeServer, signum: int
):
    commune = factories.commune("PL")
    team = factories.team(commune, "Thon Dong")
    member = factories.member(team, MEMBER, "Le Thi Hoa")
    for index, phone in enumerate(PHONES):
        factories.household(team, f"PL{index:03d}", (phone,), member)
    pool = processes.gateway("worker", "--processes", "2")
    wait_until(lambda: len(children_of(pool)) >= 2, "the pool never started two workers")
    client = gateway_app.test_client()
    for index, phone in enumerate(PHONES):
        data = {"from": phone, "to": "8088", "text": "1", "id": f"ATXid_pool_{index}"}
        assert client.post("/webhooks/africastalking/sms", data=data).status_code == 200

    sent = OutboundMessage.select().where(OutboundMessage.state == "sent")
    wait_until(lambda: sent.count() == len(PHONES), processes.log.read_text())
    assert fake.received == Counter(PHONES)
    assert {row.outcome for row in InboundMessage.select()} == {"handled"}
    stops_on(pool, signum, processes.log)


def test_a_worker_that_dies_is_started_again(processes: Processes):
    pool = processes.gateway("worker", "--processes", "2")
    wait_until(lambda: len(children_of(pool)) >= 2, "the pool never started two workers")
    first, second = children_of(pool)[:2]
    os.kill(first, signal.SIGKILL)
    wait_until(
        lambda: len(set(children_of(pool)) - {first}) >= 2, "the dead worker was not replaced"
    )
    assert second in children_of(pool)
    stops_on(pool, signal.SIGTERM, processes.log)


def test_no_worker_outlives_its_pool(processes: Processes):
    """A pool killed outright (OOM, SIGKILL) takes its workers with it: left running,
    they would go on working against a database or Redis that has moved on."""
    pool = processes.gateway("worker", "--processes", "2")
    wait_until(lambda: len(children_of(pool)) >= 2, "the pool never started two workers")
    workers = children_of(pool)
    os.kill(pool.pid, signal.SIGKILL)
    pool.wait(timeout=WAIT)
    wait_until(lambda: all(is_gone(pid) for pid in workers), f"workers {workers} outlived the pool")


def niceness(pid: int) -> int:
    """A process's nice value, from ``/proc/<pid>/stat`` (its 19th field)."""
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def session_niceness(pid: int) -> int | None:
    """The nice value of a process's session (Linux autogroup); ``None`` where the
    session has none (init's own, where CI's runner runs: the kernel prints nothing)."""
    return autogroup_niceness(Path(f"/proc/{pid}/autogroup"))


@pytest.mark.parametrize("own_session", [True, False])
def test_workers_run_niced_and_nice_their_session_only_when_it_is_theirs(
    processes: Processes, own_session: bool
):
    """The web processes keep the CPU while a burst arrives (``gateway.worker_priority``):
    started in a session of its own, the pool nices the session too, which would
    otherwise share the CPU with the web's session as an equal; started inside another
    one (a terminal, ``gateway run``), it leaves that session, the test's here, alone."""
    ours = session_niceness(os.getpid())
    pool = processes.gateway("worker", "--processes", "2", own_session=own_session)
    wait_until(lambda: len(children_of(pool)) >= 2, "the pool never started two workers")
    niced = max(niceness(os.getpid()), 10)
    wait_until(
        lambda: [niceness(pid) for pid in children_of(pool)] == [niced, niced],
        "the workers did not lower their priority",
    )

    assert niceness(pool.pid) == niceness(os.getpid())  # it only supervises
    theirs = session_niceness(pool.pid)
    if own_session:
        assert theirs in (10, None)  # None: no autogroups here, the nice value stands alone
    else:
        assert theirs == ours
    assert session_niceness(os.getpid()) == ours
    stops_on(pool, signal.SIGTERM, processes.log)


@pytest.mark.parametrize(("setting", "expected"), [("0", 0), ("15", 15)])
def test_a_lone_worker_takes_its_niceness_once_ready(
    processes: Processes, setting: str, expected: int
):
    processes.environment["WORKER_NICENESS"] = setting
    worker = processes.gateway("worker", "--processes", "1", own_session=True)
    wait_until(lambda: "Listening on" in processes.log.read_text(), "the worker never started")

    assert niceness(worker.pid) == max(niceness(os.getpid()), expected)
    if session_niceness(worker.pid) is not None:
        assert session_niceness(worker.pid) == expected
    stops_on(worker, signal.SIGTERM, processes.log)


@pytest.fixture
def stop_handlers_restored() -> Iterator[None]:
    """The test process's SIGTERM and SIGINT handlers as they were, whatever a worker
    or a pool run in it installed."""
    handlers = {signum: signal.getsignal(signum) for signum in early_stop.STOP_SIGNALS}
    yield
    for signum, handler in handlers.items():
        signal.signal(signum, handler)


@pytest.mark.usefixtures("stop_handlers_restored")
def test_a_stop_asked_while_the_worker_starts_is_not_lost(app: Flask, monkeypatch):
    """A SIGTERM before RQ's own handlers are in is only remembered (``gateway.early_stop``:
    exiting there can leave logging's lock held); the worker must then leave before
    taking any job."""
    monkeypatch.setattr(early_stop, "ASKED", [])
    early_stop.remember(signal.SIGTERM, None)
    queues = [app.extensions["queues"][name] for name in QUEUE_NAMES]
    worker = GatewayWorker(queues, connection=app.extensions["redis"])
    assert worker.work(burst=False, max_idle_time=5) is False  # the bound: not a hang
    assert worker._stop_requested


@pytest.mark.usefixtures("stop_handlers_restored")
def test_a_pool_asked_to_stop_while_it_starts_starts_nothing(monkeypatch):
    monkeypatch.setattr(early_stop, "ASKED", [signal.SIGTERM])
    pool = WorkerPool(2, burst=False)
    assert pool.run() == 0
    assert pool.children == {}


def loses_the_first_stop(ready: EventType) -> None:
    """A scheduler that loses the first SIGTERM, as RQ's does when it comes before its
    own handlers are in, and stops on the next."""
    stops: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _frame: stops.append(signum))
    ready.set()
    while len(stops) < 2:
        time.sleep(0.02)


def never_stops(ready: EventType) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ready.set()
    while True:
        time.sleep(0.02)


def stopped(scheduler: Callable[[EventType], None], seconds: float) -> tuple[int | None, bool]:
    """A forked child running ``scheduler``, stopped as a worker stops its scheduler:
    (its exit code, whether the stop returned in time)."""
    fork = multiprocessing.get_context("fork")
    ready = fork.Event()
    child = fork.Process(target=scheduler, args=(ready,), daemon=True)
    child.start()
    assert ready.wait(WAIT)
    stopping = threading.Thread(target=stop_child, args=(child, seconds), daemon=True)
    stopping.start()
    stopping.join(timeout=WAIT)
    returned = not stopping.is_alive()
    if not returned:
        child.kill()
        child.join()
    return child.exitcode, returned


def test_a_scheduler_that_lost_the_stop_is_asked_again():
    """RQ sends its scheduler one SIGTERM and waits for it for ever; a stop that follows
    a worker's start reaches the scheduler before its handlers are in, and is lost."""
    assert stopped(loses_the_first_stop, SCHEDULER_STOP_SECONDS) == (0, True)


def test_a_scheduler_that_will_not_stop_is_killed():
    assert stopped(never_stops, 1.5) == (-signal.SIGKILL, True)
