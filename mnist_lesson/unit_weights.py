"""What each hidden unit looks for: the trained weights, read as pictures and as arithmetic.

A hidden unit ``j`` of the dense network computes ``h_j = max(0, x . w_j + b_j)``
from the 784 pixel values ``x``: its weight vector ``w_j`` (column ``j`` of the
hidden layer's kernel) has one weight per pixel, so it can be drawn as a 28x28
image (:func:`weight_images`). The output layer then scores digit ``k`` with
``z_k = sum_j h_j W2[j, k] + b2[k]``, and the softmax turns the ten scores into
probabilities.

- :func:`dense_weights` reads the four weight arrays of a trained model
  (the only function here that needs Keras);
- :func:`unit_order` orders the hidden units by the digit each one votes for
  most through the output weights, strongest first;
- :func:`decompose` computes the forward pass of one image step by step, with
  each unit's contribution to each score, so that a chapter can show where a
  prediction comes from;
- :func:`logit_lines` and :func:`winning_intervals` do the same for a network
  with one hidden unit (the contrast model), whose ten scores are straight
  lines in its single hidden value ``h``: the highest line decides, and each
  digit wins on at most one interval of ``h``.

All of them except :func:`dense_weights` work on NumPy arrays, so they are
tested on small hand-made networks.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ._checks import check_int
from .claims import join_words
from .encoding import IMAGE_PIXELS, IMAGE_SIDE, NUM_CLASSES

__all__ = [
    "DenseWeights",
    "Decomposition",
    "dense_weights",
    "weight_images",
    "unit_order",
    "decompose",
    "logit_lines",
    "winning_intervals",
    "winning_text",
    "frame_text",
]


class DenseWeights(NamedTuple):
    """The weights of a 784-n-10 dense network, as float64 NumPy arrays.

    Attributes
    ----------
    w1 : ndarray of shape (784, n_units)
        The hidden layer's kernel: column ``j`` holds unit ``j``'s pixel weights.
    b1 : ndarray of shape (n_units,)
        The hidden layer's biases.
    w2 : ndarray of shape (n_units, 10)
        The output layer's kernel: row ``j`` holds unit ``j``'s votes for the ten digits.
    b2 : ndarray of shape (10,)
        The output layer's biases.
    """

    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray

    @property
    def n_units(self) -> int:
        """Number of hidden units."""
        return int(self.w1.shape[1])


def _check_weights(weights) -> DenseWeights:
    """Return ``weights`` as float64 :class:`DenseWeights` after checking the shapes fit together."""
    if not isinstance(weights, tuple) or len(weights) != 4:
        raise ValueError(
            "weights must be the four arrays (w1, b1, w2, b2) of a dense network, "
            f"as dense_weights(model) returns them, got {type(weights).__name__}"
        )
    w1, b1, w2, b2 = (np.asarray(a, dtype=float) for a in weights)
    if w1.ndim != 2 or w1.shape[0] != IMAGE_PIXELS or w1.shape[1] == 0:
        raise ValueError(f"w1 must have shape ({IMAGE_PIXELS}, n_units), got {w1.shape}")
    n_units = w1.shape[1]
    expected = {"b1": (n_units,), "w2": (n_units, NUM_CLASSES), "b2": (NUM_CLASSES,)}
    for name, array in (("b1", b1), ("w2", w2), ("b2", b2)):
        if array.shape != expected[name]:
            raise ValueError(
                f"{name} must have shape {expected[name]} for a hidden layer of {n_units} units, got {array.shape}"
            )
    for name, array in (("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2)):
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} must hold finite numbers, got NaN or infinity")
    return DenseWeights(w1, b1, w2, b2)


def dense_weights(model) -> DenseWeights:
    """Read the weights of a trained 784-n-10 model.

    Parameters
    ----------
    model : keras.Model
        A model with Dense layers named ``hidden`` and ``output``
        (see :func:`mnist_lesson.model.build_model`), such as
        ``get_trained_model("lesson").model``.

    Returns
    -------
    DenseWeights
        ``w1`` (784, n_units), ``b1`` (n_units,), ``w2`` (n_units, 10) and
        ``b2`` (10,), as float64 arrays.
    """
    layers = {layer.name: layer for layer in getattr(model, "layers", [])}
    for needed in ("hidden", "output"):
        if needed not in layers:
            raise ValueError(
                f"model must be a Keras model with a layer named {needed!r}; its layers are {sorted(layers)}"
            )
    w1, b1 = layers["hidden"].get_weights()
    w2, b2 = layers["output"].get_weights()
    return _check_weights((w1, b1, w2, b2))


def weight_images(w1) -> np.ndarray:
    """Each hidden unit's pixel weights as a 28x28 image.

    Parameters
    ----------
    w1 : array-like of shape (784, n_units)
        The hidden layer's kernel (``dense_weights(model).w1``).

    Returns
    -------
    ndarray of shape (n_units, 28, 28)
        Image ``j`` is column ``j`` of ``w1``, laid out like the pixels of an
        image (row by row, as :func:`~mnist_lesson.encoding.flatten` flattens them).

    Examples
    --------
    >>> w1 = np.zeros((784, 2))
    >>> w1[28 * 3 + 5, 1] = 1.0  # unit 1 weighs the pixel in row 3, column 5
    >>> images = weight_images(w1)
    >>> images.shape, images[1, 3, 5]
    ((2, 28, 28), np.float64(1.0))
    """
    w1 = np.asarray(w1, dtype=float)
    if w1.ndim != 2 or w1.shape[0] != IMAGE_PIXELS:
        hint = "; transpose it?" if w1.ndim == 2 and w1.shape[1] == IMAGE_PIXELS else ""
        raise ValueError(f"w1 must have shape ({IMAGE_PIXELS}, n_units), one column per unit, got {w1.shape}{hint}")
    return w1.T.reshape(-1, IMAGE_SIDE, IMAGE_SIDE)


def unit_order(w2) -> pd.DataFrame:
    """Order the hidden units by the digit each votes for most, strongest vote first.

    Unit ``j`` adds ``h_j * w2[j, k]`` to the score of digit ``k``, so the
    digit with its largest output weight is the one it pushes up most when it
    fires. The units are grouped by that digit (0 first), and within a group
    sorted by that largest weight, largest first; ties keep unit order.

    Parameters
    ----------
    w2 : array-like of shape (n_units, 10)
        The output layer's kernel (``dense_weights(model).w2``).

    Returns
    -------
    pandas.DataFrame
        One row per unit in the new order, with columns ``unit`` (its number),
        ``digit`` (the digit it votes for most) and ``vote`` (its largest
        output weight, ``w2[unit, digit]``).

    Examples
    --------
    >>> w2 = np.zeros((3, 10))
    >>> w2[0, 7], w2[1, 2], w2[2, 2] = 1.0, 0.5, 0.9
    >>> unit_order(w2)["unit"].tolist()
    [2, 1, 0]
    """
    w2 = np.asarray(w2, dtype=float)
    if w2.ndim != 2 or w2.shape[1] != NUM_CLASSES or w2.shape[0] == 0:
        raise ValueError(f"w2 must have shape (n_units, {NUM_CLASSES}), one row per hidden unit, got {w2.shape}")
    if not np.all(np.isfinite(w2)):
        raise ValueError("w2 must hold finite numbers, got NaN or infinity")
    digit = w2.argmax(axis=1)
    vote = w2.max(axis=1)
    order = np.lexsort((np.arange(len(w2)), -vote, digit))
    return pd.DataFrame({"unit": order, "digit": digit[order], "vote": vote[order]})


class Decomposition(NamedTuple):
    """The forward pass of one image, step by step (see :func:`decompose`).

    Attributes
    ----------
    pre_activation : ndarray of shape (n_units,)
        ``x . w_j + b_j`` for every hidden unit.
    hidden : ndarray of shape (n_units,)
        The ReLU of it: the unit's activation ``h_j``.
    contributions : ndarray of shape (n_units, 10)
        ``h_j * w2[j, k]``: what unit ``j`` adds to the score of digit ``k``.
    logits : ndarray of shape (10,)
        The scores: each column of ``contributions`` summed, plus ``b2``.
    probabilities : ndarray of shape (10,)
        The softmax of the scores.
    """

    pre_activation: np.ndarray
    hidden: np.ndarray
    contributions: np.ndarray
    logits: np.ndarray
    probabilities: np.ndarray

    @property
    def predicted(self) -> int:
        """The digit with the highest score."""
        return int(self.logits.argmax())

    @property
    def firing(self) -> np.ndarray:
        """The units whose activation is above zero, in unit order."""
        return np.flatnonzero(self.hidden > 0)


def decompose(x, weights) -> Decomposition:
    """The forward pass of one image, with every unit's share of every score.

    Parameters
    ----------
    x : array-like of shape (784,) or (28, 28)
        One image, rescaled to 0..1 as the network sees it
        (:func:`~mnist_lesson.encoding.preprocess`); a raw uint8 image is refused.
    weights : DenseWeights
        The network's weights (:func:`dense_weights`).

    Returns
    -------
    Decomposition
        Pre-activations, activations, contributions, scores and probabilities.
        ``contributions.sum(axis=0) + b2`` equals ``logits``.

    Examples
    --------
    >>> w1 = np.zeros((784, 2)); w1[0] = [1.0, -1.0]
    >>> weights = DenseWeights(w1, np.zeros(2), np.eye(2, 10), np.zeros(10))
    >>> x = np.zeros(784); x[0] = 0.5
    >>> parts = decompose(x, weights)
    >>> parts.pre_activation.tolist(), parts.hidden.tolist(), parts.predicted
    ([0.5, -0.5], [0.5, 0.0], 0)
    """
    w1, b1, w2, b2 = _check_weights(weights)
    arr = np.asarray(x)
    if arr.shape == (IMAGE_SIDE, IMAGE_SIDE):
        arr = arr.reshape(IMAGE_PIXELS)
    if arr.shape != (IMAGE_PIXELS,):
        raise ValueError(
            f"x must be one image of shape ({IMAGE_PIXELS},) or ({IMAGE_SIDE}, {IMAGE_SIDE}), got {arr.shape}; "
            "for several images, call decompose once per image"
        )
    if arr.dtype == np.uint8 or (arr.size and float(np.max(arr)) > 1.0):
        raise ValueError("x must be rescaled to 0..1 as the network sees it; pass preprocess(image) instead")
    arr = arr.astype(float)
    pre = arr @ w1 + b1
    hidden = np.maximum(pre, 0.0)
    contributions = hidden[:, None] * w2
    logits = contributions.sum(axis=0) + b2
    shifted = np.exp(logits - logits.max())
    return Decomposition(pre, hidden, contributions, logits, shifted / shifted.sum())


def _check_lines(slopes, intercepts) -> tuple[np.ndarray, np.ndarray]:
    slopes = np.asarray(slopes, dtype=float)
    intercepts = np.asarray(intercepts, dtype=float)
    if slopes.ndim != 1 or slopes.shape != intercepts.shape or len(slopes) < 2:
        raise ValueError(
            "slopes and intercepts must be one-dimensional and of the same length, at least 2 "
            f"(one line per class), got shapes {slopes.shape} and {intercepts.shape}"
        )
    if not (np.all(np.isfinite(slopes)) and np.all(np.isfinite(intercepts))):
        raise ValueError("slopes and intercepts must hold finite numbers, got NaN or infinity")
    return slopes, intercepts


def logit_lines(h, slopes, intercepts) -> np.ndarray:
    """The scores of a one-unit network as straight lines: ``z_k(h) = h * slopes[k] + intercepts[k]``.

    Parameters
    ----------
    h : array-like of shape (n,)
        Values of the single hidden unit.
    slopes : array-like of shape (n_classes,)
        The output weights of the unit (``dense_weights(model).w2[0]``).
    intercepts : array-like of shape (n_classes,)
        The output biases (``dense_weights(model).b2``).

    Returns
    -------
    ndarray of shape (n, n_classes)

    Examples
    --------
    >>> logit_lines([0.0, 2.0], [1.0, -1.0], [0.0, 1.0]).tolist()
    [[0.0, 1.0], [2.0, -1.0]]
    """
    slopes, intercepts = _check_lines(slopes, intercepts)
    h = np.asarray(h, dtype=float)
    if h.ndim != 1:
        raise ValueError(f"h must be one-dimensional, got shape {h.shape}")
    return h[:, None] * slopes[None, :] + intercepts[None, :]


def winning_intervals(slopes, intercepts, low, high) -> pd.DataFrame:
    """Where along ``low <= h <= high`` each line is the highest: the one-unit network's answers.

    The highest of straight lines is a convex function made of pieces of
    them, and each line is the highest on one interval or nowhere. Ties go to
    the lower class number, as :func:`numpy.argmax` (and so
    :func:`~mnist_lesson.evaluation.predict_classes`) breaks them; a line
    that reaches the top at a single point only wins no interval.

    Parameters
    ----------
    slopes, intercepts : array-like of shape (n_classes,)
        The lines ``z_k(h) = h * slopes[k] + intercepts[k]`` (see :func:`logit_lines`).
    low, high : float
        The range of ``h`` to look at, ``low < high`` (for example the smallest
        and largest value of the unit over the training images).

    Returns
    -------
    pandas.DataFrame
        One row per interval, in order along the axis, with columns ``digit``,
        ``from h`` and ``to h``. A class that is missing wins nowhere in the range.

    Examples
    --------
    >>> winning_intervals([0.0, 1.0, 2.0], [1.0, 0.0, -2.0], 0.0, 4.0).round(2).to_dict("list")
    {'digit': [0, 1, 2], 'from h': [0.0, 1.0, 2.0], 'to h': [1.0, 2.0, 4.0]}
    """
    slopes, intercepts = _check_lines(slopes, intercepts)
    low, high = float(low), float(high)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"low and high must be finite numbers with low < high, got {low} and {high}")
    ds = slopes[:, None] - slopes[None, :]
    dc = intercepts[None, :] - intercepts[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        crossings = dc / ds
    inside = crossings[np.isfinite(crossings) & (crossings > low) & (crossings < high)]
    edges = np.unique(np.concatenate([[low, high], inside]))
    middles = (edges[:-1] + edges[1:]) / 2
    winners = logit_lines(middles, slopes, intercepts).argmax(axis=1)
    rows = []
    for start, end, digit in zip(edges[:-1], edges[1:], winners):
        if rows and rows[-1]["digit"] == digit:
            rows[-1]["to h"] = float(end)
        else:
            rows.append({"digit": int(digit), "from h": float(start), "to h": float(end)})
    return pd.DataFrame(rows, columns=["digit", "from h", "to h"])


def winning_text(intervals, *, num_classes: int = NUM_CLASSES) -> str:
    """A sentence on which digits win an interval of ``h`` and which win none.

    Parameters
    ----------
    intervals : pandas.DataFrame
        As :func:`winning_intervals` returns it.
    num_classes : int, default 10

    Returns
    -------
    str

    Examples
    --------
    >>> table = winning_intervals([0.0, 1.0, 2.0], [1.0, 0.0, -2.0], 0.0, 4.0)
    >>> winning_text(table, num_classes=4)
    'Along the observed range of h, the lines of 0, 1 and 2 take the top in turn, each on one interval; the line of 3 is never the highest.'
    """
    num_classes = check_int("num_classes", num_classes, minimum=2)
    if not isinstance(intervals, pd.DataFrame) or "digit" not in intervals.columns:
        raise ValueError("intervals must be the table that winning_intervals returns, with a column 'digit'")
    order = [int(d) for d in intervals["digit"]]
    if len(set(order)) != len(order):
        raise ValueError(f"intervals must give each digit at most one interval, got {order}")
    losers = [k for k in range(num_classes) if k not in order]
    if len(order) == 1:
        head = f"Along the observed range of h, the line of {order[0]} is the highest everywhere"
    else:
        head = (
            f"Along the observed range of h, the lines of {join_words(order)} take the top in turn, "
            "each on one interval"
        )
    if not losers:
        return head + "; every digit wins somewhere."
    if len(losers) == 1:
        return head + f"; the line of {losers[0]} is never the highest."
    return head + f"; the lines of {join_words(losers)} are never the highest."


def frame_text(penalised: float, untouched: float, *, l2: float) -> str:
    """A sentence on the frame of a weight image trained with an L2 penalty, beside an untouched one.

    Parameters
    ----------
    penalised : float
        The largest weight (in size) of the blank pixels in the network trained
        with the penalty.
    untouched : float
        The same for a network trained without it, whose blank pixels keep their
        initial weights.
    l2 : float
        The penalty.

    Returns
    -------
    str

    Examples
    --------
    >>> frame_text(1e-20, 0.08, l2=0.001)[:60]
    'Its frame is clean: the contrast model is trained with an L2'
    >>> frame_text(0.05, 0.08, l2=0.001)[:40]
    'Its frame is fainter: the contrast model'
    """
    penalised, untouched = float(penalised), float(untouched)
    if not (penalised >= 0 and untouched >= 0):
        raise ValueError(f"penalised and untouched must be sizes of weights (0 or more), got {penalised}, {untouched}")
    sizes = f"(at most {penalised:.1e} in size, against {untouched:.2f} for the lesson network's untouched frame)"
    cause = (
        f"the contrast model is trained with an L2 penalty of {l2:g} on its weights, which pulls every weight "
        "towards zero, and a weight that the data never pushes back (a blank pixel's)"
    )
    if penalised < untouched / 10:
        return f"Its frame is clean: {cause} ends up at almost zero {sizes}."
    if penalised < untouched:
        return (
            f"Its frame is fainter: {cause} shrinks with every step of training {sizes}; "
            "a longer training would clean it further."
        )
    return (
        f"Its frame is not yet cleaner than the lesson network's {sizes}, although {cause} shrinks with every "
        "step of training: this training was too short to show it."
    )
