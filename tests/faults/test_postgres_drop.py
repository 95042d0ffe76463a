"""PostgreSQL drops the app's connections (a restart, a failover, an idle timeout).

The connections are terminated from an admin session with ``pg_terminate_backend``.
Idle in the pool between requests: the pool finds them dead when it hands one
out and connects afresh, so the next webhook call simply succeeds. In the
middle of a webhook's transaction: that request fails cleanly (503, which
Africa's Talking retries) without half a record, the next one succeeds on a
fresh connection, and the retried callback records once. In the middle of the
workers' batch of inbound SMS: the batch rolls back whole, its rows stay
unhandled, and the next drain handles each once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import psycopg2
import pytest
from flask import Flask
from peewee import InterfaceError, OperationalError

from db.base import database
from db.inbox import WaitingSms
from db.models import Case, Declaration, InboundMessage, OutboundMessage
from gateway.services import declarations, report_batches
from tests.faults import commune
from tests.support import WAIT
from workers.inbox import handle_inbox

pytestmark = pytest.mark.parametrize("fault_database", ["postgresql"], indirect=True)


@pytest.fixture
def admin(fault_database: str) -> Iterator[psycopg2.extensions.cursor]:
    """A session of its own on the app's database, as an operator's psql."""
    connection = psycopg2.connect(fault_database, connect_timeout=3)
    connection.autocommit = True
    with connection.cursor() as cursor:
        yield cursor
    connection.close()


def terminate(admin: psycopg2.extensions.cursor, pids: list[int]) -> None:
    """Terminate backends and wait until they are gone."""
    for pid in pids:
        admin.execute("SELECT pg_terminate_backend(%s, 10000)", (pid,))
        assert admin.fetchone() == (True,)


def hold_idle_connections(count: int) -> None:
    """Leave ``count`` connections idle in the app's pool, as busy web threads do."""
    barrier = threading.Barrier(count, timeout=WAIT)

    def use_one() -> None:
        database.execute_sql("SELECT 1")
        barrier.wait()
        database.close()

    threads = [threading.Thread(target=use_one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)


def counts() -> tuple[int, int, int, int]:
    """SMS stored (waiting or handled), declarations, cases, outbound SMS."""
    return (
        WaitingSms.select().count() + InboundMessage.select().count(),
        Declaration.select().count(),
        Case.select().count(),
        OutboundMessage.select().count(),
    )


def post_declaration(app: Flask, index: int) -> list[int]:
    """Household ``index`` declares; the status of each callback. An SMS is then
    handled as the drain job the webhook woke would handle it."""
    client = app.test_client()
    path, forms = commune.callbacks(index)
    statuses = [client.post(path, data=form).status_code for form in forms]
    if commune.by_sms(index):
        handle_inbox()
    return statuses


def recorded_once(index: int) -> tuple[int, int, int, int]:
    """What one complete declaration of household ``index`` stores."""
    if commune.by_sms(index):
        return (1, 1, 1, 3)
    return (0, 1, 1, 1)


@pytest.mark.parametrize("index", [0, 1], ids=["sms", "ussd"])
def test_connections_dropped_between_requests_are_replaced_unnoticed(
    gateway_app: Flask, admin: psycopg2.extensions.cursor, index: int
):
    commune.seed(2)
    database.close()
    hold_idle_connections(4)
    admin.execute(
        "SELECT pid FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    idle = [pid for (pid,) in admin.fetchall()]
    assert idle, "the app kept no connection between requests: nothing to drop"
    terminate(admin, idle)

    assert set(post_declaration(gateway_app, index)) == {200}
    assert counts() == recorded_once(index)


@pytest.mark.parametrize("index", [0, 1], ids=["sms", "ussd"])
def test_a_connection_dropped_mid_transaction_leaves_no_half_record(
    gateway_app: Flask,
    admin: psycopg2.extensions.cursor,
    monkeypatch: pytest.MonkeyPatch,
    index: int,
):
    commune.seed(2)
    # Between the declaration and its case: one by one (USSD), or a batch's (SMS).
    module, name = (
        (report_batches, "_open_cases") if commune.by_sms(index) else (declarations, "open_case")
    )
    open_case = getattr(module, name)

    def open_case_on_a_dead_connection(*args: Any, **kwargs: Any) -> Any:
        terminate(admin, [database.execute_sql("SELECT pg_backend_pid()").fetchone()[0]])
        return open_case(*args, **kwargs)

    monkeypatch.setattr(module, name, open_case_on_a_dead_connection)
    if commune.by_sms(index):
        path, [form] = commune.callbacks(index)
        assert gateway_app.test_client().post(path, data=form).status_code == 200
        with pytest.raises((OperationalError, InterfaceError)):
            handle_inbox()
        assert counts() == (1, 0, 0, 0)
        monkeypatch.undo()
        assert handle_inbox() == 1
        assert counts() == recorded_once(index)
        return
    *earlier, recording = post_declaration(gateway_app, index)
    assert recording == 503
    assert set(earlier) <= {200}
    assert counts() == (0, 0, 0, 0)

    monkeypatch.undo()
    assert set(post_declaration(gateway_app, index)) == {200}
    assert counts() == recorded_once(index)
