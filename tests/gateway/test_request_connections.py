"""Which requests keep their database connections for the next one (``gateway.database``).

A server answering one request at a time per process keeps its SQLite
connections; a threaded one, and any server on PostgreSQL, gives them back to
the pool when each request ends.
"""

from __future__ import annotations

import pytest
from flask import Flask

from db.base import database
from db.inbox import WaitingDeclaration, inbox_database
from db.sqlite_writers import TurnTakingSqliteDatabase
from tests import factories

PHONE = "+84912000001"


@pytest.fixture
def household(app: Flask) -> None:
    commune = factories.commune("RC")
    team = factories.team(commune, "Thon Dong")
    member = factories.member(team, "+84988000001", "Le Thi Hoa")
    factories.household(team, "RC001", (PHONE,), member)
    database.close()


def declare(app: Flask, session: str, *, threaded: bool) -> None:
    """A household's "everyone is well": a read of the main database, a write of the inbox."""
    response = app.test_client().post(
        "/webhooks/africastalking/ussd",
        data={"sessionId": session, "phoneNumber": PHONE, "serviceCode": "*384#", "text": "1"},
        environ_overrides={"wsgi.multithread": threaded},
    )
    assert response.status_code == 200
    assert response.get_data(as_text=True).startswith("END ")


def connections() -> tuple[object | None, object | None]:
    """This thread's open connections to the main database and the inbox."""
    return tuple(  # type: ignore[return-value]
        None if db.is_closed() else db.connection() for db in (database, inbox_database)
    )


@pytest.mark.usefixtures("household")
def test_a_process_serving_one_request_at_a_time_keeps_sqlite_connections(app: Flask):
    declare(app, "rc-1", threaded=False)
    kept = connections()
    if not isinstance(database.obj, TurnTakingSqliteDatabase):
        assert kept == (None, None), "PostgreSQL's pool checks a connection before reuse"
        return
    assert None not in kept
    declare(app, "rc-2", threaded=False)
    assert connections() == kept, "the next request used the same connections"
    assert WaitingDeclaration.select().count() == 2


@pytest.mark.usefixtures("household")
def test_a_threaded_server_gives_connections_back_after_each_request(app: Flask):
    declare(app, "rc-3", threaded=True)
    assert connections() == (None, None)
    assert WaitingDeclaration.select().count() == 1


@pytest.mark.usefixtures("household")
def test_a_threaded_request_gives_back_what_an_earlier_one_kept(app: Flask):
    """Gunicorn never mixes the two in one process; the teardown still closes all."""
    declare(app, "rc-4", threaded=False)
    declare(app, "rc-5", threaded=True)
    assert connections() == (None, None)
