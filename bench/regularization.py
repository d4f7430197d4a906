"""Dropout and BatchNorm1d, forward + backward on a (256, 1024) batch (an MLP hidden layer).

Prints the median time per call in float64 and float32 and, when PyTorch happens to be
installed (never a dependency), the same forward + backward with torch.nn.Dropout and
torch.nn.BatchNorm1d on the CPU.
"""

import platform

import numpy as np
import timing

from mathdl.regularization import BatchNorm1d, Dropout

N, C, REPEAT = 256, 1024, 50


def median_ms(fn):
    return timing.median_ms(fn, REPEAT)


print(f"numpy {np.__version__}, {platform.machine()}, x of shape ({N}, {C}), median of {REPEAT}")
try:
    import torch
except ImportError:
    torch = None
for dtype in (np.float64, np.float32):
    x = np.random.default_rng(1).standard_normal((N, C)).astype(dtype)
    g = np.ones((N, C), dtype=dtype)
    results = []
    for name, layer in (("Dropout(0.5)", Dropout(0.5, rng=0)), ("BatchNorm1d", BatchNorm1d(C, dtype=dtype))):
        fwd = median_ms(lambda: layer.forward(x))
        both = median_ms(lambda: (layer.forward(x), layer.backward(g)))
        line = f"{np.dtype(dtype).name} {name}: forward {fwd:.2f} ms, forward + backward {both:.2f} ms"
        if torch is not None:
            torch.set_num_threads(2)
            tdtype = torch.float64 if dtype == np.float64 else torch.float32
            tlayer = torch.nn.Dropout(0.5) if name.startswith("Dropout") else torch.nn.BatchNorm1d(C).to(tdtype)
            tx = torch.tensor(x, requires_grad=True)
            tg = torch.tensor(g)

            def torch_step():
                tx.grad = None
                tlayer(tx).backward(tg)

            line += f"; PyTorch {torch.__version__} forward + backward {median_ms(torch_step):.2f} ms"
        print(line)
