"""Pages that draw before their scripts run, and images that load when needed.

What it changes
    - Every script file that Sphinx and its extensions list in a page's
      ``script_files`` gets ``defer`` (``async`` ones stay ``async``), so the
      browser draws the page before it fetches and runs them; deferred
      scripts still run in the order they are listed, before
      ``DOMContentLoaded``.
    - ``_static/documentation_options.js`` (Sphinx's ``const
      DOCUMENTATION_OPTIONS = {…}``, a dozen lines) is written into the page
      as an inline script instead: the inline scripts that
      pydata-sphinx-theme adds (``DOCUMENTATION_OPTIONS.pagename = …``,
      ``DOCUMENTATION_OPTIONS.search_as_you_type = …``) run while the page is
      parsed and need that object to exist, which a deferred file would not
      yet have made.
    - pydata-sphinx-theme's ``layout.html`` loads Sphinx's search
      (``searchtools.js``, ``language_data.js`` and the 100 KB
      ``searchindex.js``) on every page, blocking, for its search-as-you-type
      dialog. The build renders that template from a copy (made from the
      installed theme's own file at the start of every build, in
      ``_build/.lesson_templates``, the folder :mod:`~lesson_book.icons`
      uses) that loads them only when ``search_as_you_type`` is on, and then
      deferred. The book leaves it off (the theme's default), so the search
      box sends the reader to ``search.html``, which loads the search the
      same way as before, from the theme's ``search.html`` template, here with
      ``defer`` too.
    - Stylesheets that block the first paint and style nothing on the page
      are not listed: sphinx-design's (jupyter-book loads the extension; a
      page without any ``sd-`` element does not need its 55 KB stylesheet or
      its tab script) and sphinx-thebe's (its stylesheet and scripts, while
      the book's launch buttons do not offer Thebe).
    - pydata-sphinx-theme's ``styles/theme.css`` holds one line,
      ``@import "../basic.css"``: the browser learns of ``basic.css`` only
      after ``theme.css`` arrives, one more round trip before the first paint.
      After the build, ``theme.css`` is written with ``basic.css``'s rules in
      it (its ``url()`` paths made relative to ``styles/``).
    - Every ``<img>`` made from the document tree (figures, notebook outputs)
      gets ``width`` and ``height`` attributes, the image file's size in
      pixels, and ``style="height: auto"`` (the theme narrows images with
      ``max-width: 100%`` only), so the browser reserves the image's space in
      its proportions before it arrives and the text below does not jump,
      through the node visitor of ``nodes.image`` (which wraps the
      translator's own ``visit_image``); images below the first screen of a phone get
      ``loading="lazy"`` (docutils' own ``loading`` attribute of image
      nodes). The logos of the launch menu's buttons load lazily too
      (:func:`~lesson_book.theme.lazy_button_logos`): the menu is closed
      until the reader opens it.

Why
    Lighthouse (mobile) counted 24 render-blocking requests on each chapter;
    each one delays the first paint by a round trip on a slow phone
    connection, and the search index alone is 100 KB that no chapter uses.
    Images without sizes shift the text as they arrive; images far down a
    page need not compete with the first screen for the connection.

If the theme's templates no longer load the search the way this module
expects, the build stops and says so (``UPSTREAM`` names the versions this
was written for). ``tests/test_book_extension.py`` and ``tests/test_speed.py``
check the upstream behaviour and the built pages.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

__all__ = [
    "UPSTREAM", "TEMPLATES", "FOLD_CHARACTERS", "deferred_scripts", "layout_without_search",
    "search_deferred", "mark_lazy_images", "PAGE_DEPENDENT_CSS", "without_unused_assets", "rebase_urls",
    "flatten_theme_css", "setup",
]

logger = logging.getLogger(__name__)

#: The upstream versions whose templates and script lists this module relies on.
UPSTREAM = {"pydata-sphinx-theme": "==0.17.*", "sphinx": "==7.4.*"}

#: Templates of pydata-sphinx-theme this module renders from changed copies, relative to its folder.
TEMPLATES = ("layout.html", "search.html")

#: How much text (characters of the document, code included) may come before an image that is still
#: on the first screen of a phone (390 x 844 px: the header, the title and some twenty lines of about
#: fifty characters); images after more text than this load lazily.
FOLD_CHARACTERS = 1000

OPTIONS_FILE = "documentation_options.js"

_SEARCH_SCRIPTS = re.compile(
    r"(?P<indent>[ \t]*)<script src=\"\{\{ pathto\('_static/searchtools\.js', 1\)(?P<filter>[^}]*)\}\}\"></script>\n"
    r"[ \t]*<script src=\"\{\{ pathto\('_static/language_data\.js', 1\)[^}]*\}\}\"></script>\n"
    r"[ \t]*<script src=\"\{\{ pathto\('searchindex\.js', 1\)[^}]*\}\}\"></script>\n"
)


def _deferred_block(indent: str, filter_: str) -> str:
    return "".join(
        f"{indent}<script defer src=\"{{{{ pathto('{name}', 1){filter_}}}}}\"></script>\n"
        for name in ("_static/searchtools.js", "_static/language_data.js", "searchindex.js")
    )


def _replace_search(template: str, name: str, *, only_if_as_you_type: bool) -> str:
    matches = list(_SEARCH_SCRIPTS.finditer(template))
    if len(matches) != 1:
        raise ExtensionError(
            f"pydata-sphinx-theme's {name} no longer loads Sphinx's search scripts the way "
            f"book/_ext/lesson_book/loading.py expects (found {len(matches)} such blocks): "
            "check that module against the installed theme"
        )
    match = matches[0]
    block = _deferred_block(match["indent"], match["filter"])
    if only_if_as_you_type:
        block = f"{match['indent']}{{% if theme_search_as_you_type|tobool %}}\n{block}{match['indent']}{{% endif %}}\n"
    return template[: match.start()] + block + template[match.end():]


def layout_without_search(template: str) -> str:
    """The theme's ``layout.html`` with the search scripts loaded only for search-as-you-type, deferred.

    Raises
    ------
    sphinx.errors.ExtensionError
        If the template does not load the three search scripts as one block (the theme changed).
    """
    return _replace_search(template, "layout.html", only_if_as_you_type=True)


def search_deferred(template: str) -> str:
    """The theme's ``search.html`` with its three search scripts deferred.

    Raises
    ------
    sphinx.errors.ExtensionError
        If the template does not load the three search scripts as one block (the theme changed).
    """
    return _replace_search(template, "search.html", only_if_as_you_type=False)


def _override_templates(app):
    if app.builder.format != "html":
        return
    from .theme import (
        BUTTONS_TEMPLATE,
        HEADER_TEMPLATE,
        buttons_by_name,
        lazy_button_logos,
        override_template,
        theme_template,
    )

    # sphinx-book-theme's layout.html extends "pydata_sphinx_theme/layout.html" by that name.
    override_template(app, "pydata_sphinx_theme/layout.html",
                      layout_without_search(theme_template("pydata_sphinx_theme", "layout.html").read_text("utf-8")))
    override_template(app, "search.html",
                      search_deferred(theme_template("pydata_sphinx_theme", "search.html").read_text("utf-8")))
    override_template(app, BUTTONS_TEMPLATE,
                      lazy_button_logos(theme_template("sphinx_book_theme", BUTTONS_TEMPLATE).read_text("utf-8")))
    # Included by its bare name; its copy imports the changed macros above by name.
    override_template(app, Path(HEADER_TEMPLATE).name,
                      buttons_by_name(theme_template("sphinx_book_theme", HEADER_TEMPLATE).read_text("utf-8")))


def _options_script(app) -> str:
    """Sphinx's ``documentation_options.js`` for this build, rendered from its template."""
    import sphinx

    source = Path(sphinx.__file__).parent / "themes" / "basic" / "static" / f"{OPTIONS_FILE}.jinja"
    if not source.is_file():
        raise ExtensionError(f"Sphinx has no {source}: check book/_ext/lesson_book/loading.py against the installed Sphinx")
    return app.builder.templates.render_string(source.read_text("utf-8"), app.builder.globalcontext).strip()


def deferred_scripts(scripts, options_body: str) -> list:
    """``scripts`` with each script file deferred and ``documentation_options.js`` as an inline script.

    Inline scripts (no file) stay as they are and where they are; so do ``async`` and module scripts.
    """
    from sphinx.builders.html._assets import _JavaScript

    out = []
    for script in scripts:
        filename = os.fspath(getattr(script, "filename", script) or "")
        attributes = dict(getattr(script, "attributes", {}))
        priority = getattr(script, "priority", 500)
        if not filename:
            out.append(script)
        elif Path(filename).name == OPTIONS_FILE:
            out.append(_JavaScript("", priority=priority, body=options_body))
        elif {"async", "defer"} & set(attributes) or attributes.get("type") == "module":
            out.append(script)
        else:
            out.append(_JavaScript(filename, priority=priority, **attributes, defer="defer"))
    return out


def _defer_scripts(app, pagename, templatename, context, doctree):
    context["script_files"] = deferred_scripts(context.get("script_files", []), _options_script(app))


def _uses_thebe(app) -> bool:
    launch = (app.config.html_theme_options or {}).get("launch_buttons") or {}
    return bool(launch.get("thebe"))


_DESIGN_CSS, _THEBE_CSS = "sphinx-design.min.css", "sphinx-thebe.css"

#: Stylesheets linked only on the pages that use them (:func:`without_unused_assets`).
PAGE_DEPENDENT_CSS = frozenset({_DESIGN_CSS, _THEBE_CSS})


def without_unused_assets(css_files, script_files, body: str, *, thebe: bool) -> tuple[list, list]:
    """The page's stylesheets and scripts without sphinx-design's (no ``sd-`` element) and sphinx-thebe's."""
    drop_css, drop_js = set(), set()
    if not re.search(r"class=\"[^\"]*\bsd-", body):
        drop_css.add(_DESIGN_CSS)
        drop_js.add("design-tabs.js")
    if not thebe:
        drop_css.add(_THEBE_CSS)
        drop_js.add("sphinx-thebe.js")

    def name(asset) -> str:
        return Path(os.fspath(getattr(asset, "filename", asset) or "")).name

    def thebe_config(script) -> bool:
        return not thebe and not name(script) and "THEBE_JS_URL" in (getattr(script, "attributes", {}).get("body") or "")

    css = [sheet for sheet in css_files if name(sheet) not in drop_css]
    scripts = [script for script in script_files if name(script) not in drop_js and not thebe_config(script)]
    return css, scripts


def _drop_unused_assets(app, pagename, templatename, context, doctree):
    if app.builder.name != "html":
        return
    context["css_files"], context["script_files"] = without_unused_assets(
        context.get("css_files", []), context.get("script_files", []), context.get("body", ""),
        thebe=_uses_thebe(app),
    )


_IMPORT = re.compile(r'^@import\s+(?:url\()?"(?P<path>[^"]+)"\)?\s*;\s*$', re.M)
_URL = re.compile(r"url\((?P<quote>['\"]?)(?P<path>[^'\")]+)(?P=quote)\)")


def rebase_urls(css: str, folder: str, new_folder: str) -> str:
    """``css`` from ``folder`` with its relative ``url()`` paths made relative to ``new_folder``.

    Both folders are relative to the same place (the built site, or the importing file's folder).

    >>> rebase_urls("a{background:url('../img/x.png')}", "_static/styles", "_static")
    "a{background:url('img/x.png')}"
    """
    def rebase(url: re.Match) -> str:
        target = url["path"]
        if re.match(r"^([a-z]+:|/|#)", target):
            return url.group(0)
        moved = posixpath.relpath(posixpath.normpath(posixpath.join(folder, target)), new_folder)
        return f"url({url['quote']}{moved}{url['quote']})"

    return _URL.sub(rebase, css)


def flatten_theme_css(theme_css: str, read) -> str:
    """``theme_css`` with each ``@import "path"`` replaced by that file's rules (``read(path)``).

    The imported file's relative ``url()`` paths are rewritten to be relative to the importing file.
    """
    def inline(match: re.Match) -> str:
        path = match["path"]
        folder = posixpath.dirname(path)
        return rebase_urls(read(path), folder, ".") if folder else read(path)

    flattened, count = _IMPORT.subn(inline, theme_css)
    if count == 0:
        raise ExtensionError(
            "the theme's styles/theme.css no longer imports basic.css: check book/_ext/lesson_book/loading.py "
            "against the installed pydata-sphinx-theme"
        )
    return flattened


def _flatten_theme_css(app, exception):
    if exception is not None or app.builder.name != "html":
        return
    static = Path(app.outdir) / "_static"
    theme_css = static / "styles" / "theme.css"
    if theme_css.is_file() and "@import" in theme_css.read_text("utf-8"):
        text = flatten_theme_css(theme_css.read_text("utf-8"), lambda path: (theme_css.parent / path).read_text("utf-8"))
        theme_css.write_text(text, encoding="utf-8")


def mark_lazy_images(doctree: nodes.document, fold: int = FOLD_CHARACTERS) -> int:
    """Mark each image after more than ``fold`` characters of text with ``loading="lazy"``; how many were marked."""
    seen, marked = 0, 0
    for node in doctree.findall(lambda n: isinstance(n, (nodes.Text, nodes.image))):
        if isinstance(node, nodes.Text):
            seen += len(node)
        elif seen > fold and "loading" not in node:
            node["loading"] = "lazy"
            marked += 1
    return marked


def _lazy_images(app, doctree, docname):
    # The site's pages only: the one-page build is printed to PDF, where every image must load.
    if app.builder.name == "html":
        mark_lazy_images(doctree)


def _image_size(translator, node) -> tuple[int, int] | None:
    from sphinx.util.images import get_image_size

    uri = node["uri"]
    candidates = [Path(translator.builder.srcdir) / uri]
    if uri in translator.builder.images:
        candidates.insert(0, Path(translator.builder.outdir) / translator.builder.imagedir / translator.builder.images[uri])
    for path in candidates:
        if path.is_file():
            size = get_image_size(str(path))
            if size:
                return int(size[0]), int(size[1])
    return None


def visit_image(translator, node):
    """The translator's own ``visit_image``, with the image file's pixel size as ``width`` and ``height``."""
    size = _image_size(translator, node)
    original = type(translator).visit_image
    if size is None:
        return original(translator, node)
    emptytag = translator.emptytag

    def sized(tag_node, tagname, suffix="\n", **attributes):
        if tagname == "img" and tag_node is node:
            attributes.setdefault("width", str(size[0]))
            attributes.setdefault("height", str(size[1]))
            # The attributes give the browser the image's proportions before it arrives; "height: auto"
            # keeps them when the stylesheet narrows the image (max-width: 100%) on a phone.
            style = attributes.get("style", "")
            if "height" not in style:
                attributes["style"] = "; ".join(filter(None, (style.rstrip("; "), "height: auto")))
        return emptytag(tag_node, tagname, suffix, **attributes)

    translator.emptytag = sized
    try:
        return original(translator, node)
    finally:
        del translator.emptytag


def depart_image(translator, node):
    return type(translator).depart_image(translator, node)


def setup(app):
    app.connect("builder-inited", _override_templates)
    app.connect("doctree-resolved", _lazy_images)
    app.connect("html-page-context", _defer_scripts, priority=950)
    app.connect("html-page-context", _drop_unused_assets, priority=940)
    app.connect("build-finished", _flatten_theme_css)
    app.add_node(nodes.image, override=True, html=(visit_image, depart_image))
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
