"""The app's Redis connection and RQ queues, kept in ``app.extensions``."""

from __future__ import annotations

from flask import Flask, current_app
from redis import Redis
from rq import Queue

from workers.queues import build_queues

SOCKET_TIMEOUT = 2.0
"""Short, so a webhook whose Redis is down answers quickly: the outbox row is
already committed and the sweep will enqueue it later."""


def init_app(app: Flask) -> None:
    connection = Redis.from_url(
        app.config["SETTINGS"].redis_url,
        socket_timeout=SOCKET_TIMEOUT,
        socket_connect_timeout=SOCKET_TIMEOUT,
    )
    app.extensions["redis"] = connection
    app.extensions["queues"] = build_queues(connection)


def redis() -> Redis:
    return current_app.extensions["redis"]


def queue(name: str) -> Queue:
    return current_app.extensions["queues"][name]
