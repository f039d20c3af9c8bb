"""The published site in a real browser: Debian's Chromium driven by Playwright.

The built site is served over HTTP on 127.0.0.1 and every page of the book is
visited the way a reader meets it: it must load without console errors or
failed requests, show every image with alt text, carry no error output or
TensorFlow noise, fit a phone's width, and pass axe-core's accessibility
checks (no serious or critical violations) in the light and the dark theme.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import nbformat
import pytest
from book_pages import CHAPTERS

from mnist_lesson.notebooks import chapter_files

ROOT = Path(__file__).resolve().parents[1]
#: The book's pages in reading order (from _toc.yml), as paths below book/ without suffix
#: ("data", "api/index", "api/data").
PAGES = [p.relative_to(ROOT / "book").with_suffix("").as_posix() for p in chapter_files(ROOT / "book")]
NOISE = ["Traceback (most recent call last)", "DeprecationWarning", "UserWarning", "oneDNN", "absl::",
         "cuInit", "I0000 00:00", "E0000 00:00", "ms/step"]

#: Console messages that come from the theme, not from this project, with the reason.
KNOWN_THEME_CONSOLE = []

pytestmark = [pytest.mark.slow, pytest.mark.data, pytest.mark.browser]


class Visit:
    """One page opened in a fresh browser context, with what it logged."""

    def __init__(self, browser, url, *, width=1280, height=900, theme="light"):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.context.add_init_script(
            f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');"
        )
        self.page = self.context.new_page()
        self.console, self.failed = [], []
        self.page.on("console", lambda m: self.console.append((m.type, m.text)) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.console.append(("pageerror", str(e))))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("response", lambda r: self.failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None)
        self.response = self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def close(self):
        self.context.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def page_url(site_url: str, name: str) -> str:
    return urljoin(site_url, f"book/{name}.html")


def unexpected_console(console) -> list:
    return [entry for entry in console if not any(re.search(p, entry[1]) for p, _ in KNOWN_THEME_CONSOLE)]


LOAD_IMAGES = """
async () => Promise.all(Array.from(document.images).map(async (img) => {
    img.loading = "eager";
    try { await img.decode(); } catch (e) {}
    return {src: img.getAttribute("src"), ok: img.complete && img.naturalWidth > 0,
            alt: (img.getAttribute("alt") || "").trim()};
}))
"""

OVERFLOW = """
() => {
    const limit = window.innerWidth + 1;
    const scrolls = (el) => {
        for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
            const style = getComputedStyle(node);
            if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) return true;
        }
        return false;
    };
    const out = [];
    for (const el of document.querySelectorAll("article *")) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= limit) continue;
        if (getComputedStyle(el).position === "fixed" || scrolls(el)) continue;
        out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} ends at ${Math.round(box.right)}px`);
    }
    return {document: document.documentElement.scrollWidth, viewport: window.innerWidth, elements: out.slice(0, 10)};
}
"""


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_cleanly_with_images_and_alt_text(browser, site_url, name):
    with Visit(browser, page_url(site_url, name)) as visit:
        assert visit.response.status == 200, f"{name}: HTTP {visit.response.status}"
        images = visit.page.evaluate(LOAD_IMAGES)
        broken = [img["src"] for img in images if not img["ok"]]
        assert not broken, f"{name}: images that did not load: {broken}"
        no_alt = [img["src"] for img in images if not img["alt"]]
        assert not no_alt, f"{name}: images without alt text: {no_alt}"
        text = visit.page.inner_text("article")
        for bad in NOISE:
            assert bad not in text, f"{name}: {bad!r} on the page"
        errors = visit.page.query_selector_all("article .output.error, article .output.traceback, article .output.stderr")
        assert not errors, f"{name}: {len(errors)} error output cell(s)"
        local_failures = [f for f in visit.failed if f.startswith(site_url)]
        assert not local_failures, f"{name}: failed requests: {local_failures}"
        assert not unexpected_console(visit.console), f"{name}: console errors: {visit.console}"


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_phone(browser, site_url, name):
    with Visit(browser, page_url(site_url, name), width=390, height=844) as visit:
        result = visit.page.evaluate(OVERFLOW)
        assert result["document"] <= result["viewport"] + 1 and not result["elements"], (
            f"{name} overflows a 390 px screen: {result}"
        )


#: axe-core violations in the theme's own widgets that this project cannot fix through its
#: configuration: (rule, selector of the offending node, reason). Anything else fails.
KNOWN_THEME_VIOLATIONS = [
    (
        "label-content-name-mismatch",
        r"search-button",
        "pydata-sphinx-theme labels its search button 'Search' while it also shows the "
        "keyboard shortcut (Ctrl+K) as text",
    ),
    (
        "label-content-name-mismatch",
        r"theme-switch-button",
        "pydata-sphinx-theme's light/dark switch has an aria-label that differs from its hidden text",
    ),
]


def serious_violations(page, axe_source):
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async () => {
            const r = await axe.run({exclude: [[".cell_output"], [".output"]]}, {resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.html.slice(0, 160))}));
        }"""
    )
    remaining = []
    for violation in result:
        if violation["impact"] not in ("serious", "critical"):
            continue
        nodes = [
            node
            for node in violation["nodes"]
            if not any(rule == violation["id"] and re.search(where, node) for rule, where, _ in KNOWN_THEME_VIOLATIONS)
        ]
        if nodes:
            remaining.append({**violation, "nodes": nodes[:5]})
    return remaining


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible(browser, site_url, axe_source, name, theme):
    with Visit(browser, page_url(site_url, name), theme=theme) as visit:
        mode = visit.page.evaluate("document.documentElement.dataset.theme")
        assert mode == theme, f"{name}: the page is in {mode} mode, not {theme}"
        violations = serious_violations(visit.page, axe_source)
        assert not violations, f"{name} ({theme}): " + "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations
        )


def test_search_finds_the_confusion_chapter(browser, site_url):
    with Visit(browser, urljoin(site_url, "search.html?q=confusion")) as visit:
        visit.page.wait_for_selector("#search-results li a", timeout=20000)
        hrefs = [a.get_attribute("href") for a in visit.page.query_selector_all("#search-results li a")]
        assert any("book/confusion.html" in (h or "") for h in hrefs), hrefs


def follow(page, selector: str, limit: int) -> list[str]:
    """Pages reached by clicking ``selector`` from the current page on, the first included."""
    def stem():
        path = page.url.split("#")[0].split("?")[0]
        return path.split("/book/", 1)[1].removesuffix(".html")

    seen = [stem()]
    for _ in range(limit):
        link = page.query_selector(selector)
        if link is None:
            break
        page.goto(urljoin(page.url, link.get_attribute("href")))
        seen.append(stem())
    return seen


def test_next_and_previous_walk_through_the_book_in_order(browser, site_url):
    with Visit(browser, page_url(site_url, PAGES[0])) as visit:
        seen = follow(visit.page, "a.right-next", len(PAGES) + 2)
        assert seen == PAGES
        backwards = follow(visit.page, "a.left-prev", len(PAGES) + 2)
        assert backwards[: len(PAGES)] == PAGES[::-1]


@pytest.mark.parametrize("name", CHAPTERS)
def test_download_link_returns_a_valid_notebook(browser, site_url, name):
    with Visit(browser, page_url(site_url, name)) as visit:
        # The download button (the launch menu's Colab entry also ends in .ipynb, but leaves the site).
        link = visit.page.query_selector(f"a[href$='_sources/book/{name}.ipynb']")
        assert link is not None, f"{name}: no notebook download link"
        url = urljoin(visit.page.url, link.get_attribute("href"))
        response = visit.page.request.get(url)
        assert response.status == 200, f"{name}: {url} answered {response.status}"
        notebook = nbformat.reads(response.text(), as_version=4)
        nbformat.validate(notebook)
        assert notebook.nbformat == 4 and len(notebook.cells) > 5


# --------------------------------------------------------------------------- layout
# What a reader sees of code, maths and tables, at a desktop's and a phone's width.
#
# The text column is the article's content box (its padding taken off). At 1280 px every
# code block (`pre`), display equation (`div.math`) and table of a page lies inside the column
# and shows all of its content: it neither sticks out of the column nor needs scrolling
# (scrollWidth <= clientWidth, for a table also its scroll box's). At 390 px a block may be
# wider than the screen, but only inside a box of its own that scrolls (overflow-x auto or
# scroll, on the element or an ancestor inside the article): content that overflows a box
# which clips it, or that runs past the column with nothing to scroll it, is cut.

#: The pages whose code, maths and tables are checked: the chapters and the pages around them.
#: (The API reference's examples are the package's docstrings, shown in scroll boxes.)
CONTENT_PAGES = [name for name in PAGES if not name.startswith("api/") and name != "bibliography"]

BLOCKS = """
() => {
    // Hidden code ("show code" toggles) is measured as a reader who opens it sees it.
    document.querySelectorAll("article details").forEach((d) => { d.open = true; });
    const article = document.querySelector("article.bd-article");
    const box = article.getBoundingClientRect(), style = getComputedStyle(article);
    const left = box.left + parseFloat(style.paddingLeft), right = box.right - parseFloat(style.paddingRight);
    const scrollBox = (el) => {
        for (let node = el; node && node !== article; node = node.parentElement) {
            if (["auto", "scroll"].includes(getComputedStyle(node).overflowX)) return node;
        }
        return null;
    };
    const label = (el) => `${el.tagName.toLowerCase()}${el.className ? "." + [...el.classList].join(".") : ""}`
        + ` "${(el.innerText || "").trim().split("\\n")[0].slice(0, 50)}"`;
    const out = [];
    for (const el of article.querySelectorAll("pre, div.math, table")) {
        const b = el.getBoundingClientRect();
        if (b.width === 0 || b.height === 0) continue;
        const clip = scrollBox(el);
        out.push({
            what: label(el), left: b.left, right: b.right, column: [left, right],
            scroll: el.scrollWidth, client: el.clientWidth,
            boxScroll: clip ? clip.scrollWidth : null, boxClient: clip ? clip.clientWidth : null,
            boxRight: clip ? clip.getBoundingClientRect().right : null,
            overflowX: getComputedStyle(el).overflowX,
        });
    }
    return out;
}
"""


@pytest.mark.parametrize("name", CONTENT_PAGES)
def test_code_maths_and_tables_fit_the_column_on_a_desktop(browser, site_url, name):
    with Visit(browser, page_url(site_url, name), width=1280) as visit:
        blocks = visit.page.evaluate(BLOCKS)
    problems = []
    for b in blocks:
        left, right = b["column"]
        if b["left"] < left - 1 or b["right"] > right + 1:
            problems.append(f"{b['what']} sticks out of the column ({b['left']:.0f}-{b['right']:.0f} px, "
                            f"column {left:.0f}-{right:.0f} px)")
        elif b["scroll"] > b["client"] + 1:
            problems.append(f"{b['what']} is cut or scrolls: {b['scroll']} px of content in {b['client']} px")
        elif b["boxScroll"] is not None and b["boxScroll"] > b["boxClient"] + 1:
            problems.append(f"{b['what']} needs its scroll box: {b['boxScroll']} px in {b['boxClient']} px")
    assert not problems, f"{name} at 1280 px:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", PAGES)
def test_nothing_is_cut_on_a_phone(browser, site_url, name):
    with Visit(browser, page_url(site_url, name), width=390, height=844) as visit:
        blocks = visit.page.evaluate(BLOCKS)
    problems = []
    for b in blocks:
        left, right = b["column"]
        overflows = b["scroll"] > b["client"] + 1
        if overflows and b["overflowX"] in ("hidden", "clip"):
            problems.append(f"{b['what']} clips {b['scroll']} px of content to {b['client']} px")
        elif (overflows or b["right"] > right + 1) and b["boxScroll"] is None:
            problems.append(f"{b['what']} runs past the column ({b['right']:.0f} px > {right:.0f} px) "
                            "without a scroll box")
        elif b["boxRight"] is not None and b["boxRight"] > right + 1:
            problems.append(f"the scroll box of {b['what']} itself runs past the column")
    assert not problems, f"{name} at 390 px:\n" + "\n".join(problems)


DARK_BACKGROUNDS = """
() => {
    const rgba = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
    const luminance = ([r, g, b]) => {
        const lin = (c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const background = (el) => {
        for (let node = el; node; node = node.parentElement) {
            const c = rgba(getComputedStyle(node).backgroundColor);
            if (c.length >= 3 && (c.length === 3 || c[3] > 0.5)) return c;
        }
        return [255, 255, 255];
    };
    const out = [];
    const selector = "article .cell_output, article .output, article .cell_output pre, article table, "
        + "article table thead, article table th, article table tr, article table caption";
    for (const el of document.querySelectorAll(selector)) {
        if (!el.getClientRects().length) continue;
        const l = luminance(background(el));
        if (l > 0.2) out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} `
            + `"${(el.innerText || "").trim().slice(0, 40)}" has luminance ${l.toFixed(2)}`);
    }
    return out;
}
"""


@pytest.mark.parametrize("name", PAGES)
def test_no_light_tables_or_outputs_in_dark_mode(browser, site_url, name):
    """Headers, rows and output areas sit on a dark background (a Styler's coloured data cells may not)."""
    with Visit(browser, page_url(site_url, name), theme="dark") as visit:
        assert visit.page.evaluate("document.documentElement.dataset.theme") == "dark"
        light = visit.page.evaluate(DARK_BACKGROUNDS)
    assert not light, f"{name} in dark mode: " + "; ".join(light[:10])


TABLE_STYLE = """
() => [...document.querySelectorAll("article .cell_output table")].filter((t) => t.getClientRects().length)
    .map((table) => {
    const head = table.querySelector("thead th:last-child"), cell = table.querySelector("tbody td");
    const s = (el) => el ? getComputedStyle(el) : null;
    return {
        text: table.innerText.slice(0, 40),
        headRule: s(head) ? parseFloat(s(head).borderBottomWidth) : 0,
        cellRule: s(cell) ? parseFloat(s(cell).borderBottomWidth) : 1,
        headAlign: s(head) ? s(head).textAlign : "right", cellAlign: s(cell) ? s(cell).textAlign : "right",
        padding: s(head) ? parseFloat(s(head).paddingLeft) + parseFloat(s(head).paddingRight) : 8,
        headerRows: table.querySelectorAll("thead tr").length,
        // a row with the index's name and nothing else, below a row whose corner is empty
        emptyRow: [...table.querySelectorAll("thead tr")].some((tr, i, rows) => i > 0
            && tr.children.length > 1 && [...tr.children].slice(1).every((th) => !th.innerText.trim())
            && !rows[0].children[0].innerText.trim()),
    };
})
"""


@pytest.mark.parametrize("name", CONTENT_PAGES)
def test_tables_share_one_style(browser, site_url, name):
    with Visit(browser, page_url(site_url, name)) as visit:
        tables = visit.page.evaluate(TABLE_STYLE)
    for t in tables:
        where = f"{name}: table {t['text']!r}"
        assert t["headRule"] >= 1 and t["cellRule"] >= 1, f"{where} has no rules: {t}"
        assert t["headAlign"] == t["cellAlign"], f"{where}: headers and cells aligned differently: {t}"
        assert t["padding"] >= 8, f"{where}: header words run together: {t}"
        assert not t["emptyRow"], f"{where}: a header row holds only the index's name: {t}"


def test_desktop_chrome_title_search_and_captions(browser, site_url):
    """The sidebar shows the book's title in both modes, one search box, captions as dark as the text."""
    for theme in ("light", "dark"):
        with Visit(browser, page_url(site_url, "data"), theme=theme) as visit:
            found = visit.page.evaluate("""() => {
                const title = document.querySelector(".bd-sidebar-primary .logo__title");
                const box = title ? title.getBoundingClientRect() : {width: 0};
                const searches = [...document.querySelectorAll(".search-button-field, .search-button")]
                    .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden");
                const caption = document.querySelector("article figcaption p, article figcaption");
                return {title: title ? title.innerText : "", width: box.width,
                        titleColor: title ? getComputedStyle(title).color : "",
                        body: getComputedStyle(document.querySelector("article p")).color,
                        caption: caption ? getComputedStyle(caption).color : null,
                        searches: searches.length};
            }""")
        assert found["title"] and found["width"] > 0, f"{theme}: no book title in the sidebar: {found}"
        assert found["titleColor"] == found["body"], f"{theme}: the title is not in the text colour: {found}"
        assert found["searches"] == 1, f"{theme}: {found['searches']} search boxes at 1280 px"
        assert found["caption"] == found["body"], f"{theme}: captions are not at body-text contrast: {found}"


RAW_NUMBER = re.compile(r"np\.float(?:16|32|64)\(|\b\d+\.\d{7,}\b")


@pytest.mark.parametrize("name", PAGES)
def test_printed_numbers_are_rounded_and_no_machine_paths(browser, site_url, name):
    with Visit(browser, page_url(site_url, name)) as visit:
        outputs = "\n".join(visit.page.locator("article .cell_output").all_inner_texts())
        text = visit.page.inner_text("article")
    raw = RAW_NUMBER.findall(outputs)
    assert not raw, f"{name}: unrounded numbers printed: {raw[:5]}"
    # (the docs may say "~/.cache/mnist-lesson": a place on the reader's machine)
    for path in {str(Path.home()) + "/", str(ROOT), "/home/runner/"}:
        assert path not in text, f"{name}: the build machine's path {path!r} on the page"
