"""Judge a classifier's predictions: accuracy, per-class report, confusions.

Everything here works on plain arrays of class numbers (``y_true``,
``y_pred``) or of predicted probabilities (``proba``), so the same functions
serve the lesson model, the one-unit contrast model and any other classifier.
Only :func:`predict_proba` talks to a model, through its Keras-like
``predict(x, batch_size=..., verbose=0)`` method; nothing here imports
TensorFlow.

The ``*_findings`` functions and :func:`replay_early_stopping` turn a
confusion matrix or a training history into the numbers and the words the
book states about them, so that every sentence holds whatever the settings
(see :mod:`mnist_lesson.claims`).

The confusion matrix follows scikit-learn's convention: rows are the true
class, columns the predicted class, so ``cm[9, 4]`` counts nines taken for
fours.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ._checks import check_int, check_labels
from .claims import share_words
from .encoding import NUM_CLASSES

__all__ = [
    "predict_proba",
    "predict_classes",
    "accuracy",
    "classification_report_frame",
    "class_number_rmse",
    "confusion_counts",
    "error_matrix",
    "most_confused_pairs",
    "misclassified_indices",
    "never_predicted",
    "probability_table",
    "confusion_findings",
    "history_findings",
    "rank_words",
    "replay_early_stopping",
]

#: Columns of :func:`classification_report_frame`.
REPORT_COLUMNS = ["precision", "recall", "f1-score", "support"]

#: Columns of :func:`most_confused_pairs`.
PAIR_COLUMNS = ["true", "predicted", "count", "share"]

# How far a probability may stray outside 0..1, or a row's sum from 1,
# before probability_table refuses it (float32 softmax rounding is ~1e-7).
_PROBA_TOLERANCE = 1e-3


# --------------------------------------------------------------------------
# Checks shared by the functions below


def _check_class(name: str, value, num_classes: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer class number, got {value!r}")
    if not 0 <= value < num_classes:
        raise ValueError(f"{name} must lie between 0 and {num_classes - 1}, got {value}")
    return int(value)


def _check_pair(y_true, y_pred, num_classes: int | None = None, *, allow_empty=False):
    y_true = check_labels(y_true, "y_true", num_classes=num_classes)
    y_pred = check_labels(y_pred, "y_pred", num_classes=num_classes)
    if len(y_true) != len(y_pred):
        raise ValueError(
            f"y_true and y_pred must have the same length, got {len(y_true)} and {len(y_pred)}"
        )
    if not allow_empty and len(y_true) == 0:
        raise ValueError("y_true and y_pred must not be empty")
    return y_true, y_pred


def _check_proba(proba, name: str = "proba") -> np.ndarray:
    proba = np.asarray(proba)
    if proba.ndim != 2 or proba.shape[1] < 1:
        raise ValueError(
            f"{name} must have shape (n_samples, n_classes), got shape {proba.shape}"
        )
    if not np.issubdtype(proba.dtype, np.number) or np.issubdtype(proba.dtype, np.complexfloating):
        raise ValueError(f"{name} must hold real numbers, got dtype {proba.dtype}")
    return proba


def _check_confusion(cm) -> np.ndarray:
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or cm.shape[0] < 1:
        raise ValueError(
            f"cm must be a square matrix (n_classes, n_classes), got shape {cm.shape}"
        )
    if not np.issubdtype(cm.dtype, np.number) or np.issubdtype(cm.dtype, np.complexfloating):
        raise ValueError(f"cm must hold counts, got dtype {cm.dtype}")
    if cm.size and (not np.all(np.isfinite(cm)) or cm.min() < 0):
        raise ValueError("cm must hold counts of zero or more, got negative or non-finite entries")
    return cm


# --------------------------------------------------------------------------
# Predictions


def predict_proba(model, x, *, batch_size: int = 1024) -> np.ndarray:
    """Return a model's class probabilities for every row of ``x``.

    Parameters
    ----------
    model : object
        Anything with a Keras-like ``predict(x, batch_size=..., verbose=0)``
        method returning one row of class probabilities per input, such as a
        trained ``keras.Model`` with a softmax output.
    x : array-like of shape (n_samples, n_features)
        Inputs as the model takes them, for example ``x_test`` flattened to
        784 values and rescaled to 0..1.
    batch_size : int, default 1024
        Rows per forward pass; larger is faster and uses more memory.

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes), float32
        For MNIST, shape (n_samples, 10); each row sums to 1.

    Raises
    ------
    ValueError
        If ``batch_size`` is not a positive integer, or the model returns
        something other than one row per input.

    Examples
    --------
    >>> class Uniform:
    ...     def predict(self, x, batch_size=32, verbose=1):
    ...         return np.full((len(x), 10), 0.1)
    >>> predict_proba(Uniform(), np.zeros((3, 784))).shape
    (3, 10)
    """
    batch_size = check_int("batch_size", batch_size)
    if not hasattr(model, "predict"):
        raise ValueError(
            f"model must have a predict(x, batch_size=..., verbose=0) method, "
            f"got {type(model).__name__}"
        )
    n_samples = len(x)
    proba = np.asarray(model.predict(x, batch_size=batch_size, verbose=0), dtype=np.float32)
    if proba.ndim != 2 or proba.shape[0] != n_samples:
        raise ValueError(
            f"model.predict must return shape (n_samples, n_classes) with n_samples = "
            f"{n_samples}, got shape {proba.shape}"
        )
    return proba


def predict_classes(proba) -> np.ndarray:
    """Return the most probable class of each row.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities, for example from :func:`predict_proba`.

    Returns
    -------
    y_pred : ndarray of shape (n_samples,), int64
        The column of each row's largest value (the first one on ties).

    Examples
    --------
    >>> predict_classes([[0.1, 0.7, 0.2], [0.6, 0.3, 0.1]])
    array([1, 0])
    """
    proba = _check_proba(proba)
    return np.argmax(proba, axis=1).astype(np.int64)


# --------------------------------------------------------------------------
# Scores


def accuracy(y_true, y_pred) -> float:
    """Return the share of predictions that equal the true class.

    Parameters
    ----------
    y_true, y_pred : array-like of int, shape (n_samples,)
        True and predicted class numbers.

    Returns
    -------
    float
        Between 0 and 1.

    Examples
    --------
    >>> accuracy([0, 1, 2, 2], [0, 1, 1, 2])
    0.75
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def classification_report_frame(y_true, y_pred, *, num_classes: int = NUM_CLASSES) -> pd.DataFrame:
    """Return precision, recall, F1 and support per class as a table.

    The numbers are scikit-learn's
    :func:`~sklearn.metrics.precision_recall_fscore_support`, computed for
    every class from 0 to ``num_classes - 1`` whether it occurs or not. A
    class that is never predicted has no precision; it is reported as 0
    (``zero_division=0``), without a warning.

    Parameters
    ----------
    y_true, y_pred : array-like of int, shape (n_samples,)
        True and predicted class numbers, from 0 to ``num_classes - 1``.
    num_classes : int, default 10
        Number of classes.

    Returns
    -------
    pandas.DataFrame
        Columns ``precision``, ``recall``, ``f1-score`` (floats from 0 to 1)
        and ``support`` (int, the number of true members of the class).
        The index holds strings: the class numbers ``"0"`` to ``"9"`` (as
        text, so that they sit in one column with the summary rows), then
        ``"macro avg"`` (the plain mean over classes) and ``"weighted avg"``
        (the mean weighted by support). Both summary rows carry the total
        support.

    Examples
    --------
    >>> report = classification_report_frame([0, 0, 1, 1], [0, 1, 1, 1], num_classes=2)
    >>> report.loc["1", ["precision", "recall"]].round(3).tolist()
    [0.667, 1.0]
    >>> int(report.loc["macro avg", "support"])
    4
    """
    from sklearn.metrics import precision_recall_fscore_support

    num_classes = check_int("num_classes", num_classes)
    y_true, y_pred = _check_pair(y_true, y_pred, num_classes)
    labels = np.arange(num_classes)
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=0
    )
    frame = pd.DataFrame(
        {"precision": precision, "recall": recall, "f1-score": f1, "support": support},
        index=[str(label) for label in labels],
    )
    total = int(support.sum())
    weights = support / total
    frame.loc["macro avg"] = [precision.mean(), recall.mean(), f1.mean(), total]
    frame.loc["weighted avg"] = [
        float(weights @ precision), float(weights @ recall), float(weights @ f1), total,
    ]
    frame["support"] = frame["support"].astype(np.int64)
    frame.index.name = "class"
    return frame[REPORT_COLUMNS]


def class_number_rmse(y_true, y_pred) -> float:
    """Return the root-mean-square error between class numbers, as numbers.

    This treats the digit classes as quantities, which they are not: taking
    a 9 for a 4 costs 5 while taking a 9 for an 8 costs 1, although both are
    simply wrong. The book computes it to show why a regression score says
    little about a classifier.

    Parameters
    ----------
    y_true, y_pred : array-like of int, shape (n_samples,)
        True and predicted class numbers.

    Returns
    -------
    float
        ``sqrt(mean((y_true - y_pred) ** 2))``; 0 when every prediction is right.

    Examples
    --------
    >>> class_number_rmse([9, 9], [4, 8])  # sqrt((25 + 1) / 2)
    3.605551275463989
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    difference = (y_true - y_pred).astype(np.float64)
    return float(np.sqrt(np.mean(difference**2)))


# --------------------------------------------------------------------------
# Confusions


def confusion_counts(y_true, y_pred, *, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """Count how often each true class received each predicted class.

    Parameters
    ----------
    y_true, y_pred : array-like of int, shape (n_samples,)
        True and predicted class numbers, from 0 to ``num_classes - 1``.
    num_classes : int, default 10
        Number of classes.

    Returns
    -------
    cm : ndarray of shape (num_classes, num_classes), int64
        ``cm[i, j]`` counts samples of true class ``i`` predicted as ``j``:
        rows are true classes, columns predicted classes, the diagonal holds
        the correct predictions and each row sums to that class's support.

    Examples
    --------
    >>> confusion_counts([0, 0, 1, 2], [0, 1, 1, 1], num_classes=3)
    array([[1, 1, 0],
           [0, 1, 0],
           [0, 1, 0]])
    """
    num_classes = check_int("num_classes", num_classes)
    y_true, y_pred = _check_pair(y_true, y_pred, num_classes, allow_empty=True)
    flat = np.bincount(y_true * num_classes + y_pred, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes).astype(np.int64)


def error_matrix(cm) -> np.ndarray:
    """Return the confusion matrix as shares of each true class, diagonal blanked.

    Parameters
    ----------
    cm : array-like of shape (n_classes, n_classes)
        Counts with true classes in rows, as from :func:`confusion_counts`.

    Returns
    -------
    ndarray of shape (n_classes, n_classes), float64
        Entry ``[i, j]`` is the share of true class ``i`` predicted as ``j``
        (each row divided by its total). The diagonal (the correct
        predictions) is NaN so that a heat map shows only the mistakes, and
        so is every entry of a class with no samples.

    Examples
    --------
    >>> error_matrix([[8, 2], [1, 3]])
    array([[ nan, 0.2 ],
           [0.25,  nan]])
    """
    cm = _check_confusion(cm).astype(np.float64)
    totals = cm.sum(axis=1, keepdims=True)
    shares = np.full_like(cm, np.nan)
    np.divide(cm, totals, out=shares, where=totals > 0)
    np.fill_diagonal(shares, np.nan)
    return shares


def most_confused_pairs(cm, *, top: int | None = 10) -> pd.DataFrame:
    """List the most frequent mistakes: which true class went to which prediction.

    Parameters
    ----------
    cm : array-like of shape (n_classes, n_classes)
        Counts with true classes in rows, as from :func:`confusion_counts`.
    top : int or None, default 10
        How many pairs to keep; None keeps every pair with a mistake.

    Returns
    -------
    pandas.DataFrame
        One row per off-diagonal pair with at least one mistake, columns
        ``true`` (int), ``predicted`` (int), ``count`` (int) and ``share``
        (``count`` divided by the number of samples of the true class),
        sorted by ``count`` (largest first), then by ``true`` and
        ``predicted``; the index is the rank 0, 1, 2, ...

    Examples
    --------
    >>> most_confused_pairs([[5, 1, 0], [2, 4, 0], [0, 2, 3]], top=2)
       true  predicted  count     share
    0     1          0      2  0.333333
    1     2          1      2  0.400000
    """
    cm = _check_confusion(cm)
    if top is not None:
        top = check_int("top", top)
    totals = cm.sum(axis=1)
    true, predicted = np.nonzero(cm)
    keep = true != predicted
    true, predicted = true[keep], predicted[keep]
    counts = cm[true, predicted]
    frame = pd.DataFrame(
        {
            "true": true.astype(np.int64),
            "predicted": predicted.astype(np.int64),
            "count": counts.astype(np.int64),
            "share": (counts / totals[true]).astype(np.float64),
        }
    )
    frame = frame.sort_values(
        ["count", "true", "predicted"], ascending=[False, True, True], kind="mergesort"
    )
    if top is not None:
        frame = frame.head(top)
    return frame.reset_index(drop=True)[PAIR_COLUMNS]


def misclassified_indices(y_true, y_pred, true_class: int, predicted_class: int) -> np.ndarray:
    """Return the positions of samples of one class mistaken for another.

    Parameters
    ----------
    y_true, y_pred : array-like of int, shape (n_samples,)
        True and predicted class numbers.
    true_class, predicted_class : int
        The mistake to look for, for example 4 and 9 for fours taken for
        nines. They must differ.

    Returns
    -------
    ndarray of int64
        Increasing positions ``i`` with ``y_true[i] == true_class`` and
        ``y_pred[i] == predicted_class``; empty if there are none.

    Examples
    --------
    >>> misclassified_indices([4, 9, 4, 4], [9, 9, 4, 9], 4, 9)
    array([0, 3])
    """
    y_true, y_pred = _check_pair(y_true, y_pred, allow_empty=True)
    limit = np.iinfo(np.int64).max
    true_class = _check_class("true_class", true_class, limit)
    predicted_class = _check_class("predicted_class", predicted_class, limit)
    if true_class == predicted_class:
        raise ValueError(
            "true_class and predicted_class must differ (a mistake), got "
            f"{true_class} for both"
        )
    hits = (y_true == true_class) & (y_pred == predicted_class)
    return np.flatnonzero(hits).astype(np.int64)


def never_predicted(y_pred, *, num_classes: int = NUM_CLASSES) -> list[int]:
    """Return the classes that never occur among the predictions.

    Parameters
    ----------
    y_pred : array-like of int, shape (n_samples,)
        Predicted class numbers.
    num_classes : int, default 10
        Number of classes.

    Returns
    -------
    list of int
        Increasing class numbers; empty when every class is predicted at
        least once.

    Examples
    --------
    >>> never_predicted([0, 1, 1, 3], num_classes=5)
    [2, 4]
    """
    num_classes = check_int("num_classes", num_classes)
    y_pred = check_labels(y_pred, "y_pred", num_classes=num_classes)
    counts = np.bincount(y_pred, minlength=num_classes)
    return [int(label) for label in np.flatnonzero(counts == 0)]


def probability_table(proba, *, y_true=None) -> pd.DataFrame:
    """Return predicted probabilities in per cent, one row per image.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities (each between 0 and 1, each row summing to 1),
        for example ``predict_proba(model, x_test)[:20]``.
    y_true : array-like of int, shape (n_samples,), optional
        True classes; adds a column ``true``.

    Returns
    -------
    pandas.DataFrame
        Index: the row positions 0, 1, ... (named ``image``). Columns: the
        class numbers 0 to ``n_classes - 1`` (ints) holding probabilities in
        per cent (float64, 0 to 100), then ``predicted`` (the most probable
        class) and, when ``y_true`` is given, ``true``.

    Raises
    ------
    ValueError
        If ``proba`` is not a 2-D table of probabilities, or ``y_true`` has a
        different length or holds classes outside 0..n_classes-1.

    Examples
    --------
    >>> probability_table([[0.25, 0.75], [1.0, 0.0]], y_true=[1, 1])
              0     1  predicted  true
    image
    0      25.0  75.0          1     1
    1     100.0   0.0          0     1
    """
    proba = _check_proba(proba)
    n_samples, n_classes = proba.shape
    values = proba.astype(np.float64)
    if values.size:
        if not np.all(np.isfinite(values)):
            raise ValueError("proba must hold finite probabilities, got NaN or infinity")
        low, high = values.min(), values.max()
        if low < -_PROBA_TOLERANCE or high > 1 + _PROBA_TOLERANCE:
            raise ValueError(
                f"proba must hold probabilities between 0 and 1, got values from {low:g} "
                f"to {high:g}; are these logits or per cent?"
            )
        sums = values.sum(axis=1)
        worst = int(np.argmax(np.abs(sums - 1)))
        if abs(sums[worst] - 1) > _PROBA_TOLERANCE:
            raise ValueError(
                f"every row of proba must sum to 1, got {sums[worst]:g} in row {worst}"
            )
    frame = pd.DataFrame(values * 100.0, columns=list(range(n_classes)))
    frame["predicted"] = np.argmax(values, axis=1).astype(np.int64)
    if y_true is not None:
        y_true = check_labels(y_true, "y_true", num_classes=n_classes)
        if len(y_true) != n_samples:
            raise ValueError(
                f"y_true must have one class per row of proba ({n_samples}), got {len(y_true)}"
            )
        frame["true"] = y_true
    frame.index.name = "image"
    return frame


# --------------------------------------------------------------------------
# Findings: what the book says about a training run or a confusion matrix

_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "eleven", "twelve")
_ORDINAL_WORDS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
                  "tenth")


def _number_word(n: int) -> str:
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else f"{n:,}"


def _ordinal(n: int) -> str:
    if 0 < n < len(_ORDINAL_WORDS):
        return _ORDINAL_WORDS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _history_column(history, key: str, *, finite: bool = True) -> np.ndarray:
    """One per-epoch column of a training history, checked."""
    if hasattr(history, "history") and not isinstance(history, (Mapping, pd.DataFrame)):
        history = history.history  # a Keras History object
    if not isinstance(history, (Mapping, pd.DataFrame)):
        raise ValueError(
            f"history must be a dict of per-epoch lists (Keras's History.history) or a DataFrame, "
            f"got {type(history).__name__}"
        )
    if key not in history:
        raise ValueError(f"history has no {key!r}; it has {sorted(str(k) for k in history.keys())}")
    try:
        values = np.asarray(history[key], dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"history[{key!r}] must be a list of numbers, one per epoch") from None
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"history[{key!r}] must be a non-empty list of numbers, one per epoch")
    if finite and not np.all(np.isfinite(values)):
        raise ValueError(f"history[{key!r}] must hold finite numbers, got NaN or infinity")
    return values


def replay_early_stopping(history, patience: int, epochs: int, *, monitor: str = "val_accuracy",
                          mode: str = "max") -> dict:
    """Replay early stopping and the best-model checkpoint on a recorded history.

    Keras's ``EarlyStopping`` (with ``min_delta=0`` and no baseline, as the
    book uses it) counts the epochs since the monitored value last beat its
    best so far, strictly, and stops training at the end of the epoch in
    which that count reaches ``patience`` (never after the first epoch). A
    checkpoint with ``save_best_only=True`` keeps the first epoch with the
    best value. Both rules look only at the recorded values, so they can be
    replayed for another patience without training again, as long as the
    history reaches far enough.

    Parameters
    ----------
    history : dict of lists, DataFrame or keras.callbacks.History
        Per-epoch values, as in ``TrainedModel.history``.
    patience : int
        Epochs without improvement after which training stops (0 or more).
    epochs : int
        The ceiling: the number of epochs that ``fit`` was asked for.
    monitor : str, default "val_accuracy"
        The history column that early stopping watches.
    mode : {"max", "min"}, default "max"
        Whether a larger ("max") or a smaller ("min") value is better.

    Returns
    -------
    dict
        ``stop_epoch`` (the last epoch that runs, counting from 1),
        ``best_epoch`` (the epoch whose weights the checkpoint keeps),
        ``best_value`` (its monitored value), ``early_stopped`` (True when
        the patience rule ends training, even in the last epoch the ceiling
        allows), ``at_ceiling`` (True when training runs all ``epochs``) and
        ``stopped_by``, words for what ended training: ``"early stopping"``,
        ``"the ceiling"`` or, when both end it in the same epoch,
        ``"early stopping, in the last epoch the ceiling allowed"``.

    Raises
    ------
    ValueError
        If ``patience`` or ``epochs`` is not a valid count, ``mode`` is
        unknown, the history lacks ``monitor`` or has more epochs than
        ``epochs``, or the history ends before the replayed rule or the
        ceiling would end training (a patience longer than the recorded
        run's cannot be replayed: the epochs it needs were never trained).

    Examples
    --------
    >>> history = {"val_accuracy": [0.90, 0.93, 0.92, 0.94, 0.94, 0.93]}
    >>> replay_early_stopping(history, patience=1, epochs=10)["stop_epoch"]
    3
    >>> found = replay_early_stopping(history, patience=2, epochs=10)
    >>> found["stop_epoch"], found["best_epoch"], found["stopped_by"]
    (6, 4, 'early stopping')
    >>> replay_early_stopping({"val_accuracy": [0.90, 0.93]}, patience=2, epochs=2)["stopped_by"]
    'the ceiling'
    """
    patience = check_int("patience", patience, minimum=0)
    epochs = check_int("epochs", epochs)
    if mode not in ("max", "min"):
        raise ValueError(f"mode must be 'max' or 'min', got {mode!r}")
    values = _history_column(history, monitor, finite=False)
    if len(values) > epochs:
        raise ValueError(
            f"the history has {len(values)} epochs, more than the ceiling of {epochs}; pass the "
            "epochs setting the run was trained with"
        )
    better = np.greater if mode == "max" else np.less
    best, best_epoch, wait, stop = None, 0, 0, None
    for epoch, value in enumerate(values, start=1):
        wait += 1
        if best is None or better(value, best):
            best, best_epoch, wait = value, epoch, 0
            continue
        if wait >= patience and epoch > 1:
            stop = epoch
            break
    early_stopped = stop is not None
    if not early_stopped:
        if len(values) < epochs:
            raise ValueError(
                f"with a patience of {patience}, training would go on after epoch {len(values)}, "
                f"where the history ends (the ceiling is {epochs}); a longer patience than the "
                "recorded run's cannot be replayed"
            )
        stop = epochs
    at_ceiling = stop == epochs
    if not early_stopped:
        stopped_by = "the ceiling"
    elif at_ceiling:
        stopped_by = "early stopping, in the last epoch the ceiling allowed"
    else:
        stopped_by = "early stopping"
    return {
        "stop_epoch": int(stop),
        "best_epoch": int(best_epoch),
        "best_value": float(best),
        "early_stopped": early_stopped,
        "at_ceiling": at_ceiling,
        "stopped_by": stopped_by,
    }


def history_findings(history) -> dict:
    """What the book says about a training run's curves, worded from its numbers.

    Parameters
    ----------
    history : dict of lists, DataFrame or keras.callbacks.History
        Per-epoch ``loss``, ``accuracy``, ``val_loss`` and ``val_accuracy``,
        as in ``TrainedModel.history``; all of the same, non-zero length.

    Returns
    -------
    dict
        Numbers (epochs count from 1): ``epochs``; ``best_epoch`` (first
        epoch of highest validation accuracy), ``val_acc_best``,
        ``val_acc_last``; ``val_loss_epoch`` (first epoch of lowest
        validation loss), ``val_loss_min``, ``val_loss_last``,
        ``val_acc_at_loss_epoch``; ``train_loss_first``, ``train_loss_last``,
        ``train_acc_last``; ``gap_last`` (training minus validation accuracy
        in the last epoch). Facts: ``train_loss_falls`` (lower in every epoch
        than in the one before), ``val_loss_rises`` (the validation loss ends
        above its lowest value). Sentences: ``val_loss_text`` (the course of
        the validation loss), ``gap_text`` (training against validation
        accuracy at the end) and ``criteria_text`` (the epoch of lowest
        validation loss against the epoch of highest validation accuracy).

    Raises
    ------
    ValueError
        If a column is missing, empty or not finite, or the columns differ
        in length.

    Examples
    --------
    >>> history = {"loss": [0.5, 0.3, 0.2], "accuracy": [0.90, 0.95, 0.97],
    ...            "val_loss": [0.30, 0.25, 0.27], "val_accuracy": [0.92, 0.93, 0.94]}
    >>> found = history_findings(history)
    >>> found["val_loss_epoch"], found["best_epoch"], found["val_loss_rises"]
    (2, 3, True)
    >>> found["val_loss_text"]
    'The validation loss is lowest at epoch 2 (0.250) and ends higher, at 0.270, while the training loss keeps falling.'
    >>> found["gap_text"]
    'In the last epoch the training accuracy, 97.00%, is 3.00 percentage points above the validation accuracy, 94.00%.'
    """
    columns = {key: _history_column(history, key) for key in ("loss", "accuracy", "val_loss", "val_accuracy")}
    lengths = {key: len(values) for key, values in columns.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"the history's columns must have the same number of epochs, got {lengths}")
    loss, acc, val_loss, val_acc = (columns[k] for k in ("loss", "accuracy", "val_loss", "val_accuracy"))
    n = len(loss)
    best_epoch = int(np.argmax(val_acc)) + 1
    loss_epoch = int(np.argmin(val_loss)) + 1
    found = {
        "epochs": n,
        "best_epoch": best_epoch,
        "val_acc_best": float(val_acc.max()),
        "val_acc_last": float(val_acc[-1]),
        "val_loss_epoch": loss_epoch,
        "val_loss_min": float(val_loss.min()),
        "val_loss_last": float(val_loss[-1]),
        "val_acc_at_loss_epoch": float(val_acc[loss_epoch - 1]),
        "train_loss_first": float(loss[0]),
        "train_loss_last": float(loss[-1]),
        "train_acc_last": float(acc[-1]),
        "gap_last": float(acc[-1] - val_acc[-1]),
        "train_loss_falls": bool(np.all(np.diff(loss) < 0)),
        "val_loss_rises": bool(val_loss[-1] > val_loss.min()),
    }

    low, last = found["val_loss_min"], found["val_loss_last"]
    if n == 1:
        text = f"The validation loss is {low:.3f} after the only epoch."
    elif not found["val_loss_rises"]:
        text = (f"The validation loss is lowest in the last epoch, {n} ({low:.3f}): when training ended, "
                "it was still reaching new lows.")
    else:
        text = f"The validation loss is lowest at epoch {loss_epoch} ({low:.3f}) and ends higher, at {last:.3f}"
        text += ", while the training loss keeps falling." if np.all(np.diff(loss[loss_epoch - 1:]) < 0) else "."
    found["val_loss_text"] = text

    train, val = found["train_acc_last"], found["val_acc_last"]
    points = abs(found["gap_last"]) * 100
    if round(points, 2) == 0:
        found["gap_text"] = f"In the last epoch the training and the validation accuracy are equal, {train:.2%}."
    elif train > val:
        found["gap_text"] = (f"In the last epoch the training accuracy, {train:.2%}, is {points:.2f} percentage "
                             f"points above the validation accuracy, {val:.2%}.")
    else:
        found["gap_text"] = (f"In the last epoch the training accuracy, {train:.2%}, is still {points:.2f} "
                             f"percentage points below the validation accuracy, {val:.2%}: the training accuracy is averaged over "
                             "the epoch's mini-batches, while the weights were still changing.")

    best, at_loss = found["val_acc_best"], found["val_acc_at_loss_epoch"]
    if loss_epoch == best_epoch:
        found["criteria_text"] = (
            f"In this run the lowest validation loss and the highest validation accuracy fall in the same "
            f"epoch, {best_epoch}, so on this history both criteria pick the same weights."
        )
    elif loss_epoch < best_epoch:
        found["criteria_text"] = (
            f"The epoch with the lowest validation loss, {loss_epoch}, has a validation accuracy of "
            f"{at_loss:.2%}, against {best:.2%} at epoch {best_epoch}, but its network is less overconfident."
        )
    else:
        reaches = ("the same validation accuracy" if at_loss == best
                   else f"a validation accuracy of {at_loss:.2%}, against {best:.2%}")
        found["criteria_text"] = (
            f"The epoch with the lowest validation loss, {loss_epoch}, comes after the epoch with the highest "
            f"validation accuracy, {best_epoch}, and reaches {reaches}."
        )
    return found


def rank_words(value, values, *, order: str = "lowest") -> str:
    """Words for where ``value`` ranks among ``values``: "the lowest", "the third highest", ...

    Parameters
    ----------
    value : float
        One of ``values``.
    values : array-like of float
        The values it is ranked among.
    order : {"lowest", "highest"}, default "lowest"
        Rank from the smallest ("lowest") or from the largest ("highest").

    Returns
    -------
    str
        ``"the lowest"``, ``"the second lowest"``, ... (``"joint"`` is added
        when other values are equal to it).

    Raises
    ------
    ValueError
        If ``order`` is unknown or ``value`` is not among ``values``.

    Examples
    --------
    >>> rank_words(0.95, [0.99, 0.95, 0.97])
    'the lowest'
    >>> rank_words(0.97, [0.99, 0.95, 0.97], order="highest")
    'the second highest'
    >>> rank_words(0.95, [0.95, 0.95, 0.97])
    'the joint lowest'
    """
    if order not in ("lowest", "highest"):
        raise ValueError(f"order must be 'lowest' or 'highest', got {order!r}")
    values = np.asarray(values, dtype=np.float64).ravel()
    value = float(value)
    equal = int(np.sum(values == value))
    if equal == 0:
        raise ValueError(f"value {value:g} is not among the values it is to be ranked in")
    ahead = int(np.sum(values < value)) if order == "lowest" else int(np.sum(values > value))
    place = "" if ahead == 0 else f"{_ordinal(ahead + 1)} "
    joint = "joint " if equal > 1 else ""
    return f"the {joint}{place}{order}"


def confusion_findings(cm, *, top: int = 10, shown: int = 3, threshold: float = 0.01) -> dict:
    """What the book says about a confusion matrix, worded from its counts.

    Parameters
    ----------
    cm : array-like of shape (n_classes, n_classes)
        Counts with true classes in rows, as from :func:`confusion_counts`;
        at least two classes and at least one mistake.
    top : int, default 10
        How many of the most frequent pairs ``top_count`` adds up.
    shown : int, default 3
        How many of the most confused pairs a figure is to show; ties with
        the last of them are added (``n_shown``, ``shown_text``).
    threshold : float, default 0.01
        The share of a true class above which an error-matrix cell counts
        in ``n_over``.

    Returns
    -------
    dict
        Counts: ``n_right``, ``n_wrong``, ``n_off_cells`` (off-diagonal
        cells), ``n_zero_cells`` (off-diagonal cells that are 0),
        ``n_error_pairs`` (those that are not), ``n_over`` (error-matrix
        cells above ``threshold``) and ``over_words`` (their share of the
        off-diagonal cells, in words, see
        :func:`~mnist_lesson.claims.share_words`). The most frequent mistake
        by count: ``worst_true``, ``worst_pred``, ``worst_count``,
        ``worst_reverse_count`` (the same pair the other way round); by
        share of the true class: ``worst_rate_true``, ``worst_rate_pred``,
        ``worst_rate``, ``worst_rate_reverse`` (NaN when the predicted class
        has no samples) and ``direction_text``, a sentence comparing the two
        directions. Concentration: ``top_count`` (mistakes in the ``top``
        most frequent pairs), ``top_share`` (their share of all mistakes),
        ``top_pair_share`` (those pairs' share of the pairs that occur).
        The figure of pairs: ``n_shown`` (pairs at least as frequent as the
        ``shown``-th) and ``shown_text`` (words for them).

    Raises
    ------
    ValueError
        If ``cm`` is not a square matrix of counts with two classes or more,
        has no mistakes, or ``top``, ``shown`` or ``threshold`` is invalid.

    Examples
    --------
    >>> found = confusion_findings([[50, 4, 0], [1, 40, 2], [0, 2, 45]], top=2, shown=1)
    >>> found["worst_true"], found["worst_pred"], found["worst_count"], found["worst_reverse_count"]
    (0, 1, 4, 1)
    >>> found["n_zero_cells"], found["n_shown"], found["shown_text"]
    (2, 1, 'the most confused pair')
    >>> found["direction_text"]
    'Here 0s are read as 1s 3.2 times as often as the other way round.'
    """
    cm = _check_confusion(cm)
    top = check_int("top", top)
    shown = check_int("shown", shown)
    threshold = float(threshold)
    if not 0.0 <= threshold < 1.0:
        raise ValueError(f"threshold must lie from 0 up to 1, got {threshold}")
    n_classes = len(cm)
    if n_classes < 2:
        raise ValueError(f"cm must have at least two classes to be confused, got shape {cm.shape}")
    off = cm.copy()
    np.fill_diagonal(off, 0)
    n_wrong = int(off.sum())
    if n_wrong == 0:
        raise ValueError("cm has no mistakes (every off-diagonal count is 0): there is no confusion to describe")
    pairs = most_confused_pairs(cm, top=None)
    n_off = n_classes * n_classes - n_classes
    worst_true, worst_pred = int(pairs["true"].iloc[0]), int(pairs["predicted"].iloc[0])
    errors = error_matrix(cm)
    rate_true, rate_pred = (int(v) for v in np.unravel_index(np.nanargmax(errors), errors.shape))
    rate, reverse = float(errors[rate_true, rate_pred]), float(errors[rate_pred, rate_true])
    n_over = int(np.sum(np.nan_to_num(errors, nan=0.0) > threshold))
    top_counts = pairs["count"].head(top)
    found = {
        "n_right": int(np.trace(cm)),
        "n_wrong": n_wrong,
        "n_off_cells": n_off,
        "n_zero_cells": int(n_off - len(pairs)),
        "n_error_pairs": int(len(pairs)),
        "n_over": n_over,
        "over_words": share_words(n_over / n_off),
        "worst_true": worst_true,
        "worst_pred": worst_pred,
        "worst_count": int(pairs["count"].iloc[0]),
        "worst_reverse_count": int(cm[worst_pred, worst_true]),
        "worst_rate_true": rate_true,
        "worst_rate_pred": rate_pred,
        "worst_rate": rate,
        "worst_rate_reverse": reverse,
        "top_count": int(top_counts.sum()),
        "top_share": float(top_counts.sum() / n_wrong),
        "top_pair_share": float(len(top_counts) / len(pairs)),
    }

    t, p = rate_true, rate_pred
    if np.isnan(reverse):
        found["direction_text"] = f"Here {t}s are read as {p}s; there are no {p}s to be read the other way round."
    elif reverse == 0:
        found["direction_text"] = f"Here {t}s are read as {p}s, but never the other way round."
    elif rate / reverse >= 1.25:
        found["direction_text"] = f"Here {t}s are read as {p}s {rate / reverse:.1f} times as often as the other way round."
    else:
        found["direction_text"] = (f"For this pair, though, the two directions are about equally common "
                                   f"({rate:.1%} against {reverse:.1%}).")

    cut = pairs["count"].iloc[min(shown, len(pairs)) - 1]
    n_shown = int((pairs["count"] >= cut).sum())
    found["n_shown"] = n_shown
    if n_shown == len(pairs) and n_shown <= shown:
        found["shown_text"] = ("the only confused pair" if n_shown == 1
                               else f"all {_number_word(n_shown)} confused pairs")
    elif n_shown == shown:
        found["shown_text"] = ("the most confused pair" if shown == 1
                               else f"the {_number_word(shown)} most confused pairs")
    else:
        found["shown_text"] = (f"the {_number_word(n_shown)} most confused pairs (the "
                               f"{_number_word(shown) + ' ' if shown > 1 else ''}most frequent, and every pair "
                               f"tied with the {_ordinal(shown)})")
    return found
