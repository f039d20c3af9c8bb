"""Maths rendered while the book is built: pages load no MathJax.

What it changes
    The HTML math renderer ``lesson_svg`` (``html_math_renderer`` in
    ``_config.yml``) writes every formula, inline or displayed, as SVG made
    by MathJax 3 in Node.js during the build (``tex2svg.js`` beside this
    file; the npm package ``mathjax-full``, pinned in ``package-lock.json``).
    Each formula keeps hidden MathML for screen readers, numbered equations
    keep their numbers and links as with Sphinx's MathJax renderer, and the
    few rules the SVG needs go to ``_static/lesson-maths.css``. Each glyph's
    outline is written once per page: MathJax writes the outlines a formula
    uses into that formula's own ``<defs>``, and :func:`share_glyphs` keeps
    them only where a glyph first appears on the page and points the later
    formulas' ``<use>`` there (the ids MathJax's own page-wide glyph cache
    uses, ``MJX-TEX-I-1D465``). A displayed
    formula wider than the text column scrolls inside its own box (the
    theme's rule), which ``_static/lesson-maths.js`` makes reachable from
    the keyboard.

Why
    With Sphinx's MathJax renderer every page with a formula downloads and
    runs MathJax (260 KB compressed, plus fonts) before its maths appears; on
    a phone that is most of the page's load time. Written into every formula
    that uses them, the same outlines made up a third of the HTML of the
    pages with the most maths, and a page's size holds back its first paint
    on a phone. A formula MathJax cannot
    typeset fails the build, naming the page and the formula, instead of
    showing red TeX to readers.
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util.math import get_node_equation_number

__all__ = ["TexToSvg", "display_tex", "share_glyphs", "setup"]

#: The name of the renderer, for ``html_math_renderer``.
RENDERER = "lesson_svg"

#: The stylesheet written into the built site's ``_static``.
STYLESHEET = "lesson-maths.css"

SCRIPT = Path(__file__).with_name("tex2svg.js")

_DEFS = re.compile(r"<defs>(.*?)</defs>", re.S)
#: A glyph outline as MathJax writes it with ``fontCache: "local"``: ``MJX-<formula>-<font>-<code point>``.
_GLYPH = re.compile(r'<path id="MJX-\d+-(?P<key>TEX-[A-Z0-9]+-[0-9A-F]+)" d="(?P<d>[^"]*)"></path>')
_GLYPH_USE = re.compile(r'href="#MJX-\d+-(TEX-[A-Z0-9]+-[0-9A-F]+)"')

#: The script written into the built site's ``_static``, and what it says.
SCRIPT_FILE = "lesson-maths.js"
KEYBOARD_SCRIPT = """\
// A displayed formula wider than the text column scrolls in its own box (the theme's
// `div.math mjx-container { overflow: auto }`); such a box must be reachable from the
// keyboard, as the theme makes scrolling code blocks and tables (book/_ext/lesson_book/maths.py).
(() => {
  const mark = () => document.querySelectorAll("div.math > mjx-container").forEach((box) => {
    if (box.scrollWidth > box.clientWidth) {
      box.tabIndex = 0;
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "formula, scrolls sideways");
    } else {
      box.removeAttribute("tabindex");
    }
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark); else mark();
  window.addEventListener("resize", mark);
})();
"""


class TexToSvg:
    """A Node.js process that turns TeX into SVG, one formula at a time.

    Parameters
    ----------
    root : Path
        The folder whose ``node_modules`` holds ``mathjax-full``.
    """

    def __init__(self, root: Path):
        if not (root / "node_modules" / "mathjax-full").is_dir():
            raise ExtensionError(
                f"mathjax-full is missing from {root / 'node_modules'}: run `npm ci` in the repository "
                "(`make install` does it)"
            )
        try:
            self._process = subprocess.Popen(
                ["node", str(SCRIPT)], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                encoding="utf-8",
            )
        except FileNotFoundError:
            raise ExtensionError("Node.js (`node`) is needed to render the book's maths: install Node.js 18 or later") from None
        self._lock = threading.Lock()

    def _ask(self, request: dict) -> dict:
        with self._lock:
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
        if not line:
            raise ExtensionError(f"the maths renderer ({SCRIPT.name}) stopped: exit code {self._process.poll()}")
        return json.loads(line)

    def svg(self, tex: str, display: bool, where: str = "") -> str:
        """The SVG of one formula (an ``<mjx-container>`` element)."""
        answer = self._ask({"tex": tex, "display": display})
        if "error" in answer:
            raise ExtensionError(f"{where}: MathJax cannot typeset {tex!r}: {answer['error']}; fix the formula")
        return answer["svg"]

    def stylesheet(self) -> str:
        """The CSS that the SVG output needs."""
        return self._ask({"stylesheet": True})["css"]

    def close(self) -> None:
        self._process.stdin.close()
        self._process.wait(timeout=30)


def _renderer(app) -> TexToSvg:
    if getattr(app, "lesson_tex", None) is None:
        app.lesson_tex = TexToSvg(Path(app.confdir))
    return app.lesson_tex


def display_tex(node) -> str:
    """The TeX of a displayed formula, as Sphinx's MathJax renderer would hand it to MathJax.

    Several equations separated by blank lines are aligned; one with ``\\\\``
    is split over lines; ``nowrap`` blocks (amsmath environments) go as they are.
    """
    if node["nowrap"]:
        return node.astext()
    parts = [part for part in node.astext().split("\n\n") if part.strip()]
    parts = [rf"\begin{{split}}{part}\end{{split}}" if r"\\" in part else part for part in parts]
    if len(parts) > 1:
        return r"\begin{align}\begin{aligned}" + r"\\".join(parts) + r"\end{aligned}\end{align}"
    return parts[0] if parts else ""


def share_glyphs(svg: str, defined: set) -> str:
    """One formula's SVG with the glyph outlines already in ``defined`` taken out, and the rest added to it.

    Every glyph gets the page-wide id ``MJX-<font>-<code point>``, so a later
    formula's ``<use>`` finds the outline in the first formula that drew it.
    A formula whose ``<defs>`` hold anything but glyph outlines is returned
    as it is.
    """
    match = _DEFS.search(svg)
    if match is None:
        return svg
    glyphs = list(_GLYPH.finditer(match.group(1)))
    if "".join(g.group(0) for g in glyphs) != match.group(1):
        return svg
    kept = []
    for glyph in glyphs:
        if glyph["key"] not in defined:
            defined.add(glyph["key"])
            kept.append(f'<path id="MJX-{glyph["key"]}" d="{glyph["d"]}"></path>')
    defs = f"<defs>{''.join(kept)}</defs>" if kept else ""
    svg = svg[: match.start()] + defs + svg[match.end():]
    return _GLYPH_USE.sub(r'href="#MJX-\1"', svg)


def _page_svg(self, node, tex: str, display: bool) -> str:
    """The formula's SVG, sharing glyph outlines with the formulas before it on the page being written."""
    if not hasattr(self, "lesson_glyphs"):
        self.lesson_glyphs = set()  # the translator writes one page (or, for singlehtml, the one page)
    return share_glyphs(_renderer(self.builder.app).svg(tex, display, _where(self, node)), self.lesson_glyphs)


def _where(self, node) -> str:
    return f"{self.builder.current_docname}, line {node.line}" if node.line else self.builder.current_docname


def visit_math(self, node):
    svg = _page_svg(self, node, node.astext(), False)
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight") + svg + "</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node):
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"] and not node["nowrap"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, "Link to this equation")
        self.body.append("</span>")
    self.body.append(_page_svg(self, node, display_tex(node), True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def _add_assets(app):
    if getattr(app.builder, "math_renderer_name", None) == RENDERER:
        app.add_css_file(STYLESHEET)
        app.add_js_file(SCRIPT_FILE, loading_method="defer")


def _finish(app, exception):
    renderer = getattr(app, "lesson_tex", None)
    try:
        if exception is None and getattr(app.builder, "math_renderer_name", None) == RENDERER:
            css = (renderer or _renderer(app)).stylesheet()
            (Path(app.outdir) / "_static" / STYLESHEET).write_text(css, encoding="utf-8")
            (Path(app.outdir) / "_static" / SCRIPT_FILE).write_text(KEYBOARD_SCRIPT, encoding="utf-8")
    finally:
        renderer = getattr(app, "lesson_tex", None)
        if renderer is not None:
            renderer.close()
            app.lesson_tex = None


def setup(app):
    app.add_html_math_renderer(RENDERER, (visit_math, None), (visit_displaymath, None))
    app.connect("builder-inited", _add_assets)
    app.connect("build-finished", _finish)
    return {"parallel_read_safe": True, "parallel_write_safe": False, "version": "1"}
