"""Filing the n-th report into a meeting, and the worker's memory over many deliveries
(issue 19; a benchmark, not a test).

Reports are recorded as the webhook records them and their jobs run as the background
worker runs them (``defer_bundles``: the bundle is built once per burst, not per report).

* Filing: the ``file_meeting`` job of the n-th report of one meeting, for n = 1, 50 and
  200 (the median of n-1..n+1 for the later ones). Target: the 200th ≤ 3 × the 1st. The
  ``process_report`` job before it is shown too, against its own first.
* Memory: a fresh process records and processes ``--deliveries`` (2,000) reports from 200
  politicians over a year and the committee's meetings; its RSS at the end against its RSS
  when idle (context built, 20 deliveries done). Target ≤ 1.2.

Run: .venv/bin/python bench/bench_filing.py [--reports 201] [--deliveries 2000]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))

from flow import visit_envelope  # noqa: E402
from webhook_helpers import body_of, committee_config, environment  # noqa: E402

from bench.targets import check, exit_status  # noqa: E402
from besoksrapport.outbox.jobs import FILE_MEETING, PROCESS_REPORT, jobs_for_new_report  # noqa: E402
from besoksrapport.outbox.worker import LEASE_SECONDS, run_job, run_pending  # noqa: E402
from besoksrapport.runtime import build_context  # noqa: E402
from besoksrapport.settings import load_settings  # noqa: E402

MEETINGS = [date.today() + timedelta(days=20 + 28 * n) for n in range(10)]


def context(folder: Path):
    config = committee_config(folder / "committee.toml", MEETINGS)
    ctx = build_context(load_settings(environment(folder / "data",
                                                  BESOKSRAPPORT_CONFIG=str(config))))
    ctx.defer_bundles = True  # as the background worker files
    return ctx


def deliver(ctx, number: int, meeting: date, politicians: int = 0) -> None:
    """Record the ``number``-th delivery; with ``politicians``, from that many people over
    the whole year (a committee's year, not four people's), else as ``visit_envelope``."""
    envelope = visit_envelope(number)
    envelope["data"]["submission_id"] = f"bench-{number}"
    if politicians:
        envelope["data"]["submitter"] = {"id": f"politiker-{number % politicians}",
                                         "name": f"Politiker {number % politicians}"}
        envelope["data"]["answers"]["visit_date"] = (
            date(2026, 1, 1) + timedelta(days=number % 300)).isoformat()
    ctx.storage.record_report(f"msg_bench_{number}", body_of(envelope), envelope,
                              datetime.now(UTC), meeting, jobs=jobs_for_new_report())


def run_timed(ctx) -> dict[str, float]:
    """Run every due job (the debounced bundle waits, as it does in the worker); seconds
    each kind took."""
    took: dict[str, float] = {}
    while (job := ctx.storage.claim_job(datetime.now(UTC), LEASE_SECONDS)) is not None:
        started = time.perf_counter()
        run_job(job, ctx)
        took[job.kind] = took.get(job.kind, 0.0) + time.perf_counter() - started
    return took


def filing(count: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {PROCESS_REPORT: [], FILE_MEETING: []}
    with tempfile.TemporaryDirectory() as folder:
        ctx = context(Path(folder))
        for number in range(count):
            deliver(ctx, number, MEETINGS[0])
            took = run_timed(ctx)
            for kind in times:
                times[kind].append(took.get(kind, 0.0))
        ctx.storage.close()
    return times


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def memory_child(deliveries: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        ctx = context(Path(folder))
        for number in range(20):
            deliver(ctx, number, MEETINGS[number % len(MEETINGS)], politicians=200)
            run_pending(ctx, hurry=False)
        idle = rss_mib()
        for number in range(20, deliveries):
            deliver(ctx, number, MEETINGS[number % len(MEETINGS)], politicians=200)
            run_pending(ctx, hurry=False)
        print(idle, rss_mib())
        ctx.storage.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=201)
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--memory-child", action="store_true")
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.deliveries)
        return 0

    started = time.perf_counter()
    times = filing(args.reports)
    for kind, values in times.items():
        first = values[0] * 1000
        figures = {n: statistics.median(values[n - 2:n + 1]) * 1000
                   for n in (50, 200) if n <= len(values)}
        print(f"{kind:<15} n=1 {first:7.1f} ms  " + "  ".join(
            f"n={n} {ms:7.1f} ms ({ms / first:.2f} ×)" for n, ms in figures.items()))
    file_times = times[FILE_MEETING]
    last = min(200, len(file_times))
    late = statistics.median(file_times[last - 2:last + 1])
    check(f"filing the {last}th report / filing the 1st", late / file_times[0], "<=", 3.0,
          f"{late * 1000:.1f} ms against {file_times[0] * 1000:.1f} ms")
    print(f"({args.reports} reports filed in {time.perf_counter() - started:.0f} s)")

    started = time.perf_counter()
    output = subprocess.run([sys.executable, __file__, "--memory-child", "--deliveries",
                             str(args.deliveries)], check=True, capture_output=True,
                            text=True).stdout
    idle, after = (float(value) for value in output.split())
    check(f"worker RSS after {args.deliveries} deliveries / idle", after / idle, "<=", 1.2,
          f"{after:.1f} MiB against {idle:.1f} MiB; "
          f"{time.perf_counter() - started:.0f} s")
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
