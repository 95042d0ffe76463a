"""Resuming a dropped USSD session (SPEC §4), kept in Redis for 10 minutes.

Per phone, the answers of the last session that did not end; per new session,
the offer made on its first screen, so every later step of that session is
replayed against the same saved answers by whichever web process serves it.

A screen costs one Redis round trip. A round trip costs more than building a
screen, and almost no session has an offer, so ``ussd_calls`` builds the screen
as if there were none and :func:`exchange` saves it in the same pipeline that
reads the offer. A session with an offer pays a second trip: its screen is
built again on the offer and saved by :func:`remember_offered`.

Most households never drop a session, and they need no Redis at all: the
household's row, read for every screen anyway, says when one of its sessions
first saved progress (:func:`start_tracking`, once per such session). Longer
ago than :data:`TRACKED` means Redis holds nothing for it: no offer to look
for, nothing to clear. Members' and strangers' phones are always looked up.

Resume is a convenience: if Redis is down the menu simply starts afresh.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from redis.client import Pipeline
from redis.exceptions import RedisError

from db.models import Household
from flows.phones import InvalidPhone, to_e164
from flows.ussd import Screen
from gateway.redis_queues import redis

RESUME_SECONDS = 10 * 60
TRACKED = dt.timedelta(seconds=RESUME_SECONDS) + dt.timedelta(minutes=5)
"""The resume window runs from a session's last screen, the marker from its first
saved one; a network ends a USSD session within a few minutes."""
log = logging.getLogger(__name__)


def tracked(progress_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether Redis may hold progress for a household whose marker is ``progress_at``."""
    return progress_at is not None and now - progress_at < TRACKED


def start_tracking(household_id: int, now: dt.datetime) -> None:
    """Mark the household before its first progress is saved, so the next call looks."""
    Household.update(ussd_progress_at=now).where(Household.id == household_id).execute()


def _last_key(phone: str) -> str:
    return f"ussd:last:{phone}"


def _offer_key(session: str) -> str:
    return f"ussd:offer:{session}"


def exchange(session: str, phone: str, first_call: bool, screen: Screen) -> tuple[str, ...]:
    """This session's resume offer, read in the round trip that saves ``screen``.

    ``screen`` was built without an offer. On the first call nothing is saved
    (the main menu holds no progress) and the offer is the answers of this
    phone's last dropped session.
    """
    try:
        if first_call:
            # A repeated first callback (the provider retrying) finds its own offer.
            raw, made = redis().mget(_last_key(phone), _offer_key(session))
            if made:
                return tuple(json.loads(made))
            last = json.loads(raw) if raw else None
            return tuple(last["answers"]) if last and last["session"] != session else ()
        pipe = redis().pipeline(transaction=False)
        pipe.get(_offer_key(session))
        _save(pipe, session, phone, screen)
        raw = pipe.execute()[0]
        return tuple(json.loads(raw)) if raw else ()
    except (RedisError, ValueError, KeyError, TypeError) as exc:
        log.warning("USSD resume unavailable: %s", type(exc).__name__)
        return ()


def remember_offered(
    session: str, phone: str, offer: tuple[str, ...], screen: Screen, first_call: bool
) -> None:
    """Save a screen built on an offer; the first screen also keeps the offer for the rest."""
    try:
        pipe = redis().pipeline(transaction=False)
        if first_call:
            pipe.set(_offer_key(session), json.dumps(list(offer)), ex=RESUME_SECONDS)
        _save(pipe, session, phone, screen)
        pipe.execute()
    except RedisError as exc:
        log.warning("USSD resume not saved: %s", type(exc).__name__)


def finish(session: str, phone: str) -> None:
    """A session whose last screen recorded something is over once that is stored."""
    try:
        redis().delete(_last_key(phone), _offer_key(session))
    except RedisError as exc:
        log.warning("USSD resume not cleared: %s", type(exc).__name__)


def session_ended(raw_phone: str, default_region: str) -> None:
    """The provider says a session completed: nothing of it is left to resume."""
    try:
        forget(to_e164(raw_phone, default_region))
    except InvalidPhone:
        return


def forget(phone: str) -> None:
    try:
        redis().delete(_last_key(phone))
    except RedisError as exc:
        log.warning("USSD resume not cleared: %s", type(exc).__name__)


def holds_progress(screen: Screen) -> bool:
    """A screen a dropped session could be resumed at."""
    return not screen.end and bool(screen.answers)


def _save(pipe: Pipeline, session: str, phone: str, screen: Screen) -> None:
    """Where the session stands, as the next session of this phone may resume it.

    A screen that records something keeps the progress before it until
    :func:`finish`: if storing the record fails, the caller can still resume.
    The session's offer is left to expire: ``screen`` may have been built
    without it, and the session goes on with it if it turns out to have one.
    """
    if holds_progress(screen):
        value = json.dumps({"session": session, "answers": list(screen.answers)})
        pipe.set(_last_key(phone), value, ex=RESUME_SECONDS)
    elif not screen.effects:
        pipe.delete(_last_key(phone))
