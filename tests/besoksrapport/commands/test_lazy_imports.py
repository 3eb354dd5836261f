"""Commands import only what they use: building the parser and the commands' context loads
no chart library, spreadsheet writer, HTTP client or password hasher (issue 19).

How fast a command starts is measured in bench/bench_startup.py; this proves the cause.
Each check runs in a fresh interpreter: this test process has imported everything already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from besoksrapport.paths import EXAMPLE_CONFIG

HEAVY = ("matplotlib", "openpyxl", "numpy", "requests", "argon2", "icalendar")

@pytest.fixture
def command_env(tmp_path) -> dict[str, str]:
    """The environment of a secretary's command: a data folder and the example committee."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("BESOKSRAPPORT_")}
    return {**env, "BESOKSRAPPORT_DATA_DIR": str(tmp_path),
            "BESOKSRAPPORT_CONFIG": str(EXAMPLE_CONFIG)}


PROBE = """
import json, sys
from besoksrapport.cli.main import build_parser
from besoksrapport.runtime import command_context
build_parser()
command_context()
print(json.dumps(sorted(name for name in {heavy!r} if name in sys.modules)))
"""


def test_building_the_commands_and_their_context_loads_no_heavy_library(command_env):
    completed = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY)],
                               env=command_env, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == []


def test_the_heavy_libraries_still_load_when_a_command_needs_them(command_env):
    probe = ("import sys\n"
             "from besoksrapport.secretary.accounts import hash_password, password_matches\n"
             "stored = hash_password('ett långt lösenord')\n"
             "assert password_matches(stored, 'ett långt lösenord')\n"
             "assert not password_matches(None, 'ett långt lösenord')\n"
             "from docgen.followup import chart_png\n"
             "print('argon2' in sys.modules, 'matplotlib' in sys.modules)\n")
    completed = subprocess.run([sys.executable, "-c", probe], env=command_env,
                               capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["True", "True"]
