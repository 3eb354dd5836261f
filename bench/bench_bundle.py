"""Bundling a meeting of 200 reports, next to 200 single renders in the same run.

Target: the bundle costs at most 1.5× the 200 renders, and grows linearly (the per-report
cost at 50, 100 and 200 reports stays flat). The ratio uses CPU time of this process, which
other load on the host disturbs less than wall time (both are printed). Peak memory: the
Python heap by tracemalloc, and the RSS high-water mark of fresh child processes (lxml's
C allocations are invisible to tracemalloc).

    .venv/bin/python bench/bench_bundle.py [--reports 200] [--stock]

``--stock`` also times docxcompose's unmodified Composer, to show what the deferred
renumbering in docgen.bundle saves.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from docxcompose.composer import Composer
from targets import check, exit_status  # bench/targets.py, beside this script

from besoksrapport.committee.model import Committee
from besoksrapport.committee.operations import CODES
from besoksrapport.filing.entries import ListedReport
from besoksrapport.paths import EXAMPLES_DIR
from besoksrapport.report import Report
from docgen.bundle import render_bundle
from docgen.listing import build_listing
from docgen.report import render_report
from docgen.reproducible import save_docx

MEETING = date(2026, 12, 10)
COMMITTEE = Committee(municipality="Exempelby kommun", name="Välfärd- och servicenämnden",
                      meetings=(MEETING,))


def reports(count: int) -> list[Report]:
    base = json.loads((EXAMPLES_DIR / "valid" / "maximal.json").read_text(encoding="utf-8"))
    made = []
    for number in range(count):
        envelope = copy.deepcopy(base)
        answers = envelope["data"]["answers"]
        answers["operation"] = CODES[number % len(CODES)]
        answers["unit"] = f"Enhet {number} på Åvägen"
        answers["visit_date"] = (date(2026, 9, 1) + timedelta(days=number % 60)).isoformat()
        envelope["data"]["submission_id"] = f"bench-{number}"
        made.append(Report.from_envelope(
            envelope, report_id=f"BR-{number:05d}", meeting_date=MEETING,
            received_at=datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=number)))
    return made


def render_all(items: list[Report]) -> dict[str, bytes]:
    return {report.report_id: render_report(report, COMMITTEE) for report in items}


def bundle(items: list[Report], documents: dict[str, bytes]) -> bytes:
    listed = [ListedReport(report, f"{report.report_id}.docx") for report in items]
    return render_bundle(MEETING, COMMITTEE, listed, lambda e: documents[e.report.report_id])


def stock_bundle(items: list[Report], documents: dict[str, bytes]) -> bytes:
    """The same, with docxcompose's Composer as shipped (renumbers after every append)."""
    listed = [ListedReport(report, "") for report in items]
    composer = Composer(build_listing(MEETING, COMMITTEE, listed))
    for report in items:
        composer.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        composer.append(Document(io.BytesIO(documents[report.report_id])))
    return save_docx(composer.doc)


def timed(function, *args):
    """(wall seconds, CPU seconds of this process, result): CPU time is steadier on a busy host."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def traced_peak_mib(function, *args) -> float:
    """Python heap peak by tracemalloc (misses libxml2's C allocations: see rss_child)."""
    tracemalloc.start()
    try:
        function(*args)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def rss_child(mode: str, count: int, folder: Path) -> float:
    """Peak RSS (MiB) of a fresh process doing only ``mode``: baseline, renders or bundle."""
    output = subprocess.run([sys.executable, __file__, "--reports", str(count),
                             "--child", mode, "--folder", str(folder)],
                            check=True, capture_output=True, text=True).stdout
    return float(output.strip())


def child(mode: str, count: int, folder: Path) -> None:
    items = reports(count)
    if mode == "renders":
        render_all(items)
    elif mode == "bundle":
        bundle(items, {r.report_id: (folder / f"{r.report_id}.docx").read_bytes() for r in items})
    print(peak_rss_mib())


def peak_rss_mib() -> float:
    """VmHWM of this process; ru_maxrss would carry the parent's peak across fork and exec."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--stock", action="store_true")
    parser.add_argument("--child", choices=["baseline", "renders", "bundle"])
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    count = args.reports
    if args.child:
        child(args.child, count, args.folder)
        return 0
    items = reports(count)
    render_all(items[:5])  # warm up: template load, imports

    render_wall, render_cpu, documents = timed(render_all, items)
    bundle_wall, bundle_cpu, data = timed(bundle, items, documents)
    print(f"{count} single renders: {render_wall:6.2f} s wall, {render_cpu:6.2f} s CPU "
          f"({render_cpu / count * 1000:5.1f} ms CPU each)")
    print(f"bundle of {count}:       {bundle_wall:6.2f} s wall, {bundle_cpu:6.2f} s CPU "
          f"({bundle_cpu / count * 1000:5.1f} ms CPU per report), {len(data) / 1024:.0f} KiB")
    check(f"bundle of {count} / {count} single renders (CPU)", bundle_cpu / render_cpu, "<=",
          1.5, f"{bundle_cpu:.2f} s against {render_cpu:.2f} s")

    for size in (count // 4, count // 2, count):
        _, cpu, _ = timed(bundle, items[:size], documents)
        print(f"  linearity: {size:4d} reports {cpu:6.2f} s CPU = {cpu / size * 1000:5.1f} ms "
              "per report")
    if args.stock:
        _, cpu, _ = timed(stock_bundle, items, documents)
        print(f"  docxcompose Composer as shipped, {count} reports: {cpu:.2f} s CPU")

    print(f"peak Python heap (tracemalloc): {count} renders "
          f"{traced_peak_mib(render_all, items):5.1f} MiB, bundle "
          f"{traced_peak_mib(bundle, items, documents):5.1f} MiB")
    with tempfile.TemporaryDirectory() as folder:
        for report_id, document in documents.items():
            (Path(folder) / f"{report_id}.docx").write_bytes(document)
        base = rss_child("baseline", count, Path(folder))
        renders = rss_child("renders", count, Path(folder))
        bundled = rss_child("bundle", count, Path(folder))
    print(f"peak RSS, fresh process: baseline {base:5.1f} MiB, {count} renders "
          f"+{renders - base:5.1f} MiB, bundle +{bundled - base:5.1f} MiB")
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
