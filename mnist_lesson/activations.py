"""Look inside a trained network: what its hidden and output units compute.

:func:`compute_activations` runs images through a trained model and returns
the hidden ReLU values (one per hidden unit) and the 10 softmax probabilities
of each image.
:func:`training_activations` does it for all 60,000 training images and caches
the result, so that later chapters (pixels, PCA, t-SNE) can use the activations
without loading TensorFlow; :func:`activations_of_test_images` does the same for the
10,000 test images (the confusion chapter reads the predictions from it). The remaining functions summarise activations per
class with NumPy and pandas, and word the activations chapter's findings from
the numbers (:func:`sparsity_text`, :func:`unit_profile_text`,
:func:`dead_units_text` ...), so that its sentences hold for any settings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._checks import check_int
from .cache import cached_arrays, library_versions, source_digest
from .claims import join_words, share_words
from .config import Settings, get_settings
from .encoding import IMAGE_PIXELS, IMAGE_SIDE, NUM_CLASSES, preprocess
from .imports import module_closure

__all__ = [
    "always_on_text",
    "activation_model",
    "compute_activations",
    "training_activations",
    "activations_of_test_images",
    "activation_frame",
    "activation_ranges",
    "dead_units",
    "mean_activation",
    "most_active_units",
    "sparsity_text",
    "unit_profile_text",
    "box_overlaps",
    "never_predicted_text",
    "dead_units_text",
    "ink_correlation_text",
    "favourite_digits_text",
    "distributed_code",
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
        outputs=[
            model.get_layer("hidden").output,
            model.get_layer("output").output,
        ],
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
    if x.ndim != 2 or x.shape[1] != IMAGE_PIXELS:
        raise ValueError(
            f"x must have shape (n_samples, {IMAGE_PIXELS}) or (n_samples, {IMAGE_SIDE}, {IMAGE_SIDE}), "
            f"got {x.shape}"
        )
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


def activations_of_test_images(spec="lesson", *, settings: Settings | None = None, progress=None) -> dict:
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


def _cached_activations(spec, images: str, settings: Settings | None, progress) -> dict:
    from .training import cache_parts, resolve_spec

    s = settings or get_settings()
    model_spec = resolve_spec(spec, s)
    parts = {
        "model": cache_parts(model_spec, s),
        "images": images,
        "source": source_digest(*module_closure([__name__])),
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


# ---------------------------------------------------------------------------
# Sentences about activations, worded from the numbers
# ---------------------------------------------------------------------------
#
# The activations chapter states its findings through these functions, so that
# a rebuild with other settings (another seed, another width, the draft
# profile) changes the words along with the numbers instead of publishing a
# sentence that no longer holds. See mnist_lesson.claims.


def _check_hidden(hidden, name: str = "hidden") -> np.ndarray:
    hidden = np.asarray(hidden, dtype=float)
    if hidden.ndim != 2 or hidden.shape[0] == 0 or hidden.shape[1] == 0:
        raise ValueError(
            f"{name} must have shape (n_samples, n_units) with at least one of each, got {hidden.shape}"
        )
    return hidden


def _check_ranges(ranges, columns) -> pd.DataFrame:
    if not isinstance(ranges, pd.DataFrame):
        raise ValueError(f"ranges must be a DataFrame from activation_ranges, got {type(ranges).__name__}")
    missing = [c for c in columns if c not in ranges.columns]
    if missing:
        raise ValueError(
            f"ranges must have the columns of activation_ranges; {missing} missing from {list(ranges.columns)}"
        )
    if len(ranges) == 0:
        raise ValueError("ranges must have at least one row (one class), got none")
    return ranges


def _digits(classes) -> str:
    """'the 3s', 'the 3s and 5s'."""
    return "the " + join_words([f"{int(k)}s" for k in classes])


def _percent(fraction: float) -> str:
    """A share in per cent that never rounds to 0% or 100% unless it is exactly that."""
    fraction = float(fraction)
    if fraction in (0.0, 1.0):
        return f"{fraction:.0%}"
    if fraction < 0.001:
        return "less than 0.1%"
    if fraction > 0.999:
        return "more than 99.9%"
    if fraction < 0.01 or fraction > 0.99:
        return f"{fraction:.1%}"
    return f"{fraction:.0%}"


def sparsity_text(hidden) -> str:
    """A sentence on how sparse the hidden code is: the share of units an image switches on.

    Parameters
    ----------
    hidden : ndarray of shape (n_samples, n_units)
        Hidden activations (ReLU values).

    Returns
    -------
    str
        One sentence: sparse (on average an image switches on at most a
        fifth of the units), only partly sparse (up to about half) or not
        sparse (more), with the share in words
        (:func:`~mnist_lesson.claims.share_words`).

    Examples
    --------
    >>> sparsity_text(np.array([[0.0, 0.0, 0.0, 0.0, 2.0], [0.0, 0.0, 0.0, 0.0, 1.0]]))
    "This network's code is sparse in that sense: on average an image switches on few of its units."
    >>> sparsity_text(np.array([[1.0, 2.0, 0.0], [1.0, 0.0, 3.0]]))
    "This network's code is not sparse in that sense: on average an image switches on more than half of its units."
    """
    hidden = _check_hidden(hidden)
    share = float((hidden > 0).mean())
    words = share_words(share)
    if share <= 0.2:
        verdict = "sparse in that sense"
    elif share <= 0.55:
        verdict = "only partly sparse"
    else:
        verdict = "not sparse in that sense"
    return f"This network's code is {verdict}: on average an image switches on {words} of its units."


def unit_profile_text(ranges) -> str:
    """What one unit does across the classes, in a few sentences worded from its per-class summary.

    Parameters
    ----------
    ranges : DataFrame
        As :func:`activation_ranges` returns it for one unit: one row per
        class, with the columns ``median``, ``max`` and ``zero share``.

    Returns
    -------
    str
        Sentences on the class with the highest median, the class for which
        the unit is silent most often, how many classes have a median of
        zero (the unit is silent for at least half of their images), whether
        it still fires for some images of every class, and what kind of unit
        that makes it: one that responds to a pattern some classes share and
        others mostly lack, or one that every class switches on, to different
        degrees.

    Examples
    --------
    >>> ranges = activation_ranges([0.0, 0.0, 3.0, 4.0, 0.0, 1.0, 0.0, 0.0], [0, 0, 0, 0, 1, 1, 2, 2])
    >>> print(unit_profile_text(ranges))
    Its median is highest for the 0s (1.50), and it is silent most often for the 2s (100% of them). For 1 of the 3 digits its median is zero: it is silent for at least half of their images. It never fires for the 2s. It responds to a pattern that some digits share and others mostly lack.
    """
    ranges = _check_ranges(ranges, ["median", "max", "zero share"])
    n = len(ranges)
    medians, zero_share, maxima = ranges["median"], ranges["zero share"], ranges["max"]
    n_zero_median = int((medians == 0).sum())
    sentences = []
    if medians.max() > 0:
        best = medians.index[medians == medians.max()]
        first = f"Its median is highest for {_digits(best)} ({medians.max():.2f})"
    else:
        first = "Its median is zero for every digit: it is silent for at least half of the images of each"
    if zero_share.max() == 0:
        sentences.append(f"{first}, and it is above zero for every image.")
    else:
        quiet = zero_share.index[zero_share == zero_share.max()]
        sentences.append(
            f"{first}, and it is silent most often for {_digits(quiet)} ({_percent(zero_share.max())} of them)."
        )
    if n_zero_median == 0 and zero_share.max() > 0:
        sentences.append("Its median is above zero for every digit: it fires for at least half of the images of each.")
    elif 0 < n_zero_median < n:
        sentences.append(
            f"For {n_zero_median} of the {n} digits its median is zero: "
            "it is silent for at least half of their images."
        )
    never = maxima.index[maxima <= 0]
    if len(never) == n:
        sentences.append("It never fires at all.")
        return " ".join(sentences)
    if len(never):
        sentences.append(f"It never fires for {_digits(never)}.")
    elif n_zero_median > 0:
        sentences.append(
            f"Yet it fires for some images of every digit (the smallest of the {n} maxima is {maxima.min():.2f})."
        )
    if n_zero_median == 0:
        sentences.append(
            "It responds to something that the images of every digit have, in different amounts: "
            "it tells the digits apart by how much it fires rather than whether it fires."
        )
    elif n_zero_median < n:
        sentences.append("It responds to a pattern that some digits share and others mostly lack.")
    else:
        sentences.append("It responds to something that most images lack, whatever their digit.")
    return " ".join(sentences)


def box_overlaps(ranges) -> pd.DataFrame:
    """How the per-class boxes of one unit overlap: the numbers behind "the boxes overlap".

    A class's *box* runs from its first to its third quartile (``25%`` to
    ``75%``), as in a box plot; its *range* from ``min`` to ``max``.

    Parameters
    ----------
    ranges : DataFrame
        As :func:`activation_ranges` returns it: one row per class.

    Returns
    -------
    DataFrame
        Same index; ``overlapping boxes``, the number of *other* classes
        whose box meets this class's box, and ``covered boxes``, the number
        of other classes whose box lies entirely within this class's range.

    Examples
    --------
    >>> ranges = activation_ranges([0, 1, 2, 3, 10, 11, 0, 5], [0, 0, 0, 0, 1, 1, 2, 2])
    >>> box_overlaps(ranges)
           overlapping boxes  covered boxes
    class
    0                      1              0
    1                      0              0
    2                      1              1
    """
    ranges = _check_ranges(ranges, ["min", "25%", "75%", "max"])
    low, high = ranges["25%"].to_numpy(float), ranges["75%"].to_numpy(float)
    lowest, highest = ranges["min"].to_numpy(float), ranges["max"].to_numpy(float)
    meets = (np.maximum(low[:, None], low[None, :]) <= np.minimum(high[:, None], high[None, :]))
    covers = (low[None, :] >= lowest[:, None]) & (high[None, :] <= highest[:, None])
    np.fill_diagonal(meets, False)
    np.fill_diagonal(covers, False)
    return pd.DataFrame(
        {"overlapping boxes": meets.sum(axis=1), "covered boxes": covers.sum(axis=1)}, index=ranges.index
    )


def never_predicted_text(missing, *, num_classes: int = NUM_CLASSES) -> str:
    """A sentence on the classes a network never predicts, for the table of stretches of one unit.

    Parameters
    ----------
    missing : sequence of int
        The classes that never occur among the predictions for the training
        images (:func:`~mnist_lesson.evaluation.never_predicted`), possibly
        empty.
    num_classes : int, default 10

    Returns
    -------
    str

    Examples
    --------
    >>> never_predicted_text([2, 5])
    'Here the digits 2 and 5 have no stretch in the table: the network never predicts them, for any training image.'
    >>> never_predicted_text([])
    'Here every digit has a stretch in the table: the network predicts each of them for some training images.'
    """
    num_classes = check_int("num_classes", num_classes)
    classes = [check_int("missing class", k, minimum=0, maximum=num_classes - 1) for k in missing]
    if len(set(classes)) != len(classes):
        raise ValueError(f"missing must not repeat a class, got {classes}")
    classes = sorted(classes)
    if not classes:
        return "Here every digit has a stretch in the table: the network predicts each of them for some training images."
    if len(classes) == num_classes:
        raise ValueError("missing holds every class, but a network predicts some class for every image")
    if len(classes) == 1:
        return (
            f"Here the digit {classes[0]} has no stretch in the table: "
            "the network never predicts it, for any training image."
        )
    return (
        f"Here the digits {join_words(classes)} have no stretch in the table: "
        "the network never predicts them, for any training image."
    )


def dead_units_text(hidden, *, images: str = "training images") -> str:
    """A sentence on the dead units of a hidden layer (those that are zero for every image).

    Parameters
    ----------
    hidden : ndarray of shape (n_samples, n_units)
        Hidden activations.
    images : str, default "training images"
        What the rows of ``hidden`` are, for the sentence.

    Returns
    -------
    str
        How many units are dead (see :func:`dead_units`), and how many hidden
        units the network effectively has.

    Examples
    --------
    >>> dead_units_text(np.array([[0.0, 1.0, 0.0], [0.0, 2.0, 3.0]]))
    'One unit, unit 0, is dead: it is zero for every training image, so the network effectively has 2 hidden units, not 3.'
    """
    hidden = _check_hidden(hidden)
    dead = dead_units(hidden)
    n_units = hidden.shape[1]
    image = images[:-1] if images.endswith("s") else images
    if len(dead) == 0:
        return (
            f"None of the units is dead: every one of them fires for some of the {images}, "
            "so all of them take part in the network's decisions."
        )
    if len(dead) == n_units:
        return (
            f"All {n_units} units are dead: they are zero for every {image}, "
            "so the network's output is the same whatever the image."
        )
    alive = n_units - len(dead)
    effective = f"so the network effectively has {alive} hidden unit{'s' if alive > 1 else ''}, not {n_units}"
    if len(dead) == 1:
        return f"One unit, unit {int(dead[0])}, is dead: it is zero for every {image}, {effective}."
    return f"Of the {n_units} units, {len(dead)} are dead: they are zero for every {image}, {effective}."


def always_on_text(hidden, *, images: str = "training images") -> str:
    """A sentence on the units that are never zero, and what that makes them.

    A ReLU unit whose weighted sum is positive for every image never uses the
    cut-off at zero: on those images it passes its weighted sum on unchanged,
    a linear function of the pixels that grades every image rather than
    detecting something.

    Parameters
    ----------
    hidden : ndarray of shape (n_samples, n_units)
        Hidden activations.
    images : str, default "training images"
        What the rows of ``hidden`` are, for the sentence.

    Returns
    -------
    str

    Examples
    --------
    >>> always_on_text(np.array([[0.5, 0.0], [1.0, 2.0]]))
    'One unit, unit 0, is above zero for every one of these training images: its ReLU never cuts anything off, so on them it acts as a plain linear function of the pixels, a weighted sum that grades every image rather than detecting something.'
    >>> print(always_on_text(np.array([[1.0, 2.0, 0.0, 3.0], [1.0, 2.0, 4.0, 0.0]])))
    Of the 4 units, units 0 and 1 are above zero for every one of these training images: their ReLUs never cut anything off, so on them each acts as a plain linear function of the pixels, a weighted sum that grades every image rather than detecting something.
    >>> print(always_on_text(np.array([[0.5, 0.0], [0.0, 2.0]])))
    Every unit is zero for some of these training images: each uses its ReLU's cut-off, which is what makes the layer more than a linear function of the pixels.
    """
    hidden = _check_hidden(hidden)
    on = np.flatnonzero((hidden > 0).all(axis=0))
    if len(on) == 0:
        return (
            f"Every unit is zero for some of these {images}: each uses its ReLU's cut-off, which is what "
            "makes the layer more than a linear function of the pixels."
        )
    if len(on) == 1:
        units, theirs, each = f"One unit, unit {int(on[0])}, is", "its ReLU never cuts", "it acts"
    else:
        listed = join_words(int(u) for u in on) if len(on) <= 6 else None
        units = f"Of the {hidden.shape[1]} units, " + (f"units {listed}" if listed else f"{len(on)} units") + " are"
        theirs, each = "their ReLUs never cut", "each acts"
    return (
        f"{units} above zero for every one of these {images}: {theirs} anything off, so on them {each} as a "
        "plain linear function of the pixels, a weighted sum that grades every image rather than detecting something."
    )


def ink_correlation_text(ink, n_active) -> str:
    """How the number of active units goes with the amount of ink, from their correlation.

    Parameters
    ----------
    ink : array-like of shape (n_samples,)
        Amount of ink per image (for example the number of inked pixels).
    n_active : array-like of shape (n_samples,)
        Number of active hidden units per image.

    Returns
    -------
    str
        Continues "the correlation between the number of active units and
        the amount of ink ...": the correlation, its direction, and the share
        of the variation that ink accounts for (the square of the
        correlation), with a verdict on whether the count is simply a
        matter of ink.

    Examples
    --------
    >>> print(ink_correlation_text([1, 2, 3, 4], [9, 9, 7, 8]))
    is -0.67: more ink goes, on average, with fewer active units. The amount of ink accounts for 45% of the variation in the count (the square of the correlation), so it is not simply a matter of ink.
    """
    ink = np.asarray(ink, dtype=float)
    n_active = np.asarray(n_active, dtype=float)
    if ink.ndim != 1 or n_active.ndim != 1 or len(ink) != len(n_active) or len(ink) < 2:
        raise ValueError(
            "ink and n_active must be one-dimensional, of the same length and at least 2 long, "
            f"got shapes {ink.shape} and {n_active.shape}"
        )
    if ink.std() == 0 or n_active.std() == 0:
        raise ValueError("ink and n_active must both vary: the correlation of a constant is undefined")
    r = float(np.corrcoef(ink, n_active)[0, 1])
    if abs(r) < 0.1:
        direction = "there is hardly a trend either way"
    elif r < 0:
        direction = "more ink goes, on average, with fewer active units"
    else:
        direction = "more ink goes, on average, with more active units"
    explained = r * r
    if explained < 0.5:
        verdict = "so it is not simply a matter of ink"
    elif explained < 0.95:
        verdict = "so ink goes a long way to explain it, but not all the way"
    else:
        verdict = "so ink explains almost all of it"
    return (
        f"is {r:.2f}: {direction}. The amount of ink accounts for {_percent(explained)} of the variation "
        f"in the count (the square of the correlation), {verdict}."
    )


def favourite_digits_text(means) -> str:
    """Which digits the hidden units favour: how many units have their largest mean for each digit.

    Parameters
    ----------
    means : ndarray of shape (n_classes, n_units)
        Mean activation of each unit per class (:func:`mean_activation`);
        a unit's *favourite* is the class of its largest mean.

    Returns
    -------
    str
        Whether every digit is some unit's favourite, and the smallest and
        largest number of units that favour one digit (ties listed).

    Examples
    --------
    >>> means = np.array([[1.0, 0.0, 2.0, 0.5], [0.0, 3.0, 1.0, 0.4], [0.0, 0.0, 0.0, 0.0]])
    >>> favourite_digits_text(means)
    '2 of the 3 digits are the favourite of some units, and none is the favourite of the 2s. The count runs from 1 unit for the 1s to 3 for the 0s.'
    """
    means = _check_hidden(means, "means")
    favourite = np.where(np.isnan(means), -np.inf, means).argmax(axis=0)
    counts = np.bincount(favourite, minlength=means.shape[0])
    n_classes = len(counts)
    present = np.flatnonzero(counts > 0)
    if len(present) == 1:
        return f"Every unit has its largest mean for {_digits(present)}: no other digit is the favourite of any unit."
    lo, hi = counts[present].min(), counts[present].max()
    fewest = [k for k in present if counts[k] == lo]
    most = [k for k in present if counts[k] == hi]
    if lo == hi:
        spread = f"each of them is the favourite of {lo} unit{'s' if lo > 1 else ''}"
    else:
        spread = (
            f"from {lo} unit{'s' if lo > 1 else ''} for {_digits(fewest)} to {hi} for {_digits(most)}"
        )
    if len(present) == n_classes:
        return f"Every digit is the favourite of some units, {spread}."
    absent = [k for k in range(n_classes) if counts[k] == 0]
    opening = (
        f"{len(present)} of the {n_classes} digits are the favourite of some units, "
        f"and none is the favourite of {_digits(absent)}."
    )
    if lo == hi:
        return f"{opening} Of the others, {spread}."
    return f"{opening} The count runs {spread}."


def distributed_code(means, *, lit: float = 0.5) -> dict:
    """How far the hidden code is shared between digits: the numbers and a sentence for a heat map.

    A cell of the heat map (a digit and a unit) is *lit* when the unit's
    mean activation for that digit is at least ``lit`` times its largest
    mean over the digits (and above zero). Each unit belongs to the group of
    its favourite digit (the one of its largest mean), as in
    :func:`~mnist_lesson.plotting.plot_mean_activation` with
    ``group_by_class=True``.

    Parameters
    ----------
    means : ndarray of shape (n_classes, n_units)
        Mean activation of each unit per class (:func:`mean_activation`).
    lit : float, default 0.5
        The fraction of a column's largest mean that a cell must reach to
        count as lit; between 0 (excluded) and 1.

    Returns
    -------
    dict
        ``shared_units`` (units lit for more than one digit), ``n_units``,
        ``shared_share`` (their fraction), ``min_groups`` (the smallest
        number of groups, over the digits, in which a digit lights up some
        unit), ``n_groups`` (groups that have units) and ``text``, a
        sentence stating these.

    Examples
    --------
    >>> means = np.array([[4.0, 1.0, 3.0], [3.0, 2.0, 0.0], [0.0, 1.5, 3.5]])
    >>> found = distributed_code(means)
    >>> found["shared_units"], found["min_groups"]
    (3, 2)
    >>> print(found["text"])
    Call a cell lit when it reaches at least half of the largest mean in its column. Then all of the columns (3 of 3) are lit for more than one digit, and every digit lights up units in at least 2 of the 3 groups.
    """
    means = _check_hidden(means, "means")
    lit = float(lit)
    if not 0.0 < lit <= 1.0:
        raise ValueError(f"lit must lie in (0, 1], got {lit}")
    filled = np.where(np.isnan(means), -np.inf, means)
    column_max = filled.max(axis=0)
    cells = (filled >= lit * column_max) & (filled > 0)
    favourite = filled.argmax(axis=0)
    n_units = means.shape[1]
    shared = int((cells.sum(axis=0) > 1).sum())
    groups = [len(set(favourite[cells[k]].tolist())) for k in range(means.shape[0])]
    n_groups = len(set(favourite.tolist()))
    share = shared / n_units
    threshold = "half of the largest mean" if lit == 0.5 else f"{lit:.0%} of the largest mean"
    text = (
        f"Call a cell lit when it reaches at least {threshold} in its column. Then {share_words(share)} "
        f"of the columns ({shared} of {n_units}) are lit for more than one digit, and every digit lights "
        f"up units in at least {min(groups)} of the {n_groups} groups."
    )
    return {
        "shared_units": shared,
        "n_units": n_units,
        "shared_share": share,
        "min_groups": int(min(groups)),
        "n_groups": n_groups,
        "text": text,
    }
