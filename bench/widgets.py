"""Time one update of each explorer: compute alone, and compute + redraw (DESIGN §6).

Budget: compute under 50 ms, compute and redraw under 250 ms. Drawing is timed
with the Agg backend (what the inline backend uses) and includes PNG encoding.
"""

import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from mathdl import datasets, plotting  # noqa: E402


def timed(fn, repeat=20):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


data = datasets.make_blobs(200, rng=0)


def redraw():
    fig = plotting.plot_neuron((1.2, -0.7), 0.4, "tanh", data=data)
    fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


compute = timed(lambda: plotting.neuron_surface((1.2, -0.7), 0.4, "tanh"))
full = timed(redraw)
print(f"NeuronExplorer: compute {compute:.1f} ms (budget 50), compute + redraw {full:.1f} ms (budget 250)")
