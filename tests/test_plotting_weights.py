"""Tests for mnist_lesson.plotting.weights: what each figure draws, the plotting convention, text size."""

from __future__ import annotations

import inspect
import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.axes  # noqa: E402
import matplotlib.figure  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from test_figures import smallest_text_px  # noqa: E402

from mnist_lesson import plotting  # noqa: E402
from mnist_lesson.plotting import (  # noqa: E402
    CLASS_COLORS,
    plot_logit_lines,
    plot_logits,
    plot_pre_activations,
    plot_unit_weights,
)
from mnist_lesson.plotting import weights as weights_module  # noqa: E402
from mnist_lesson.plotting._common import COLUMN_PX, COLUMN_WIDTH, MIN_TEXT_PX  # noqa: E402

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _rng():
    return np.random.default_rng(0)


def _lines():
    """Ten lines of a one-unit network; digit 9 is below the others everywhere."""
    slopes = np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, -3.0])
    intercepts = np.array([3.0, 2.0, 1.5, 1.0, 0.5, 0.0, -1.0, -2.0, -3.0, -9.0])
    return slopes, intercepts


def _h():
    return np.concatenate([np.zeros(50), _rng().gamma(2.0, 1.0, size=950)])


# --------------------------------------------------------------------------- what they draw


def test_unit_weights_share_one_symmetric_scale_and_group_rows_by_digit():
    tiles = _rng().normal(size=(7, 784))
    tiles[3, 0] = -4.0  # the largest absolute weight sets the scale
    ax = plot_unit_weights(tiles, digits=[0, 0, 0, 2, 2, 5, 5], ncols=2)
    (image,) = ax.images
    assert image.get_clim() == (-4.0, 4.0)
    mosaic = image.get_array()
    # digit 0 takes two rows of two tiles, digit 2 one row, digit 5 one row: 4 rows, 2 columns
    assert mosaic.shape == (4 * 30 - 2, 2 * 30 - 2)
    np.testing.assert_array_equal(mosaic[:28, 30:58], tiles[1].reshape(28, 28))
    np.testing.assert_array_equal(mosaic[60:88, :28], tiles[3].reshape(28, 28))  # 2 starts a new row
    assert np.ma.is_masked(mosaic[31, 31]) or np.isnan(mosaic[31, 31])  # the empty place after tile 2
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "2", "5"]
    assert ax.figure.axes[1].get_ylabel() == "weight"  # the colour bar


def test_unit_weights_cross_out_dead_units_and_take_a_limit():
    tiles = _rng().normal(size=(3, 28, 28))
    ax = plot_unit_weights(tiles, dead=np.array([False, True, False]), limit=0.5)
    assert len(ax.lines) == 2  # one cross: two strokes
    xs = np.concatenate([line.get_xdata() for line in ax.lines])
    assert xs.min() == pytest.approx(29.5) and xs.max() == pytest.approx(57.5)  # over the second tile
    assert ax.images[0].get_clim() == (-0.5, 0.5)


def test_unit_weights_reject_bad_input():
    with pytest.raises(ValueError, match=r"images must have shape \(n_images, 28, 28\)"):
        plot_unit_weights(np.zeros((3, 10)))
    with pytest.raises(ValueError, match=r"digits must hold one whole number per image \(2\)"):
        plot_unit_weights(np.zeros((2, 784)), digits=[1])
    with pytest.raises(ValueError, match="dead must hold one True or False per image"):
        plot_unit_weights(np.zeros((2, 784)), dead=[0, 1])
    with pytest.raises(ValueError, match="limit must be a positive number"):
        plot_unit_weights(np.zeros((2, 784)), limit=0)


def test_pre_activations_are_sorted_and_split_at_the_relu_cut():
    ax = plot_pre_activations([0.3, -1.0, 2.0, -0.2, 0.0])
    heights = [p.get_height() for p in ax.patches]
    assert heights == [2.0, 0.3, 0.0, -0.2, -1.0]
    colours = [to_hex(p.get_facecolor()) for p in ax.patches]
    assert colours[:2] == [CLASS_COLORS[0]] * 2 and CLASS_COLORS[0] not in colours[2:]  # zero does not fire
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("fires: 2 units") and labels[1].startswith("silent: 3 units")


def test_logits_mark_the_highest_score_with_its_probability():
    logits = np.array([0.0, 1.0, 5.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0])
    proba = np.exp(logits) / np.exp(logits).sum()
    ax = plot_logits(logits, probabilities=proba)
    assert [p.get_height() for p in ax.patches] == logits.tolist()
    assert [to_hex(p.get_facecolor()) for p in ax.patches] == list(CLASS_COLORS)
    assert ax.texts[0].get_text() == f"2: {proba[2]:.1%}"
    with pytest.raises(ValueError, match="logits must hold 10 finite numbers"):
        plot_logits(np.zeros(3))


def test_logit_lines_draw_ten_lines_the_envelope_and_the_winners():
    slopes, intercepts = _lines()
    h = _h()
    fig = plot_logit_lines(h, slopes, intercepts)
    top, bottom = fig.axes
    assert top.get_shared_x_axes().joined(top, bottom)
    coloured = [to_hex(line.get_color()) for line in top.lines[:10]]
    assert coloured == list(CLASS_COLORS)
    envelope = top.lines[10]
    np.testing.assert_allclose(
        envelope.get_ydata(), np.max(np.outer(envelope.get_xdata(), slopes) + intercepts, axis=1)
    )
    from mnist_lesson.unit_weights import winning_intervals

    winners = winning_intervals(slopes, intercepts, h.min(), h.max())["digit"].tolist()
    bold = [t.get_text() for t in top.texts if t.get_fontweight() == "bold"]
    assert bold == [str(d) for d in winners] and "9" not in bold
    assert sorted(t.get_text() for t in top.texts if t.get_fontweight() != "bold") == [str(k) for k in range(10)]
    assert bottom.get_yscale() == "log" and sum(p.get_height() for p in bottom.patches) == len(h)
    # the score axis follows the envelope; line 9, far below it, is labelled where it leaves the panel
    floor = top.get_ylim()[0]
    assert floor > intercepts[9] + slopes[9] * h.max()
    (nine,) = [t for t in top.texts if t.get_text() == "9"]
    assert nine.xy[1] == pytest.approx(floor) and nine.xy[0] < h.max()


def test_logit_lines_reject_bad_input():
    slopes, intercepts = _lines()
    with pytest.raises(ValueError, match="at least two distinct values"):
        plot_logit_lines(np.zeros(5), slopes, intercepts)
    with pytest.raises(ValueError, match="slopes and intercepts must hold 10 numbers"):
        plot_logit_lines(_h(), slopes[:3], intercepts[:3])


# --------------------------------------------------------------------------- the plotting convention

# name: (a call that draws on ``ax`` or ``fig``, the size in inches of the figure it makes itself)
SINGLE_PANEL = {
    "plot_unit_weights": (lambda ax: plot_unit_weights(np.ones((3, 784)), ncols=3, ax=ax), (2.55, 1.05)),
    "plot_pre_activations": (lambda ax: plot_pre_activations([1.0, -1.0], ax=ax), (5.2, 3.0)),
    "plot_logits": (lambda ax: plot_logits(np.arange(10.0), ax=ax), (5.2, 2.8)),
}
SEVERAL_PANELS = {
    "plot_logit_lines": (lambda fig: plot_logit_lines(_h(), *_lines(), fig=fig), (5.2, 6.0)),
}


def test_every_function_of_the_module_is_exported_and_checked_here():
    public = {name for name, obj in vars(weights_module).items()
              if not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == weights_module.__name__}
    assert public == set(weights_module.__all__) == set(SINGLE_PANEL) | set(SEVERAL_PANELS)
    assert public <= set(plotting.__all__)


@pytest.mark.parametrize("name", sorted(SINGLE_PANEL))
def test_single_panel_functions_follow_the_convention(name):
    function = getattr(plotting, name)
    parameter = inspect.signature(function).parameters["ax"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY and parameter.default is None
    assert "fig" not in inspect.signature(function).parameters
    assert "ax : matplotlib.axes.Axes, optional" in function.__doc__
    draw, size = SINGLE_PANEL[name]
    fig, (ax, other) = plt.subplots(2, 1)
    assert draw(ax) is ax
    assert not other.has_data() and plt.get_fignums() == [fig.number]
    fig.savefig(io.BytesIO(), format="png")
    plt.close("all")
    own = draw(None)
    assert isinstance(own, matplotlib.axes.Axes)
    np.testing.assert_allclose(own.figure.get_size_inches(), size)
    assert own.figure.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"
    with pytest.raises(ValueError, match=r"ax must be a matplotlib Axes .* got Figure"):
        draw(plt.figure())


@pytest.mark.parametrize("name", sorted(SEVERAL_PANELS))
def test_several_panel_functions_follow_the_convention(name):
    function = getattr(plotting, name)
    parameter = inspect.signature(function).parameters["fig"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY and parameter.default is None
    assert "fig : matplotlib.figure.Figure or SubFigure, optional" in function.__doc__
    draw, size = SEVERAL_PANELS[name]
    fig = plt.figure(figsize=(12, 4), layout="constrained")
    left, right = fig.subfigures(1, 2)
    assert draw(right) is right and len(right.axes) >= 2 and not left.axes
    fig.savefig(io.BytesIO(), format="png")
    plt.close("all")
    own = draw(None)
    assert isinstance(own, matplotlib.figure.Figure)
    np.testing.assert_allclose(own.get_size_inches(), size)
    with pytest.raises(ValueError, match=r"fig must be a matplotlib Figure or SubFigure .* got Axes"):
        draw(plt.subplots()[1])


# --------------------------------------------------------------------------- text size, as the chapters call them

FIGURES = {
    "unit weights, 128 grouped": lambda: plot_unit_weights(
        _rng().normal(size=(128, 784)), digits=np.sort(_rng().integers(0, 10, 128)),
        dead=np.arange(128) % 40 == 0).figure,
    "one unit's weights": lambda: plot_unit_weights(_rng().normal(size=(1, 784)), ncols=1).figure,
    "pre-activations": lambda: plot_pre_activations(_rng().normal(size=128)).figure,
    "logits": lambda: plot_logits(_rng().normal(size=10), probabilities=np.full(10, 0.1)).figure,
    "logit lines": lambda: plot_logit_lines(_h(), *_lines()),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_text_is_at_least_9_px_and_the_figure_fits_the_column(name):
    fig = FIGURES[name]()
    px, text = smallest_text_px(fig)
    assert px >= MIN_TEXT_PX - 1e-6, f"{name}: the text {text!r} is {px:.1f} px in a {COLUMN_PX:.0f}-px column"
    assert fig.get_size_inches()[0] <= COLUMN_WIDTH + 1e-9
