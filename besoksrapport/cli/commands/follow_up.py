"""``besoksrapport follow-up [--from … --to …] -o DIR``: the follow-up per mandate period.

Writes the document for the committee («uppfoljning_FROM_TO.docx») and the numbers behind
it («.csv») into DIR and prints their paths. Without --from/--to the mandate period from the
committee configuration is used.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from besoksrapport.cli.arguments import day_argument
from besoksrapport.runtime import command_context
from besoksrapport.secretary.audit import record_command
from besoksrapport.secretary.exports import follow_up_files


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "follow-up",
        help="skriv uppföljningen av riktlinjerna (DOCX och CSV) för en period",
        description="Skriv uppföljningen av riktlinjerna för kontaktpolitiker för besöken från "
                    "och med --from till och med --to (standard: mandatperioden i "
                    "konfigurationen).",
    )
    parser.add_argument("--from", dest="first", type=day_argument,
                        metavar="ÅÅÅÅ-MM-DD", help="första besöksdatum som tas med")
    parser.add_argument("--to", dest="last", type=day_argument,
                        metavar="ÅÅÅÅ-MM-DD", help="sista besöksdatum som tas med")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="MAPP",
                        help="mappen som filerna skrivs i (skapas om den saknas)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # An unusable database ends in cli.main: one line, exit status 3.
    ctx = command_context()
    period = ctx.committee.mandate_period
    first = args.first or (period.start if period else None)
    last = args.last or (period.end if period else None)
    if first is None or last is None:
        print("besoksrapport: ange --from och --to (konfigurationen har ingen mandatperiod)",
              file=sys.stderr)
        return 2
    if last < first:
        print("besoksrapport: datumet i --to ligger före datumet i --from", file=sys.stderr)
        return 2
    for path in follow_up_files(ctx, first, last, args.output):
        record_command(ctx, "download_follow_up", path.name)
        print(path)
    return 0
