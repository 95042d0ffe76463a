"""Login throttling: a few wrong passwords per username and address, then a pause.

Counted in Redis so every web process sees the same count (SPEC §9: nothing
kept in a process's memory). When Redis is down the console stays usable:
a health officer locked out in an outbreak is worse than a slower brute force,
and passwords are still hashed and checked.
"""

from __future__ import annotations

import hashlib
import logging

from redis.exceptions import RedisError

from gateway.redis_queues import redis

log = logging.getLogger(__name__)

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def _key(username: str, address: str) -> str:
    # Hashed: usernames and addresses are personal data, Redis keys are not secret.
    digest = hashlib.sha256(f"{username.casefold()}|{address}".encode()).hexdigest()[:32]
    return f"console:login-failures:{digest}"


def blocked(username: str, address: str) -> bool:
    """Whether this username from this address has failed too often lately."""
    try:
        count = redis().get(_key(username, address))
    except RedisError as exc:
        log.warning("login throttle unavailable (Redis), allowing the attempt: %s", exc)
        return False
    return count is not None and int(count) >= MAX_FAILURES


def record_failure(username: str, address: str) -> None:
    """Count a wrong password; the window starts at the first failure."""
    key = _key(username, address)
    try:
        pipe = redis().pipeline()
        pipe.incr(key)
        pipe.expire(key, WINDOW_SECONDS, nx=True)
        pipe.execute()
    except RedisError as exc:
        log.warning("login throttle unavailable (Redis), failure not counted: %s", exc)


def clear(username: str, address: str) -> None:
    """A correct password wipes the count, so typos earlier in the day do not add up."""
    try:
        redis().delete(_key(username, address))
    except RedisError as exc:
        log.warning("login throttle unavailable (Redis): %s", exc)
