"""Fixtures for the report document tests (helpers live in documents.py)."""

from __future__ import annotations

import pytest
from documents import MEETING
from envelopes import example_envelope

from besoksrapport.committee.model import Committee


@pytest.fixture
def committee() -> Committee:
    return Committee(municipality="Exempelby kommun", name="Välfärd- och servicenämnden",
                     meetings=(MEETING, MEETING.replace(year=2027, month=1, day=28)))


@pytest.fixture
def maximal() -> dict:
    return example_envelope("maximal")
