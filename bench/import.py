"""``gateway import`` of a district's or province's household file, on SQLite.

    .venv/bin/python bench/import.py [--households 100000] [--database-url URL]

Writes a commune file, a members file (20 teams of 4) and a households file
(``--households`` rows, every 10th household with a landline beside its
mobile, every 50th with no phone, one row in 200 with a bad phone) in a
temporary folder, then times, each as a subprocess exactly as an operator runs
it: the first ``gateway import`` of the households (everything created), the
same file again (everything unchanged, nothing written), and the file with
every 10th head of household renamed (updates). The baseline, timed in the
same run on the same file, is the work no importer can skip: reading every row
with the ``csv`` module and parsing each phone into E.164.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PYTHON, environment, household_phone  # noqa: E402
from flows.phones import InvalidPhone, to_e164  # noqa: E402

TEAMS = 20


def write_files(folder: Path, households: int, renamed: bool = False) -> Path:
    (folder / "communes.csv").write_text(
        "commune_code,commune_name,health_station_phone,health_station_mobile\n"
        "BENCH,Xa Bench,0220 3123 456,0912 000 000\n"
    )
    members = ["commune_code,team,name,phone,role"]
    for team in range(TEAMS):
        members += [f"BENCH,Thon {team},Member {team}-{m},0988 0{team:02d} {m:03d},member"
                    for m in range(4)]  # fmt: skip
    (folder / "members.csv").write_text("\n".join(members) + "\n")
    path = folder / ("households-renamed.csv" if renamed else "households.csv")
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["commune_code", "team", "household_code", "head_name", "village",
                         "phones", "people", "member_phone"])  # fmt: skip
        for i in range(households):
            team = i % TEAMS
            phones = household_phone(i)
            if i % 10 == 0:
                phones += f"; 0220 3{i % 1_000_000:06d}"
            if i % 50 == 1:
                phones = ""
            if i % 200 == 7:
                phones = "12345"
            name = f"Nguyen Van {i}" + (" (moi)" if renamed and i % 10 == 3 else "")
            writer.writerow(["BENCH", f"Thon {team}", f"H{i:06d}", name, f"Thon {team}", phones,
                             1 + i % 6, f"0988 0{team:02d} {1 + i % 3:03d}"])  # fmt: skip
    return path


def run_import(env: dict[str, str], path: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([PYTHON, "-m", "gateway", "import", str(path)], env=env, cwd=ROOT,
                          capture_output=True, text=True)  # fmt: skip
    elapsed = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith("households:")]
    summary = lines[0] if lines else done.stderr[-300:]
    return elapsed, summary


def baseline(path: Path) -> float:
    started = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as text:
        for row in csv.DictReader(text):
            for phone in row["phones"].split(";"):
                if phone.strip():
                    with contextlib.suppress(InvalidPhone):
                        to_e164(phone.strip())
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a new SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
        env = environment(url, "redis://127.0.0.1:1/0")
        subprocess.run([PYTHON, "-m", "gateway", "db", "upgrade"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        households = write_files(folder, args.households)
        renamed = write_files(folder, args.households, renamed=True)
        for setup in ("communes.csv", "members.csv"):
            run_import(env, folder / setup)
        floor = baseline(households)
        size = households.stat().st_size / 1e6
        print(f"{args.households:,} households, {size:.1f} MB, {url.split(':')[0]}")
        print(f"baseline (csv + phone parsing): {floor:6.2f} s")
        for label, path in (("first import", households), ("same file again", households),
                            ("every 10th renamed", renamed)):  # fmt: skip
            elapsed, summary = run_import(env, path)
            print(
                f"{label:>20}: {elapsed:6.2f} s  {args.households / elapsed:8,.0f} rows/s  "
                f"{elapsed / floor:4.1f}x baseline   [{summary}]"
            )


if __name__ == "__main__":
    main()
