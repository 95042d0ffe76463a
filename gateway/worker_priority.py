"""Workers yield the CPU to the web processes: they run niced.

Receiving is the promise a webhook keeps (SPEC §9): a provider waits for its
answer, a USSD caller for the next screen. Handling and sending can wait a
moment. So ``gateway worker`` lowers its CPU priority once it is ready to work
(``WORKER_NICENESS``, 10 by default; 0 leaves it as it was): while a burst
arrives on a machine the web and the workers share, the web processes get the
cores and the workers use what is left; between bursts the workers have the
machine. A worker alone on its host loses nothing.

Linux gives each session a scheduling group of its own (the autogroup, while
``kernel.sched_autogroup_enabled`` is on, as it is by default): a nice value
then counts only against the processes of the same session, and a worker
started in a session of its own (by a service manager, ``setsid`` or a
benchmark harness) would share the CPU with the web's session as an equal,
whatever its nice value. So a worker that leads its session sets the session's
nice value too (``/proc/self/autogroup``). So do the workers of a pool that
leads its session (:data:`POOL_SESSION`). A worker inside another session
(``gateway run``, a terminal) leaves the session alone: that would slow the
web processes with it. Where a service manager puts each service in a CPU
group of its own (systemd with CPU accounting on), the groups' weights decide
instead (README: ``CPUWeight=``).

The priority drops once the worker is ready, just before it takes its first
job: started beside busy web processes, a niced worker would otherwise take
seconds to import itself, while SMS wait.

Measured with ``../shared/peers`` at its default N=5000 (``bench/README.md``):
the webhook's rate during the burst went from 3.8-4.1x RapidSMS's to 5.4-6.3x,
and the last reply still left sooner than at 2x RapidSMS's rate.
"""

from __future__ import annotations

import os
import re
from contextlib import suppress
from pathlib import Path

AUTOGROUP = Path("/proc/self/autogroup")
"""Linux: ``/autogroup-<id> nice <n>``; writing a number sets the session's nice value.
Empty for a process whose session has no autogroup: one no process has started since
boot, as init's own (CI's runner runs in it)."""
POOL_SESSION = "GATEWAY_POOL_SESSION"
"""Set to ``1`` by a pool that leads its session, in its workers' environment: the
session is theirs to nice."""


def lower_priority(niceness: int) -> None:
    """Run this process at ``niceness`` at least, and its session too if the session is
    the workers' own (:func:`owns_session`); nothing for 0. A priority already lower is
    kept: raising one back needs privileges."""
    if niceness <= 0:
        return
    current = os.nice(0)
    if current < niceness:
        os.nice(niceness - current)
    if owns_session() and session_niceness() < niceness:
        with suppress(OSError):  # no autogroups here, or not allowed: the nice value stands
            AUTOGROUP.write_text(str(niceness))


def owns_session() -> bool:
    """Whether this worker leads its session, or its pool does."""
    return leads_session() or os.environ.get(POOL_SESSION) == "1"


def leads_session() -> bool:
    """Whether this process leads its session (a service manager, ``setsid``)."""
    return os.getsid(0) == os.getpid()


def session_niceness() -> int:
    """The nice value of this process's session (its autogroup); 0 where there is none."""
    found = autogroup_niceness()
    return 0 if found is None else found


def autogroup_niceness(path: Path | None = None) -> int | None:
    """The nice value an autogroup file (this process's: :data:`AUTOGROUP`) shows;
    ``None`` without autogroups or for a session that has none."""
    try:
        found = re.search(r"nice (-?\d+)", (path or AUTOGROUP).read_text())
    except OSError:
        return None
    return int(found.group(1)) if found else None
