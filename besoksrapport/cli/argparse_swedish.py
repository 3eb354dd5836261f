"""An ``argparse.ArgumentParser`` that speaks Swedish, argparse's own words included.

argparse writes «usage:», «options», «show this help message and exit» and its error
messages through the module's ``_`` and ``ngettext`` (gettext). While one of our parser's
methods runs, those two names are swapped for translations of argparse's message ids, so
the help, the usage line and every error come out in Swedish, for the main parser and for
every subcommand: ``add_subparsers`` makes its parsers of the parent's class. An id this
table lacks (a new Python version's) stays English; tests/besoksrapport/test_cli_swedish.py
reads the running Python's argparse for every id, so such a gap fails a test.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

# argparse's message ids (Python 3.11 to 3.14) → Swedish; the %-placeholders are kept.
MESSAGES = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "optional arguments": "flaggor",
    "subcommands": "underkommandon",
    "show this help message and exit": "visa den här hjälptexten och avsluta",
    "show program's version number and exit": "visa programmets version och avsluta",
    " (default: %(default)s)": " (standard: %(default)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s: varning: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "följande måste anges: %s",
    "one of the arguments %s is required": "ett av följande måste anges: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "%(value)r finns inte (välj bland %(choices)s)",
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)":
        "%(value)r finns inte; menade du %(closest)r? (välj bland %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "kommandot %(parser_name)r finns inte (välj bland %(choices)s)",
    "invalid %(type)s value: %(value)r": "%(value)r är inget giltigt värde",
    "expected one argument": "ett värde måste anges",
    "expected at most one argument": "högst ett värde får anges",
    "expected at least one argument": "minst ett värde måste anges",
    "ambiguous option: %(option)s could match %(matches)s":
        "flaggan %(option)s är tvetydig: den kan vara %(matches)s",
    "unexpected option string: %s": "oväntad flagga: %s",
    "ignored explicit argument %r": "flaggan tar inget värde (%r)",
    "not allowed with argument %s": "kan inte anges tillsammans med %s",
    "can't open '%(filename)s': %(error)s": "filen '%(filename)s' går inte att öppna: %(error)s",
    "option '%(option)s' is deprecated": "flaggan '%(option)s' är föråldrad",
    "argument '%(argument_name)s' is deprecated": "argumentet '%(argument_name)s' är föråldrat",
    "command '%(parser_name)s' is deprecated": "kommandot '%(parser_name)s' är föråldrat",
    # Mistakes in a command's own definition; a developer meets them, never the secretary.
    "%r is not callable": "%r går inte att anropa",
    "'required' is an invalid argument for positionals":
        "'required' kan inte anges för ett argument utan flagga",
    ".__call__() not defined": ".__call__() saknas",
    'argument "-" with mode %r': 'argumentet "-" med läget %r',
    "cannot have multiple subparser arguments": "det kan bara finnas en grupp underkommandon",
    "cannot merge actions - two groups are named %r":
        "grupperna kan inte slås ihop: två grupper heter %r",
    "conflicting subparser alias: %s": "underkommandots alias finns redan: %s",
    "conflicting subparser: %s": "underkommandot finns redan: %s",
    "dest= is required for options like %r": "dest= måste anges för flaggor som %r",
    "invalid conflict_resolution value: %r": "ogiltigt värde för conflict_resolution: %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r":
        "ogiltig flagga %(option)r: den måste börja med tecknet %(prefix_chars)r",
    "mutually exclusive arguments must be optional":
        "argument som utesluter varandra måste vara flaggor",
}
PLURALS = {
    ("expected %s argument", "expected %s arguments"): ("%s värde måste anges",
                                                         "%s värden måste anges"),
    ("conflicting option string: %s", "conflicting option strings: %s"): (
        "flaggan finns redan: %s", "flaggorna finns redan: %s"),
}
# repr() quotes a value as 'x'; Swedish text quotes as ”x”.
_REPR_QUOTED = re.compile(r"'([^'\n]*)'")


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    one, many = PLURALS.get((singular, plural), (singular, plural))
    return one if count == 1 else many


def swedish_quotes(text: str) -> str:
    """«invalid choice: 'x'» is quoted the Swedish way: ”x”."""
    return _REPR_QUOTED.sub(r"”\1”", text)


@contextmanager
def swedish() -> Iterator[None]:
    """argparse's texts in Swedish for the ``with`` block (its module globals, restored)."""
    names = vars(argparse)
    saved = names["_"], names["ngettext"]
    names["_"], names["ngettext"] = gettext, ngettext
    try:
        yield
    finally:
        names["_"], names["ngettext"] = saved


class SwedishArgumentParser(argparse.ArgumentParser):
    """ArgumentParser whose help, usage and errors are Swedish; its subparsers are too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with swedish():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> argparse._SubParsersAction:
        with swedish():
            return super().add_subparsers(**kwargs)

    def parse_known_args(  # type: ignore[override]
            self, args: Sequence[str] | None = None,
            namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        with swedish():
            return super().parse_known_args(args, namespace)

    def parse_args(  # type: ignore[override]
            self, args: Sequence[str] | None = None,
            namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        with swedish():  # «unrecognized arguments» is written here, not in parse_known_args
            return super().parse_args(args, namespace)

    def format_usage(self) -> str:
        with swedish():
            return super().format_usage()

    def format_help(self) -> str:
        with swedish():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with swedish():
            super().error(swedish_quotes(message))
