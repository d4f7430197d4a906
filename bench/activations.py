"""Time mathdl's activations and derivatives on 10^6 float64 values (median of repeats)."""

import platform
import timeit

import numpy as np

from mathdl import activations as act

x = np.random.default_rng(0).standard_normal(1_000_000) * 5
print(f"numpy {np.__version__}, {platform.processor() or platform.machine()}, n = {x.size:,}")
for name in ["sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative", "relu", "relu_derivative"]:
    f = getattr(act, name)
    times = timeit.repeat(lambda: f(x), number=5, repeat=5)
    per_call = min(times) / 5
    print(f"{name:20s} {per_call * 1e3:7.2f} ms per call   {x.size / per_call / 1e6:7.1f} M values/s")
naive = timeit.repeat(lambda: (lambda s: s * (1 - s))(act.sigmoid(x)), number=5, repeat=5)
print(f"{'σ(1-σ) (textbook)':20s} {min(naive) / 5 * 1e3:7.2f} ms per call   (for comparison)")
