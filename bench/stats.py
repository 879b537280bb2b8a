"""Pure arithmetic for the benchmark: percentiles, latency summaries and ours/baseline ratios.

No Rasa, no network: tests/test_bench.py runs these in milliseconds.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence


def percentile(values: Iterable[float], q: float) -> float:
    """The q-th percentile (0-100), interpolating between the two nearest ranks.

    The same definition as numpy's default ("linear"), so figures can be checked with numpy by hand.
    """
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be between 0 and 100, not {q}")
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarise_ms(seconds: Sequence[float]) -> dict[str, float | int | None]:
    """Latencies in seconds as a summary in milliseconds (n, mean, p50, p95, p99, max)."""
    if not seconds:
        return {"n": 0, "mean": None, "p50": None, "p95": None, "p99": None, "max": None}
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "mean": round(statistics.fmean(ms), 2),
        "p50": round(percentile(ms, 50), 2),
        "p95": round(percentile(ms, 95), 2),
        "p99": round(percentile(ms, 99), 2),
        "max": round(max(ms), 2),
    }


def ratio(ours: float | None, baseline: float | None) -> float | None:
    """ours / baseline, or None when either is missing or the baseline is zero."""
    if ours is None or baseline is None or baseline == 0:
        return None
    return ours / baseline


def median_by_position(runs: Sequence[Sequence[float | None]]) -> list[float | None]:
    """The median at each position over several runs of the same sequence (None where none was measured)."""
    length = max((len(run) for run in runs), default=0)
    medians: list[float | None] = []
    for i in range(length):
        values = [run[i] for run in runs if i < len(run) and run[i] is not None]
        medians.append(statistics.median(values) if values else None)
    return medians
