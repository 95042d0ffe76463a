"""The daily report for a province's 500,000 households, on SQLite and PostgreSQL.

    .venv/bin/python bench/report.py [--households 500000] [--postgres URL] [--no-postgres]

Builds a province (50 communes, 1,000 teams) with a day of declarations (70 %
declared, 3 % with symptoms) and cases, then times ``daily_report`` for the
whole province and for one commune. The baseline, timed in the same run on the
same data, is the cheapest query that could answer "households per team": one
grouped count over the household table. The ratio says what the full report
costs on top of reading the households once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import psycopg2

from db.base import connect, database
from db.migrate import upgrade
from db.models import Case, Commune, Declaration, Household, Team
from gateway.services.reports import daily_report

DAY = dt.date(2026, 11, 23)
COMMUNES, TEAMS_PER_COMMUNE = 50, 20
BATCH = 5000


def populate(households: int) -> None:
    """Insert the province in large batches: the importer is not what is measured."""
    with database.atomic():
        Commune.insert_many(
            [{"code": f"C{c:02d}", "name": f"Xa {c}", "health_station_phone": "+842203123456",
              "timezone": "Asia/Ho_Chi_Minh", "escalation_seconds": 900,
              "created_at": dt.datetime(2026, 1, 1)} for c in range(COMMUNES)]
        ).execute()  # fmt: skip
        Team.insert_many(
            [{"commune": c + 1, "name": f"Thon {t}", "created_at": dt.datetime(2026, 1, 1)}
             for c in range(COMMUNES) for t in range(TEAMS_PER_COMMUNE)]
        ).execute()  # fmt: skip
    teams = COMMUNES * TEAMS_PER_COMMUNE
    now = dt.datetime(2026, 11, 23, 3)
    for start in range(0, households, BATCH):
        ids = range(start, min(start + BATCH, households))
        with database.atomic():
            Household.insert_many(
                [{"commune": i % teams // TEAMS_PER_COMMUNE + 1, "team": i % teams + 1,
                  "code": f"H{i:07d}", "head_name": f"Head {i}", "people": 1 + i % 5,
                  "phone_kind": ("basic", "smartphone", "none")[i % 3],
                  "created_at": now, "updated_at": now} for i in ids]
            ).execute()  # fmt: skip
            declared = [i for i in ids if i % 10 < 7]
            Declaration.insert_many(
                [{"commune": i % teams // TEAMS_PER_COMMUNE + 1, "household": i + 1,
                  "local_date": DAY, "kind": "symptoms" if i % 33 == 0 else "well",
                  "people": 1, "channel": "ussd", "created_at": now} for i in declared]
            ).execute()  # fmt: skip
            Case.insert_many(
                [{"commune": i % teams // TEAMS_PER_COMMUNE + 1, "household": i + 1,
                  "kind": "symptoms", "source": "ussd", "opened_at": now,
                  "state": ("open", "acknowledged", "resolved")[i % 3],
                  "acknowledged_at": now + dt.timedelta(minutes=i % 40) if i % 3 else None}
                 for i in declared if i % 33 == 0]
            ).execute()  # fmt: skip


def timed(func, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def baseline() -> None:
    database.execute_sql("SELECT team_id, COUNT(*) FROM household GROUP BY team_id").fetchall()


def measure(name: str, url: str, households: int) -> list[tuple[str, str, float, float]]:
    connect(url)
    upgrade()
    start = time.perf_counter()
    populate(households)
    print(f"{name}: {households} households loaded in {time.perf_counter() - start:.0f}s")
    database.execute_sql("ANALYZE")
    base = timed(baseline)
    rows = daily_report(DAY)
    assert sum(row.households for row in rows) == households
    results = [
        (name, "province", timed(lambda: daily_report(DAY)), base),
        (name, "one commune", timed(lambda: daily_report(DAY, "C07")), base),
    ]
    database.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=500_000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results += measure("sqlite", f"sqlite:///{Path(tmp) / 'report.sqlite3'}", args.households)
    if not args.no_postgres:
        name = f"gateway_bench_{uuid.uuid4().hex[:8]}"
        admin = psycopg2.connect(args.postgres)
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        try:
            url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
            results += measure("postgresql", url, args.households)
        finally:
            admin.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    print(f"\n{'database':<11} {'scope':<12} {'report s':>9} {'baseline s':>11} {'ratio':>7}")
    for name, scope, seconds, base in results:
        print(f"{name:<11} {scope:<12} {seconds:>9.3f} {base:>11.3f} {seconds / base:>6.1f}x")


if __name__ == "__main__":
    main()
