"""A database the commands cannot use ends in one line and exit status 3, not a traceback."""

from __future__ import annotations

import sqlite3

import pytest

from besoksrapport.cli.main import STORAGE_UNAVAILABLE, build_parser

from .conftest import run


@pytest.mark.parametrize("argv", [("outbox",), ("meetings",), ("quarantine",),
                                  ("move", "BR-2026-XXXXXX", "--to", "2030-01-01"),
                                  ("compensation", "--from", "2026-01-01", "--to", "2026-12-31",
                                   "-o", "out"),
                                  ("follow-up", "--from", "2026-01-01", "--to", "2026-12-31",
                                   "-o", "out")])
def test_an_unreadable_database_is_one_line_and_status_3(desk, capsys, argv):
    desk.ctx.storage.close()
    desk.ctx.settings.database_path.write_bytes(b"this is not a database" * 100)
    code, out, err = run(capsys, *argv)
    assert (code, out) == (STORAGE_UNAVAILABLE, "")
    database = desk.ctx.settings.database_path
    assert err == f"besoksrapport: databasen går inte att använda: {database}: " \
                  "filen är ingen SQLite-databas (SQLITE_NOTADB)\n"


def test_a_database_locked_by_another_program_is_one_line_and_status_3(desk, capsys):
    # Another program holds the write lock for longer than the busy timeout (5 s).
    blocker = sqlite3.connect(desk.ctx.settings.database_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        code, out, err = run(capsys, "outbox")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert (code, out) == (STORAGE_UNAVAILABLE, "")
    database = desk.ctx.settings.database_path
    assert err == f"besoksrapport: databasen går inte att använda: {database}: " \
                  "databasen är låst av ett annat program (SQLITE_BUSY)\n"


def test_the_help_lists_the_exit_statuses():
    words = " ".join(build_parser().format_help().split())  # however argparse wraps it
    assert "3 databasen går inte att använda (låst, oläslig eller utom räckhåll)" in words
