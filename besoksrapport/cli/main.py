"""The ``besoksrapport`` command: one subcommand per module in ``besoksrapport.cli.commands``.

Each command module defines ``register(subparsers)``, which adds its parser and sets
``func`` (taking the parsed arguments, returning an exit code). Adding a command is adding a
module; this file does not change.

Errors the secretary can act on end in one line on stderr, never a traceback, with an exit
status that says what kind of problem it was (``EXIT_STATUSES``). Everything is Swedish,
argparse's own words too (``argparse_swedish``), for every command a module registers.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from besoksrapport.cli import commands, notices
from besoksrapport.cli.argparse_swedish import SwedishArgumentParser
from besoksrapport.errors import BesoksrapportError, ConfigError, StorageUnavailable

CONFIG_ERROR = 2  # also argparse's status for wrong arguments
STORAGE_UNAVAILABLE = 3  # the database is locked, unreadable or out of reach
FAILED = 1  # any other error of ours, said in Swedish
EXIT_STATUSES = ("Slutstatus: 0 klart; 1 något arbete misslyckades eller en kontroll hittade "
                 "fel; 2 fel i argumenten eller i konfigurationen; 3 databasen går inte att "
                 "använda (låst, oläslig eller utom räckhåll).")


def build_parser() -> argparse.ArgumentParser:
    parser = SwedishArgumentParser(
        prog="besoksrapport",
        description="Kontaktpolitikers återrapportering av verksamhetsbesök.",
        epilog=EXIT_STATUSES,
    )
    subparsers = parser.add_subparsers(title="kommandon", dest="command", required=True,
                                       metavar="KOMMANDO")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    notices.install()  # no English log line on the secretary's terminal
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConfigError as error:
        print(f"besoksrapport: {error}", file=sys.stderr)  # «Konfigurationsfel i …»
        return CONFIG_ERROR
    except StorageUnavailable as error:
        # The path, and SQLite's reason in Swedish with its code (failure_reasons).
        print(f"besoksrapport: databasen går inte att använda: {error}", file=sys.stderr)
        return STORAGE_UNAVAILABLE
    except BesoksrapportError as error:  # e.g. a bundle that could not be built
        print(f"besoksrapport: {error}", file=sys.stderr)  # Swedish, as every such error
        return FAILED


if __name__ == "__main__":
    sys.exit(main())
