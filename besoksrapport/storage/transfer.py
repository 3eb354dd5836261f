"""Moving an installation's database from one backend to another, and proving nothing was lost.

Every table the source has is copied, in an order its foreign keys allow (a report that
names another as its joint visit gets that name once both are in), in one transaction on
the target, with the row ids as they were. Then both sides are read again and compared
table by table: the number of rows and a SHA-256 over every row in key order. The columns
have the same types on both backends (times as text, job times as seconds), so equal data
gives equal checksums. A target that holds any data is refused: nothing is merged.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from besoksrapport.storage.protocol import Storage

# SQLite's and PostgreSQL's own tables, never copied.
INTERNAL = {"schema_version", "sqlite_sequence", "filed_files"}


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]  # the order rows are compared in
    references: tuple[tuple[str, str], ...]  # (column, table it points to)


@dataclass(frozen=True)
class TableCheck:
    name: str
    source_rows: int
    target_rows: int
    source_sum: str
    target_sum: str

    @property
    def equal(self) -> bool:
        return (self.source_rows, self.source_sum) == (self.target_rows, self.target_sum)


def _is_postgres(storage: Storage) -> bool:
    return type(storage).__module__.startswith("besoksrapport.storage.postgres")


def tables(storage: Storage) -> list[Table]:
    """The storage's tables, each after the tables its foreign keys point to."""
    read = storage._read  # type: ignore[attr-defined]
    found: dict[str, Table] = {}
    if _is_postgres(storage):
        names = [row["table_name"] for row in read(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")]
        for name in names:
            columns = tuple(row["column_name"] for row in read(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "AND table_schema = current_schema() ORDER BY ordinal_position", (name,)))
            key = tuple(row["column_name"] for row in read(
                "SELECT a.attname AS column_name FROM pg_index i JOIN pg_attribute a "
                "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                "WHERE i.indrelid = ?::regclass AND i.indisprimary ORDER BY a.attnum",
                (name,)))
            references = tuple((row["column_name"], row["target"]) for row in read(
                "SELECT kcu.column_name, ccu.table_name AS target "
                "FROM information_schema.table_constraints tc "
                "JOIN information_schema.key_column_usage kcu USING (constraint_name) "
                "JOIN information_schema.constraint_column_usage ccu USING (constraint_name) "
                "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = ?", (name,)))
            found[name] = Table(name, columns, key or columns, references)
    else:
        names = [row["name"] for row in read(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for name in names:
            info = read(f"PRAGMA table_info({_quoted(name)})")
            columns = tuple(row["name"] for row in info)
            key = tuple(row["name"] for row in sorted(info, key=lambda r: r["pk"]) if row["pk"])
            references = tuple((row["from"], row["table"]) for row in read(
                f"PRAGMA foreign_key_list({_quoted(name)})"))
            found[name] = Table(name, columns, key or columns, references)
    ordered: list[Table] = []
    while len(ordered) < len(found):
        for table in sorted(found.values(), key=lambda t: t.name):
            if table in ordered:
                continue
            needs = {target for _, target in table.references if target != table.name}
            if needs <= {t.name for t in ordered} | (needs - set(found)):
                ordered.append(table)
    return [table for table in ordered if table.name not in INTERNAL]


def _quoted(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unexpected table name {name!r}")
    return f'"{name}"'


def _rows(storage: Storage, table: Table) -> list[Any]:
    columns = ", ".join(_quoted(c) for c in table.columns)
    order = ", ".join(_quoted(c) for c in table.key)
    return storage._read(  # type: ignore[attr-defined]
        f"SELECT {columns} FROM {_quoted(table.name)} ORDER BY {order}")  # noqa: S608


def _canonical(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"bytes": bytes(value).hex()}
    return value


def checksum(storage: Storage, table: Table) -> tuple[int, str]:
    """The number of rows and a SHA-256 over every row, the rows in byte order of their text.

    Sorted here, not by the database: PostgreSQL orders text by its collation (sv-SE puts
    «Z» before «å» and «a» before «B»), SQLite by bytes, so the same rows came in another
    order and an identical copy was reported as different.
    """
    digest = hashlib.sha256()
    rows = _rows(storage, table)
    lines = sorted(json.dumps([_canonical(row[column]) for column in table.columns],
                              ensure_ascii=False, sort_keys=True).encode() for row in rows)
    for line in lines:
        digest.update(line)
        digest.update(b"\n")
    return len(rows), digest.hexdigest()


def is_empty(storage: Storage) -> bool:
    return all(not _rows(storage, table) for table in tables(storage))


def copy_all(source: Storage, target: Storage) -> Iterator[tuple[Table, int]]:
    """Copy every table of ``source`` that ``target`` also has, in one transaction; yields
    each table with the number of rows copied, once all is committed."""
    target_tables = {table.name: table for table in tables(target)}
    copied: list[tuple[Table, int]] = []
    with target._write() as conn:  # type: ignore[attr-defined]
        for table in tables(source):
            if table.name not in target_tables:
                continue
            columns = [c for c in table.columns if c in target_tables[table.name].columns]
            rows = _rows(source, table)
            later = [c for c, target_table in table.references if target_table == table.name]
            values = [[None if c in later else row[c] for c in columns] for row in rows]
            marks = ", ".join("?" * len(columns))
            names = ", ".join(_quoted(c) for c in columns)
            if values:
                conn.executemany(f"INSERT INTO {_quoted(table.name)} ({names}) "  # noqa: S608
                                 f"VALUES ({marks})", values)
            for column in later:  # a row pointing at another of its table, now both are in
                key = table.key
                conn.executemany(
                    f"UPDATE {_quoted(table.name)} SET {_quoted(column)} = ? "  # noqa: S608
                    f"WHERE " + " AND ".join(f"{_quoted(k)} = ?" for k in key),
                    [[row[column], *(row[k] for k in key)] for row in rows
                     if row[column] is not None])
            if _is_postgres(target) and "id" in columns and rows:
                conn.execute("SELECT setval(pg_get_serial_sequence(?, 'id'), "  # noqa: S608
                             f"(SELECT max(id) FROM {_quoted(table.name)}))", (table.name,))
            copied.append((table, len(rows)))
    yield from copied


def compare(source: Storage, target: Storage) -> list[TableCheck]:
    """Each of the source's tables counted and summed on both sides."""
    target_tables = {table.name for table in tables(target)}
    checks = []
    for table in tables(source):
        source_rows, source_sum = checksum(source, table)
        if table.name in target_tables:
            target_rows, target_sum = checksum(target, table)
        else:
            target_rows, target_sum = 0, "saknas"
        checks.append(TableCheck(table.name, source_rows, target_rows, source_sum, target_sum))
    return checks
