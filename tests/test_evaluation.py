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


# --------------------------------------------------------------------------
# replay_early_stopping


def _keras_stop_epoch(values, patience):
    """The epoch (from 1) after which Keras's own EarlyStopping ends fit, given the values."""
    from types import SimpleNamespace

    keras = pytest.importorskip("keras")
    callback = keras.callbacks.EarlyStopping(monitor="val_accuracy", mode="max", patience=patience)
    model = SimpleNamespace(stop_training=False)
    callback.set_model(model)
    callback.on_train_begin()
    for epoch, value in enumerate(values):
        callback.on_epoch_end(epoch, {"val_accuracy": float(value)})
        if model.stop_training:
            return epoch + 1
    return len(values)


def test_replay_early_stopping_agrees_with_keras():
    rng = np.random.default_rng(0)
    for _trial in range(40):
        # Rounded values, so that ties (no strict improvement) happen often.
        values = np.round(np.cumsum(rng.normal(0.01, 0.02, size=12)), 2).tolist()
        for patience in (0, 1, 2, 3):
            found = ev.replay_early_stopping({"val_accuracy": values}, patience, len(values))
            stop = _keras_stop_epoch(values, patience)
            assert found["stop_epoch"] == stop, (values, patience)
            # The checkpoint keeps the first epoch with the best value among those that ran.
            assert found["best_epoch"] == int(np.argmax(values[:stop])) + 1
            assert found["best_value"] == max(values[:stop])


def test_replay_early_stopping_hand_examples():
    history = {"val_accuracy": [0.90, 0.93, 0.92, 0.94, 0.94, 0.93], "loss": [1, 1, 1, 1, 1, 1]}
    one = ev.replay_early_stopping(history, 1, 10)
    assert one == {"stop_epoch": 3, "best_epoch": 2, "best_value": 0.93, "early_stopped": True,
                   "at_ceiling": False, "stopped_by": "early stopping"}
    # An equal value is no improvement: epochs 5 and 6 both count.
    assert ev.replay_early_stopping(history, 2, 10)["stop_epoch"] == 6
    # Patience 0 stops at the first epoch without improvement.
    assert ev.replay_early_stopping(history, 0, 10)["stop_epoch"] == 3
    # A DataFrame works as well as a dict.
    assert ev.replay_early_stopping(pd.DataFrame(history), 1, 10)["stop_epoch"] == 3


def test_replay_early_stopping_says_what_ended_training():
    rising = {"val_accuracy": [0.1, 0.2, 0.3]}
    assert ev.replay_early_stopping(rising, 2, 3)["stopped_by"] == "the ceiling"
    assert ev.replay_early_stopping(rising, 2, 3)["early_stopped"] is False
    # The rule fires in the very epoch the ceiling would end training anyway.
    both = ev.replay_early_stopping({"val_accuracy": [0.3, 0.2, 0.1]}, 2, 3)
    assert both["early_stopped"] and both["at_ceiling"]
    assert both["stopped_by"] == "early stopping, in the last epoch the ceiling allowed"
    # mode="min" for a loss.
    assert ev.replay_early_stopping({"val_loss": [3, 2, 2, 2]}, 2, 9, monitor="val_loss", mode="min")["stop_epoch"] == 4


def test_replay_early_stopping_rejects_what_it_cannot_replay():
    history = {"val_accuracy": [0.90, 0.93, 0.92, 0.91]}
    with pytest.raises(ValueError, match="training would go on after epoch 4, where the history ends"):
        ev.replay_early_stopping(history, 5, 30)
    with pytest.raises(ValueError, match="the history has 4 epochs, more than the ceiling of 3"):
        ev.replay_early_stopping(history, 1, 3)
    with pytest.raises(ValueError, match="patience"):
        ev.replay_early_stopping(history, -1, 30)
    with pytest.raises(ValueError, match="mode must be 'max' or 'min', got 'up'"):
        ev.replay_early_stopping(history, 1, 30, mode="up")
    with pytest.raises(ValueError, match="history has no 'val_loss'"):
        ev.replay_early_stopping(history, 1, 30, monitor="val_loss")
    with pytest.raises(ValueError, match="must be a non-empty list"):
        ev.replay_early_stopping({"val_accuracy": []}, 1, 30)
    with pytest.raises(ValueError, match="must be a non-empty list"):
        ev.replay_early_stopping({"val_accuracy": 0.9}, 1, 30)
    with pytest.raises(ValueError, match="must be a list of numbers"):
        ev.replay_early_stopping({"val_accuracy": ["high", "low"]}, 1, 30)
    with pytest.raises(ValueError, match="history must be a dict"):
        ev.replay_early_stopping([0.9, 0.8], 1, 30)


# --------------------------------------------------------------------------
# history_findings


def _history(loss, accuracy, val_loss, val_accuracy):
    return {"loss": loss, "accuracy": accuracy, "val_loss": val_loss, "val_accuracy": val_accuracy}


def test_history_findings_overfitting_run():
    history = _history([0.5, 0.3, 0.2, 0.1], [0.90, 0.95, 0.97, 0.99],
                       [0.30, 0.25, 0.27, 0.29], [0.92, 0.93, 0.95, 0.94])
    found = ev.history_findings(history)
    assert (found["epochs"], found["best_epoch"], found["val_loss_epoch"]) == (4, 3, 2)
    assert found["val_loss_rises"] and found["train_loss_falls"]
    assert found["val_acc_at_loss_epoch"] == 0.93
    assert found["gap_last"] == pytest.approx(0.05)
    assert found["val_loss_text"] == ("The validation loss is lowest at epoch 2 (0.250) and ends higher, "
                                      "at 0.290, while the training loss keeps falling.")
    assert found["gap_text"] == ("In the last epoch the training accuracy, 99.00%, is 5.00 percentage points "
                                 "above the validation accuracy, 94.00%.")
    assert found["criteria_text"] == ("The epoch with the lowest validation loss, 2, has a validation accuracy "
                                      "of 93.00%, against 95.00% at epoch 3, but its network is less overconfident.")


def test_history_findings_run_still_improving_at_the_end():
    # Like the draft profile: everything is best in the last epoch, validation above training.
    history = _history([0.8, 0.3, 0.27], [0.81, 0.91, 0.92], [0.40, 0.31, 0.27], [0.89, 0.915, 0.925])
    found = ev.history_findings(history)
    assert not found["val_loss_rises"]
    assert found["val_loss_epoch"] == found["best_epoch"] == 3
    assert found["val_loss_text"] == ("The validation loss is lowest in the last epoch, 3 (0.270): when training "
                                      "ended, it was still reaching new lows.")
    assert found["gap_text"].startswith("In the last epoch the training accuracy, 92.00%, is still 0.50 percentage "
                                        "points below the validation accuracy, 92.50%")
    assert found["criteria_text"] == ("In this run the lowest validation loss and the highest validation accuracy "
                                      "fall in the same epoch, 3, so on this history both criteria pick the same "
                                      "weights.")


def test_history_findings_lowest_loss_after_best_accuracy():
    history = _history([0.5, 0.4, 0.39], [0.8, 0.85, 0.86], [0.50, 0.45, 0.40], [0.85, 0.84, 0.85])
    found = ev.history_findings(history)
    assert (found["best_epoch"], found["val_loss_epoch"]) == (1, 3)
    assert found["criteria_text"] == ("The epoch with the lowest validation loss, 3, comes after the epoch with the "
                                      "highest validation accuracy, 1, and reaches the same validation accuracy.")
    history["val_accuracy"][2] = 0.80
    assert ev.history_findings(history)["criteria_text"].endswith("a validation accuracy of 80.00%, against 85.00%.")


def test_history_findings_edge_cases_and_errors():
    one = ev.history_findings(_history([0.5], [0.8], [0.4], [0.85]))
    assert one["val_loss_text"] == "The validation loss is 0.400 after the only epoch."
    assert one["gap_text"] == "In the last epoch the training accuracy, 80.00%, is still 5.00 percentage points " \
        "below the validation accuracy, 85.00%: the training accuracy is averaged over the epoch's mini-batches, " \
        "while the weights were still changing."
    level = ev.history_findings(_history([0.5, 0.4], [0.8, 0.9], [0.4, 0.5], [0.85, 0.9]))
    assert level["gap_text"] == "In the last epoch the training and the validation accuracy are equal, 90.00%."
    # The training loss does not fall after the lowest validation loss: no claim that it does.
    flat = ev.history_findings(_history([0.5, 0.4, 0.4], [0.8, 0.9, 0.9], [0.4, 0.3, 0.35], [0.85, 0.9, 0.9]))
    assert not flat["train_loss_falls"]
    assert flat["val_loss_text"].endswith("ends higher, at 0.350.")
    with pytest.raises(ValueError, match="same number of epochs"):
        ev.history_findings(_history([0.5, 0.4], [0.8], [0.4], [0.85]))
    with pytest.raises(ValueError, match="history has no 'val_loss'"):
        ev.history_findings({"loss": [1.0], "accuracy": [0.5], "val_accuracy": [0.5]})
    with pytest.raises(ValueError, match="finite"):
        ev.history_findings(_history([np.nan], [0.8], [0.4], [0.85]))


# --------------------------------------------------------------------------
# rank_words


def test_rank_words():
    values = [0.949, 0.95, 0.97, 0.99]
    assert ev.rank_words(0.949, values) == "the lowest"
    assert ev.rank_words(0.97, values) == "the third lowest"
    assert ev.rank_words(0.99, values, order="highest") == "the highest"
    assert ev.rank_words(0.95, [0.95, 0.95, 0.99]) == "the joint lowest"
    assert ev.rank_words(0.99, [0.95, 0.95, 0.99]) == "the third lowest"
    assert ev.rank_words(12, range(1, 13), order="lowest") == "the 12th lowest"
    with pytest.raises(ValueError, match="order must be 'lowest' or 'highest'"):
        ev.rank_words(1, [1], order="worst")
    with pytest.raises(ValueError, match="not among the values"):
        ev.rank_words(0.5, values)


# --------------------------------------------------------------------------
# confusion_findings


def test_confusion_findings_hand_example():
    # CM (see the top of this file): mistakes 0->1 (1), 0->2 (1), 2->0 (2); 1->0, 1->2, 2->1 never happen.
    found = ev.confusion_findings(CM, top=2, shown=1)
    assert (found["n_right"], found["n_wrong"]) == (6, 4)
    assert (found["n_off_cells"], found["n_zero_cells"], found["n_error_pairs"]) == (6, 3, 3)
    assert (found["worst_true"], found["worst_pred"], found["worst_count"], found["worst_reverse_count"]) == (2, 0, 2, 1)
    # By share of the true class: 2->0 is 2/4, 0->1 and 0->2 are 1/4 each; the reverse 0->2 is 1/4.
    assert (found["worst_rate_true"], found["worst_rate_pred"]) == (2, 0)
    assert found["worst_rate"] == 0.5 and found["worst_rate_reverse"] == 0.25
    assert found["direction_text"] == "Here 2s are read as 0s 2.0 times as often as the other way round."
    assert found["n_over"] == 3 and found["over_words"] == "about half"
    assert found["top_count"] == 3 and found["top_share"] == 0.75
    assert found["top_pair_share"] == pytest.approx(2 / 3)
    assert found["n_shown"] == 1 and found["shown_text"] == "the most confused pair"


def test_confusion_findings_ties_for_the_last_shown_pair():
    cm = np.array([[90, 5, 3, 3], [1, 90, 3, 0], [0, 0, 90, 1], [0, 0, 0, 90]])
    found = ev.confusion_findings(cm, shown=2)
    assert found["n_shown"] == 4
    assert found["shown_text"] == ("the four most confused pairs (the two most frequent, and every pair tied "
                                   "with the second)")
    assert ev.confusion_findings(cm, shown=1)["shown_text"] == "the most confused pair"
    assert ev.confusion_findings(cm, shown=9)["shown_text"] == "all six confused pairs"
    assert ev.confusion_findings([[5, 1], [0, 5]])["shown_text"] == "the only confused pair"


def test_confusion_findings_direction_words():
    assert ev.confusion_findings([[9, 1], [0, 10]])["direction_text"] == "Here 0s are read as 1s, but never the other way round."
    assert ev.confusion_findings([[9, 1], [1, 9]])["direction_text"] == (
        "For this pair, though, the two directions are about equally common (10.0% against 10.0%).")
    assert ev.confusion_findings([[9, 1], [0, 0]])["direction_text"] == (
        "Here 0s are read as 1s; there are no 1s to be read the other way round.")


def test_confusion_findings_rejects_bad_input():
    with pytest.raises(ValueError, match="no mistakes"):
        ev.confusion_findings(np.eye(3, dtype=int) * 5)
    with pytest.raises(ValueError, match="at least two classes"):
        ev.confusion_findings([[5]])
    with pytest.raises(ValueError, match="square matrix"):
        ev.confusion_findings([[1, 2, 3]])
    with pytest.raises(ValueError, match="threshold must lie from 0 up to 1"):
        ev.confusion_findings(CM, threshold=1.5)
    with pytest.raises(ValueError, match="shown"):
        ev.confusion_findings(CM, shown=0)
