"""From the POST to the report in the meeting's index.json, under the real service (issue 19;
a benchmark, not a test).

Gunicorn as ``make run`` starts it (the outbox running), one delivery at a time into one
meeting: the time from sending the POST to its 201 (the baseline) and to index.json listing
the new report. Targets: the median to index.json ≤ 300 ms; flat in n: the median of the
last ten ≤ 1.5 × the median of the first ten.

Run: .venv/bin/python bench/bench_pipeline.py [--reports 60]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))

from flow import post, visit_envelope  # noqa: E402
from gunicorn_server import GunicornServer  # noqa: E402
from webhook_helpers import environment  # noqa: E402

from bench.targets import check, exit_status  # noqa: E402

POLL = 0.005


def listed(index: Path, report_id: str) -> bool:
    try:
        files = json.loads(index.read_text(encoding="utf-8"))["auxiliaryFile"]
    except (FileNotFoundError, ValueError, KeyError):
        return False
    return any(item.get("besoksrapport:reportId") == report_id for item in files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=60)
    args = parser.parse_args()
    acks, indexed = [], []
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        server = GunicornServer(environment(data), log_path=Path(folder) / "gunicorn.log")
        server.start()
        try:
            time.sleep(2)  # the outbox process starts beside the web workers
            for number in range(args.reports):
                envelope = visit_envelope(number)
                started = time.perf_counter()
                answer = post(server, envelope)
                acks.append(time.perf_counter() - started)
                assert answer.status_code == 201, answer.text
                body = answer.json()
                index = data / "meetings" / body["meeting_date"] / "index.json"
                deadline = started + 30
                while not listed(index, body["report_id"]):
                    if time.perf_counter() > deadline:
                        raise SystemExit(f"report {number} never reached index.json")
                    time.sleep(POLL)
                indexed.append(time.perf_counter() - started)
                time.sleep(0.05)
        finally:
            server.stop()
    ack_ms = statistics.median(acks) * 1000
    index_ms = statistics.median(indexed) * 1000
    first = statistics.median(indexed[:10]) * 1000
    last = statistics.median(indexed[-10:]) * 1000
    print(f"{args.reports} reports, one at a time: POST→201 median {ack_ms:.1f} ms, "
          f"POST→index.json median {index_ms:.1f} ms (first ten {first:.1f}, last ten "
          f"{last:.1f})")
    check("POST→index.json median / 300 ms", index_ms / 300, "<=", 1.0,
          f"{index_ms:.1f} ms; the 201 itself {ack_ms:.1f} ms")
    check("POST→index.json, last ten / first ten", last / first, "<=", 1.5,
          f"{last:.1f} ms against {first:.1f} ms")
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
