"""Failed logins to the secretary's page, counted per account and per address.

Without a limit 40 wrong passwords in a row were all answered. After ``ACCOUNT_LIMIT``
failures for one account, or ``ADDRESS_LIMIT`` from one address, within ``WINDOW_SECONDS``,
further attempts are refused without checking the password until the window has passed.
The counts are in the database, so every worker process sees the same ones.

Each attempt is counted *before* its password is checked, and a right password takes it
back. Checked first and counted after, a burst of concurrent attempts all passed the check
before any was counted: 20 at once were all tried against an account limited to 5.
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


def admitted(storage: Storage, account: str | None, address: str | None,
             now: float | None = None) -> bool:
    """Count this attempt against the account and the address; False when either has
    gone past its limit lately, and the password must not be checked."""
    limits = _keys(account, address)
    counts = storage.count_login_attempt(list(limits), now or time.time(), WINDOW_SECONDS)
    return all(counts[key] <= limit for key, limit in limits.items())


def succeeded(storage: Storage, account: str, address: str | None) -> None:
    """A right password clears the account's count and takes this attempt back from the
    address's, so colleagues behind one address are not locked out by logging in."""
    storage.clear_login_attempts("account:" + account)
    if address:
        storage.uncount_login_attempt("address:" + address)
