"""Fixtures for the real servers several test areas need (a pytest plugin, see tests/conftest.py).

The servers themselves are plain helpers in this folder, usable without pytest as well.
"""

from __future__ import annotations

import pytest
from smtpserver import running_inbox


@pytest.fixture
def inbox():
    """A real SMTP server on 127.0.0.1; yields (handler with .messages, port)."""
    with running_inbox() as (handler, port):
        yield handler, port
