"""Run every benchmark (``make bench``) or the named ones (``python -m benchmarks imports``).

Each ``benchmarks/bench_<name>.py`` has ``run() -> list[Table]``; results print as Markdown
tables with ratios against baselines measured in the same run.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    names = sorted(
        m.name[len("bench_") :]
        for m in pkgutil.iter_modules([str(here)])
        if m.name.startswith("bench_")
    )
    chosen = [n for n in names if not argv or n in argv]
    unknown = set(argv) - set(names)
    if unknown:
        print(f"unknown benchmark(s): {', '.join(sorted(unknown))}; known: {', '.join(names)}")
        return 2
    when = time.strftime("%Y-%m-%d %H:%M")
    print(f"# endpointr benchmarks ({when}, python {sys.version.split()[0]})")
    for name in chosen:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        for table in module.run():
            print(table.render(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
