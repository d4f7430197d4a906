"""The checking tools must catch wrong derivatives, not only pass right ones."""

import numpy as np
import pytest

from mathdl import activations as act
from mathdl.gradcheck import (check_derivative, check_gradient, check_layer, fd_step,
                              numeric_derivative, numeric_gradient, rel_error)
from mathdl.layers import Layer


def test_rel_error_definition():
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error([1.0, 2.0], [1.0, 2.2]) == pytest.approx(0.2 / 2.2)
    assert rel_error([1e-12], [0.0]) == pytest.approx(1e-12 / 1e-8)  # the 1e-8 floor
    with pytest.raises(ValueError, match="one shape"):
        rel_error(np.zeros(2), np.zeros(3))


def test_fd_step_scales_with_x():
    np.testing.assert_allclose(fd_step([0.0, 0.5, -4.0]), [1e-6, 1e-6, 4e-6])


def test_numeric_gradient_of_a_quadratic():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    x = np.array([0.3, -1.2])
    g = numeric_gradient(lambda v: 0.5 * v @ A @ v, x)
    np.testing.assert_allclose(g, A @ x, rtol=1e-8)
    np.testing.assert_array_equal(x, [0.3, -1.2])  # restored after perturbation


def test_numeric_gradient_requires_float64_arrays():
    with pytest.raises(TypeError, match="float64"):
        numeric_gradient(np.sum, np.ones(3, np.float32))
    with pytest.raises(TypeError, match="float64"):
        numeric_gradient(np.sum, [1.0, 2.0])


def test_check_derivative_catches_a_flipped_sign():
    x = np.linspace(-3, 3, 50)
    with pytest.raises(AssertionError, match="relative error above"):
        check_derivative(act.sigmoid, lambda v: -act.sigmoid_derivative(v), x)


def test_check_derivative_rejects_float32():
    with pytest.raises(TypeError, match="float64"):
        check_derivative(act.sigmoid, act.sigmoid_derivative, np.ones(3, np.float32))


def test_numeric_derivative_is_vectorised():
    x = np.linspace(-2, 2, 7)
    np.testing.assert_allclose(numeric_derivative(np.sin, x), np.cos(x), rtol=1e-9)


def test_check_gradient():
    assert check_gradient(lambda v: float(np.sum(v ** 3)), lambda v: 3 * v ** 2, np.arange(1.0, 4.0)) < 1e-7
    with pytest.raises(AssertionError):
        check_gradient(lambda v: float(np.sum(v ** 3)), lambda v: 2 * v ** 2, np.arange(1.0, 4.0))


class Scale(Layer):
    """y = w * x with one parameter; ``wrong`` breaks its backward on purpose."""

    def __init__(self, wrong=False):
        super().__init__()
        self.dtype = np.dtype(np.float64)
        self.params = {"w": np.array([1.5])}
        self.grads = {"w": np.zeros(1)}
        self.wrong = wrong

    def forward(self, x):
        self.x = self._check_input(x)
        return self.params["w"][0] * self.x

    def backward(self, grad_out):
        self.grads["w"][...] = np.sum(grad_out * self.x) * (-1 if self.wrong else 1)
        return grad_out * self.params["w"][0]


def test_check_layer_passes_a_right_layer_and_catches_a_wrong_one():
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    errors = check_layer(Scale(), x, rng=0)
    assert set(errors) == {"x", "w"} and max(errors.values()) < 1e-7
    with pytest.raises(AssertionError, match=r"Scale gradients: relative error above 1e-07 \(w:"):
        check_layer(Scale(wrong=True), x, rng=0)


def test_layer_with_parameters_rejects_another_dtype():
    with pytest.raises(TypeError, match="float32.*float64"):
        Scale()(np.ones(3, np.float32))
