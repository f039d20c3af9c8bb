"""Figures stored in about a third of the bytes, with no pixel visibly changed.

What it changes
    Every PNG that myst-nb writes from a page's outputs (the figures, in its
    output folder, ``_build/jupyter_execute``) is re-encoded, while Sphinx
    reads the page and before it copies the file into the site, as a
    palette PNG of at most 256 colours, when one exists in which no channel
    of any pixel moves by more than :data:`MAX_CHANNEL_ERROR` (16 of 255)
    and the file gets smaller. Three of Pillow's quantisers are tried
    (maximum coverage, median cut, fast octree), without dithering, and the
    smallest file within the bound wins; a figure that no quantiser can
    match within the bound, or that has transparent pixels, is left as the
    kernel drew it. A figure of 256 colours or fewer comes out identical,
    pixel for pixel.

Why
    The kernels draw figures as "retina" RGBA PNGs (:mod:`~lesson_book.execute`):
    white, opaque and made of a few hundred colours, which is what a palette
    PNG stores well. Re-encoded, the site's figures take about a third of
    their bytes (5.5 MB down to 1.9 MB when this was written). On a phone the architecture diagram
    of the introduction alone was 158 KB of the first screen, and its
    download held back the first paint of the text (Lighthouse's largest
    contentful paint 3.0 s; issue 13 asks for 2.5 s). Most pixels do not
    move at all; those that do are the anti-aliased edges of lines and
    letters and the shades inside a colour map, and 16 of 255 is less than
    half the difference between the two closest of the ten class colours, so
    every mark stays nearer its own class colour than any other.

The file keeps its name (myst-nb's hash of what the kernel drew) and its
pixel size, so the page's ``<img>`` sizes hold. The executed notebooks,
the student notebooks and the execution cache keep the figures as drawn.
``tests/test_images.py`` checks the re-encoding on synthetic images and, in
the built site, every figure against the kernel's original in the executed
notebooks and the execution cache.
"""

from __future__ import annotations

import io
from pathlib import Path

from docutils import nodes

__all__ = ["MAX_CHANNEL_ERROR", "QUANTISERS", "palette_png", "shrink_png", "setup"]

#: The most any channel (0-255) of any pixel may move when a figure is re-encoded.
MAX_CHANNEL_ERROR = 16

#: Pillow's quantisers tried, by name of ``PIL.Image.Quantize``.
QUANTISERS = ("MAXCOVERAGE", "MEDIANCUT", "FASTOCTREE")


def palette_png(data: bytes, max_error: int = MAX_CHANNEL_ERROR) -> bytes | None:
    """``data`` (a PNG) as a smaller palette PNG within ``max_error`` per channel, or None if there is none.

    None also for an image with any transparent pixel, and for one already
    stored with a palette.
    """
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        if image.mode == "P":
            return None
        rgba = np.asarray(image.convert("RGBA"))
    if rgba[..., 3].min() < 255:
        return None
    rgb = Image.fromarray(np.ascontiguousarray(rgba[..., :3]))
    pixels = rgba[..., :3].astype(np.int16)
    best = None
    for name in QUANTISERS:
        quantised = rgb.quantize(256, method=getattr(Image.Quantize, name), dither=Image.Dither.NONE)
        error = np.abs(np.asarray(quantised.convert("RGB"), dtype=np.int16) - pixels).max()
        if error > max_error:
            continue
        out = io.BytesIO()
        quantised.save(out, "PNG", optimize=True)
        if best is None or out.tell() < len(best):
            best = out.getvalue()
    return best if best is not None and len(best) < len(data) else None


def shrink_png(path: Path, max_error: int = MAX_CHANNEL_ERROR) -> tuple[int, int]:
    """Re-encode the PNG at ``path`` in place when :func:`palette_png` finds a smaller one; (bytes before, after)."""
    data = path.read_bytes()
    smaller = palette_png(data, max_error)
    if smaller is None:
        return len(data), len(data)
    temporary = path.with_name(path.name + ".part")
    temporary.write_bytes(smaller)
    temporary.replace(path)  # never a half-written figure, even if the build is interrupted
    return len(data), len(smaller)


def _shrink_output_images(app, doctree) -> None:
    from .mystnb import output_folder

    folder = output_folder(app.env).resolve()
    seen = set()
    for image in doctree.findall(nodes.image):
        candidate = image.get("candidates", {}).get("*")
        if not candidate:
            continue
        path = (Path(app.srcdir) / candidate).resolve()
        if path.suffix == ".png" and path.parent == folder and path not in seen and path.is_file():
            seen.add(path)
            shrink_png(path)


def setup(app):
    # After Sphinx's image collector has resolved each image's file (doctree-read, default priority),
    # before the HTML builder copies the files into the site.
    app.connect("doctree-read", _shrink_output_images, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
