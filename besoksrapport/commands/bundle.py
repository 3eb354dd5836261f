"""``besoksrapport bundle YYYY-MM-DD``: file a meeting now and print where its bundle is."""

from __future__ import annotations

import argparse

from ..meeting_files import bundle_now
from ..runtime import command_context
from ..secretary import Progress, day_argument


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bundle",
        help="write a meeting's folder and bundle now and print where the bundle is",
        description="Skriv sammanträdets mapp och samlingsdokument nu och visa var de finns.",
    )
    parser.add_argument("day", type=day_argument, metavar="YYYY-MM-DD")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    progress = Progress("Skapar dokument", len(ctx.storage.reports_for_meeting(args.day)))
    try:
        bundle = bundle_now(ctx, args.day, on_render=progress.step)
    finally:
        progress.close()
    print(bundle)
    return 0
