"""Activations: values, derivatives (finite differences), stability, dtypes, bad input."""

import warnings

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mathdl import activations as act
from mathdl.gradcheck import check_derivative, check_layer, numeric_gradient, rel_error

RNG = np.random.default_rng(0)


def away_from_zero(n=500, scale=6.0):
    """Random points at least 1e-3 from the kink at 0 (DESIGN §5)."""
    x = RNG.uniform(-scale, scale, n)
    return np.where(np.abs(x) < 1e-3, 0.5, x)


# -- derivatives against central differences ----------------------------------
@pytest.mark.parametrize("f, df", [
    (act.sigmoid, act.sigmoid_derivative),
    (act.tanh, act.tanh_derivative),
    (act.relu, act.relu_derivative),
    (act.leaky_relu, act.leaky_relu_derivative),
    (lambda x: act.leaky_relu(x, 0.2), lambda x: act.leaky_relu_derivative(x, 0.2)),
])
def test_derivatives_match_finite_differences(f, df):
    assert check_derivative(f, df, away_from_zero()) < 1e-7


def test_kink_conventions_at_zero():
    assert act.relu_derivative(0.0) == 0.0          # PyTorch's convention
    assert act.leaky_relu_derivative(0.0, 0.1) == 0.1
    assert act.relu_derivative(-0.0) == 0.0


def test_sigmoid_and_tanh_values():
    x = np.array([-2.0, 0.0, 0.5, 3.0])
    np.testing.assert_allclose(act.sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-15)
    np.testing.assert_allclose(act.tanh(x), np.tanh(x), rtol=1e-15)
    assert act.sigmoid(0.0) == 0.5


def test_softmax_jacobian_matches_finite_differences():
    x = RNG.standard_normal(5)
    jac = act.softmax_jacobian(x)
    numeric = np.stack([numeric_gradient(lambda v, i=i: act.softmax(v)[i], x.copy()) for i in range(5)])
    assert rel_error(jac, numeric) < 1e-7
    np.testing.assert_allclose(jac, np.diag(act.softmax(x)) - np.outer(act.softmax(x), act.softmax(x)))


def test_log_softmax_jacobian_matches_finite_differences():
    x = RNG.standard_normal(4)
    numeric = np.stack([numeric_gradient(lambda v, i=i: act.log_softmax(v)[i], x.copy()) for i in range(4)])
    assert rel_error(act.log_softmax_jacobian(x), numeric) < 1e-7


def test_batched_jacobians_have_shape_n_c_c():
    x = RNG.standard_normal((3, 4))
    assert act.softmax_jacobian(x).shape == (3, 4, 4)
    assert act.log_softmax_jacobian(x).shape == (3, 4, 4)


# -- properties (hypothesis) ----------------------------------------------------
finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)


@given(arrays(np.float64, st.integers(1, 20), elements=finite))
def test_sigmoid_properties(x):
    s = act.sigmoid(x)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(act.sigmoid(-x), 1 - s, atol=1e-15)
    np.testing.assert_allclose(act.sigmoid_derivative(x), s * act.sigmoid(-x), rtol=1e-13, atol=1e-300)


@given(arrays(np.float64, st.integers(1, 20), elements=st.floats(-15, 15)))
def test_tanh_is_a_rescaled_sigmoid(x):
    np.testing.assert_allclose(act.tanh(x), 2 * act.sigmoid(2 * x) - 1, atol=1e-15)
    np.testing.assert_allclose(act.tanh_derivative(x), 4 * act.sigmoid_derivative(2 * x), rtol=1e-13)


@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 6)), elements=finite),
       st.floats(-100, 100))
def test_softmax_sums_to_one_and_ignores_shifts(x, shift):
    s = act.softmax(x)
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(act.softmax(x + shift), s, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(act.log_softmax(x), np.log(s), rtol=1e-9, atol=1e-12)


# -- stability: extreme but valid input gives finite answers, no warnings ---------
@pytest.fixture
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            yield


@pytest.mark.usefixtures("no_warnings")
def test_sigmoid_at_extremes_is_finite_and_silent():
    x = np.array([-1e4, -1000.0, -745.0, -40.0, 40.0, 1000.0, 1e4, np.inf, -np.inf])
    s = act.sigmoid(x)
    assert np.all(np.isfinite(s))
    assert s[0] == 0.0 and s[-3] == 1.0 and s[-1] == 0.0
    d = act.sigmoid_derivative(x)
    assert np.all(np.isfinite(d)) and np.all(d >= 0)
    assert act.sigmoid(-1000.0) == 0.0 and act.sigmoid(1000.0) == 1.0


@pytest.mark.usefixtures("no_warnings")
def test_tanh_derivative_at_extremes_is_finite_and_silent():
    big = np.finfo(np.float64).max
    d = act.tanh_derivative(np.array([-1e4, -1000.0, 1000.0, 1e4, 1e308, -big, big, np.inf]))
    assert np.all(d == 0.0)
    assert act.tanh_derivative(np.float32(3e38)) == 0.0
    assert act.sigmoid_derivative(np.array([big, -big])).tolist() == [0.0, 0.0]


@pytest.mark.usefixtures("no_warnings")
def test_softmax_at_the_largest_floats_is_silent():
    np.testing.assert_array_equal(act.softmax(np.array([1e308, -1e308])), [1.0, 0.0])
    assert act.log_softmax(np.array([1e308, -1e308]))[0] == 0.0


@pytest.mark.usefixtures("no_warnings")
def test_softmax_at_huge_logits():
    x = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]])
    s = act.softmax(x)
    np.testing.assert_array_equal(s[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(s[1], 1 / 3)
    assert np.all(np.isfinite(act.log_softmax(x)))
    assert act.log_softmax(x)[0, 1] == -2e4


@pytest.mark.parametrize("x", [25.0, 30.0, 40.0, 300.0, 700.0, -30.0, -700.0])
def test_sigmoid_derivative_in_the_tail_matches_50_digits(x):
    with mpmath.workdps(50):
        e = mpmath.exp(-abs(mpmath.mpf(x)))
        exact = e / (1 + e) ** 2
        assert abs(mpmath.mpf(act.sigmoid_derivative(x)) - exact) / exact < 1e-10


@pytest.mark.parametrize("x", [20.0, 30.0, 100.0, 350.0])
def test_tanh_derivative_in_the_tail_matches_50_digits(x):
    with mpmath.workdps(50):
        exact = 1 / mpmath.cosh(mpmath.mpf(x)) ** 2
        assert abs(mpmath.mpf(act.tanh_derivative(x)) - exact) / exact < 1e-10


# -- dtypes ----------------------------------------------------------------------
@pytest.mark.parametrize("f", [act.sigmoid, act.sigmoid_derivative, act.tanh, act.tanh_derivative,
                               act.relu, act.relu_derivative, act.leaky_relu,
                               act.leaky_relu_derivative, act.softmax, act.log_softmax])
def test_float32_stays_float32_and_ints_become_float64(f):
    assert f(np.ones(3, dtype=np.float32)).dtype == np.float32
    assert f(np.arange(3)).dtype == np.float64


def test_scalar_in_scalar_out():
    assert np.ndim(act.sigmoid(0.3)) == 0
    assert isinstance(act.tanh_derivative(1.0), np.floating)


# -- bad input -------------------------------------------------------------------
@pytest.mark.parametrize("f", [act.sigmoid, act.tanh_derivative, act.relu, act.softmax])
def test_bad_input_names_the_argument(f):
    with pytest.raises(TypeError, match=r"^x must be a real-valued"):
        f("1.0")
    with pytest.raises(ValueError, match=r"^x contains NaN"):
        f(np.array([0.0, np.nan]))


def test_softmax_bad_axis_and_empty():
    with pytest.raises(ValueError, match="axis must be in"):
        act.softmax(np.zeros((2, 3)), axis=2)
    with pytest.raises(TypeError, match="axis must be an int"):
        act.softmax(np.zeros(3), axis=0.5)
    with pytest.raises(ValueError, match="at least one entry"):
        act.softmax(np.zeros((2, 0)))
    with pytest.raises(ValueError, match=r"x contains \+inf"):
        act.softmax(np.array([np.inf, 0.0]))
    with pytest.raises(ValueError, match="-inf everywhere"):
        act.softmax(np.array([[0.0, 1.0], [-np.inf, -np.inf]]))
    np.testing.assert_array_equal(act.softmax(np.array([0.0, -np.inf])), [1.0, 0.0])


def test_leaky_relu_slope_is_checked():
    with pytest.raises(TypeError, match="negative_slope"):
        act.leaky_relu(1.0, "0.1")
    with pytest.raises(TypeError, match="negative_slope"):
        act.LeakyReLU(None)


# -- layers ----------------------------------------------------------------------
@pytest.mark.parametrize("layer", [act.Sigmoid(), act.Tanh(), act.ReLU(), act.LeakyReLU(0.05)])
def test_activation_layers_pass_the_gradient_check(layer):
    x = away_from_zero(24, scale=3.0).reshape(4, 6)
    errors = check_layer(layer, x, rng=1)
    assert errors["x"] < 1e-7 and set(errors) == {"x"}


@pytest.mark.parametrize("cls", [act.Sigmoid, act.Tanh, act.ReLU, act.LeakyReLU])
def test_activation_layer_protocol(cls):
    layer = cls()
    assert layer.params == {} and layer.grads == {} and layer.parameters() == []
    assert layer.eval() is layer and layer.training is False
    assert layer.train() is layer and layer.training is True
    with pytest.raises(RuntimeError, match="backward called before forward"):
        layer.backward(np.ones(3))
    y = layer(np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3))
    assert y.dtype == np.float32 and y.shape == (2, 3)
    assert layer.backward(np.ones((2, 3), np.float32)).dtype == np.float32
    with pytest.raises(ValueError, match=r"grad_out must have the shape .*\(2, 3\).*\(3,\)"):
        layer.backward(np.ones(3))
    with pytest.raises(TypeError, match="x must be"):
        layer("x")


def test_sigmoid_layer_backward_is_stable_in_the_tail():
    layer = act.Sigmoid()
    layer(np.array([40.0]))
    grad = layer.backward(np.array([1.0]))
    assert grad[0] > 0 and np.isclose(grad[0], np.exp(-40.0), rtol=1e-12)
