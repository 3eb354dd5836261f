"""Fixtures for the domain's tests: example envelopes, and a year of reports with its roster.

The year of reports and its hand counts live in tests/support/year.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from envelopes import example_envelope
from meeting_reports import committee
from webhook_helpers import environment
from year import by_label, year
from year import committee as year_committee

from besoksrapport.committee.model import Committee
from besoksrapport.report import Report
from besoksrapport.runtime import build_context
from besoksrapport.settings import load_settings

__all__ = ["committee"]  # a meeting's committee (tests/support/meeting_reports.py)


@pytest.fixture
def envelope() -> Callable[..., dict[str, Any]]:
    """A fresh copy of a valid example (default minimal.json), with answers overridden."""

    def make(name: str = "minimal", **answers: Any) -> dict[str, Any]:
        doc = example_envelope(name)
        doc["data"]["answers"].update(answers)
        return doc

    return make


@pytest.fixture
def ctx(tmp_path):
    """The context the commands and the outbox build, on a fresh data folder."""
    context = build_context(load_settings(environment(tmp_path / "data")))
    yield context
    context.storage.close()


@pytest.fixture
def roster() -> Committee:
    return year_committee()


@pytest.fixture
def reports() -> list[Report]:
    return year()


@pytest.fixture
def labelled(reports) -> dict[str, Report]:
    return by_label(reports)
