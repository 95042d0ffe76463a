"""Resuming a dropped USSD session (SPEC §4), kept in Redis for 10 minutes.

Per phone, the answers of the last session that did not end; per new session,
the offer made on its first screen, so every later step of that session is
replayed against the same saved answers by whichever web process serves it.
Resume is a convenience: if Redis is down the menu simply starts afresh.
"""

from __future__ import annotations

import json
import logging

from redis.exceptions import RedisError

from gateway.redis_queues import redis

RESUME_SECONDS = 10 * 60
log = logging.getLogger(__name__)


def _last_key(phone: str) -> str:
    return f"ussd:last:{phone}"


def _offer_key(session: str) -> str:
    return f"ussd:offer:{session}"


def resumable(session: str, phone: str, first_call: bool) -> tuple[str, ...]:
    """The answers this session may resume from, decided on its first call."""
    try:
        if not first_call:
            saved = redis().get(_offer_key(session))
            return tuple(json.loads(saved)) if saved else ()
        raw = redis().get(_last_key(phone))
        if not raw:
            return ()
        last = json.loads(raw)
        if last["session"] == session or not last["answers"]:
            return ()
        redis().set(_offer_key(session), json.dumps(last["answers"]), ex=RESUME_SECONDS)
        return tuple(last["answers"])
    except (RedisError, ValueError, KeyError, TypeError) as exc:
        log.warning("USSD resume unavailable: %s", type(exc).__name__)
        return ()


def remember(
    session: str, phone: str, answers: tuple[str, ...], ended: bool, offered: bool
) -> None:
    """Save where the session stands; a main menu with nothing to resume costs no write."""
    if not answers and not ended and not offered:
        return
    try:
        if ended:
            redis().delete(_last_key(phone), _offer_key(session))
        else:
            value = json.dumps({"session": session, "answers": list(answers)})
            redis().set(_last_key(phone), value, ex=RESUME_SECONDS)
    except RedisError as exc:
        log.warning("USSD resume not saved: %s", type(exc).__name__)


def forget(phone: str) -> None:
    try:
        redis().delete(_last_key(phone))
    except RedisError as exc:
        log.warning("USSD resume not cleared: %s", type(exc).__name__)
