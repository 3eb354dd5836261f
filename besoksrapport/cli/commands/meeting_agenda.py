"""``besoksrapport agenda YYYY-MM-DD``: the kallelse text for a meeting, to paste (the module
is named for what it gives; the command is called as the secretary says it)."""

from __future__ import annotations

import argparse
import sys

from besoksrapport.cli.arguments import day_argument
from besoksrapport.runtime import command_context
from besoksrapport.secretary.agenda import meeting_agenda
from besoksrapport.swedish import long_date, quantity


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "agenda",
        help="skriv ut texten till kallelsen för ett sammanträde",
        description="Texten till kallelsen: anmälningsärendet med antal och diarienummer, "
                    "rapporterna och de muntliga återrapporter som önskas.",
    )
    parser.add_argument("day", type=day_argument, metavar="ÅÅÅÅ-MM-DD",
                        help="sammanträdets datum")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    if args.day not in ctx.committee.meetings and not ctx.storage.reports_for_meeting(args.day):
        print(f"besoksrapport: det finns inget sammanträde den {long_date(args.day)} i "
              "konfigurationen", file=sys.stderr)
        return 2
    agenda = meeting_agenda(ctx, args.day)
    print(agenda.text, end="")
    if agenda.left_out:
        what = quantity(len(agenda.left_out), "rapport som är makulerad eller väntar",
                        "rapporter som är makulerade eller väntar")
        print(f"\nObs! Inte med: {what} på granskning av personuppgifter "
              f"({', '.join(agenda.left_out)}).", file=sys.stderr)
    return 0
