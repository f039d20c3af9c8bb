"""Benchmark the draw-a-digit page: prediction time in headless Chromium, bytes over the wire.

Serves a built site (default ``_build/html``, after ``make book``) on
127.0.0.1, opens ``book/draw.html`` in Debian's Chromium and measures, inside
the page with ``performance.now()``:

- ``mnistLesson.predict`` of the lesson model on 1,000 MNIST test images
  (input check, hidden layer, softmax), in ms per prediction; also on an image
  with every pixel inked, the worst case (the hidden layer skips blank pixels);
- one whole update of the page as the reader draws (``mnistLesson.refresh()``:
  reading the drawing, preprocessing, both networks, redrawing every panel),
  after a stroke drawn with the mouse, once per animation frame as while
  drawing; the median and 95th percentile of 200
  (the percentile mostly measures what else the machine is doing: the load
  average is recorded with the figures).

And the gzipped size (level 6, as web servers compress) of what the page adds
to the site: its script and styles, the weights file and the manifest.

Usage: .venv/bin/python benchmarks/draw.py [SITE]  (about half a minute)
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import statistics
import sys
import threading
from pathlib import Path

from _common import ROOT, record

sys.path.insert(0, str(ROOT))
from mnist_lesson.data import load_mnist  # noqa: E402

IMAGES = 1000
REPEATS = 5
UPDATES = 200
FILES = ["_static/draw/draw.js", "_static/draw/draw.css", "_static/lesson-weights/weights.bin",
         "_static/lesson-weights/manifest.json"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def gzipped_sizes(site: Path) -> dict:
    sizes = {}
    for name in FILES:
        path = site / name
        if not path.is_file():
            raise SystemExit(f"{path} is missing: build the book first (make book)")
        sizes[name] = {"bytes": path.stat().st_size, "gzip_bytes": len(gzip.compress(path.read_bytes(), 6))}
    return sizes


def browser_times(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    _, (x_test, _) = load_mnist()
    images = (x_test[:IMAGES].reshape(IMAGES, -1) / 255).round(6).tolist()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/book/draw.html", wait_until="networkidle")
            page.evaluate("() => mnistLesson.ready.then(() => true)")
            timing = page.evaluate(
                """([images, repeats]) => {
                    const run = (xs) => { const t = performance.now(); for (const x of xs) mnistLesson.predict(x);
                                          return (performance.now() - t) / xs.length; };
                    run(images);  // warm up the JIT
                    const sparse = [], dense = [];
                    const full = new Array(784).fill(1);
                    for (let r = 0; r < repeats; r++) { sparse.push(run(images)); dense.push(run(new Array(200).fill(full))); }
                    return {sparse: Math.min(...sparse), dense: Math.min(...dense)};
                }""",
                [images, REPEATS],
            )
            pad = page.locator("canvas.mnist-draw-pad")
            pad.scroll_into_view_if_needed()
            box = pad.bounding_box()
            page.mouse.move(box["x"] + 0.3 * box["width"], box["y"] + 0.2 * box["height"])
            page.mouse.down()
            page.mouse.move(box["x"] + 0.7 * box["width"], box["y"] + 0.2 * box["height"], steps=10)
            page.mouse.move(box["x"] + 0.45 * box["width"], box["y"] + 0.85 * box["height"], steps=10)
            page.mouse.up()
            # One update per animation frame, as while drawing.
            updates = page.evaluate(
                """(n) => new Promise((done) => {
                    const out = [];
                    const step = () => { out.push(mnistLesson.refresh());
                                         if (out.length < n) requestAnimationFrame(step); else done(out); };
                    requestAnimationFrame(step);
                })""",
                UPDATES,
            )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"predict_ms": timing["sparse"], "predict_dense_ms": timing["dense"],
            "update_ms_median": statistics.median(updates), "update_ms_p95": sorted(updates)[int(0.95 * UPDATES)]}


def main() -> None:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build" / "html"
    sizes = gzipped_sizes(site)
    load = os.getloadavg()[0]
    times = browser_times(site)
    total = sum(s["gzip_bytes"] for s in sizes.values())
    print(f"draw-a-digit page, headless Chromium on this machine ({site}; load average {load:.1f})")
    print(f"  predict, lesson model, {IMAGES} test images  {times['predict_ms']:7.3f} ms each  (target <= 5 ms)")
    print(f"  predict, every pixel inked (worst case)   {times['predict_dense_ms']:7.3f} ms each")
    print(f"  whole page update while drawing            {times['update_ms_median']:7.2f} ms median, "
          f"{times['update_ms_p95']:.2f} ms p95 (a frame is 16.7 ms)")
    for name, size in sizes.items():
        print(f"  {name:40s} {size['bytes']:>9,} bytes, {size['gzip_bytes']:>9,} gzipped")
    print(f"  total gzipped                            {total:>9,} bytes = {total / 1024:.0f} KiB  (target <= 600 KB)")
    record("draw", {
        "predict_ms": round(times["predict_ms"], 3),
        "predict_every_pixel_ms": round(times["predict_dense_ms"], 3),
        "update_ms_median": round(times["update_ms_median"], 2),
        "update_ms_p95": round(times["update_ms_p95"], 2),
        "gzip_bytes": {name: size["gzip_bytes"] for name, size in sizes.items()},
        "gzip_bytes_total": total,
        "load_average": round(load, 1),
    })


if __name__ == "__main__":
    main()
