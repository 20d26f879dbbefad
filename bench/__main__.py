"""Runs every benchmark module bench/bench_*.py that exposes main(), in name order.

`python -m bench` runs them all; `python -m bench import` only those whose name contains "import".
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    wanted = argv[1:]
    folder = Path(__file__).resolve().parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(folder)]) if m.name.startswith("bench_"))
    failed = 0
    for name in names:
        if wanted and not any(w in name for w in wanted):
            continue
        module = importlib.import_module(f"bench.{name}")
        run = getattr(module, "main", None)
        if not callable(run):
            continue
        print(f"== {name}", flush=True)
        try:
            result = run()
        except Exception as error:  # one broken benchmark must not hide the others' results
            print(f"{name} failed: {type(error).__name__}: {error}", flush=True)
            failed += 1
            continue
        if isinstance(result, int) and result != 0:
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
