"""``besoksrapport move REPORT_ID --to YYYY-MM-DD``: the secretary moves a report."""

from __future__ import annotations

import argparse
import sys

from besoksrapport.cli.arguments import add_report_id, day_argument, finish_queued_work
from besoksrapport.runtime import command_context
from besoksrapport.secretary.audit import audited_command
from besoksrapport.secretary.deadlines import late_move_warning, move_is_late
from besoksrapport.secretary.moves import NoSuchReport, NotAMeeting, move_to_meeting
from besoksrapport.swedish import long_date


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "move",
        help="flytta en rapport till ett annat sammanträde och uppdatera båda mapparna",
        description="Flytta en rapport till ett annat sammanträde; båda mapparna uppdateras.",
    )
    add_report_id(parser)
    parser.add_argument("--to", dest="day", type=day_argument, required=True,
                        metavar="ÅÅÅÅ-MM-DD", help="sammanträdet som rapporten flyttas till")
    parser.add_argument("--efter-sista-tid", dest="late", action="store_true",
                        help="flytta även om sammanträdets sista tid för rapporter har gått "
                             "ut (annars frågar kommandot, eller avbryter utan terminal)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    late = args.day in ctx.committee.meetings and move_is_late(ctx.committee, args.day)
    if late and not args.late and not _confirmed(late_move_warning(ctx.committee, args.day)):
        print("besoksrapport: rapporten flyttades inte; sista tiden har gått ut. Ange "
              "--efter-sista-tid för att flytta den ändå.", file=sys.stderr)
        return 2
    try:
        was = ctx.storage.get_report(args.report_id).meeting_date
        with audited_command(ctx, "move_late" if late else "move", args.report_id,
                             f"{was.isoformat() if was else '–'} → {args.day.isoformat()}"):
            moved = move_to_meeting(ctx, args.report_id, args.day)
    except NotAMeeting:
        print(f"besoksrapport: det finns inget sammanträde den {long_date(args.day)} i "
              "konfigurationen", file=sys.stderr)
        return 2
    except (KeyError, NoSuchReport):
        print(f"besoksrapport: det finns ingen rapport med id {args.report_id}",
              file=sys.stderr)
        return 2
    report, before = moved.report, moved.before
    origin = f"sammanträdet den {long_date(before)}" if before else "väntelistan"
    print(f"{report.report_id} har flyttats från {origin} till sammanträdet den "
          f"{long_date(args.day)}.")
    finish_queued_work(ctx, with_reason=True)
    return 0


def _confirmed(warning: str) -> bool:
    """Ask on a terminal whether to move past the deadline; without one, no."""
    if not sys.stdin.isatty():
        print(f"Obs! {warning}", file=sys.stderr)
        return False
    answer = input(f"{warning} Flytta ändå? [j/N] ")
    return answer.strip().lower() in ("j", "ja")
