"""``besoksrapport diary-number NUMMER (--meeting YYYY-MM-DD | --report REPORT_ID)``.

The secretary registers a meeting's reports, or one report, under a diarienummer; the
meeting's folder is filed again at once, so its documents show the number.
"""

from __future__ import annotations

import argparse
import sys

from besoksrapport.cli.arguments import day_argument, finish_queued_work
from besoksrapport.runtime import command_context
from besoksrapport.secretary.audit import audited_command
from besoksrapport.secretary.diary import (
    DiaryNumberInvalid,
    check_number,
    set_meeting_number,
    set_report_number,
)
from besoksrapport.swedish import long_date


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "diary-number",
        help="ge ett sammanträdes rapporter eller en rapport ett diarienummer",
        description="Ge alla rapporter till ett sammanträde, eller en enskild rapport, ett "
                    "diarienummer. Sammanträdets mapp skrivs om direkt, så att rapporterna "
                    "och förteckningen visar numret. En rapports eget nummer går före "
                    "sammanträdets.",
    )
    parser.add_argument("number", nargs="?", metavar="DIARIENUMMER",
                        help="till exempel ”VSN 2026/143” (utelämnas med --remove)")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--meeting", type=day_argument, metavar="ÅÅÅÅ-MM-DD",
                       help="sammanträdet vars rapporter får numret")
    which.add_argument("--report", metavar="RAPPORT-ID", help="rapporten som får numret")
    parser.add_argument("--remove", action="store_true",
                        help="ta bort numret i stället för att sätta ett")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if (args.number is None) != args.remove:
        print("besoksrapport: ange antingen ett diarienummer eller --remove", file=sys.stderr)
        return 2
    ctx = command_context()
    try:
        tidy = check_number(ctx, args.number)
        if args.meeting is not None:
            with audited_command(ctx, "diary_number_meeting", args.meeting.isoformat(),
                                 tidy or "–"):
                number = set_meeting_number(ctx, args.meeting, args.number)
            what = f"Rapporterna till sammanträdet den {long_date(args.meeting)}"
            gone = f"{what} har inte längre något gemensamt diarienummer."
        else:
            with audited_command(ctx, "diary_number_report", args.report, tidy or "–"):
                number, _ = set_report_number(ctx, args.report, args.number)
            what = f"Rapporten {args.report}"
            gone = f"{what} har inte längre något eget diarienummer."
    except DiaryNumberInvalid as error:
        print(f"besoksrapport: {error}", file=sys.stderr)
        return 2
    except KeyError:
        print(f"besoksrapport: det finns ingen rapport med id {args.report}", file=sys.stderr)
        return 2
    print(f"{what} har diarienummer {number}." if number else gone)
    finish_queued_work(ctx)
    return 0
