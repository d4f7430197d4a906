"""Losses: values, gradients against finite differences, stability, bad input."""

import warnings

import numpy as np
import pytest

from mathdl import losses
from mathdl.activations import sigmoid
from mathdl.gradcheck import check_gradient

RNG = np.random.default_rng(3)


def test_mse_value_and_gradient():
    pred, target = RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3))
    value, grad = losses.mse(pred, target)
    assert value == pytest.approx(np.mean((pred - target) ** 2))
    assert check_gradient(lambda p: losses.mse(p, target)[0], lambda p: losses.mse(p, target)[1], pred) < 1e-7


def test_bce_with_logits_gradient_and_agreement_with_bce():
    z, y = RNG.standard_normal(7) * 3, RNG.integers(0, 2, 7).astype(float)
    value, grad = losses.binary_cross_entropy_with_logits(z, y)
    assert value == pytest.approx(losses.binary_cross_entropy(sigmoid(z), y)[0], rel=1e-12)
    np.testing.assert_allclose(grad, (sigmoid(z) - y) / 7, rtol=1e-15)
    f = lambda v: losses.binary_cross_entropy_with_logits(v, y)[0]
    assert check_gradient(f, lambda v: losses.binary_cross_entropy_with_logits(v, y)[1], z) < 1e-7


def test_bce_on_probabilities_gradient():
    p, y = RNG.uniform(0.05, 0.95, 6), RNG.uniform(0, 1, 6)   # soft targets are allowed
    f = lambda v: losses.binary_cross_entropy(v, y)[0]
    assert check_gradient(f, lambda v: losses.binary_cross_entropy(v, y)[1], p) < 1e-7


def test_stability_at_extreme_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, grad = losses.binary_cross_entropy_with_logits(np.array([1e4, -1e4, 800.0]),
                                                               np.array([0.0, 1.0, 1.0]))
        assert np.isfinite(value) and value == pytest.approx((1e4 + 1e4 + 0.0) / 3)
        assert np.all(np.isfinite(grad))
        value, grad = losses.binary_cross_entropy(np.array([0.0, 1.0]), np.array([1.0, 0.0]))
        assert value == pytest.approx(100.0) and np.all(np.isfinite(grad))


def test_dtype_is_preserved():
    p = np.array([0.2, 0.7], dtype=np.float32)
    y = np.array([0.0, 1.0], dtype=np.float32)
    assert losses.mse(p, y)[1].dtype == np.float32
    assert losses.binary_cross_entropy(p, y)[1].dtype == np.float32
    assert losses.binary_cross_entropy_with_logits(p, y)[1].dtype == np.float32


def test_bad_input():
    with pytest.raises(ValueError, match="pred and target must have the same shape"):
        losses.mse(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="empty"):
        losses.mse(np.zeros(0), np.zeros(0))
    with pytest.raises(ValueError, match=r"target must be a probability in \[0, 1\].*\(y \+ 1\) / 2"):
        losses.binary_cross_entropy_with_logits(np.zeros(2), np.array([-1.0, 1.0]))
    with pytest.raises(ValueError, match="p must be probabilities"):
        losses.binary_cross_entropy(np.array([1.5]), np.array([1.0]))
    with pytest.raises(TypeError, match="target must be a real-valued"):
        losses.mse(np.zeros(2), ["a", "b"])


def test_mae_huber_hinge_values_and_gradients_away_from_kinks():
    pred, target = RNG.standard_normal((5, 3)) * 2, RNG.standard_normal((5, 3))
    value, _ = losses.mae(pred, target)
    assert value == pytest.approx(np.mean(np.abs(pred - target)))
    for fn in (losses.mae, lambda p, t: losses.huber(p, t, delta=0.7)):
        assert check_gradient(lambda p: fn(p, target)[0], lambda p: fn(p, target)[1], pred) < 1e-7
    r = pred - target
    expected = np.where(np.abs(r) <= 0.7, 0.5 * r ** 2, 0.7 * (np.abs(r) - 0.35))
    assert losses.huber(pred, target, 0.7)[0] == pytest.approx(np.mean(expected))
    s = RNG.standard_normal(9) * 2
    y = np.where(RNG.random(9) < 0.5, -1.0, 1.0)
    value, grad = losses.hinge(s, y)
    assert value == pytest.approx(np.mean(np.maximum(0, 1 - y * s)))
    assert check_gradient(lambda v: losses.hinge(v, y)[0], lambda v: losses.hinge(v, y)[1], s) < 1e-7


def test_huber_is_continuous_at_delta_and_between_mse_and_mae():
    delta = 1.5
    r = np.array([delta - 1e-9, delta + 1e-9])
    values = [losses.huber(np.array([v]), np.array([0.0]), delta)[0] for v in r]
    assert values[0] == pytest.approx(values[1], abs=1e-8)
    small, big = np.array([0.3]), np.array([30.0])
    zero = np.array([0.0])
    assert losses.huber(small, zero, delta)[0] == pytest.approx(0.5 * losses.mse(small, zero)[0])
    assert losses.huber(big, zero, delta)[0] == pytest.approx(delta * losses.mae(big, zero)[0] - 0.5 * delta ** 2)


def test_subgradient_choices_at_the_kinks():
    zero = np.zeros(2)
    assert np.array_equal(losses.mae(zero, zero)[1], [0.0, 0.0])
    assert np.array_equal(losses.hinge(np.array([1.0, -1.0]), np.array([1.0, -1.0]))[1], [0.0, 0.0])
    assert np.array_equal(losses.hinge(np.array([0.5]), np.array([1.0]))[1], [-1.0])


def test_new_losses_reject_bad_input_and_keep_float32():
    with pytest.raises(ValueError, match="target must hold labels -1 and \\+1"):
        losses.hinge(np.zeros(2), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="delta"):
        losses.huber(np.zeros(2), np.zeros(2), delta=0)
    with pytest.raises(ValueError, match="same shape"):
        losses.mae(np.zeros(2), np.zeros(3))
    f32 = np.array([0.5, -2.0], dtype=np.float32)
    y32 = np.array([1.0, -1.0], dtype=np.float32)
    for fn in (losses.mae, losses.huber, losses.hinge):
        assert fn(f32, y32)[1].dtype == np.float32
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        big = np.array([1e300, -1e300])
        assert np.isfinite(losses.huber(big, np.zeros(2))[0])
        assert np.isfinite(losses.hinge(big, np.array([1.0, 1.0]))[0])


def test_cross_entropy_is_finite_and_exact_at_logits_of_1e4():
    z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, grad = losses.cross_entropy(z, np.array([1, 0]))
    # row 0: −log softmax = 2e4 (+ log(1 + tiny)); row 1: 2e4 + log 2
    assert value == pytest.approx((2e4 + 2e4 + np.log(2)) / 2, rel=1e-15)
    assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad, np.array([[1, -1, 0], [-1, 0.5, 0.5]]) / 2, atol=1e-15)


def test_margin_losses_come_from_mathdl_losses_and_match_their_closed_forms():
    from mathdl.plotting import margin_loss

    m = np.array([-2.0, -0.5, 0.0, 0.5, 1.0, 2.5])
    closed = {"0-1": (m <= 0).astype(float), "hinge": np.maximum(0, 1 - m),
              "logistic": np.log1p(np.exp(-m)), "squared": (1 - m) ** 2}
    slopes = {"0-1": np.zeros_like(m), "hinge": np.where(m < 1, -1.0, 0.0),
              "logistic": -sigmoid(-m), "squared": -2 * (1 - m)}
    for name in closed:
        values, grads = margin_loss(name, m)
        np.testing.assert_allclose(values, closed[name], rtol=1e-12)
        np.testing.assert_allclose(grads, slopes[name], rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="name must be one of"):
        margin_loss("exponential", m)


def test_loss_explorer_and_its_figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mathdl.plotting import plot_margin_losses
    from mathdl.widgets import LossExplorer

    fig = plot_margin_losses(0.5)
    assert len(fig.axes) == 2 and "0.50" in fig.axes[0].get_title()
    plt.close(fig)
    explorer = LossExplorer()
    explorer.margin.value = 2.0
    explorer.shown.value = ("hinge", "logistic")
    assert explorer.state() == {"margin": 2.0, "names": ("hinge", "logistic")}
    fig = explorer.draw()
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["hinge: 0", "logistic: 0.127"]
    plt.close(fig)
