"""``besoksrapport check-config [FILE]``: validate the committee configuration, start nothing."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from ..committee_config import load_committee
from ..meeting import deadline_for, upcoming
from ..paths import EXAMPLE_CONFIG
from ..roster import roster_problems
from ..swedish import STOCKHOLM, long_date, long_datetime, quantity


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check-config",
        help="kontrollera nämndens konfiguration utan att starta något",
        description="Kontrollera nämndens konfiguration (TOML) och sammanfatta den.",
    )
    parser.add_argument("file", nargs="?", type=Path, metavar="FIL",
                        help="konfigurationsfilen (standard: $BESOKSRAPPORT_CONFIG, annars "
                             "exemplet som följer med programmet)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = args.file or Path(os.environ.get("BESOKSRAPPORT_CONFIG") or EXAMPLE_CONFIG)
    committee = load_committee(path)  # ConfigError → one line, exit 2 (see cli.main)
    today = dt.datetime.now(STOCKHOLM).date()
    coming = upcoming(committee, today)
    problems = roster_problems(committee)
    print(f"{path}: " + ("fel i kontaktpolitikerlistan, se nedan" if problems else "OK"))
    print(f"  {committee.name}, {committee.municipality}")
    print(f"  {quantity(len(committee.meetings), 'sammanträde', 'sammanträden')}, "
          f"varav {len(coming)} kommande")
    if coming:
        first = coming[0]
        print(f"  Nästa: den {long_date(first)} (sista tid för rapporter: den "
              f"{long_datetime(deadline_for(committee, first))})")
    else:
        print("  Varning: det finns inga kommande sammanträden; nya rapporter väntar tills "
              "fler sammanträden läggs in.")
    print(f"  {len(committee.politicians)} kontaktpolitiker")
    for problem in problems:
        print(f"  Fel i kontaktpolitikerlistan: {problem}")
    return 1 if problems else 0

