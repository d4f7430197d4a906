"""The timing helpers the benchmarks share (run them as `python bench/<name>.py`)."""

import statistics
import time


def times_s(fn, repeat, warmup=True):
    """Wall times of ``repeat`` calls of ``fn()`` in seconds (after one warm-up call)."""
    if warmup:
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def median_ms(fn, repeat=30, warmup=True):
    """Median wall time of ``fn()`` in milliseconds."""
    return statistics.median(times_s(fn, repeat, warmup)) * 1e3


def best_s(fn, repeat=5):
    """Shortest wall time of ``fn()`` in seconds."""
    return min(times_s(fn, repeat))
