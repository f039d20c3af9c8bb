"""Tests for mnist_lesson.plotting: what each function draws, on small synthetic data."""

from __future__ import annotations

import importlib
import inspect
import io
import subprocess
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")

import matplotlib.axes  # noqa: E402
import matplotlib.figure  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import test_plotting_weights  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from mnist_lesson import plotting  # noqa: E402
from mnist_lesson.plotting import (  # noqa: E402
    CLASS_COLORS,
    CORRECT_COLOR,
    WRONG_COLOR,
    class_color,
    plot_architecture,
    plot_class_boxplots,
    plot_class_distribution,
    plot_confusion_matrix,
    plot_digits,
    plot_error_matrix,
    plot_explained_variance,
    plot_history,
    plot_image_as_numbers,
    plot_image_as_vector,
    plot_importance,
    plot_mean_activation,
    plot_reconstructions,
    plot_relu,
    plot_scatter_by_class,
    plot_softmax,
    plot_width_experiment,
    style_probabilities,
)

# Any warning raised while these tests run is a failure.
pytestmark = pytest.mark.filterwarnings("error")

DIGITS = [str(k) for k in range(10)]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture
def images(rng):
    return rng.integers(0, 256, size=(12, 28, 28), dtype=np.uint8)


@pytest.fixture
def labels(rng):
    return np.arange(12) % 10


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def _hex(color):
    return to_hex(color, keep_alpha=False)


# ---------------------------------------------------------------------------
# Palette and import
# ---------------------------------------------------------------------------


def test_class_colors_are_ten_distinct_colours():
    assert len(set(CLASS_COLORS)) == 10
    assert [class_color(k) for k in range(10)] == list(CLASS_COLORS)
    assert class_color(np.int64(3)) == "#cc6677"


@pytest.mark.parametrize("bad", [10, -1, 1.5, True, "3"])
def test_class_color_rejects_non_digits(bad):
    with pytest.raises(ValueError, match="k must be"):
        class_color(bad)


def test_import_changes_no_global_state():
    script = textwrap.dedent(
        """
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        before = {k: repr(v) for k, v in matplotlib.rcParams.items()}
        import mnist_lesson.plotting
        after = {k: repr(v) for k, v in matplotlib.rcParams.items()}
        changed = sorted(k for k in before if before[k] != after.get(k))
        print(changed, plt.get_fignums())
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[] []"


# ---------------------------------------------------------------------------
# plot_digits
# ---------------------------------------------------------------------------


def test_plot_digits_grid_and_titles(images, labels):
    fig = plot_digits(images, labels, ncols=5, title="first images")
    assert isinstance(fig, matplotlib.figure.Figure)
    assert len(fig.axes) == 15  # 3 rows of 5
    drawn = [ax for ax in fig.axes if ax.images]
    assert len(drawn) == 12
    assert [ax.get_title() for ax in drawn] == [str(k) for k in labels]
    assert not any(ax.axison for ax in fig.axes)
    assert drawn[0].images[0].get_array().shape == (28, 28)
    assert fig.get_suptitle() == "first images"


def test_plot_digits_accepts_flat_images(images):
    fig = plot_digits(images.reshape(12, 784))
    assert len(fig.axes) == 20  # 2 rows of 10
    assert sum(bool(ax.images) for ax in fig.axes) == 12
    assert all(ax.get_title() == "" for ax in fig.axes)


def test_plot_digits_marks_wrong_predictions_by_colour_and_text(images):
    true = np.array([7, 2, 3])
    predicted = np.array([7, 7, 3])
    fig = plot_digits(images[:3], true, predicted=predicted)
    titles = [ax.title for ax in fig.axes]
    assert [t.get_text() for t in titles] == ["7", "7 (true 2)", "3"]
    assert [_hex(t.get_color()) for t in titles] == [CORRECT_COLOR, WRONG_COLOR, CORRECT_COLOR]


def test_plot_digits_draws_into_given_figure(images):
    fig = plt.figure()
    assert plot_digits(images[:4], fig=fig) is fig
    assert len(fig.axes) == 4


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"images": np.zeros((3, 27, 27))}, r"images must have shape .* got shape \(3, 27, 27\)"),
        ({"images": np.zeros((3, 783))}, r"got shape \(3, 783\)"),
        ({"images": np.zeros((0, 784))}, "at least one image"),
        ({"labels": [1, 2]}, r"labels must have one entry per image \(3\), got 2"),
        ({"labels": [1, 2, 10]}, "labels must lie between 0 and 9"),
        ({"predicted": [1, 2]}, "predicted must have one entry per image"),
        ({"ncols": 0}, "ncols must be a positive integer, got 0"),
        ({"size": 0}, "size must be a positive number"),
    ],
)
def test_plot_digits_rejects_bad_input(kwargs, message):
    args = {"images": np.zeros((3, 28, 28)), "labels": None}
    args.update(kwargs)
    images = args.pop("images")
    with pytest.raises(ValueError, match=message):
        plot_digits(images, **args)


# ---------------------------------------------------------------------------
# plot_class_distribution
# ---------------------------------------------------------------------------


def test_plot_class_distribution_bars_counts_and_colours():
    labels = np.repeat(np.arange(10), np.arange(1, 11) * 150)
    ax = plot_class_distribution(labels, title="training set")
    assert len(ax.patches) == 10
    assert [int(p.get_height()) for p in ax.patches] == list(np.arange(1, 11) * 150)
    assert [_hex(p.get_facecolor()) for p in ax.patches] == list(CLASS_COLORS)  # not desaturated
    assert _texts(ax) == [f"{n:,}" for n in np.arange(1, 11) * 150]  # one count on each bar
    assert ax.get_xlabel() == "digit" and ax.get_ylabel() == "number of images"
    assert [t.get_text() for t in ax.get_xticklabels()] == DIGITS
    assert ax.get_legend() is None
    assert ax.get_title() == "training set"


def test_plot_class_distribution_single_colour_and_given_axes():
    fig, ax = plt.subplots()
    out = plot_class_distribution([0, 0, 3], ax=ax, color="#333333")
    assert out is ax
    assert {_hex(p.get_facecolor()) for p in ax.patches} == {"#333333"}
    # A class without images has no bar; the others stand at their digit's tick.
    bars = [(round(p.get_x() + p.get_width() / 2), int(p.get_height())) for p in ax.patches]
    assert bars == [(0, 2), (3, 1)]
    assert [t.get_text() for t in ax.get_xticklabels()] == DIGITS
    assert _texts(ax) == ["2", "1"]


def test_plot_class_distribution_missing_classes_keep_their_colours():
    ax = plot_class_distribution([1, 1, 4, 9])
    bars = {round(p.get_x() + p.get_width() / 2): _hex(p.get_facecolor()) for p in ax.patches if p.get_height()}
    assert bars == {1: CLASS_COLORS[1], 4: CLASS_COLORS[4], 9: CLASS_COLORS[9]}


def test_plot_class_distribution_rejects_bad_labels():
    with pytest.raises(ValueError, match=r"labels must lie between 0 and 9, got values from 0 to 12"):
        plot_class_distribution([0, 12])
    with pytest.raises(ValueError, match=r"labels must be one-dimensional .* got shape \(2, 2\)"):
        plot_class_distribution([[0, 1], [2, 3]])


# ---------------------------------------------------------------------------
# plot_image_as_numbers / plot_image_as_vector
# ---------------------------------------------------------------------------


def test_plot_image_as_numbers_writes_non_zero_values():
    image = np.zeros((28, 28), dtype=np.uint8)
    image[5, 6] = 255
    image[10, 11] = 3
    ax = plot_image_as_numbers(image)
    assert sorted(_texts(ax)) == ["255", "3"]
    by_text = {t.get_text(): t for t in ax.texts}
    assert by_text["255"].get_position() == (6, 5)
    assert by_text["255"].get_color() == "white"  # on a dark cell
    assert by_text["3"].get_color() == "black"  # on a light cell
    assert by_text["3"].get_fontsize() == 6.5
    assert ax.get_xlabel() == "column" and ax.get_ylabel() == "row"


def test_plot_image_as_numbers_flat_and_rescaled_on_given_axes():
    image = np.zeros(784)
    image[0] = 0.5
    fig, ax = plt.subplots()
    assert plot_image_as_numbers(image, ax=ax, fontsize=6) is ax
    assert _texts(ax) == ["0.5"]


def test_plot_image_as_numbers_rejects_wrong_shape():
    with pytest.raises(ValueError, match=r"image must be one 28x28 image.*got shape \(27, 28\)"):
        plot_image_as_numbers(np.zeros((27, 28)))
    with pytest.raises(ValueError, match="fontsize must be"):
        plot_image_as_numbers(np.zeros((28, 28)), fontsize=0)


def test_plot_image_as_numbers_crop_zooms_on_the_ink():
    image = np.zeros((28, 28), dtype=np.uint8)
    image[5, 6] = 255
    image[10, 11] = 3
    ax = plot_image_as_numbers(image, crop=True, fontsize=7)
    assert ax.get_xlim() == (4.5, 12.5)
    assert ax.get_ylim() == (11.5, 3.5)  # row 4 at the top, as in the whole image
    assert sorted(_texts(ax)) == ["255", "3"]
    assert ax.get_title().endswith("(rows 4 to 11, columns 5 to 12)")


def test_plot_image_as_numbers_crop_stops_at_the_border_and_keeps_blank_images_whole():
    image = np.zeros((28, 28))
    image[0, 27] = 1.0
    ax = plot_image_as_numbers(image, crop=True)
    assert ax.get_xlim() == (25.5, 27.5) and ax.get_ylim() == (1.5, -0.5)
    blank = plot_image_as_numbers(np.zeros((28, 28)), crop=True)
    assert blank.get_xlim() == (-0.5, 27.5)
    assert blank.get_title() == "one image as a grid of 28 x 28 numbers"
    with pytest.raises(ValueError, match="crop must be True or False, got 'yes'"):
        plot_image_as_numbers(image, crop="yes")


def test_plot_image_as_vector(rng):
    image = rng.integers(0, 256, (28, 28))
    ax = plot_image_as_vector(image)
    assert ax.get_xlabel() == "position in the input vector"
    assert ax.get_ylabel() == "pixel value"
    assert ax.get_xlim() == (-0.5, 783.5)
    values = [c for c in ax.collections if isinstance(c, LineCollection)][-1]
    segments = values.get_segments()
    assert len(segments) == 784
    assert segments[30][1][1] == image.reshape(-1)[30]


def test_plot_image_as_vector_rejects_wrong_length():
    with pytest.raises(ValueError, match=r"vector must be one 28x28 image.*got shape \(783,\)"):
        plot_image_as_vector(np.zeros(783))


# ---------------------------------------------------------------------------
# plot_architecture, plot_relu, plot_softmax
# ---------------------------------------------------------------------------


def _neuron_counts(ax):
    return [len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection)]


def test_plot_architecture_default():
    ax = plot_architecture()
    assert _neuron_counts(ax) == [12, 12, 10]
    texts = _texts(ax)
    assert texts.count("⋮") == 2
    assert "input\n784 pixels" in texts
    assert "hidden\n128 ReLU" in texts
    assert "output\n10 softmax" in texts
    assert any(t.startswith("100,480 parameters") for t in texts)
    assert any(t.startswith("1,290 parameters") for t in texts)
    assert "101,770 parameters" in ax.get_title()
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(lines.get_segments()) == 12 * 12 + 12 * 10


def test_plot_architecture_one_unit_and_custom_labels():
    fig, ax = plt.subplots()
    out = plot_architecture((784, 1, 10), ax=ax, max_drawn=8, labels=["pixels", "bottleneck", "digits 10"])
    assert out is ax
    assert _neuron_counts(ax) == [8, 1, 8]
    texts = _texts(ax)
    assert texts.count("⋮") == 2
    assert "pixels\n784" in texts and "bottleneck\n1" in texts
    assert "digits 10" in texts  # already names its size
    fig.savefig(io.BytesIO(), format="png")  # the glyphs exist; no warning


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"layer_sizes": (784,)}, "at least two positive integers"),
        ({"layer_sizes": (784, 0, 10)}, "at least two positive integers"),
        ({"layer_sizes": (784, 2.5)}, "at least two positive integers"),
        ({"max_drawn": 1}, "max_drawn must be at least 2, got 1"),
        ({"labels": ["a", "b"]}, "labels must name each of the 3 layers, got 2"),
    ],
)
def test_plot_architecture_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_architecture(**kwargs)


def test_plot_relu():
    ax = plot_relu()
    line = ax.lines[-1]
    x, y = line.get_xdata(), line.get_ydata()
    assert x.min() == -3 and x.max() == 3
    np.testing.assert_array_equal(y, np.maximum(x, 0))
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() == "ReLU"
    fig, given = plt.subplots()
    assert plot_relu(ax=given, x=np.array([1.0, -1.0])) is given
    with pytest.raises(ValueError, match="x must hold at least two points"):
        plot_relu(x=[1.0])


def test_plot_softmax():
    logits = np.array([2.0, 1.0, 0.1])
    ax = plot_softmax(logits)
    heights = np.array([p.get_height() for p in ax.patches])
    expected = np.exp(logits) / np.exp(logits).sum()
    np.testing.assert_allclose(heights, expected)
    assert [_hex(p.get_facecolor()) for p in ax.patches] == list(CLASS_COLORS[:3])
    assert "2, 1, 0.1" in ax.get_title()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2"]
    assert ax.get_xlabel() == "class" and ax.get_ylabel() == "softmax probability"
    with pytest.raises(ValueError, match="logits must be a non-empty vector of finite numbers"):
        plot_softmax([1.0, np.nan])


# ---------------------------------------------------------------------------
# plot_history
# ---------------------------------------------------------------------------


@pytest.fixture
def history():
    return {
        "loss": [0.5, 0.3, 0.2, 0.15],
        "accuracy": [0.85, 0.9, 0.93, 0.95],
        "val_loss": [0.4, 0.25, 0.3, 0.35],
        "val_accuracy": [0.88, 0.91, 0.94, 0.92],
    }


def test_plot_history_panels_lines_and_best_epoch(history):
    fig = plot_history(history)
    assert isinstance(fig, matplotlib.figure.Figure)
    axes = fig.axes
    loss_ax, acc_ax = axes
    assert [ax.get_ylabel() for ax in axes] == ["loss", "accuracy"]
    assert all(ax.get_xlabel() == "epoch" for ax in axes)
    train, val, best = loss_ax.lines
    assert list(train.get_xdata()) == [1, 2, 3, 4]
    assert train.get_linestyle() == "-" and val.get_linestyle() == "--"
    assert train.get_color() == val.get_color()
    assert (best.get_xdata()[0], best.get_ydata()[0]) == (2, 0.25)  # lowest validation loss
    acc_best = acc_ax.lines[2]
    assert (acc_best.get_xdata()[0], acc_best.get_ydata()[0]) == (3, 0.94)  # highest accuracy
    assert "epoch 3" in acc_best.get_label()


def test_plot_history_two_models_on_the_same_figure(history):
    contrast = pd.DataFrame({key: np.asarray(values) / 3 for key, values in history.items()})
    fig = plot_history(history, label="128 units")
    assert plot_history(contrast, fig=fig, label="1 unit") is fig
    axes = fig.axes
    assert len(axes) == 2  # the second call drew on the first call's panels
    assert len(axes[0].lines) == 6
    legend = [t.get_text() for t in axes[1].get_legend().get_texts()]
    assert legend[:2] == ["128 units: training", "128 units: validation"]
    assert "1 unit: training" in legend and "1 unit: validation" in legend
    assert len(axes[1].lines) == 6
    assert axes[1].lines[0].get_color() != axes[1].lines[3].get_color()


def test_plot_history_without_validation_and_one_metric():
    fig = plt.figure()
    assert plot_history({"loss": [1.0, 0.5]}, metrics="loss", fig=fig) is fig
    (ax,) = fig.axes
    assert len(ax.lines) == 1


@pytest.mark.parametrize(
    ("history", "kwargs", "message"),
    [
        ({"loss": [1.0]}, {}, r"history has no \['accuracy'\]; it has \['loss'\]"),
        ({"loss": [1.0, 0.5], "accuracy": [0.5]}, {}, "same, non-zero number of epochs"),
        ({"loss": [1.0], "accuracy": [0.5]}, {"metrics": ()}, "at least one metric"),
        ([1.0, 0.5], {}, "history must be a dict of lists"),
    ],
)
def test_plot_history_rejects_bad_input(history, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_history(history, **kwargs)


def test_plot_history_rejects_a_figure_with_other_panels(history):
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"fig must be empty or hold one panel per metric \(2, .* got a figure with 1 axes"):
        plot_history(history, fig=fig)
    assert not ax.lines


# ---------------------------------------------------------------------------
# Confusion and error matrices
def test_seaborn_figures_change_no_global_state():
    """seaborn draws the heat maps and count bars, but sets no theme: rcParams stay as they were."""
    script = textwrap.dedent(
        """
        import matplotlib
        matplotlib.use("Agg")
        import numpy as np
        before = {k: repr(v) for k, v in matplotlib.rcParams.items()}
        from mnist_lesson.plotting import (plot_class_distribution, plot_confusion_matrix,
                                           plot_error_matrix, plot_mean_activation)
        plot_confusion_matrix(np.eye(3))
        plot_error_matrix(np.full((3, 3), 0.1))
        plot_mean_activation(np.ones((10, 4)))
        plot_class_distribution([0, 1, 1])
        after = {k: repr(v) for k, v in matplotlib.rcParams.items()}
        print(sorted(k for k in before if before[k] != after.get(k)))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert not result.stderr


# ---------------------------------------------------------------------------


@pytest.fixture
def cm(rng):
    cm = rng.integers(0, 20, size=(10, 10))
    np.fill_diagonal(cm, 900)
    cm[1, 1] = 1125
    cm[3, 5] = 0
    return cm


def test_plot_confusion_matrix_counts(cm):
    ax = plot_confusion_matrix(cm)
    # seaborn's heat map: cell (true i, predicted j) is centred at x = j + 0.5, y = i + 0.5.
    texts = {(t.get_position()): t for t in ax.texts}
    assert len(texts) == 100
    assert texts[(1.5, 1.5)].get_text() == "1125"  # x = predicted, y = true
    assert _hex(texts[(1.5, 1.5)].get_color()) == "#ffffff"  # white on a dark cell
    assert texts[(5.5, 3.5)].get_text() == "0"
    assert _hex(texts[(5.5, 3.5)].get_color()) == _hex(".15")  # near-black on a light cell
    assert all(t.get_fontsize() == 9 for t in ax.texts)
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    assert [t.get_text() for t in ax.get_xticklabels()] == DIGITS
    assert [t.get_text() for t in ax.get_yticklabels()] == DIGITS
    ax.figure.canvas.draw()
    assert {t.get_rotation() for t in ax.get_xticklabels() + ax.get_yticklabels()} == {0}
    assert ax.yaxis_inverted()  # true class 0 at the top, as in a printed matrix
    assert len(ax.figure.axes) == 2  # with its colour bar
    assert ax.figure.axes[1].get_ylabel() == "number of images"
    (mesh,) = ax.collections
    np.testing.assert_array_equal(mesh.get_array(), cm)
    assert mesh.get_cmap().name == "Blues" and mesh.get_clim() == (0, 1125)


def test_plot_confusion_matrix_normalized_without_colorbar():
    cm = np.array([[9, 1], [0, 4]])
    fig, ax = plt.subplots()
    out = plot_confusion_matrix(cm, ax=ax, normalize=True, colorbar=False, class_names=["no", "yes"])
    assert out is ax
    assert _texts(ax) == ["90.0", "10.0", "0.0", "100.0"]
    assert len(fig.axes) == 1
    assert [t.get_text() for t in ax.get_yticklabels()] == ["no", "yes"]
    assert "%" in ax.get_title()


@pytest.mark.parametrize(
    ("cm", "kwargs", "message"),
    [
        (np.zeros((3, 4)), {}, r"cm must be a square matrix .* got shape \(3, 4\)"),
        ([[1, -1], [0, 1]], {}, "non-negative"),
        (np.eye(3), {"class_names": ["a", "b"]}, "class_names must name each of the 3 classes, got 2"),
    ],
)
def test_plot_confusion_matrix_rejects_bad_input(cm, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_confusion_matrix(cm, **kwargs)


def test_plot_error_matrix_blank_diagonal():
    errors = np.full((3, 3), 0.05)
    errors[0, 1] = 0.25
    errors[2, 0] = 0.0
    np.fill_diagonal(errors, np.nan)
    ax = plot_error_matrix(errors)
    shown = ax.collections[0].get_array()
    assert np.all(np.ma.getmaskarray(shown)[np.diag_indices(3)])
    assert not np.ma.getmaskarray(shown)[0, 1]
    np.testing.assert_allclose(shown[0, 1], 25.0)  # in per cent
    positions = {t.get_position(): t.get_text() for t in ax.texts}
    assert len(positions) == 6
    assert all((k + 0.5, k + 0.5) not in positions for k in range(3))
    assert positions[(1.5, 0.5)] == "25.0" and positions[(0.5, 2.5)] == "0" and positions[(2.5, 1.5)] == "5.0"
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    assert len(ax.figure.axes) == 2  # colour bar
    assert ax.figure.axes[1].get_ylabel() == "% of the true class"
    bad = ax.collections[0].get_cmap().get_bad()
    assert _hex(bad) == "#eeeeee"
    assert ax.collections[0].get_clim() == (0, 25.0)  # the scale spans the mistakes only


def test_plot_error_matrix_blanks_diagonal_even_if_given_and_uses_given_axes():
    fig, ax = plt.subplots()
    assert plot_error_matrix(np.array([[0.9, 0.1], [0.2, 0.8]]), ax=ax) is ax
    assert _texts(ax) == ["10.0", "20.0"]


def test_plot_error_matrix_rejects_counts():
    with pytest.raises(ValueError, match="errors must hold row-normalised error rates between 0 and 1"):
        plot_error_matrix(np.array([[np.nan, 12.0], [3.0, np.nan]]))
    with pytest.raises(ValueError, match=r"errors must be a square matrix .* got shape \(10,\)"):
        plot_error_matrix(np.zeros(10))


# ---------------------------------------------------------------------------
# style_probabilities
# ---------------------------------------------------------------------------


def test_style_probabilities_html(rng):
    proba = rng.dirichlet(np.ones(10), size=5)
    proba[0] = 0.0
    proba[0, 7] = 0.875
    proba[0, 2] = 0.125
    y_true = np.array([2, 0, 0, 0, 0])
    styler = style_probabilities(proba, y_true=y_true)
    assert isinstance(styler, pd.io.formats.style.Styler)
    table = styler.data
    assert list(table.columns) == list(range(10)) + ["predicted", "true"]
    assert list(table.index) == [f"image {i}" for i in range(5)]
    assert table.loc["image 0", "predicted"] == 7
    html = styler.to_html()
    assert "87.5 %" in html and "12.5 %" in html
    assert "<caption>Predicted probability of each digit, in per cent, for 5 images." in html
    assert "background-color" in html
    assert WRONG_COLOR in html  # image 0's prediction is wrong


def test_style_probabilities_precision_without_truth():
    styler = style_probabilities(np.array([[0.25, 0.75]]), precision=2)
    html = styler.to_html()
    assert "75.00 %" in html and "<caption>" in html
    assert "true" not in styler.data.columns


@pytest.mark.parametrize(
    ("proba", "kwargs", "message"),
    [
        (np.ones(10) / 10, {}, r"proba must have shape \(n_images, n_classes\), got shape \(10,\)"),
        (np.array([[50.0, 50.0]]), {}, "proba must hold probabilities between 0 and 1"),
        (np.array([[0.5, 0.5]]), {"y_true": [0, 1]}, r"y_true must have one entry per image \(1\), got 2"),
        (np.array([[0.5, 0.5]]), {"precision": -1}, "precision must be at least 0, got -1"),
    ],
)
def test_style_probabilities_rejects_bad_input(proba, kwargs, message):
    with pytest.raises(ValueError, match=message):
        style_probabilities(proba, **kwargs)


# ---------------------------------------------------------------------------
# Box plots, importance, scatter
# ---------------------------------------------------------------------------


def test_plot_class_boxplots(rng):
    labels = rng.integers(0, 10, 500)
    values = rng.normal(size=500) + labels
    ax = plot_class_boxplots(values, labels, title="unit 3", ylabel="activation")
    boxes = [p for p in ax.patches]
    assert len(boxes) == 10
    assert [_hex(b.get_facecolor()) for b in boxes] == list(CLASS_COLORS)
    assert ax.get_xlabel() == "digit" and ax.get_ylabel() == "activation"
    assert ax.get_title() == "unit 3"
    assert [t.get_text() for t in ax.get_xticklabels()] == DIGITS


def test_plot_class_boxplots_missing_class_and_given_axes(rng):
    labels = np.repeat([0, 1, 2, 4], 20)
    fig, ax = plt.subplots()
    assert plot_class_boxplots(rng.random(80), labels, ax=ax) is ax
    assert [_hex(b.get_facecolor()) for b in ax.patches] == [CLASS_COLORS[k] for k in (0, 1, 2, 4)]
    assert ax.get_ylabel() == "value"


def test_plot_class_boxplots_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match=r"labels must have one entry per image \(3\), got 2"):
        plot_class_boxplots([1.0, 2.0, 3.0], [0, 1])


def test_plot_importance_marks_pixels(rng):
    ax = plot_importance(rng.random(784), mark=[350, 783], title="random forest")
    assert ax.images[0].get_array().shape == (28, 28)
    outlines = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert [p.get_xy() for p in outlines] == [(13.5, 11.5), (26.5, 26.5)]  # 350 = row 12, col 14
    assert _texts(ax) == ["pixel 350", "pixel 783"]
    assert ax.get_title() == "random forest"
    assert ax.get_xlabel() == "column" and ax.get_ylabel() == "row"
    assert len(ax.figure.axes) == 2  # colour bar


def test_plot_importance_rejects_bad_input():
    with pytest.raises(ValueError, match=r"importances must be one 28x28 image.*got shape \(100,\)"):
        plot_importance(np.zeros(100))
    with pytest.raises(ValueError, match="mark must list flat pixel indices from 0 to 783"):
        plot_importance(np.zeros(784), mark=[784])


def test_plot_scatter_by_class(rng):
    n = 2000
    labels = rng.integers(0, 10, n)
    points = rng.normal(size=(n, 2))
    ax = plot_scatter_by_class(points, labels, title="PCA", xlabel="PC 1", ylabel="PC 2", s=0.5, alpha=0.1)
    assert len(ax.collections) == 10
    assert sum(len(c.get_offsets()) for c in ax.collections) == n
    for k, collection in enumerate(ax.collections):
        assert collection.get_rasterized()
        assert _hex(collection.get_facecolor()[0]) == CLASS_COLORS[k]
        assert np.all(collection.get_linewidths() == 0)
        assert len(collection.get_offsets()) == np.sum(labels == k)
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == DIGITS
    for handle, color in zip(legend.legend_handles, CLASS_COLORS):
        assert handle.get_markersize() >= 6
        assert handle.get_alpha() in (None, 1.0)
        assert _hex(handle.get_markerfacecolor()) == color
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("PC 1", "PC 2", "PCA")


def test_plot_scatter_by_class_is_rasterised_in_svg(rng):
    fig, ax = plt.subplots()
    out = plot_scatter_by_class(rng.normal(size=(300, 2)), np.arange(300) % 10, ax=ax, legend=False)
    assert out is ax
    assert ax.get_legend() is None
    assert ax.get_xlabel() == "dimension 1" and ax.get_ylabel() == "dimension 2"
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    assert "<image" in svg and svg.count("<use") < 300  # points baked into an image


@pytest.mark.parametrize(
    ("points", "labels", "kwargs", "message"),
    [
        (np.zeros((5, 3)), np.zeros(5, int), {}, r"points must have shape \(n_samples, 2\), got shape \(5, 3\)"),
        (np.zeros((5, 2)), np.zeros(4, int), {}, r"labels must have one entry per image \(5\), got 4"),
        (np.zeros((5, 2)), np.zeros(5, int), {"alpha": 2}, "alpha must lie between 0 and 1"),
        (np.zeros((5, 2)), np.zeros(5, int), {"s": 0}, "s must be a positive marker area"),
    ],
)
def test_plot_scatter_by_class_rejects_bad_input(points, labels, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_scatter_by_class(points, labels, **kwargs)


# ---------------------------------------------------------------------------
# PCA
# ---------------------------------------------------------------------------


def test_plot_explained_variance():
    ratio = np.array([0.4, 0.3, 0.2, 0.06, 0.04])
    ax = plot_explained_variance(ratio)
    assert len(ax.patches) == 5
    cumulative = ax.lines[0]
    np.testing.assert_allclose(cumulative.get_ydata(), np.cumsum(ratio))
    assert "4 components keep 95 %" in _texts(ax)
    vertical = [line for line in ax.lines if list(line.get_xdata()) == [4, 4]]
    assert len(vertical) == 1
    assert ax.get_xlabel() and ax.get_ylabel()


def test_plot_explained_variance_truncated_and_unreached():
    ratio = np.full(100, 0.009)  # keeps only 90 %
    fig, ax = plt.subplots()
    assert plot_explained_variance(ratio, ax=ax, max_components=20) is ax
    assert len(ax.patches) == 20
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("all 100 components keep 90.0 %" in t for t in legend)


@pytest.mark.parametrize(
    ("ratio", "kwargs", "message"),
    [
        ([0.6, 0.6], {}, "explained_variance_ratio must be a non-empty vector of shares"),
        ([0.5, 0.3], {"threshold": 95}, "threshold must lie between 0 and 1"),
        ([0.5, 0.3], {"max_components": 0}, "max_components must be a positive integer, got 0"),
    ],
)
def test_plot_explained_variance_rejects_bad_input(ratio, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_explained_variance(ratio, **kwargs)


def test_plot_reconstructions(images):
    originals = images[:3].reshape(3, 784)
    recs = {50: originals * 0.9, 10: images[:3] * 0.5}
    fig = plot_reconstructions(originals, recs, titles=["a", "b", "c"])
    assert isinstance(fig, matplotlib.figure.Figure)
    assert len(fig.axes) == 9  # 3 images x (2 values of k + original)
    assert [ax.get_title() for ax in fig.axes[:3]] == ["k = 10", "k = 50", "original"]
    assert [fig.axes[3 * row].get_ylabel() for row in range(3)] == ["a", "b", "c"]
    np.testing.assert_array_equal(fig.axes[2].images[0].get_array(), images[0])


@pytest.mark.parametrize(
    ("recs", "kwargs", "message"),
    [
        ({}, {}, "reconstructions must be a non-empty dict"),
        ({10: np.zeros((2, 784))}, {}, r"reconstructions\[10\] must hold 3 images like originals"),
        ({10: np.zeros((3, 780))}, {}, r"reconstructions\[10\] must have shape"),
        ({0: np.zeros((3, 784))}, {}, "keys must be positive numbers of components"),
        ({10: np.zeros((3, 784))}, {"titles": ["a"]}, r"titles must have one entry per image \(3\), got 1"),
    ],
)
def test_plot_reconstructions_rejects_bad_input(recs, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_reconstructions(np.zeros((3, 784)), recs, **kwargs)


# ---------------------------------------------------------------------------
# Activations and experiments
# ---------------------------------------------------------------------------


def test_plot_mean_activation(rng):
    values = rng.random((10, 16))
    ax = plot_mean_activation(values)
    np.testing.assert_array_equal(ax.collections[0].get_array(), values)
    assert ax.collections[0].get_cmap().name == "magma"
    assert ax.get_xlabel() == "hidden unit" and ax.get_ylabel() == "digit"
    # Unit u's column spans x from u to u + 1: its tick is at its centre and names it.
    labelled = {t.get_text(): x for t, x in zip(ax.get_xticklabels(), ax.get_xticks())}
    assert labelled["0"] == 0.5 and all(x == int(name) + 0.5 for name, x in labelled.items())
    assert len(labelled) >= 3
    assert [t.get_text() for t in ax.get_yticklabels()] == DIGITS
    assert len(ax.figure.axes) == 2  # colour bar
    fig, given = plt.subplots()
    assert plot_mean_activation(rng.random((10, 1)), ax=given) is given


def test_plot_mean_activation_leaves_missing_digits_blank():
    values = np.ones((10, 3))
    values[4] = np.nan
    ax = plot_mean_activation(values)
    shown = ax.collections[0].get_array()
    assert np.ma.getmaskarray(shown)[4].all() and not np.ma.getmaskarray(shown)[3].any()


def test_plot_mean_activation_rejects_transposed():
    with pytest.raises(ValueError, match=r"got shape \(128, 10\); transpose it\?"):
        plot_mean_activation(np.zeros((128, 10)))


@pytest.fixture
def width_table():
    widths = np.array([1, 2, 4, 8, 16, 32, 64, 128, 256])
    return pd.DataFrame(
        {
            "hidden_units": widths,
            "test_accuracy": 1 - 0.7 / np.sqrt(widths),
            "parameters": 795 * widths + 10,
            "seconds_per_epoch": 1 + 0.03 * widths,
        }
    )


def test_plot_width_experiment(width_table):
    fig = plot_width_experiment(width_table)
    assert isinstance(fig, matplotlib.figure.Figure)
    axes = fig.axes
    acc_ax, time_ax = axes
    assert acc_ax.get_xscale() == "log" and time_ax.get_xscale() == "log"
    np.testing.assert_array_equal(acc_ax.lines[0].get_xdata(), width_table["hidden_units"])
    np.testing.assert_allclose(time_ax.lines[0].get_ydata(), width_table["seconds_per_epoch"])
    assert acc_ax.get_ylabel() == "test accuracy"
    assert time_ax.get_ylabel() == "seconds per epoch"
    assert acc_ax.get_legend() is None  # no baseline in this table
    assert all(ax.get_xlabel() == "hidden units (log scale)" for ax in axes)
    assert [t.get_text() for t in acc_ax.get_xticklabels()] == [str(w) for w in width_table["hidden_units"]]


def test_plot_width_experiment_draws_the_baseline_as_a_line(width_table):
    baseline = pd.DataFrame({"hidden_units": [0], "test_accuracy": [0.92], "parameters": [7850], "seconds_per_epoch": [0.5]})
    acc_ax, time_ax = plot_width_experiment(pd.concat([baseline, width_table])).axes
    np.testing.assert_array_equal(acc_ax.lines[0].get_xdata(), width_table["hidden_units"])  # 0 is not on the log axis
    assert acc_ax.lines[1].get_ydata()[0] == 0.92 and time_ax.lines[1].get_ydata()[0] == 0.5
    assert [t.get_text() for t in acc_ax.get_legend().get_texts()] == ["hidden layer", "no hidden layer"]
    with pytest.raises(ValueError, match="at least one run with a hidden layer"):
        plot_width_experiment(baseline)


def test_plot_width_experiment_repeats_and_given_figure(width_table):
    repeated = pd.concat([width_table, width_table.assign(test_accuracy=width_table["test_accuracy"] - 0.01)])
    fig = plt.figure()
    assert plot_width_experiment(repeated, fig=fig) is fig
    axes = fig.axes
    np.testing.assert_allclose(axes[0].lines[0].get_ydata(), width_table["test_accuracy"] - 0.005)
    assert len(axes[0].collections) == 1  # the individual runs


def test_plot_width_experiment_rejects_bad_input(width_table):
    with pytest.raises(ValueError, match=r"table lacks columns \['seconds_per_epoch'\]"):
        plot_width_experiment(width_table.drop(columns="seconds_per_epoch"))
    with pytest.raises(ValueError, match="table must be a pandas DataFrame"):
        plot_width_experiment(width_table.to_dict())
    with pytest.raises(ValueError, match="fig must be a matplotlib Figure or SubFigure .* got Axes; pass ax.figure"):
        plot_width_experiment(width_table, fig=plt.subplots()[1])


# ---------------------------------------------------------------------------
# The convention of the package docstring, for every public function:
# one panel takes ax=None and returns the Axes; several panels take fig=None
# (a Figure or a SubFigure) and return it; None makes a new figure.
# ---------------------------------------------------------------------------


def _width_table():
    return pd.DataFrame({"hidden_units": [1, 4], "test_accuracy": [0.3, 0.8],
                         "parameters": [805, 3190], "seconds_per_epoch": [1.0, 1.2]})


# name: (a call on small synthetic data that draws on ``ax``, the size in inches of the figure
# the function makes itself today, for that data)
SINGLE_PANEL = {
    "plot_class_distribution": (lambda ax: plot_class_distribution([0, 1, 2], ax=ax), (6.4, 3.8)),
    "plot_image_as_numbers": (lambda ax: plot_image_as_numbers(np.eye(28) * 200, ax=ax), (6.52, 6.52)),
    "plot_image_as_vector": (lambda ax: plot_image_as_vector(np.ones(784), ax=ax), (6.52, 2.6)),
    "plot_architecture": (lambda ax: plot_architecture(ax=ax), (6.52, 5)),
    "plot_relu": (lambda ax: plot_relu(ax=ax), (4.5, 3.2)),
    "plot_softmax": (lambda ax: plot_softmax([1.0, 2.0], ax=ax), (4.5, 3.4)),
    "plot_confusion_matrix": (lambda ax: plot_confusion_matrix(np.eye(10) * 5, ax=ax), (6.4, 5.4)),
    "plot_error_matrix": (lambda ax: plot_error_matrix(np.full((10, 10), 0.01), ax=ax), (6.4, 5.4)),
    "plot_class_boxplots": (
        lambda ax: plot_class_boxplots(np.arange(20.0), np.arange(20) % 10, ax=ax), (6.52, 4)),
    "plot_importance": (lambda ax: plot_importance(np.arange(784.0), ax=ax), (5.4, 4.6)),
    "plot_scatter_by_class": (
        lambda ax: plot_scatter_by_class(np.zeros((10, 2)), np.arange(10), ax=ax), (6.0, 5)),
    "plot_explained_variance": (lambda ax: plot_explained_variance([0.9, 0.1], ax=ax), (6.52, 4)),
    "plot_mean_activation": (lambda ax: plot_mean_activation(np.zeros((10, 4)), ax=ax), (4.5, 3.6)),
}

# name: (a call that draws on ``fig``, the size of the figure the function makes itself)
SEVERAL_PANELS = {
    "plot_digits": (lambda fig: plot_digits(np.zeros((4, 28, 28)), ncols=2, fig=fig), (2, 2.5)),
    "plot_misclassified": (
        lambda fig: plotting.plot_misclassified(np.zeros((3, 28, 28)), [1, 2, 3], [2, 2, 3], [(1, 2)],
                                                per_pair=3, fig=fig),
        (3, 1.65),
    ),
    "plot_components": (lambda fig: plotting.plot_components(np.eye(784)[:3], fig=fig), (5.4, 1.725)),
    "plot_reconstructions": (
        lambda fig: plot_reconstructions(np.zeros((2, 784)), {1: np.zeros((2, 784))}, fig=fig), (2.6, 3.0)),
    "plot_history": (
        lambda fig: plot_history({"loss": [0.9, 0.5], "accuracy": [0.6, 0.8]}, fig=fig), (5.2, 6.1)),
    "plot_width_experiment": (lambda fig: plot_width_experiment(_width_table(), fig=fig), (5.2, 6.6)),
}

# The weights module's figures, with their calls, are listed beside its own tests.
SINGLE_PANEL.update(test_plotting_weights.SINGLE_PANEL)
SEVERAL_PANELS.update(test_plotting_weights.SEVERAL_PANELS)

# Public functions that draw no figure.
NOT_FIGURES = {"class_color", "style_probabilities"}

PLOTTING_MODULES = ["_common", "digits", "evaluation", "features", "inside", "network", "projection", "weights"]


def _public_functions():
    """Every public function defined in a module of mnist_lesson.plotting, by name."""
    found = {}
    for module_name in PLOTTING_MODULES:
        module = importlib.import_module(f"mnist_lesson.plotting.{module_name}")
        for name, obj in vars(module).items():
            if not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == module.__name__:
                found[name] = obj
    return found


def _returns(doc: str) -> str:
    """The first line of a numpydoc docstring's Returns section."""
    lines = [line.strip() for line in inspect.cleandoc(doc).splitlines()]
    start = lines.index("Returns")
    assert set(lines[start + 1]) == {"-"}
    return lines[start + 2]


def test_every_public_function_is_exported_and_checked_below():
    functions = _public_functions()
    exported = {name for name in plotting.__all__ if callable(getattr(plotting, name))}
    assert set(functions) == exported
    # A new plotting function fails here until it is added to the convention's tests.
    assert set(functions) == set(SINGLE_PANEL) | set(SEVERAL_PANELS) | NOT_FIGURES
    assert not set(SINGLE_PANEL) & set(SEVERAL_PANELS)


@pytest.mark.parametrize("name", sorted(_public_functions()))
def test_signature_follows_the_convention(name):
    function = _public_functions()[name]
    parameters = inspect.signature(function).parameters
    assert "axes" not in parameters, f"{name} takes axes=; one panel takes ax=, several take fig="
    where = {"ax", "fig"} & set(parameters)
    if name in NOT_FIGURES:
        assert not where, f"{name} draws no figure, so takes neither ax nor fig"
        return
    expected = "ax" if name in SINGLE_PANEL else "fig"
    assert where == {expected}, f"{name} must take {expected}= and only that, takes {sorted(where)}"
    parameter = parameters[expected]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}'s {expected} must be keyword-only"
    assert parameter.default is None, f"{name}'s {expected} must default to None"
    returns = _returns(function.__doc__)
    if expected == "ax":
        assert returns == "matplotlib.axes.Axes", f"{name} must document that it returns the Axes"
        assert "ax : matplotlib.axes.Axes, optional" in function.__doc__
    else:
        assert returns == "matplotlib.figure.Figure or SubFigure", f"{name} must document that it returns fig"
        assert "fig : matplotlib.figure.Figure or SubFigure, optional" in function.__doc__


@pytest.mark.parametrize("name", sorted(SINGLE_PANEL))
def test_single_panel_functions_draw_on_the_given_axes(name):
    fig, (ax, other) = plt.subplots(1, 2)
    assert SINGLE_PANEL[name][0](ax) is ax
    assert ax.has_data() or ax.texts
    assert not other.has_data() and not other.texts
    assert plt.get_fignums() == [fig.number]  # no new figure
    fig.savefig(io.BytesIO(), format="png")  # draws without a warning


@pytest.mark.parametrize("name", sorted(SINGLE_PANEL))
def test_single_panel_functions_make_their_own_figure(name):
    draw, size = SINGLE_PANEL[name]
    ax = draw(None)
    assert isinstance(ax, matplotlib.axes.Axes)
    assert plt.get_fignums() == [ax.figure.number]
    assert ax.has_data() or ax.texts
    np.testing.assert_allclose(ax.figure.get_size_inches(), size)
    assert ax.figure.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"


@pytest.mark.parametrize("name", sorted(SINGLE_PANEL))
def test_single_panel_functions_reject_a_figure_as_ax(name):
    fig = plt.figure()
    with pytest.raises(ValueError, match=r"ax must be a matplotlib Axes .* got Figure; .* take fig= instead"):
        SINGLE_PANEL[name][0](fig)
    assert not fig.axes


@pytest.mark.parametrize("name", sorted(SEVERAL_PANELS))
def test_several_panel_functions_draw_on_the_given_figure(name):
    fig = plt.figure()
    assert SEVERAL_PANELS[name][0](fig) is fig
    assert len(fig.axes) >= 2
    assert any(ax.has_data() or ax.images for ax in fig.axes)
    assert plt.get_fignums() == [fig.number]
    fig.savefig(io.BytesIO(), format="png")


def _axes_within(fig) -> list:
    """The axes of a (sub)figure and of the subfigures nested in it."""
    found = list(fig.axes)
    for sub in fig.subfigs:
        found += [ax for ax in _axes_within(sub) if ax not in found]
    return found


@pytest.mark.parametrize("name", sorted(SEVERAL_PANELS))
def test_several_panel_functions_draw_on_a_subfigure_beside_other_panels(name):
    fig = plt.figure(figsize=(12, 4), layout="constrained")
    left, right = fig.subfigures(1, 2)
    beside = plot_relu(ax=left.subplots())
    assert SEVERAL_PANELS[name][0](right) is right
    drawn = _axes_within(right)
    assert len(drawn) >= 2
    assert left.axes == [beside]
    assert set(fig.axes) == {beside, *drawn}  # every new panel sits in the subfigure
    assert plt.get_fignums() == [fig.number]
    fig.savefig(io.BytesIO(), format="png")


@pytest.mark.parametrize("name", sorted(SEVERAL_PANELS))
def test_several_panel_functions_make_their_own_figure(name):
    draw, size = SEVERAL_PANELS[name]
    fig = draw(None)
    assert isinstance(fig, matplotlib.figure.Figure)
    assert plt.get_fignums() == [fig.number]
    assert len(fig.axes) >= 2
    np.testing.assert_allclose(fig.get_size_inches(), size)
    assert fig.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"


@pytest.mark.parametrize("name", sorted(SEVERAL_PANELS))
def test_several_panel_functions_reject_axes_as_fig(name):
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"fig must be a matplotlib Figure or SubFigure .* got Axes"):
        SEVERAL_PANELS[name][0](ax)
    assert not ax.has_data()


def test_all_public_names_are_exported():
    assert set(plotting.__all__) <= set(dir(plotting))
    for name in plotting.__all__:
        if name.startswith("plot_") or name == "style_probabilities":
            assert getattr(plotting, name).__doc__


# ---------------------------------------------------------------------------
# plot_misclassified
# ---------------------------------------------------------------------------


def test_plot_misclassified_one_row_per_pair(images):
    from mnist_lesson.plotting.evaluation import plot_misclassified

    y_true = np.array([5, 5, 5, 9, 4, 9, 5, 0, 0, 0, 0, 9])
    y_pred = np.array([3, 3, 5, 4, 9, 4, 3, 0, 0, 0, 0, 4])
    pairs = pd.DataFrame({"true": [5, 9, 4], "predicted": [3, 4, 7], "count": [3, 3, 0]})
    fig = plot_misclassified(images, y_true, y_pred, pairs, per_pair=2)
    assert isinstance(fig, matplotlib.figure.Figure)
    rows = list(fig.subfigs)
    assert [row.get_suptitle() for row in rows] == [
        "true 5, predicted 3: 2 of 3 images",
        "true 9, predicted 4: 2 of 3 images",
        "true 4, predicted 7: 0 of 0 images",
    ]
    assert all(len(row.axes) == 2 for row in rows)  # blank cells keep the grid
    drawn = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in drawn] == ["3 (true 5)"] * 2 + ["4 (true 9)"] * 2
    assert all(_hex(ax.title.get_color()) == WRONG_COLOR for ax in drawn)
    # the first images of each pair, in order: positions 0, 1 and 3, 5
    np.testing.assert_array_equal(drawn[0].images[0].get_array(), images[0])
    np.testing.assert_array_equal(drawn[3].images[0].get_array(), images[5])
    assert not any(ax.axison for ax in fig.axes)
    fig.savefig(io.BytesIO(), format="png")  # draws without a warning


def test_plot_misclassified_accepts_tuples_flat_images_and_a_given_figure(images):
    from mnist_lesson.plotting.evaluation import plot_misclassified

    fig = plt.figure()
    y_true = np.arange(12) % 10
    y_pred = (y_true + 1) % 10
    out = plot_misclassified(images.reshape(12, 784), y_true, y_pred, [(0, 1)], fig=fig)
    assert out is fig
    assert len(fig.axes) == 10
    assert sum(bool(ax.images) for ax in fig.axes) == 2  # images 0 and 10


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"pairs": [(3, 3)]}, r"pairs must name mistakes.* got \(3, 3\)"),
        ({"pairs": []}, "pairs must list at least one"),
        ({"pairs": [(3, 12)]}, "pairs must lie between 0 and 9"),
        ({"pairs": pd.DataFrame({"a": [1], "b": [2]})}, "pairs must have columns 'true' and 'predicted'"),
        ({"y_pred": [1, 2]}, r"y_pred must have one entry per image \(3\), got 2"),
        ({"y_true": [1, 2, 10]}, "y_true must lie between 0 and 9"),
        ({"per_pair": 0}, "per_pair must be a positive integer, got 0"),
        ({"size": -1}, "size must be a positive number"),
    ],
)
def test_plot_misclassified_rejects_bad_input(kwargs, message):
    from mnist_lesson.plotting.evaluation import plot_misclassified

    args = {"y_true": [1, 2, 3], "y_pred": [2, 2, 3], "pairs": [(1, 2)]}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        plot_misclassified(np.zeros((3, 28, 28)), args.pop("y_true"), args.pop("y_pred"),
                           args.pop("pairs"), **args)


def test_plot_mean_activation_grouped_by_class():
    means = np.zeros((10, 5))
    means[3, 0], means[0, 1], means[3, 2], means[9, 3], means[0, 4] = 2.0, 1.0, 5.0, 4.0, 3.0
    ax = plot_mean_activation(means, group_by_class=True)
    # Digit 0's units first (strongest first), then digit 3's, then digit 9's.
    np.testing.assert_array_equal(ax.collections[0].get_array(), means[:, [4, 1, 2, 0, 3]])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "3", "9"]
    # Column j spans x from j to j + 1: groups of columns 0-1, 2-3 and 4.
    np.testing.assert_allclose(ax.get_xticks(), [1.0, 3.0, 4.5])
    assert [line.get_xdata()[0] for line in ax.lines] == [2, 4]  # group boundaries
    assert ax.get_xlabel() == "hidden units, grouped by the digit with their largest mean activation"
    assert [t.get_text() for t in ax.get_yticklabels()] == DIGITS


def test_plot_mean_activation_grouped_ignores_missing_classes_and_checks_flag():
    means = np.full((10, 2), np.nan)
    means[4] = [1.0, 0.0]
    means[6] = [0.0, 2.0]
    ax = plot_mean_activation(means, group_by_class=True)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["4", "6"]
    with pytest.raises(ValueError, match="group_by_class must be True or False, got 'yes'"):
        plot_mean_activation(means, group_by_class="yes")


# ---------------------------------------------------------------------------
# PCA components as images
# ---------------------------------------------------------------------------


def test_plot_components_panels_titles_and_symmetric_scale(rng):
    from mnist_lesson.plotting.projection import plot_components

    components = rng.normal(size=(7, 784))
    fig = plot_components(components, ncols=4)
    assert isinstance(fig, matplotlib.figure.Figure)
    image_axes = [ax for ax in fig.axes if ax.images]
    assert len(image_axes) == 7
    assert [ax.get_title() for ax in image_axes] == [f"PC {i}" for i in range(1, 8)]
    limit = np.abs(components).max()
    for ax in image_axes:
        assert ax.images[0].get_clim() == (-limit, limit)
    np.testing.assert_array_equal(image_axes[2].images[0].get_array(), components[2].reshape(28, 28))
    assert len(fig.axes) == 4 * 2 + 1  # two rows of four (one empty) and the colour bar
    assert fig.axes[-1].get_ylabel() == "weight"
    fig.savefig(io.BytesIO(), format="png")


def test_plot_components_titles_and_given_figure(rng):
    from mnist_lesson.plotting.projection import plot_components

    fig = plt.figure()
    out = plot_components(rng.normal(size=(2, 28, 28)), titles=["first", "second"], fig=fig)
    assert out is fig
    assert [ax.get_title() for ax in fig.axes if ax.images] == ["first", "second"]
    assert len(plt.get_fignums()) == 1


@pytest.mark.parametrize(
    ("components", "kwargs", "message"),
    [
        (np.zeros((0, 784)), {}, "components must hold at least one component"),
        (np.zeros((2, 780)), {}, r"components must have shape \(n_images, 28, 28\) or \(n_images, 784\)"),
        (np.full((1, 784), np.nan), {}, "components must hold finite numbers"),
        (np.zeros((2, 784)), {"titles": ["a"]}, r"titles must have one entry per component \(2\), got 1"),
        (np.zeros((2, 784)), {"ncols": 0}, "ncols must be a positive integer, got 0"),
        (np.zeros((2, 784)), {"size": -1}, "size must be a positive number of inches"),
    ],
)
def test_plot_components_rejects_bad_input(components, kwargs, message):
    from mnist_lesson.plotting.projection import plot_components

    with pytest.raises(ValueError, match=message):
        plot_components(components, **kwargs)


@pytest.mark.parametrize("size", [0, -1.5, float("nan"), True, "2", [1.0]])
def test_panel_sizes_must_be_positive_numbers(size):
    with pytest.raises(ValueError, match=r"size must be a positive number of inches, got"):
        plot_digits(np.zeros((2, 28, 28)), size=size)
