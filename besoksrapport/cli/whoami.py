"""Who did it, for what the commands record (a withdrawal, a review): the account running
the command, as the page records the logged-in secretary."""

from __future__ import annotations

import getpass


def command_user() -> str:
    try:
        name = getpass.getuser()
    except (OSError, KeyError):
        name = "okänd användare"
    return f"{name} (kommandoraden)"
