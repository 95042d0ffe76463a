"""``gateway worker --processes N``: several worker processes under one command.

A worker runs one job at a time in one Python process, so it uses one core:
while it handles a batch of inbound SMS, the replies of the batch before wait.
With ``WORKER_PROCESSES`` (or ``--processes``; by default one per core) above 1,
``gateway worker`` starts that many workers and keeps them running: one drains
the inbox while the others send. Each child is a whole worker (the same command with
``--processes 1``), so the pool adds no way of running a job: it only starts
them, starts again one that died, and turns SIGTERM or SIGINT into a SIGTERM
to each (RQ's warm shutdown: the job in hand finishes), exiting when all have
stopped. The workers stay in the pool's process group: whatever stops the
group stops them all, and RQ takes a second signal within a second (a Ctrl-C
reaches the whole group, then the pool's SIGTERM) as the same shutdown.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from functools import partial
from types import FrameType

from gateway import early_stop
from gateway.worker_priority import POOL_SESSION, leads_session

log = logging.getLogger(__name__)

RESTART_AFTER = 1.0
"""Seconds before a worker that died is started again (a crash loop stays slow)."""


PR_SET_PDEATHSIG = 1


def _die_with(pool: int) -> None:
    """In a new worker, before it runs: on Linux, a SIGTERM when the pool dies, however
    it dies, so no worker outlives its pool (and works on, against a database or Redis
    that has moved on)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != pool:  # the pool died before the line above
        os._exit(0)


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
        """Start the workers and wait for them; the exit status: 0 if each stopped
        cleanly (one that died earlier was started again, and is only logged)."""
        for signum in early_stop.STOP_SIGNALS:
            signal.signal(signum, self._stop)
        if early_stop.ASKED:  # asked while the pool started: nothing is running yet
            return 0
        for _ in range(self.processes):
            self._start()
        status = 0
        while self.children:
            pid, wait_status = os.wait()
            child = self.children.pop(pid, None)
            if child is None:
                continue
            code = child.returncode = os.waitstatus_to_exitcode(wait_status)
            if self.stopping or self.burst:
                if code not in (0, -signal.SIGTERM):
                    log.warning("worker %d exited with %d", pid, code)
                    status = 1
                continue
            log.warning("worker %d exited with %d; starting another", pid, code)
            time.sleep(RESTART_AFTER)
            if not self.stopping:
                self._start()
        return status

    def _start(self) -> None:
        child = subprocess.Popen(
            self.command, env=self._environment(), preexec_fn=partial(_die_with, os.getpid())
        )
        self.children[child.pid] = child

    @staticmethod
    def _environment() -> dict[str, str]:
        """The pool's environment; and, if the pool leads its session, word to its workers
        that the session is theirs to nice (``gateway.worker_priority``)."""
        return {**os.environ, POOL_SESSION: "1" if leads_session() else "0"}

    def _stop(self, _signum: int, _frame: FrameType | None) -> None:
        """SIGTERM to each worker, whichever signal came: RQ's warm shutdown, and a
        worker still starting dies of it (a SIGINT would make click print "Aborted!")."""
        self.stopping = True
        for pid in list(self.children):
            with suppress(ProcessLookupError):  # exited, not reaped yet
                os.kill(pid, signal.SIGTERM)
