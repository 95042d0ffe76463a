"""Helpers for tests that run the real processes: workers, gunicorn, the CLI.

Such a test points the processes at a database, a Redis server of its own and
a fake Africa's Talking, starts them as the operator would, and must leave
nothing running whatever happens, so every process goes through
:class:`Processes`, which kills what is left at the end.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path

import psycopg2
import requests
from flask import Flask
from werkzeug.serving import make_server

from db.base import database
from db.migrate import upgrade
from gateway import create_app

WAIT = 120
"""Seconds any one step may take before a test gives up (never reached when healthy)."""


def gateway_environment(database_url: str, redis_url: str, at_api_url: str) -> dict[str, str]:
    """The settings of a gateway sending through the real SDK to a fake Africa's Talking."""
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "test-secret",
        "SMS_PROVIDER": "africastalking",
        "AT_USERNAME": "sandbox",
        "AT_API_KEY": "test-api-key",
        "AT_API_URL": at_api_url,
        "SMS_RATE_LIMIT": "0",
    }


def send_through_africastalking(app: Flask, api_url: str) -> None:
    """Configure ``app`` as with ``SMS_PROVIDER=africastalking`` on the sandbox account,
    ``AT_API_URL`` at ``api_url``; the provider is built anew at its next send."""
    app.config["SETTINGS"] = dataclasses.replace(
        app.config["SETTINGS"],
        sms_provider="africastalking",
        at_username="sandbox",
        at_api_key="test-api-key",
        at_api_url=api_url,
    )
    app.extensions.pop("sms_provider", None)


@contextmanager
def migrated_app(environment: dict[str, str]) -> Iterator[Flask]:
    """The app built from ``environment`` as production builds it, its database migrated."""
    app = create_app(environment)
    with app.app_context():
        upgrade()
        yield app
    database.close()
    close_redis(app)


def close_redis(app: Flask) -> None:
    """Close the app's Redis connections now: redis-py's clients sit in reference cycles,
    and an open socket collected with one is reported as unclosed (a failing warning)."""
    app.extensions["redis"].connection_pool.disconnect()


def process_tree(root: int) -> list[int]:
    """``root`` and every process below it (RQ's work horse runs in its own group)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
    tree = [root]
    for pid in tree:
        tree.extend(child for child, parent in parents.items() if parent == pid)
    return tree


def is_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


def kill_tree(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL a process and everything below it, as an OOM kill or a lost machine
    would; return once none of them can run another instruction."""
    tree = process_tree(process.pid)
    for pid in reversed(tree):
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait(timeout=WAIT)
    deadline = time.monotonic() + WAIT
    while not all(is_gone(pid) for pid in tree):
        assert time.monotonic() < deadline, f"processes {tree} survived SIGKILL"
        time.sleep(0.05)


class Processes:
    """Programs started for one test, with its environment, logging to one file."""

    def __init__(self, environment: dict[str, str], cwd: Path, log: Path) -> None:
        self.environment = environment
        self.cwd = cwd
        self.log = log
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, *command: str, own_session: bool = False) -> subprocess.Popen[bytes]:
        """``command``, in this test's session, or leading one of its own (as a service
        manager starts it)."""
        with self.log.open("ab") as log:
            process = subprocess.Popen(
                command,
                env={**os.environ, **self.environment},
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=own_session,
            )
        self.started.append(process)
        return process

    def gateway(self, *args: str, own_session: bool = False) -> subprocess.Popen[bytes]:
        """``gateway ARGS...`` as the console script runs it."""
        return self.start(sys.executable, "-m", "gateway", *args, own_session=own_session)

    def run_gateway(self, *args: str) -> None:
        """``gateway ARGS...`` to completion; fails the test, showing the log, if it fails."""
        assert self.gateway(*args).wait(timeout=WAIT) == 0, self.log.read_text()

    def kill_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                kill_tree(process)


@contextmanager
def fresh_postgres_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the PostgreSQL server of ``server_url``; dropped after.

    For tests that run processes of their own against it, which the
    per-test truncation of the shared test database cannot reach.
    """
    name = f"gateway_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(server_url, connect_timeout=3)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield server_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def post_at_once(url: str, form: dict[str, str], copies: int) -> list[int]:
    """``copies`` posts of ``form`` to a real server, released together; their statuses.

    How Africa's Talking's retries look when the first delivery was slow.
    """
    barrier = threading.Barrier(copies, timeout=WAIT)

    def post(_: int) -> int:
        barrier.wait()
        return requests.post(url, data=form, timeout=WAIT).status_code

    with ThreadPoolExecutor(copies) as pool:
        return list(pool.map(post, range(copies)))


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """``app`` behind a real threaded HTTP server (werkzeug's); its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=WAIT)


def until(condition: Callable[[], object], what: str) -> None:
    """Wait for something a process does on its own; fail after :data:`WAIT` seconds."""
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)
