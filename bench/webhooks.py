"""The USSD and SMS webhooks under concurrent load, against bare Flask, in one run.

    .venv/bin/python bench/webhooks.py [--duration 10] [--rounds 3] [--warmup 5]
        [--connections 64] [--workers 4] [--households 5000] [--database-url URL]
        [--scenario ussd-menu ...] [--with-worker]

Both apps run on gunicorn with the same settings; wrk (Debian's ``wrk``) drives
them from the same machine. The gateway runs on its own SQLite file (or the
``--database-url`` given) and a private Redis, with a commune of
``--households`` households, each request from one of their phones.
Scenarios:

- ``ussd-menu``: a two-screen session (text "" then "6", team phones): reads only;
- ``ussd-declare``: "everyone is well" (text "1"): one declaration written per request;
- ``sms-declare``: an SMS "2 1" (fever): inbound row, declaration, case, alert and
  reply in the outbox, jobs enqueued: the whole inbound path.

Some of a screen's work is the workers' (an "everyone is well" waits in the inbox
until a worker records it; an SMS is handled there). ``--with-worker`` runs a
``gateway worker`` beside the gateway throughout, so that work shares the same
two cores in the same run, as it would on one machine.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from common import PYTHON, ROOT, environment, gateway, wait_until_up, write_commune

from gateway.embedded_redis import EmbeddedRedis, free_port

LUA = """
local n = {households}
local threads = 0
local counter = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  math.randomseed(os.time() * 16 + tid * 4 + {seed})
  run = string.format("%d-%d", os.time(), tid)
end
request = function()
  counter = counter + 1
  local pair = math.floor(counter / 2)
  local phone = string.format("%%2B8491%07d", (counter * 7919 + tid * 104729 + {seed}) % n + 1)
  local pair_phone = string.format("%%2B8491%07d", (pair * 7919 + tid * 104729 + {seed}) % n + 1)
  local id = string.format("%s-%d", run, counter)
  local pair_id = string.format("%s-%d", run, pair)
  local body = {body}
  return wrk.format("POST", "{path}",
    {{["Content-Type"] = "application/x-www-form-urlencoded"}}, body)
end
"""
SCENARIOS = {
    "ussd-menu": (
        "/webhooks/africastalking/ussd",
        '"sessionId=m" .. pair_id .. "&serviceCode=%2A384%23&phoneNumber=" .. pair_phone .. '
        '"&text=" .. ((counter % 2 == 0) and "" or "6")',
    ),
    "ussd-declare": (
        "/webhooks/africastalking/ussd",
        '"sessionId=d" .. id .. "&serviceCode=%2A384%23&phoneNumber=" .. phone .. "&text=1"',
    ),
    "sms-declare": (
        "/webhooks/africastalking/sms",
        '"from=" .. phone .. "&to=8088&text=2+1&id=ATXid_" .. id .. "&date=2026-11-23"',
    ),
}
"""Each wrk thread numbers its own requests (``tid``): ids never repeat, so no
request is answered as a duplicate. ``ussd-menu`` is a household's two-screen
session that reads only: the main menu, then its team's phone numbers (END)."""


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(name: str, url: str, script: Path, args: argparse.Namespace, seconds: int) -> Result:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{args.connections}", f"-d{seconds}s", "--latency",
         "-s", str(script), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Result(name, rps, p50, p99, errors + (int(non2xx.group(1)) if non2xx else 0))


def gunicorn(app: str, port: int, env: dict[str, str], workers: int, cwd: Path):
    return subprocess.Popen(
        [shutil.which("gunicorn", path=str(Path(env.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin"))
         or "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         app],
        env=env, cwd=cwd,
    )  # fmt: skip


def median(results: list[Result]) -> Result:
    """The round with the median requests/s, reported whole (its own p50 and p99)."""
    return sorted(results, key=lambda r: r.rps)[len(results) // 2]


def measure(name: str, script: Path, urls: dict[str, str], args: argparse.Namespace):
    """Warm both servers up, then alternate them so drift in the machine hits both alike.

    The warm-up is not counted: it fills each worker's caches (parsed phone
    numbers, SQLite pages, pooled connections), as a server's first minute would.
    """
    for url in urls.values():
        wrk("warm-up", url, script, args, args.warmup)
    rounds: dict[str, list[Result]] = {"bare-flask": [], name: []}
    for _ in range(args.rounds):
        for label, url in (("bare-flask", urls["bare"]), (name, urls["ours"])):
            rounds[label].append(wrk(label, url, script, args, args.duration))
    return rounds["bare-flask"], rounds[name]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=5, help="seconds, per server")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--database-url")
    parser.add_argument("--scenario", action="append", choices=list(SCENARIOS))
    parser.add_argument(
        "--with-worker", action="store_true", help="a gateway worker beside it, on the same cores"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")

    with tempfile.TemporaryDirectory() as tmp, EmbeddedRedis() as redis:
        folder = Path(tmp)
        env = environment(args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}", redis.url)
        gateway(env, "db", "upgrade")
        for path in write_commune(folder, args.households):
            gateway(env, "import", str(path))
        ours, bare = free_port(), free_port()
        urls = {"ours": f"http://127.0.0.1:{ours}", "bare": f"http://127.0.0.1:{bare}"}
        servers = [
            gunicorn("wsgi:app", ours, env, args.workers, ROOT),
            gunicorn("bare_app:app", bare, env, args.workers, ROOT / "bench"),
        ]
        if args.with_worker:
            servers.append(subprocess.Popen(
                [PYTHON, "-m", "gateway", "worker"], env=env, cwd=ROOT,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ))  # fmt: skip
        try:
            for url in urls.values():
                wait_until_up(f"{url}/healthz")
            results = []
            for seed, name in enumerate(args.scenario or SCENARIOS):
                path, body = SCENARIOS[name]
                script = folder / f"{name}.lua"
                lua = LUA.format(households=args.households, seed=seed, body=body, path=path)
                script.write_text(lua)
                results.append(measure(name, script, urls, args))
        finally:
            for server in servers:
                server.terminate()
                server.wait()
    print_table(results, args)


def print_table(results: list[tuple[list[Result], list[Result]]], args: argparse.Namespace):
    worker = ", a gateway worker beside it" if args.with_worker else ""
    print(f"\n{args.connections} connections, gunicorn -w {args.workers}{worker}, {args.rounds} "
          f"rounds of {args.duration}s alternating with bare Flask after {args.warmup}s of "
          "warm-up; the median round of each")  # fmt: skip
    print(f"{'scenario':<14} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs bare':>8}"
          "   req/s of every round")  # fmt: skip
    for baseline, ours in results:
        base, mine = median(baseline), median(ours)
        for row, rounds, ratio in (
            (base, baseline, ""),
            (mine, ours, f"{mine.rps / base.rps:.2f}x"),
        ):
            every = " ".join(f"{r.rps:.0f}" for r in rounds)
            print(f"{row.name:<14} {row.rps:>9.0f} {row.p50_ms:>8.1f} {row.p99_ms:>8.1f} "
                  f"{sum(r.errors for r in rounds):>7} {ratio:>8}   {every}")  # fmt: skip


if __name__ == "__main__":
    main()
