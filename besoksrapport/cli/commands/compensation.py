"""``besoksrapport compensation --from … --to … -o DIR``: the payroll's basis, CSV and XLSX.

Reads the stored reports of every calendar year the period touches (a visit's place among
the politician's yearly one or two depends on the whole year), keeps the visits within the
period and writes «arvodesunderlag_FROM_TO.csv» and «.xlsx» into DIR, printing their paths.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from besoksrapport.cli.arguments import day_argument
from besoksrapport.runtime import command_context
from besoksrapport.secretary.audit import record_command
from besoksrapport.secretary.exports import compensation_files


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compensation",
        help="skriv underlaget för sammanträdesarvode (CSV och XLSX) för en period",
        description="Skriv underlaget för sammanträdesarvode för besöken från och med --from "
                    "till och med --to, som CSV (för Excel på svenska) och XLSX, i mappen som "
                    "anges med -o.",
    )
    parser.add_argument("--from", dest="first", type=day_argument, required=True,
                        metavar="ÅÅÅÅ-MM-DD", help="första besöksdatum som tas med")
    parser.add_argument("--to", dest="last", type=day_argument, required=True,
                        metavar="ÅÅÅÅ-MM-DD", help="sista besöksdatum som tas med")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="MAPP",
                        help="mappen som filerna skrivs i (skapas om den saknas)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.last < args.first:
        print("besoksrapport: datumet i --to ligger före datumet i --from", file=sys.stderr)
        return 2
    # An unusable database ends in cli.main: one line, exit status 3.
    ctx = command_context()
    for path in compensation_files(ctx, args.first, args.last, args.output):
        record_command(ctx, "download_compensation", path.name)
        print(path)
    return 0
