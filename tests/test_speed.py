"""What makes the site fast on a phone, checked on the built pages (issue 13, speed).

Static checks of the built HTML: no script in a page's ``<head>`` blocks
rendering, the search index is loaded only by the search page, every image of
a page's text has ``width`` and ``height``, and images below the first screen
load lazily. In Chromium: the search still finds a chapter from the search box,
the deferred scripts run without console errors, and the images marked lazy
are below the first screen of a phone while the eager ones are on it.
Lighthouse itself runs in ``benchmarks/lighthouse.py``, not here.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))

from lesson_book import loading  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.data]

#: Pages of the book (the site's HTML files under book/, and the search page).
def book_pages(site: Path) -> list[Path]:
    return sorted((site / "book").glob("*.html"))


class Head(HTMLParser):
    """The ``<script>`` tags of a page's ``<head>`` and every ``<img>`` of its ``<article>``."""

    def __init__(self):
        super().__init__()
        self.in_head, self.article = False, 0
        self.scripts, self.images = [], []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "article":
            self.article += 1
        elif tag == "script" and self.in_head:
            self._script = {**attrs, "body": ""}
            self.scripts.append(self._script)
        elif tag == "img" and self.article:
            self.images.append(attrs)

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        elif tag == "article":
            self.article -= 1
        elif tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script["body"] += data


def parse(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def blocking(scripts) -> list[str]:
    """Script files of a ``<head>`` that block rendering (neither deferred, async nor modules)."""
    return [s["src"] for s in scripts if s.get("src") and "defer" not in s and "async" not in s
            and s.get("type") != "module"]


# --------------------------------------------------------------------------- unit checks


def test_a_head_parser_finds_blocking_scripts():
    head = Head()
    head.feed('<html><head><script src="a.js"></script><script defer src="b.js"></script>'
              '<script async="async" src="c.js"></script><script>var x;</script></head>'
              '<body><article><img src="i.png"></article><img src="logo.png"></body></html>')
    assert blocking(head.scripts) == ["a.js"]
    assert [i["src"] for i in head.images] == ["i.png"]


def test_images_after_the_first_screen_of_text_are_marked_lazy():
    from docutils import nodes
    from docutils.utils import new_document

    doc = new_document("page")
    first, second = nodes.image(uri="a.png"), nodes.image(uri="b.png")
    doc += [nodes.paragraph(text="short"), first, nodes.paragraph(text="x" * (loading.FOLD_CHARACTERS + 1)), second]
    assert loading.mark_lazy_images(doc) == 1
    assert "loading" not in first and second["loading"] == "lazy"


def test_script_files_are_deferred_and_the_options_inlined():
    from sphinx.builders.html._assets import _JavaScript

    scripts = [
        _JavaScript("documentation_options.js", priority=200),
        _JavaScript("doctools.js"),
        _JavaScript("", body="DOCUMENTATION_OPTIONS.pagename = 'x';"),
        _JavaScript("thebe.js", **{"async": "async"}),
        _JavaScript("maths.js", defer="defer"),
    ]
    out = loading.deferred_scripts(scripts, "const DOCUMENTATION_OPTIONS = {};")
    assert out[0].filename == "" and out[0].attributes["body"] == "const DOCUMENTATION_OPTIONS = {};"
    assert out[0].priority == 200
    assert out[1].filename == "doctools.js" and out[1].attributes == {"defer": "defer"}
    assert out[2:] == scripts[2:]


def test_unused_extension_assets_are_not_listed():
    from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript

    css = [_CascadingStyleSheet(n) for n in ("pygments.css", "sphinx-thebe.css", "sphinx-design.min.css", "lesson.css")]
    scripts = [_JavaScript("", body='const THEBE_JS_URL = "x"'), _JavaScript("sphinx-thebe.js", **{"async": "async"}),
               _JavaScript("design-tabs.js"), _JavaScript("doctools.js")]
    kept_css, kept_js = loading.without_unused_assets(css, scripts, '<p class="x">text</p>', thebe=False)
    assert [c.filename for c in kept_css] == ["pygments.css", "lesson.css"]
    assert [j.filename for j in kept_js] == ["doctools.js"]
    kept_css, kept_js = loading.without_unused_assets(css, scripts, '<div class="sd-tab-set docutils">', thebe=True)
    assert kept_css == css and kept_js == scripts


def test_the_theme_stylesheet_carries_basic_css_instead_of_importing_it():
    import pydata_sphinx_theme

    theme_css = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "styles"
                 / "theme.css").read_text()
    assert "@import" in theme_css, "the theme no longer imports basic.css: drop flatten_theme_css"
    files = {"../basic.css": "div.x { background-image: url(file.png); }\n a { background: url('data:x') }"}
    flat = loading.flatten_theme_css(theme_css, files.__getitem__)
    assert "@import" not in flat and "url(../file.png)" in flat and "url('data:x')" in flat


# --------------------------------------------------------------------------- the built pages


def test_no_stylesheet_is_imported_and_unused_ones_are_not_linked(built_site):
    theme_css = (built_site / "_static" / "styles" / "theme.css").read_text()
    assert "@import" not in theme_css and "div.body" in theme_css
    from bs4 import BeautifulSoup

    for page in book_pages(built_site):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        links = [link.get("href", "") for link in soup.find_all("link", rel="stylesheet")]
        uses_design = bool(soup.select('[class*="sd-"]'))
        assert uses_design or not any("sphinx-design" in h for h in links), page.name
        assert not any("sphinx-thebe" in h for h in links), page.name


def test_each_page_links_the_book_stylesheets_as_one_file_that_holds_them_all(built_site):
    from bs4 import BeautifulSoup

    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from lesson_book import stylesheets

    bundle = (built_site / stylesheets.BUNDLE).read_text()
    parts = re.findall(r"^/\* (_static/\S+\.css) \*/$", bundle, re.M)
    assert "_static/lesson.css" in parts and "_static/pygments.css" in parts and len(parts) >= 6, parts
    for part in parts:
        assert (built_site / part).is_file(), f"{part} is bundled but not in the site"
    for page in [*book_pages(built_site), built_site / "search.html"]:
        soup = BeautifulSoup(page.read_text(), "html.parser")
        links = [re.sub(r"^(\.\./)+", "", link["href"].split("?")[0]) for link in soup.find_all("link", rel="stylesheet")]
        assert links.count(stylesheets.BUNDLE) == 1, (page.name, links)
        assert not set(links) & set(parts), (page.name, links)
        assert len(links) <= 4, f"{page.name} links {len(links)} stylesheets: {links}"


def test_icon_fonts_are_in_the_theme_stylesheet_and_launch_logos_load_lazily(built_site):
    theme_css = (built_site / "_static" / "styles" / "pydata-sphinx-theme.css").read_text()
    faces = re.findall(r"@font-face\s*\{[^}]*\}", theme_css)
    assert faces and all("url(data:font/woff2;base64," in face for face in faces if "woff2" in face), faces[:1]
    logos = 0
    for page in book_pages(built_site):
        for img in re.findall(r"<img [^>]*alt=\"[^\"]* logo\"[^>]*>", page.read_text()):
            logos += 1
            assert 'loading="lazy"' in img, (page.name, img)
    assert logos, "no launch-menu logo found: check the theme's buttons"


def test_every_formula_finds_its_glyph_outlines_on_its_page(built_site):
    shared = 0
    for page in book_pages(built_site):
        html = page.read_text()
        ids = re.findall(r'<path id="(MJX-[^"]+)"', html)
        uses = set(re.findall(r'<use [^>]*href="#(MJX-[^"]+)"', html))
        assert len(ids) == len(set(ids)), f"{page.name}: a glyph outline is written twice"
        assert uses <= set(ids), f"{page.name}: {sorted(uses - set(ids))[:5]} have no outline on the page"
        shared += len(re.findall(r"<use ", html)) - len(ids)
    assert shared > 500, "formulas reuse the outlines drawn before them"


def test_no_script_in_a_head_blocks_rendering(built_site):
    pages = [*book_pages(built_site), built_site / "index.html", built_site / "search.html"]
    found = {p.name: blocking(parse(p).scripts) for p in pages}
    assert not {k: v for k, v in found.items() if v}, f"render-blocking scripts: {found}"


def test_the_search_index_is_loaded_only_by_the_search_page(built_site):
    for page in book_pages(built_site):
        sources = [s.get("src", "") for s in parse(page).scripts]
        assert not any("searchindex.js" in s or "searchtools.js" in s for s in sources), page.name
    search = [s.get("src", "") for s in parse(built_site / "search.html").scripts]
    assert [s for s in search if re.search(r"searchtools\.js|language_data\.js|searchindex\.js", s)] == [
        "_static/searchtools.js", "_static/language_data.js", "searchindex.js"
    ]


def test_documentation_options_are_inlined_as_sphinx_wrote_them(built_site):
    """The inline copy must say what Sphinx's own file says, and come before the scripts that use it."""
    written = (built_site / "_static" / loading.OPTIONS_FILE).read_text(encoding="utf-8").strip()
    for page in book_pages(built_site):
        scripts = parse(page).scripts
        bodies = [s["body"].strip() for s in scripts]
        assert written in bodies, f"{page.name}: documentation options not inlined"
        first_use = min(i for i, b in enumerate(bodies) if "DOCUMENTATION_OPTIONS." in b)
        assert bodies.index(written) < first_use, page.name


def test_every_image_has_its_size_and_those_below_the_first_screen_load_lazily(built_site):
    missing, eager = {}, {}
    lazy_pages = 0
    for page in book_pages(built_site):
        images = parse(page).images
        unsized = [i.get("src") for i in images if not (i.get("width", "").isdigit() and i.get("height", "").isdigit())]
        if unsized:
            missing[page.name] = unsized
        lazy = [i.get("loading") == "lazy" for i in images]
        lazy_pages += any(lazy)
        # Once one image is lazy, every later one is too (lazy means: after the first screen of text).
        if True in lazy and not all(lazy[lazy.index(True):]):
            eager[page.name] = lazy
    assert not missing, f"images without width and height: {missing}"
    assert not eager, f"images after a lazy one that load eagerly: {eager}"
    assert lazy_pages >= 9, "fewer pages with lazy images than chapters: is loading.py set up?"


def test_image_sizes_are_the_files_sizes(built_site):
    from PIL import Image

    page = built_site / "book" / "confusion.html"
    images = parse(page).images
    assert images
    for attrs in images:
        with Image.open((page.parent / attrs["src"]).resolve()) as image:
            assert (int(attrs["width"]), int(attrs["height"])) == image.size, attrs["src"]


# --------------------------------------------------------------------------- in Chromium


@pytest.mark.browser
def test_search_from_the_search_box_finds_a_chapter(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(urljoin(site_url, "book/intro.html"), wait_until="load")
        page.keyboard.press("Control+k")
        field = page.locator("#pst-search-dialog input[name=q]")
        field.fill("confusion")
        field.press("Enter")
        page.wait_for_url(re.compile(r"search\.html\?q=confusion"))
        page.wait_for_selector("#search-results li a", timeout=20000)
        hrefs = [a.get_attribute("href") for a in page.query_selector_all("#search-results li a")]
        assert any("book/confusion.html" in (h or "") for h in hrefs), hrefs
        assert not errors, errors
    finally:
        context.close()


LAYOUT = """
() => {
    const eager = [], lazy = [];
    for (const img of document.querySelectorAll("article img")) {
        const top = img.getBoundingClientRect().top + window.scrollY;
        (img.loading === "lazy" ? lazy : eager).push({src: img.getAttribute("src"), top: Math.round(top),
            shown: [img.clientWidth, img.clientHeight], natural: [img.naturalWidth, img.naturalHeight]});
    }
    return {eager, lazy, screen: window.innerHeight,
            options: typeof DOCUMENTATION_OPTIONS === "object" && DOCUMENTATION_OPTIONS.pagename};
}
"""


LOAD_ALL = """
async () => {
    for (const img of document.querySelectorAll("article img")) {
        img.scrollIntoView();
        try { await img.decode(); } catch (e) {}
    }
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("name", ["intro", "data", "model", "confusion", "tsne", "draw"])
def test_deferred_scripts_run_and_lazy_images_are_below_the_first_screen(browser, site_url, name):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(urljoin(site_url, f"book/{name}.html"), wait_until="load")
        page.wait_for_load_state("networkidle")
        result = page.evaluate(LAYOUT)
        assert all(img["top"] > result["screen"] for img in result["lazy"]), f"{name}: lazy image on the first screen: {result}"
        # Then every image loaded (scrolled to, as a reader would), to compare its drawn and its own proportions.
        page.evaluate(LOAD_ALL)
        result = page.evaluate(LAYOUT)
        assert not errors, f"{name}: console errors: {errors}"
        assert result["options"] == f"book/{name}", "the theme's page options did not run after the inlined ones"
        # The theme's script ran (it sets the colour mode on the buttons); copybutton added its buttons.
        assert page.evaluate("document.documentElement.dataset.mode") in ("light", "dark", "auto")
        if page.query_selector("div.highlight pre"):
            assert page.query_selector("button.copybtn"), f"{name}: copybutton.js did not run"
        for img in result["eager"] + result["lazy"]:
            assert img["natural"][0] and img["shown"][0], f"{name}: {img['src']} not shown: {img}"
            shown = img["shown"][1] / img["shown"][0]
            natural = img["natural"][1] / img["natural"][0]
            assert abs(shown - natural) < 0.02 * natural, f"{name}: {img['src']} drawn out of proportion: {img}"
    finally:
        context.close()


# --------------------------------------------------------------------------- the page-weight benchmark


def test_page_weight_counts_everything_a_reader_downloads(built_site):
    """benchmarks/build.py's page weight: the page, its images, scripts, styles and their fonts."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import build as build_benchmark
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    page = built_site / "book" / "confusion.html"
    files = build_benchmark.page_assets(page)
    suffixes = {p.suffix for p in files}
    assert {".html", ".png", ".js", ".css"} <= suffixes, suffixes
    assert ".woff2" not in suffixes, "the icon fonts travel inside the theme's stylesheet"
    for name in ("styles/theme.css", "styles/pydata-sphinx-theme.css", "lesson-styles.css"):
        assert (built_site / "_static" / name).resolve() in files, f"{name} is counted"
    for attrs in parse(page).images:
        assert (page.parent / attrs["src"]).resolve() in files
    weights = build_benchmark.page_weights(built_site)
    assert weights["confusion"]["bytes"] == sum(p.stat().st_size for p in files)
    assert 0 < weights["confusion"]["served_bytes"] < weights["confusion"]["bytes"]
