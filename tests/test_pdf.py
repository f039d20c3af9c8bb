"""The PDF edition (``make pdf``): printed from the built site, read back with pypdf.

The PDF is made once per session from the site that ``built_site`` built
(``book/_pdf/print_book.py``, what ``make pdf`` runs), and checked against
that site: every chapter title in its text, the nine chapters in its outline
in order under their parts, no markup left unrendered, every figure of the
site among its images, the edition's date and commit on its title page, and
every exercise's solution gathered at the end of its chapter.
"""

from __future__ import annotations

import importlib.util
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from book_pages import CHAPTERS
from bs4 import BeautifulSoup

pytestmark = [pytest.mark.slow, pytest.mark.data, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
MAX_BYTES = 20 * 2**20


def _print_book():
    spec = importlib.util.spec_from_file_location("print_book", ROOT / "book" / "_pdf" / "print_book.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [chapter["file"].removesuffix(".md") for part in toc["parts"] for chapter in part["chapters"]]


def _excluded() -> list[str]:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return config["sphinx"]["config"].get("lesson_pdf_exclude") or []


def _site_title(site: Path, page: str) -> str:
    """A page's title as the site shows it, with its chapter number ("5. Confusion matrices")."""
    soup = BeautifulSoup((site / f"{page}.html").read_text(), "html.parser")
    heading = soup.find("article").find("h1")
    for anchor in heading.find_all("a", class_="headerlink"):
        anchor.decompose()
    return " ".join(heading.get_text().split())


@pytest.fixture(scope="session")
def pdf(built_site, require):
    """Print the book (as ``make pdf`` does) and return its path."""
    require(CHROMIUM.exists(), "Chromium", "apt-get install -y chromium")
    out = ROOT / "_build" / "pdf" / "book.pdf"
    result = subprocess.run(
        [sys.executable, str(ROOT / "book" / "_pdf" / "print_book.py"), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=1800,
    )
    assert result.returncode == 0, "make pdf failed:\n" + (result.stdout + result.stderr)[-6000:]
    assert "executed" not in result.stdout, "the PDF build executed pages the site build had executed:\n" + result.stdout
    return out


@pytest.fixture(scope="session")
def reader(pdf):
    from pypdf import PdfReader

    return PdfReader(str(pdf))


@pytest.fixture(scope="session")
def pages_text(reader) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


@pytest.fixture(scope="session")
def text(pages_text) -> str:
    return " ".join(pages_text)


def _outline(reader) -> list[tuple[int, str, int]]:
    """(depth, title, page) of every outline entry, in order."""
    entries = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                entries.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return entries


def test_pdf_is_written_and_small_enough(pdf):
    size = pdf.stat().st_size
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert 100_000 < size <= MAX_BYTES, f"the PDF has {size / 2**20:.1f} MB (at most {MAX_BYTES / 2**20:.0f} MB)"


def test_text_holds_every_chapter_title(built_site, text):
    for page in _toc_pages():
        if page in _excluded():
            continue
        title = _site_title(built_site, page)
        assert title in text, f"the PDF's text lacks the title of {page}: {title!r}"


def test_outline_has_the_chapters_in_order_under_their_parts(built_site, reader):
    outline = _outline(reader)
    numbered = [(depth, title) for depth, title, _ in outline if re.match(r"\d+\. ", title)]
    chapters = [_site_title(built_site, page) for page in _toc_pages()]
    chapters = [title for title in chapters if re.match(r"\d+\. ", title)]
    assert len(chapters) == len(CHAPTERS)
    assert [title for _, title in numbered] == chapters
    assert {depth for depth, _ in numbered} == {1}, "chapters sit one level below their parts"
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    top = [title for depth, title, _ in outline if depth == 0]
    for part in toc["parts"]:
        assert part["caption"] in top, f"no bookmark for the part {part['caption']!r}"
    pages = [page for _, _, page in outline]
    assert pages == sorted(pages), "bookmarks out of page order"


def test_every_section_has_a_bookmark(built_site, reader):
    titles = {title for _, title, _ in _outline(reader)}
    soup = BeautifulSoup((built_site / "book" / "confusion.html").read_text(), "html.parser")
    for heading in soup.find("article").find_all("h2"):
        for anchor in heading.find_all("a", class_="headerlink"):
            anchor.decompose()
        name = " ".join(heading.get_text().split())
        assert name in titles, f"no bookmark for the section {name!r}"


def test_no_unrendered_markup(reader, pages_text):
    # The API reference quotes markup in its docstrings' examples (myst_leftovers): left out.
    outline = [(title, page) for depth, title, page in _outline(reader) if depth == 1]
    api = next(i for i, (title, _) in enumerate(outline) if title == "API reference")
    first, after = outline[api][1], outline[api + 1][1]
    text = " ".join(page for number, page in enumerate(pages_text, start=1) if not first <= number < after)
    assert len(text) > 100_000
    for markup in ("{glue", "{ref}", "{numref}", "{eq}", "{cite", ":::{", "```{", "??", "$$"):
        assert markup not in text, f"unrendered markup {markup!r} in the PDF"
    raw_tex = re.findall(r"\\(?:frac|sum|mathbf|begin|left|right|hat|sqrt|cdot)\b", text)
    assert not raw_tex, f"raw TeX left for MathJax: {raw_tex[:5]}"
    raw_math = re.findall(r"\$[^$]{0,80}\\[a-zA-Z]+[^$]{0,80}\$", text)
    assert not raw_math, f"raw $...$ maths: {raw_math[:3]}"


def _image_placements(reader) -> list[tuple[int, int, float]]:
    """(page, width in pixels, printed width in inches) of every image drawn, also inside forms."""
    from pypdf.generic import ContentStream

    def times(a, b):
        return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
                a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]

    def walk(content, resources, ctm, page_no):
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects else {}
        saved = []
        for operands, op in content.operations:
            if op == b"q":
                saved.append(ctm)
            elif op == b"Q" and saved:
                ctm = saved.pop()
            elif op == b"cm":
                ctm = times([float(v) for v in operands], ctm)
            elif op == b"Do" and operands[0] in xobjects:
                xobject = xobjects[operands[0]].get_object()
                if xobject.get("/Subtype") == "/Image":
                    placed.append((page_no, int(xobject["/Width"]), math.hypot(ctm[0], ctm[1]) / 72))
                elif xobject.get("/Subtype") == "/Form":
                    matrix = [float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    inner = xobject.get("/Resources")
                    walk(ContentStream(xobject, reader), inner.get_object() if inner else resources,
                         times(matrix, ctm), page_no)

    placed = []
    for number, page in enumerate(reader.pages, start=1):
        walk(ContentStream(page.get_contents(), reader), page["/Resources"].get_object(), [1, 0, 0, 1, 0, 0], number)
    return placed


def test_figures_print_at_200_dpi_or_more(reader):
    figures = [(page, pixels, inches) for page, pixels, inches in _image_placements(reader) if pixels > 300]
    assert figures, "no figures found in the PDF"
    low = [f"page {page}: {pixels} px over {inches:.2f} in ({pixels / inches:.0f} dpi)"
           for page, pixels, inches in figures if pixels / inches < 200]
    assert not low, "figures print below 200 dpi: " + "; ".join(low)


def test_every_figure_of_the_site_is_in_it(built_site, reader):
    site_images = set()
    for page in _toc_pages():
        if page in _excluded():
            continue
        article = BeautifulSoup((built_site / f"{page}.html").read_text(), "html.parser").find("article")
        site_images |= {img["src"].rsplit("/", 1)[-1] for img in article.find_all("img")}
    pdf_images = set()
    for page in reader.pages:
        for image in page.images:
            pdf_images.add(image.indirect_reference.idnum if image.indirect_reference else id(image))
    assert site_images, "no images found on the site"
    assert len(pdf_images) == len(site_images), (
        f"the site shows {len(site_images)} distinct images, the PDF holds {len(pdf_images)}"
    )


def test_title_page_names_the_edition_and_its_commit(pages_text):
    commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    first = pages_text[0]
    assert "How a Neural Network Sees" in first
    assert re.search(r"Edition of \d{1,2} \w+ \d{4}", first), first
    assert commit and commit in first, f"the title page lacks the commit {commit}: {first}"


def test_contents_give_page_numbers(reader, pages_text):
    contents = next(i for i, page in enumerate(pages_text) if page.startswith("Contents"))
    for depth, title, page in _outline(reader):
        if re.match(r"\d+\. ", title) and depth == 1:
            chunk = " ".join(pages_text[contents:contents + 6])
            assert re.search(re.escape(title) + r"\s*\.*\s*" + str(page) + r"\b", chunk), (
                f"the contents do not give page {page} for {title!r}"
            )


def test_solutions_are_gathered_at_the_end_of_each_chapter(built_site, pages_text, text):
    exercises = set()
    for page in _toc_pages():
        html = (built_site / f"{page}.html").read_text()
        exercises |= set(re.findall(r'caption-number">Exercise (\d+\.\d+)', html))
    assert len(exercises) >= 9
    for number in sorted(exercises):
        assert f"Solution to Exercise {number}" in text, f"no solution to exercise {number} in the PDF"
        chapter = number.split(".")[0]
        heading = f"Solutions to the exercises of chapter {chapter}"
        where = [i for i, page in enumerate(pages_text) if heading in page]
        solution = [i for i, page in enumerate(pages_text) if f"Solution to Exercise {number}" in page]
        assert where and solution and solution[0] >= where[0], f"the solution to {number} is not after {heading!r}"
    assert "Solution: page" in text, "the exercises do not give their solution's page"


def test_links_stay_in_the_book_or_go_to_the_web(reader):
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            uri = str(action.get_object().get("/URI", "")) if action else ""
            assert not uri.startswith(("http://127.0.0.1", "file:")), f"page {number} links to the build: {uri}"


def test_interactive_pages_are_replaced_by_a_link(tmp_path):
    module = _print_book()
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/intro\nparts:\n  - caption: A\n"
                                       "    chapters:\n      - file: book/data\n")
    (tmp_path / "_config.yml").write_text("title: T\nhtml:\n  baseurl: https://example.org/book\n"
                                          "sphinx:\n  config:\n    lesson_pdf_exclude: [book/draw.md]\n")
    config = module.book_config(tmp_path)
    assert config["exclude"] == ["book/draw"]
    assert config["site_url"] == "https://example.org/book/"
    assert config["parts"] == [{"caption": "A", "numbered": False, "docs": ["book/data"]}]
    (tmp_path / "_config.yml").write_text("title: T\nsphinx:\n  config:\n    lesson_pdf_exclude: book/draw\n")
    with pytest.raises(module.PdfBuildError, match="lesson_pdf_exclude .* must be a list"):
        module.book_config(tmp_path)


def test_outline_titles_are_the_headings_even_when_chromium_doubles_them():
    module = _print_book()
    assert module._same_heading("1. 1. The dataThe data", "1. The data")
    assert module._same_heading("How a Neural Network SeesMNIST", "How a Neural Network Sees MNIST")
    assert not module._same_heading("2. One-hot encoding", "1. The data")
    assert not module._same_heading("Exercises", "")


def test_the_site_links_the_pdf_from_the_introduction_and_the_download_menu(built_site):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    base = config["html"]["baseurl"]
    url = (base if base.endswith("/") else base + "/") + "book.pdf"
    intro = BeautifulSoup((built_site / "book" / "intro.html").read_text(), "html.parser")
    assert intro.find("article").find("a", href=url), f"the introduction does not link {url}"
    for page in _toc_pages():
        soup = BeautifulSoup((built_site / f"{page}.html").read_text(), "html.parser")
        menu = soup.find(class_="dropdown-download-buttons")
        assert menu is not None and menu.find("a", href=url), f"{page}: no PDF in the download menu"


MINI_BOOK = """<html><head><title>site</title></head><body><header class="bd-header">menu</header>
<article class="bd-article"><section id="root"><h1>The Book<a class="headerlink" href="#root">#</a></h1>
<p class="lesson-pdf-edition">The PDF edition link.</p>
<div class="toctree-wrapper compound"><span id="document-book/data"></span>
<section id="the-data"><h2><span class="section-number">1. </span>The data</h2>
<section id="ex"><h3>1.1. Exercises</h3>
<div class="exercise admonition" id="data-ex-one"><p class="admonition-title">Exercise 1.1</p>
<section id="exercise-content"><p>Count the pixels.</p></section></div>
<div class="solution dropdown admonition toggle-hidden" id="book/data-solution-1">
<p class="admonition-title">Solution to<a href="book/intro.html#data-ex-one"> Exercise 1.1</a></p>
<section id="solution-content"><p>There are 784.</p></section></div></section></section></div>
<div class="toctree-wrapper compound"><span id="document-book/draw"></span>
<section id="try-it"><h2>Try it: draw a digit</h2><canvas></canvas><p>Draw here.</p></section></div>
</section></article></body></html>"""


def test_prepare_builds_the_book_structure(tmp_path, browser):
    """The pre-print step on a tiny site: parts, solutions moved, links fixed, an interactive page replaced."""
    page_file = tmp_path / "book.html"
    page_file.write_text(MINI_BOOK)
    options = {
        "title": "The Book", "author": "Us", "edition": "1 March 2026", "commit": "abc123", "siteUrl": "https://example.org/",
        "parts": [{"caption": "Data part", "numbered": True, "docs": ["book/data"]},
                  {"caption": "Back matter", "numbered": False, "docs": ["book/draw"]}],
        "exclude": ["book/draw"], "pages": {}, "solutionPages": {"Solution to Exercise 1.1": 7},
    }
    page = browser.new_page()  # the session's Chromium (tests/conftest.py)
    try:
        page.goto(page_file.as_uri())
        headings = page.evaluate((ROOT / "book" / "_pdf" / "prepare.js").read_text(), options)
        body = page.inner_text("body")
        html = page.content()
    finally:
        page.close()
    assert "menu" not in body, "the site's header is left"
    assert "Edition of 1 March 2026, built from commit abc123" in " ".join(body.split())
    assert "Part I" in body and "Data part" in body and "Back matter" in body
    assert "Introduction" in body and "The PDF edition link" not in body
    assert "Draw here" not in body and "<canvas" not in html
    assert "This page is interactive and is not printed" in body and "https://example.org/book/draw.html" in body
    assert "Solutions to the exercises of chapter 1" in body
    assert body.index("Solutions to the exercises of chapter 1") < body.index("There are 784")
    assert "Solution: page 7." in body
    assert 'href="#data-ex-one"' in html and "book/intro.html#" not in html
    assert [h["text"] for h in headings][:2] == ["The Book", "Contents"]
    assert "1. The data" in [h["text"] for h in headings]
