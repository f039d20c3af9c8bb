"""Benchmark the PDF edition (``make pdf``) after the site build.

Runs the print script (``book/_pdf/print_book.py``) twice on the built site:
the first run builds the one-page edition into its own Sphinx environment
(``_build/pdf/src``, removed first), the second finds it built. Prints the
wall time of each and the PDF's size, pages and images, and records them in benchmarks/results.json.

Usage: .venv/bin/python benchmarks/pdf.py  (after `make book`; a few minutes)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

from _common import ROOT, record

TARGET_MEGABYTES = 20
OUT = ROOT / "_build" / "pdf" / "book.pdf"


def run() -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, str(ROOT / "book" / "_pdf" / "print_book.py"), "--out", str(OUT)],
                            cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"make pdf failed:\n{result.stdout}{result.stderr}")
    if "executed" in result.stdout:
        raise SystemExit(f"the PDF build executed pages:\n{result.stdout}")
    return seconds


def main() -> None:
    if not (ROOT / "_build" / "html" / "index.html").is_file():
        raise SystemExit("build the site first: make book")
    shutil.rmtree(ROOT / "_build" / "pdf" / "src", ignore_errors=True)
    first = run()
    again = run()
    from pypdf import PdfReader

    reader = PdfReader(str(OUT))
    images = {img.indirect_reference.idnum for page in reader.pages for img in page.images if img.indirect_reference}
    size = OUT.stat().st_size / 2**20
    print(f"make pdf, site built, one-page build fresh: {first:6.1f} s")
    print(f"make pdf again (one-page build up to date): {again:6.1f} s")
    print(f"PDF: {size:5.1f} MB (target <= {TARGET_MEGABYTES} MB), {len(reader.pages)} pages, {len(images)} images")
    record(
        "pdf",
        {
            "seconds_fresh": round(first, 1),
            "seconds_again": round(again, 1),
            "megabytes": round(size, 2),
            "pages": len(reader.pages),
            "images": len(images),
        },
    )


if __name__ == "__main__":
    main()
