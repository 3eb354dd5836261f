"""Fixtures for the secretary's page: helpers live in tests/support/secretary_page.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from secretary_page import Office, Secretary, make_office


@pytest.fixture
def office(tmp_path) -> Iterator[Office]:
    yield from make_office(tmp_path)


@pytest.fixture
def secretary(office) -> Secretary:
    """Logged in as an allowed local account."""
    browser = Secretary(office.app.test_client())
    answer = browser.login()
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return browser


@pytest.fixture
def visitor(office) -> Secretary:
    """Not logged in."""
    return Secretary(office.app.test_client())
