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
