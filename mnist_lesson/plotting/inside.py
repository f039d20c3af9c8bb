"""Inside the network: mean activations per class (a seaborn heat map), and the width experiment."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator, NullLocator, PercentFormatter

from ..encoding import NUM_CLASSES
from ._common import (
    CLASS_COLORS,
    COLUMN_WIDTH,
    STACKED_WIDTH,
    _axes_or_new,
    _figure_or_new,
    _heatmap,
    _is_numeric,
)

__all__ = ["plot_mean_activation", "plot_width_experiment"]


# ---------------------------------------------------------------------------
# Activations and experiments
# ---------------------------------------------------------------------------


def plot_mean_activation(mean_activation, *, ax=None, cmap="magma", group_by_class=False):
    """Heat map of each hidden unit's mean activation, one row per digit.

    Drawn with seaborn's ``heatmap``: the cell of digit ``d`` and column ``j``
    spans ``x`` from ``j`` to ``j + 1`` and ``y`` from ``d`` to ``d + 1``, digit 0 at
    the top; a digit without images (a row of NaN) is left blank.

    Parameters
    ----------
    mean_activation : array-like of shape (10, n_units)
        Row ``d`` is the mean activation of every hidden unit over images of digit ``d``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new wide figure is made.
    cmap : str or Colormap, default "magma"
        Colour map.
    group_by_class : bool, default False
        If False, the columns are the units in their own order (0, 1, ...).
        If True, each unit is put in the group of the digit for which its mean
        activation is largest, groups in digit order and units within a group
        by decreasing largest mean; thin white lines separate the groups and
        the x axis names each group's digit instead of unit numbers.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> means = np.zeros((10, 3))
    >>> means[7, 0], means[2, 1], means[2, 2] = 1.0, 0.5, 0.9
    >>> ax = plot_mean_activation(means, ax=Figure().subplots(), group_by_class=True)
    >>> ax.collections[0].get_array()[[2, 7]].tolist()
    [[0.9, 0.5, 0.0], [0.0, 0.0, 1.0]]
    """
    if not _is_numeric(mean_activation):
        raise ValueError(f"mean_activation must hold numbers, got dtype {np.asarray(mean_activation).dtype}")
    values = np.asarray(mean_activation, dtype=float)
    if values.ndim != 2 or values.shape[0] != NUM_CLASSES or values.shape[1] == 0:
        hint = "; transpose it?" if values.ndim == 2 and values.shape[1] == NUM_CLASSES else ""
        raise ValueError(
            f"mean_activation must have shape (10, n_units), one row per digit, got shape {values.shape}{hint}"
        )
    if not isinstance(group_by_class, (bool, np.bool_)):
        raise ValueError(f"group_by_class must be True or False, got {group_by_class!r}")
    n_units = values.shape[1]
    if group_by_class:
        filled = np.where(np.isnan(values), -np.inf, values)
        favourite = filled.argmax(axis=0)
        order = np.lexsort((-filled.max(axis=0), favourite))
        values = values[:, order]
        favourite = favourite[order]
    ax = _axes_or_new(ax, (float(np.clip(2.5 + 0.07 * n_units, 4.5, COLUMN_WIDTH)), 3.6))
    _heatmap(ax, values, cmap=cmap, square=False, bar_label="mean activation")
    # Cell (digit d, column j) spans x from j to j + 1 and y from d to d + 1, digit 0 at the top.
    ax.set_yticks(np.arange(NUM_CLASSES) + 0.5, labels=[str(d) for d in range(NUM_CLASSES)])
    ax.set_ylabel("digit")
    if group_by_class:
        starts = np.searchsorted(favourite, np.arange(NUM_CLASSES + 1))
        for edge in np.unique(starts[1:-1]):
            if 0 < edge < n_units:
                ax.axvline(edge, color="white", linewidth=0.8)
        present = [d for d in range(NUM_CLASSES) if starts[d + 1] > starts[d]]
        centres = [(starts[d] + starts[d + 1]) / 2 for d in present]
        ax.set_xticks(centres, labels=[str(d) for d in present])
        ax.set_xlabel("hidden units, grouped by the digit with their largest mean activation")
        ax.set_title("mean activation of each hidden unit, by digit (units grouped)")
    else:
        units = [int(u) for u in MaxNLocator(integer=True).tick_values(0, n_units - 1) if 0 <= u < n_units]
        ax.set_xticks(np.asarray(units) + 0.5, labels=[str(u) for u in units])
        ax.set_xlabel("hidden unit")
        ax.set_title("mean activation of each hidden unit, by digit")
    return ax


def _compact(count: float) -> str:
    if count >= 1e6:
        return f"{count / 1e6:.3g}M"
    if count >= 1e4:
        return f"{count / 1e3:.0f}k"
    return f"{count:,.0f}"


def plot_width_experiment(table, *, fig=None):
    """Test accuracy and time per epoch against the width of the hidden layer.

    The x axes are in powers of two; the accuracy panel's top axis gives
    the number of parameters of each width. Repeated runs of one width are
    drawn as dots around a line through their means. The network without a
    hidden layer (width 0, which a log axis cannot place) is a dashed
    horizontal line on both panels.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per run with columns ``hidden_units``, ``test_accuracy``
        (0..1), ``parameters`` and ``seconds_per_epoch``.
    fig : matplotlib.figure.Figure or SubFigure, optional
        Where to draw the two panels, one above the other (so that the
        figure reads on a phone too); by default a new figure is made.

    Returns
    -------
    matplotlib.figure.Figure or SubFigure
        ``fig``, or the new figure; ``fig.axes`` holds the accuracy panel
        and the time panel.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> table = pd.DataFrame({"hidden_units": [1, 2], "test_accuracy": [0.3, 0.5],
    ...                       "parameters": [805, 1600], "seconds_per_epoch": [1.0, 1.1]})
    >>> fig = plot_width_experiment(table, fig=Figure())
    >>> [ax.get_title() for ax in fig.axes]
    ['test accuracy against width', 'time per epoch against width']
    """
    import pandas as pd

    required = ["hidden_units", "test_accuracy", "parameters", "seconds_per_epoch"]
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"table must be a pandas DataFrame with columns {required}, got {type(table).__name__}")
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise ValueError(f"table lacks columns {missing}; it has {list(table.columns)}")
    data = table[required].astype(float)
    if not np.all(np.isfinite(data.to_numpy())) or (data["hidden_units"] < 0).any():
        raise ValueError("table's hidden_units must be 0 or more and all four columns finite numbers")
    if not (data["hidden_units"] > 0).any():
        raise ValueError("table must hold at least one run with a hidden layer, got none")
    baseline = data[data["hidden_units"] == 0].mean() if (data["hidden_units"] == 0).any() else None
    data = data[data["hidden_units"] > 0]
    means = data.groupby("hidden_units", sort=True).mean()
    repeated = data["hidden_units"].duplicated(keep=False).any()
    fig = _figure_or_new(fig, (STACKED_WIDTH, 6.6))
    acc_ax, time_ax = fig.subplots(2, 1)
    widths = means.index.to_numpy()
    for ax, column, ylabel, title in (
        (acc_ax, "test_accuracy", "test accuracy", "test accuracy against width"),
        (time_ax, "seconds_per_epoch", "seconds per epoch", "time per epoch against width"),
    ):
        ax.plot(widths, means[column].to_numpy(), marker="o", color=CLASS_COLORS[0], label="hidden layer")
        if repeated:
            ax.scatter(data["hidden_units"], data[column], s=12, color=CLASS_COLORS[0], alpha=0.4, linewidths=0)
        if baseline is not None:
            ax.axhline(baseline[column], color=CLASS_COLORS[3], linestyle="--", label="no hidden layer")
            ax.legend(loc="best", fontsize="small")
        ax.set_xscale("log", base=2)
        ax.set_xticks(widths, labels=[f"{w:g}" for w in widths])
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("hidden units (log scale)")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
    if data["test_accuracy"].max() <= 1:
        acc_ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    top = acc_ax.secondary_xaxis("top")
    top.set_xticks(widths, labels=[_compact(p) for p in means["parameters"]])
    top.xaxis.set_minor_locator(NullLocator())
    top.tick_params(labelsize="small")
    top.set_xlabel("parameters", fontsize="small")
    return fig
