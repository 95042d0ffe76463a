"""SQLite's writers take turns on a file lock: waiters woken at once, the turn always let go."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import peewee
import pytest

from db.base import SQLITE_PRAGMAS, connect, database
from db.sqlite_writers import TurnTakingSqliteDatabase


@pytest.fixture
def db(tmp_path: Path) -> Iterator[TurnTakingSqliteDatabase]:
    db = TurnTakingSqliteDatabase(
        str(tmp_path / "turns.sqlite3"),
        pragmas={**SQLITE_PRAGMAS, "busy_timeout": 200},
        timeout=0.2,
        check_same_thread=False,
        lock_type="IMMEDIATE",
    )
    db.execute_sql("CREATE TABLE note (text TEXT)")
    yield db
    db.close_all()


def turn_is_free(db: TurnTakingSqliteDatabase) -> bool:
    """Whether another process could take the turn now."""
    fd = os.open(db.turns.path, os.O_RDONLY | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def notes(db: TurnTakingSqliteDatabase) -> list[str]:
    return [text for (text,) in db.execute_sql("SELECT text FROM note ORDER BY rowid")]


def test_a_writer_waits_for_the_turn_and_goes_as_soon_as_it_is_free(db):
    first_wrote, second_asked, second_done = threading.Event(), threading.Event(), threading.Event()

    def second() -> None:
        second_asked.set()
        with db.atomic():
            db.execute_sql("INSERT INTO note VALUES ('second')")
        db.close()
        second_done.set()

    with db.atomic():
        db.execute_sql("INSERT INTO note VALUES ('first')")
        first_wrote.set()
        thread = threading.Thread(target=second)
        thread.start()
        second_asked.wait(5)
        assert not second_done.wait(0.3), "the second writer went in during the first's turn"
    assert second_done.wait(5)
    thread.join()
    assert notes(db) == ["first", "second"]
    assert turn_is_free(db)


def test_the_turn_is_let_go_after_commit_rollback_and_an_autocommitted_write(db):
    with db.atomic():
        db.execute_sql("INSERT INTO note VALUES ('kept')")
        assert not turn_is_free(db)
    assert turn_is_free(db)

    with pytest.raises(RuntimeError), db.atomic():
        db.execute_sql("INSERT INTO note VALUES ('undone')")
        raise RuntimeError
    assert turn_is_free(db)

    with pytest.raises(peewee.IntegrityError), db.atomic():
        db.execute_sql("CREATE UNIQUE INDEX one_text ON note (text)")
        db.execute_sql("INSERT INTO note VALUES ('kept')")
    assert turn_is_free(db)

    db.execute_sql("INSERT INTO note VALUES ('alone')")
    assert turn_is_free(db)
    assert notes(db) == ["kept", "alone"]


def test_a_transaction_begins_at_its_first_statement(db):
    """Python run before the first statement does not hold up other writers."""
    with db.atomic():
        assert turn_is_free(db)
        assert not db.connection().in_transaction
        assert notes(db) == []
        assert not turn_is_free(db)
        assert db.connection().in_transaction
    assert turn_is_free(db)
    with db.atomic():
        pass
    assert turn_is_free(db)


def test_a_begin_that_times_out_lets_go_of_the_turn(db):
    """A writer that does not take turns (another program) holds SQLite's lock:
    BEGIN fails after the busy timeout, as before, and the turn is free again."""
    other = sqlite3.connect(db.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(peewee.OperationalError, match="locked"), db.atomic():
            db.execute_sql("INSERT INTO note VALUES ('late')")
        assert turn_is_free(db)
    finally:
        other.execute("ROLLBACK")
        other.close()
    with db.atomic():
        db.execute_sql("INSERT INTO note VALUES ('on time')")
    assert notes(db) == ["on time"]


def test_connect_puts_the_turn_beside_the_database(tmp_path):
    connect(f"sqlite:///{tmp_path / 'gateway.sqlite3'}")
    try:
        assert isinstance(database.obj, TurnTakingSqliteDatabase)
        assert database.obj.turns.path == f"{tmp_path / 'gateway.sqlite3'}-writer"
    finally:
        database.close()
