"""``besoksrapport check-config [FILE]``: validate the committee configuration, start nothing."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from besoksrapport.committee.check import check_committee
from besoksrapport.committee.config import load_committee
from besoksrapport.paths import EXAMPLE_CONFIG
from besoksrapport.swedish import STOCKHOLM, long_date, long_datetime, quantity


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
    check = check_committee(committee, dt.datetime.now(STOCKHOLM).date())
    problems = check.problems
    print(f"{path}: " + ("fel i kontaktpolitikerlistan, se nedan" if problems else "OK"))
    print(f"  {committee.name}, {committee.municipality}")
    print(f"  {quantity(check.meetings, 'sammanträde', 'sammanträden')}, "
          f"varav {check.coming} kommande")
    if check.next_meeting and check.next_deadline:
        print(f"  Nästa: den {long_date(check.next_meeting)} (sista tid för rapporter: den "
              f"{long_datetime(check.next_deadline)})")
    else:
        print("  Varning: det finns inga kommande sammanträden; nya rapporter väntar tills "
              "fler sammanträden läggs in.")
    print(f"  {check.politicians} kontaktpolitiker")
    for problem in problems:
        print(f"  Fel i kontaktpolitikerlistan: {problem}")
    return 1 if problems else 0
