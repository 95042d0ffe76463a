"""The database proxy every model binds to, initialized by whoever runs the code.

A proxy instead of a module-level database keeps import free of side effects:
the web app, a worker and a test each call :func:`connect` with their own URL.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from peewee import DatabaseProxy, Model
from playhouse.db_url import connect as connect_url
from playhouse.pool import PooledDatabase

from db import search
from db.sqlite_writers import TurnTakingSqliteDatabase

database = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": "normal",
}
"""WAL lets web processes read while a worker writes; the busy timeout makes
concurrent writers wait instead of failing with "database is locked"."""


def utcnow() -> dt.datetime:
    """Naive UTC, the one way times are stored, so SQLite and PostgreSQL agree."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


POOL = {"max_connections": 32, "stale_timeout": 300}
"""Connections are kept open between requests and jobs: opening one (and, for
SQLite, setting its pragmas) costs more than a USSD screen's queries. A process
that forks (RQ's worker) must not hold a connection when it does."""


def connect(url: str) -> None:
    """Bind the proxy to a pool of connections to ``url`` (any peewee ``db_url``)."""
    if isinstance(database.obj, PooledDatabase):
        database.obj.close_all()
    if url.startswith("sqlite:///"):
        db = sqlite_database(url.removeprefix("sqlite:///"))
    else:
        scheme, rest = url.split("://", 1)
        if scheme in ("postgres", "postgresql"):
            url = f"{scheme}+pool://{rest}"
        db = connect_url(url, **POOL)
    database.initialize(db)


def sqlite_database(path: str) -> TurnTakingSqliteDatabase:
    """A pool of connections to the SQLite file at ``path``, its writers taking turns."""
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # A pooled connection serves one thread at a time, but not always the
    # thread that opened it (threaded servers: ``flask run``, werkzeug).
    # BEGIN IMMEDIATE takes the write lock first, waiting out the busy
    # timeout: a transaction that reads and then writes would otherwise fail
    # at once ("database is locked") when another writer committed meanwhile.
    # Writers queue on a file lock before it (``sqlite_writers``), so the
    # next one is woken as the last commits instead of sleeping in steps.
    db = TurnTakingSqliteDatabase(
        path,
        pragmas=SQLITE_PRAGMAS,
        timeout=10,
        check_same_thread=False,
        lock_type="IMMEDIATE",
        **POOL,
    )
    search.register(db)
    return db


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False
