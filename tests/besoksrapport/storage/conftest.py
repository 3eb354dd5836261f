"""The storage contract runs on both backends: every test that takes ``store`` runs once on
SQLite and once on a real PostgreSQL server (tests/support/postgres.py), except the tests
marked ``sqlite_only``, which look at SQLite's own file, locks or group commit."""

from __future__ import annotations

import pytest

BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("backend", BACKENDS[:1] if only_sqlite else BACKENDS)


@pytest.fixture
def store_url(backend, tmp_path, request):
    """Where the test's storage is: a file in tmp_path, or a new PostgreSQL database."""
    if backend == "sqlite":
        from besoksrapport.storage import sqlite_url

        return sqlite_url(tmp_path / "db.sqlite3")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def reopen(store_url):
    """Opens the test's storage once more, as another process (or host) would."""
    from besoksrapport.storage import open_storage

    opened = []

    def again():
        opened.append(open_storage(store_url))
        return opened[-1]

    yield again
    for storage in opened:
        storage.close()


@pytest.fixture
def store(reopen):
    return reopen()


@pytest.fixture
def recording_modules(backend):
    """The modules whose ``new_report_id`` draws the ids of this backend's reports."""
    from besoksrapport.storage.sqlite import recording

    if backend == "sqlite":
        return [recording]
    from besoksrapport.storage.postgres import recording as postgres_recording

    return [recording, postgres_recording]
