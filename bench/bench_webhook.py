"""Throughput and latency of the webhook's acknowledgement path (issue 3; a benchmark, not a test).

Runs our app and a bare Flask endpoint answering 202 under the same gunicorn settings
(webhook.gunicorn_conf, same BESOKSRAPPORT_WORKERS/THREADS), loads each from 127.0.0.1
with the same bounded load (N keep-alive connections for S seconds; every request a fresh,
correctly signed delivery with a new submission_id and webhook-id, so ours verifies, parses,
validates, commits durably and answers 201), and prints requests/s, p50 and p99 of both and
their ratio, the server's CPU time per request, and a check that ours really stored a report
for every 201.

The load comes from ``wrk`` (Debian package ``wrk``) with bench/webhook_load.lua, which
cycles through deliveries signed just before the run: the client does no hashing and no JSON
and leaves the two cores to the server. Without wrk, a Python-threads client is the fallback
(it competes with the server for the CPU, so its figures are lower for both endpoints).
Three endpoints by default, interleaved: bare Flask, ours with the outbox off
(BESOKSRAPPORT_RUN_WORKER=false: the acknowledgement path alone) and ours with the outbox
running as it does by default (rendering and filing every report meanwhile). Targets on a
2-core machine (issue 19): with the outbox running ≥ 0.5 × bare throughput and p99 ≤ 25 ms;
with it off ≥ 0.6 × bare. wrk is installed from Debian if missing (as root).
Run: .venv/bin/python bench/bench_webhook.py [--connections 16] [--seconds 8] [--client wrk]
     [--rounds 3]  (alternates the apps; each figure's median over the rounds is shown)
     [--breakdown]  (adds ours with the durable commit replaced by a no-op: the ceiling the
                     rest of the request path allows)
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))

from gunicorn_server import GunicornServer  # noqa: E402
from webhook_helpers import PATH, SECRET, body_of, envelope_for, environment  # noqa: E402

from bench.targets import check, exit_status  # noqa: E402
from besoksrapport.reception.signing import sign  # noqa: E402

LUA_SCRIPT = Path(__file__).with_name("webhook_load.lua")
HOST = "127.0.0.1"  # the only target this benchmark ever loads
PLACEHOLDER = "bench-submission-placeholder"


def bare_app() -> Flask:
    """The floor: a Flask endpoint that reads the body and answers 202, nothing else."""
    from flask import request

    app = Flask("bare")

    @app.post(PATH)
    def accept():
        request.get_data()
        return "", 202

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


class _NoStorage:
    """Benchmark only: answers as a new report without writing anything (see --breakdown)."""

    def record_report(self, webhook_id, raw_body, envelope, received_at, meeting_date, jobs=()):
        from besoksrapport.report import Report

        return Report.from_envelope(envelope, report_id="BR-2026-BENCH0",
                                    received_at=received_at, meeting_date=meeting_date), True

    @contextlib.contextmanager
    def visit_history(self, politician_id, first, last):
        """No stored visits: the receipt's count reads nothing (it finds no visit)."""
        yield iter(())


def no_storage_app() -> Flask:
    """Our app with the durable commit taken out: what the rest of the path costs.

    Not a configuration anyone may run: a 201 from it is a lie. It shows how much of the gap
    to the bare endpoint is the Python request path (verify, parse, validate, log, answer)
    and how much is the durable commit.
    """
    from webhook import create_app
    from webhook.app import Service

    app = create_app()
    state: Service = app.extensions["besoksrapport"]
    state.ctx.storage = _NoStorage()
    return app


def ensure_wrk() -> bool:
    """Install Debian's wrk if it is missing and we may (root); whether it is there now."""
    if shutil.which("wrk"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q",
                        "wrk"], check=False, stdout=subprocess.DEVNULL,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("wrk") is not None


# -- the wrk client ----------------------------------------------------------------------------

def write_deliveries(folder: Path, count: int) -> None:
    """``count`` unique deliveries, signed now, in the files webhook_load.lua reads."""
    folder.mkdir(parents=True, exist_ok=True)
    body = body_of(envelope_for(PLACEHOLDER))
    prefix, suffix = body.split(PLACEHOLDER.encode())
    (folder / "prefix.bin").write_bytes(prefix)
    (folder / "suffix.bin").write_bytes(suffix)
    now, run = int(time.time()), uuid.uuid4().hex[:12]
    lines = []
    for n in range(count):
        submission_id, webhook_id = f"bench-{run}-{n}", f"msg_{run}_{n}"
        signature = sign(SECRET, webhook_id, now, prefix + submission_id.encode() + suffix)
        lines.append(f"{webhook_id}\t{now}\t{signature}\t{submission_id}\n")
    (folder / "requests.tsv").write_text("".join(lines), encoding="ascii")


def wrk_load(port: int, connections: int, seconds: float, folder: Path, threads: int) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s",
         "-s", str(LUA_SCRIPT), f"http://{HOST}:{port}{PATH}", "--", str(threads)],
        env={**os.environ, "BENCH_DIR": str(folder), "BENCH_PATH": PATH},
        capture_output=True, text=True, timeout=seconds + 60, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(line for line in completed.stdout.splitlines()
                if line.startswith("BENCH_RESULT "))
    result = json.loads(line.removeprefix("BENCH_RESULT "))
    duration = result["duration_us"] / 1e6
    failures = sum(result["errors"].values())
    return {"count": result["requests"], "rps": result["requests"] / duration,
            "p50_ms": result["p50_us"] / 1000, "p99_ms": result["p99_us"] / 1000,
            "statuses": {int(k): v for k, v in result["statuses"].items()},
            "socket_errors": failures - result["errors"]["status"],
            "wrapped": result["wrapped"],
            "client_cpu_s": (after.ru_utime + after.ru_stime)
            - (before.ru_utime + before.ru_stime)}


# -- the Python fallback client ----------------------------------------------------------------

def python_load(port: int, connections: int, seconds: float) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    cpu_before = time.process_time()

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        mine, codes = [], {}
        envelope = envelope_for()
        while time.monotonic() < stop_at:
            envelope["data"]["submission_id"] = f"bench-{uuid.uuid4().hex}"
            body = body_of(envelope)
            webhook_id, now = f"msg_{uuid.uuid4().hex}", int(time.time())
            headers = {"content-type": "application/json", "webhook-id": webhook_id,
                       "webhook-timestamp": str(now),
                       "webhook-signature": sign(SECRET, webhook_id, now, body)}
            started = time.perf_counter()
            conn.request("POST", PATH, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            codes[response.status] = codes.get(response.status, 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)
            for code, count in codes.items():
                statuses[code] = statuses.get(code, 0) + count

    workers = [threading.Thread(target=client) for _ in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    cuts = statistics.quantiles(latencies, n=100)
    return {"count": len(latencies), "rps": len(latencies) / seconds,
            "p50_ms": cuts[49] * 1000, "p99_ms": cuts[98] * 1000, "statuses": statuses,
            "socket_errors": 0, "wrapped": 0, "client_cpu_s": time.process_time() - cpu_before}


# -- the server side ---------------------------------------------------------------------------

def tree_cpu_seconds(root_pid: int) -> float:
    """User + system CPU of gunicorn's master and its live workers (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == root_pid or ppid == root_pid:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def report_rows(data_dir: Path) -> int:
    database = data_dir / "besoksrapport.sqlite3"  # Settings.database_path
    if not database.is_file():
        return 0
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT count(*) FROM reports").fetchone()[0]


def measure(name: str, app: str, env: dict[str, str], data_dir: Path, args) -> dict:
    use_wrk = args.client == "wrk"
    server = GunicornServer(env, app=app).start()
    try:
        if use_wrk:
            work = Path(tempfile.mkdtemp(prefix="bench-wrk-"))
            write_deliveries(work / "warm", max(2000, args.rate_ceiling * 2))
            wrk_load(server.port, args.connections, 2, work / "warm", args.wrk_threads)
            write_deliveries(work / "run", int(args.rate_ceiling * args.seconds))
        else:
            python_load(server.port, args.connections, 2)  # warm-up: imports, caches
        rows_before = report_rows(data_dir)
        cpu_before = tree_cpu_seconds(server.process.pid)
        if use_wrk:
            result = wrk_load(server.port, args.connections, args.seconds, work / "run",
                              args.wrk_threads)
            shutil.rmtree(work)
        else:
            result = python_load(server.port, args.connections, args.seconds)
        result["server_cpu_s"] = tree_cpu_seconds(server.process.pid) - cpu_before
    finally:
        server.stop()
    result["rows"] = report_rows(data_dir) - rows_before
    result["name"] = name
    return result


def _median_row(results: list[dict]) -> dict:
    """Each figure's median over the rounds (not the figures of the median round: a round's
    throughput and its p99 need not rank alike); counts and statuses of the median round."""
    row = dict(sorted(results, key=lambda r: r["rps"])[len(results) // 2])
    for key in ("rps", "p50_ms", "p99_ms", "client_cpu_s"):
        row[key] = statistics.median(r[key] for r in results)
    row["cpu_per_request_ms"] = statistics.median(
        r["server_cpu_s"] * 1000 / max(r["count"], 1) for r in results)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--client", choices=("wrk", "python"),
                        default="wrk" if ensure_wrk() else "python")
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--rate-ceiling", type=int, default=8000,
                        help="deliveries signed per second of run (wrk cycles beyond it)")
    parser.add_argument("--only", choices=("bare", "ours", "worker"))
    parser.add_argument("--breakdown", action="store_true",
                        help="also run ours with the durable commit taken out (a no-op "
                             "storage): the part of the gap that is not storage")
    parser.add_argument("--rounds", type=int, default=1,
                        help="alternate bare and ours this many times; the median round counts "
                             "(the machine may be shared)")
    args = parser.parse_args()
    apps = [(name, app, kind) for name, app, kind in (
        ("bare Flask 202", "bench.bench_webhook:bare_app()", "bare"),
        ("ours, outbox off", "webhook:create_app()", "ours"),
        ("ours, outbox on", "webhook:create_app()", "worker"))
        if args.only in (None, kind)]
    if args.breakdown:
        apps.append(("ours, no storage", "bench.bench_webhook:no_storage_app()", "nostore"))
    rounds: dict[str, list[dict]] = {name: [] for name, _, _ in apps}
    with tempfile.TemporaryDirectory() as tmp:
        for number in range(args.rounds):
            for name, app, kind in apps:
                data_dir = Path(tmp) / f"{kind}-{number}"
                env = environment(data_dir, BESOKSRAPPORT_RUN_WORKER="true"
                                  if kind == "worker" else "false")
                rounds[name].append(measure(name, app, env, data_dir, args))
    if args.rounds > 1:
        for name, results in rounds.items():
            print(f"{name} rounds: " + ", ".join(
                f"{r['rps']:.0f} req/s p99 {r['p99_ms']:.1f} ms" for r in results))
    rows = [_median_row(results) for results in rounds.values()]
    from webhook import gunicorn_conf

    print(f"{args.connections} connections × {args.seconds:g} s from {HOST} ({args.client}), "
          f"gunicorn webhook.gunicorn_conf: {gunicorn_conf.workers} workers × "
          f"{gunicorn_conf.threads} threads")
    print(f"{'endpoint':<18} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'srv CPU ms/req':>14} "
          f"{'client CPU s':>12}  statuses")
    for row in rows:
        print(f"{row['name']:<18} {row['rps']:>7.0f} {row['p50_ms']:>7.2f} "
              f"{row['p99_ms']:>7.2f} {row['cpu_per_request_ms']:>14.2f} "
              f"{row['client_cpu_s']:>12.1f}  "
              f"{json.dumps(row['statuses'])}")
    ok = True
    for row in (r for results in rounds.values() for r in results):
        bad = {code: n for code, n in row["statuses"].items() if code >= 400}
        if bad or row["socket_errors"]:
            print(f"{row['name']}: FAILED answers {bad}, socket errors {row['socket_errors']}")
            ok = False
    bare = next((row for row in rows if row["name"].startswith("bare")), None)
    for ours in (row for row in rows if row["name"].startswith("ours, outbox")):
        created = ours["statuses"].get(201, 0)
        print(f"{ours['name']}: {created} answered 201, {ours['rows']} new report rows "
              f"(rows ≥ 201s; the rest were in flight when the load stopped); "
              f"wrapped {ours['wrapped']}×")
        ok &= ours["rows"] >= created and ours["wrapped"] == 0
    off = next((row for row in rows if row["name"] == "ours, outbox off"), None)
    on = next((row for row in rows if row["name"] == "ours, outbox on"), None)
    if bare is not None:
        rounds_note = f"medians over {args.rounds} round(s)"
        if on is not None:
            check("ack throughput, outbox on / bare Flask", on["rps"] / bare["rps"], ">=", 0.5,
                  f"{on['rps']:.0f} against {bare['rps']:.0f} req/s; {rounds_note}")
            check("ack p99 at 16 connections, outbox on / 25 ms", on["p99_ms"] / 25, "<=", 1.0,
                  f"{on['p99_ms']:.1f} ms; bare p99 {bare['p99_ms']:.1f} ms")
        if off is not None:
            check("ack throughput, outbox off / bare Flask", off["rps"] / bare["rps"], ">=",
                  0.6, f"{off['rps']:.0f} against {bare['rps']:.0f} req/s; {rounds_note}")
        nostore = next((row for row in rows if row["name"] == "ours, no storage"), None)
        if nostore is not None:
            print(f"without the durable commit ours would reach {nostore['rps'] / bare['rps']:.2f} "
                  f"of bare ({nostore['cpu_per_request_ms']:.2f} ms CPU per request against "
                  f"{off['cpu_per_request_ms'] if off else float('nan'):.2f} with it)")
    if not ok:
        print("some answers failed or a 201 has no stored report")
        return 1
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
