"""The job layer: RQ's own ``rq worker`` runs every job, and no package imports in a circle.

The worker runs as the operator would start it, against a temporary SQLite
file, a Redis of its own and a fake Africa's Talking; the jobs build the app
from the environment themselves.
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from db.models import Case, Group, OutboundMessage
from gateway.embedded_redis import EmbeddedRedis
from gateway.jobs import QUEUE_NAMES
from tests import factories
from tests.support import WAIT, Processes, gateway_environment
from tests.workers.fake_africastalking import FakeServer

ROOT = Path(__file__).resolve().parents[2]
HOUSEHOLD, MEMBER, GROUP_LEADER = "+84912000001", "+84988000001", "+84988000002"


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    with FakeServer() as server:
        yield server


@pytest.fixture
def redis_server() -> Iterator[EmbeddedRedis]:
    with EmbeddedRedis() as server:
        yield server


@pytest.fixture
def environment(tmp_path: Path, fake: FakeServer, redis_server: EmbeddedRedis) -> dict[str, str]:
    database_url = f"sqlite:///{tmp_path / 'gateway.sqlite3'}"
    return gateway_environment(database_url, redis_server.url, fake.url)


def test_rqs_own_worker_command_sends_and_fires_escalation_timers(
    gateway_app: Flask, processes: Processes, redis_server: EmbeddedRedis, fake: FakeServer
):
    commune = factories.commune("AB", escalation_seconds=0)
    team = factories.team(commune, "Thon Dong")
    group = Group.create(team=team, name="Nhom A")
    member = factories.member(team, MEMBER, "Le Thi Hoa", group=group)
    factories.member(team, GROUP_LEADER, "Pham Van Nhom", group=group, group_leader=True)
    factories.household(team, "AB001", (HOUSEHOLD,), member)
    sms = {"from": HOUSEHOLD, "to": "8088", "text": "2 2", "id": "ATXid_rq_1"}
    response = gateway_app.test_client().post("/webhooks/africastalking/sms", data=sms)
    assert response.status_code == 200

    rq = str(Path(sys.executable).with_name("rq"))
    # The first run handles the SMS and arms the case's timer; the second, whose
    # scheduler finds the timer due, fires it.
    for _ in range(2):
        worker = processes.start(
            rq, "worker", "-w", "gateway.job_worker.GatewayWorker", "--with-scheduler", "--burst",
            "-u", redis_server.url, *QUEUE_NAMES,
        )  # fmt: skip
        assert worker.wait(timeout=WAIT) == 0, processes.log.read_text()

    assert fake.received == Counter([HOUSEHOLD, MEMBER, GROUP_LEADER])
    assert Case.get().rung == 1  # the timer fired and the case climbed a rung
    assert {row.state for row in OutboundMessage.select()} == {"sent"}


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize(
    "package",
    ["gateway/services", "gateway/webhooks", "gateway/console", "flows", "db"],
)
def test_nothing_below_the_workers_imports_them(package: str):
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m for m in imports_of(path) if m.split(".")[0] == "workers"
        )
        for path in (ROOT / package).rglob("*.py")
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_the_job_layer_names_jobs_without_importing_them():
    for module in ("gateway/jobs.py", "gateway/job_worker.py", "gateway/redis_queues.py"):
        assert not {m for m in imports_of(ROOT / module) if m.split(".")[0] == "workers"}
        assert not {m for m in imports_of(ROOT / module) if m.startswith("gateway.services")}
