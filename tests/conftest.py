"""Test-wide setup: one home for the helpers every test area shares.

tests/support/ holds the real servers (gunicorn, WebDAV, SMTP), LibreOffice, signed
deliveries and the example envelopes; it is put on sys.path here, so tests and the
benchmarks import those modules by name. ``servers`` and ``documents`` add the fixtures
several areas use.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "support"))

pytest_plugins = ["servers", "documents", "postgres"]
