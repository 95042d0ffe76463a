"""The one place a Redis client is made: a plain server, or a master found through Sentinels.

Web, workers, cron, ``/healthz`` and ``gateway run`` all call :func:`connect`,
so a failover is handled the same way everywhere. With Sentinels, redis-py's
own :class:`redis.sentinel.Sentinel` asks them for the master before each new
connection; a command that meets a dead or demoted master fails with a
connection error, is retried after a short backoff on a connection to the
master the Sentinels name now, and only then reaches the caller (whose
fallback is the outbox sweep).
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from redis import Redis
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ReadOnlyError, RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry
from redis.sentinel import Sentinel

from gateway.config import Settings

SOCKET_TIMEOUT = 2.0
"""Short, so a webhook whose Redis is down answers quickly: the outbox row is
already committed and the sweep will enqueue it later."""
RETRIES = 3
"""Tries after the first; with the backoff below about two seconds in all,
a failover's election (a few seconds) is mostly ridden out by the sweep."""
_RETRY_ON = (RedisConnectionError, RedisTimeoutError, ReadOnlyError)


def connect(settings: Settings, socket_timeout: float | None = SOCKET_TIMEOUT) -> Redis:
    """A client for the gateway's Redis; no connection is opened until the first command.

    ``socket_timeout=None`` is for RQ workers, whose blocking dequeue waits longer
    than any short timeout.
    """
    options = {
        "socket_timeout": socket_timeout,
        "socket_connect_timeout": SOCKET_TIMEOUT,
        "retry": Retry(ExponentialBackoff(cap=1.0, base=0.1), RETRIES),
        "retry_on_error": list(_RETRY_ON),
        "health_check_interval": 30,
    }
    if not settings.redis_sentinels:
        return Redis.from_url(settings.redis_url, **options)
    parts = urlsplit(settings.redis_url)
    database = parts.path.strip("/") or "0"
    sentinel = Sentinel(
        settings.redis_sentinels,
        sentinel_kwargs={
            "socket_timeout": SOCKET_TIMEOUT,
            "socket_connect_timeout": SOCKET_TIMEOUT,
        },
    )
    return sentinel.master_for(
        settings.redis_sentinel_master,
        db=int(database) if database.isdigit() else 0,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        **options,
    )


def describe(settings: Settings) -> str:
    """Where Redis is, for operators' messages, without its password."""
    if settings.redis_sentinels:
        hosts = ",".join(f"{host}:{port}" for host, port in settings.redis_sentinels)
        return f"Sentinels {hosts}, master {settings.redis_sentinel_master!r}"
    parts = urlsplit(settings.redis_url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}{parts.path}"


def answers(settings: Settings) -> bool:
    """Whether the configured Redis (through its Sentinels, if any) answers a PING."""
    try:
        return bool(connect(settings, socket_timeout=1.0).ping())
    except (RedisError, OSError, ValueError):
        return False
