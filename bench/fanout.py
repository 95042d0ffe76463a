"""Reminder fan-out: one 07:30 round to every household, end to end, in one command.

    .venv/bin/python bench/fanout.py [--households 100000] [--workers 2]
                                     [--database-url postgresql://user@host:5432/postgres]

Builds the households in a temporary SQLite file (and, with ``--database-url``,
in a temporary database created on that PostgreSQL server and dropped after),
5,000 to a commune, each commune with the seeds' routine. Then:

1. decision: the cron job, ``dispatch_due_reminders`` at 07:30, in this process:
   one slot job per commune, enqueued on a private Redis;
2. fan-out: ``--workers`` real ``gateway worker --burst`` processes run the slot
   jobs (claim, audience, outbox rows) and the send batches, through the real
   Africa's Talking SDK to a local fake server that counts recipients;
3. baseline: the same batches posted straight to the fake server with the SDK
   from as many threads: the most the HTTP path allows, measured in the same run.

It prints messages per second for each phase, the ratio against the baseline,
duplicates and losses (both must be 0; the exit status says so) and peak memory.
On a 2-core machine 100,000 households take about 2 minutes on SQLite (most
of it building the households), and a few more with PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

import psycopg2

from db.base import database, utcnow
from db.migrate import upgrade
from db.models import (
    Commune,
    Household,
    HouseholdPhone,
    Member,
    OutboundMessage,
    ScheduleRun,
    Team,
)
from gateway import create_app
from gateway.embedded_redis import EmbeddedRedis
from gateway.jobs import BATCH_SIZE
from gateway.providers.africastalking import AfricasTalkingProvider
from gateway.services.reminders import seed_default_schedules, to_local, to_utc
from workers.reminders import dispatch_due_reminders

ZONE = "Asia/Ho_Chi_Minh"
PER_COMMUNE, TEAMS, PER_MEMBER = 5000, 10, 25
"""A commune of the seeds' size: 10 teams, a member for every 25 households."""


class FakeAfricasTalking:
    """Answers ``POST /version1/messaging`` as Africa's Talking does, counting recipients."""

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                form = self.rfile.read(int(self.headers["Content-Length"])).decode()
                numbers = dict(parse_qsl(form))["to"].split(",")
                with fake._lock:
                    fake.received.update(numbers)
                recipients = [{"statusCode": 101, "number": n, "status": "Success",
                               "cost": "KES 0.8000", "messageId": f"ATXid_{uuid.uuid4().hex}"}
                              for n in numbers]  # fmt: skip
                data = {"SMSMessageData": {"Message": "Sent", "Recipients": recipients}}
                body = json.dumps(data).encode()
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the counts are the record."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeAfricasTalking:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def build(households: int) -> list[str]:
    """Communes, teams, members and households with one phone each; their phones."""
    phones: list[str] = []
    for c, first in enumerate(range(0, households, PER_COMMUNE)):
        size = min(PER_COMMUNE, households - first)
        with database.atomic():
            commune = Commune.create(code=f"B{c:03d}", name=f"Xa {c}",
                                     health_station_phone="+842203123456")  # fmt: skip
            seed_default_schedules(commune)
            for t in range(TEAMS):
                phones += build_team(
                    commune, f"{c:03d}{t:02d}", range(first + t, first + size, TEAMS)
                )
    return phones


def build_team(commune: Commune, key: str, numbers: range) -> list[str]:
    """A team with its leader (member 0), a member per 25 households, and the households."""
    team = Team.create(commune=commune, name=f"Thon {key}")
    staff = [Member.create(team=team, name=f"To vien {m}", phone=f"+8498{key}{m:03d}",
                           role="member" if m else "leader")
             for m in range(1 - (-len(numbers) // PER_MEMBER))]  # fmt: skip
    rows = [{"commune": commune, "team": team, "member": staff[1 + i // PER_MEMBER],
             "code": f"H{number:06d}", "head_name": "Chu ho"}
            for i, number in enumerate(numbers)]  # fmt: skip
    for start in range(0, len(rows), 500):
        Household.insert_many(rows[start : start + 500]).execute()
    ids = Household.select(Household.id, Household.code).where(Household.team == team)
    owned = [{"household": h.id, "phone": f"+8491{int(h.code[1:]) + 1:07d}"} for h in ids]
    for start in range(0, len(owned), 500):
        HouseholdPhone.insert_many(owned[start : start + 500]).execute()
    return [row["phone"] for row in owned]


@contextmanager
def database_at(url: str | None, folder: Path):
    """A temporary SQLite file, or a temporary database on the PostgreSQL server at ``url``."""
    if url is None:
        yield f"sqlite:///{folder / 'fanout.sqlite3'}"
        return
    name = f"bench_fanout_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(url)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        database.close()
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
            )
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def sample_rss(roots: list[int], peaks: dict[str, int], stop: threading.Event) -> None:
    """Sample the workers and their work horses: the largest process and the largest sum (KiB)."""
    while not stop.wait(0.1):
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(line.split(":", 1) for line in stat.read_text().splitlines())
                parents[int(stat.parent.name)] = int(fields["PPid"])
                rss[int(stat.parent.name)] = int(fields.get("VmRSS", "0 kB").split()[0])
            except (OSError, ValueError, KeyError):
                continue
        tree = list(roots)
        for pid in tree:
            tree += [child for child, parent in parents.items() if parent == pid]
        sizes = [rss.get(pid, 0) for pid in tree]
        peaks["process"] = max(peaks["process"], *sizes, 0)
        peaks["total"] = max(peaks["total"], sum(sizes))


def baseline(url: str, batches: list[tuple[str, list[str]]], workers: int) -> float:
    """Recipients per second when the same batches go straight to the fake server."""
    provider = AfricasTalkingProvider("sandbox", "bench", api_url=url)
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda batch: provider.send(batch[1], batch[0]), batches))
    return sum(len(phones) for _, phones in batches) / (time.perf_counter() - start)


def send_round(folder: Path, env: dict[str, str], label: str, workers: int) -> dict[str, float]:
    """The cron job's decision in this process, then ``workers`` real burst workers that
    write each commune's slot and send it; timed from the decision to the last request."""
    started = time.perf_counter()
    day = to_local(ZONE, utcnow()).date() + dt.timedelta(days=1)
    decided = dispatch_due_reminders(now=to_utc(ZONE, dt.datetime.combine(day, dt.time(7, 30))))
    decide_seconds = time.perf_counter() - started
    peaks, stop = {"process": 0, "total": 0}, threading.Event()
    command = [sys.executable, "-m", "gateway", "worker", "--burst"]
    with (folder / f"{label}-workers.log").open("ab") as log:
        procs = [
            subprocess.Popen(command, env={**os.environ, **env}, cwd=folder, stdout=log,
                             stderr=subprocess.STDOUT)
            for _ in range(workers)
        ]  # fmt: skip
    sampler = threading.Thread(target=sample_rss, args=([p.pid for p in procs], peaks, stop))
    sampler.start()
    failed = sum(process.wait() != 0 for process in procs)
    total = time.perf_counter() - started
    stop.set()
    sampler.join()
    runs = list(ScheduleRun.select().where(ScheduleRun.state == "done"))
    writing = max(r.finished_at for r in runs) - min(r.started_at for r in runs) if runs else None
    return {
        "slots": decided["enqueued"], "decide": decide_seconds, "total": total,
        "write": writing.total_seconds() if writing else 0.0, "failed": failed,
        "written": sum(r.recipients for r in runs),
        "process_mib": peaks["process"] / 1024, "workers_mib": peaks["total"] / 1024,
    }  # fmt: skip


def same_batches() -> list[tuple[str, list[str]]]:
    """The round's messages as the sender batches them: by text, :data:`BATCH_SIZE` at a time."""
    by_text: dict[str, list[str]] = defaultdict(list)
    for phone, text in OutboundMessage.select(OutboundMessage.phone, OutboundMessage.text).tuples():
        by_text[text].append(phone)
    return [(text, group[i : i + BATCH_SIZE]) for text, group in by_text.items()
            for i in range(0, len(group), BATCH_SIZE)]  # fmt: skip


def run(label: str, url: str, households: int, workers: int, folder: Path) -> bool:
    """One backend: build, send a round, check every phone got exactly one SMS, compare."""
    with ExitStack() as stack:
        redis = stack.enter_context(EmbeddedRedis())
        fake = stack.enter_context(FakeAfricasTalking())
        env = {
            "DATABASE_URL": url, "REDIS_URL": redis.url, "SECRET_KEY": "bench",
            "SMS_PROVIDER": "africastalking", "AT_USERNAME": "sandbox", "AT_API_KEY": "bench",
            "AT_API_URL": fake.url, "SMS_RATE_LIMIT": "0",
        }  # fmt: skip
        stack.enter_context(create_app(env).app_context())
        upgrade()
        started = time.perf_counter()
        phones = build(households)
        print(
            f"[{label}] built {len(phones):,} households in {time.perf_counter() - started:.0f} s"
        )
        result = send_round(folder, env, label, workers)
        states = Counter(s for (s,) in OutboundMessage.select(OutboundMessage.state).tuples())
        batches = same_batches()
        database.close()
        with FakeAfricasTalking() as raw:
            raw_rate = baseline(raw.url, batches, workers)
    received = sum(fake.received.values())
    duplicates = sum(count - 1 for count in fake.received.values() if count > 1)
    losses = len(set(phones) - set(fake.received))
    rate = received / result["total"]
    writing = result["written"] / max(result["write"], 1e-9)
    self_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for line in (
        f"decision: {result['slots']:.0f} slots due, found in {result['decide'] * 1000:.0f} ms",
        f"writing:  {result['written']:,.0f} outbox rows in {result['write']:.1f} s"
        f" = {writing:,.0f} rows/s (inside the workers)",
        f"fan-out:  {received:,} recipients in {result['total']:.1f} s = {rate:,.0f} msg/s"
        f" with {workers} workers; rows {dict(states)}",
        f"baseline: {raw_rate:,.0f} msg/s posting the same {len(batches)} batches with the SDK;"
        f" fan-out/baseline = {rate / raw_rate:.3f}",
        f"memory:   {result['process_mib']:.0f} MiB largest worker process,"
        f" {result['workers_mib']:.0f} MiB all workers, {self_mib:.0f} MiB this process",
        f"duplicates: {duplicates}   losses: {losses}",
    ):
        print(f"[{label}] {line}")
    return not (duplicates or losses or result["failed"]) and received == len(phones)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", help="a PostgreSQL server to also run on")
    args = parser.parse_args()
    backends = [("sqlite", None)] + ([("postgresql", args.database_url)] * bool(args.database_url))
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp:
        for label, server in backends:
            with database_at(server, Path(tmp)) as url:
                ok = run(label, url, args.households, args.workers, Path(tmp)) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
