"""The one place a Redis client is made: a plain server, or a master found through Sentinels.

Web, workers, cron, ``/healthz`` and ``gateway run`` all call :func:`connect`,
so a failover is handled the same way everywhere. With Sentinels, redis-py's
own :class:`redis.sentinel.Sentinel` asks them for the master before each new
connection; a command that meets a dead or demoted master (a pooled connection
made before the failover) is retried twice, shortly, on a connection to the
master the Sentinels name now. While they are still electing one, the error
reaches the caller within a fraction of a second, and its fallback holds:
the outbox row is committed and the sweep enqueues it later.

A single server gets no retries, as before: when it is down, a webhook must
fail over to the outbox at once rather than wait out a backoff.
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
SENTINEL_RETRIES = 2
"""Tries after the first, 50 and 100 ms apart: enough to reconnect to a new master,
short enough that a USSD screen still answers while the Sentinels elect one."""
_RETRY_ON = [RedisConnectionError, RedisTimeoutError, ReadOnlyError]


def connect(settings: Settings, socket_timeout: float | None = SOCKET_TIMEOUT) -> Redis:
    """A client for the gateway's Redis; no connection is opened until the first command.

    ``socket_timeout=None`` is for RQ workers, whose blocking dequeue waits longer
    than any short timeout.
    """
    timeouts = {"socket_timeout": socket_timeout, "socket_connect_timeout": SOCKET_TIMEOUT}
    if not settings.redis_sentinels:
        return Redis.from_url(settings.redis_url, **timeouts)
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
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), SENTINEL_RETRIES),
        retry_on_error=_RETRY_ON,
        **timeouts,
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
