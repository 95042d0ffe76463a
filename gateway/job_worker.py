"""How jobs run: in an app context the job pushes itself, in workers that outlive Redis.

RQ's own command runs the product's jobs given the worker class::

    rq worker -w gateway.job_worker.GatewayWorker -u "$REDIS_URL" urgent housekeeping default bulk

(or any RQ worker with ``--job-class gateway.job_worker.AppJob``, which runs the
jobs but does not watch the inbox: inbound SMS then wait for the inbox sweep,
up to a minute and a half). ``gateway worker`` runs the same class. Like
Flask's Celery example, the job builds the app from the environment the first
time it needs one and runs inside its context; a job started where an app
context is already pushed (``gateway worker``, a test) uses that one.

A worker and ``gateway cron`` must never exit because Redis went away: the
rows they would send are safe in the database, but nothing sends them while
the process is gone. Both re-enter their loop after a lost connection, waiting
a little longer each time (:class:`Backoff`), until Redis answers again.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import suppress
from functools import cache
from multiprocessing.process import BaseProcess
from typing import Any

from flask import Flask, current_app, has_app_context
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import SimpleWorker
from rq.cron import CronScheduler
from rq.exceptions import StopRequested
from rq.job import Job
from rq.utils import import_attribute

import gateway
from gateway import early_stop
from gateway.jobs import (
    INBOX_LOOK,
    INBOX_WATCH,
    INBOX_WATCH_SECONDS,
    PERIODIC,
    enqueue_recovery,
)

log = logging.getLogger(__name__)

LOST = (RedisConnectionError, RedisTimeoutError)
"""What a restarting or unreachable Redis raises (``BusyLoadingError`` included)."""
SCHEDULER_STOP_SECONDS = 10.0
"""How long a stopping worker asks its scheduler to stop before it kills it."""


@cache
def worker_app() -> Flask:
    """The app a job runs in when none is pushed: built once per process."""
    return gateway.create_app()


def stop_child(process: BaseProcess, seconds: float) -> None:
    """Ask ``process`` to stop (SIGTERM) each second until it does; kill it after
    ``seconds``.

    One SIGTERM is not enough for a child forked a moment ago: until it puts
    in its own handlers it runs the one it inherited, which only notes the stop
    in the parent's copy of the worker, so the signal is lost and a plain
    ``join()`` waits for ever.
    """
    deadline = time.monotonic() + seconds
    while process.is_alive() and time.monotonic() < deadline:
        with suppress(OSError):
            os.kill(process.pid, signal.SIGTERM)
        process.join(timeout=1)
    if process.is_alive():
        log.warning("%s (pid %s) did not stop; killed", process.name, process.pid)
        process.kill()
    process.join()


class AppJob(Job):
    """A job that runs inside the app's context."""

    def perform(self) -> Any:
        if has_app_context():
            return super().perform()
        with worker_app().app_context():
            return super().perform()


class Backoff:
    """Waits that double from half a second up to :data:`CEILING` seconds.

    The ceiling is short on purpose: after Redis returns, a worker is back
    within seconds, so the first urgent alert does not wait for the backoff.
    """

    CEILING = 4.0

    def __init__(self) -> None:
        self.delay = 0.5

    def wait(self) -> None:
        time.sleep(self.delay)
        self.delay = min(self.delay * 2, self.CEILING)


def answers(connection: Redis) -> bool:
    try:
        return bool(connection.ping())
    except LOST:
        return False


def current_or_worker_app() -> Flask:
    return current_app._get_current_object() if has_app_context() else worker_app()


class InboxWatch:
    """A thread that queues an inbox drain when inbound SMS wait.

    The webhook only stores an SMS; every worker looks at the inbox
    :data:`~gateway.jobs.INBOX_WATCH_SECONDS` apart (one read of a small
    table) and queues the drain once the inbox stops growing, or a second
    after SMS began to wait if it does not (``workers.inbox.SettledWatch``).
    While Redis or the database is away the watch logs once and keeps looking.
    """

    def __init__(self, app: Flask, interval: float = INBOX_WATCH_SECONDS) -> None:
        self.app = app
        self.interval = interval
        self.look: Callable[[], bool] = import_attribute(INBOX_LOOK)
        self.tick: Callable[[], bool] = import_attribute(INBOX_WATCH)()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="inbox-watch", daemon=True)

    def once(self) -> bool:
        """Look now; whether SMS were waiting (and a drain queued for them)."""
        with self.app.app_context():
            return self.look()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        failing = False
        while not self._stop.wait(self.interval):
            try:
                with self.app.app_context():
                    self.tick()
            except Exception as exc:  # Redis or the database away: look again next time
                if not failing:
                    log.warning("inbox watch: %s; looking again", exc)
                failing = True
            else:
                failing = False


class GatewayWorker(SimpleWorker):
    """RQ's worker with no fork per job, app-context jobs, and a loop that survives Redis.

    Jobs here are short (a drain sends about a second of messages), so a fork
    per job would cost more than the job; a job that crashes the process is
    recovered by the sweep, and the process by its supervisor.
    """

    max_connection_wait_time = Backoff.CEILING
    BURST_PASSES = 100
    """A burst's passes at most: each handles what the inbox held when it started."""

    def __init__(self, queues: Any, *args: Any, job_class: Any = None, **kwargs: Any) -> None:
        if job_class in (None, Job, "rq.job.Job"):  # ``rq worker`` passes RQ's default
            job_class = AppJob
        super().__init__(queues, *args, job_class=job_class, **kwargs)

    def _install_signal_handlers(self) -> None:
        """RQ's handlers; a stop asked before they were in (:mod:`gateway.early_stop`)
        is honoured now, before any job."""
        super()._install_signal_handlers()
        if early_stop.ASKED:
            self.handle_warm_shutdown_request()

    def handle_warm_shutdown_request(self) -> None:
        """Remember the stop, idle or busy: RQ notes it only for a busy worker (an idle
        one leaves its loop by exception), and the loop below would start again."""
        super().handle_warm_shutdown_request()
        self._stop_requested = True

    def stop_scheduler(self) -> None:
        """RQ's, made sure to end (:func:`stop_child`): RQ sends its scheduler one
        SIGTERM and joins it with no limit, so a stop that came while the worker was
        starting hung ``gateway worker`` for ever. A killed scheduler's locks expire
        on their own; no job runs in it."""
        process = self.scheduler._process if self.scheduler else None
        if process is not None and process.pid:
            stop_child(process, SCHEDULER_STOP_SECONDS)

    def subscribe(self) -> None:
        """RQ's command channel, read each second rather than each minute.

        With redis-py 8, stopping the reader thread waits out its read, so
        RQ's 60 s read made every stop (and every restart after a lost
        Redis) wait up to a minute.
        """
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=1, daemon=True, exception_handler=self._pubsub_exception_handler
        )

    def work(self, burst: bool = False, **options: Any) -> bool:
        """RQ's work loop beside an :class:`InboxWatch`, entered again whenever it
        ended on a lost Redis.

        Returns when asked to stop, or (``burst``) when the queues are empty
        and no SMS waits: a burst looks at the inbox before each pass instead
        of watching it.
        """
        watch = InboxWatch(current_or_worker_app())
        if burst:
            worked = False
            for _ in range(self.BURST_PASSES):
                try:
                    waited = watch.once()
                except Exception as exc:  # the pass below rides out a lost Redis
                    log.warning("inbox watch: %s", exc)
                    waited = False
                worked = self._work(burst=True, **options) or worked
                if not waited:
                    break
            return worked
        watch.start()
        try:
            return self._work(burst=False, **options)
        finally:
            watch.stop()

    def _work(self, burst: bool, **options: Any) -> bool:
        backoff = Backoff()
        worked = lost = False
        while True:
            try:
                worked = super().work(burst=burst, **options) or worked
            except LOST as exc:
                log.warning("worker %s lost Redis: %s", self.name, exc)
                with suppress(Exception):
                    self.unsubscribe()
            if self._stop_requested:
                return worked
            if answers(self.connection):
                limited = options.get("max_jobs") or options.get("max_idle_time")
                if limited or (burst and not any(queue.count for queue in self.queues)):
                    return worked
            else:
                lost = True
            try:
                backoff.wait()
                if lost and answers(self.connection):
                    enqueue_recovery(self.connection)
                    log.warning("worker %s: Redis is back, recovery enqueued", self.name)
                    backoff, lost = Backoff(), False
            except (StopRequested, *LOST):  # a stop signal; RQ's handler may touch Redis
                return worked
            self.name = uuid.uuid4().hex  # a fresh registration; the old one may linger


def run_cron(connection: Redis) -> None:
    """RQ's cron scheduler with the product's periodic jobs, restarted after a lost Redis."""
    backoff = Backoff()
    while True:
        scheduler = CronScheduler(connection=connection)
        for job in PERIODIC:
            scheduler.register(import_attribute(job.func), queue_name=job.queue, cron=job.cron)
        try:
            scheduler.start()
            return
        except LOST as exc:
            log.warning("cron lost Redis: %s", exc)
        try:
            backoff.wait()
        except StopRequested:
            return
        if answers(connection):
            backoff = Backoff()
