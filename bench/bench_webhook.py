"""Throughput and latency of the webhook's acknowledgement path (issue 3; a benchmark, not a test).

Runs our app and a bare Flask endpoint answering 202 under the same gunicorn settings
(webhook/gunicorn_conf.py), loads each from 127.0.0.1 with the same bounded load (N
keep-alive connections, one thread each, for S seconds; every request a fresh, correctly
signed report, so ours verifies, parses, validates, commits durably and answers 201), and
prints requests/s, p50 and p99 of both and their ratio.
Target on a 2-core machine: ours ≥ 0.5 × bare throughput, ours p99 < 25 ms.
The outbox thread is off (BESOKSRAPPORT_RUN_WORKER=false) to measure the acknowledgement
path alone; pass --with-worker to render documents in the same processes meanwhile.
Run: .venv/bin/python bench/bench_webhook.py [--connections 16] [--seconds 15]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "webhook"))

from gunicorn_server import GunicornServer  # noqa: E402
from webhook_helpers import PATH, SECRET, body_of, envelope_for, environment  # noqa: E402

from webhook.signature import sign  # noqa: E402


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


def load(port: int, connections: int, seconds: float) -> tuple[int, list[float], dict[int, int]]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
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

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), latencies, statuses


def measure(name: str, app: str, env: dict[str, str], args) -> dict:
    server = GunicornServer(env, app=app).start()
    try:
        load(server.port, args.connections, 2)  # warm-up: imports, connections, page cache
        count, latencies, statuses = load(server.port, args.connections, args.seconds)
    finally:
        server.stop()
    cuts = statistics.quantiles(latencies, n=100)
    return {"name": name, "rps": count / args.seconds, "p50_ms": cuts[49] * 1000,
            "p99_ms": cuts[98] * 1000, "statuses": statuses}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--with-worker", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp) / "data",
                          BESOKSRAPPORT_RUN_WORKER="true" if args.with_worker else "false")
        bare = measure("bare Flask 202", "bench.bench_webhook:bare_app()", env, args)
        ours = measure("besoksrapport 201", "webhook:create_app()", env, args)
    print(f"{args.connections} connections × {args.seconds:g} s from 127.0.0.1, "
          f"gunicorn webhook/gunicorn_conf.py")
    print(f"{'endpoint':<20} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for row in (bare, ours):
        print(f"{row['name']:<20} {row['rps']:>9.0f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f}"
              f"  {json.dumps(row['statuses'])}")
    ratio = ours["rps"] / bare["rps"]
    print(f"ratio ours/bare: {ratio:.2f} (target ≥ 0.5); ours p99 {ours['p99_ms']:.1f} ms "
          f"(target < 25 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
