"""Where the project's own files live: the schemas are read from the source tree."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schemas"
EXAMPLES_DIR = SCHEMA_DIR / "examples"
EXAMPLE_CONFIG = ROOT / "examples" / "committee.toml"
