"""Fixtures for the report document tests (helpers live in documents.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from envelopes import example_envelope

from besoksrapport.committee import Committee

from .documents import MEETING, municipal_template_bytes


@pytest.fixture
def committee() -> Committee:
    return Committee(municipality="Exempelby kommun", name="Välfärd- och servicenämnden",
                     meetings=(MEETING, MEETING.replace(year=2027, month=1, day=28)))


@pytest.fixture
def maximal() -> dict:
    return example_envelope("maximal")


@pytest.fixture(scope="session")
def municipal_template_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("templates") / "exempelby.docx"
    path.write_bytes(municipal_template_bytes())
    return path
