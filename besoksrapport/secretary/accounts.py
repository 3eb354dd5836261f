"""The secretaries' local accounts: names, password rules and hashing, and who may log in.

A local account is for a small installation without an identity provider; it is made with
``besoksrapport user add`` and stored with an Argon2id hash (argon2-cffi, the hasher OWASP
recommends first), never the password. Logging in also needs the account to be listed in
``BESOKSRAPPORT_SECRETARIES``, the one list of who may use the secretary's page, local or
OpenID Connect alike: removing a name there locks the account out at the next request.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from besoksrapport.errors import BesoksrapportError
from besoksrapport.settings import PREFIX

SECRETARIES = PREFIX + "SECRETARIES"
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # far beyond any pass phrase; bounds the hashing work
USERNAME = re.compile(r"[a-z0-9][a-z0-9._@+-]{0,99}")

if TYPE_CHECKING:
    from argon2 import PasswordHasher


@functools.cache
def _hasher() -> PasswordHasher:
    """Made on first use: a command that never checks a password never loads argon2."""
    from argon2 import PasswordHasher

    return PasswordHasher()


@functools.cache
def _unknown() -> str:
    """Checked when the name is unknown, so a wrong name takes as long as a wrong password.

    Hashed at the first login, not at import: every command imports this module.
    """
    return _hasher().hash("ett lösenord som inget konto har")


class AccountError(BesoksrapportError):
    """An account name or password that cannot be used; the message is Swedish."""


def account_name(text: str) -> str:
    """The canonical form of an account name (lower case), or AccountError."""
    name = text.strip().lower()
    if not USERNAME.fullmatch(name):
        raise AccountError(
            f"”{text}” kan inte användas som kontonamn: använd 1–100 tecken, små bokstäver "
            "a–z, siffror och . _ @ + - (till exempel anna.lindqvist)")
    return name


def check_password(password: str) -> None:
    """Refuse a password too short or too long to be a sensible pass phrase."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"Lösenordet får ha högst {MAX_PASSWORD_LENGTH} tecken.")


def hash_password(password: str) -> str:
    """The Argon2id hash to store (it carries its own salt and parameters)."""
    check_password(password)
    return _hasher().hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` is the account's; an unknown account (None) never matches."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored_hash or _unknown(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def allowed_accounts(env: Mapping[str, str]) -> frozenset[str]:
    """The accounts in ``BESOKSRAPPORT_SECRETARIES`` (spaces or commas between), lower case.

    Each is a local account name or what the identity provider says in the configured claim
    (by default the e-mail address). Empty: the secretary's page is off.
    """
    raw = env.get(SECRETARIES) or ""
    return frozenset(part.strip().lower() for part in re.split(r"[\s,]+", raw) if part.strip())
