"""Figure text is at least 9 px where the book shows it, and the PNGs are sharp enough to print.

Three checks that fail on regressions:

- every plotting function, called as the chapters call it, draws no text that
  would be smaller than :data:`~mnist_lesson.plotting.MIN_TEXT_PX` on a
  1280-px desktop, computed from the figure's drawn width (tight box), the
  column's width and each drawn text's font size;
- the chapters' figure cells draw figures no wider than the column, with no
  font set below 6.5 points and no panels side by side;
- in the built site at 1280 px, every figure is shown at its own size (not
  shrunk, so its text keeps the size computed above), and its PNG holds twice
  that many pixels (about 200 dpi in print).
"""

from __future__ import annotations

import ast
import re
import struct
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import book_pages  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from mnist_lesson import plotting  # noqa: E402
from mnist_lesson.plotting._common import COLUMN_PX, COLUMN_WIDTH, MIN_FONT_PT, MIN_TEXT_PX, _text_px  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: The pages with figures drawn by code: the introduction, the chapters, the experiments appendix.
CHAPTERS = ["intro", *book_pages.CHAPTERS, "experiments"]


def drawn_text_sizes(fig) -> list[tuple[float, str]]:
    """(font size in points, text) of every non-empty text that drawing ``fig`` draws."""
    found = []
    original = Text.draw

    def recording(self, renderer):
        if self.get_visible() and self.get_text().strip():
            found.append((float(self.get_fontsize()), self.get_text()))
        return original(self, renderer)

    Text.draw = recording
    try:
        fig.canvas.draw()
    finally:
        Text.draw = original
    return found


def smallest_text_px(fig, column_px: float = COLUMN_PX) -> tuple[float, str]:
    """The smallest drawn text of ``fig`` at display size, in CSS px, and the text."""
    sizes = drawn_text_sizes(fig)
    assert sizes, "the figure draws no text"
    width = fig.get_tightbbox(fig.canvas.get_renderer()).width  # inches, as the inline PNG is cropped
    points, text = min(sizes)
    return _text_px(points, width, column_px=column_px), text


def _rng():
    return np.random.default_rng(0)


def _history(n=8):
    x = np.linspace(1, 0.2, n)
    return {"loss": x, "val_loss": x + 0.05, "accuracy": 1 - x / 2, "val_accuracy": 0.95 - x / 2}


def _two_histories():
    fig = plt.figure(figsize=(5.2, 6.4), layout="constrained")  # as in the training chapter
    plotting.plot_history(_history(), fig=fig, label="128 units")
    plotting.plot_history(_history(), fig=fig, label="1 unit")
    return fig


def _width_table():
    widths = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
    return pd.DataFrame({"hidden_units": widths, "test_accuracy": np.linspace(0.9, 0.98, len(widths)),
                         "parameters": [7850 + 795 * w for w in widths],
                         "seconds_per_epoch": np.linspace(1, 3, len(widths))})


def _images(n):
    return _rng().integers(0, 256, size=(n, 28, 28), dtype=np.uint8)


# name: a call that makes one figure, as (or like) a chapter makes it
FIGURES = {
    "digits 50 in rows of 10": lambda: plotting.plot_digits(_images(50), np.arange(50) % 10, ncols=10),
    "digits with predictions": lambda: plotting.plot_digits(
        _images(25), np.arange(25) % 10, predicted=(np.arange(25) * 3) % 10, ncols=5, size=1.1),
    "misclassified": lambda: plotting.plot_misclassified(
        _images(40), np.full(40, 4), np.full(40, 9), [(4, 9), (4, 9), (4, 9)], per_pair=10),
    "components": lambda: plotting.plot_components(_rng().normal(size=(10, 784)), ncols=5),
    "reconstructions": lambda: plotting.plot_reconstructions(
        _rng().random((5, 784)), {k: _rng().random((5, 784)) for k in (1, 5, 10, 50, 100, 300)},
        titles=[f"digit {k}" for k in range(5)]),
    "history": lambda: plotting.plot_history(_history()),
    "two histories": _two_histories,
    "width experiment": lambda: plotting.plot_width_experiment(_width_table()),
    "class distribution": lambda: plotting.plot_class_distribution(np.arange(600) % 10).figure,
    "image as numbers": lambda: plotting.plot_image_as_numbers(_images(1)[0]).figure,
    "image as numbers, cropped": lambda: plotting.plot_image_as_numbers(_images(1)[0], crop=True).figure,
    "image as vector": lambda: plotting.plot_image_as_vector(_rng().random(784)).figure,
    "architecture": lambda: plotting.plot_architecture((784, 128, 10)).figure,
    "contrast architecture": lambda: plotting.plot_architecture((784, 1, 10)).figure,
    "relu": lambda: plotting.plot_relu().figure,
    "softmax": lambda: plotting.plot_softmax(np.linspace(-2, 3, 10)).figure,
    "confusion matrix": lambda: plotting.plot_confusion_matrix(_rng().integers(0, 1200, (10, 10))).figure,
    "error matrix": lambda: plotting.plot_error_matrix(_rng().random((10, 10)) / 20).figure,
    "class boxplots": lambda: plotting.plot_class_boxplots(
        _rng().random(600), np.arange(600) % 10, title="hidden unit 7", ylabel="activation").figure,
    "importance": lambda: plotting.plot_importance(_rng().random(784), mark=(350, 400)).figure,
    "scatter by class": lambda: plotting.plot_scatter_by_class(
        _rng().normal(size=(3000, 2)), np.arange(3000) % 10, title="pixels").figure,
    "explained variance": lambda: plotting.plot_explained_variance(
        np.sort(_rng().random(300))[::-1] / 300, max_components=250).figure,
    "mean activation": lambda: plotting.plot_mean_activation(_rng().random((10, 128))).figure,
    "mean activation, grouped": lambda: plotting.plot_mean_activation(
        _rng().random((10, 128)), group_by_class=True).figure,
}


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_text_is_at_least_9_px_on_a_desktop(name):
    fig = FIGURES[name]()
    px, text = smallest_text_px(fig)
    assert px >= MIN_TEXT_PX - 1e-6, (
        f"{name}: the text {text!r} is {px:.1f} px at display size in a {COLUMN_PX:.0f}-px column; "
        f"make the figure narrower (at most {COLUMN_WIDTH} in) or the font larger"
    )


def test_the_check_fails_on_small_text():
    fig, ax = plt.subplots(figsize=(14, 4))  # cropped to about 11 in, shown at about 690/1100
    ax.legend(handles=ax.plot([0, 1], label="a line"), fontsize="small")
    px, text = smallest_text_px(fig)
    assert px < MIN_TEXT_PX and text == "a line"


def _figure_cells(chapter: str) -> list[str]:
    """The code cells of a chapter whose metadata makes them numbered figures."""
    source = (ROOT / "book" / f"{chapter}.md").read_text()
    cells = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)\n```", source, flags=re.S)
    return [cell for cell in cells if re.search(r"^mystnb:\n  figure:", cell, flags=re.M)]


def _check_figure_code(code: str) -> list[str]:
    """What in a figure cell's code breaks the rules: too wide, too small a font, panels side by side."""
    faults = []
    for node in ast.walk(ast.parse(code)):
        if not isinstance(node, ast.Call):
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        if "figsize" in keywords:
            width = ast.literal_eval(keywords["figsize"])[0]
            if width > COLUMN_WIDTH:
                faults.append(f"figsize width {width} in > {COLUMN_WIDTH} in")
        if "fontsize" in keywords and isinstance(keywords["fontsize"], ast.Constant):
            size = keywords["fontsize"].value
            if isinstance(size, (int, float)) and size < MIN_FONT_PT:
                faults.append(f"fontsize={size} < {MIN_FONT_PT:.2f} pt (9 px)")
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        if name in {"subplots", "subfigures"} and len(node.args) >= 2:
            ncols = node.args[1]
            if not (isinstance(ncols, ast.Constant) and ncols.value == 1):
                faults.append(f"{ast.unparse(node)[:60]}: panels side by side are thumbnails on a phone")
    return faults


def test_the_cell_check_finds_faults():
    faults = _check_figure_code(
        "fig, axes = plt.subplots(1, len(p), figsize=(12, 4))\nax.set_title('x', fontsize=5)"
    )
    assert len(faults) == 3


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_figure_cells_fit_the_column_and_stack_their_panels(chapter):
    for cell in _figure_cells(chapter):
        code = cell.split("\n---\n", 1)[-1]
        assert not _check_figure_code(code), f"{chapter}: {_check_figure_code(code)}"


# --------------------------------------------------------------------------- in the built site


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def _figures_on_page(browser, url: str, width: int) -> list[dict]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        return page.evaluate(
            """() => Array.from(document.querySelectorAll('figure img'))
                 .filter(img => img.getAttribute('src').endsWith('.png'))
                 .map(img => {
                   const box = img.getBoundingClientRect();
                   return {src: img.getAttribute('src'), width: img.style.width,
                           shown: box.width, tall: box.height};
                 })"""
        )
    finally:
        context.close()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_site_figures_are_shown_at_their_own_size_and_drawn_at_twice_it(browser, site_url, built_site,
                                                                        chapter):
    url = f"{site_url}book/{chapter}.html"
    desktop = _figures_on_page(browser, url, 1280)
    assert desktop, f"{chapter}: no figure found"
    for figure in desktop:
        name = figure["src"].rsplit("/", 1)[-1]
        assert figure["width"].endswith("px"), (
            f"{chapter}: {name} has no width in px; the kernel did not draw it as a retina PNG"
        )
        width = float(figure["width"][:-2])
        pixels, rows = _png_size((built_site / "book" / figure["src"]).resolve())
        assert pixels >= 1.9 * width, f"{chapter}: {name} is {pixels} px for {width:.0f} CSS px (< 2x)"
        assert figure["shown"] >= width - 1, (
            f"{chapter}: {name} is shown {figure['shown']:.0f} px wide of its {width:.0f}: "
            "its text is shrunk below the size the plotting package ensures"
        )
    for figure in _figures_on_page(browser, url, 390):
        name = figure["src"].rsplit("/", 1)[-1]
        pixels, rows = _png_size((built_site / "book" / figure["src"]).resolve())
        assert figure["tall"] == pytest.approx(figure["shown"] * rows / pixels, rel=0.02, abs=2), (
            f"{chapter}: {name} is distorted on a phone: {figure['shown']:.0f} x {figure['tall']:.0f} px "
            f"for a {pixels} x {rows} PNG"
        )


def test_the_extension_keeps_figures_in_shape():
    import sys

    from docutils import nodes

    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from lesson_book.figures import drop_heights

    doctree = nodes.document(None, None)
    sized = nodes.image(uri="a.png", width="531", height="621")
    plain = nodes.image(uri="b.png", height="50")
    doctree += [sized, plain]
    drop_heights(None, doctree, "page")
    assert sized["width"] == "531" and "height" not in sized
    assert plain["height"] == "50"  # an image with a height only is left as it is
