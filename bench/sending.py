"""Sending replies and alerts: the drain against one job per message, in one command.

    .venv/bin/python bench/sending.py [--messages 3000] [--before 300]

Builds a temporary SQLite file, a private Redis and a local fake Africa's
Talking in its own process (``bench/fake_provider.py``: HTTP/1.1, keeps
connections alive as the real API does), then sends four ways, each through
the real SDK:

1. drain (the product): ``--messages`` replies, each committed in its own
   outbox transaction as a declaration commits its reply, every tenth with an
   urgent alert; one ``gateway worker --burst`` drains them with the send-rate
   cap off (``SMS_RATE_LIMIT=0``); timed from the worker's start to the last
   message the fake received.
   Its CPU per message is the worker process's CPU less that of a worker that
   starts and finds nothing to do (measured just before);
2. before: ``--before`` more replies as the gateway sent them until issue 12,
   one RQ job per message in RQ's forking worker inside the app context (the
   old ``gateway worker``): the same claim and hand-over code, a fork per
   message (``--before 0`` leaves it out);
3. ceiling: the drain's messages posted straight to the fake server with the
   provider (``AfricasTalkingProvider``), one request per text, from one
   thread: the most the HTTP path allows, in messages a second and CPU;
4. SDK as shipped: the same requests through the SDK's own client
   (``requests.post``: a new session and connection per request), its base
   URL moved as the provider moves it.

It prints messages per second and CPU per message for each, the ratios, and
duplicates and losses (both must be 0; the exit status says so).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from africastalking import SMSService
from common import PYTHON, ROOT, wait_until_up
from rq import Queue

from db.base import database
from db.migrate import upgrade
from db.models import OutboundMessage
from gateway import create_app
from gateway.embedded_redis import EmbeddedRedis, free_port
from gateway.jobs import DEFAULT, SEND_BATCH_JOB, URGENT
from gateway.providers.africastalking import AfricasTalkingProvider
from gateway.services.outbox import outbox, queue_sms

FORKING_WORKER = """
from rq import Worker
from gateway import create_app
app = create_app()
with app.app_context():
    queues = [app.extensions["queues"]["default"]]
    Worker(queues, connection=app.extensions["redis"]).work(burst=True)
"""
"""How ``gateway worker`` ran jobs until issue 12: RQ's forking worker inside the app context."""
ALERT = "Ca khan so {}: ho Nguyen Van A, thon Dong, sot cao va kho tho. Tra loi OK {} de nhan."


class ShippedSMSService(SMSService):
    """The SDK's SMS service and HTTP client as they ship, posting to ``api_url``."""

    def __init__(self, api_url: str) -> None:
        self._api_url = api_url
        super().__init__("sandbox", "bench")

    def _init_service(self) -> None:
        super()._init_service()
        self._baseUrl = self._api_url + "/version1"


def queue_replies(first: int, count: int) -> list[str]:
    """``count`` replies, one transaction each, every tenth with an alert; their phones."""
    phones = []
    for index in range(first, first + count):
        phone = f"+8491{index:07d}"
        with outbox():
            queue_sms(phone, f"Da nhan khai bao cua ho {index}. Cam on.", priority=DEFAULT)
            if index % 10 == 0:
                queue_sms(f"+8498{index:07d}", ALERT.format(index, index), priority=URGENT)
                phones.append(f"+8498{index:07d}")
        phones.append(phone)
    return phones


def timed_run(
    command: list[str], env: dict[str, str], log: Path, fake_url: str
) -> tuple[float, float]:
    """(seconds from the start to the last message the fake received, CPU seconds)
    of a worker run to its end.

    Timed to the last message, not to the process's exit: RQ's worker sometimes
    waits out its pub/sub thread's 60 s poll on the way out (redis-py's
    ``PubSubWorkerThread.stop``), which says nothing of sending.
    """
    cpu_before = _children_cpu()
    started = time.time()
    with log.open("ab") as out:
        code = subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT).returncode
    if code:
        sys.exit(f"{command} failed, see {log}")
    _counts, last_at = received(fake_url)
    return last_at - started, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def straight(
    send: Callable[[list[str], str], object], sent: list[tuple[str, str]]
) -> tuple[float, float]:
    """(messages a second, CPU µs a message) posting the drain's requests with ``send``."""
    by_text: dict[str, list[str]] = defaultdict(list)
    for phone, text in sent:
        by_text[text].append(phone)
    cpu, started = time.process_time(), time.perf_counter()
    for text, phones in by_text.items():
        send(phones, text)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return len(sent) / seconds, 1e6 * cpu / len(sent)


def received(url: str) -> tuple[Counter[str], float]:
    """What the fake server received: each phone's count, and when the last arrived."""
    with urllib.request.urlopen(f"{url}/counts", timeout=10) as response:
        data = json.load(response)
    return Counter(data["received"]), data["last_at"]


def faults(counts: Counter[str], phones: list[str], times: int = 1) -> tuple[int, int]:
    """(duplicates, losses) of ``phones`` at the fake server, each expected ``times`` times."""
    duplicates = sum(counts[phone] - times for phone in phones if counts[phone] > times)
    return duplicates, sum(1 for phone in phones if counts[phone] < times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--before", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sending-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        redis = stack.enter_context(EmbeddedRedis())
        fake_url = f"http://127.0.0.1:{free_port()}"
        fake = subprocess.Popen([PYTHON, str(ROOT / "bench" / "fake_provider.py"),
                                 fake_url.rsplit(":", 1)[1]])  # fmt: skip
        stack.callback(fake.wait)
        stack.callback(fake.terminate)
        wait_until_up(f"{fake_url}/counts")
        settings = {
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}", "REDIS_URL": redis.url,
            "SECRET_KEY": "bench", "SMS_PROVIDER": "africastalking", "AT_USERNAME": "sandbox",
            "AT_API_KEY": "bench", "AT_API_URL": fake_url, "SMS_RATE_LIMIT": "0",
        }  # fmt: skip
        env = {**os.environ, **settings}
        app = create_app(settings)
        stack.enter_context(app.app_context())
        upgrade()

        worker = [sys.executable, "-m", "gateway", "worker", "--burst"]
        cpu_before = _children_cpu()
        subprocess.run(worker, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        idle_cpu = _children_cpu() - cpu_before
        drained = queue_replies(0, args.messages)
        drain_seconds, drain_cpu = timed_run(worker, env, folder / "drain.log", fake_url)
        sent = list(OutboundMessage.select(OutboundMessage.phone, OutboundMessage.text).tuples())

        with database.atomic():  # rows as the outbox wrote them, then a job per message
            old = [
                OutboundMessage.create(phone=f"+8493{i:07d}", text=f"Nhan {i}", priority=DEFAULT)
                for i in range(args.before)
            ]
        queue = Queue(DEFAULT, connection=app.extensions["redis"])
        for row in old:
            queue.enqueue(SEND_BATCH_JOB, [row.id])
        before_seconds = 0.0
        if old:
            before = [sys.executable, "-c", FORKING_WORKER]
            before_seconds, _cpu = timed_run(before, env, folder / "before.log", fake_url)
        database.close()
        provider = AfricasTalkingProvider("sandbox", "bench", api_url=fake_url)
        ceiling_rate, ceiling_cpu = straight(provider.send, sent)
        shipped = ShippedSMSService(fake_url)
        shipped_rate, shipped_cpu = straight(lambda phones, text: shipped.send(text, phones), sent)
        counts, _last_at = received(fake_url)

    drain_rate = len(drained) / drain_seconds
    drain_cpu_each = 1e6 * (drain_cpu - idle_cpu) / len(drained)
    drain_faults = faults(counts, drained, times=3)  # the drain, the ceiling, the SDK as shipped
    before_faults = faults(counts, [row.phone for row in old])
    requests = len({text for _phone, text in sent})
    lines = [
        f"drain:   {len(drained):,} messages ({requests:,} texts) in {drain_seconds:.1f} s"
        f" = {drain_rate:,.0f} msg/s, one worker, cap off; worker CPU {drain_cpu_each:,.0f} µs/msg"
        f" (less {idle_cpu:.2f} s of start-up); duplicates {drain_faults[0]},"
        f" losses {drain_faults[1]}",
        f"ceiling: {ceiling_rate:,.0f} msg/s, {ceiling_cpu:,.0f} µs CPU/msg posting the same"
        " requests with the provider, one thread",
        f"SDK as shipped: {shipped_rate:,.0f} msg/s, {shipped_cpu:,.0f} µs CPU/msg, the same"
        " requests through the SDK's own requests.post",
        f"drain/ceiling = {drain_rate / ceiling_rate:.2f} (msg/s), "
        f"{drain_cpu_each / ceiling_cpu:.2f} (CPU/msg);   ceiling/SDK as shipped = "
        f"{ceiling_rate / shipped_rate:.2f} (msg/s), {ceiling_cpu / shipped_cpu:.2f} (CPU/msg)",
    ]
    if old:
        before_rate = args.before / before_seconds
        lines[1:1] = [
            f"before:  {args.before:,} messages in {before_seconds:.1f} s = {before_rate:,.1f}"
            f" msg/s, a job and a fork each; duplicates {before_faults[0]},"
            f" losses {before_faults[1]}"
        ]
        lines.append(f"drain/before = {drain_rate / before_rate:.1f}x")
    for line in lines:
        print(line)
    sys.exit(1 if any(drain_faults + before_faults) else 0)


if __name__ == "__main__":
    main()
