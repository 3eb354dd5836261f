"""The ``besoksrapport`` command: one subcommand per module in ``besoksrapport.commands``.

Each command module defines ``register(subparsers)``, which adds its parser and sets
``func`` (taking the parsed arguments, returning an exit code). Adding a command is adding a
module; this file does not change.

Errors the secretary can act on end in one line on stderr, never a traceback, with an exit
status that says what kind of problem it was (``EXIT_STATUSES``).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import commands
from .errors import ConfigError, StorageUnavailable

CONFIG_ERROR = 2  # also argparse's status for wrong arguments
STORAGE_UNAVAILABLE = 3  # the database is locked, unreadable or out of reach
EXIT_STATUSES = ("exit status: 0 done; 1 some work failed or a check found problems; "
                 "2 wrong arguments or configuration; 3 the database cannot be used "
                 "(locked, unreadable or out of reach)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="besoksrapport",
        description="Kontaktpolitikers återrapportering av verksamhetsbesök.",
        epilog=EXIT_STATUSES,
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConfigError as error:
        print(f"besoksrapport: configuration error: {error}", file=sys.stderr)
        return CONFIG_ERROR
    except StorageUnavailable as error:
        # The technical part (path and SQLite's own words) stays as SQLite wrote it.
        print(f"besoksrapport: databasen går inte att använda: {error}", file=sys.stderr)
        return STORAGE_UNAVAILABLE


if __name__ == "__main__":
    sys.exit(main())
