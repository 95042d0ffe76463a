"""``/healthz`` for load balancers: it really asks the database and Redis."""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify
from redis.exceptions import RedisError

from db.base import database
from gateway.redis_queues import redis

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    status = {"db": "ok", "redis": "ok"}
    try:
        database.execute_sql("SELECT 1").fetchone()
    except Exception as exc:  # any driver error means the database is not usable
        status["db"] = f"error: {type(exc).__name__}"
    try:
        redis().ping()
    except RedisError as exc:
        status["redis"] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in status.values())
    return jsonify(status), 200 if healthy else 503


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
