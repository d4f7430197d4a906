"""Conv2d forward + backward on the two convolution layers of the sources' Keras CNN.

Batch 64: conv1 is 1 -> 32 channels, 3x3, on 28x28 images; conv2 is 32 -> 64 channels,
3x3, on the 13x13 maps after the first pooling. Prints time per call and the GFLOP/s
achieved, next to numpy's own matrix-product rate on this machine (the ceiling for an
im2col convolution) and next to PyTorch's CPU time if PyTorch happens to be installed.
"""

import platform

import numpy as np
import timing

from mathdl.conv import Conv2d

LAYERS = {"conv1 (1->32, 28x28)": (1, 32, 28), "conv2 (32->64, 13x13)": (32, 64, 13)}
BATCH = 64


best = timing.best_s


def flops(c_in, c_out, size):
    out = size - 2
    forward = 2 * BATCH * c_out * out * out * c_in * 9
    return 3 * forward               # forward, and the two products of the backward


try:
    import torch
except ImportError:
    torch = None

print(f"numpy {np.__version__}, {platform.machine()}, batch {BATCH}")
for dtype in (np.float32, np.float64):
    a = np.random.default_rng(0).standard_normal((2048, 2048)).astype(dtype)
    gemm = 2 * 2048**3 / best(lambda: a @ a) / 1e9
    print(f"\n{np.dtype(dtype).name}: numpy matrix product {gemm:.1f} GFLOP/s")
    for name, (c_in, c_out, size) in LAYERS.items():
        layer = Conv2d(c_in, c_out, 3, rng=0, dtype=dtype)
        x = np.random.default_rng(1).standard_normal((BATCH, c_in, size, size)).astype(dtype)
        g = np.ones((BATCH, c_out, size - 2, size - 2), dtype=dtype)

        def step():
            layer.forward(x)
            layer.backward(g)

        t = best(step)
        line = f"  {name}: {t * 1e3:7.1f} ms forward+backward, {flops(c_in, c_out, size) / t / 1e9:5.1f} GFLOP/s"
        if torch is not None:
            conv = torch.nn.Conv2d(c_in, c_out, 3).to(getattr(torch, np.dtype(dtype).name))
            xt = torch.tensor(x, requires_grad=True)

            def torch_step():
                conv(xt).sum().backward()

            line += f"; PyTorch {best(torch_step) * 1e3:.1f} ms"
        print(line)
if torch is None:
    print("\n(PyTorch is not installed: no comparison; it is never a dependency)")
