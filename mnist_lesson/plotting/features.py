"""Features: per-class box plots, importance maps and scatter plots coloured by class."""

from __future__ import annotations

import numpy as np
from matplotlib import patheffects
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from .._checks import check_int
from ..encoding import NUM_CLASSES
from ._common import (
    _IMAGE_PIXELS,
    COLUMN_WIDTH,
    IMAGE_SIDE,
    _as_float_vector,
    _as_image,
    _as_labels,
    _axes_or_new,
    _is_numeric,
    class_color,
)

__all__ = ["plot_class_boxplots", "plot_importance", "plot_scatter_by_class"]


# ---------------------------------------------------------------------------
# Activations and pixels
# ---------------------------------------------------------------------------


def plot_class_boxplots(values, labels, *, ax=None, title=None, ylabel=None):
    """One box plot per digit class of a single variable, in class colours.

    Parameters
    ----------
    values : array-like of shape (n_samples,)
        The variable, e.g. one hidden unit's activation or one pixel's value.
    labels : array-like of int, shape (n_samples,)
        Class of each sample, 0 to 9. A class without samples gets no box.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is made.
    title : str, optional
        Axes title.
    ylabel : str, optional
        Name of the variable; by default ``"value"``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    values = _as_float_vector(values, "values")
    labels = _as_labels(labels, "labels", len(values))
    if values.size == 0:
        raise ValueError("values must hold at least one sample, got none")
    present = [k for k in range(NUM_CLASSES) if np.any(labels == k)]
    data = [values[labels == k] for k in present]
    ax = _axes_or_new(ax, (COLUMN_WIDTH, 4))
    bp = ax.boxplot(
        data,
        positions=present,
        widths=0.6,
        patch_artist=True,
        medianprops={"color": "black", "linewidth": 1.3},
        flierprops={"marker": ".", "markersize": 2.5, "alpha": 0.4, "markeredgewidth": 0},
    )
    for k, box, fliers in zip(present, bp["boxes"], bp["fliers"]):
        box.set_facecolor(class_color(k))
        box.set_edgecolor("0.2")
        fliers.set_markerfacecolor(class_color(k))
        fliers.set_rasterized(True)
    ax.set_xticks(np.arange(NUM_CLASSES), labels=[str(k) for k in range(NUM_CLASSES)])
    ax.set_xlim(-0.6, NUM_CLASSES - 0.4)
    ax.set_xlabel("digit")
    ax.set_ylabel(ylabel or "value")
    if title:
        ax.set_title(title)
    return ax


def plot_importance(importances, *, ax=None, cmap="viridis", title=None, mark=None):
    """Heat map of one value per pixel (e.g. feature importance) as a 28x28 image.

    Parameters
    ----------
    importances : array-like of shape (784,) or (28, 28)
        One value per pixel, row by row.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is made.
    cmap : str or Colormap, default "viridis"
        Colour map.
    title : str, optional
        Axes title; by default ``"pixel importance"``.
    mark : sequence of int, optional
        Flat pixel indices (0..783) to outline and label, e.g. a chosen pair.

    Returns
    -------
    matplotlib.axes.Axes
    """
    image = _as_image(importances, "importances").astype(float)
    marks = [] if mark is None else np.atleast_1d(np.asarray(mark))
    if len(marks) and (not np.issubdtype(marks.dtype, np.integer) or marks.ndim != 1
                       or marks.min() < 0 or marks.max() >= _IMAGE_PIXELS):
        raise ValueError(f"mark must list flat pixel indices from 0 to 783, got {mark!r}")
    ax = _axes_or_new(ax, (5.4, 4.6))
    im = ax.imshow(image, cmap=cmap, interpolation="nearest")
    ax.figure.colorbar(im, ax=ax, label="importance")
    outline = [patheffects.withStroke(linewidth=3.2, foreground="black")]
    for index in marks:
        row, col = divmod(int(index), IMAGE_SIDE)
        ax.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, edgecolor="white",
                               linewidth=1.6, path_effects=outline, zorder=3))
        left = col > IMAGE_SIDE - 8
        ax.text(col + (-0.8 if left else 0.8), row - 0.8, f"pixel {int(index)}",
                ha="right" if left else "left", va="bottom", color="white", fontsize="small",
                path_effects=[patheffects.withStroke(linewidth=2.2, foreground="black")], zorder=4)
    ticks = np.arange(0, IMAGE_SIDE, 4)
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    ax.set_title(title or "pixel importance")
    return ax


def plot_scatter_by_class(points, labels, *, ax=None, title=None, xlabel=None, ylabel=None,
                          s=None, alpha=0.6, legend=True, max_points=None):
    """Scatter plot of 2-D points coloured by digit class, rasterised, with a legend.

    One ``scatter`` per class (so the legend has one entry per digit), small
    markers without edges, rasterised so that 60,000 points stay light in
    vector output. The legend shows full-size, opaque markers.

    Parameters
    ----------
    points : array-like of shape (n_samples, 2)
        The two coordinates: a pixel pair, two hidden units, PCA or t-SNE.
    labels : array-like of int, shape (n_samples,)
        Class of each point, 0 to 9.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is made.
    title, xlabel, ylabel : str, optional
        Axes title and labels; the labels default to "dimension 1" / "dimension 2".
    s : float, optional
        Marker area in points²; by default smaller the more points there are
        (from 20 down to 1).
    alpha : float, default 0.6
        Opacity of the points.
    legend : bool, default True
        Whether to add the legend of the ten digits (right of the axes).
    max_points : int, optional
        Draw a random sample of at most this many points (the same sample on
        every run), for data so dense that the points would cover one another
        in one solid patch. By default every point is drawn.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_scatter_by_class([[0, 0], [1, 1]], [3, 5], ax=Figure().subplots())
    >>> len(ax.collections), len(ax.get_legend().get_texts())
    (10, 10)
    """
    if not _is_numeric(points):
        raise ValueError(f"points must hold numbers, got dtype {np.asarray(points).dtype}")
    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (n_samples, 2), got shape {points.shape}")
    labels = _as_labels(labels, "labels", len(points))
    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha must lie between 0 and 1, got {alpha!r}")
    if max_points is not None:
        max_points = check_int("max_points", max_points)
        if len(points) > max_points:
            chosen = np.sort(np.random.default_rng(0).choice(len(points), max_points, replace=False))
            points, labels = points[chosen], labels[chosen]
    if s is None:
        s = float(np.clip(4000.0 / max(len(points), 1), 1.0, 20.0))
    elif not s > 0:
        raise ValueError(f"s must be a positive marker area, got {s!r}")
    ax = _axes_or_new(ax, (6.0, 5))
    for k in range(NUM_CLASSES):
        chosen = points[labels == k]
        ax.scatter(chosen[:, 0], chosen[:, 1], s=s, color=class_color(k), alpha=alpha,
                   linewidths=0, rasterized=True, label=str(k))
    ax.set_xlabel(xlabel or "dimension 1")
    ax.set_ylabel(ylabel or "dimension 2")
    if title:
        ax.set_title(title)
    if legend:
        handles = [
            Line2D([], [], linestyle="none", marker="o", markersize=7, color=class_color(k),
                   markeredgewidth=0, alpha=1.0, label=str(k))
            for k in range(NUM_CLASSES)
        ]
        ax.legend(handles=handles, title="digit", loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  borderaxespad=0.0, frameon=False, handletextpad=0.3, fontsize="small")
    return ax
