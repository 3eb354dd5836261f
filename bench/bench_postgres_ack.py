"""The webhook's acknowledgement path on PostgreSQL beside SQLite, as a ratio in one run.

The same app (``webhook:create_app()``), gunicorn settings and load as bench_webhook.py
(fresh, correctly signed deliveries, each verified, validated, committed durably and answered
201), once on the data folder's SQLite file and once on a PostgreSQL server this script
starts on 127.0.0.1 (tests/support/postgres.py, PostgreSQL's durable defaults: fsync and
synchronous commit on, as SQLite's synchronous=FULL). Rounds alternate the backends; each
figure is the median over the rounds. Prints req/s, p50, p99, the server's CPU per request
(gunicorn only; PostgreSQL's own processes are not counted) and checks a report row was
stored for every 201.
Targets, both ratios to SQLite in the same run (the machine may be shared): PostgreSQL's
throughput ≥ 0.5 × SQLite's, PostgreSQL's p99 ≤ 2 × SQLite's.
Run: .venv/bin/python bench/bench_postgres_ack.py [--connections 16] [--seconds 8]
     [--rounds 3] [--client wrk|python]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))

import bench_webhook  # noqa: E402
import psycopg  # noqa: E402
from postgres import postgres_bin, running_postgres  # noqa: E402
from webhook_helpers import environment  # noqa: E402

from bench.targets import check, exit_status  # noqa: E402

MIN_RATIO = 0.5  # PostgreSQL's req/s over SQLite's, at least
MAX_P99_RATIO = 2.0  # PostgreSQL's p99 over SQLite's, at most


def postgres_rows(url: str) -> int:
    with psycopg.connect(url) as conn:
        exists = conn.execute("SELECT to_regclass('reports') IS NOT NULL").fetchone()
        if not exists or not exists[0]:
            return 0
        row = conn.execute("SELECT count(*) FROM reports").fetchone()
        return int(row[0]) if row else 0


def new_database(server_url: str) -> str:
    name = "bench_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + "/" + name


def measure(name: str, env: dict[str, str], data_dir: Path, url: str | None, args) -> dict:
    """bench_webhook.measure, counting the rows where this backend keeps them."""
    if url is None:
        return bench_webhook.measure(name, "webhook:create_app()", env, data_dir, args)
    original = bench_webhook.report_rows
    bench_webhook.report_rows = lambda _data_dir: postgres_rows(url)
    try:
        return bench_webhook.measure(name, "webhook:create_app()", env, data_dir, args)
    finally:
        bench_webhook.report_rows = original


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--client", choices=("wrk", "python"),
                        default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--rate-ceiling", type=int, default=8000)
    args = parser.parse_args()
    bin_dir = postgres_bin()
    if bin_dir is None:
        print("PostgreSQL is not installed (Debian: postgresql); nothing measured")
        return 1
    rounds: dict[str, list[dict]] = {"SQLite": [], "PostgreSQL": []}
    with tempfile.TemporaryDirectory() as tmp, running_postgres(bin_dir, durable=True) as server:
        for number in range(args.rounds):
            for name in rounds:
                data_dir = Path(tmp) / f"{name}-{number}"
                url = new_database(server) if name == "PostgreSQL" else None
                env = environment(data_dir, BESOKSRAPPORT_RUN_WORKER="false",
                                  **({"BESOKSRAPPORT_DATABASE_URL": url} if url else {}))
                rounds[name].append(measure(name, env, data_dir, url, args))
    rows = {name: bench_webhook._median_row(results) for name, results in rounds.items()}
    print(f"{args.connections} connections × {args.seconds:g} s ({args.client}), "
          f"medians over {args.rounds} round(s)")
    print(f"{'storage':<11} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'srv CPU ms/req':>14}  "
          "statuses")
    ok = True
    for name, row in rows.items():
        print(f"{name:<11} {row['rps']:>7.0f} {row['p50_ms']:>7.2f} {row['p99_ms']:>7.2f} "
              f"{row['cpu_per_request_ms']:>14.2f}  {row['statuses']}")
        bad = {code: n for code, n in row["statuses"].items() if code >= 400}
        created = row["statuses"].get(201, 0)
        if bad or row["socket_errors"] or row["rows"] < created:
            print(f"{name}: FAILED answers {bad}, socket errors {row['socket_errors']}, "
                  f"{row['rows']} rows for {created} answers 201")
            ok = False
    pg, lite = rows["PostgreSQL"], rows["SQLite"]
    note = f"medians over {args.rounds} round(s)"
    check("ack throughput, PostgreSQL / SQLite", pg["rps"] / lite["rps"], ">=", MIN_RATIO,
          f"{pg['rps']:.0f} against {lite['rps']:.0f} req/s; {note}")
    check("ack p99, PostgreSQL / SQLite", pg["p99_ms"] / lite["p99_ms"], "<=", MAX_P99_RATIO,
          f"{pg['p99_ms']:.1f} against {lite['p99_ms']:.1f} ms; {note}")
    status = exit_status()
    return status if ok else 1


if __name__ == "__main__":
    sys.exit(main())
