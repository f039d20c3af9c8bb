"""The network and its training: architecture diagram, ReLU, softmax, learning curves."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.ticker import MaxNLocator

from .._checks import check_int
from ..encoding import NUM_CLASSES
from ._common import CLASS_COLORS, COLUMN_WIDTH, STACKED_WIDTH, _as_float_vector, _axes_or_new, _figure_or_new

__all__ = ["plot_architecture", "plot_relu", "plot_softmax", "plot_history"]


# ---------------------------------------------------------------------------
# Model: architecture, ReLU, softmax
# ---------------------------------------------------------------------------


def _default_layer_labels(sizes) -> list[str]:
    labels = [f"input\n{sizes[0]:,} pixels"]
    hidden = sizes[1:-1]
    for i, n in enumerate(hidden, start=1):
        name = "hidden" if len(hidden) == 1 else f"hidden {i}"
        labels.append(f"{name}\n{n:,} ReLU")
    labels.append(f"output\n{sizes[-1]:,} softmax")
    return labels


def plot_architecture(layer_sizes=(784, 128, 10), *, ax=None, max_drawn=12, labels=None):
    """Draw a dense network as columns of neurons joined by thin lines.

    A layer with more than ``max_drawn`` neurons shows its first and last few
    with a vertical ellipsis between them; the true count is written below
    each column, and the number of parameters between each pair of layers
    above the connections.

    Parameters
    ----------
    layer_sizes : sequence of int, default (784, 128, 10)
        Neurons per layer, input first; at least two layers.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is made.
    max_drawn : int, default 12
        Most neurons drawn per layer (at least 2).
    labels : sequence of str, optional
        One name per layer, written below its column. By default
        ``"input 784 pixels"``, ``"hidden 128 ReLU"``, ``"output 10 softmax"``
        (from ``layer_sizes``). A custom label that does not mention the
        layer's size gets the size added on a second line.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_architecture((784, 1, 10), ax=Figure().subplots())
    >>> ax.get_title()
    'dense network 784 → 1 → 10: 805 parameters'
    """
    try:
        sizes = [int(n) if not isinstance(n, (bool, np.bool_)) and float(n).is_integer() else None
                 for n in layer_sizes]
    except (TypeError, ValueError):
        sizes = [None]
    if len(sizes) < 2 or any(n is None or n < 1 for n in sizes):
        raise ValueError(
            f"layer_sizes must list at least two positive integers (input first), got {layer_sizes!r}"
        )
    max_drawn = check_int("max_drawn", max_drawn, minimum=2)
    if labels is None:
        labels = _default_layer_labels(sizes)
    else:
        labels = [str(label) for label in labels]
        if len(labels) != len(sizes):
            raise ValueError(
                f"labels must name each of the {len(sizes)} layers, got {len(labels)} labels"
            )
        labels = [
            label if re.search(rf"(?<![\d,]){n:,}(?![\d,])|(?<!\d){n}(?!\d)", label) else f"{label}\n{n:,}"
            for label, n in zip(labels, sizes)
        ]

    ax = _axes_or_new(ax, (min(COLUMN_WIDTH, max(5.0, 2.4 * len(sizes))), 5.0))

    # Vertical slots per layer: drawn neurons plus one for the ellipsis.
    layers = []
    for n in sizes:
        truncated = n > max_drawn
        drawn = min(n, max_drawn)
        slots = drawn + int(truncated)
        ys = (slots - 1) / 2 - np.arange(slots, dtype=float)
        top = math.ceil(drawn / 2)
        if truncated:
            layers.append((np.delete(ys, top), ys[top]))
        else:
            layers.append((ys, None))
    max_slots = max(len(ys) + (ell is not None) for ys, ell in layers)
    half = (max_slots - 1) / 2

    fig = ax.figure
    height_in = ax.get_position().height * fig.get_figheight()
    diameter = float(np.clip(0.6 * height_in * 72 / (max_slots + 4), 3.0, 16.0))

    segments = []
    for x, ((ys0, _), (ys1, _)) in enumerate(zip(layers[:-1], layers[1:])):
        for y0 in ys0:
            for y1 in ys1:
                segments.append([(x, y0), (x + 1, y1)])
    # Opaque, not antialiased: the grey of thousands of blended edges makes a heavy PNG at 2x,
    # where the steps of aliased lines are too fine to see.
    ax.add_collection(LineCollection(segments, colors="0.72", linewidths=0.5, antialiaseds=False, zorder=1))

    face = {"input": "#d9d9d9", "hidden": "#9ecae1", "output": "#fdd0a2"}
    for x, ((ys, ellipsis_y), n, label) in enumerate(zip(layers, sizes, labels)):
        kind = "input" if x == 0 else "output" if x == len(sizes) - 1 else "hidden"
        ax.scatter(np.full(len(ys), x), ys, s=diameter**2, facecolors=face[kind],
                   edgecolors="0.25", linewidths=0.8, zorder=3)
        if ellipsis_y is not None:
            ax.text(x, ellipsis_y, "⋮", ha="center", va="center", fontsize=2.0 * diameter,
                    fontweight="bold", zorder=4)
        ax.text(x, -half - 0.9, label, ha="center", va="top", fontsize="medium")
        if kind == "output" and n == NUM_CLASSES and ellipsis_y is None:
            for digit, y in enumerate(ys):
                ax.text(x + 0.09, y, str(digit), ha="left", va="center", fontsize="small", color="0.3")
    for x, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        ax.text(
            x + 0.5,
            half + 0.9,
            f"{n_in * n_out + n_out:,} parameters\n({n_in:,} x {n_out:,} weights + {n_out:,} biases)",
            ha="center",
            va="bottom",
            fontsize="small",
        )
    total = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-half - 3.2, half + 2.6)
    ax.set_axis_off()
    ax.set_title(f"dense network {' → '.join(f'{n:,}' for n in sizes)}: {total:,} parameters")
    return ax


def plot_relu(*, ax=None, x=None):
    """Plot the ReLU activation, ``max(0, z)``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is made.
    x : array-like of shape (n_points,), optional
        Where to evaluate it; by default 601 points from -3 to 3.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_relu(ax=Figure().subplots(), x=[-1.0, 0.0, 2.0])
    >>> ax.lines[-1].get_ydata().tolist()
    [0.0, 0.0, 2.0]
    """
    x = np.linspace(-3, 3, 601) if x is None else _as_float_vector(x, "x")
    if x.size < 2:
        raise ValueError(f"x must hold at least two points, got shape {x.shape}")
    x = np.sort(x)
    ax = _axes_or_new(ax, (4.5, 3.2))
    ax.axhline(0, color="0.8", linewidth=0.8, zorder=0)
    ax.axvline(0, color="0.8", linewidth=0.8, zorder=0)
    ax.plot(x, np.maximum(x, 0.0), color=CLASS_COLORS[0], linewidth=2)
    ax.set_xlabel("input z")
    ax.set_ylabel("ReLU(z) = max(0, z)")
    ax.set_title("ReLU")
    return ax


def plot_softmax(logits, *, ax=None):
    """Bar chart of the softmax probabilities of some logits.

    Parameters
    ----------
    logits : array-like of shape (n_classes,)
        Raw output scores; the title repeats them.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is made.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_softmax([0.0, 0.0], ax=Figure().subplots())
    >>> [float(bar.get_height()) for bar in ax.patches]
    [0.5, 0.5]
    """
    z = _as_float_vector(logits, "logits")
    if z.size == 0 or not np.all(np.isfinite(z)):
        raise ValueError(f"logits must be a non-empty vector of finite numbers, got {z!r}")
    e = np.exp(z - z.max())
    p = e / e.sum()
    n = len(p)
    ax = _axes_or_new(ax, (max(4.5, 0.5 * n + 1.5), 3.4))
    colors = list(CLASS_COLORS[:n]) if n <= NUM_CLASSES else CLASS_COLORS[0]
    bars = ax.bar(np.arange(n), p, color=colors)
    ax.bar_label(bars, labels=[f"{v:.2f}" for v in p], padding=2, fontsize="small")
    ax.set_xticks(np.arange(n))
    ax.set_ylim(0, 1.1)
    ax.set_xlabel("class")
    ax.set_ylabel("softmax probability")
    shown = ", ".join(f"{v:.3g}" for v in z[:10]) + (", ..." if n > 10 else "")
    ax.set_title(f"softmax of logits ({shown})", fontsize="medium")
    return ax



# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------


def _history_dict(history) -> dict:
    if hasattr(history, "history") and isinstance(history.history, Mapping):
        history = history.history  # a Keras History object
    if hasattr(history, "columns") and hasattr(history, "to_dict"):  # a DataFrame
        return {str(c): np.asarray(history[c], dtype=float) for c in history.columns}
    if isinstance(history, Mapping):
        return {str(k): np.asarray(v, dtype=float) for k, v in history.items()}
    raise ValueError(
        "history must be a dict of lists (Keras History.history) or a DataFrame, "
        f"got {type(history).__name__}"
    )


def _lower_is_better(metric: str) -> bool:
    return any(word in metric for word in ("loss", "error", "mse", "mae", "entropy"))


def plot_history(history, *, label=None, metrics=("loss", "accuracy"), fig=None):
    """Draw training curves, one panel per metric: training solid, validation dashed.

    Each panel marks the best validation epoch (lowest loss, highest accuracy).
    Call it twice with the same ``fig`` and different ``label`` to compare two
    models: the second call draws on the panels of the first, in the next
    colour of the panels' colour cycle.

    Parameters
    ----------
    history : dict of lists or pandas.DataFrame
        Values per epoch, as in Keras's ``History.history`` (a ``History``
        object works too): for each metric ``m``, key ``m`` for training and
        optionally ``"val_" + m`` for validation. Epochs are numbered from 1.
    label : str, optional
        Model name that prefixes the legend entries, e.g. ``"128 units"``.
    metrics : sequence of str, default ("loss", "accuracy")
        Which metrics to draw, one panel each.
    fig : matplotlib.figure.Figure or SubFigure, optional
        Where to draw: an empty figure gets one column of panels, one per
        metric, one above the other (so that the figure reads on a phone too); a figure that already holds one panel per metric (from an
        earlier call) gets the new curves on those panels. By default a new
        figure is made.

    Returns
    -------
    matplotlib.figure.Figure or SubFigure
        ``fig``, or the new figure; ``fig.axes`` holds one panel per metric.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> history = {"loss": [0.9, 0.5], "val_loss": [0.7, 0.6]}
    >>> fig = plot_history(history, metrics=("loss",), fig=Figure())
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['training', 'validation', 'lowest validation (epoch 2)']
    """
    data = _history_dict(history)
    if isinstance(metrics, str):
        metrics = (metrics,)
    metrics = [str(m) for m in metrics]
    if not metrics:
        raise ValueError("metrics must name at least one metric, got none")
    missing = [m for m in metrics if m not in data]
    if missing:
        raise ValueError(f"history has no {missing}; it has {sorted(data)}")
    lengths = {k: len(v) for k, v in data.items() if k in metrics or k in {f"val_{m}" for m in metrics}}
    if len(set(lengths.values())) != 1 or 0 in lengths.values():
        raise ValueError(f"history's columns must have the same, non-zero number of epochs, got {lengths}")
    fig = _figure_or_new(fig, (STACKED_WIDTH, 0.3 + 2.9 * len(metrics)))
    if not fig.axes:
        axes = list(fig.subplots(len(metrics), 1, squeeze=False)[:, 0])
    elif len(fig.axes) == len(metrics):
        axes = list(fig.axes)
    else:
        raise ValueError(
            f"fig must be empty or hold one panel per metric ({len(metrics)}, from an earlier "
            f"plot_history call), got a figure with {len(fig.axes)} axes; pass a new figure"
        )

    prefix = f"{label}: " if label else ""
    for ax, metric in zip(axes, metrics):
        train = data[metric]
        epochs = np.arange(1, len(train) + 1)
        (line,) = ax.plot(epochs, train, linestyle="-", label=f"{prefix}training")
        color = line.get_color()
        val = data.get(f"val_{metric}")
        if val is not None and np.any(np.isfinite(val)):
            ax.plot(epochs, val, linestyle="--", color=color, label=f"{prefix}validation")
            lower = _lower_is_better(metric)
            best = int(np.nanargmin(val) if lower else np.nanargmax(val))
            word = "lowest" if lower else "highest"
            ax.plot(epochs[best], val[best], linestyle="none", marker="o", markersize=9,
                    markerfacecolor="none", markeredgecolor=color, markeredgewidth=1.6,
                    label=f"{prefix}{word} validation (epoch {epochs[best]})")
        name = metric.replace("_", " ")
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.set_title(name)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(loc="best", fontsize="small")
    return fig
