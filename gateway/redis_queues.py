"""The app's Redis connection and RQ queues, kept in ``app.extensions``."""

from __future__ import annotations

from flask import Flask, current_app
from redis import Redis
from rq import Queue

from gateway.jobs import build_queues
from gateway.redis_connection import connect


def init_app(app: Flask) -> None:
    connection = connect(app.config["SETTINGS"])
    app.extensions["redis"] = connection
    app.extensions["queues"] = build_queues(connection)


def redis() -> Redis:
    return current_app.extensions["redis"]


def queue(name: str) -> Queue:
    return current_app.extensions["queues"][name]
