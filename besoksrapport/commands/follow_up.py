"""``besoksrapport follow-up [--from … --to …] -o DIR``: the follow-up per mandate period.

Writes the document for the committee («uppfoljning_FROM_TO.docx») and the numbers behind
it («.csv») into DIR and prints their paths. Without --from/--to the mandate period from the
committee configuration is used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..exports import follow_up_files, mandate_period
from ..runtime import command_context


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "follow-up",
        help="write the follow-up of the guideline (DOCX and CSV) for a period",
        description="Write the follow-up of the guideline for kontaktpolitiker for visits "
                    "from --from to --to (default: the mandate period in the configuration).",
    )
    parser.add_argument("--from", dest="first", type=dt.date.fromisoformat,
                        metavar="YYYY-MM-DD", help="first visit date included")
    parser.add_argument("--to", dest="last", type=dt.date.fromisoformat,
                        metavar="YYYY-MM-DD", help="last visit date included")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="DIR",
                        help="folder to write the files into (created if missing)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # An unusable database ends in cli.main: one line, exit status 3.
    ctx = command_context()
    period = mandate_period(ctx.committee)
    first = args.first or (period[0] if period else None)
    last = args.last or (period[1] if period else None)
    if first is None or last is None:
        print("besoksrapport: ange --from och --to (konfigurationen saknar mandatperiod)",
              file=sys.stderr)
        return 2
    if last < first:
        print("besoksrapport: --to ligger före --from", file=sys.stderr)
        return 2
    for path in follow_up_files(ctx, first, last, args.output):
        print(path)
    return 0
