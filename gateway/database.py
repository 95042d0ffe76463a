"""One database connection per request, closed when the request ends.

The connection opens on the first query (peewee autoconnect), so a request that
needs no database, or /healthz when the database is down, does not fail early.
"""

from __future__ import annotations

from flask import Flask

from db.base import connect, database


def init_app(app: Flask) -> None:
    connect(app.config["SETTINGS"].database_url)

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        if not database.is_closed():
            database.close()
