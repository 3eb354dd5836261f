"""``besoksrapport review REPORT_ID (--approve | --mask)``: the secretary's decision on a
report with personal data; its meeting's public files get that version at once."""

from __future__ import annotations

import argparse
import sys

from besoksrapport.cli.arguments import add_report_id, finish_queued_work
from besoksrapport.privacy.review import APPROVED, MASKED
from besoksrapport.runtime import command_context
from besoksrapport.secretary.audit import command_user, record_command
from besoksrapport.secretary.privacy_review import DECISION_WORDS, ReviewRefused, review


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "review",
        help="granska en rapport med personuppgifter: godkänn texten eller ta bort uppgifterna",
        description="Granska en rapport där personuppgifter hittades i fritexterna. Med "
                    "--approve publiceras texten som den är skriven, med --mask en kopia där "
                    "uppgifterna är ersatta med «[uppgift borttagen]». Originalet sparas.",
    )
    add_report_id(parser)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--approve", dest="decision", action="store_const", const=APPROVED,
                       help="publicera texten som den är skriven")
    which.add_argument("--mask", dest="decision", action="store_const", const=MASKED,
                       help="publicera med de funna uppgifterna borttagna")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    try:
        report, _ = review(ctx, args.report_id, args.decision, command_user())
        record_command(ctx, f"review_{args.decision}", report.report_id)
    except ReviewRefused as error:
        print(f"besoksrapport: {error}", file=sys.stderr)
        return 2
    print(f"Rapport {report.report_id} är granskad: {DECISION_WORDS[args.decision]}.")
    finish_queued_work(ctx)
    return 0
