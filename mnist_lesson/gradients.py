"""The forward and backward pass of the book's network, written out in NumPy.

Keras computes the gradients of the loss by automatic differentiation; this
module computes the same gradients by hand, from the formulas of the training
chapter, so that a reader can check them against TensorFlow number for number.
For a batch of ``n`` images ``x`` (rows), one-hot targets ``y`` and the weights
``W1, b1, W2, b2`` of a 784-H-10 network:

- forward: ``z = x W1 + b1``, ``h = ReLU(z)``, ``p = softmax(h W2 + b2)``;
- loss: the mean categorical cross-entropy ``-mean(sum(y * log p))``;
- backward: ``e = (p - y) / n``, ``dW2 = h^T e``, ``db2 = sum(e)``,
  ``delta = (e W2^T) * [z > 0]``, ``dW1 = x^T delta``, ``db1 = sum(delta)``.

Everything is computed in float64. Only :func:`tape_gradients` and
:func:`compare_with_tape` import TensorFlow. For example:

>>> rng = np.random.default_rng(0)
>>> weights = [rng.normal(size=(4, 3)), np.zeros(3), rng.normal(size=(3, 2)), np.zeros(2)]
>>> x, y = rng.random((5, 4)), np.eye(2)[[0, 1, 1, 0, 1]]
>>> forward(weights, x)["p"].sum(axis=1).round(12).tolist()
[1.0, 1.0, 1.0, 1.0, 1.0]
>>> [g.shape for g in backward(weights, x, y).values()]
[(4, 3), (3,), (3, 2), (2,)]
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "PARAMETER_NAMES",
    "relu",
    "softmax",
    "forward",
    "cross_entropy",
    "backward",
    "tape_gradients",
    "compare_with_tape",
]

#: The names of the four parameter arrays, in the order of ``model.get_weights()``.
PARAMETER_NAMES = ("W1", "b1", "W2", "b2")


def relu(z):
    """``max(0, z)``, element by element.

    Examples
    --------
    >>> relu(np.array([-2.0, 0.0, 3.0])).tolist()
    [0.0, 0.0, 3.0]
    """
    return np.maximum(np.asarray(z, dtype=np.float64), 0.0)


def softmax(z):
    """Softmax of each row of ``z``, with the largest logit subtracted first (no overflow).

    Parameters
    ----------
    z : array_like of shape (n, K)
        Logits, one row per image.

    Returns
    -------
    ndarray of shape (n, K)
        Probabilities; each row sums to 1.

    Examples
    --------
    >>> softmax(np.array([[1000.0, 1000.0]])).tolist()
    [[0.5, 0.5]]
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _check_weights(weights) -> list:
    """The four arrays W1, b1, W2, b2 as float64, with shapes that fit together."""
    weights = list(weights)
    if len(weights) != 4:
        raise ValueError(
            f"weights must be the 4 arrays [W1, b1, W2, b2] of a network with one hidden layer "
            f"(model.get_weights()), got {len(weights)} arrays"
        )
    w1, b1, w2, b2 = (np.asarray(w, dtype=np.float64) for w in weights)
    if w1.ndim != 2 or w2.ndim != 2 or b1.shape != (w1.shape[1],) or w2.shape[0] != w1.shape[1] \
            or b2.shape != (w2.shape[1],):
        raise ValueError(
            "weights must have shapes (d, H), (H,), (H, K), (K,); got "
            f"{[np.shape(w) for w in weights]}"
        )
    return [w1, b1, w2, b2]


def _check_batch(x, weights, y=None):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != weights[0].shape[0] or len(x) == 0:
        raise ValueError(
            f"x must be a non-empty batch of shape (n, {weights[0].shape[0]}) (flattened, rescaled images), "
            f"got shape {x.shape}"
        )
    if y is None:
        return x
    y = np.asarray(y, dtype=np.float64)
    if y.shape != (len(x), weights[2].shape[1]):
        raise ValueError(
            f"y must hold one-hot targets of shape {(len(x), weights[2].shape[1])} (see one_hot), "
            f"got shape {y.shape}"
        )
    return x, y


def forward(weights, x) -> dict:
    """The forward pass of a 784-H-10 network, keeping every intermediate result.

    Parameters
    ----------
    weights : sequence of 4 arrays
        ``[W1, b1, W2, b2]`` of shapes (d, H), (H,), (H, K), (K,), as
        ``model.get_weights()`` returns them.
    x : array_like of shape (n, d)
        A batch of flattened, rescaled images.

    Returns
    -------
    dict of ndarray
        ``z`` (n, H) the hidden pre-activations, ``h`` (n, H) the hidden
        activations ``ReLU(z)``, ``logits`` (n, K) and ``p`` (n, K) the
        softmax probabilities.

    Examples
    --------
    >>> weights = [np.array([[1.0, -1.0]]), np.zeros(2), np.eye(2), np.zeros(2)]
    >>> out = forward(weights, [[2.0]])
    >>> out["h"].tolist(), out["p"].round(3).tolist()
    ([[2.0, 0.0]], [[0.881, 0.119]])
    """
    w1, b1, w2, b2 = _check_weights(weights)
    x = _check_batch(x, [w1, b1, w2, b2])
    z = x @ w1 + b1
    h = relu(z)
    logits = h @ w2 + b2
    return {"z": z, "h": h, "logits": logits, "p": softmax(logits)}


def cross_entropy(p, y) -> float:
    """The mean categorical cross-entropy ``-mean(sum(y * log p, axis=1))``.

    Examples
    --------
    >>> round(cross_entropy([[0.5, 0.5]], [[1.0, 0.0]]), 4)
    0.6931
    """
    p, y = np.asarray(p, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if p.shape != y.shape or p.ndim != 2:
        raise ValueError(f"p and y must be arrays of the same shape (n, K), got {p.shape} and {y.shape}")
    return float(-np.mean(np.sum(y * np.log(p), axis=1)))


def backward(weights, x, y, *, l2: float = 0.0) -> dict:
    """Gradients of the mean cross-entropy with respect to W1, b1, W2 and b2, by hand.

    With ``e = (p - y) / n`` (the gradient with respect to the logits,
    averaged over the batch):

    - ``dW2 = h^T e`` and ``db2 = e.sum(axis=0)``;
    - ``delta = (e W2^T) * (z > 0)``: the ReLU passes the gradient back only
      through units that fired;
    - ``dW1 = x^T delta`` and ``db1 = delta.sum(axis=0)``.

    Parameters
    ----------
    weights : sequence of 4 arrays
        ``[W1, b1, W2, b2]`` as ``model.get_weights()`` returns them.
    x : array_like of shape (n, d)
        A batch of flattened, rescaled images.
    y : array_like of shape (n, K)
        Their one-hot targets.
    l2 : float, default 0.0
        The L2 penalty on W1 of :func:`~mnist_lesson.model.build_model`; it
        adds ``2 * l2 * W1`` to ``dW1`` (the gradient of ``l2 * sum(W1**2)``).

    Returns
    -------
    dict of ndarray
        ``{"W1": ..., "b1": ..., "W2": ..., "b2": ...}``, each of the shape of
        its parameter.

    Examples
    --------
    One image, one hidden unit that fires, two classes:

    >>> weights = [np.array([[1.0]]), np.zeros(1), np.array([[1.0, -1.0]]), np.zeros(2)]
    >>> grads = backward(weights, [[1.0]], [[1.0, 0.0]])
    >>> {name: g.round(4).tolist() for name, g in grads.items()}
    {'W1': [[-0.2384]], 'b1': [-0.2384], 'W2': [[-0.1192, 0.1192]], 'b2': [-0.1192, 0.1192]}
    """
    w1, b1, w2, b2 = _check_weights(weights)
    x, y = _check_batch(x, [w1, b1, w2, b2], y)
    if not (isinstance(l2, (int, float)) and l2 >= 0):
        raise ValueError(f"l2 must be zero or positive, got {l2!r}")
    out = forward([w1, b1, w2, b2], x)
    e = (out["p"] - y) / len(x)
    delta = (e @ w2.T) * (out["z"] > 0)
    return {
        "W1": x.T @ delta + 2.0 * l2 * w1,
        "b1": delta.sum(axis=0),
        "W2": out["h"].T @ e,
        "b2": e.sum(axis=0),
    }


def tape_gradients(model, x, y) -> dict:
    """The same gradients computed by TensorFlow's automatic differentiation.

    Records the model's forward pass and its loss (the mean categorical
    cross-entropy plus the model's regularisation losses) on a
    ``tf.GradientTape`` and asks the tape for the gradient of the loss with
    respect to each weight.

    Parameters
    ----------
    model : keras.Model
        A network from :func:`~mnist_lesson.model.build_model` with one hidden layer.
    x : array_like of shape (n, d)
    y : array_like of shape (n, K)
        One-hot targets.

    Returns
    -------
    dict of ndarray
        Keyed like :func:`backward`, as float64 arrays.
    """
    import keras
    import tensorflow as tf

    variables = list(getattr(model, "trainable_weights", []))
    if len(variables) != 4:
        raise ValueError(
            f"model must be a network with one hidden layer (4 weight arrays), got {len(variables)}; "
            "build it with build_model(hidden_units) and hidden_units > 0"
        )
    weights = [np.asarray(v) for v in model.get_weights()]
    x, y = _check_batch(x, _check_weights(weights), y)
    x = tf.constant(x, dtype=variables[0].dtype)
    y = tf.constant(y, dtype=variables[0].dtype)
    with tf.GradientTape() as tape:
        p = model(x, training=True)
        loss = tf.reduce_mean(keras.losses.categorical_crossentropy(y, p))
        if model.losses:
            loss = loss + tf.add_n(model.losses)
    grads = tape.gradient(loss, variables)
    return {name: np.asarray(g, dtype=np.float64) for name, g in zip(PARAMETER_NAMES, grads)}


def compare_with_tape(model, x, y):
    """Compare :func:`backward` with :func:`tape_gradients`, parameter by parameter.

    Parameters
    ----------
    model : keras.Model
        A network from :func:`~mnist_lesson.model.build_model` with one hidden layer.
    x : array_like of shape (n, d)
    y : array_like of shape (n, K)
        One-hot targets.

    Returns
    -------
    pandas.DataFrame
        One row per parameter (``W1``, ``b1``, ``W2``, ``b2``) with its
        ``shape``, the largest gradient entry in absolute value
        (``largest |gradient|``) and the largest absolute difference between
        the two computations (``max |NumPy - tape|``).
    """
    import pandas as pd

    regularizer = getattr(model.layers[0], "kernel_regularizer", None) if getattr(model, "layers", None) else None
    l2 = float(regularizer.l2) if regularizer is not None else 0.0
    tape = tape_gradients(model, x, y)
    by_hand = backward(model.get_weights(), x, y, l2=l2)
    rows = [
        {
            "parameter": name,
            "shape": str(tape[name].shape),
            "largest |gradient|": float(np.abs(tape[name]).max()),
            "max |NumPy - tape|": float(np.abs(by_hand[name] - tape[name]).max()),
        }
        for name in PARAMETER_NAMES
    ]
    return pd.DataFrame(rows).set_index("parameter")
