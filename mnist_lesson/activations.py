"""Look inside a trained network: what its hidden and output units compute.

:func:`compute_activations` runs images through a trained model and returns
the 128 hidden ReLU values and the 10 softmax probabilities of each image.
:func:`training_activations` does it for all 60,000 training images and caches
the result, so that later chapters (pixels, PCA, t-SNE) can use the activations
without loading TensorFlow; :func:`test_activations` does the same for the
10,000 test images (the confusion chapter reads the predictions from it). The remaining functions summarise activations per
class with NumPy and pandas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._checks import check_int
from .cache import cached_arrays, library_versions, source_digest
from .config import Settings, get_settings
from .encoding import NUM_CLASSES, preprocess

__all__ = [
    "activation_model",
    "compute_activations",
    "training_activations",
    "test_activations",
    "activation_frame",
    "activation_ranges",
    "dead_units",
    "mean_activation",
    "most_active_units",
]


def activation_model(model):
    """Return a Keras model whose outputs are the hidden and the output layer.

    Parameters
    ----------
    model : keras.Model
        A trained model with layers named ``hidden`` and ``output``
        (see :func:`mnist_lesson.model.build_model`).

    Returns
    -------
    keras.Model
        Same input; outputs ``[hidden, output]``.
    """
    import keras

    names = [layer.name for layer in model.layers]
    for needed in ("hidden", "output"):
        if needed not in names:
            raise ValueError(f"model must have a layer named {needed!r}; its layers are {names}")
    return keras.Model(
        inputs=model.inputs[0],
        outputs=[model.get_layer("hidden").output, model.get_layer("output").output],
        name="activations",
    )


def compute_activations(model, x, *, batch_size: int = 4096):
    """Hidden and output activations of a trained model for many images.

    Parameters
    ----------
    model : keras.Model
        A trained model (see :func:`activation_model`).
    x : ndarray of shape (n_samples, 784) float32, or (n_samples, 28, 28) uint8
        Images; raw 28x28 images are flattened and rescaled first.
    batch_size : int, default 4096
        Images per forward pass; memory grows with it, not with ``n_samples``.

    Returns
    -------
    hidden : ndarray of shape (n_samples, hidden_units), float32
        ReLU values (zero or positive).
    output : ndarray of shape (n_samples, 10), float32
        Softmax probabilities; each row sums to 1.
    """
    x = np.asarray(x)
    if x.ndim == 3:
        x = preprocess(x)
    if x.ndim != 2 or x.shape[1] != 784:
        raise ValueError(f"x must have shape (n_samples, 784) or (n_samples, 28, 28), got {x.shape}")
    batch_size = check_int("batch_size", batch_size)
    probe = activation_model(model)
    hidden_parts, output_parts = [], []
    for start in range(0, len(x), batch_size):
        hidden, output = probe(x[start : start + batch_size], training=False)
        hidden_parts.append(np.asarray(hidden, dtype=np.float32))
        output_parts.append(np.asarray(output, dtype=np.float32))
    units = model.get_layer("hidden").units
    if not hidden_parts:
        return np.zeros((0, units), np.float32), np.zeros((0, NUM_CLASSES), np.float32)
    return np.concatenate(hidden_parts), np.concatenate(output_parts)


def training_activations(spec="lesson", *, settings: Settings | None = None, progress=None) -> dict:
    """Activations of all 60,000 training images, cached on disk.

    Parameters
    ----------
    spec : {"lesson", "contrast"} or ModelSpec, default "lesson"
        Which trained model (trained on a cache miss).
    settings : Settings, optional
        Defaults to :func:`~mnist_lesson.config.get_settings`.
    progress : callable, optional
        Called with a line of text on cache hits and misses.

    Returns
    -------
    dict
        ``hidden`` (60000, hidden_units) float32, ``output`` (60000, 10)
        float32, and ``y_train`` (60000,) uint8, in the order of
        :func:`~mnist_lesson.data.load_mnist`.

    Notes
    -----
    A cache hit reads NumPy arrays only: TensorFlow is not imported.
    """
    return _cached_activations(spec, "train", settings, progress)


def test_activations(spec="lesson", *, settings: Settings | None = None, progress=None) -> dict:
    """Activations of all 10,000 test images, cached on disk.

    The same as :func:`training_activations`, for the test images: a page
    that needs a model's predictions on the test set (``output``, the
    softmax probabilities) reads them without importing TensorFlow.

    Returns
    -------
    dict
        ``hidden`` (10000, hidden_units) float32, ``output`` (10000, 10)
        float32, and ``y_test`` (10000,) uint8, in the order of
        :func:`~mnist_lesson.data.load_mnist`.
    """
    return _cached_activations(spec, "test", settings, progress)


# pytest would otherwise collect test_activations from the package's doctests.
test_activations.__test__ = False


def _cached_activations(spec, images: str, settings: Settings | None, progress) -> dict:
    from .training import cache_parts, resolve_spec

    s = settings or get_settings()
    model_spec = resolve_spec(spec, s)
    parts = {
        "model": cache_parts(model_spec, s),
        "images": images,
        "source": source_digest("mnist_lesson.activations"),
        "numpy": library_versions("numpy"),
    }

    def compute():
        from .data import load_mnist
        from .training import get_trained_model

        trained = get_trained_model(model_spec, settings=s, progress=progress)
        train, test = load_mnist(cache_dir=s.cache_dir)
        x, y = train if images == "train" else test
        hidden, output = compute_activations(trained.model, x)
        return {"hidden": hidden, "output": output, f"y_{images}": y}

    return cached_arrays("activations", parts, compute, cache_dir=s.cache_dir, progress=progress)


def _check_pair(values, labels, values_name="values"):
    values = np.asarray(values)
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be one-dimensional (n_samples,), got shape {labels.shape}")
    if len(values) != len(labels):
        raise ValueError(
            f"{values_name} and labels must have the same length, got {len(values)} and {len(labels)}"
        )
    return values, labels


def activation_frame(hidden, labels, *, units=None, rows=None) -> pd.DataFrame:
    """A table of hidden activations beside the true class.

    Parameters
    ----------
    hidden : ndarray of shape (n_samples, n_units)
    labels : ndarray of shape (n_samples,)
    units : sequence of int, optional
        Which units to show (all by default).
    rows : int, optional
        Only the first ``rows`` images.

    Returns
    -------
    DataFrame
        Columns ``unit 0``, ``unit 1``, ... and ``class``.

    Examples
    --------
    >>> activation_frame(np.array([[0.0, 1.5], [2.0, 0.0]]), [3, 7])
       unit 0  unit 1  class
    0     0.0     1.5      3
    1     2.0     0.0      7
    """
    hidden, labels = _check_pair(hidden, labels, "hidden")
    if hidden.ndim != 2:
        raise ValueError(f"hidden must have shape (n_samples, n_units), got {hidden.shape}")
    units = list(range(hidden.shape[1])) if units is None else [int(u) for u in units]
    bad = [u for u in units if not 0 <= u < hidden.shape[1]]
    if bad:
        raise ValueError(f"units must lie between 0 and {hidden.shape[1] - 1}, got {bad}")
    stop = len(labels) if rows is None else rows
    frame = pd.DataFrame(hidden[:stop, units], columns=[f"unit {u}" for u in units])
    frame["class"] = labels[:stop]
    return frame


def activation_ranges(values, labels) -> pd.DataFrame:
    """Per-class summary of one activation (or any 1-D variable).

    Returns
    -------
    DataFrame
        Index ``class`` 0..9; columns ``min``, ``25%``, ``median``, ``75%``,
        ``max``, ``mean`` and ``zero share`` (fraction of images where the value is 0).

    Examples
    --------
    >>> float(activation_ranges([0.0, 1.0, 3.0, 5.0], [0, 0, 1, 1]).loc[1, "max"])
    5.0
    """
    values, labels = _check_pair(values, labels)
    if values.ndim != 1:
        raise ValueError(f"values must be one-dimensional (n_samples,), got shape {values.shape}")
    frame = pd.DataFrame({"value": values.astype(float), "class": labels})
    grouped = frame.groupby("class")["value"]
    table = pd.DataFrame(
        {
            "min": grouped.min(),
            "25%": grouped.quantile(0.25),
            "median": grouped.median(),
            "75%": grouped.quantile(0.75),
            "max": grouped.max(),
            "mean": grouped.mean(),
            "zero share": grouped.apply(lambda v: float((v == 0).mean())),
        }
    )
    table.index.name = "class"
    return table


def dead_units(hidden, *, threshold: float = 0.0) -> np.ndarray:
    """Units that never fire: their activation is at most ``threshold`` for every image.

    Examples
    --------
    >>> dead_units(np.array([[0.0, 2.0, 0.0], [0.0, 1.0, 0.5]]))
    array([0])
    """
    hidden = np.asarray(hidden)
    if hidden.ndim != 2:
        raise ValueError(f"hidden must have shape (n_samples, n_units), got {hidden.shape}")
    return np.flatnonzero((hidden <= threshold).all(axis=0))


def mean_activation(hidden, labels, *, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """Mean activation of each unit over the images of each class.

    Returns
    -------
    ndarray of shape (num_classes, n_units)
        Row ``k`` is the average hidden vector of the images of digit ``k``
        (NaN for a class with no images).

    Examples
    --------
    >>> mean_activation(np.array([[1.0], [3.0], [10.0]]), [0, 0, 1], num_classes=2)
    array([[ 2.],
           [10.]])
    """
    hidden, labels = _check_pair(hidden, labels, "hidden")
    if hidden.ndim != 2:
        raise ValueError(f"hidden must have shape (n_samples, n_units), got {hidden.shape}")
    out = np.full((num_classes, hidden.shape[1]), np.nan)
    for k in range(num_classes):
        mask = labels == k
        if mask.any():
            out[k] = hidden[mask].mean(axis=0)
    return out


def most_active_units(hidden, *, k: int = 1) -> np.ndarray:
    """The ``k`` units with the largest mean activation, largest first."""
    hidden = np.asarray(hidden)
    if hidden.ndim != 2:
        raise ValueError(f"hidden must have shape (n_samples, n_units), got {hidden.shape}")
    return np.argsort(-hidden.mean(axis=0), kind="stable")[:k]
