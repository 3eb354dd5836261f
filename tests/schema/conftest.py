"""Shared fixtures for the form's schemas, examples and validation."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from besoksrapport.paths import EXAMPLES_DIR


def read_example(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def envelope() -> Callable[..., dict[str, Any]]:
    """A fresh copy of a valid example (default minimal.json), with answers overridden."""

    def make(name: str = "minimal", **answers: Any) -> dict[str, Any]:
        doc = copy.deepcopy(read_example(EXAMPLES_DIR / "valid" / f"{name}.json"))
        doc["data"]["answers"].update(answers)
        return doc

    return make
