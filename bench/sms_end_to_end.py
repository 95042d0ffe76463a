"""Inbound SMS end to end: the webhook, one worker, the real SDK, a fake Africa's Talking.

    .venv/bin/python bench/sms_end_to_end.py [--messages 1000] [--connections 16]
        [--web-workers 4] [--warmup 200] [--database-url URL]

What a province's 14:00 peak does, in one command: known households text their
declaration (``1``, ``2 13``, ``1``, ``2 4``, ``2 135``, each from its own phone,
each with its own provider id) to the SMS webhook on gunicorn; one
``gateway worker`` handles the inbox and sends every reply and alert through the
real ``africastalking`` SDK to a local stand-in (``bench/fake_provider.py``, its
own process), which counts every recipient. Bare Flask on the same gunicorn
settings takes the same requests first, as the baseline of the same run.

It prints, for exactly ``--messages`` requests from ``--connections`` closed-loop
clients (a Python load generator, the same for both servers):

- webhook requests/s, p50 and p99 of each server, and their ratio;
- end-to-end messages/s: messages over the time from the first request to the
  last reply handed to the provider; p50/p99 of each household's wait for
  its reply (its SMS stored → its reply handed over);
- replies lost and doubled, and whether every outbound row was sent exactly
  once (the provider's count per phone equals the outbox's). The exit status
  is non-zero when anything was lost or doubled.

A warm-up of ``--warmup`` messages from other households runs first and is
waited out, so the measured run starts on a worker with nothing left to do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from common import PYTHON, ROOT, environment, gateway, household_phone, wait_until_up, write_commune

from db import inbox
from db.base import connect, database
from db.inbox import WaitingSms
from db.models import InboundMessage, OutboundMessage
from gateway.embedded_redis import EmbeddedRedis, free_port

TEXTS = ("1", "2 13", "1", "2 4", "2 135")
PATH = "/webhooks/africastalking/sms"
SETTLE = 900
"""Seconds to wait for the last reply before calling the rest lost."""


@dataclass
class Load:
    """One load run: its requests' wall-clock start, duration and latencies."""

    started: float
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: float) -> float:
        return statistics.quantiles(self.latencies, n=100)[int(p) - 1] * 1000


def form(index: int, run: str) -> str:
    phone = household_phone(index).replace("+", "%2B")
    text = TEXTS[index % len(TEXTS)].replace(" ", "+")
    return f"from={phone}&to=8088&text={text}&id=ATXid_{run}_{index}&networkCode=45204"


def load(port: int, indices: range, run: str, connections: int) -> Load:
    """Post one SMS per index from ``connections`` closed-loop clients; exactly that many."""
    pending = iter(indices)
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    headers = {"Content-Type": "application/x-www-form-urlencoded"}

    def client() -> None:
        while True:
            with lock:
                index = next(pending, None)
            if index is None:
                return
            start = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                connection.request("POST", PATH, form(index, run), headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
            finally:
                connection.close()
            with lock:
                latencies.append(time.perf_counter() - start)
                errors[0] += not ok

    started, clock = time.time(), time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Load(started, time.perf_counter() - clock, latencies, errors[0])


def provider_counts(url: str) -> tuple[Counter[str], float]:
    with urllib.request.urlopen(f"{url}/counts", timeout=10) as response:
        data = json.load(response)
    return Counter(data["received"]), data["last_at"]


def wait_for_replies(url: str, phones: list[str], timeout: float) -> tuple[Counter[str], float]:
    """Poll the provider until every phone has its reply and nothing moved for a second."""
    deadline = time.monotonic() + timeout
    previous: Counter[str] | None = None
    while True:
        counts, last_at = provider_counts(url)
        if all(counts[phone] for phone in phones) and counts == previous:
            return counts, last_at
        if time.monotonic() > deadline:
            return counts, last_at
        previous = counts
        time.sleep(1.0)


def gunicorn(app: str, port: int, env: dict[str, str], workers: int, cwd: Path):
    executable = shutil.which("gunicorn", path=str(Path(PYTHON).parent)) or "gunicorn"
    return subprocess.Popen(
        [executable, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--backlog", "2048",
         "--log-level", "warning", app],
        env=env, cwd=cwd,
    )  # fmt: skip


def reply_waits(phones: list[str]) -> list[float]:
    """Seconds from each household's SMS stored to its reply handed to the provider."""
    received = dict(
        InboundMessage.select(InboundMessage.phone, InboundMessage.received_at)
        .where(InboundMessage.phone.in_(phones))
        .tuples()
    )
    waits = []
    for phone, sent_at in (
        OutboundMessage.select(OutboundMessage.phone, OutboundMessage.sent_at)
        .where(OutboundMessage.phone.in_(phones), OutboundMessage.sent_at.is_null(False))
        .tuples()
    ):
        waits.append((as_time(sent_at) - as_time(received[phone])).total_seconds())
    return waits


def as_time(value: dt.datetime | str) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    processes: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory() as tmp, EmbeddedRedis() as redis:
        folder = Path(tmp)
        fake_port, ours, bare = free_port(), free_port(), free_port()
        fake_url = f"http://127.0.0.1:{fake_port}"
        database_url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
        env = {
            **environment(database_url, redis.url),
            "SMS_PROVIDER": "africastalking",
            "AT_USERNAME": "sandbox",
            "AT_API_KEY": "bench",
            "AT_API_URL": fake_url,
        }
        gateway(env, "db", "upgrade")
        for path in write_commune(folder, args.warmup + args.messages):
            gateway(env, "import", str(path))
        try:
            fake = [PYTHON, str(ROOT / "bench" / "fake_provider.py"), str(fake_port)]
            processes.append(subprocess.Popen(fake))
            processes.append(gunicorn("wsgi:app", ours, env, args.web_workers, ROOT))
            processes.append(gunicorn("bare_app:app", bare, env, args.web_workers, ROOT / "bench"))
            processes.append(subprocess.Popen([PYTHON, "-m", "gateway", "worker"], env=env,
                                              cwd=ROOT, stdout=subprocess.DEVNULL))  # fmt: skip
            for url in (f"http://127.0.0.1:{ours}", f"http://127.0.0.1:{bare}"):
                wait_until_up(f"{url}/healthz")
            wait_until_up(f"{fake_url}/counts")

            warmup = range(args.warmup)
            load(bare, warmup, "warm", args.connections)
            load(ours, warmup, "warm", args.connections)
            wait_for_replies(fake_url, [household_phone(i) for i in warmup], SETTLE)

            measured = range(args.warmup, args.warmup + args.messages)
            phones = [household_phone(i) for i in measured]
            baseline = load(bare, measured, "run", args.connections)
            run = load(ours, measured, "run", args.connections)
            counts, last_at = wait_for_replies(fake_url, phones, SETTLE)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        connect(database_url)
        outbox = Counter(
            phone
            for (phone,) in OutboundMessage.select(OutboundMessage.phone)
            .where(OutboundMessage.state == "sent")
            .tuples()
        )
        unsent = OutboundMessage.select().where(OutboundMessage.state != "sent").count()
        inbox.connect()
        unhandled = WaitingSms.select().count()
        waits = reply_waits(phones)
        database.close()

    lost = sum(1 for phone in phones if counts[phone] == 0)
    doubled = sum(counts[phone] - 1 for phone in phones if counts[phone] > 1)
    exact = counts == outbox and unsent == 0 and unhandled == 0
    end_to_end = args.messages / (last_at - run.started)
    print(
        f"\n{args.messages} SMS from {args.connections} closed-loop clients, gunicorn "
        f"-w {args.web_workers} sync for both, one `gateway worker`; {args.warmup} warm-up"
    )
    print(f"{'server':<12} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, result in (("bare Flask", baseline), ("gateway", run)):
        print(f"{name:<12} {result.rps:>8.0f} {result.percentile(50):>8.1f} "
              f"{result.percentile(99):>8.1f} {result.errors:>7}")  # fmt: skip
    print(f"webhook vs bare Flask: {run.rps / baseline.rps:.2f}x")
    print(f"end to end: {end_to_end:.1f} msg/s (last reply {last_at - run.started:.1f} s "
          f"after the first request); reply wait p50 {statistics.median(waits):.2f} s, "
          f"p99 {statistics.quantiles(waits, n=100)[98]:.2f} s")  # fmt: skip
    print(
        f"replies lost {lost}, doubled {doubled}; outbound rows {outbox.total()} "
        f"all sent once: {'yes' if exact else 'NO'} (unsent {unsent}, unhandled SMS {unhandled})"
    )
    return 0 if lost == doubled == 0 and exact and run.errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
