"""``besoksrapport check-config [FILE]``: validate the committee configuration, start nothing."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from ..committee_config import load_committee
from ..config_check import check_committee
from ..paths import EXAMPLE_CONFIG
from ..swedish import STOCKHOLM, long_date, long_datetime


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check-config",
        help="validate the committee configuration without starting anything",
        description="Validate the committee configuration (TOML) and summarise it.",
    )
    parser.add_argument("file", nargs="?", type=Path,
                        help="configuration file (default: $BESOKSRAPPORT_CONFIG, "
                             "else the bundled example)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = args.file or Path(os.environ.get("BESOKSRAPPORT_CONFIG") or EXAMPLE_CONFIG)
    committee = load_committee(path)  # ConfigError → one line, exit 2 (see cli.main)
    check = check_committee(committee, dt.datetime.now(STOCKHOLM).date())
    problems = check.problems
    print(f"{path}: " + ("fel i kontaktpolitikerlistan, se nedan" if problems else "OK"))
    print(f"  {committee.name}, {committee.municipality}")
    print(f"  {check.meetings} sammanträden, varav {check.coming} kommande")
    if check.next_meeting and check.next_deadline:
        print(f"  Nästa: {long_date(check.next_meeting)} "
              f"(sista dag för rapporter: {long_datetime(check.next_deadline)})")
    else:
        print("  Varning: inga kommande sammanträden; nya rapporter väntar tills fler läggs in.")
    print(f"  {check.politicians} kontaktpolitiker")
    for problem in problems:
        print(f"  Fel i kontaktpolitikerlistan: {problem}")
    return 1 if problems else 0
