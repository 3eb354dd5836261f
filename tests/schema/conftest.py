"""Shared fixtures for the form's schemas, examples and validation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from envelopes import example_envelope


@pytest.fixture
def envelope() -> Callable[..., dict[str, Any]]:
    """A fresh copy of a valid example (default minimal.json), with answers overridden."""

    def make(name: str = "minimal", **answers: Any) -> dict[str, Any]:
        doc = example_envelope(name)
        doc["data"]["answers"].update(answers)
        return doc

    return make
