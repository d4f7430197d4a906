"""Conv2d, pooling, im2col/col2im: gradients, agreement with the naive loops, shapes, errors."""

import numpy as np
import pytest

from mathdl.conv import (AvgPool2d, Conv2d, MaxPool2d, col2im, conv2d_naive, im2col,
                         max_pool2d_naive, output_size)
from mathdl.gradcheck import check_layer

RNG = np.random.default_rng(0)

CONFIGS = [  # (C_in, C_out, kernel, stride, padding, H, W)
    (1, 1, 3, 1, 0, 5, 5),
    (2, 3, 3, 1, 1, 5, 4),
    (3, 2, 2, 2, 0, 6, 6),
    (2, 2, (2, 3), (1, 2), (1, 0), 5, 7),
    (1, 4, 1, 1, 0, 3, 3),
    (2, 1, 3, 2, 1, 7, 6),
    (1, 2, 5, 1, 2, 4, 4),
]


@pytest.mark.parametrize("c_in, c_out, k, s, p, h, w", CONFIGS)
def test_conv2d_matches_the_naive_loops_and_passes_the_gradient_check(c_in, c_out, k, s, p, h, w):
    layer = Conv2d(c_in, c_out, k, stride=s, padding=p, rng=1)
    x = RNG.standard_normal((2, c_in, h, w))
    y = layer(x)
    np.testing.assert_allclose(y, conv2d_naive(x, layer.params["W"], layer.params["b"], s, p),
                               rtol=1e-12, atol=1e-12)
    kh, kw = (k, k) if isinstance(k, int) else k
    sh, sw = (s, s) if isinstance(s, int) else s
    ph, pw = (p, p) if isinstance(p, int) else p
    assert y.shape == (2, c_out, output_size(h, kh, sh, ph), output_size(w, kw, sw, pw))
    errors = check_layer(layer, x, rng=2)
    assert set(errors) == {"x", "W", "b"} and max(errors.values()) < 1e-7


def test_col2im_is_the_adjoint_of_im2col():
    x = RNG.standard_normal((2, 3, 6, 5))
    cols = im2col(x, 3, stride=2, padding=1)
    r = RNG.standard_normal(cols.shape)
    # <im2col(x), r> == <x, col2im(r)> for every x and r
    assert np.isclose(np.sum(cols * r), np.sum(x * col2im(r, x.shape, 3, stride=2, padding=1)))


def test_im2col_rows_are_receptive_fields():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    cols = im2col(x, 2, stride=2)
    np.testing.assert_array_equal(cols, [[0, 1, 4, 5], [2, 3, 6, 7], [8, 9, 12, 13], [10, 11, 14, 15]])


@pytest.mark.parametrize("k, s, h", [(2, None, 6), (3, 1, 5), (2, 1, 5), (3, 2, 7)])
def test_max_pool_matches_loops_and_gradient(k, s, h):
    x = RNG.standard_normal((2, 3, h, h))        # continuous values: no ties
    pool = MaxPool2d(k, s)
    np.testing.assert_array_equal(pool(x), max_pool2d_naive(x, k, s))
    assert check_layer(pool, x)["x"] < 1e-7


@pytest.mark.parametrize("k, s", [(2, None), (3, 1), (2, 1)])
def test_avg_pool_gradient(k, s):
    x = RNG.standard_normal((2, 2, 5, 5))
    pool = AvgPool2d(k, s)
    y = pool(x)
    assert y.shape == (2, 2, output_size(5, k, s or k), output_size(5, k, s or k))
    np.testing.assert_allclose(y[0, 0, 0, 0], x[0, 0, :k, :k].mean())
    assert check_layer(pool, x)["x"] < 1e-7


def test_max_pool_ties_send_the_gradient_to_the_first_maximum():
    x = np.ones((1, 1, 2, 2))
    pool = MaxPool2d(2)
    pool(x)
    np.testing.assert_array_equal(pool.backward(np.array([[[[5.0]]]])), [[[[5.0, 0.0], [0.0, 0.0]]]])


def test_float32_is_kept():
    layer = Conv2d(1, 2, 3, rng=0, dtype=np.float32)
    x = RNG.standard_normal((2, 1, 5, 5)).astype(np.float32)
    y = layer(x)
    assert y.dtype == np.float32
    assert layer.backward(np.ones_like(y)).dtype == np.float32
    assert layer.grads["W"].dtype == np.float32
    assert MaxPool2d(2)(x).dtype == np.float32 and AvgPool2d(2)(x).dtype == np.float32


def test_bad_input_is_named():
    layer = Conv2d(3, 2, 3, rng=0)
    with pytest.raises(ValueError, match=r"x must have shape \(N, 3, H, W\), got \(1, 2, 5, 5\)"):
        layer(np.zeros((1, 2, 5, 5)))
    with pytest.raises(ValueError, match="kernel .* is larger than the padded input"):
        layer(np.zeros((1, 3, 2, 2)))
    with pytest.raises(ValueError, match="stride must be ≥ 1"):
        Conv2d(1, 1, 3, stride=0)
    with pytest.raises(TypeError, match="kernel_size must be an int or a pair"):
        Conv2d(1, 1, 2.5)
    with pytest.raises(ValueError, match="padding must be ≥ 0"):
        Conv2d(1, 1, 3, padding=-1)
    with pytest.raises(ValueError, match=r"x must have shape \(N, C, H, W\)"):
        MaxPool2d(2)(np.zeros((2, 4, 4)))
    with pytest.raises(RuntimeError, match="backward called before forward"):
        MaxPool2d(2).backward(np.zeros((1, 1, 1, 1)))
    with pytest.raises(TypeError, match="x has dtype float32 but Conv2d holds float64"):
        layer(np.zeros((1, 3, 5, 5), np.float32))


def test_output_size_floors():
    assert output_size(28, 3) == 26 and output_size(26, 2, 2) == 13 and output_size(7, 2, 2) == 3
    assert output_size(5, 3, 2, 1) == 3
