"""Linear, Flatten, Sequential and the initialisers: gradients, shapes, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mathdl import activations as act
from mathdl.gradcheck import check_layer
from mathdl.layers import (Flatten, Layer, Linear, Sequential, he_normal, he_uniform,
                           xavier_normal, xavier_uniform)

RNG = np.random.default_rng(0)


def test_linear_shapes_follow_pytorch():
    layer = Linear(3, 5, rng=0)
    assert layer.params["W"].shape == (5, 3) and layer.params["b"].shape == (5,)
    x = RNG.standard_normal((4, 3))
    np.testing.assert_allclose(layer(x), x @ layer.params["W"].T + layer.params["b"])
    assert layer(RNG.standard_normal((2, 7, 3))).shape == (2, 7, 5)   # (*, in_features)
    bound = 1 / np.sqrt(3)
    assert np.all(np.abs(layer.params["W"]) <= bound) and np.all(np.abs(layer.params["b"]) <= bound)


@pytest.mark.parametrize("shape", [(4, 3), (2, 5, 3), (1, 3)])
def test_linear_gradient_check(shape):
    errors = check_layer(Linear(3, 4, rng=1), RNG.standard_normal(shape), rng=2)
    assert set(errors) == {"x", "W", "b"} and max(errors.values()) < 1e-7


def test_linear_without_bias():
    layer = Linear(3, 2, bias=False, rng=0)
    assert set(layer.params) == {"W"}
    assert max(check_layer(layer, RNG.standard_normal((3, 3))).values()) < 1e-7


@pytest.mark.parametrize("activation", [act.Sigmoid, act.Tanh, act.ReLU, act.LeakyReLU])
def test_sequential_stacks_pass_the_gradient_check(activation):
    net = Sequential(Linear(4, 6, rng=1), activation(), Linear(6, 5, rng=2), activation(),
                     Linear(5, 3, rng=3))
    x = RNG.standard_normal((8, 4))
    errors = check_layer(net, x, rng=4)
    assert set(errors) == {"x", "0.W", "0.b", "2.W", "2.b", "4.W", "4.b"}
    assert max(errors.values()) < 1e-7


@settings(max_examples=25)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 6), st.integers(0, 2**16))
def test_linear_gradients_for_random_shapes(n, d_in, d_out, seed):
    rng = np.random.default_rng(seed)
    errors = check_layer(Linear(d_in, d_out, rng=seed), rng.standard_normal((n, d_in)), rng=seed)
    assert max(errors.values()) < 1e-7


def test_backward_overwrites_gradients_instead_of_accumulating():
    layer = Linear(2, 2, rng=0)
    x, g = RNG.standard_normal((3, 2)), RNG.standard_normal((3, 2))
    layer(x)
    layer.backward(g)
    first = layer.grads["W"].copy()
    layer.backward(g)
    np.testing.assert_array_equal(layer.grads["W"], first)


def test_sequential_parameters_are_the_layers_arrays_in_order():
    a, b = Linear(2, 3, rng=0), Linear(3, 1, rng=1)
    net = Sequential(a, act.Tanh(), b)
    params = net.parameters()
    assert len(params) == 4 and params[0] is a.params["W"] and params[3] is b.params["b"]
    net(RNG.standard_normal((2, 2)))
    net.backward(np.ones((2, 1)))
    assert net.gradients()[2] is b.grads["W"]
    assert net.eval() is net and not a.training and not net.training
    assert len(net) == 3 and net[0] is a
    with pytest.raises(TypeError, match="layer 1 must be a mathdl Layer"):
        Sequential(a, np.tanh)


def test_flatten_round_trip_and_gradient():
    x = RNG.standard_normal((2, 3, 4))
    flat = Flatten()
    assert flat(x).shape == (2, 12)
    np.testing.assert_array_equal(flat.backward(np.arange(24.0).reshape(2, 12)),
                                  np.arange(24.0).reshape(2, 3, 4))
    assert check_layer(Flatten(), x)["x"] < 1e-7


def test_dtype_rules():
    layer = Linear(3, 2, rng=0, dtype=np.float32)
    assert layer.params["W"].dtype == np.float32
    y = layer(np.ones((1, 3), np.float32))
    assert y.dtype == np.float32
    assert layer.backward(np.ones((1, 2), np.float32)).dtype == np.float32
    assert layer.grads["W"].dtype == np.float32
    with pytest.raises(TypeError, match="x has dtype float64 but Linear holds float32"):
        layer(np.ones((1, 3)))
    with pytest.raises(TypeError, match="x has dtype int64 but Linear holds float32"):
        layer(np.ones((1, 3), dtype=np.int64))
    with pytest.raises(TypeError, match="dtype must be float32 or float64"):
        Linear(3, 2, dtype=np.int32)


def test_bad_input_is_named():
    layer = Linear(3, 2, rng=0)
    with pytest.raises(ValueError, match=r"x must have shape \(\.\.\., 3\), got \(4, 2\)"):
        layer(np.ones((4, 2)))
    with pytest.raises(ValueError, match="empty batch"):
        layer(np.ones((0, 3)))
    with pytest.raises(ValueError, match="x contains NaN"):
        layer(np.array([[0.0, np.nan, 1.0]]))
    with pytest.raises(ValueError, match="in_features must be a positive int"):
        Linear(0, 2)
    with pytest.raises(ValueError, match="init must be None or one of"):
        Linear(2, 2, init="orthogonal")
    with pytest.raises(RuntimeError, match="backward called before forward"):
        Linear(2, 2).backward(np.ones((1, 2)))
    layer(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"grad_out must have the shape .*\(4, 2\)"):
        layer.backward(np.ones((4, 3)))


def test_initialisers_have_the_stated_variance():
    shape = (400, 300)
    assert np.var(xavier_normal(shape, rng=0)) == pytest.approx(2 / 700, rel=0.03)
    assert np.var(xavier_uniform(shape, rng=0)) == pytest.approx(2 / 700, rel=0.03)
    assert np.var(he_normal(shape, rng=0)) == pytest.approx(2 / 300, rel=0.03)
    assert np.var(he_uniform(shape, rng=0)) == pytest.approx(2 / 300, rel=0.03)
    np.testing.assert_array_equal(he_normal(shape, rng=5), he_normal(shape, rng=5))
    assert Linear(300, 400, init="he_normal", rng=0).params["b"].any() == False  # noqa: E712
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        he_normal((5,))


def test_layer_is_abstract():
    with pytest.raises(TypeError):
        Layer()
