"""``besoksrapport quarantine``: signed deliveries that were refused, and why.

Each shows which visit it was about (when the body says), whether the secretary has marked
it handled, and each error with the question's Swedish title. The sender's name is shown on
the page only («Avvisade rapporter»), not in a terminal's scrollback.
"""

from __future__ import annotations

import argparse

from besoksrapport.runtime import command_context
from besoksrapport.secretary.refused import refused_deliveries
from besoksrapport.swedish import long_date, long_datetime


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "quarantine",
        help="visa inskickade rapporter som avvisades som ogiltiga, med felen",
        description="Inskickade rapporter som avvisades, med felen e-tjänsten fick tillbaka.",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    items = refused_deliveries(ctx)
    if not items:
        print("Inga avvisade rapporter.")
        return 0
    for item in items:
        visit = ", ".join(part for part in (item.operation, item.unit) if part) or \
            "verksamheten saknas"
        if item.visit_date:
            visit += f", besök den {long_date(item.visit_date)}"
        print(f"Nr {item.id}, den {long_datetime(item.received_at)}, leverans "
              f"{item.delivery_id}: {visit}; {len(item.errors)} fel")
        if item.handled:
            note = f": {item.handled.note}" if item.handled.note else ""
            print(f"   Hanterad av {item.handled.handled_by} den "
                  f"{long_datetime(item.handled.handled_at)}{note}")
        else:
            print("   Inte hanterad")
        for error in item.errors:
            question = f" (frågan ”{error.question}”)" if error.question else ""
            print(f"   {error.pointer or '/'}: {error.message}{question}")
    return 0
