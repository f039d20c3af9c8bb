"""Argument checks shared by the modules of the package.

Each check returns the value in the form the caller works with, or raises a
``ValueError`` that names the argument, says what it must be and shows what
it got, so that a reader of the message knows what to change.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_int", "check_labels", "check_matrix"]


def check_int(name: str, value, *, minimum: int | None = 1, maximum: int | None = None) -> int:
    """Return ``value`` as an ``int`` after checking it is a whole number in range.

    Python and NumPy integers are accepted; booleans, floats and strings are
    not. ``minimum=None`` allows any value below ``maximum``.

    Examples
    --------
    >>> check_int("epochs", 3)
    3
    >>> check_int("epochs", 0)
    Traceback (most recent call last):
    ...
    ValueError: epochs must be a positive integer, got 0
    >>> check_int("seed", -1, minimum=0)
    Traceback (most recent call last):
    ...
    ValueError: seed must be at least 0, got -1
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if minimum is not None and value < minimum:
        if minimum == 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}, got {value!r}")
    return int(value)


def check_labels(labels, name: str = "labels", *, num_classes: int | None = None, n: int | None = None) -> np.ndarray:
    """Return class labels as a one-dimensional int64 array after checking them.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Class numbers: integers, or floats that hold whole numbers.
    name : str, default "labels"
        The argument's name, used in error messages.
    num_classes : int, optional
        When given, every label must lie between 0 and ``num_classes - 1``;
        otherwise labels must not be negative.
    n : int, optional
        When given, the number of labels there must be (one per image).

    Examples
    --------
    >>> check_labels([3.0, 1], num_classes=10)
    array([3, 1])
    >>> check_labels([[0, 1]], "y_true")
    Traceback (most recent call last):
    ...
    ValueError: y_true must be one-dimensional (n_samples,), got shape (1, 2) (one-hot rows? use encoding.from_one_hot)
    """
    arr = np.asarray(labels)
    if arr.ndim != 1:
        hint = " (one-hot rows? use encoding.from_one_hot)" if arr.ndim == 2 else ""
        raise ValueError(f"{name} must be one-dimensional (n_samples,), got shape {arr.shape}{hint}")
    if n is not None and len(arr) != n:
        raise ValueError(f"{name} must have one entry per image ({n}), got {len(arr)}")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        if not np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.complexfloating) \
                or not np.all(np.mod(arr, 1) == 0):
            raise ValueError(f"{name} must hold whole class numbers, got dtype {arr.dtype}")
    arr = arr.astype(np.int64)
    if arr.size and num_classes is not None and (arr.min() < 0 or arr.max() >= num_classes):
        raise ValueError(
            f"{name} must lie between 0 and {num_classes - 1}, got values from {arr.min()} to {arr.max()}"
        )
    if arr.size and arr.min() < 0:
        raise ValueError(f"{name} must not be negative, got a minimum of {arr.min()}")
    return arr


def check_matrix(x, name: str = "x", *, min_rows: int = 1) -> np.ndarray:
    """Return ``x`` as an array after checking it is a finite 2-D table of real numbers.

    Parameters
    ----------
    x : array-like of shape (n_samples, n_features)
        Rows of numbers: flattened images, hidden activations, projections.
    name : str, default "x"
        The argument's name, used in error messages.
    min_rows : int, default 1
        Fewest rows accepted.

    Examples
    --------
    >>> check_matrix([[1, 2], [3, 4]]).shape
    (2, 2)
    >>> check_matrix([1, 2, 3], "points")
    Traceback (most recent call last):
    ...
    ValueError: points must have shape (n_samples, n_features), for example images flattened to 784 pixels, got shape (3,)
    """
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[1] < 1:
        raise ValueError(
            f"{name} must have shape (n_samples, n_features), for example images "
            f"flattened to 784 pixels, got shape {x.shape}"
        )
    if len(x) < min_rows:
        raise ValueError(f"{name} must have at least {min_rows} rows, got {len(x)}")
    if not np.issubdtype(x.dtype, np.number) or np.issubdtype(x.dtype, np.complexfloating):
        raise ValueError(f"{name} must hold real numbers, got dtype {x.dtype}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} must hold finite numbers, got NaN or infinity")
    return x
