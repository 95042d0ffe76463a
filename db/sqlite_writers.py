"""SQLite's writers take turns on an OS file lock, so the next one starts the moment one ends.

SQLite lets one writer in at a time. A writer that finds the write lock taken
waits in SQLite's busy handler, which is not woken when the lock is freed: it
sleeps 1, 2, 5, 10, 15, 20, 25 ms ... between tries. A USSD declaration needs
the lock for about 0.1 ms, so with four gunicorn processes writing on every
"everyone is well", writers slept far longer than anyone held the lock, and the
write-ahead log outgrew its checkpoints (4 MB became 10-17 MB within seconds).

So every write first takes an exclusive ``flock`` on a file beside the database
(``<database>-writer``): the kernel queues the waiters and wakes the next one as
soon as the holder lets go. A transaction takes it at its first statement, just
before its ``BEGIN IMMEDIATE`` (deferred from peewee's ``begin``, so the Python
that runs first does not keep anyone waiting), and lets go after ``COMMIT`` or
``ROLLBACK``, or a ``BEGIN`` that failed. A write outside a transaction (an
autocommitted ``INSERT``, ``UPDATE`` or ``DELETE``) holds it for its one
statement. Reads never take it: in WAL mode they run beside the writer.

Why this is safe:

- The lock lives on a descriptor opened for the turn and closed when it ends,
  never shared with a forked child; the kernel drops it if the process dies.
- No deadlock with the busy timeout: whoever waits for this lock holds none of
  SQLite's, and a holder waits in the busy handler only for a writer that does
  not take this lock (another program on the file: the ``sqlite3`` shell, a
  backup), at most the busy timeout, after which its ``BEGIN`` fails and its
  turn ends.
- Waiting for the turn has no timeout of its own: the turn lasts as long as
  SQLite's write lock, which every waiter would have waited for anyway;
  gunicorn's worker timeout and RQ's job timeouts bound a transaction that never
  ends, as before.
- Every process of the gateway (web, workers, CLI) connects through
  :func:`db.base.connect`, so they all take turns; PostgreSQL is not concerned.
- A thread holds one turn at a time: it must not open a transaction on a second
  database object for the same file inside its first (it would wait for itself;
  SQLite alone would have failed it after the busy timeout).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Callable

from playhouse.pool import PooledSqliteDatabase

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")
"""How an autocommitted write statement begins (``REPLACE`` cut to six letters)."""


class WriterTurns:
    """The exclusive ``flock`` one thread at a time holds while it writes ``path``.

    Each turn opens its own descriptor: ``flock`` excludes descriptors opened
    separately, so threads of one process take turns too. An in-memory
    database is one connection's own: nobody to take turns with.
    """

    def __init__(self, path: str) -> None:
        self.path = None if path in ("", ":memory:") else f"{path}-writer"
        self._held = threading.local()

    def take(self) -> None:
        """Wait for the turn; a thread that holds it already keeps it."""
        if self.path is None or getattr(self._held, "fd", None) is not None:
            return
        fd = os.open(self.path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        self._held.fd = fd

    def end(self) -> None:
        """Let the next writer in; nothing if this thread does not hold the turn."""
        fd = getattr(self._held, "fd", None)
        if fd is not None:
            self._held.fd = None
            os.close(fd)


class TurnTakingSqliteDatabase(PooledSqliteDatabase):
    """Peewee's pooled SQLite database whose writers queue on :class:`WriterTurns`.

    A transaction's ``BEGIN`` (and its turn) waits for its first statement:
    whatever Python runs before it (a declaration's row built, an effect
    dispatched) then runs before the turn, not while every writer waits.
    A transaction that runs no statement takes no turn.
    """

    def __init__(self, database: str, *args: object, **kwargs: object) -> None:
        super().__init__(database, *args, **kwargs)
        self.turns = WriterTurns(database)
        self._deferred = threading.local()
        """``begin``: this thread's transaction not begun yet, as ``(lock_type,)``."""

    def begin(self, lock_type: str | None = None) -> None:
        # Connect now, as peewee's BEGIN would: connecting later, inside the
        # block, would clear the transaction peewee records after this call.
        self.connection()
        self._deferred.begin = (lock_type,)

    def commit(self) -> None:
        self._end(super().commit)

    def rollback(self) -> None:
        self._end(super().rollback)

    def _end(self, finish: Callable[[], None]) -> None:
        """``COMMIT`` or ``ROLLBACK``, then the next writer's turn; nothing for a
        transaction that ran no statement."""
        if self._unstarted():
            return
        try:
            finish()
        finally:
            self.turns.end()

    def execute_sql(self, sql: str, params: object = None) -> sqlite3.Cursor:
        if self.in_transaction():
            if getattr(self._deferred, "begin", None) is not None:
                self._start()
            return super().execute_sql(sql, params)
        if not sql.lstrip()[:6].upper().startswith(WRITES):
            return super().execute_sql(sql, params)
        self.turns.take()
        try:
            return super().execute_sql(sql, params)
        finally:
            self.turns.end()

    def _start(self) -> None:
        """The deferred ``BEGIN``, in this thread's turn; if it fails, nothing began."""
        (lock_type,) = self._deferred.begin
        self.turns.take()
        try:
            super().begin(lock_type)
        except BaseException:
            self.turns.end()
            raise
        self._deferred.begin = None

    def _unstarted(self) -> bool:
        """Whether the transaction ending ran no statement (so there is nothing to end)."""
        if getattr(self._deferred, "begin", None) is None:
            return False
        self._deferred.begin = None
        return True
