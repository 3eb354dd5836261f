"""``SqliteStorage``: the storage on one SQLite file (WAL, ``synchronous=FULL``), safe to share
between threads and processes; ``schema`` holds its migrations, ``database`` its connections.
"""

from besoksrapport.storage.sqlite.database import BUSY_TIMEOUT_MS
from besoksrapport.storage.sqlite.schema import MIGRATIONS
from besoksrapport.storage.sqlite.store import SqliteStorage

__all__ = ["BUSY_TIMEOUT_MS", "MIGRATIONS", "SqliteStorage"]
