"""``besoksrapport audit [--from …] [--to …] [--csv FIL]``: the audit trail for a period.

(The module is named ``trail`` so that ``bundle`` stays the first command of the list.)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from besoksrapport.cli.arguments import day_argument
from besoksrapport.runtime import command_context
from besoksrapport.secretary import audit


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="visa loggen över ändringar och nedladdningar: vem, när, vad och varifrån",
        description="Loggen över ändringar och nedladdningar på sekreterarens sida och med "
                    "kommandon: vem, när, vad och varifrån. Utan datum visas hela loggen.",
    )
    parser.add_argument("--from", dest="first", type=day_argument, metavar="ÅÅÅÅ-MM-DD",
                        help="första dagen (tom: från början)")
    parser.add_argument("--to", dest="last", type=day_argument, metavar="ÅÅÅÅ-MM-DD",
                        help="sista dagen (tom: till i dag)")
    parser.add_argument("--csv", type=Path, metavar="FIL",
                        help="skriv loggen som CSV för Excel till FIL i stället för att visa den")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.first and args.last and args.last < args.first:
        print("besoksrapport: datumet i --to ligger före datumet i --from", file=sys.stderr)
        return 2
    ctx = command_context()
    items = audit.entries(ctx, args.first, args.last)
    if args.csv is not None:
        path = audit.write_csv(items, args.csv)
        audit.record_command(ctx, "download_audit", path.name)
        print(path)
        return 0
    if not items:
        print("Loggen har inga händelser under perioden.")
        return 0
    for when, actor, action, target, address, details in audit.rows(items):
        line = f"{when}  {actor} ({address}): {action}"
        line += f" {target}" if target else ""
        print(line + (f" – {details}" if details else ""))
    return 0
