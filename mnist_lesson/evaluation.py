"""Judge a classifier's predictions: accuracy, per-class report, confusions.

Everything here works on plain arrays of class numbers (``y_true``,
``y_pred``) or of predicted probabilities (``proba``), so the same functions
serve the lesson model, the one-unit contrast model and any other classifier.
Only :func:`predict_proba` talks to a model, through its Keras-like
``predict(x, batch_size=..., verbose=0)`` method; nothing here imports
TensorFlow.

The confusion matrix follows scikit-learn's convention: rows are the true
class, columns the predicted class, so ``cm[9, 4]`` counts nines taken for
fours.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._checks import check_int, check_labels
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
