"""``besoksrapport withdraw REPORT_ID --reason TEXT`` (or ``--restore``): the secretary
withdraws (makulerar) a report, or brings it back."""

from __future__ import annotations

import argparse
import sys

from besoksrapport.cli.arguments import add_report_id, finish_queued_work
from besoksrapport.runtime import command_context
from besoksrapport.secretary.audit import command_user, record_command
from besoksrapport.secretary.withdrawal import WithdrawalRefused, restore, withdraw
from besoksrapport.swedish import long_date


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "withdraw",
        help="makulera en rapport (eller återställ den med --restore)",
        description="Makulera en rapport: den tas bort ur förteckningen, samlingsdokumentet, "
                    "index.json och dokumentsystemets mapp, men finns kvar i databasen med "
                    "skälet. Kontaktpolitikern får veta det. Med --restore kommer den tillbaka.",
    )
    add_report_id(parser)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--reason", metavar="SKÄL", help="varför rapporten makuleras")
    which.add_argument("--restore", action="store_true",
                       help="återställ en makulerad rapport")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    try:
        if args.restore:
            change = restore(ctx, args.report_id)
            record_command(ctx, "restore", change.report.report_id)
        else:
            change = withdraw(ctx, args.report_id, args.reason, command_user())
            record_command(ctx, "withdraw", change.report.report_id)
    except WithdrawalRefused as error:
        print(f"besoksrapport: {error}", file=sys.stderr)
        return 2
    where = (f"sammanträdet den {long_date(change.meeting)}" if change.meeting
             else "inget sammanträde än")
    if args.restore:
        print(f"Rapport {change.report.report_id} är återställd och kommer tillbaka i mappen "
              f"för {where}.")
    else:
        print(f"Rapport {change.report.report_id} är makulerad och tas bort ur mappen för "
              f"{where}. Skäl: {change.withdrawal.reason if change.withdrawal else ''}")
    finish_queued_work(ctx)
    return 0
