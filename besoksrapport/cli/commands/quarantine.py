"""``besoksrapport quarantine``: signed deliveries that were refused, and why."""

from __future__ import annotations

import argparse

from besoksrapport.runtime import command_context
from besoksrapport.swedish import long_datetime


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "quarantine",
        help="visa inskickade rapporter som avvisades som ogiltiga, med felen",
        description="Inskickade rapporter som avvisades, med felen e-tjänsten fick tillbaka.",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    items = ctx.storage.quarantined()
    if not items:
        print("Inga avvisade rapporter.")
        return 0
    for item in items:
        print(f"Den {long_datetime(item.received_at)}, leverans {item.webhook_id}: "
              f"{len(item.errors)} fel")
        for error in item.errors:
            print(f"   {error['pointer']}: {error['message']}")
    return 0
