"""Test-wide setup: the end-to-end helpers (a real gunicorn, signed deliveries) are shared.

They live in tests/webhook/ (gunicorn_server.py, webhook_helpers.py); every test area and the
benchmarks import them from there.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "webhook"))
