"""Sending replies and alerts: the drain against one job per message, in one command.

    .venv/bin/python bench/sending.py [--messages 3000] [--before 300]

Builds a temporary SQLite file, a private Redis and a local fake Africa's
Talking, then sends three ways, each through the real SDK:

1. drain (the product): ``--messages`` replies, each committed in its own
   outbox transaction as a declaration commits its reply, every tenth with an
   urgent alert; one ``gateway worker --burst`` drains them with the send-rate
   cap off (``SMS_RATE_LIMIT=0``); timed from the worker's start to its exit;
2. before: ``--before`` more replies as the gateway sent them until now, one
   RQ job per message in RQ's forking worker inside the app context (the old
   ``gateway worker``): the same claim and hand-over code, a fork per message;
3. ceiling: the drain's messages posted straight to the fake server with the
   SDK, one request per text, from one thread: the most the HTTP path allows.

It prints messages per second for each, the ratios, and duplicates and losses
(both must be 0; the exit status says so).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from contextlib import ExitStack
from pathlib import Path

from fanout import FakeAfricasTalking
from rq import Queue

from db.base import database
from db.migrate import upgrade
from db.models import OutboundMessage
from gateway import create_app
from gateway.embedded_redis import EmbeddedRedis
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
"""How ``gateway worker`` ran jobs until now: RQ's forking worker inside the app context."""
ALERT = "Ca khan so {}: ho Nguyen Van A, thon Dong, sot cao va kho tho. Tra loi OK {} de nhan."


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


def timed_run(command: list[str], env: dict[str, str], log: Path) -> float:
    started = time.perf_counter()
    with log.open("ab") as out:
        code = subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT).returncode
    if code:
        sys.exit(f"{command} failed, see {log}")
    return time.perf_counter() - started


def ceiling(url: str, sent: list[tuple[str, str]]) -> float:
    """Messages per second posting the same requests straight to a fake server."""
    by_text: dict[str, list[str]] = defaultdict(list)
    for phone, text in sent:
        by_text[text].append(phone)
    provider = AfricasTalkingProvider("sandbox", "bench", api_url=url)
    started = time.perf_counter()
    for text, phones in by_text.items():
        provider.send(phones, text)
    return len(sent) / (time.perf_counter() - started)


def faults(received: Counter[str], phones: list[str]) -> tuple[int, int]:
    """(duplicates, losses) of ``phones`` at the fake server."""
    duplicates = sum(received[phone] - 1 for phone in phones if received[phone] > 1)
    return duplicates, sum(1 for phone in phones if not received[phone])


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
        fake = stack.enter_context(FakeAfricasTalking())
        settings = {
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}", "REDIS_URL": redis.url,
            "SECRET_KEY": "bench", "SMS_PROVIDER": "africastalking", "AT_USERNAME": "sandbox",
            "AT_API_KEY": "bench", "AT_API_URL": fake.url, "SMS_RATE_LIMIT": "0",
        }  # fmt: skip
        env = {**os.environ, **settings}
        app = create_app(settings)
        stack.enter_context(app.app_context())
        upgrade()

        drained = queue_replies(0, args.messages)
        worker = [sys.executable, "-m", "gateway", "worker", "--burst"]
        drain_seconds = timed_run(worker, env, folder / "drain.log")
        sent = list(OutboundMessage.select(OutboundMessage.phone, OutboundMessage.text).tuples())

        with database.atomic():  # rows as the outbox wrote them, then a job per message
            old = [
                OutboundMessage.create(phone=f"+8493{i:07d}", text=f"Nhan {i}", priority=DEFAULT)
                for i in range(args.before)
            ]
        queue = Queue(DEFAULT, connection=app.extensions["redis"])
        for row in old:
            queue.enqueue(SEND_BATCH_JOB, [row.id])
        before = [sys.executable, "-c", FORKING_WORKER]
        before_seconds = timed_run(before, env, folder / "before.log")
        database.close()
        with FakeAfricasTalking() as raw:
            ceiling_rate = ceiling(raw.url, sent)

    drain_rate = len(drained) / drain_seconds
    before_rate = args.before / before_seconds
    drain_faults = faults(fake.received, drained)
    before_faults = faults(fake.received, [row.phone for row in old])
    requests = len({text for _phone, text in sent})
    for line in (
        f"drain:   {len(drained):,} messages ({requests:,} texts) in {drain_seconds:.1f} s"
        f" = {drain_rate:,.0f} msg/s, one worker, cap off;"
        f" duplicates {drain_faults[0]}, losses {drain_faults[1]}",
        f"before:  {args.before:,} messages in {before_seconds:.1f} s = {before_rate:,.1f} msg/s,"
        f" a job and a fork each; duplicates {before_faults[0]}, losses {before_faults[1]}",
        f"ceiling: {ceiling_rate:,.0f} msg/s posting the same requests with the SDK",
        f"drain/before = {drain_rate / before_rate:.1f}x   drain/ceiling = "
        f"{drain_rate / ceiling_rate:.2f}",
    ):
        print(line)
    sys.exit(1 if any(drain_faults + before_faults) else 0)


if __name__ == "__main__":
    main()
