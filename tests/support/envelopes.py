"""The bundled example envelopes (schemas/examples/valid/) as the tests' starting point."""

from __future__ import annotations

import json
from pathlib import Path

from besoksrapport.paths import EXAMPLES_DIR


def example_path(name: str = "minimal") -> Path:
    """The file of the valid example ``name`` (minimal, maximal, …)."""
    return EXAMPLES_DIR / "valid" / f"{name}.json"


def example_envelope(name: str = "minimal") -> dict:
    """A fresh copy of the valid example ``name``, free for the caller to change."""
    return json.loads(example_path(name).read_text(encoding="utf-8"))
