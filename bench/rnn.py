"""RNN forward + full BPTT backward: batch 32, T = 50, D = 64, H = 128 (the RNN issue's size).

Prints the median time per call in float64 and float32, the truncated-BPTT cost for a few
windows k, and PyTorch's CPU nn.RNN (tanh, batch_first) for the same step when PyTorch
happens to be installed (never a dependency).
"""

import platform

import numpy as np
import timing

from mathdl.rnn import RNN

N, T, D, H, REPEAT = 32, 50, 64, 128, 30


def median_ms(fn):
    return timing.median_ms(fn, REPEAT)


print(f"numpy {np.__version__}, {platform.machine()}, N={N} T={T} D={D} H={H}, median of {REPEAT}")
try:
    import torch
except ImportError:
    torch = None
for dtype in (np.float64, np.float32):
    layer = RNN(D, H, rng=0, dtype=dtype)
    x = np.random.default_rng(1).standard_normal((N, T, D)).astype(dtype)
    g = np.ones((N, T, H), dtype=dtype)
    forward = median_ms(lambda: layer.forward(x))

    def step(k=None):
        layer.forward(x)
        layer.backward(g, k=k)

    line = f"{np.dtype(dtype).name}: forward {forward:.2f} ms, forward + full BPTT {median_ms(step):.2f} ms"
    line += "; truncated " + ", ".join(f"k={k} {median_ms(lambda: step(k)):.2f} ms" for k in (5, 20))
    if torch is not None:
        torch_dtype = getattr(torch, np.dtype(dtype).name)
        rnn = torch.nn.RNN(D, H, batch_first=True).to(torch_dtype)
        xt = torch.tensor(x, requires_grad=True)

        def torch_step():
            out, _ = rnn(xt)
            out.sum().backward()

        line += f"; PyTorch {torch.__version__} CPU nn.RNN forward + backward {median_ms(torch_step):.2f} ms"
    print(line)
if torch is None:
    print("(PyTorch is not installed: no comparison; it is never a dependency)")
