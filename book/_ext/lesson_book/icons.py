"""Icons from a font of a few kilobytes, instead of a script of 1.5 MB.

What it changes
    - Pages no longer load the theme's ``_static/scripts/fontawesome.js``.
      The build renders the theme's ``static/webpack-macros.html`` template
      from a copy without that one ``<script>`` line (made from the installed
      theme's own file at the start of every build, in
      ``_build/.lesson_templates``, and placed first on the template path).
    - After the build, the theme's Font Awesome web fonts in
      ``_static/vendor/fontawesome/webfonts/`` are cut down to the glyphs that
      the site's pages and scripts name (``fa-bars``, ``fa-github`` …), and
      the theme's stylesheet carries the cut WOFF2 fonts in its
      ``@font-face`` rules as ``data:`` URLs (a few kilobytes), instead of
      naming files that the browser would fetch only once it has read the
      stylesheet (the TrueType fallbacks stay files).

Why
    pydata-sphinx-theme loads Font Awesome's JavaScript build on every page
    (1.5 MB, 540 KB compressed, parsed and run before the icons appear) to
    replace each ``<i class="fa-…">`` with an SVG. Its own stylesheet already
    holds Font Awesome's CSS and ``@font-face`` rules, so without the script
    the same icons are drawn from the web fonts, and those need only the
    dozen glyphs used. The header's icons are on the first screen, so their
    fonts were fetched before the first paint, one more round trip after the
    stylesheet on a phone's slow connection.

If the theme's template no longer has the line, the build stops and says so
(and ``UPSTREAM`` names the theme version this was written for).
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

__all__ = [
    "UPSTREAM", "TEMPLATE", "without_icon_script", "icon_names", "icon_codepoints", "subset_fonts", "inline_fonts",
    "setup",
]

logger = logging.getLogger(__name__)

#: The upstream versions whose template and assets this module relies on.
UPSTREAM = {"pydata-sphinx-theme": "==0.17.*"}

#: The theme template that loads the icon script, relative to the theme's folder.
TEMPLATE = "static/webpack-macros.html"

_SCRIPT_LINE = re.compile(r"^[ \t]*<script defer src=\"\{\{ pathto\('_static/scripts/fontawesome\.js', 1\) \}\}[^\n]*\n", re.M)
_ICON = re.compile(r"\bfa-([a-z0-9]+(?:-[a-z0-9]+)*)")
_RULE = re.compile(r"([^{}]+)\{content:\"\\([0-9a-f]{2,6})\"\}")
_BEFORE = re.compile(r"\.fa-([a-z0-9-]+):(?::)?before")

#: The web fonts of the theme's Font Awesome, relative to the built site.
FONT_FOLDER = Path("_static") / "vendor" / "fontawesome" / "webfonts"


def without_icon_script(template: str) -> str:
    """The theme's ``webpack-macros.html`` without the line that loads ``fontawesome.js``.

    Raises
    ------
    sphinx.errors.ExtensionError
        If the line is not there (the theme changed).
    """
    changed, count = _SCRIPT_LINE.subn("", template)
    if count != 1:
        raise ExtensionError(
            f"the theme's {TEMPLATE} no longer loads fontawesome.js the way book/_ext/lesson_book/icons.py expects "
            f"(found {count} such lines): check that module against the installed pydata-sphinx-theme"
        )
    return changed


def _override_template(app):
    if app.builder.format != "html":
        return
    from .theme import override_template, theme_template

    text = without_icon_script(theme_template("pydata_sphinx_theme", TEMPLATE).read_text(encoding="utf-8"))
    override_template(app, TEMPLATE, text)


def icon_names(texts) -> set[str]:
    """The Font Awesome icon names (``fa-<name>``) that the given HTML or script texts mention."""
    names = set()
    for text in texts:
        names.update(_ICON.findall(text))
    return names


def icon_codepoints(css: str, names) -> dict[str, int]:
    """The code point of each named icon, from Font Awesome's CSS (``.fa-bars:before{content:"\\f0c9"}``).

    Names that are not icons (``fa-solid``, ``fa-lg``) have no rule and are left out.

    >>> icon_codepoints('.fa-bars:before,.fa-navicon:before{content:"\\\\f0c9"}', {"bars", "lg"})
    {'bars': 61641}
    """
    wanted, found = set(names), {}
    for selectors, code in _RULE.findall(css):
        for name in _BEFORE.findall(selectors):
            if name in wanted:
                found[name] = int(code, 16)
    return dict(sorted(found.items()))


def subset_fonts(folder: Path, codepoints) -> dict[str, tuple[int, int]]:
    """Cut every Font Awesome font in ``folder`` down to ``codepoints``; return ``{file: (before, after)}`` bytes."""
    from fontTools import subset

    sizes = {}
    for path in sorted(folder.glob("fa-*")):
        if path.suffix not in (".woff2", ".ttf"):
            continue
        before = path.stat().st_size
        options = subset.Options()
        options.flavor = "woff2" if path.suffix == ".woff2" else None
        options.layout_features = ["*"]
        options.notdef_outline = True
        font = subset.load_font(str(path), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(set(codepoints)))
        subsetter.subset(font)
        subset.save_font(font, str(path), options)
        sizes[path.name] = (before, path.stat().st_size)
    return sizes


_WOFF2 = re.compile(r"url\((?P<quote>['\"]?)(?P<path>[^'\")]+\.woff2)(?P=quote)\)")


def inline_fonts(css: str, read) -> str:
    """``css`` with every local ``url(….woff2)`` replaced by a ``data:`` URL of that file (``read(path)`` gives its bytes).

    >>> inline_fonts('src:url(../f.woff2) format("woff2")', lambda path: b"wOF2")
    'src:url(data:font/woff2;base64,d09GMg==) format("woff2")'
    """
    import base64

    def inline(match: re.Match) -> str:
        if re.match(r"^([a-z]+:|/)", match["path"]):
            return match.group(0)
        return f"url(data:font/woff2;base64,{base64.b64encode(read(match['path'])).decode('ascii')})"

    return _WOFF2.sub(inline, css)


def _cut_fonts(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    folder = out / FONT_FOLDER
    if not folder.is_dir():
        raise ExtensionError(f"no Font Awesome fonts in {folder}: check book/_ext/lesson_book/icons.py against the theme")
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*.html")]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in (out / "_static").rglob("*.js")
              if p.name != "fontawesome.js"]
    stylesheet = out / "_static" / "styles" / "pydata-sphinx-theme.css"
    css = stylesheet.read_text(encoding="utf-8")
    codepoints = icon_codepoints(css, icon_names(texts))
    sizes = subset_fonts(folder, codepoints.values())
    inlined = inline_fonts(css, lambda path: (stylesheet.parent / path).read_bytes())
    if inlined != css:
        stylesheet.write_text(inlined, encoding="utf-8")
    elif "url(data:font/woff2;base64," not in css:
        raise ExtensionError(f"{stylesheet} names no WOFF2 font: check book/_ext/lesson_book/icons.py against the theme")
    # else: a build that wrote no page leaves the site's static files as the last build left them.
    before, after = sum(b for b, _ in sizes.values()), sum(a for _, a in sizes.values())
    logger.info(f"icons: {len(codepoints)} glyphs kept, fonts cut from {before / 1e3:.0f} KB to {after / 1e3:.0f} KB")


def setup(app):
    app.connect("builder-inited", _override_template)
    app.connect("build-finished", _cut_fonts)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
