"""A per-route cap on messages a second, shared by every worker process.

Operators throttle each route (an SMPP bind, an Africa's Talking short code)
at 25-150 messages a second and drop or delay what comes faster, so a
reminder round must not go out as fast as the workers can post it. The cap
is a reservation on a virtual schedule kept in Redis (the generic cell rate
algorithm): each request for ``n`` messages books the next ``n / rate``
seconds of the route and learns when its booking starts; the caller waits
until then. One Lua script does the booking, on Redis's own clock, so any
number of workers on any number of machines share one schedule, and a
booking that was never used (a worker died) only wastes its slot.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from redis import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

_BOOK = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
local free_at = tonumber(redis.call('GET', KEYS[1]) or '0')
if free_at < now then free_at = now end
local booked_until = free_at + tonumber(ARGV[1]) / tonumber(ARGV[2])
redis.call('SET', KEYS[1], tostring(booked_until), 'PX',
    math.ceil((booked_until - now) * 1000) + 1000)
return tostring(free_at - now)
"""


@dataclass(frozen=True)
class SendRate:
    """The cap of one route; ``per_second`` of 0 means no cap."""

    connection: Redis
    route: str
    per_second: float

    @property
    def key(self) -> str:
        return f"gateway:send-rate:{self.route}"

    def chunk(self, limit: int) -> int:
        """Recipients per provider request: at most a second's worth, so one
        request never books more than a second of the route."""
        if not self.per_second:
            return limit
        return max(1, min(limit, int(self.per_second)))

    def wait_for(self, count: int) -> float:
        """Book ``count`` messages and sleep until they may go; the seconds slept.

        Without Redis this process paces itself alone (the booking's length),
        so a batch already claimed still goes out, no faster than the cap.
        """
        if not self.per_second or count <= 0:
            return 0.0
        script = self.connection.register_script(_BOOK)
        try:
            delay = float(script(keys=[self.key], args=[count, self.per_second]))
        except RedisError as exc:
            log.warning("send rate of %s unshared while Redis is away: %s", self.route, exc)
            delay = count / self.per_second
        if delay > 0:
            time.sleep(delay)
        return max(delay, 0.0)
