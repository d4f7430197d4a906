"""Metrics against scikit-learn and against counts by hand; bad input."""

import numpy as np
import pytest
from sklearn import metrics as skm

from mathdl.metrics import accuracy, confusion_matrix, precision_recall_f1


def test_binary_counts_by_hand():
    y_true = np.array([1, 1, 1, 0, 0, 0, 0, 1])
    y_pred = np.array([1, 0, 1, 0, 1, 0, 0, 0])      # TP 2, FN 2, FP 1, TN 3
    assert accuracy(y_true, y_pred) == pytest.approx(5 / 8)
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred), [[3, 1], [2, 2]])
    p, r, f = precision_recall_f1(y_true, y_pred, positive=1)
    assert (p, r) == (pytest.approx(2 / 3), pytest.approx(2 / 4))
    assert f == pytest.approx(2 * p * r / (p + r)) == pytest.approx(4 / 7)


@pytest.mark.parametrize("seed", range(5))
def test_agreement_with_scikit_learn(seed):
    gen = np.random.default_rng(seed)
    y_true, y_pred = gen.integers(0, 4, 60), gen.integers(0, 4, 60)
    assert accuracy(y_true, y_pred) == pytest.approx(skm.accuracy_score(y_true, y_pred))
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred, 4),
                                  skm.confusion_matrix(y_true, y_pred, labels=range(4)))
    p, r, f = precision_recall_f1(y_true, y_pred, average=None, num_classes=4)
    sp, sr, sf, _ = skm.precision_recall_fscore_support(y_true, y_pred, labels=range(4), zero_division=0)
    np.testing.assert_allclose(p, sp), np.testing.assert_allclose(r, sr), np.testing.assert_allclose(f, sf)
    macro = precision_recall_f1(y_true, y_pred, num_classes=4)
    assert macro[2] == pytest.approx(skm.f1_score(y_true, y_pred, average="macro", zero_division=0))


def test_a_class_never_predicted_scores_zero_not_nan():
    p, r, f = precision_recall_f1(np.array([0, 1, 1]), np.array([0, 0, 0]), positive=1)
    assert (p, r, f) == (0.0, 0.0, 0.0)


def test_bad_input():
    with pytest.raises(TypeError, match="y_true must hold integer class labels"):
        accuracy(np.array([0.5, 1.0]), np.array([0, 1]))
    with pytest.raises(ValueError, match="same length"):
        accuracy(np.array([0, 1]), np.array([0]))
    with pytest.raises(ValueError, match="empty"):
        accuracy(np.array([], dtype=int), np.array([], dtype=int))
    with pytest.raises(ValueError, match="non-negative"):
        accuracy(np.array([-1, 0]), np.array([0, 0]))
    with pytest.raises(ValueError, match="too small"):
        confusion_matrix(np.array([0, 3]), np.array([0, 1]), num_classes=2)
    with pytest.raises(ValueError, match="positive must be a class label"):
        precision_recall_f1(np.array([0, 1]), np.array([0, 1]), positive=2)
    with pytest.raises(ValueError, match="average must be"):
        precision_recall_f1(np.array([0, 1]), np.array([0, 1]), average="micro")
