"""A database connection per request, given back to the pool when the request ends.

The connection opens on the first query (peewee autoconnect), so a request that
needs no database, or /healthz when the database is down, does not fail early.

A server that answers one request at a time per process (gunicorn's default
sync workers; WSGI says so with ``wsgi.multithread`` false) keeps its SQLite
connections between requests instead: its one thread would take the same ones
from the pool again for the next request, and checking two connections (the
main file and the inbox) out and back in cost a USSD screen about a tenth of
its time. Threaded servers give them back, since their threads come and go
and a connection kept by a thread that ended would be lost to the pool; so
does PostgreSQL, whose pool checks a connection is alive before handing it out.

A connection that dies under a request (PostgreSQL restarted, failed over, or
terminated it) fails that request with a 503, which Africa's Talking retries;
its transaction died with the connection, so nothing half-done remains. The
pool does not take that connection back, and checks an idle one with a round
trip before handing it out, so the next request gets a live one.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from peewee import InterfaceError, OperationalError

from db import inbox
from db.base import connect, database
from db.sqlite_writers import TurnTakingSqliteDatabase

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    connect(app.config["SETTINGS"].database_url)
    inbox.connect()
    per_request(app)


def per_request(app: Flask) -> None:
    """Connections given back after each of ``app``'s requests (kept where
    :func:`keeps_connections` says so); a dead one answered 503."""

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        if keeps_connections(request.environ):
            return
        for db in (database, inbox.inbox_database):
            if not db.is_closed():
                db.close()

    app.register_error_handler(OperationalError, _unavailable)
    app.register_error_handler(InterfaceError, _unavailable)


def keeps_connections(environ: dict[str, object]) -> bool:
    """Whether this request's process keeps its connections for the next request."""
    return not environ.get("wsgi.multithread", True) and isinstance(
        database.obj, TurnTakingSqliteDatabase
    )


def _unavailable(error: Exception) -> Response:
    """Connection-level errors only: a constraint or SQL error stays a 500, a bug to fix."""
    log.error("database unavailable: %s", error)
    return Response("503 database unavailable\n", 503, {"Retry-After": "10"}, mimetype="text/plain")
