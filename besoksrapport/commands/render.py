"""``besoksrapport render ENVELOPE.json -o report.docx``: one report document, no server.

For trying a template or checking an example: the envelope is validated as the webhook
would, the meeting is assigned from the committee configuration (or given), and the report
id is derived from the submission id, so the same file always gives the same document.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from ..committee_config import load_committee
from ..documents import load_renderers
from ..meeting import assign_meeting
from ..paths import EXAMPLE_CONFIG
from ..report import Report
from ..report_ids import derived_report_id
from ..validation import validate_envelope


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "render",
        help="render one report document (.docx) from an envelope file, without a server",
        description="Render the report document for an envelope file (JSON, as the "
                    "platform posts it).",
    )
    parser.add_argument("envelope", type=Path, help="the envelope (JSON)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the .docx to write")
    parser.add_argument("--config", type=Path,
                        help="committee configuration (default: $BESOKSRAPPORT_CONFIG, "
                             "else the bundled example)")
    parser.add_argument("--template", type=Path,
                        help="Word template (default: $BESOKSRAPPORT_TEMPLATE, else the "
                             "bundled one)")
    parser.add_argument("--meeting", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="the meeting the report goes to (default: assigned from the "
                             "configuration as the webhook would)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        envelope = json.loads(args.envelope.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        print(f"Kan inte läsa {args.envelope}: {error}", file=sys.stderr)
        return 1
    issues = validate_envelope(envelope)
    if issues:
        print(f"{args.envelope}: rapporten är ogiltig:", file=sys.stderr)
        for issue in issues:
            print(f"  {issue.pointer or '/'}: {issue.message}", file=sys.stderr)
        return 1

    config = args.config or Path(os.environ.get("BESOKSRAPPORT_CONFIG") or EXAMPLE_CONFIG)
    committee = load_committee(config)  # ConfigError → one line, exit 2 (see cli.main)
    template = args.template or os.environ.get("BESOKSRAPPORT_TEMPLATE") or None
    renderers = load_renderers(Path(template) if template else None)
    submitted = dt.datetime.fromisoformat(envelope["data"]["submitted_at"])
    received_at = submitted.astimezone(dt.UTC)
    meeting = args.meeting or assign_meeting(committee, received_at)
    report = Report.from_envelope(
        envelope, report_id=derived_report_id(envelope["data"]["submission_id"], received_at),
        received_at=received_at, meeting_date=meeting)
    args.output.write_bytes(renderers.report(report, committee))
    print(f"{args.output}: {report.report_id}")
    return 0
