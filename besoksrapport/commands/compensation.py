"""``besoksrapport compensation --from … --to … -o DIR``: the payroll's basis, CSV and XLSX.

Reads the stored reports of every calendar year the period touches (a visit's place among
the politician's yearly one or two depends on the whole year), keeps the visits within the
period and writes «arvodesunderlag_FROM_TO.csv» and «.xlsx» into DIR, printing their paths.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..exports import compensation_files
from ..runtime import command_context


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compensation",
        help="write the basis for sammanträdesarvode (CSV and XLSX) for a period",
        description="Write the payroll's basis for visits from --from to --to (inclusive) "
                    "as CSV (for Swedish Excel) and XLSX into the folder given by -o.",
    )
    parser.add_argument("--from", dest="first", type=dt.date.fromisoformat, required=True,
                        metavar="YYYY-MM-DD", help="first visit date included")
    parser.add_argument("--to", dest="last", type=dt.date.fromisoformat, required=True,
                        metavar="YYYY-MM-DD", help="last visit date included")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="DIR",
                        help="folder to write the files into (created if missing)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.last < args.first:
        print("besoksrapport: --to ligger före --from", file=sys.stderr)
        return 2
    # An unusable database ends in cli.main: one line, exit status 3.
    ctx = command_context()
    for path in compensation_files(ctx, args.first, args.last, args.output):
        print(path)
    return 0
