"""The USSD and SMS webhooks under concurrent load, against bare Flask, in one run.

    .venv/bin/python bench/webhooks.py [--duration 15] [--connections 64] [--workers 4]
                                       [--households 5000] [--database-url URL]

Both apps run on gunicorn with the same settings; wrk (Debian's ``wrk``) drives
them from the same machine. The gateway runs on its own SQLite file (or the
``--database-url`` given) and a private Redis, with a commune of
``--households`` households, each request from one of their phones.
Scenarios:

- ``ussd-menu``: the first two screens of a session (text "" then "2"): reads only;
- ``ussd-declare``: "everyone is well" (text "1"): one declaration written per request;
- ``sms-declare``: an SMS "2 1" (fever): inbound row, declaration, case, alert and
  reply in the outbox, jobs enqueued: the whole inbound path.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from common import ROOT, environment, gateway, wait_until_up, write_commune

from gateway.embedded_redis import EmbeddedRedis, free_port

LUA = """
local n = {households}
local counter = 0
math.randomseed(os.time() + {seed})
request = function()
  counter = counter + 1
  local i = math.random(1, n)
  local phone = string.format("%%2B8491%07d", i)
  local id = string.format("%d-%d", math.random(1, 1000000000), counter)
  local body = {body}
  return wrk.format("POST", "{path}",
    {{["Content-Type"] = "application/x-www-form-urlencoded"}}, body)
end
"""
SCENARIOS = {
    "ussd-menu": (
        "/webhooks/africastalking/ussd",
        '"sessionId=m" .. id .. "&serviceCode=%2A384%23&phoneNumber=" .. phone .. '
        '"&text=" .. ((counter % 2 == 0) and "" or "2")',
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


def wrk(name: str, url: str, script: Path, args: argparse.Namespace) -> Result:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
         "-s", str(script), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"99%\s+(\S+)", out).group(1))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--database-url")
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
        servers = [
            gunicorn("wsgi:app", ours, env, args.workers, ROOT),
            gunicorn("bare_app:app", bare, env, args.workers, ROOT / "bench"),
        ]
        try:
            wait_until_up(f"http://127.0.0.1:{ours}/healthz")
            wait_until_up(f"http://127.0.0.1:{bare}/healthz")
            results = []
            for seed, (name, (path, body)) in enumerate(SCENARIOS.items()):
                script = folder / f"{name}.lua"
                lua = LUA.format(households=args.households, seed=seed, body=body, path=path)
                script.write_text(lua)
                results.append(wrk("bare-flask", f"http://127.0.0.1:{bare}", script, args))
                results.append(wrk(name, f"http://127.0.0.1:{ours}", script, args))
        finally:
            for server in servers:
                server.terminate()
                server.wait()
    print_table(results, args)


def print_table(results: list[Result], args: argparse.Namespace) -> None:
    print(f"\n{args.connections} connections, {args.duration}s each, gunicorn -w {args.workers}")
    print(f"{'scenario':<14} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs bare':>8}")
    for baseline, result in zip(results[::2], results[1::2], strict=True):
        for row, ratio in ((baseline, ""), (result, f"{result.rps / baseline.rps:.2f}x")):
            print(f"{row.name:<14} {row.rps:>9.0f} {row.p50_ms:>8.1f} {row.p99_ms:>8.1f} "
                  f"{row.errors:>7} {ratio:>8}")  # fmt: skip


if __name__ == "__main__":
    main()
