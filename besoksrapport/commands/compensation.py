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

from ..committee_config import load_committee
from ..compensation import compensation_rows, write_csv, write_xlsx
from ..secretary import day_argument
from ..settings import load_settings
from ..storage import open_storage


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
    settings = load_settings(require_secrets=False)
    committee = load_committee(settings.config_path)
    # An unusable database ends in cli.main: one line, exit status 3.
    storage = open_storage(settings.database_path)
    try:
        reports = storage.reports_between(dt.date(args.first.year, 1, 1),
                                          dt.date(args.last.year, 12, 31))
    finally:
        storage.close()
    rows = compensation_rows(reports, committee, args.first, args.last)
    counted = {row.report_id for row in rows}
    created = max((r.received_at for r in reports if r.report_id in counted), default=None)
    args.output.mkdir(parents=True, exist_ok=True)
    stem = f"arvodesunderlag_{args.first.isoformat()}_{args.last.isoformat()}"
    for path in (write_csv(rows, args.output / f"{stem}.csv"),
                 write_xlsx(rows, args.output / f"{stem}.xlsx", created=created,
                            author=committee.name)):
        print(path)
    return 0
