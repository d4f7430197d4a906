"""Time one update of each explorer: compute alone, and compute + redraw (DESIGN §6).

Budget: compute under 50 ms, compute and redraw under 250 ms. Drawing is timed
with the Agg backend (what the inline backend uses) and includes PNG encoding.
"""

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from mathdl import datasets, plotting  # noqa: E402
from timing import median_ms  # noqa: E402


def timed(fn, repeat=20):
    return median_ms(fn, repeat, warmup=False)


data = datasets.make_blobs(200, rng=0)


def redraw():
    fig = plotting.plot_neuron((1.2, -0.7), 0.4, "tanh", data=data)
    fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


compute = timed(lambda: plotting.neuron_surface((1.2, -0.7), 0.4, "tanh"))
full = timed(redraw)
print(f"NeuronExplorer: compute {compute:.1f} ms (budget 50), compute + redraw {full:.1f} ms (budget 250)")

from mathdl.widgets import plot_playground, train_playground  # noqa: E402


def playground_redraw():
    model, losses, data = train_playground(width=8, depth=1, activation="tanh", lr=0.3, data="xor")
    fig = plot_playground(model, losses, data)
    fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


compute = timed(lambda: train_playground(width=8, depth=1, activation="tanh", lr=0.3, data="xor"),
                repeat=10)
full = timed(playground_redraw, repeat=10)
print(f"MLPPlayground (200 training steps): compute {compute:.1f} ms (budget 50), "
      f"compute + redraw {full:.1f} ms (budget 250)")

import numpy as np  # noqa: E402

from mathdl.widgets import ConvExplorer  # noqa: E402

image = np.random.default_rng(0).random((28, 28))
explorer = ConvExplorer(image)


def conv_redraw():
    fig = explorer.draw()
    fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


compute = timed(lambda: plotting.feature_map(image, "vertical edges (Sobel)", relu_after=True, pool=2))
full = timed(conv_redraw)
print(f"ConvExplorer (28×28 image): compute {compute:.1f} ms (budget 50), "
      f"compute + redraw {full:.1f} ms (budget 250)")

from mathdl.rnn import gradient_through_time  # noqa: E402
from mathdl.widgets import GradientFlowExplorer, LossExplorer  # noqa: E402


def redraw_of(explorer):
    def run():
        fig = explorer.draw()
        fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
    return run


flow = GradientFlowExplorer(radius=1.5, steps=150)          # the longest sequence it offers
compute = timed(lambda: (gradient_through_time(1.5, 150), gradient_through_time(1.0, 150)), repeat=10)
full = timed(redraw_of(flow), repeat=10)
print(f"GradientFlowExplorer (T = 150, two radii): compute {compute:.1f} ms (budget 50), "
      f"compute + redraw {full:.1f} ms (budget 250)")

losses_explorer = LossExplorer()
compute = timed(lambda: [plotting.margin_loss(name, np.linspace(-3, 3, 241))
                         for name in plotting.MARGIN_LOSSES], repeat=10)
full = timed(redraw_of(losses_explorer), repeat=10)
print(f"LossExplorer (four losses on 241 margins): compute {compute:.1f} ms (budget 50), "
      f"compute + redraw {full:.1f} ms (budget 250)")

from mathdl.widgets import OptimizerExplorer  # noqa: E402

explorer = OptimizerExplorer()                                  # its default: GD and Momentum, 100 steps
compute = timed(explorer.paths, repeat=10)
full = timed(redraw_of(explorer), repeat=5)
print(f"OptimizerExplorer (default: 2 optimizers, 100 steps): compute {compute:.1f} ms (budget 50), "
      f"compute + redraw {full:.1f} ms (budget 250)")
heavy = OptimizerExplorer(optimizers=("GD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam"),
                          steps=500)
compute = timed(heavy.paths, repeat=5)
full = timed(redraw_of(heavy), repeat=3)
print(f"OptimizerExplorer (6 first-order optimizers, 500 steps): compute {compute:.1f} ms (budget 50), "
      f"compute + redraw {full:.1f} ms (budget 250)")

from mathdl.widgets import OverfittingExplorer  # noqa: E402

ofit = OverfittingExplorer(n=100)                               # the largest n it offers
compute = timed(lambda: plotting.overfitting_errors(100), repeat=10)
full = timed(redraw_of(ofit), repeat=5)
print(f"OverfittingExplorer (n = 100, 13 degrees): compute {compute:.1f} ms (budget 50), "
      f"compute + redraw {full:.1f} ms (budget 250)")
