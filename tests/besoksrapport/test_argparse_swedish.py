"""argparse's own words in Swedish, for every parser made with SwedishArgumentParser."""

from __future__ import annotations

import argparse
import ast
import inspect
import re

import pytest

from besoksrapport.cli.argparse_swedish import (
    MESSAGES,
    PLURALS,
    SwedishArgumentParser,
    swedish_quotes,
)

NAMED = re.compile(r"%\((\w+)\)[rs]")
POSITIONAL = re.compile(r"%[rs]")


def argparse_message_ids() -> tuple[set[str], set[tuple[str, str]]]:
    """The texts the running Python's argparse passes to ``_`` and ``ngettext``."""
    single, plural = set(), set()
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        texts = [arg.value for arg in node.args
                 if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
        if node.func.id == "_" and texts:
            single.add(texts[0])
        elif node.func.id == "ngettext" and len(texts) == 2:
            plural.add((texts[0], texts[1]))
    return single, plural


def test_every_text_of_this_pythons_argparse_has_a_swedish_translation():
    single, plural = argparse_message_ids()
    assert single and plural
    assert sorted(single - set(MESSAGES)) == []
    assert sorted(plural - set(PLURALS)) == []


def test_translations_fill_in_only_what_argparse_gives_them():
    """Positional %s/%r as many as in English (formatted by position); named ones may be
    left out («invalid %(type)s value» names a Python function), never made up."""
    plurals = [(english[i], swedish[i]) for english, swedish in PLURALS.items() for i in (0, 1)]
    for english, swedish in [*MESSAGES.items(), *plurals]:
        assert len(POSITIONAL.findall(swedish)) == len(POSITIONAL.findall(english)), english
        assert set(NAMED.findall(swedish)) <= set(NAMED.findall(english)), english


@pytest.fixture
def nested() -> SwedishArgumentParser:
    """A command with its own subcommands, as ``oep poll`` or ``user add`` would add."""
    parser = SwedishArgumentParser(prog="besoksrapport")
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    user = commands.add_parser("user", help="hantera användare")
    actions = user.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
    add = actions.add_parser("add", help="lägg till en användare")
    add.add_argument("name", metavar="NAMN")
    add.add_argument("--roll", choices=["ledamot", "ersattare"])
    return parser


def test_a_subcommand_of_a_subcommand_has_swedish_help(nested, capsys):
    with pytest.raises(SystemExit):
        nested.parse_args(["user", "add", "--help"])
    text = capsys.readouterr().out
    assert text.startswith("användning: besoksrapport user add [-h]")
    assert "\nargument:\n" in text and "\nflaggor:\n" in text
    assert "visa den här hjälptexten och avsluta" in text


@pytest.mark.parametrize(("argv", "error"), [
    (["user", "add"], "besoksrapport user add: fel: följande måste anges: NAMN"),
    (["user", "add", "Anna", "--roll", "chef"],
     "besoksrapport user add: fel: --roll: ”chef” finns inte (välj bland ”ledamot”, "
     "”ersattare”)"),
    (["user", "remove"], "besoksrapport user: fel: ÅTGÄRD: ”remove” finns inte (välj bland "
                         "”add”)"),
    (["user", "add", "Anna", "--extra"], "besoksrapport: fel: okända argument: --extra"),
])
def test_wrong_arguments_to_a_nested_command_are_refused_in_swedish(nested, capsys, argv,
                                                                     error):
    with pytest.raises(SystemExit) as refused:
        nested.parse_args(argv)
    assert refused.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == error


def test_argparse_speaks_english_again_outside_our_parsers():
    SwedishArgumentParser(prog="x").format_help()
    assert "usage:" in argparse.ArgumentParser(prog="x").format_help()


def test_values_argparse_quotes_with_repr_get_swedish_quotes():
    assert swedish_quotes("'chef' finns inte (välj bland 'ledamot', 'ersattare')") == \
        "”chef” finns inte (välj bland ”ledamot”, ”ersattare”)"
