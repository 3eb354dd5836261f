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

from besoksrapport.cli.arguments import day_argument
from besoksrapport.committee.config import load_committee
from besoksrapport.committee.meeting import assign_meeting
from besoksrapport.failure_reasons import os_reason
from besoksrapport.filing.renderers import load_renderers
from besoksrapport.form.validation import validate_envelope
from besoksrapport.paths import EXAMPLE_CONFIG
from besoksrapport.report import Report
from besoksrapport.report_ids import derived_report_id


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "render",
        help="skapa ett rapportdokument (.docx) från ett inskick i en fil, utan server",
        description="Skapa rapportdokumentet för ett inskick i en fil (JSON, så som "
                    "e-tjänsten skickar det).",
    )
    parser.add_argument("envelope", type=Path, metavar="INSKICK",
                        help="filen med inskicket (JSON)")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FIL",
                        help="Word-dokumentet (.docx) som skrivs")
    parser.add_argument("--config", type=Path, metavar="FIL",
                        help="nämndens konfiguration (standard: $BESOKSRAPPORT_CONFIG, annars "
                             "exemplet som följer med programmet)")
    parser.add_argument("--template", type=Path, metavar="MALL",
                        help="Word-mallen (standard: $BESOKSRAPPORT_TEMPLATE, annars mallen "
                             "som följer med programmet)")
    parser.add_argument("--meeting", type=day_argument, metavar="ÅÅÅÅ-MM-DD",
                        help="sammanträdet som rapporten ska till (standard: det som "
                             "e-tjänstens inskick skulle ha fått enligt konfigurationen)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        envelope = json.loads(args.envelope.read_text(encoding="utf-8"))
    except OSError as error:
        print(f"besoksrapport: filen {args.envelope} går inte att läsa: {os_reason(error)}",
              file=sys.stderr)
        return 1
    except UnicodeDecodeError:
        print(f"besoksrapport: filen {args.envelope} är inte text i UTF-8", file=sys.stderr)
        return 1
    except json.JSONDecodeError as error:
        print(f"besoksrapport: filen {args.envelope} är inte giltig JSON (fel på rad "
              f"{error.lineno}, kolumn {error.colno})", file=sys.stderr)
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
