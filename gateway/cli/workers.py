"""``gateway worker``, ``gateway cron`` and ``gateway run``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack, suppress

import click
from flask import current_app

from db.migrate import upgrade
from db.models import Commune
from gateway import early_stop
from gateway.embedded_redis import EmbeddedRedis
from gateway.job_worker import GatewayWorker, run_cron
from gateway.jobs import QUEUE_NAMES
from gateway.redis_connection import answers, describe
from gateway.services.demo import load_demo
from gateway.worker_pool import WorkerPool
from gateway.worker_priority import lower_priority

RESTART_AFTER = 2.0
"""Seconds ``gateway run`` waits before starting a child that died again."""


@click.command(
    help="A worker on the product's queues (urgent, housekeeping, default, bulk, in that "
    "order) with RQ's scheduler; rides out Redis restarts. Runs at WORKER_NICENESS, so the "
    "web processes keep the CPU while a burst arrives."
)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    help="Worker processes to run and keep running [default: WORKER_PROCESSES, one per core].",
)
def worker(burst: bool, processes: int | None) -> None:
    early_stop.listen()  # until RQ's own handlers, or the pool's, take over
    settings = current_app.config["SETTINGS"]
    processes = processes or settings.worker_processes
    if processes > 1:
        sys.exit(WorkerPool(processes, burst).run())
    queues = [current_app.extensions["queues"][name] for name in QUEUE_NAMES]
    worker = GatewayWorker(queues, connection=current_app.extensions["redis"])
    lower_priority(settings.worker_niceness)
    worker.work(burst=burst, with_scheduler=True)


@click.command(help="RQ's cron scheduler with the product's periodic jobs (run one).")
def cron() -> None:
    run_cron(current_app.extensions["redis"])


@click.command(help="Development: web + worker + cron in one command.")
@click.option("--port", default=5000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--demo/--no-demo", default=True, help="Load the demo commune first.")
def run(port: int, host: str, demo: bool) -> None:
    settings = current_app.config["SETTINGS"]
    env = dict(os.environ)
    with ExitStack() as stack:
        if not settings.redis_sentinels and not answers(settings):
            server = stack.enter_context(EmbeddedRedis())
            env["REDIS_URL"] = server.url
            where = describe(settings)
            click.echo(f"no Redis at {where}: started an embedded one ({server.url})")
        upgrade()
        login = None
        if demo or not Commune.select().exists():
            loaded = load_demo()
            login = f"{loaded.username} / {loaded.password}"
        me = [sys.executable, "-m", "gateway"]
        commands = {
            "web": [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--host", host,
                    "--port", str(port), "--no-reload", "--no-debugger"],
            "worker": [*me, "worker", "--processes", "1"],
            "cron": [*me, "cron"],
        }  # fmt: skip
        children = {name: subprocess.Popen(cmd, env=env) for name, cmd in commands.items()}
        stack.callback(_stop, children)
        click.echo(f"\n  console: http://{host}:{port}/console/")
        if login:
            click.echo(f"  login:   {login}")
        click.echo("  stop:    Ctrl-C\n")
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        with suppress(KeyboardInterrupt):
            _supervise(children, commands, env)


def _supervise(
    children: dict[str, subprocess.Popen[bytes]], commands: dict[str, list[str]], env: dict
) -> None:
    """Start again any child that exits, until Ctrl-C or SIGTERM stops ``gateway run``."""
    while True:
        time.sleep(0.5)
        for name, child in children.items():
            code = child.poll()
            if code is not None:
                click.echo(f"{name} exited ({code}); starting it again", err=True)
                time.sleep(RESTART_AFTER)
                children[name] = subprocess.Popen(commands[name], env=env)


def _stop(children: dict[str, subprocess.Popen[bytes]]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    for child in children.values():
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
