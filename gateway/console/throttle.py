"""Login throttling that slows guessing down and cannot be turned against a user.

Failures are counted per client (its address, read through the trusted proxies
of :mod:`gateway.proxies`), per client and username, and per username, with
the username normalised as the login form reads it (trimmed, case folded):

- a client that failed ``PAIR_FAILURES`` times for one username is refused
  for that username for the window; it alone, so the user logs in from their
  own browser meanwhile;
- a client that failed for ``CLIENT_USERNAMES`` different usernames, or
  ``CLIENT_FAILURES`` times in all, is refused for every username: one
  password tried across many logins (spraying) stops there;
- a username that failed ``ATTACKED_FAILURES`` times from anywhere is under
  attack: each client then gets a single wrong guess for it instead of five,
  which slows a distributed attack down while a client that has not failed,
  the user's own, still logs in with the right password.

A successful login clears only its own client and username's count, so an
attacker cannot reset the client's counts by logging into an account of
their own between guesses.

Counted in Redis so every web process sees the same numbers (SPEC §9).
When Redis is down the console stays usable: a health officer locked out in
an outbreak is worse than a slower brute force, and passwords are still hashed.
"""

from __future__ import annotations

import hashlib
import logging

from redis.exceptions import RedisError

from gateway.redis_queues import redis

log = logging.getLogger(__name__)

PAIR_FAILURES = 5
CLIENT_USERNAMES = 10
CLIENT_FAILURES = 30
ATTACKED_FAILURES = 20
WINDOW_SECONDS = 15 * 60
PREFIX = "console:login-failures"


def _digest(*parts: str) -> str:
    # Hashed: usernames and addresses are personal data, Redis keys are not secret.
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def normalise(username: str) -> str:
    """``" Erin "`` and ``"erin"`` are one username to the throttle."""
    return username.strip().casefold()


def _keys(username: str, client: str) -> tuple[str, str, str, str]:
    name = normalise(username)
    return (
        f"{PREFIX}:pair:{_digest(name, client)}",
        f"{PREFIX}:client:{_digest(client)}",
        f"{PREFIX}:usernames:{_digest(client)}",
        f"{PREFIX}:user:{_digest(name)}",
    )


def blocked(username: str, client: str) -> bool:
    """Whether this client may not try this username now."""
    pair, client_key, usernames, user = _keys(username, client)
    try:
        pipe = redis().pipeline(transaction=False)
        pipe.get(pair)
        pipe.get(client_key)
        pipe.scard(usernames)
        pipe.get(user)
        pair_count, client_count, distinct, user_count = pipe.execute()
    except RedisError as exc:
        log.warning("login throttle unavailable (Redis), allowing the attempt: %s", exc)
        return False
    attacked = int(user_count or 0) >= ATTACKED_FAILURES
    allowance = 1 if attacked else PAIR_FAILURES
    return (
        int(pair_count or 0) >= allowance
        or int(client_count or 0) >= CLIENT_FAILURES
        or distinct >= CLIENT_USERNAMES
    )


def failed(username: str, client: str) -> None:
    """Count a wrong password in every count; each window starts at its first failure."""
    pair, client_key, usernames, user = _keys(username, client)
    try:
        pipe = redis().pipeline()
        pipe.incr(pair)
        pipe.incr(client_key)
        pipe.sadd(usernames, _digest(normalise(username)))
        pipe.incr(user)
        for key in (pair, client_key, usernames, user):
            pipe.expire(key, WINDOW_SECONDS, nx=True)
        pipe.execute()
    except RedisError as exc:
        log.warning("login throttle unavailable (Redis), failure not counted: %s", exc)


def succeeded(username: str, client: str) -> None:
    """The right password wipes this client's count for this username, and only that."""
    pair = _keys(username, client)[0]
    try:
        redis().delete(pair)
    except RedisError as exc:
        log.warning("login throttle unavailable (Redis): %s", exc)
