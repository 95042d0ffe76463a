"""The production shape of README's "Running it for a province", run for real.

gunicorn with two worker processes on a fresh PostgreSQL database, Redis with
a password, ``WEBHOOK_TOKEN`` and ``METRICS_TOKEN`` set, Prometheus in
multiprocess mode. The operator's commands set it up (``gateway db upgrade``,
``gateway import``); households declare by SMS and USSD through both web
processes at once, Africa's Talking repeating one SMS concurrently; a
``gateway worker --burst`` sends the alerts and replies. Then ``/healthz``,
``/metrics`` (summed over both processes), the stored rows, the fake provider's
count and gunicorn's access log are checked.
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2
import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from gateway.embedded_redis import EmbeddedRedis, free_port
from tests.faults import commune
from tests.support import WAIT, Processes, gateway_environment, post_at_once
from tests.workers.fake_africastalking import FakeServer

pytestmark = pytest.mark.parametrize("fault_database", ["postgresql"], indirect=True)

HOUSEHOLDS = 12
WEB_WORKERS = 2
RETRIES = 4
WEBHOOK_TOKEN = "wh-7f3a9c"
METRICS_TOKEN = "mx-51be0d"
PROJECT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    return path


def import_files(folder: Path) -> list[Path]:
    """The commune of ``tests.faults.commune`` as staff would write its spreadsheets."""
    households = [["commune_code", "team", "household_code", "head_name", "phones", "member_phone"]]
    households += [
        ["FT", "Thon Dong", f"FT{index:04d}", f"Head {index}", commune.phone(index), commune.MEMBER]
        for index in range(HOUSEHOLDS)
    ]
    return [
        write_csv(
            folder / "communes.csv",
            [
                ["commune_code", "commune_name", "health_station_phone"],
                ["FT", "Xa Thu", commune.STATION],
            ],
        ),
        write_csv(
            folder / "members.csv",
            [
                ["commune_code", "team", "name", "phone"],
                ["FT", "Thon Dong", "Le Thi Hoa", commune.MEMBER],
            ],
        ),
        write_csv(folder / "households.csv", households),
    ]


@pytest.fixture
def province(
    fault_database: str, fake_at: FakeServer, tmp_path: Path
) -> Iterator[tuple[str, Processes]]:
    """The services started as an operator would; the base URL of the web tier."""
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    port = free_port()
    with EmbeddedRedis(password="r3dis-pw") as redis_server:
        environment = {
            **gateway_environment(fault_database, redis_server.url, fake_at.url),
            "WEBHOOK_TOKEN": WEBHOOK_TOKEN,
            "METRICS_TOKEN": METRICS_TOKEN,
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        }
        processes = Processes(environment, tmp_path, tmp_path / "processes.log")
        processes.run_gateway("db", "upgrade")
        for path in import_files(tmp_path):
            processes.run_gateway("import", str(path))
        processes.start(
            str(GUNICORN),
            "--workers", str(WEB_WORKERS),
            "--bind", f"127.0.0.1:{port}",
            "--pythonpath", str(PROJECT),
            "--access-logfile", str(tmp_path / "access.log"),
            "--access-logformat", '%(p)s %(s)s "%(r)s"',
            "wsgi:app",
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(url, processes)
            wait_until_each_worker_answered(url, tmp_path / "access.log", WEB_WORKERS)
            yield url, processes
        finally:
            processes.kill_all()


def wait_until_healthy(url: str, processes: Processes) -> None:
    deadline = time.monotonic() + WAIT
    while True:
        try:
            if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        assert time.monotonic() < deadline, processes.log.read_text()
        time.sleep(0.1)


def answered_by(access_log: Path, request: str = "") -> set[str]:
    """The gunicorn workers (pids) whose access-log lines show ``request`` (a method, a path)."""
    lines = access_log.read_text() if access_log.exists() else ""
    return set(re.findall(rf'^<(\d+)> \d+ "{request}', lines, re.MULTILINE))


def wait_until_each_worker_answered(url: str, access_log: Path, workers: int) -> None:
    """Every web process up before the load: the first answers ``/healthz`` while the
    others may still be starting, and a fast one then takes every request alone."""
    deadline = time.monotonic() + WAIT
    with ThreadPoolExecutor(workers * 2) as pool:
        while len(answered_by(access_log)) < workers:
            assert time.monotonic() < deadline, access_log.read_text()
            list(pool.map(lambda _: requests.get(f"{url}/healthz", timeout=5), range(workers * 2)))


def post(url: str, path: str, form: dict[str, str]) -> int:
    return requests.post(f"{url}{path}?token={WEBHOOK_TOKEN}", data=form, timeout=WAIT).status_code


def declare(url: str, index: int) -> list[int]:
    path, forms = commune.callbacks(index)
    return [post(url, path, form) for form in forms]


def scrape(url: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = requests.get(
        f"{url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=WAIT
    )
    assert response.status_code == 200
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def stored(database_url: str) -> dict[str, int]:
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        counts = {}
        for table in ("declaration", "case", "inbound_message"):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM outbound_message WHERE state <> 'sent'")
        counts["outbound not sent"] = cursor.fetchone()[0]
    connection.close()
    return counts


def test_the_production_shape_serves_a_commune(
    province: tuple[str, Processes], fault_database: str, fake_at: FakeServer, tmp_path: Path
):
    url, processes = province
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda index: declare(url, index), range(HOUSEHOLDS)))
    retried = f"{url}{commune.SMS_PATH}?token={WEBHOOK_TOKEN}"
    statuses.append(post_at_once(retried, commune.sms_form(0), RETRIES))
    assert {status for batch in statuses for status in batch} == {200}

    processes.run_gateway("worker", "--burst")

    assert requests.get(f"{url}/healthz", timeout=WAIT).json() == {"db": "ok", "redis": "ok"}
    assert stored(fault_database) == {
        "declaration": HOUSEHOLDS,
        "case": HOUSEHOLDS,
        "inbound_message": HOUSEHOLDS // 2,
        "outbound not sent": 0,
    }
    assert fake_at.received == commune.expected_outbound(range(HOUSEHOLDS))

    access_log = (tmp_path / "access.log").read_text()
    assert len(answered_by(tmp_path / "access.log", "POST ")) == WEB_WORKERS, access_log
    assert "POST /webhooks/africastalking/sms HTTP" in access_log  # the path, no query string
    assert "token=" not in access_log
    for secret in (WEBHOOK_TOKEN, METRICS_TOKEN, commune.phone(0)[3:], commune.MEMBER[3:]):
        assert secret not in access_log

    sms_requests = HOUSEHOLDS // 2 + RETRIES
    ussd_requests = HOUSEHOLDS // 2 * len(commune.ussd_forms(1))
    for _ in range(4):
        samples = scrape(url)
        for path, count in ((commune.SMS_PATH, sms_requests), (commune.USSD_PATH, ussd_requests)):
            labels = {"endpoint": path, "method": "POST", "status": "200"}
            assert samples[("gateway_http_requests_total", frozenset(labels.items()))] == count
        recorded = ("gateway_declarations_recorded_total", frozenset({("channel", "sms")}))
        assert samples[recorded] == HOUSEHOLDS // 2
        queued = ("gateway_queue_jobs", frozenset({("queue", "urgent"), ("state", "queued")}))
        assert samples[queued] == 0
    assert requests.get(f"{url}/metrics", timeout=WAIT).status_code == 401
