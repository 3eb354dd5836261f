"""The benchmarks' one way to state a figure against its target (``make bench`` gates on it).

Every figure is a ratio to a baseline measured in the same run, interleaved where it can be
(the machine may be shared, so absolute times drift; ratios measured together do not).
``check`` prints the figure, its baseline, the ratio and the target, and remembers a miss;
``exit_status`` is what the script returns, so ``bench/run_all.py`` fails when any target
was missed.
"""

from __future__ import annotations

import operator

_missed: list[str] = []
_OPS = {"<=": operator.le, ">=": operator.ge}


def check(name: str, ratio: float, op: str, target: float, detail: str = "") -> bool:
    """Print ``name: ratio (op target) ok|MISSED  detail`` and remember a miss."""
    ok = _OPS[op](ratio, target)
    print(f"TARGET {name}: {ratio:.2f} (target {op} {target:g}) {'ok' if ok else 'MISSED'}"
          + (f"  [{detail}]" if detail else ""), flush=True)
    if not ok:
        _missed.append(name)
    return ok


def exit_status() -> int:
    if _missed:
        print(f"missed: {', '.join(_missed)}", flush=True)
    return 1 if _missed else 0
