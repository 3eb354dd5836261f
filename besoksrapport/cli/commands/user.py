"""``besoksrapport user add NAME`` / ``user remove NAME``: the secretaries' local accounts.

For an installation without an identity provider. The password is asked for twice on the
terminal (or read from standard input with ``--password-stdin``, for scripts) and stored
only as an Argon2id hash. The account can log in once its name is also listed in
BESOKSRAPPORT_SECRETARIES.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys

from besoksrapport.secretary.accounts import (
    SECRETARIES,
    AccountError,
    account_name,
    allowed_accounts,
    hash_password,
)
from besoksrapport.secretary.audit import command_actor
from besoksrapport.settings import load_settings
from besoksrapport.storage import AuditEntry, Storage, open_storage


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "user",
        help="skapa eller ta bort ett lokalt konto för sekreterarens sida",
        description="Lokala konton för sekreterarens sida (när kommunens inloggning med "
                    "OpenID Connect inte används). Lösenordet sparas bara som en hash.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
    add = actions.add_parser(
        "add", help="skapa ett konto eller byt dess lösenord",
        description="Skapa ett lokalt konto, eller byt lösenord om kontot redan finns. "
                    "Lösenordet efterfrågas två gånger.")
    add.add_argument("name", metavar="NAMN", help="kontonamnet, till exempel anna.lindqvist")
    add.add_argument("--password-stdin", action="store_true",
                     help="läs lösenordet från standard in i stället för att fråga")
    add.set_defaults(func=run_add)
    remove = actions.add_parser("remove", help="ta bort ett konto",
                                description="Ta bort ett lokalt konto.")
    remove.add_argument("name", metavar="NAMN", help="kontonamnet")
    remove.set_defaults(func=run_remove)


def _has_terminal() -> bool:
    """Whether getpass can ask without echoing: standard in is a terminal it can open."""
    try:
        with open("/dev/tty", "rb"):
            pass
    except OSError:
        return False
    return sys.stdin is not None and sys.stdin.isatty()


def _record(storage: Storage, action: str, name: str) -> None:
    """The audit trail's entry (the storage alone: the command needs no committee)."""
    actor, address = command_actor()
    storage.record_audit(AuditEntry(dt.datetime.now(dt.UTC), actor, action, name, address))


def _password(from_stdin: bool) -> str:
    """The password from standard in, or asked twice on the terminal; a missing terminal,
    Ctrl-D or Ctrl-C ends in one Swedish line (``AccountError``), never a traceback or
    getpass's English warning that the password may be echoed."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not _has_terminal():
        raise AccountError("det finns ingen terminal att fråga efter lösenordet i; ange "
                           "det på standard in med --password-stdin. Inget ändrades.")
    try:
        first = getpass.getpass("Lösenord: ")
        again = getpass.getpass("Samma lösenord igen: ")
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)  # the prompt's line ends where the user stopped
        raise AccountError("avbrutet; inget ändrades.") from None
    if again != first:
        raise AccountError("Lösenorden är inte lika; inget ändrades.")
    return first


def run_add(args: argparse.Namespace) -> int:
    try:
        name = account_name(args.name)
        password_hash = hash_password(_password(args.password_stdin))
    except AccountError as error:
        print(f"besoksrapport: {error}", file=sys.stderr)
        return 2
    storage = open_storage(load_settings(require_secrets=False).storage_url)
    try:
        created = storage.save_account(name, password_hash, dt.datetime.now(dt.UTC))
        _record(storage, "user_add" if created else "user_password", name)
    finally:
        storage.close()
    print(f"Kontot {name} skapades." if created else f"Lösenordet för {name} byttes.")
    if name not in allowed_accounts(os.environ):
        print(f"Obs: {name} finns inte i {SECRETARIES}; lägg till kontot där för att det "
              "ska kunna logga in.")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    try:
        name = account_name(args.name)
    except AccountError as error:
        print(f"besoksrapport: {error}", file=sys.stderr)
        return 2
    storage = open_storage(load_settings(require_secrets=False).storage_url)
    try:
        removed = storage.remove_account(name)
        if removed:
            _record(storage, "user_remove", name)
    finally:
        storage.close()
    if not removed:
        print(f"besoksrapport: det finns inget konto som heter {name}", file=sys.stderr)
        return 2
    print(f"Kontot {name} togs bort.")
    return 0
