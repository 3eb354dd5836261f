"""What a PostgreSQL failure means, in Swedish, for ``StorageUnavailable``.

Read from the error's SQLSTATE class (and the pool's timeout by name), so this module needs
no psycopg import of its own and never repeats the server's English message.
"""

from __future__ import annotations

# SQLSTATE classes (the first two characters) and what they mean to the reader.
_CLASSES = {
    "08": "databasservern går inte att nå eller stängde anslutningen",
    "28": "databasservern nekade inloggningen; kontrollera användare och lösenord i adressen",
    "3D": "databasen i adressen finns inte på databasservern",
    "40": "en samtidig ändring krockade; försök igen",
    "42": "databasens tabeller stämmer inte med programmets version",
    "53": "databasservern har slut på utrymme, minne eller anslutningar",
    "54": "databasserverns gräns överskreds",
    "57": "databasservern stängs eller startas om",
    "58": "databasservern har ett fel i sitt filsystem",
}


def postgres_reason(error: BaseException) -> str:
    """Why PostgreSQL failed, in words a reader of the log or the command line understands."""
    name = type(error).__name__
    if name == "PoolTimeout":
        return "databasservern går inte att nå, eller har ingen ledig anslutning i tid"
    if name == "PoolClosed":
        return "anslutningarna till databasservern är stängda"
    state = getattr(error, "sqlstate", None) or ""
    if state[:2] in _CLASSES:
        return _CLASSES[state[:2]]
    if name in ("OperationalError", "InterfaceError"):
        return _CLASSES["08"]
    return f"oväntat fel i databasen ({name})"
