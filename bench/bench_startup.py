"""How fast the secretary's commands start (issue 19; a benchmark, not a test).

``besoksrapport meetings`` and ``besoksrapport --help`` against the import floor of what
every command needs anyway, ``python -c "import flask, docx, jsonschema"``, each run as a
fresh process, interleaved round by round, medians compared. Target: both ≤ 1.5 × the floor.
The project's modules are compiled to bytecode first, as an installed wheel's are (with
PYTHONDONTWRITEBYTECODE set, an editable checkout would otherwise compile every module on
every start, which the libraries of the floor never do).

Run: .venv/bin/python bench/bench_startup.py [--rounds 9]
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.targets import check, exit_status  # noqa: E402
from besoksrapport.paths import EXAMPLE_CONFIG  # noqa: E402

COMMAND = str(Path(sys.executable).with_name("besoksrapport"))
RUNS = {
    "floor": [sys.executable, "-c", "import flask, docx, jsonschema"],
    "meetings": [COMMAND, "meetings"],
    "--help": [COMMAND, "--help"],
}


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    for package in ("besoksrapport", "docgen", "webhook"):
        compileall.compile_dir(ROOT / package, quiet=1)
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "BESOKSRAPPORT_DATA_DIR": data,
               "BESOKSRAPPORT_CONFIG": str(EXAMPLE_CONFIG)}
        for argv in RUNS.values():  # warm the file cache and the bytecode
            timed(argv, env)
        times: dict[str, list[float]] = {name: [] for name in RUNS}
        for _ in range(args.rounds):
            for name, argv in RUNS.items():
                times[name].append(timed(argv, env))
    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    for name, ms in medians.items():
        print(f"{name:<9} median {ms:6.0f} ms over {args.rounds} interleaved runs")
    for name in ("meetings", "--help"):
        check(f"besoksrapport {name} / import floor", medians[name] / medians["floor"], "<=",
              1.5, f"{medians[name]:.0f} ms against {medians['floor']:.0f} ms")
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
