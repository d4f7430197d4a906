"""RNN: full and truncated BPTT against finite differences and an unrolled oracle; clipping."""

import numpy as np
import pytest

from mathdl.gradcheck import check_layer, numeric_gradient, rel_error
from mathdl.rnn import RNN, clip_grad_norm, grad_norm

RNG = np.random.default_rng(0)


def unrolled_truncated_grads(layer, x, h0, grad_h, k):
    """Oracle for truncated BPTT: for every source step s, a plain backward
    recursion from h_s that stops after k recurrent steps; contributions summed."""
    h = layer.forward(x, h0)
    n, steps, hidden = h.shape
    W_xh, W_hh = layer.params["W_xh"], layer.params["W_hh"]
    h_prev = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
    grads = {key: np.zeros_like(p) for key, p in layer.params.items()}
    dx, dh0 = np.zeros_like(x), np.zeros_like(h0)
    for s in range(steps):
        dh = grad_h[:, s]
        for t in range(s, max(s - k, 0) - 1, -1):       # a_s … a_{max(s-k, 0)}
            da = dh * (1 - h[:, t] ** 2)
            grads["W_xh"] += da.T @ x[:, t]
            grads["W_hh"] += da.T @ h_prev[:, t]
            grads["b"] += da.sum(axis=0)
            dx[:, t] += da @ W_xh
            dh = da @ W_hh
            if t == 0 and s - t < k:                      # one more step reaches h_0
                dh0 += dh
    return grads, dx, dh0


@pytest.mark.parametrize("n, steps, d, hidden", [(2, 1, 3, 4), (3, 5, 2, 3), (1, 7, 4, 5)])
def test_full_bptt_passes_the_gradient_check(n, steps, d, hidden):
    layer = RNN(d, hidden, rng=1)
    errors = check_layer(layer, RNG.standard_normal((n, steps, d)), rng=2)
    assert max(errors.values()) < 1e-7


def test_grad_h0_matches_finite_differences():
    layer = RNN(3, 4, rng=3)
    x, h0 = RNG.standard_normal((2, 6, 3)), RNG.standard_normal((2, 4))
    G = RNG.standard_normal((2, 6, 4))
    y0 = layer.forward(x, h0).copy()
    layer.backward(G)
    numeric = numeric_gradient(lambda h: np.sum(G * (layer.forward(x, h) - y0)), h0)
    assert rel_error(layer.grad_h0, numeric) < 1e-7


@pytest.mark.parametrize("k", [0, 1, 2, 4])
def test_truncated_bptt_matches_the_unrolled_oracle(k):
    layer = RNN(3, 4, rng=4)
    x, h0 = RNG.standard_normal((2, 6, 3)), RNG.standard_normal((2, 4))
    G = RNG.standard_normal((2, 6, 4))
    layer.forward(x, h0)
    dx = layer.backward(G, k=k)
    grads, dx_oracle, dh0_oracle = unrolled_truncated_grads(layer, x, h0, G, k)
    for key in grads:
        np.testing.assert_allclose(layer.grads[key], grads[key], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dx, dx_oracle, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer.grad_h0, dh0_oracle, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("k", [6, 7, 100])
def test_truncated_bptt_equals_full_bptt_when_k_is_at_least_T(k):
    layer = RNN(3, 5, rng=5)
    x, h0, G = RNG.standard_normal((2, 6, 3)), RNG.standard_normal((2, 5)), RNG.standard_normal((2, 6, 5))
    layer.forward(x, h0)
    dx_full = layer.backward(G)
    full = {key: g.copy() for key, g in layer.grads.items()}
    h0_full = layer.grad_h0.copy()
    dx_k = layer.backward(G, k=k)
    np.testing.assert_allclose(dx_k, dx_full, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(layer.grad_h0, h0_full, rtol=1e-12, atol=1e-13)
    for key in full:
        np.testing.assert_allclose(layer.grads[key], full[key], rtol=1e-12, atol=1e-13)


def test_truncation_changes_the_gradient_when_k_is_short():
    layer = RNN(2, 4, rng=6)
    x, G = RNG.standard_normal((1, 8, 2)), RNG.standard_normal((1, 8, 4))
    layer.forward(x)
    layer.backward(G)
    full = layer.grads["W_hh"].copy()
    layer.backward(G, k=1)
    assert rel_error(layer.grads["W_hh"], full) > 1e-3


def test_shapes_dtype_and_forward_recurrence():
    layer = RNN(3, 4, rng=7, dtype=np.float32)
    x = RNG.standard_normal((5, 6, 3)).astype(np.float32)
    h = layer.forward(x)
    assert h.shape == (5, 6, 4) and h.dtype == np.float32
    W_xh, W_hh, b = (layer.params[k] for k in ("W_xh", "W_hh", "b"))
    prev = np.zeros((5, 4), dtype=np.float32)
    for t in range(6):
        prev = np.tanh(x[:, t] @ W_xh.T + prev @ W_hh.T + b)
        np.testing.assert_allclose(h[:, t], prev, rtol=1e-5, atol=1e-6)
    dx = layer.backward(np.ones_like(h))
    assert dx.shape == x.shape and dx.dtype == np.float32
    assert all(g.dtype == np.float32 for g in layer.grads.values())
    assert layer.grad_h0.shape == (5, 4) and layer.grad_h0.dtype == np.float32
    bound = 1 / np.sqrt(4)
    assert all(np.abs(p).max() <= bound for p in layer.params.values())
    assert repr(layer) == "RNN(3, 4)"


def test_bad_input_gets_clear_errors():
    layer = RNN(3, 4, rng=0)
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, 3\)"):
        layer.forward(np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, 3\)"):
        layer.forward(np.zeros((2, 5, 2)))
    with pytest.raises(ValueError, match="at least one sequence and one time step"):
        layer.forward(np.zeros((2, 0, 3)))
    with pytest.raises(ValueError, match=r"h0 must have shape \(2, 4\)"):
        layer.forward(np.zeros((2, 5, 3)), h0=np.zeros((2, 3)))
    with pytest.raises(TypeError, match="float32 but RNN holds float64"):
        layer.forward(np.zeros((2, 5, 3), dtype=np.float32))
    with pytest.raises(ValueError, match="NaN"):
        layer.forward(np.full((1, 2, 3), np.nan))
    with pytest.raises(RuntimeError, match="before forward"):
        RNN(3, 4, rng=0).backward(np.zeros((1, 2, 4)))
    layer.forward(np.zeros((2, 5, 3)))
    with pytest.raises(ValueError, match="grad_out must have the shape"):
        layer.backward(np.zeros((2, 5, 3)))
    for bad in (-1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="k must be None"):
            layer.backward(np.zeros((2, 5, 4)), k=bad)
    with pytest.raises(ValueError, match="hidden_size must be a positive int"):
        RNN(3, 0)


def test_extreme_but_valid_input_stays_finite_without_warnings():
    layer = RNN(2, 3, rng=0)
    x = np.full((1, 4, 2), 1e6)
    with np.errstate(all="raise"):
        h = layer.forward(x)
        dx = layer.backward(np.ones_like(h))
    assert np.all(np.abs(h) <= 1) and np.all(np.isfinite(dx))


def test_clip_grad_norm_scales_in_place_and_returns_the_old_norm():
    grads = [np.array([3.0, 0.0]), np.array([[4.0]])]
    before = clip_grad_norm(grads, 1.0)
    assert before == pytest.approx(5.0)
    assert grad_norm(grads) == pytest.approx(1.0)
    np.testing.assert_allclose(grads[0], [0.6, 0.0])                 # direction kept
    small = [np.array([0.3, 0.4])]
    assert clip_grad_norm(small, 1.0) == pytest.approx(0.5)
    np.testing.assert_array_equal(small[0], [0.3, 0.4])               # under the limit: unchanged
    f32 = [np.ones(4, dtype=np.float32) * 10]
    clip_grad_norm(f32, 2.0)
    assert f32[0].dtype == np.float32 and grad_norm(f32) == pytest.approx(2.0, rel=1e-6)
    with pytest.raises(ValueError, match="max_norm"):
        clip_grad_norm(grads, 0.0)
    with pytest.raises(TypeError, match=r"grads\[0\] must be a float numpy array"):
        clip_grad_norm([[1.0, 2.0]], 1.0)
    with pytest.raises(ValueError, match="grads is empty"):
        grad_norm([])


def test_orthogonal_recurrent_has_the_requested_spectral_radius_and_norm():
    from mathdl.rnn import orthogonal_recurrent

    W = orthogonal_recurrent(16, 1.3, rng=0)
    assert np.max(np.abs(np.linalg.eigvals(W))) == pytest.approx(1.3)
    np.testing.assert_allclose(np.linalg.svd(W, compute_uv=False), 1.3)
    with pytest.raises(ValueError, match="radius"):
        orthogonal_recurrent(4, -1.0)


def test_gradient_through_time_vanishes_below_and_explodes_above_radius_one():
    from mathdl.rnn import gradient_through_time

    lags, small = gradient_through_time(0.5, 30, rng=0)
    _, large = gradient_through_time(2.0, 30, rng=0)
    assert lags[0] == 0 and small[0] == pytest.approx(1.0) and large[0] == pytest.approx(1.0)
    assert small[20] < 1e-5 and large[20] > 5 and large[29] > large[20] > large[10] > 1
    again = gradient_through_time(0.5, 30, rng=0)[1]
    np.testing.assert_array_equal(again, small)                     # seeded


def test_gradient_flow_explorer_and_its_figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mathdl.plotting import plot_gradient_through_time
    from mathdl.widgets import GradientFlowExplorer

    fig = plot_gradient_through_time((0.5, 1.5), 20)
    assert len(fig.axes[0].get_lines()) == 4                        # measured and ρ^j per radius
    plt.close(fig)
    explorer = GradientFlowExplorer()
    explorer.radius.value, explorer.steps.value = 1.5, 20
    assert explorer.state() == {"radius": 1.5, "steps": 20, "input_scale": 1.0}
    fig = explorer.draw()
    assert [line.get_label() for line in fig.axes[0].get_lines()][::2] == ["ρ = 1", "ρ = 1.5"]
    plt.close(fig)
