"""Digits and classes: image grids, class counts (seaborn), one image as numbers and as a vector."""

from __future__ import annotations

import math

import numpy as np

from .._checks import check_int
from ..encoding import NUM_CLASSES
from ._common import (
    _IMAGE_PIXELS,
    CLASS_COLORS,
    COLUMN_WIDTH,
    CORRECT_COLOR,
    IMAGE_SIDE,
    MIN_FONT_PT,
    WRONG_COLOR,
    _as_image,
    _as_images,
    _as_labels,
    _axes_or_new,
    _check_size,
    _figure_or_new,
    _format_number,
    _image_range,
    _text_color,
)

__all__ = ["plot_digits", "plot_class_distribution", "plot_image_as_numbers", "plot_image_as_vector"]


# ---------------------------------------------------------------------------
# Data: images and classes
# ---------------------------------------------------------------------------


def plot_digits(images, labels=None, *, predicted=None, ncols=10, size=None, title=None, fig=None):
    """Draw a grid of 28x28 digits, each titled by its label or prediction.

    Parameters
    ----------
    images : array-like of shape (n_images, 28, 28) or (n_images, 784)
        Grey-scale images, raw (0..255) or rescaled (0..1).
    labels : array-like of int, shape (n_images,), optional
        The true classes. Without ``predicted``, each image is titled by its label.
    predicted : array-like of int, shape (n_images,), optional
        Predicted classes. Each image is titled by its prediction: green when it
        equals the label, red and bold with the true class added, as in
        ``"7 (true 2)"``, when it does not.
    ncols : int, default 10
        Images per row.
    size : float, optional
        Width of one image in inches; by default 1 inch, or less so that the
        row fits the book's text column (``COLUMN_WIDTH``).
    title : str, optional
        Title above the grid.
    fig : matplotlib.figure.Figure or SubFigure, optional
        Where to draw the grid; by default a new figure is made.

    Returns
    -------
    matplotlib.figure.Figure or SubFigure
        ``fig``, or the new figure, holding the grid; its axes are ``fig.axes``.
    """
    images = _as_images(images, "images")
    n = len(images)
    if n == 0:
        raise ValueError(f"images must hold at least one image, got shape {images.shape}")
    if labels is not None:
        labels = _as_labels(labels, "labels", n)
    if predicted is not None:
        predicted = _as_labels(predicted, "predicted", n)
    ncols = check_int("ncols", ncols)
    ncols = min(ncols, n)
    size = min(1.0, COLUMN_WIDTH / ncols) if size is None else _check_size(size)
    nrows = math.ceil(n / ncols)
    extra = 0.35 if title else 0.0
    fig = _figure_or_new(fig, (ncols * size, nrows * size * 1.25 + extra))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    vmin, vmax = _image_range(images)
    fontsize = max(MIN_FONT_PT + 1.0, 8.0 * size)
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i >= n:
            continue
        ax.imshow(images[i], cmap="gray_r", vmin=vmin, vmax=vmax, interpolation="nearest")
        if predicted is not None:
            if labels is None:
                ax.set_title(str(predicted[i]), fontsize=fontsize)
            elif predicted[i] == labels[i]:
                ax.set_title(str(predicted[i]), fontsize=fontsize, color=CORRECT_COLOR)
            else:
                ax.set_title(
                    f"{predicted[i]} (true {labels[i]})",
                    fontsize=fontsize,
                    color=WRONG_COLOR,
                    fontweight="bold",
                )
        elif labels is not None:
            ax.set_title(str(labels[i]), fontsize=fontsize)
    if title:
        fig.suptitle(title)
    return fig


def plot_class_distribution(labels, *, ax=None, title=None, color=None):
    """Bar chart of how many images each digit 0..9 has, counts on the bars (seaborn's ``countplot``).

    Parameters
    ----------
    labels : array-like of int, shape (n_samples,)
        Class labels from 0 to 9.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is made.
    title : str, optional
        Axes title.
    color : colour, optional
        One colour for all bars; by default each bar has its class colour.
        A class without images has no bar, only its tick.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_class_distribution([0, 1, 1, 9], ax=Figure().subplots())
    >>> [(round(bar.get_x() + bar.get_width() / 2), int(bar.get_height())) for bar in ax.patches]
    [(0, 1), (1, 2), (9, 1)]
    """
    import seaborn as sns

    labels = _as_labels(labels, "labels")
    ax = _axes_or_new(ax, (6.4, 3.8))
    classes = list(range(NUM_CLASSES))
    # seaborn counts the labels; hue gives each class its own colour (saturation=1 keeps the palette's).
    colours = {"color": color} if color is not None else {
        "hue": labels, "hue_order": classes, "palette": list(CLASS_COLORS), "legend": False}
    sns.countplot(x=labels, order=classes, saturation=1, edgecolor="white", linewidth=0.5, ax=ax, **colours)
    for bars in ax.containers:
        ax.bar_label(bars, labels=[f"{bar.get_height():,.0f}" for bar in bars], padding=2, fontsize="small")
    ax.set_xlabel("digit")
    ax.set_ylabel("number of images")
    ax.margins(y=0.12)
    if title:
        ax.set_title(title)
    return ax



# ---------------------------------------------------------------------------
# Encoding: one image as numbers, as a vector
# ---------------------------------------------------------------------------


def plot_image_as_numbers(image, *, ax=None, fontsize=6.5, crop=False):
    """Show one image in grey with each non-zero pixel's value written in its cell.

    Text is white on dark cells and black on light ones.

    Parameters
    ----------
    image : array-like of shape (28, 28) or (784,)
        One image; raw values (0..255) are written as integers, rescaled ones
        with two significant digits.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new square figure as wide as the text column.
    fontsize : float, default 6.5
        Size of the numbers, in points.
    crop : bool, default False
        Zoom in on the ink: show only the rows and columns that hold non-zero
        pixels, with one blank pixel around them, so that the numbers can be
        written larger. The title names the rows and columns shown. An image
        with no ink is shown whole.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> image = np.zeros((28, 28))
    >>> image[10:12, 5:9] = 255
    >>> ax = plot_image_as_numbers(image, crop=True, ax=Figure().subplots())
    >>> ax.get_title()
    'one image as a grid of 28 x 28 numbers (rows 9 to 12, columns 4 to 9)'
    """
    image = _as_image(image, "image")
    if not np.isscalar(fontsize) or not fontsize > 0:
        raise ValueError(f"fontsize must be a positive number of points, got {fontsize!r}")
    if not isinstance(crop, (bool, np.bool_)):
        raise ValueError(f"crop must be True or False, got {crop!r}")
    last = IMAGE_SIDE - 1
    rows, cols = (0, last), (0, last)
    cropped = bool(crop) and bool(np.any(image != 0))
    if cropped:
        ink_rows, ink_cols = np.nonzero(image)
        rows = (max(int(ink_rows.min()) - 1, 0), min(int(ink_rows.max()) + 1, last))
        cols = (max(int(ink_cols.min()) - 1, 0), min(int(ink_cols.max()) + 1, last))
    ax = _axes_or_new(ax, (COLUMN_WIDTH, COLUMN_WIDTH))
    vmin, vmax = _image_range(image)
    im = ax.imshow(image, cmap="gray_r", vmin=vmin, vmax=vmax, interpolation="nearest")
    for (row, col), value in np.ndenumerate(image):
        if value == 0 or not (rows[0] <= row <= rows[1] and cols[0] <= col <= cols[1]):
            continue
        ax.text(
            col,
            row,
            _format_number(value),
            ha="center",
            va="center",
            fontsize=fontsize,
            color=_text_color(im.cmap(im.norm(value))),
        )
    ticks = np.arange(0, IMAGE_SIDE, 4)
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    title = "one image as a grid of 28 x 28 numbers"
    if cropped:
        ax.set_xlim(cols[0] - 0.5, cols[1] + 0.5)
        ax.set_ylim(rows[1] + 0.5, rows[0] - 0.5)
        title += f" (rows {rows[0]} to {rows[1]}, columns {cols[0]} to {cols[1]})"
    ax.set_title(title)
    return ax


def plot_image_as_vector(vector, *, ax=None):
    """Draw the flat vector of 784 values the network sees, against its position.

    Each value is a vertical line from zero; faint grid lines mark where each
    row of 28 pixels begins.

    Parameters
    ----------
    vector : array-like of shape (784,) or (28, 28)
        One image; a 28x28 image is flattened row by row.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new wide figure is made.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_image_as_vector(np.zeros(784), ax=Figure().subplots())
    >>> ax.get_xlabel()
    'position in the input vector'
    """
    vector = _as_image(vector, "vector").reshape(-1).astype(float)
    ax = _axes_or_new(ax, (COLUMN_WIDTH, 2.6))
    positions = np.arange(_IMAGE_PIXELS)
    ax.vlines(np.arange(0, _IMAGE_PIXELS + 1, IMAGE_SIDE), 0, 1, transform=ax.get_xaxis_transform(),
              colors="0.9", linewidth=0.6, zorder=0)
    ax.vlines(positions, 0, vector, colors=CLASS_COLORS[0], linewidth=0.9)
    ax.set_xticks(np.arange(0, _IMAGE_PIXELS, 4 * IMAGE_SIDE))
    ax.set_xlim(-0.5, _IMAGE_PIXELS - 0.5)
    ax.set_xlabel("position in the input vector")
    ax.set_ylabel("pixel value")
    ax.set_title("the same image as the flat vector of 784 values the network sees\n"
                 "(rows of 28 pixels, one after another)", fontsize="medium")
    return ax
