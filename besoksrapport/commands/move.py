"""``besoksrapport move REPORT_ID --to YYYY-MM-DD``: the secretary moves a report."""

from __future__ import annotations

import argparse
import sys

from ..moves import NoSuchReport, NotAMeeting, move_to_meeting
from ..runtime import command_context
from ..secretary import day_argument
from ..swedish import long_date
from ..worker import run_pending


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "move",
        help="move a report to another meeting and refile both meetings",
        description="Flytta en rapport till ett annat sammanträde; båda mapparna uppdateras.",
    )
    parser.add_argument("report_id", metavar="REPORT_ID")
    parser.add_argument("--to", dest="day", type=day_argument, required=True,
                        metavar="YYYY-MM-DD", help="the meeting to move the report to")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    try:
        moved = move_to_meeting(ctx, args.report_id, args.day)
    except NotAMeeting:
        print(f"besoksrapport: {args.day.isoformat()} är inget sammanträde i konfigurationen",
              file=sys.stderr)
        return 2
    except NoSuchReport:
        print(f"besoksrapport: ingen rapport med id {args.report_id}", file=sys.stderr)
        return 2
    report, before = moved.report, moved.before
    origin = long_date(before) if before else "inget sammanträde"
    print(f"{report.report_id} flyttad från {origin} till {long_date(args.day)}.")
    failed = [o for o in run_pending(ctx) if o.result != "done"]
    for outcome in failed:
        print(f"Obs: {outcome.kind} gick inte att slutföra nu och görs om senare "
              f"({outcome.error})", file=sys.stderr)
    return 0
