"""Run every benchmark in turn and gate on their targets (``make bench``).

Each benchmark is its own script (bench_*.py) with its own targets, run in a separate
process so their memory figures do not mix, with arguments that keep the whole run to a few
minutes. Every figure is printed as a ratio to a baseline measured in the same run
(``bench/targets.py``); a script exits non-zero when it missed a target, and so does this
one, after printing every target line again in one summary.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent

# Shorter than each script's own default where that is long; the targets are the same.
ARGUMENTS = {
    "bench_bundle.py": ["--reports", "100"],
    "bench_render.py": ["--renders", "2000"],
    # The ceiling without the durable commit, so each run shows how the ack's gap splits.
    "bench_webhook.py": ["--breakdown"],
}


def main() -> int:
    failed, targets = [], []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {script.name} ===", flush=True)
        completed = subprocess.run([sys.executable, str(script),
                                    *ARGUMENTS.get(script.name, [])],
                                   check=False, stdout=subprocess.PIPE, text=True)
        print(completed.stdout, end="", flush=True)
        targets += [line for line in completed.stdout.splitlines() if line.startswith("TARGET")]
        if completed.returncode != 0:
            failed.append(script.name)
    print("\n=== every target ===")
    print("\n".join(targets))
    if failed:
        print(f"\nbenchmarks that failed or missed a target: {', '.join(failed)}")
    else:
        print("\nevery target met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
