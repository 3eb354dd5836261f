"""``PostgresStorage``: the storage on a PostgreSQL server, for several hosts on one database.

Loaded only when ``BESOKSRAPPORT_DATABASE_URL`` is ``postgresql://…`` (psycopg 3 and its
pool are the optional ``postgresql`` extra). ``schema`` runs SQLite's migrations in
PostgreSQL's dialect, ``database`` holds the pool and the advisory locks.
"""

from besoksrapport.storage.postgres.store import PostgresStorage

__all__ = ["PostgresStorage"]
