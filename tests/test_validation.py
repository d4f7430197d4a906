"""Input checks: clear errors that name the argument; the rng= rules of DESIGN §4."""

import numpy as np
import pytest

from mathdl._validation import as_float_array, as_generator, check_real


def test_as_float_array_keeps_float_dtypes_and_converts_ints():
    assert as_float_array(np.ones(3, np.float32), "x").dtype == np.float32
    assert as_float_array(np.ones(3, np.float64), "x").dtype == np.float64
    assert as_float_array([1, 2, 3], "x").dtype == np.float64
    assert as_float_array(np.array([True, False]), "x").dtype == np.float64


@pytest.mark.parametrize("bad", ["abc", None, np.array([1 + 2j]), np.array([object()])])
def test_as_float_array_rejects_non_real_input_naming_the_argument(bad):
    with pytest.raises(TypeError, match="weights"):
        as_float_array(bad, "weights")


def test_as_float_array_rejects_nan_and_reports_where():
    with pytest.raises(ValueError, match=r"x contains NaN \(first at index \(1,\)\)"):
        as_float_array([0.0, np.nan], "x")


def test_as_float_array_inf_only_when_allowed():
    with pytest.raises(ValueError, match="x contains inf"):
        as_float_array([0.0, np.inf], "x")
    assert np.isinf(as_float_array([np.inf], "x", allow_inf=True)).all()


def test_as_float_array_checks_rank():
    with pytest.raises(ValueError, match="must have 2 dimension"):
        as_float_array(np.zeros(3), "x", ndim=2)


def test_as_generator_rules():
    gen = np.random.default_rng(1)
    assert as_generator(gen) is gen
    a, b = as_generator(7), as_generator(7)
    assert a.random() == b.random()  # an int seeds a new generator, reproducibly
    assert isinstance(as_generator(None), np.random.Generator)
    with pytest.raises(TypeError, match="rng must be"):
        as_generator(1.5)
    with pytest.raises(TypeError, match="rng must be"):
        as_generator(np.random.RandomState(0))
    with pytest.raises(ValueError, match="non-negative"):
        as_generator(-1)


def test_check_real():
    assert check_real(3, "lr", low=0) == 3.0
    with pytest.raises(ValueError, match=r"lr must be > 0"):
        check_real(0.0, "lr", low=0, low_inclusive=False)
    with pytest.raises(TypeError, match="lr must be a real number"):
        check_real("0.1", "lr")
    with pytest.raises(TypeError, match="lr must be a real number"):
        check_real(True, "lr")
    with pytest.raises(ValueError, match="lr must be finite"):
        check_real(float("nan"), "lr")
