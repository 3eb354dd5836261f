"""Fixtures for the end-to-end tests: real gunicorn servers, a WebDAV server and an inbox.

The WebDAV (wsgidav on cheroot) and SMTP (aiosmtpd) servers are the filing tests' own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from gunicorn_server import GunicornServer
from webhook_helpers import environment

from ..filing.davserver import free_port
from ..filing.smtpserver import Inbox


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


@pytest.fixture
def inbox():
    """A real SMTP server on 127.0.0.1; yields (handler with .messages, port)."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()
