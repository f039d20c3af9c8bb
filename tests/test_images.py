"""Figures re-encoded as palette PNGs (book/_ext/lesson_book/images.py), checked on synthetic images and the site.

The unit checks draw small images with known colours; the built-site check
compares every figure of the site with what the kernel drew, read back from
the executed notebooks (myst-nb's copies and the execution cache's): the same size in pixels, no channel of any pixel moved
by more than 16 of 255, and no more bytes.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))

from lesson_book import images  # noqa: E402


def png(pixels: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8)).save(out, "PNG")
    return out.getvalue()


def pixels_of(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGBA")).astype(int)


def line_plot(size=200, colours=((31, 119, 180), (255, 127, 14))) -> np.ndarray:
    """A white RGBA figure with anti-aliased lines: a few hundred colours, as matplotlib draws them."""
    rows, cols = np.mgrid[0:size, 0:size]
    image = np.full((size, size, 4), 255.0)
    for k, colour in enumerate(colours):
        distance = np.abs(rows - (0.3 + 0.4 * k) * size - 20 * np.sin(cols / 15))
        ink = np.clip(2.0 - distance, 0, 1)[..., None]
        image[..., :3] = image[..., :3] * (1 - ink) + np.array(colour) * ink
    return image


def test_few_colours_come_back_identical_and_smaller():
    rng = np.random.default_rng(0)
    palette = rng.integers(0, 256, size=(40, 3))
    pixels = np.dstack([palette[rng.integers(0, 40, size=(120, 160))], np.full((120, 160), 255)])
    data = png(pixels)
    smaller = images.palette_png(data)
    assert smaller is not None and len(smaller) < len(data)
    assert np.array_equal(pixels_of(smaller), pixels)
    with Image.open(io.BytesIO(smaller)) as image:
        assert image.mode == "P" and image.size == (160, 120)


def test_anti_aliased_lines_move_by_at_most_the_bound():
    pixels = line_plot()
    data = png(pixels)
    smaller = images.palette_png(data)
    assert smaller is not None and len(smaller) < len(data)
    error = np.abs(pixels_of(smaller) - np.round(pixels)).max()
    assert error <= images.MAX_CHANNEL_ERROR


def test_an_image_no_palette_can_match_is_left_alone():
    noise = np.random.default_rng(1).integers(0, 256, size=(64, 64, 3))
    assert images.palette_png(png(noise)) is None
    # With a bound of 255 any palette qualifies (it is then only a question of size).
    assert images.palette_png(png(np.repeat(noise[:, :1], 64, axis=1)), max_error=255) is not None


def test_transparent_and_palette_images_are_left_alone():
    pixels = line_plot()
    pixels[:10, :10, 3] = 0
    assert images.palette_png(png(pixels)) is None
    already = images.palette_png(png(line_plot()))
    assert images.palette_png(already) is None


def test_shrink_png_replaces_the_file_in_place(tmp_path):
    path = tmp_path / "figure.png"
    path.write_bytes(png(line_plot()))
    before, after = images.shrink_png(path)
    assert after < before == len(png(line_plot())) and path.stat().st_size == after
    assert list(tmp_path.iterdir()) == [path], "no temporary file is left behind"
    assert images.shrink_png(path) == (after, after), "a second pass changes nothing"


def test_a_mark_stays_nearer_its_own_class_colour_than_any_other():
    from matplotlib.colors import to_rgb

    from mnist_lesson.plotting._common import CLASS_COLORS

    rgb = np.array([to_rgb(c) for c in CLASS_COLORS]) * 255
    closest = min(np.abs(rgb[i] - rgb[j]).max() for i in range(10) for j in range(i + 1, 10))
    # A pixel moved by at most the bound in every channel stays nearer its own colour than any other.
    assert closest > 2 * images.MAX_CHANNEL_ERROR, closest


# --------------------------------------------------------------------------- the built site


def drawn_figures(executed: Path) -> dict[str, bytes]:
    """Every PNG the kernels drew, from the executed notebooks, by myst-nb's file name (its SHA-256)."""
    figures = {}
    for notebook in executed.rglob("*.ipynb"):
        for cell in json.loads(notebook.read_text())["cells"]:
            for output in cell.get("outputs", []):
                data = output.get("data", {}).get("image/png")
                if data:
                    raw = base64.b64decode("".join(data))
                    figures[hashlib.sha256(raw).hexdigest() + ".png"] = raw
    return figures


@pytest.mark.slow
@pytest.mark.data
def test_every_figure_of_the_site_is_what_the_kernel_drew_within_the_bound(built_site):
    # myst-nb's executed copies and jupyter-cache's records (pages taken from the cache have their outputs only there).
    drawn = {**drawn_figures(built_site.parent / "jupyter_execute"), **drawn_figures(built_site.parent / ".jupyter_cache")}
    shown = {p.name: p for p in (built_site / "_images").glob("*.png") if p.name in drawn}
    assert len(shown) >= 40, f"only {len(shown)} of the site's images were found in the executed notebooks"
    total_drawn = total_shown = palettes = 0
    for name, path in shown.items():
        original, stored = pixels_of(drawn[name]), pixels_of(path.read_bytes())
        assert stored.shape == original.shape, f"{name}: the pixel size changed"
        assert np.abs(stored - original).max() <= images.MAX_CHANNEL_ERROR, f"{name} moved a pixel too far"
        assert path.stat().st_size <= len(drawn[name]), f"{name} grew"
        with Image.open(path) as image:
            palettes += image.mode == "P"
        total_drawn += len(drawn[name])
        total_shown += path.stat().st_size
    assert palettes >= 0.9 * len(shown), f"only {palettes} of {len(shown)} figures were re-encoded"
    assert total_shown < 0.5 * total_drawn, (total_shown, total_drawn)
