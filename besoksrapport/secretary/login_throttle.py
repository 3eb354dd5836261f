"""Failed logins to the secretary's page, counted per account and per address.

Without a limit 40 wrong passwords in a row were all answered. After ``ACCOUNT_LIMIT``
failures for one account, or ``ADDRESS_LIMIT`` from one address, within ``WINDOW_SECONDS``,
further attempts are refused without checking the password until the window has passed.
The counts are in the database, so every worker process sees the same ones.
"""

from __future__ import annotations

import time

from besoksrapport.storage.protocol import Storage

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW_SECONDS = 15 * 60
MESSAGE = (f"För många misslyckade inloggningar. Vänta {WINDOW_SECONDS // 60} minuter och "
           "försök sedan igen.")


def _keys(account: str | None, address: str | None) -> dict[str, int]:
    keys = {}
    if account:
        keys["account:" + account] = ACCOUNT_LIMIT
    if address:
        keys["address:" + address] = ADDRESS_LIMIT
    return keys


def blocked(storage: Storage, account: str | None, address: str | None,
            now: float | None = None) -> bool:
    """True when this account or this address has failed too often lately."""
    limits = _keys(account, address)
    found = storage.login_failures(list(limits), now or time.time(), WINDOW_SECONDS)
    return any(found[key] >= limit for key, limit in limits.items())


def failed(storage: Storage, account: str | None, address: str | None,
           now: float | None = None) -> None:
    storage.count_login_failure(list(_keys(account, address)), now or time.time(),
                                WINDOW_SECONDS)


def succeeded(storage: Storage, account: str) -> None:
    """A right password clears the account's count (not the address's)."""
    storage.clear_login_failures("account:" + account)
