"""A real PostgreSQL server for the tests: Debian's ``postgresql``, started in a temporary
folder on 127.0.0.1 and a free port, stopped at the end. Never a mock.

``initdb`` refuses to run as root, so as root (the test command in CI) the server runs as
``nobody`` through ``setpriv``; as anyone else it runs as that user. Without the programs a
test is skipped, except under CI=true, where it fails (scripts/ensure-system-deps installs
the package). ``running_postgres`` is usable without pytest (the benchmark starts one too).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from ports import HeldPort

SUPERUSER = "besoksrapport"


def postgres_bin() -> Path | None:
    """The folder of initdb and pg_ctl: Debian keeps them per version, off the PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def require_postgres() -> Path:
    """The folder of PostgreSQL's programs, or skip (fail in CI) naming what is missing."""
    found = postgres_bin()
    if found is None or not (found / "pg_ctl").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL (initdb, pg_ctl) is required in CI")
        pytest.skip("PostgreSQL is not installed (Debian: postgresql)")
    return found


def _as_server_user() -> tuple[list[str], int | None, int | None]:
    """The prefix that runs a program as the server's user, and that user's ids to chown to."""
    if os.geteuid() != 0:
        return [], None, None
    nobody = pwd.getpwnam("nobody")
    return (["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}",
             "--clear-groups"], nobody.pw_uid, nobody.pw_gid)


@contextlib.contextmanager
def running_postgres(bin_dir: Path, *, durable: bool = False) -> Iterator[str]:
    """A fresh PostgreSQL cluster; yields the URL of its ``postgres`` database.

    For tests the server skips fsync (a test never survives a power cut); ``durable`` keeps
    PostgreSQL's defaults, so a commit is on disk as SQLite's are (the benchmark)."""
    prefix, uid, gid = _as_server_user()
    with tempfile.TemporaryDirectory(prefix="besoksrapport-pg-") as tmp:
        root = Path(tmp)
        data, sockets = root / "data", root / "sockets"
        sockets.mkdir()
        if uid is not None:
            os.chown(root, uid, gid or 0)
            os.chown(sockets, uid, gid or 0)
        env = {**os.environ, "LC_ALL": "C.UTF-8"}
        subprocess.run([*prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER,
                        "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                       check=True, capture_output=True, env=env, timeout=120)
        # Held until the server is stopped: no other test's server is handed the port while
        # PostgreSQL starts (it binds with SO_REUSEADDR, so the hold does not stop it).
        held = HeldPort()
        port = held.port
        options = f"-h 127.0.0.1 -p {port} -k {sockets} -c max_connections=200"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options,
                        "-l", str(root / "server.log"), "-w", "-t", "60", "start"],
                       check=True, capture_output=True, env=env, timeout=90)
        try:
            yield f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                            "-w", "stop"], capture_output=True, env=env, timeout=60)
            held.release()


def fresh_database(server_url: str, *, swedish: bool = False) -> str:
    """A new, empty database on the server; its URL.

    ``swedish``: text compared and sorted by ICU's sv-SE collation, as a Swedish
    installation's server may be set up (the test cluster's own default is C, byte order).
    """
    import psycopg

    name = "t_" + uuid.uuid4().hex[:16]
    collation = (" LOCALE_PROVIDER icu ICU_LOCALE 'sv-SE' LOCALE 'C.UTF-8' "
                 "TEMPLATE template0") if swedish else ""
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}{collation}")
    return server_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def postgres_server():
    """One real PostgreSQL server for the test session (per xdist worker); its admin URL."""
    with running_postgres(require_postgres()) as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server):
    """The URL of a new, empty database on the session's server."""
    return fresh_database(postgres_server)


@pytest.fixture
def swedish_postgres_url(postgres_server):
    """The URL of a new, empty database whose text sorts by the sv-SE collation."""
    return fresh_database(postgres_server, swedish=True)
