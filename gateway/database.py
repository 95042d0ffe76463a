"""A database connection per request, given back to the pool when the request ends.

The connection opens on the first query (peewee autoconnect), so a request that
needs no database, or /healthz when the database is down, does not fail early.

A connection that dies under a request (PostgreSQL restarted, failed over, or
terminated it) fails that request with a 503, which Africa's Talking retries;
its transaction died with the connection, so nothing half-done remains. The
pool does not take that connection back, and checks an idle one with a round
trip before handing it out, so the next request gets a live one.
"""

from __future__ import annotations

import logging

from flask import Flask, Response
from peewee import InterfaceError, OperationalError

from db import inbox
from db.base import connect, database

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    connect(app.config["SETTINGS"].database_url)
    inbox.connect()
    per_request(app)


def per_request(app: Flask) -> None:
    """Connections given back after each of ``app``'s requests; a dead one answered 503."""

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        for db in (database, inbox.inbox_database):
            if not db.is_closed():
                db.close()

    app.register_error_handler(OperationalError, _unavailable)
    app.register_error_handler(InterfaceError, _unavailable)


def _unavailable(error: Exception) -> Response:
    """Connection-level errors only: a constraint or SQL error stays a 500, a bug to fix."""
    log.error("database unavailable: %s", error)
    return Response("503 database unavailable\n", 503, {"Retry-After": "10"}, mimetype="text/plain")
