"""A stop asked while ``gateway worker`` starts, remembered until the worker can honour it.

Until RQ's own handlers are in (or the pool's), SIGTERM and SIGINT land in
:func:`remember`. It records the signal and does nothing else. Exiting there
would be unsafe: RQ forks its scheduler before it installs its handlers, and a
signal that arrives while Python runs its at-fork callbacks would raise inside
logging's, leaving logging's lock held. The exit is only printed, and every
other thread that logs then waits forever. So the worker honours the stop
once its handlers are in (``GatewayWorker._install_signal_handlers``), and the
pool once its own are (``WorkerPool.run``), both before any work.
"""

from __future__ import annotations

import signal
from types import FrameType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
ASKED: list[int] = []
"""The stop signals :func:`remember` caught in this process."""


def listen() -> None:
    """From now until real handlers replace these, a stop is remembered."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, remember)


def remember(signum: int, _frame: FrameType | None) -> None:
    ASKED.append(signum)
