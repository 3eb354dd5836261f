"""Shared fixtures for the webhook tests (helpers live in tests/support/webhook_helpers.py)."""

from __future__ import annotations

import pytest
from webhook_helpers import environment


@pytest.fixture
def app(tmp_path):
    from webhook import create_app

    app = create_app(environment(tmp_path / "data", BESOKSRAPPORT_RUN_WORKER="false"))
    app.config["TESTING"] = True
    yield app
    app.extensions["besoksrapport"].ctx.storage.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def storage(app):
    return app.extensions["besoksrapport"].ctx.storage
