"""Unit tests of the book's Sphinx extension (the package book/_ext/lesson_book).

What a page uses, execution order, the quiet log, the Colab entry, and the
workarounds of upstream behaviour: each is checked against the installed
upstream versions, so an upgrade that changes them fails here.
"""

from __future__ import annotations

import importlib
import logging
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))

import lesson_book  # noqa: E402
from lesson_book import (  # noqa: E402
    accessibility,
    colab,
    dependencies,
    execute,
    icons,
    loading,
    log,
    maths,
    mystnb,
    pdf,
    scripts,
    status,
    stylesheets,
    tables,
    theme,
)


def page(code: str) -> str:
    """A MyST notebook page with one code cell holding ``code``."""
    return f"# A page\n\n```{{code-cell}} ipython3\n{code}\n```\n"


# --------------------------------------------------------------------------- the package


def test_every_module_is_set_up_and_says_what_it_changes():
    here = ROOT / "book" / "_ext" / "lesson_book"
    modules = {p.stem for p in here.glob("*.py")} - {"__init__"}
    assert modules == set(lesson_book.MODULES) | {"mystnb", "theme"}
    for name in modules:
        doc = importlib.import_module(f"lesson_book.{name}").__doc__
        assert doc and len(doc.split()) > 30, f"lesson_book.{name} needs a docstring saying what it changes and why"


@pytest.mark.parametrize(
    "module", [accessibility, scripts, loading, icons, mystnb, theme, pdf, status, tables], ids=lambda m: m.__name__
)
def test_workarounds_match_the_installed_upstream_versions(module):
    """Each workaround names the upstream versions it was checked against; an upgrade fails here."""
    for distribution, specifier in module.UPSTREAM.items():
        installed = metadata.version(distribution)
        assert installed in SpecifierSet(specifier), (
            f"{module.__name__} works around {distribution} {specifier}, but {installed} is installed: "
            "check the workaround against it (see the module docstring), then update UPSTREAM"
        )


# --------------------------------------------------------------------------- dependencies


def test_names_imported_from_the_package_map_to_their_modules():
    code = (
        "from mnist_lesson import load_mnist, load_split\n"
        "from mnist_lesson.data import class_counts\n"
        "from mnist_lesson.plotting import plot_digits as draw\n"
    )
    assert dependencies.chapter_modules(page(code)) == {"mnist_lesson.data", "mnist_lesson.plotting.digits"}


def test_every_import_form_is_found_in_a_chapter():
    code = (
        "%matplotlib inline\n"
        "from mnist_lesson import (\n    accuracy,  # note\n    get_trained_model,\n)\n"
        "import numpy as np, mnist_lesson.encoding\n"
        "from mnist_lesson.claims import \\\n    claim, join_words\n"
        "def later():\n    from mnist_lesson.config import get_settings as settings\n"
    )
    assert dependencies.chapter_modules(page(code)) == {
        "mnist_lesson.evaluation", "mnist_lesson.training", "mnist_lesson.encoding", "mnist_lesson.claims",
        "mnist_lesson.config",
    }


def test_imports_in_every_code_cell_count_and_markdown_does_not():
    text = page("from mnist_lesson.encoding import one_hot") + "\nSome prose: from mnist_lesson.data import x\n\n" + page(
        "import mnist_lesson.claims"
    )
    assert dependencies.chapter_modules(text) == {"mnist_lesson.encoding", "mnist_lesson.claims"}


def test_a_cell_that_is_not_python_fails_loudly():
    from sphinx.errors import ExtensionError

    with pytest.raises(ExtensionError, match=r"code cell 1 of book/x is not valid Python"):
        dependencies.chapter_modules(page("from mnist_lesson import (\n  one_hot"), "book/x")


def test_a_bare_package_import_depends_on_everything():
    modules = dependencies.chapter_modules(page("import mnist_lesson\nmnist_lesson.__version__"))
    assert {"mnist_lesson.data", "mnist_lesson.tsne", "mnist_lesson.plotting.digits"} <= modules


def test_digest_ignores_comments_but_not_code_or_settings(monkeypatch, tmp_path):
    text = page("from mnist_lesson.encoding import one_hot")
    base = dependencies.dependency_digest(text, tmp_path)
    assert dependencies.dependency_digest(page("from mnist_lesson.encoding import one_hot  # hi"), tmp_path) == base
    monkeypatch.setenv("MNIST_LESSON_SEED", "7")
    assert dependencies.dependency_digest(text, tmp_path) != base


def test_digest_follows_named_data_files(tmp_path):
    text = page('import json\njson.loads(open("results.json").read())')
    (tmp_path / "results.json").write_text("{}")
    first = dependencies.dependency_digest(text, tmp_path)
    (tmp_path / "results.json").write_text('{"a": 1}')
    assert dependencies.dependency_digest(text, tmp_path) != first


def test_the_digest_cell_is_hidden_and_tagged():
    text, digest = dependencies.with_digest(page("x = 1"), ROOT)
    assert text.endswith(
        f":tags: [remove-cell, {dependencies.DEPS_TAG}]\n# mnist_lesson dependencies of this page: {digest}\n```\n"
    )


# --------------------------------------------------------------------------- execution


def test_execution_jobs_default_to_two_and_reject_bad_values():
    assert execute.execution_jobs(None, cpu_count=8) == 2
    assert execute.execution_jobs(None, cpu_count=1) == 1
    assert execute.execution_jobs(3) == 3
    for bad in (0, "2", True, 1.5):
        with pytest.raises(ValueError, match="lesson_execution_jobs must be a positive integer"):
            execute.execution_jobs(bad)


def test_slowest_pages_start_first():
    seconds = {"book/data": 4.0, "book/tsne": 200.0, "book/pca": 10.0}
    assert execute.execution_order(["book/data", "book/pca", "book/tsne"], seconds) == ["book/tsne", "book/pca", "book/data"]
    # Without timings (a cold build), the pages named slow go first, in their order.
    order = execute.execution_order(["book/a", "book/tsne", "book/b", "book/exp"], {}, slow=["book/tsne", "book/exp"])
    assert order == ["book/tsne", "book/exp", "book/a", "book/b"]


def test_a_page_myst_nb_did_not_take_from_the_expected_record_fails_the_build():
    from sphinx.errors import ExtensionError

    mystnb.check_same_record("book/data", 12.5, {"mtime": 12.5})
    for data in ({"mtime": 99.0}, None):
        with pytest.raises(ExtensionError, match="book/data: myst-nb did not use the execution-cache record"):
            mystnb.check_same_record("book/data", 12.5, data)


# --------------------------------------------------------------------------- the log


def test_log_lines_say_how_each_page_was_obtained():
    assert log.page_line("book/tsne", "executed", 307.24) == "book/tsne .............. executed in 307.2 s"
    assert log.page_line("book/data", "cached", 6.0).endswith("from the execution cache (ran in 6.0 s)")
    assert log.page_line("book/x", "failed", 1.0, error="CellExecutionError").endswith("FAILED after 1.0 s: CellExecutionError")
    pages = {
        "a": {"status": "executed", "seconds": 4.0},
        "b": {"status": "cached", "seconds": 2.0},
        "c": {"status": "text", "seconds": None},
    }
    assert log.summary(pages, wall=3.5) == (
        "3 pages read: 1 executed (4.0 s of kernel time, 3.5 s of wall time), 1 from the execution cache, 1 without code"
    )
    assert log.summary({}) == "0 pages read: nothing changed"


def test_the_quiet_filter_keeps_our_lines_and_every_warning():
    keep = log.QuietFilter().filter

    def record(name, level):
        return logging.LogRecord(name, level, __file__, 1, "message", None, None)

    assert keep(record("sphinx.lesson_book.log", logging.INFO))
    assert keep(record("sphinx.builders.html", logging.WARNING))
    assert not keep(record("sphinx.builders.html", logging.INFO))
    assert not keep(record("sphinx.myst_nb", logging.INFO))


# --------------------------------------------------------------------------- workarounds of upstream markup


def _translator():
    """docutils' HTML5 translator on an empty document (the base of Sphinx's)."""
    from docutils.frontend import get_default_settings
    from docutils.utils import new_document
    from docutils.writers.html5_polyglot import HTMLTranslator, Writer

    translator = HTMLTranslator(new_document("test", get_default_settings(Writer)))
    translator.body = []
    return translator


def _citations():
    from docutils import nodes

    parent = nodes.container()
    for name in ("a", "b"):
        parent += nodes.citation("", nodes.label("", name), ids=[name])
    return parent.children


def _render(visit, depart, node):
    writer = _translator()
    visit(writer, node)
    depart(writer, node)
    return "".join(writer.body)


def test_citations_are_list_items_and_otherwise_as_upstream_writes_them():
    from docutils.writers.html5_polyglot import HTMLTranslator

    first, second = _citations()
    for node in (first, second):
        upstream = _render(HTMLTranslator.visit_citation, HTMLTranslator.depart_citation, node)
        ours = _render(accessibility.visit_citation, accessibility.depart_citation, node)
        assert 'role="doc-biblioentry"' in upstream, "docutils no longer needs this fix: drop it"
        assert ours == upstream.replace('role="doc-biblioentry"', 'role="listitem"')


def test_folded_cells_are_named_by_their_text_and_otherwise_as_upstream_writes_them():
    from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput, visit_HideCellInput

    node = HideCodeCellNode(prompt_show="Show code cell source", prompt_hide="Hide code cell source", classes=["above-input"])
    upstream = _render(visit_HideCellInput, depart_HideCellInput, node)
    ours = _render(accessibility.visit_hidden_cell, depart_HideCellInput, node)
    assert accessibility.UPSTREAM_SUMMARY in upstream, "myst-nb no longer labels the toggle: drop the fix"
    assert ours == upstream.replace(accessibility.UPSTREAM_SUMMARY, accessibility.SUMMARY)


def test_a_script_listed_twice_is_kept_once():
    from sphinx.builders.html._assets import _JavaScript

    thebe_none, thebe_empty = _JavaScript(None, body="const thebe = 1;"), _JavaScript("", body="const thebe = 1;")
    other = _JavaScript("_static/a.js")
    assert scripts.unique_scripts([thebe_none, other, thebe_empty, other]) == [thebe_none, other]


# --------------------------------------------------------------------------- Colab and the theme's buttons


def test_colab_addresses_only_for_github():
    assert colab.colab_url("https://github.com/me/book.git", "notebooks", "book/data") == (
        "https://colab.research.google.com/github/me/book/blob/notebooks/book/data.ipynb"
    )
    assert colab.colab_url("https://github.com/me/book", "", "book/data") is None
    assert colab.colab_url("https://example.org/me/book", "notebooks", "book/data") is None


def test_header_buttons_are_found_and_removed_by_label():
    context = {"header_buttons": [
        {"label": "download-buttons", "buttons": [{"label": "download-notebook-button"}, {"label": "pdf"}]},
        {"label": "launch-buttons", "buttons": []},
    ]}
    assert theme.header_group(context, "launch-buttons") is context["header_buttons"][1]
    assert theme.header_group(context, "nothing") is None
    theme.remove_header_button(context, "download-notebook-button")
    assert context["header_buttons"][0]["buttons"] == [{"label": "pdf"}]
    assert theme.add_header_link(context, "launch-buttons", text="Colab", tooltip="t", icon="i", url="u")
    assert context["header_buttons"][1]["buttons"] == [
        {"type": "link", "text": "Colab", "tooltip": "t", "icon": "i", "url": "u"}
    ]
    assert not theme.add_header_link(context, "nothing", text="x", tooltip="t", icon="i", url="u", label="x")


# --------------------------------------------------------------------------- icons


def test_the_icon_script_line_is_the_only_change_to_the_theme_template():
    upstream = theme.theme_template("pydata_sphinx_theme", icons.TEMPLATE).read_text()
    ours = icons.without_icon_script(upstream)
    removed = [line for line in upstream.splitlines() if line not in ours.splitlines()]
    assert len(removed) == 1 and "fontawesome.js" in removed[0]
    assert "fontawesome.js" not in ours
    with pytest.raises(Exception, match="no longer loads fontawesome.js"):
        icons.without_icon_script(ours)


def test_icon_names_and_code_points_come_from_the_pages_and_the_theme_css():
    names = icons.icon_names(['<i class="fa-solid fa-bars fa-lg"></i>', 'el.classList.add("fa-xmark")'])
    assert names == {"solid", "bars", "lg", "xmark"}
    css = '.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}.fa-xmark:before{content:"\\f00d"}.fa-lg{font-size:1.25em}'
    assert icons.icon_codepoints(css, names) == {"bars": 0xF0C9, "xmark": 0xF00D}


def test_fonts_are_cut_to_the_glyphs_asked_for(tmp_path):
    from fontTools.ttLib import TTFont

    source = theme.theme_template("pydata_sphinx_theme", icons.TEMPLATE).parent / "vendor" / "fontawesome" / "webfonts"
    for name in ("fa-solid-900.woff2", "fa-solid-900.ttf"):
        (tmp_path / name).write_bytes((source / name).read_bytes())
    sizes = icons.subset_fonts(tmp_path, [0xF0C9, 0xF00D])
    for name, (before, after) in sizes.items():
        assert after < before / 20, name
        assert {0xF0C9, 0xF00D} <= set(TTFont(tmp_path / name).getBestCmap()), name


# --------------------------------------------------------------------------- loading


def test_the_theme_loads_the_search_on_every_page_and_only_that_block_changes():
    """pydata-sphinx-theme loads Sphinx's search blocking on every page; ours only for search-as-you-type."""
    for name, change in (("layout.html", loading.layout_without_search), ("search.html", loading.search_deferred)):
        upstream = (theme.theme_template("pydata_sphinx_theme", "") / name).read_text()
        assert upstream.count("searchindex.js") == 1 and "<script src=" in upstream, name
        ours = change(upstream)
        removed = [line for line in upstream.splitlines() if line not in ours.splitlines()]
        assert len(removed) == 3 and all("<script src=" in line for line in removed), (name, removed)
        assert ours.count("<script defer src=") == 3, name
        with pytest.raises(Exception, match="no longer loads Sphinx's search scripts"):
            change(ours)
    assert "{% if theme_search_as_you_type|tobool %}" in loading.layout_without_search(
        (theme.theme_template("pydata_sphinx_theme", "") / "layout.html").read_text())


def test_sphinx_still_lists_documentation_options_as_a_file_the_inline_scripts_need():
    """Deferring it alone would break the theme's inline ``DOCUMENTATION_OPTIONS.pagename = …``."""
    import inspect

    import pydata_sphinx_theme
    from sphinx.builders.html import StandaloneHTMLBuilder

    assert "add_js_file('documentation_options.js'" in inspect.getsource(StandaloneHTMLBuilder.init_js_files)
    assert "body=f\"DOCUMENTATION_OPTIONS.search_as_you_type" in inspect.getsource(pydata_sphinx_theme)


def test_the_theme_leaves_search_as_you_type_off():
    import configparser

    conf = configparser.ConfigParser()
    conf.read(theme.theme_template("pydata_sphinx_theme", "") / "theme.conf")
    assert conf["options"]["search_as_you_type"] == "False"


def test_the_launch_menu_logos_are_the_one_change_to_the_button_template():
    upstream = theme.theme_template("sphinx_book_theme", theme.BUTTONS_TEMPLATE).read_text()
    ours = theme.lazy_button_logos(upstream)
    changed = [line for line in ours.splitlines() if line not in upstream.splitlines()]
    assert len(changed) == 1 and '<img loading="lazy" alt=' in changed[0], changed
    assert len(ours) == len(upstream) + len('loading="lazy" ')
    with pytest.raises(Exception, match="no longer draws a button's logo"):
        theme.lazy_button_logos(ours)
    header = theme.theme_template("sphinx_book_theme", theme.HEADER_TEMPLATE).read_text()
    by_name = theme.buttons_by_name(header)
    changed = [line for line in by_name.splitlines() if line not in header.splitlines()]
    assert changed == ['{% from "macros/buttons.html" import render_funcs with context %}'], changed
    with pytest.raises(Exception, match="no longer imports"):
        theme.buttons_by_name(by_name)


def test_fonts_go_into_the_stylesheet_as_data_urls():
    css = ('@font-face{src:url(../webfonts/a.woff2) format("woff2"),url(../webfonts/a.ttf) format("truetype")}'
           '@font-face{src:url("https://example.org/b.woff2")}')
    read = {"../webfonts/a.woff2": b"wOF2font"}.__getitem__
    out = icons.inline_fonts(css, read)
    assert 'url(data:font/woff2;base64,d09GMmZvbnQ=) format("woff2"),url(../webfonts/a.ttf)' in out
    assert 'url("https://example.org/b.woff2")' in out, "fonts from elsewhere stay links"


# --------------------------------------------------------------------------- stylesheets


def _sheet(name, priority=500, **attributes):
    from sphinx.builders.html._assets import _CascadingStyleSheet

    return _CascadingStyleSheet(name if "://" in name else f"_static/{name}", priority=priority, **attributes)


def test_the_book_stylesheets_become_one_link_where_the_first_was():
    book = [_sheet("print.css", 100, media="print"), _sheet("pygments.css", 200), _sheet("theme-extra.css"),
            _sheet("sphinx-design.min.css", 900), _sheet("https://example.org/x.css", 850), _sheet("lesson.css", 800)]
    parts = stylesheets.bundle_parts(book + book[1:3])
    assert [p.filename for p in parts] == ["_static/pygments.css", "_static/theme-extra.css", "_static/lesson.css"]
    page = [s for s in book if "design" not in s.filename] + [_sheet("draw/draw.css", 900)]
    linked = stylesheets.with_bundle(page, parts)
    assert [(s.filename, s.priority) for s in linked] == [
        ("_static/print.css", 100), (stylesheets.BUNDLE, 200), ("https://example.org/x.css", 850),
        ("_static/draw/draw.css", 900),
    ]
    assert linked[1].attributes == {"rel": "stylesheet", "type": "text/css"}
    # One left out whose priority falls between bundled ones would see its rules move: the build stops.
    with pytest.raises(Exception, match="page.css: a stylesheet outside the bundle"):
        stylesheets.with_bundle([*page, _sheet("page.css", 300)], [*parts[:1], *parts[2:]])
    assert stylesheets.with_bundle(page, []) == page


def test_the_bundle_keeps_the_rules_in_order_with_urls_rebased(tmp_path):
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "pygments.css").write_text(".a{color:red}")
    (static / "styles" / "theme-extra.css").write_text('@charset "UTF-8";\n.b{background:url(../img/b.png)}'
                                                       '.c{background:url("data:image/png;base64,xx")}')
    (static / "lesson.css").write_text(".d{background:url('img/d.svg')}")
    parts = [_sheet("pygments.css", 200), _sheet("styles/theme-extra.css"), _sheet("lesson.css", 800)]
    text = stylesheets.bundle_text(tmp_path, parts)
    assert text.startswith('@charset "UTF-8";') and text.count("@charset") == 1
    assert text.index(".a{") < text.index(".b{") < text.index(".d{")
    assert "url(img/b.png)" in text and "url('img/d.svg')" in text and 'url("data:image/png;base64,xx")' in text
    assert "/* _static/styles/theme-extra.css */" in text
    (static / "lesson.css").write_text('@import "other.css";')
    with pytest.raises(Exception, match="_static/lesson.css has @import"):
        stylesheets.bundle_text(tmp_path, parts)


# --------------------------------------------------------------------------- status


def test_mystnb_marks_the_status_with_emoji_and_we_write_words():
    from docutils import nodes
    from myst_nb.ext.execution_tables import make_stat_table

    metadata = {
        "a": {"exec_data": {"mtime": 0, "method": "cache", "runtime": 1.0, "succeeded": True, "error": None}},
        "b": {"exec_data": {"mtime": 0, "method": "auto", "runtime": 2.0, "succeeded": False, "error": "boom"}},
    }
    table = make_stat_table("index", metadata)
    texts = [str(t) for t in table.findall(nodes.Text)]
    assert "\u2705" in texts and "\u274c" in texts, "myst-nb no longer writes emoji: drop lesson_book.status"
    assert status.in_words(table) == 2
    after = [str(t) for t in table.findall(nodes.Text)]
    assert after == [status.EMOJI.get(t, t) for t in texts]
    assert table.findall(nodes.abbreviation) and next(iter(table.findall(nodes.abbreviation)))["explanation"] == "boom"


# --------------------------------------------------------------------------- maths


def test_displayed_tex_is_composed_as_sphinx_composes_it_for_mathjax():
    from docutils import nodes

    def block(text, nowrap=False):
        return nodes.math_block(text, text, nowrap=nowrap, number=None)

    assert maths.display_tex(block("a = b")) == "a = b"
    assert maths.display_tex(block(r"a = b \\ c = d")) == r"\begin{split}a = b \\ c = d\end{split}"
    assert maths.display_tex(block("a = b\n\nc = d")) == r"\begin{align}\begin{aligned}a = b\\c = d\end{aligned}\end{align}"
    assert maths.display_tex(block(r"\begin{align}x\end{align}", nowrap=True)) == r"\begin{align}x\end{align}"


def test_tex_becomes_svg_with_hidden_mathml_and_bad_tex_names_the_place():
    from sphinx.errors import ExtensionError

    renderer = maths.TexToSvg(ROOT)
    try:
        svg = renderer.svg(r"\mathbf{h} = \operatorname{ReLU}(\mathbf{x} W_1)", True)
        assert svg.startswith("<mjx-container") and "<svg" in svg and "<mjx-assistive-mml" in svg and "<math" in svg
        with pytest.raises(ExtensionError, match=r"book/pca, line 7: MathJax cannot typeset .*Missing close brace"):
            renderer.svg(r"\frac{1}{", False, "book/pca, line 7")
        assert "mjx-container" in renderer.stylesheet()
    finally:
        renderer.close()


def test_glyph_outlines_are_written_once_per_page_and_every_use_finds_one():
    import re

    renderer = maths.TexToSvg(ROOT)
    try:
        first, second = renderer.svg(r"x + y", False), renderer.svg(r"x_1 = y^2", True)
        odd = '<mjx-container><svg><defs><linearGradient id="g"></linearGradient></defs></svg></mjx-container>'
    finally:
        renderer.close()
    defined = set()
    shared_first = maths.share_glyphs(first, defined)
    after_first = set(defined)
    shared_second = maths.share_glyphs(second, defined)
    page = shared_first + shared_second
    ids = re.findall(r'<path id="([^"]+)"', page)
    uses = re.findall(r'href="#([^"]+)"', page)
    assert len(ids) == len(set(ids)) == len(defined) and set(uses) == set(ids), (ids, uses)
    assert all(re.fullmatch(r"MJX-TEX-[A-Z0-9]+-[0-9A-F]+", i) for i in ids), ids
    # The second formula uses x and y, drawn by the first, and defines only its own new glyphs.
    second_ids = set(re.findall(r'<path id="([^"]+)"', shared_second))
    second_uses = set(re.findall(r'href="#([^"]+)"', shared_second))
    assert second_ids and not second_ids & {f"MJX-{k}" for k in after_first}
    assert second_uses & {f"MJX-{k}" for k in after_first}, "x and y are found in the first formula"
    assert len(shared_first) + len(shared_second) < len(first) + len(second)
    assert maths.share_glyphs(odd, defined) == odd, "defs that are not glyph outlines are left as MathJax wrote them"


def test_stderr_of_in_process_work_goes_to_a_file_and_is_shown_on_failure(tmp_path, capfd):
    import os

    path = tmp_path / "logs" / "work.stderr.txt"
    with log.stderr_to(path):
        os.write(2, b"I0000 a C++ notice\n")
    assert "a C++ notice" not in capfd.readouterr().err
    assert path.read_text() == "I0000 a C++ notice\n"
    with pytest.raises(RuntimeError), log.stderr_to(path):
        os.write(2, b"the clue\n")
        raise RuntimeError("failed")
    os.write(2, b"after\n")
    assert "after" in capfd.readouterr().err  # stderr is back


# --------------------------------------------------------------------------- tables


@pytest.mark.parametrize("kind", ["frame", "styler", "two-level index"])
def test_tables_lose_pandas_styling_and_the_index_name_row(kind):
    """pandas' own HTML still has the parts tables.py takes out; after it, one header row with the names."""
    import pandas as pd

    index = pd.Index([13, 14], name="epoch")
    if kind == "two-level index":
        index = pd.MultiIndex.from_arrays([[1, 2], [7, 9]], names=["digit", "other digit"])
    frame = pd.DataFrame({"val. accuracy": [0.98, 0.99], "loss": [0.1, 0.2]}, index=index)
    upstream = frame.style.format("{:.2f}").to_html() if kind == "styler" else frame._repr_html_()
    assert upstream.count("<tr") == 4, "pandas no longer writes an index-name row: drop merge_index_names"
    cleaned = tables.clean_table_html(upstream)
    assert "<style scoped>" not in cleaned and "text-align: right" not in cleaned
    header = cleaned[cleaned.index("<thead>"): cleaned.index("</thead>")]
    assert header.count("<tr") == 1
    names = ["digit", "other digit"] if kind == "two-level index" else ["epoch"]
    for name in [*names, "val. accuracy", "loss"]:
        assert f">{name}</th>" in header
    assert cleaned[cleaned.index("<tbody>"):] == upstream[upstream.index("<tbody>"):]


def test_tables_leave_other_html_alone():
    html = "<div><p>no table here</p></div>"
    assert tables.clean_table_html(html) == html
    odd = "<table><thead><tr><th>a</th></tr><tr><th>b</th></tr><tr><th>c</th></tr></thead></table>"
    assert tables.clean_table_html(odd) == odd


def test_sidebar_fold_toggles_are_named_after_their_page():
    from bs4 import BeautifulSoup
    from pydata_sphinx_theme.toctree import add_collapse_checkboxes

    soup = BeautifulSoup(
        '<ul><li class="toctree-l1 has-children"><a class="reference internal" href="api/index.html">API reference</a>'
        '<ul><li class="toctree-l2"><a class="reference internal" href="api/data.html">data</a></li></ul></li></ul>',
        "html.parser",
    )
    add_collapse_checkboxes(soup)
    summary = soup.select_one("li.has-children > details > summary")
    assert summary is not None and not summary.get_text(strip=True) and not summary.get("aria-label"), (
        "pydata-sphinx-theme now names its fold toggles: drop name_sidebar_toggles"
    )
    assert accessibility.label_toggles(soup) == 1
    assert summary["aria-label"] == "Pages under API reference"
    assert accessibility.label_toggles(soup) == 0, "a named toggle is left as it is"
