"""Shared set-up for the benchmarks: a private database, Redis and commune."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def gateway(env: dict[str, str], *args: str) -> None:
    """Run a ``gateway`` command in a subprocess, as an operator would."""
    subprocess.run([PYTHON, "-m", "gateway", *args], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def write_commune(folder: Path, households: int) -> list[Path]:
    """Import files for one commune of ``households`` households in 20 teams."""
    communes = folder / "communes.csv"
    communes.write_text(
        "commune_code,commune_name,health_station_phone\nBENCH,Xa Bench,0220 3123 456\n"
    )
    members = folder / "members.csv"
    lines = ["commune_code,team,name,phone,role,group,group_leader"]
    for team in range(20):
        for m in range(4):
            role = "leader" if m == 0 else "member"
            lines.append(f"BENCH,Thon {team},Member {team}-{m},{member_phone(team, m)},{role},A,"
                         f"{'yes' if m == 1 else 'no'}")  # fmt: skip
    members.write_text("\n".join(lines) + "\n")
    homes = folder / "households.csv"
    lines = ["commune_code,team,household_code,head_name,phones,people,member_phone"]
    for i in range(households):
        team = i % 20
        lines.append(f"BENCH,Thon {team},H{i:06d},Head {i},{household_phone(i)},3,"
                     f"{member_phone(team, 1 + i % 3)}")  # fmt: skip
    homes.write_text("\n".join(lines) + "\n")
    return [communes, members, homes]


def member_phone(team: int, member: int) -> str:
    return f"+849880{team:02d}{member:03d}"


def household_phone(i: int) -> str:
    return f"+8491{i + 1:07d}"


def environment(database_url: str, redis_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "bench",
        "SMS_PROVIDER": "console",
        "PYTHONPATH": str(ROOT),
    }


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
