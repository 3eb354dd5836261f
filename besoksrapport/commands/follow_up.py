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

from ..committee_config import load_committee
from ..documents import load_renderers
from ..followup import follow_up, write_csv
from ..settings import load_settings
from ..storage import open_storage


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
    settings = load_settings(require_secrets=False)
    committee = load_committee(settings.config_path)
    period = committee.mandate_period
    first = args.first or (period.start if period else None)
    last = args.last or (period.end if period else None)
    if first is None or last is None:
        print("besoksrapport: ange --from och --to (konfigurationen saknar mandatperiod)",
              file=sys.stderr)
        return 2
    if last < first:
        print("besoksrapport: --to ligger före --from", file=sys.stderr)
        return 2
    # An unusable database ends in cli.main: one line, exit status 3.
    storage = open_storage(settings.database_path)
    try:
        # Whole years: a visit's place in its year's count needs the visits before it.
        reports = storage.reports_between(dt.date(first.year, 1, 1), dt.date(last.year, 12, 31))
    finally:
        storage.close()
    numbers = follow_up(reports, committee, first, last)
    renderers = load_renderers(settings.template_path)
    args.output.mkdir(parents=True, exist_ok=True)
    stem = f"uppfoljning_kontaktpolitiker_{first.isoformat()}_{last.isoformat()}"
    document = args.output / f"{stem}.docx"
    document.write_bytes(renderers.follow_up(numbers, committee))
    for path in (document, write_csv(numbers, args.output / f"{stem}.csv")):
        print(path)
    return 0
