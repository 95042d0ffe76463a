"""``gateway worker`` on a machine with several cores: one worker process per core.

A worker runs one job at a time in one Python process, so it uses one core:
while it handles a batch of inbound SMS, the replies of the batch before wait.
With ``WORKER_PROCESSES`` above 1 (by default, one per core), ``gateway worker``
starts that many workers and keeps them running: one handles the inbox while
another sends. Each child is a whole worker (the same command with
``--processes 1``), so the pool adds no way of running a job: it only starts
them, starts again one that died, and passes SIGTERM and SIGINT on (RQ's warm
shutdown: the job in hand finishes), exiting when all have stopped.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from types import FrameType

log = logging.getLogger(__name__)

RESTART_AFTER = 1.0
"""Seconds before a worker that died is started again (a crash loop stays slow)."""


class WorkerPool:
    """``processes`` worker processes, supervised until a signal stops them."""

    def __init__(self, processes: int, burst: bool) -> None:
        self.processes = processes
        self.burst = burst
        self.stopping = False
        self.children: dict[int, subprocess.Popen[bytes]] = {}

    @property
    def command(self) -> list[str]:
        burst = ["--burst"] if self.burst else []
        return [sys.executable, "-m", "gateway", "worker", "--processes", "1", *burst]

    def run(self) -> int:
        """Start the workers and wait for them; the exit status (0 if all exited cleanly)."""
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        for _ in range(self.processes):
            self._start()
        status = 0
        while self.children:
            pid, wait_status = os.wait()
            child = self.children.pop(pid, None)
            if child is None:
                continue
            code = child.returncode = os.waitstatus_to_exitcode(wait_status)
            if code != 0:
                log.warning("worker %d exited with %d", pid, code)
                status = status or 1
            if not (self.stopping or self.burst):
                time.sleep(RESTART_AFTER)
                if not self.stopping:
                    self._start()
        return status

    def _start(self) -> None:
        # Its own process group: a Ctrl-C in the terminal reaches the pool alone,
        # which passes it on once (a second SIGINT would be RQ's cold shutdown).
        child = subprocess.Popen(self.command, process_group=0)
        self.children[child.pid] = child

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        self.stopping = True
        for pid in list(self.children):
            with suppress(ProcessLookupError):  # exited, not reaped yet
                os.kill(pid, signum)
