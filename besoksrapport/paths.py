"""The project's own data files, shipped inside the package and read with importlib.resources.

They live in ``besoksrapport/data/`` (the top-level ``schemas`` and ``examples`` of the
checkout are symlinks into it), so a checkout, an editable install and an installed wheel
find them the same way, whatever the current directory.
"""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

DATA = files(__package__) / "data"
SCHEMAS = DATA / "schemas"

# Resources handed out as real paths stay in place until the process ends (for an installed
# wheel they are the package's own files; only a zipped package would need copies).
_as_files = ExitStack()
atexit.register(_as_files.close)


def real_path(resource: Traversable) -> Path:
    """A filesystem path for a packaged file or folder, valid for the life of the process."""
    return _as_files.enter_context(as_file(resource))


def schema_text(name: str) -> str:
    """The text of one of our JSON Schemas (or the form's UI schema) by file name."""
    return (SCHEMAS / name).read_text(encoding="utf-8")


def schema_file(name: str) -> Path:
    """One of our schemas as a file, for programs that read files (check-jsonschema)."""
    return real_path(SCHEMAS / name)


# The example envelopes (valid/, invalid/ and the manifest of expected issues).
EXAMPLES_DIR = real_path(SCHEMAS / "examples")
# The example committee as a real file: its `meetings.ics` would be read beside it.
EXAMPLE_CONFIG = real_path(DATA / "examples" / "committee.toml")
