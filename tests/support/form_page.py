"""The browser test page of the form: RJSF and JSON Forms from npm, bundled by esbuild.

``npm ci`` installs exactly the committed lock file's packages from the npm registry (never
a CDN) and esbuild bundles ``page.jsx`` (which uses the README's glue, ``glue.jsx``). Both
run once per lock file and sources: a stamp beside the bundle holds their hash, and a file
lock keeps parallel test processes from building at the same time.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PAGE_DIR = Path(__file__).resolve().parents[1] / "browser" / "form"
DIST = PAGE_DIR / "dist"
SOURCES = ("package.json", "package-lock.json", "page.jsx", "glue.jsx", "index.html")


def _hash() -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update((PAGE_DIR / name).read_bytes())
    return digest.hexdigest()


def built_page() -> Path:
    """The bundled page's folder, installing and building first if the sources changed."""
    for program in ("node", "npm"):
        if not shutil.which(program):
            if os.environ.get("CI") == "true":
                pytest.fail(f"{program} is required in CI")
            pytest.skip(f"{program} is not installed (Debian: nodejs, npm)")
    wanted = _hash()
    stamp = DIST / ".built-from"
    with open(PAGE_DIR / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.exists() and stamp.read_text() == wanted:
            return DIST
        run = functools.partial(subprocess.run, cwd=PAGE_DIR, check=True, timeout=600,
                                capture_output=True, text=True)
        lock_hash = hashlib.sha256((PAGE_DIR / "package-lock.json").read_bytes()).hexdigest()
        installed = PAGE_DIR / "node_modules" / ".installed-from"
        if not (installed.exists() and installed.read_text() == lock_hash):
            run(["npm", "ci", "--no-audit", "--no-fund"])
            installed.write_text(lock_hash)
        run(["npm", "run", "build"])
        stamp.write_text(wanted)
    return DIST


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """The folder over HTTP on 127.0.0.1; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass
