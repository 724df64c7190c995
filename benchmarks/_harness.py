"""Shared benchmark helpers: timing, a server on 127.0.0.1, and the result table.

Machines here are noisy, so every figure is reported beside a baseline measured in the same
run, as a ratio. Medians (and p99 where it matters), never means.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


@dataclass
class Sample:
    label: str
    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p99(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def measure(label: str, fn: Callable[[], object], n: int, warmup: int = 50) -> Sample:
    for _ in range(warmup):
        fn()
    gc.collect()
    out = []
    clock = time.perf_counter
    for _ in range(n):
        start = clock()
        fn()
        out.append(clock() - start)
    return Sample(label, out)


async def ameasure(
    label: str, fn: Callable[[], Awaitable[object]], n: int, warmup: int = 50
) -> Sample:
    for _ in range(warmup):
        await fn()
    gc.collect()
    out = []
    clock = time.perf_counter
    for _ in range(n):
        start = clock()
        await fn()
        out.append(clock() - start)
    return Sample(label, out)


@dataclass
class Table:
    title: str
    unit: str = "µs"
    rows: list[tuple[str, float, float | None, str]] = field(default_factory=list)

    def add(self, label: str, value: float, baseline: float | None = None, note: str = "") -> None:
        self.rows.append((label, value, baseline, note))

    def render(self) -> str:
        scale = {"µs": 1e6, "ms": 1e3, "s": 1.0}.get(self.unit, 1.0)
        width = max([len(r[0]) for r in self.rows] + [10])
        lines = [f"\n## {self.title}", ""]
        lines.append(f"| {'what':<{width}} | {'median ' + self.unit:>12} | {'ratio':>7} | note |")
        lines.append(f"|{'-' * (width + 2)}|{'-' * 14}|{'-' * 9}|------|")
        for label, value, baseline, note in self.rows:
            ratio = f"{value / baseline:.2f}×" if baseline else ""
            shown = value * scale if self.unit in ("µs", "ms", "s") else value
            lines.append(f"| {label:<{width}} | {shown:>12.1f} | {ratio:>7} | {note} |")
        return "\n".join(lines)
