"""Fault tests: each starts its own Redis server, never the machine's shared one.

They run the app on SQLite and on a PostgreSQL database created for the test
(skipped when no PostgreSQL answers), with the real Africa's Talking SDK
sending to a local fake server, so a test can break a part and count what the
provider received.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.embedded_redis import EmbeddedRedis
from tests.support import fresh_postgres_database, gateway_environment
from tests.workers.fake_africastalking import FakeServer


@pytest.fixture
def fake_at() -> Iterator[FakeServer]:
    with FakeServer() as server:
        yield server


@pytest.fixture
def private_redis() -> Iterator[EmbeddedRedis]:
    with EmbeddedRedis() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def fault_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gateway.sqlite3'}"
        return
    server = request.getfixturevalue("postgres_url")
    if server is None:
        pytest.skip("PostgreSQL not reachable")
    with fresh_postgres_database(server) as url:
        yield url


@pytest.fixture
def environment(
    fault_database: str, private_redis: EmbeddedRedis, fake_at: FakeServer
) -> dict[str, str]:
    return gateway_environment(fault_database, private_redis.url, fake_at.url)
