"""Tests for mnist_lesson.evaluation, on small hand-checked examples."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from mnist_lesson import evaluation as ev

# A three-class example worked out by hand.
#
#   position  0  1  2  3  4  5  6  7  8  9
#   y_true    0  0  0  0  1  1  2  2  2  2
#   y_pred    0  0  1  2  1  1  2  0  2  0
#
# Confusion matrix (rows true, columns predicted):
#   true 0 -> predicted 0, 0, 1, 2    [2, 1, 1]
#   true 1 -> predicted 1, 1          [0, 2, 0]
#   true 2 -> predicted 2, 0, 2, 0    [2, 0, 2]
# Predicted column totals 4, 3, 3; supports (row totals) 4, 2, 4.
#   precision  0: 2/4 = 0.5   1: 2/3        2: 2/3
#   recall     0: 2/4 = 0.5   1: 2/2 = 1    2: 2/4 = 0.5
#   f1         0: 0.5         1: 2(2/3)(1)/(5/3) = 0.8
#              2: 2(2/3)(1/2)/(7/6) = 4/7
#   accuracy   (2 + 2 + 2) / 10 = 0.6
#   macro avg  precision (0.5 + 2/3 + 2/3)/3 = 11/18, recall 2/3,
#              f1 (0.5 + 0.8 + 4/7)/3
#   weighted   precision (4*0.5 + 2*2/3 + 4*2/3)/10 = 0.6, recall 0.6,
#              f1 (4*0.5 + 2*0.8 + 4*4/7)/10
#   RMSE       differences 0 0 -1 -2 0 0 0 2 0 2, squares sum to 13,
#              sqrt(13/10)
Y_TRUE = [0, 0, 0, 0, 1, 1, 2, 2, 2, 2]
Y_PRED = [0, 0, 1, 2, 1, 1, 2, 0, 2, 0]
CM = np.array([[2, 1, 1], [0, 2, 0], [2, 0, 2]])


class FakeModel:
    """Records how predict was called and returns fixed probabilities."""

    def __init__(self, proba):
        self.proba = proba
        self.calls = []

    def predict(self, x, batch_size=32, verbose="auto"):
        self.calls.append({"n": len(x), "batch_size": batch_size, "verbose": verbose})
        return self.proba


# --------------------------------------------------------------------------
# predict_proba, predict_classes


def test_predict_proba_calls_predict_quietly_and_returns_float32():
    proba = np.array([[0.1, 0.9], [0.8, 0.2], [0.5, 0.5]], dtype=np.float64)
    model = FakeModel(proba)
    out = ev.predict_proba(model, np.zeros((3, 784)), batch_size=2)
    assert model.calls == [{"n": 3, "batch_size": 2, "verbose": 0}]
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, proba)


def test_predict_proba_default_batch_size():
    model = FakeModel(np.full((4, 10), 0.1))
    assert ev.predict_proba(model, np.zeros((4, 784))).shape == (4, 10)
    assert model.calls[0]["batch_size"] == 1024


def test_predict_proba_rejects_wrong_model_output():
    model = FakeModel(np.full((2, 10), 0.1))
    with pytest.raises(ValueError, match=r"n_samples = 3, got shape \(2, 10\)"):
        ev.predict_proba(model, np.zeros((3, 784)))
    with pytest.raises(ValueError, match="got shape \\(3,\\)"):
        ev.predict_proba(FakeModel(np.zeros(3)), np.zeros((3, 784)))


@pytest.mark.parametrize(
    "batch_size, message",
    [
        (0, "batch_size must be a positive integer, got 0"),
        (-5, "batch_size must be a positive integer, got -5"),
        (2.5, "batch_size must be an integer, got 2.5"),
        (True, "batch_size must be an integer, got True"),
    ],
)
def test_predict_proba_rejects_bad_batch_size(batch_size, message):
    with pytest.raises(ValueError, match=message):
        ev.predict_proba(FakeModel(np.zeros((1, 10))), np.zeros((1, 784)), batch_size=batch_size)


def test_predict_proba_rejects_object_without_predict():
    with pytest.raises(ValueError, match="model must have a predict"):
        ev.predict_proba(object(), np.zeros((1, 784)))


def test_predict_classes_takes_argmax_first_on_ties():
    proba = np.array([[0.1, 0.6, 0.3], [0.4, 0.4, 0.2], [0.0, 0.0, 1.0]])
    out = ev.predict_classes(proba)
    assert out.dtype == np.int64
    assert out.tolist() == [1, 0, 2]


def test_predict_classes_rejects_labels():
    with pytest.raises(ValueError, match=r"proba must have shape \(n_samples, n_classes\), got shape \(3,\)"):
        ev.predict_classes([1, 2, 3])


# --------------------------------------------------------------------------
# Scores


def test_accuracy_hand_example():
    assert ev.accuracy(Y_TRUE, Y_PRED) == pytest.approx(0.6)
    assert isinstance(ev.accuracy(Y_TRUE, Y_PRED), float)
    assert ev.accuracy([3, 3], [3, 3]) == 1.0


def test_accuracy_checks_lengths_and_values():
    with pytest.raises(ValueError, match="same length, got 3 and 2"):
        ev.accuracy([0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match="must not be empty"):
        ev.accuracy([], [])
    with pytest.raises(ValueError, match=r"y_true must be one-dimensional .*one-hot rows"):
        ev.accuracy(np.eye(3), [0, 1, 2])
    with pytest.raises(ValueError, match="y_pred must hold whole class numbers"):
        ev.accuracy([0, 1], [0.5, 1.0])
    with pytest.raises(ValueError, match="y_true must not be negative"):
        ev.accuracy([-1, 1], [0, 1])


def test_classification_report_hand_example():
    report = ev.classification_report_frame(Y_TRUE, Y_PRED, num_classes=3)
    assert list(report.columns) == ["precision", "recall", "f1-score", "support"]
    assert list(report.index) == ["0", "1", "2", "macro avg", "weighted avg"]
    np.testing.assert_allclose(report.loc[["0", "1", "2"], "precision"], [0.5, 2 / 3, 2 / 3])
    np.testing.assert_allclose(report.loc[["0", "1", "2"], "recall"], [0.5, 1.0, 0.5])
    np.testing.assert_allclose(report.loc[["0", "1", "2"], "f1-score"], [0.5, 0.8, 4 / 7])
    assert report["support"].tolist() == [4, 2, 4, 10, 10]
    assert report["support"].dtype == np.int64
    np.testing.assert_allclose(
        report.loc["macro avg", ["precision", "recall", "f1-score"]].astype(float),
        [11 / 18, 2 / 3, (0.5 + 0.8 + 4 / 7) / 3],
    )
    np.testing.assert_allclose(
        report.loc["weighted avg", ["precision", "recall", "f1-score"]].astype(float),
        [0.6, 0.6, (4 * 0.5 + 2 * 0.8 + 4 * 4 / 7) / 10],
    )


def test_classification_report_matches_sklearn():
    from sklearn.metrics import classification_report

    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 10, 500)
    y_pred = np.where(rng.random(500) < 0.7, y_true, rng.integers(0, 10, 500))
    ours = ev.classification_report_frame(y_true, y_pred)
    theirs = pd.DataFrame(classification_report(y_true, y_pred, output_dict=True)).T
    for row in ["0", "7", "macro avg", "weighted avg"]:
        np.testing.assert_allclose(
            ours.loc[row].astype(float).to_numpy(), theirs.loc[row, ours.columns].astype(float)
        )


def test_classification_report_never_predicted_class_without_warnings():
    # Class 3 is never predicted and never true; class 2 is never predicted.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = ev.classification_report_frame(Y_TRUE, [0, 0, 1, 1, 1, 1, 0, 0, 1, 0], num_classes=4)
    assert report.loc["2", "precision"] == 0.0
    assert report.loc["2", "recall"] == 0.0
    assert report.loc["3"].tolist() == [0.0, 0.0, 0.0, 0]
    assert report.loc["macro avg", "support"] == 10


def test_classification_report_rejects_out_of_range_classes():
    with pytest.raises(ValueError, match="y_pred must lie between 0 and 2, got values from 0 to 5"):
        ev.classification_report_frame([0, 1], [0, 5], num_classes=3)
    with pytest.raises(ValueError, match="num_classes must be a positive integer, got 0"):
        ev.classification_report_frame([0], [0], num_classes=0)


def test_class_number_rmse_hand_example():
    assert ev.class_number_rmse(Y_TRUE, Y_PRED) == pytest.approx(np.sqrt(1.3))
    assert ev.class_number_rmse([1, 2], [1, 2]) == 0.0


def test_class_number_rmse_charges_distant_digits_more():
    # Both predictions are simply wrong, but 4 for a 9 "costs" five times more.
    assert ev.class_number_rmse([9], [4]) == 5.0
    assert ev.class_number_rmse([9], [8]) == 1.0
    # uint8 labels (as MNIST stores them) must not wrap around.
    assert ev.class_number_rmse(np.array([0], np.uint8), np.array([9], np.uint8)) == 9.0


# --------------------------------------------------------------------------
# Confusions


def test_confusion_counts_hand_example():
    cm = ev.confusion_counts(Y_TRUE, Y_PRED, num_classes=3)
    assert cm.dtype == np.int64
    np.testing.assert_array_equal(cm, CM)


def test_confusion_counts_default_ten_classes_and_matches_sklearn():
    from sklearn.metrics import confusion_matrix

    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 10, 300)
    y_pred = rng.integers(0, 10, 300)
    cm = ev.confusion_counts(y_true, y_pred)
    assert cm.shape == (10, 10)
    np.testing.assert_array_equal(cm, confusion_matrix(y_true, y_pred, labels=range(10)))
    assert cm.sum() == 300
    np.testing.assert_array_equal(cm.sum(axis=1), np.bincount(y_true, minlength=10))


def test_confusion_counts_rejects_bad_labels():
    with pytest.raises(ValueError, match="y_true must lie between 0 and 9"):
        ev.confusion_counts([10], [0])
    with pytest.raises(ValueError, match="same length"):
        ev.confusion_counts([0, 1], [0])


def test_error_matrix_hand_example():
    errors = ev.error_matrix(CM)
    expected = np.array([[np.nan, 0.25, 0.25], [0.0, np.nan, 0.0], [0.5, 0.0, np.nan]])
    np.testing.assert_allclose(errors, expected)
    assert np.isnan(np.diag(errors)).all()


def test_error_matrix_empty_class_is_nan_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        errors = ev.error_matrix([[3, 1], [0, 0]])
    assert errors[0, 1] == 0.25
    assert np.isnan(errors[1]).all()


def test_error_matrix_rejects_non_square_and_negative():
    with pytest.raises(ValueError, match=r"cm must be a square matrix .* got shape \(2, 3\)"):
        ev.error_matrix(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="cm must hold counts of zero or more"):
        ev.error_matrix([[1, -1], [0, 1]])


def test_most_confused_pairs_hand_example():
    pairs = ev.most_confused_pairs(CM)
    assert list(pairs.columns) == ["true", "predicted", "count", "share"]
    # (2 -> 0) twice first, then the single mistakes ordered by true, predicted;
    # pairs with no mistakes (1 -> 0, 1 -> 2, 2 -> 1) are left out.
    assert pairs[["true", "predicted", "count"]].values.tolist() == [[2, 0, 2], [0, 1, 1], [0, 2, 1]]
    np.testing.assert_allclose(pairs["share"], [0.5, 0.25, 0.25])
    assert list(pairs.index) == [0, 1, 2]
    assert ev.most_confused_pairs(CM, top=1)["true"].tolist() == [2]
    assert len(ev.most_confused_pairs(CM, top=None)) == 3


def test_most_confused_pairs_perfect_classifier_is_empty():
    pairs = ev.most_confused_pairs(np.diag([5, 3, 2]))
    assert pairs.empty
    assert list(pairs.columns) == ["true", "predicted", "count", "share"]


def test_most_confused_pairs_rejects_bad_top():
    with pytest.raises(ValueError, match="top must be a positive integer, got 0"):
        ev.most_confused_pairs(CM, top=0)


def test_misclassified_indices_hand_example():
    out = ev.misclassified_indices(Y_TRUE, Y_PRED, 2, 0)
    assert out.dtype == np.int64
    assert out.tolist() == [7, 9]
    assert ev.misclassified_indices(Y_TRUE, Y_PRED, 0, 2).tolist() == [3]
    assert ev.misclassified_indices(Y_TRUE, Y_PRED, 1, 0).tolist() == []


def test_misclassified_indices_rejects_same_class_and_bad_class():
    with pytest.raises(ValueError, match="true_class and predicted_class must differ"):
        ev.misclassified_indices(Y_TRUE, Y_PRED, 2, 2)
    with pytest.raises(ValueError, match="true_class must be an integer class number"):
        ev.misclassified_indices(Y_TRUE, Y_PRED, "4", 9)
    with pytest.raises(ValueError, match="predicted_class must lie between 0"):
        ev.misclassified_indices(Y_TRUE, Y_PRED, 4, -1)


def test_never_predicted():
    assert ev.never_predicted(Y_PRED, num_classes=4) == [3]
    assert ev.never_predicted(Y_PRED, num_classes=3) == []
    contrast = ev.never_predicted(np.array([1, 1, 7, 0], dtype=np.uint8))
    assert contrast == [2, 3, 4, 5, 6, 8, 9]
    assert all(type(label) is int for label in contrast)


def test_never_predicted_rejects_out_of_range():
    with pytest.raises(ValueError, match="y_pred must lie between 0 and 2, got values from 0 to 3"):
        ev.never_predicted([0, 3], num_classes=3)


# --------------------------------------------------------------------------
# probability_table


def test_probability_table_per_cent_predicted_and_true():
    proba = np.array([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]], dtype=np.float32)
    table = ev.probability_table(proba, y_true=[2, 1])
    assert list(table.columns) == [0, 1, 2, "predicted", "true"]
    np.testing.assert_allclose(table[[0, 1, 2]].to_numpy(), proba * 100, rtol=1e-6)
    assert table["predicted"].tolist() == [2, 0]
    assert table["true"].tolist() == [2, 1]
    assert table.index.name == "image"
    assert list(table.index) == [0, 1]


def test_probability_table_without_true_and_ten_classes():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(20, 10))
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    table = ev.probability_table(proba.astype(np.float32))
    assert table.shape == (20, 11)
    assert "true" not in table.columns
    np.testing.assert_allclose(table[list(range(10))].sum(axis=1), 100, rtol=1e-5)
    assert table["predicted"].tolist() == proba.argmax(axis=1).tolist()


def test_probability_table_rejects_non_probabilities():
    with pytest.raises(ValueError, match="between 0 and 1, got values from -2 to 3; are these logits"):
        ev.probability_table([[-2.0, 3.0]])
    with pytest.raises(ValueError, match="every row of proba must sum to 1, got 0.5 in row 1"):
        ev.probability_table([[0.5, 0.5], [0.25, 0.25]])
    with pytest.raises(ValueError, match="y_true must have one class per row of proba \\(1\\), got 2"):
        ev.probability_table([[0.5, 0.5]], y_true=[0, 1])
    with pytest.raises(ValueError, match="y_true must lie between 0 and 1"):
        ev.probability_table([[0.5, 0.5]], y_true=[2])
