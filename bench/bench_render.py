"""Speed and memory of rendering report documents (issue 4; a benchmark, not a test).

Prints: the median time to render and save one report, python-docx's floor (Document() plus
save() of an empty document), their ratio (target ≤ 2.0), and the resident memory after 100
and after 5,000 renders in one process (target: the second ≤ 1.2 × the first).
Run: .venv/bin/python bench/bench_render.py [--renders 5000]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from docx import Document

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.targets import check, exit_status  # noqa: E402
from besoksrapport.committee.model import Committee  # noqa: E402
from besoksrapport.paths import EXAMPLES_DIR  # noqa: E402
from besoksrapport.report import Report  # noqa: E402
from docgen.report import render_report  # noqa: E402
from docgen.template import Template  # noqa: E402

SAMPLES = 200


def rss_mib() -> float:
    """Current resident set size (Linux /proc), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def median_ms(action, samples: int = SAMPLES) -> float:
    for _ in range(10):
        action()  # warm up caches and lazy imports
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def floor() -> bytes:
    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=5000)
    parser.add_argument("--template", type=Path, help="a .docx template (default: bundled)")
    args = parser.parse_args()

    envelope = json.loads((EXAMPLES_DIR / "valid" / "maximal.json").read_text("utf-8"))
    report = Report.from_envelope(envelope, report_id="BR-2026-BENCH1",
                                  received_at=datetime(2026, 10, 23, 14, 40, tzinfo=UTC),
                                  meeting_date=date(2026, 12, 10))
    committee = Committee(municipality="Exempelby kommun", name="Välfärd- och servicenämnden",
                          meetings=(date(2026, 12, 10),))
    template = Template.load(args.template)

    def render() -> bytes:
        return render_report(report, committee, template=template)

    # Memory first, in a fresh process: RSS after 100 renders, then after all of them.
    for _ in range(100):
        render()
    rss_100 = rss_mib()
    for _ in range(100, args.renders):
        render()
    rss_end = rss_mib()

    floor_ms = median_ms(floor)
    render_ms = median_ms(render)
    print(f"template: {args.template or 'bundled default'}")
    print(f"python-docx floor (Document() + save()): {floor_ms:7.2f} ms median")
    print(f"render + save one report:                {render_ms:7.2f} ms median")
    check("render + save one report / python-docx floor", render_ms / floor_ms, "<=", 2.0,
          f"{render_ms:.2f} ms against {floor_ms:.2f} ms")
    print(f"RSS after 100 renders:                   {rss_100:7.1f} MiB")
    print(f"RSS after {args.renders:<5d} renders:                 {rss_end:7.1f} MiB")
    check(f"RSS after {args.renders} renders / after 100", rss_end / rss_100, "<=", 1.2,
          f"{rss_end:.1f} MiB against {rss_100:.1f} MiB")
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
