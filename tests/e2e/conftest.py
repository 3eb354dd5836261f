"""Fixtures for the end-to-end tests: real gunicorn servers, and a year delivered through one.

The WebDAV and SMTP servers (and the ``inbox`` fixture) are shared ones from tests/support/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gunicorn_server import GunicornServer
from webhook_helpers import environment

from .delivered_year import year

__all__ = ["year"]  # the fixture of the year delivered through a real gunicorn


@pytest.fixture
def start_server(tmp_path):
    """Start a gunicorn on a data folder and a config; every one is stopped afterwards."""
    running: list[GunicornServer] = []

    def start(data_dir: Path, config: Path, **extra: str) -> GunicornServer:
        env = environment(data_dir, BESOKSRAPPORT_CONFIG=str(config), **extra)
        server = GunicornServer(env, log_path=tmp_path / "gunicorn.log").start()
        server.data_dir = data_dir
        running.append(server)
        return server

    yield start
    for server in running:
        server.stop()
