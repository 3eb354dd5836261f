"""``besoksrapport gallra [--verkställ]``: what the gallring periods remove, and removing it.

Without ``--verkställ`` nothing is removed: the command says what would go. The periods
are the ``BESOKSRAPPORT_RETENTION_*_DAYS`` settings; the service also gallrar daily.
"""

from __future__ import annotations

import argparse

from besoksrapport.runtime import command_context
from besoksrapport.secretary.audit import command_actor
from besoksrapport.secretary.retention import gallra
from besoksrapport.swedish import quantity


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "gallra",
        help="visa vad gallringsfristerna tar bort, och ta bort det med --verkställ",
        description="Gallring enligt dokumenthanteringsplanen: avvisade leveranser, "
                    "inskickat innehåll i makulerade rapporter, loggen och XML från Open "
                    "ePlatform, var och en efter sin frist. Utan --verkställ tas inget bort.",
    )
    parser.add_argument("--verkställ", dest="execute", action="store_true",
                        help="ta bort det som är äldre än fristen (annars bara en provkörning)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    actor, address = command_actor()
    result = gallra(ctx, actor, address, execute=args.execute)
    print("Gallring:" if args.execute else "Provkörning (inget tas bort):")
    for part in result.parts:
        print(f"   {part.text}")
    if args.execute:
        print(f"{quantity(result.removed, 'post', 'poster')} togs bort; loggen har antal "
              "och id.")
    elif result.removed:
        print(f"{quantity(result.removed, 'post', 'poster')} skulle tas bort. Kör "
              "”besoksrapport gallra --verkställ” för att ta bort dem.")
    return 0
