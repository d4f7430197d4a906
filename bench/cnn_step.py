"""One training step of the sources' Keras CNN (the Fashion-MNIST page), layer by layer.

Batch 64 of 28x28 float32 images through Conv 32@3x3 -> ReLU -> MaxPool 2 -> Conv 64@3x3
-> ReLU -> MaxPool 2 -> Flatten -> Dense 128 -> ReLU -> Dense 10, softmax cross-entropy and
an Adam step. Prints the median time of each layer's forward and backward and of the whole
step, and the time of an epoch of 54,000 images that follows from it; next to PyTorch's CPU
time for the same step when PyTorch happens to be installed (never a dependency).
"""

import platform
import statistics
import time

import numpy as np

from mathdl.activations import ReLU
from mathdl.conv import Conv2d, MaxPool2d
from mathdl.layers import Flatten, Linear, Sequential
from mathdl.losses import cross_entropy
from mathdl.optim import Adam

BATCH, REPEAT = 64, 40
opts = dict(init="xavier_uniform", dtype=np.float32)
model = Sequential(Conv2d(1, 32, 3, rng=0, **opts), ReLU(), MaxPool2d(2),
                   Conv2d(32, 64, 3, rng=1, **opts), ReLU(), MaxPool2d(2), Flatten(),
                   Linear(1600, 128, rng=2, **opts), ReLU(), Linear(128, 10, rng=3, **opts))
x = np.random.default_rng(0).random((BATCH, 1, 28, 28)).astype(np.float32)
y = np.arange(BATCH) % 10
optimizer = Adam()
forward = {i: [] for i in range(len(model.layers))}
backward = {i: [] for i in range(len(model.layers))}
steps = []
for r in range(REPEAT + 1):
    start = time.perf_counter()
    h = x
    for i, layer in enumerate(model.layers):
        t = time.perf_counter()
        h = layer.forward(h)
        forward[i].append(time.perf_counter() - t)
    _, g = cross_entropy(h, y)
    for i in reversed(range(len(model.layers))):
        t = time.perf_counter()
        g = model.layers[i].backward(g)
        backward[i].append(time.perf_counter() - t)
    optimizer.step(model.parameters(), model.gradients())
    steps.append(time.perf_counter() - start)


def ms(times):
    return statistics.median(times[1:]) * 1e3          # the first call warms up


print(f"numpy {np.__version__}, {platform.machine()}, batch {BATCH}, float32, median of {REPEAT}")
for i, layer in enumerate(model.layers):
    print(f"  {repr(layer)[:46]:46s} forward {ms(forward[i]):6.2f} ms  backward {ms(backward[i]):6.2f} ms")
step = ms(steps)
print(f"whole step (forward, loss, backward, Adam): {step:.1f} ms; "
      f"an epoch of 54,000 images ≈ {step * 54000 / BATCH / 1e3:.0f} s")

try:
    import torch
except ImportError:
    torch = None
if torch is None:
    print("(PyTorch is not installed: no comparison; it is never a dependency)")
else:
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                              torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                              torch.nn.Flatten(), torch.nn.Linear(1600, 128), torch.nn.ReLU(),
                              torch.nn.Linear(128, 10))
    opt = torch.optim.Adam(net.parameters())
    xt, yt = torch.tensor(x), torch.tensor(y)
    times = []
    for _ in range(REPEAT + 1):
        start = time.perf_counter()
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(xt), yt).backward()
        opt.step()
        times.append(time.perf_counter() - start)
    print(f"PyTorch {torch.__version__} CPU, same step: {ms(times):.1f} ms")
