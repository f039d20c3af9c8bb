"""Print the book to a PDF: ``make pdf`` writes ``_build/pdf/book.pdf``.

The PDF edition is the site's pages, built as one page by Jupyter Book's
``singlehtml`` builder and printed by Debian's Chromium (through Playwright),
with a print stylesheet (``print.css``) and a pre-print step (``prepare.js``)
that adds a title page (the edition's date and commit), a table of contents
and a title page per part, starts chapters on new pages, gathers each
chapter's solutions at its end, and replaces the interactive pages listed
in ``lesson_pdf_exclude`` (``_config.yml``) by one sentence and a link.

Nothing is executed again: the one-page build reads every chapter from the
site build's execution cache (``_build/.jupyter_cache``), into a Sphinx
environment of its own (``_build/pdf/src``), so it leaves the site's build
untouched. Chromium prints twice: the first print tells on which page each
heading and each solution falls, the second writes those page numbers into
the contents and beside each exercise.

Usage: ``python book/_pdf/print_book.py [--out _build/pdf/book.pdf]`` from the
repository's root, after the site build (``make pdf`` runs that first when
``_build/html`` is missing).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import yaml

from mnist_lesson.plotting._common import COLUMN_PX

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHROMIUM = "/usr/bin/chromium"
BUILD_FLAGS = ["-n", "-W", "--keep-going"]


class PdfBuildError(RuntimeError):
    """The PDF edition could not be made; the message says why and what to do."""


def book_config(root: Path = ROOT) -> dict:
    """What the PDF needs from ``_config.yml`` and ``_toc.yml``.

    Returns a dict with ``title``, ``author``, ``site_url`` (ends in ``/``),
    ``exclude`` (docnames printed as a sentence and a link) and ``parts``
    (each a dict of ``caption``, ``numbered`` and ``docs``).
    """
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    sphinx_config = (config.get("sphinx") or {}).get("config") or {}
    exclude = sphinx_config.get("lesson_pdf_exclude") or []
    if not isinstance(exclude, list) or not all(isinstance(page, str) for page in exclude):
        raise PdfBuildError(
            f"lesson_pdf_exclude in _config.yml must be a list of pages such as book/draw, got {exclude!r}"
        )
    site = ((config.get("html") or {}).get("baseurl") or "").strip()
    parts = [
        {
            "caption": part.get("caption", ""),
            "numbered": bool(part.get("numbered")),
            "docs": [
                page["file"].removesuffix(".md")
                for chapter in part.get("chapters", [])
                for page in [chapter, *chapter.get("sections", [])]
            ],
        }
        for part in toc.get("parts", [])
    ]
    return {
        "title": config.get("title", "Untitled"),
        "author": config.get("author", ""),
        "site_url": site if site.endswith("/") or not site else site + "/",
        "exclude": [page.removesuffix(".md") for page in exclude],
        "parts": parts,
    }


def edition(root: Path = ROOT) -> tuple[str, str]:
    """The edition's date (UTC, or ``SOURCE_DATE_EPOCH``) and the commit it is built from.

    The commit is the short hash of ``HEAD``, with ``+changes`` when the work
    tree differs from it, or ``unknown`` outside a git clone.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, check=True).stdout.strip()
        commit += "+changes" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return moment.strftime("%-d %B %Y"), commit


def build_single_page(root: Path, work: Path) -> Path:
    """Build the book as one HTML page into ``work``, from the site's execution cache; return the page.

    ``work/_build/.jupyter_cache`` is a link to the site build's cache, so
    every chapter comes from there; a chapter missing from it (the site
    build not run, or stale) would be executed, so the caller checks first.
    """
    cache = root / "_build" / ".jupyter_cache"
    if not cache.is_dir():
        raise PdfBuildError(f"no execution cache at {cache}: build the site first (make book)")
    link = work / "_build" / ".jupyter_cache"
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.is_symlink():
        shutil.rmtree(link, ignore_errors=True)
        link.symlink_to(os.path.relpath(cache, link.parent))
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book), "build", str(root), "--builder", "singlehtml", "--path-output", str(work),
               *BUILD_FLAGS]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True)
    log = result.stdout + result.stderr
    executed = re.findall(r"Executing notebook", log)
    if result.returncode != 0:
        raise PdfBuildError(f"the one-page build failed (jupyter-book exit {result.returncode}):\n{log[-6000:]}")
    if executed:
        print(f"note: the one-page build executed {len(executed)} page(s) missing from the site's cache")
    page = work / "_build" / "singlehtml" / "book" / "intro.html"
    if not page.is_file():
        raise PdfBuildError(f"the one-page build wrote no {page}")
    return page


class _Server:
    """Serve a folder on 127.0.0.1 (pages load their fonts and scripts; file:// pages may not)."""

    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


FOOTER = """<div style="font-size:7.5pt;width:100%;padding:0 18mm;color:#555;display:flex;
font-family:'DejaVu Sans',sans-serif"><span style="flex:1">{title} · edition of {edition}</span>
<span><span class="pageNumber"></span></span></div>"""


def _print(browser, url: str, out: Path, options: dict) -> list[dict]:
    """Open the one-page book, prepare it for print, print it to ``out``; return its headings."""
    start = time.perf_counter()
    page = browser.new_page(viewport={"width": 660, "height": 1000})
    try:
        page.emulate_media(media="print")
        page.goto(url, wait_until="load", timeout=120_000)
        page.add_style_tag(path=str(HERE / "print.css"))
        page.wait_for_function("() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)")
        page.evaluate("() => window.MathJax ? MathJax.startup.promise : null")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        # A scaled image is a link to its own file on the site (Sphinx); in print it is just the image.
        page.evaluate("() => document.querySelectorAll('a.image-reference').forEach(a => a.replaceWith(...a.childNodes))")
        # Every image must load before printing: none may wait to be scrolled to (loading="lazy").
        page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
        page.evaluate(
            "() => Promise.all([...document.images].map(i => i.complete ? 0 : new Promise(r => { i.onload = i.onerror = r; })))"
        )
        t0 = time.perf_counter()
        headings = page.evaluate((HERE / "prepare.js").read_text(encoding="utf-8"), options)
        t1 = time.perf_counter()
        page.pdf(
            path=str(out),
            format="A4",
            margin={"top": "18mm", "bottom": "16mm", "left": "18mm", "right": "18mm"},
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER.format(title=options["title"], edition=options["edition"]),
            outline=True,
            tagged=True,
        )
        print(f"loaded in {t0 - start:.0f} s, prepared in {t1 - t0:.0f} s, printed in {time.perf_counter() - t1:.0f} s")
    finally:
        page.close()
    return headings


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _same_heading(outline_title: str, heading: str) -> bool:
    """Whether an outline entry is this heading.

    Chromium sometimes writes the text of a heading that starts a page twice
    into its outline entry ("1. 1. The dataThe data"); spaces may go missing.
    """
    entry, text = _squash(outline_title), _squash(heading)
    return bool(text) and (entry == text or (text in entry and len(entry) <= 2 * len(text) + 8))


def _outline_entries(reader) -> list:
    """The outline's entries in document order (depth first)."""
    flat = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                flat.append(item)

    walk(reader.outline)
    return flat


def _outline_nodes(root) -> list:
    """The outline's entries of a PDF being written, as dictionaries, in document order."""
    nodes = []

    def walk(node):
        while node is not None:
            node = node.get_object()
            nodes.append(node)
            walk(node.get("/First"))
            node = node.get("/Next")

    if root is not None:
        walk(root.get_object().get("/First"))
    return nodes


def heading_pages(pdf: Path, headings: list[dict]) -> dict:
    """Each heading's page (1-based), from the outline Chromium wrote, matched in document order."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    flat = [(item.title, reader.get_destination_page_number(item) + 1) for item in _outline_entries(reader)]
    pages, position = {}, 0
    for heading in headings:
        for index in range(position, len(flat)):
            if _same_heading(flat[index][0], heading["text"]):
                pages[heading["id"]] = flat[index][1]
                position = index + 1
                break
    return pages


def finish(pdf: Path, headings: list[dict], title: str, author: str, subject: str) -> None:
    """Give the outline the headings' own titles, and the PDF its title, author and subject."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(str(pdf)))
    position = 0
    texts = [h["text"] for h in headings]
    for entry in _outline_nodes(writer.root_object.get("/Outlines")):
        for index in range(position, len(texts)):
            if _same_heading(str(entry.get("/Title", "")), texts[index]):
                entry[NameObject("/Title")] = TextStringObject(texts[index])
                position = index + 1
                break
    writer.add_metadata({"/Title": title, "/Author": author, "/Subject": subject})
    with open(pdf, "wb") as handle:
        writer.write(handle)


def solution_pages(pdf: Path) -> dict:
    """The page of each solution ("Solution to Exercise 5.1" → 87), from the PDF's text."""
    from pypdf import PdfReader

    pages = {}
    for number, page in enumerate(PdfReader(str(pdf)).pages, start=1):
        for label in re.findall(r"Solution to\s*Exercise\s+(\d+\.\d+)", page.extract_text() or ""):
            pages.setdefault(f"Solution to Exercise {label}", number)
    return pages


def make_pdf(root: Path = ROOT, out: Path | None = None) -> Path:
    """Build the PDF edition from the built site; return its path."""
    from playwright.sync_api import sync_playwright

    out = out or root / "_build" / "pdf" / "book.pdf"
    if not (root / "_build" / "html" / "index.html").is_file():
        raise PdfBuildError("the site is not built (no _build/html/index.html): run make book first, or make pdf")
    if not Path(CHROMIUM).is_file():
        raise PdfBuildError(f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install chromium)")
    config = book_config(root)
    date, commit = edition(root)
    out.parent.mkdir(parents=True, exist_ok=True)
    page = build_single_page(root, root / "_build" / "pdf" / "src")
    site = page.parents[1]
    # singlehtml writes the page at the root doc's path (book/intro.html) with
    # links relative to the site's root: serve a copy from the root.
    shutil.copy2(page, site / "pdf-edition.html")
    page = site / "pdf-edition.html"
    options = {
        "title": config["title"], "author": config["author"], "edition": date, "commit": commit,
        "siteUrl": config["site_url"], "parts": config["parts"], "exclude": config["exclude"],
        "pages": {}, "solutionPages": {},
        # the site's text column in CSS px: a figure prints at the share of the column it takes there
        "columnPx": COLUMN_PX,
    }
    draft = out.with_name(out.stem + ".draft.pdf")
    with _Server(site) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            url = server.url + page.relative_to(site).as_posix()
            headings = _print(browser, url, draft, options)
            options["pages"] = heading_pages(draft, headings)
            options["solutionPages"] = solution_pages(draft)
            headings = _print(browser, url, out, options)
        finally:
            browser.close()
    draft.unlink(missing_ok=True)
    finish(out, headings, config["title"], config["author"],
           f"PDF edition of {date}, built from commit {commit}")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / "book.pdf", help="the PDF to write")
    args = parser.parse_args(argv)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # Chromium's PDFs make it note trailer sizes
    start = time.perf_counter()
    try:
        out = make_pdf(ROOT, args.out.resolve())
    except PdfBuildError as error:
        print(f"make pdf: {error}", file=sys.stderr)
        return 1
    size = out.stat().st_size / 2**20
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} ({size:.1f} MB) "
          f"in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
