"""``besoksrapport bundle YYYY-MM-DD``: file a meeting now and print where its bundle is."""

from __future__ import annotations

import argparse

from besoksrapport.cli.arguments import Progress, day_argument
from besoksrapport.runtime import command_context
from besoksrapport.secretary.audit import record_command
from besoksrapport.secretary.meeting_files import bundle_now


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bundle",
        help="spara sammanträdets mapp och samlingsdokument nu och visa var dokumentet finns",
        description="Spara sammanträdets mapp med samlingsdokumentet nu och visa var "
                    "samlingsdokumentet finns.",
    )
    parser.add_argument("day", type=day_argument, metavar="ÅÅÅÅ-MM-DD",
                        help="sammanträdets datum")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    progress = Progress("Skapar dokument", len(ctx.storage.reports_for_meeting(args.day)))
    try:
        bundle = bundle_now(ctx, args.day, on_render=progress.step)
    finally:
        progress.close()
    record_command(ctx, "download_bundle", args.day.isoformat())
    print(bundle)
    return 0
