"""Fixtures for the guideline-rules tests (the year of reports lives in year.py)."""

from __future__ import annotations

import pytest

from besoksrapport.committee import Committee
from besoksrapport.report import Report

from .year import by_label, committee, year


@pytest.fixture
def roster() -> Committee:
    return committee()


@pytest.fixture
def reports() -> list[Report]:
    return year()


@pytest.fixture
def labelled(reports) -> dict[str, Report]:
    return by_label(reports)
