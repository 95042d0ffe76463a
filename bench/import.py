"""``gateway import`` of a district's or province's household file, on SQLite.

    .venv/bin/python bench/import.py [--households 100000] [--database-url URL]

Writes a commune file, a members file (20 teams of 4) and a households file
(``--households`` rows, every 10th household with a landline beside its
mobile, every 50th with no phone, one row in 200 with a bad phone) in a
temporary folder, then times, each as a subprocess exactly as an operator runs
it: the first ``gateway import`` of the households (everything created), the
same file again (everything unchanged, nothing written), and the file with
every 10th head of household renamed (updates). The baseline, timed in the
same run on the same file just before each import, in a fresh process like the
import, is the work no importer can skip: reading every row with the ``csv``
module and parsing each phone into E.164 and its kind.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PYTHON, environment, household_phone  # noqa: E402
from flows.phones import InvalidPhone, phone_and_kind  # noqa: E402

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


def read_and_parse(path: Path) -> None:
    """The baseline's work: every row read, every phone parsed (a fresh process, so
    no phone is in the parse cache, as in the import it is compared with)."""
    with path.open(newline="", encoding="utf-8") as text:
        for row in csv.DictReader(text):
            for phone in row["phones"].split(";"):
                if phone.strip():
                    with contextlib.suppress(InvalidPhone):
                        phone_and_kind(phone.strip())


def baseline(env: dict[str, str], path: Path) -> float:
    started = time.perf_counter()
    subprocess.run([PYTHON, __file__, "--baseline-of", str(path)], env=env, cwd=ROOT, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--baseline-of", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_of:
        read_and_parse(args.baseline_of)
        return
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
        size = households.stat().st_size / 1e6
        print(f"{args.households:,} households, {size:.1f} MB, {url.split(':')[0]}, "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
        print("each import is timed right after its own baseline (the machine's load drifts)")
        for label, path in (("first import", households), ("same file again", households),
                            ("every 10th renamed", renamed)):  # fmt: skip
            floor = baseline(env, path)
            elapsed, summary = run_import(env, path)
            print(
                f"{label:>20}: {elapsed:6.2f} s  {args.households / elapsed:8,.0f} rows/s  "
                f"baseline {floor:6.2f} s  ratio {elapsed / floor:4.2f}   [{summary}]"
            )
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
