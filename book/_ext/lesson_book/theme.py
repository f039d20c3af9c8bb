"""The themes' templates and header buttons, as the book's extension changes them.

sphinx-book-theme builds the buttons at the top of each page from the
``header_buttons`` entry of the page's template context, in its
``html-page-context`` handler at priority 501: a list of groups (dicts with a
``label`` such as ``"launch-buttons"`` or ``"download-buttons"``) each holding
a list of buttons (dicts with ``type``, ``text``, ``url``, ``label`` …).
Handlers that run later (priority > 501) may change them. That structure is
upstream behaviour, relied on only here; ``tests/test_site.py`` checks the
changed buttons on the built pages, so a change of the theme fails a test.

The buttons are drawn by the theme's ``macros/buttons.html`` (imported by
its ``components/article-header-buttons.html`` by a path relative to that
folder, ``../macros/buttons.html``, which :func:`buttons_by_name` turns into
the name ``macros/buttons.html`` so that a changed copy is found first); a
button whose icon is an image file (the launch menu's Binder and Colab
logos) gets a plain ``<img>``. :func:`lazy_button_logos` makes those
``loading="lazy"``: they sit in a menu that is closed until the reader opens
it, and a lazy image that is not displayed is not fetched, so a page no
longer downloads them (two requests, 9 KB) before its first paint
(:mod:`~lesson_book.loading` applies it).

Where a module renders a template of pydata-sphinx-theme or
sphinx-book-theme from a changed copy, :func:`override_template` writes that
copy, made from the installed theme's own file at the start of every build,
into one folder of the build (``_build/.lesson_templates``) that is first on
the template path, so that a change of the theme is picked up and a change
of the copy rewrites every page.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.errors import ExtensionError

__all__ = [
    "UPSTREAM", "THEME_PRIORITY", "BUTTONS_TEMPLATE", "header_group", "add_header_link", "remove_header_button",
    "HEADER_TEMPLATE", "theme_template", "override_template", "buttons_by_name", "lazy_button_logos",
]

#: The upstream versions whose context structure and button template this module relies on.
UPSTREAM = {"sphinx-book-theme": "==1.3.*", "pydata-sphinx-theme": "==0.17.*"}

#: sphinx-book-theme's template that draws the header buttons, relative to its folder.
BUTTONS_TEMPLATE = "macros/buttons.html"

#: sphinx-book-theme's component that imports the button macros, relative to its folder; it is
#: included by its bare name (the theme puts ``components`` on the template path).
HEADER_TEMPLATE = "components/article-header-buttons.html"

_RELATIVE_IMPORT = '{% from "../macros/buttons.html" import'

#: The folder of the changed template copies, in the build folder (beside ``html``).
TEMPLATE_FOLDER = ".lesson_templates"

_LOGO = re.compile(r'<img (alt="\{\{ translate\(text\) \}\} \{\{ translate\("logo"\) \}\}" src="\{\{ pathto\(icon, 1\) \}\}")>')

#: The priority of the theme's ``html-page-context`` handler that makes the buttons.
THEME_PRIORITY = 501


def header_group(context, label: str) -> dict | None:
    """The group of header buttons called ``label`` on this page, or None."""
    for group in context.get("header_buttons", []):
        if group.get("label") == label:
            return group
    return None


def add_header_link(context, group_label: str, *, text: str, tooltip: str, icon: str, url: str,
                    label: str | None = None) -> bool:
    """Append a link to the header's menu ``group_label`` ("launch-buttons", "download-buttons").

    Returns whether the page has that menu (the theme leaves it out where it has nothing to offer).
    """
    group = header_group(context, group_label)
    if group is None:
        return False
    button = {"type": "link", "text": text, "tooltip": tooltip, "icon": icon, "url": url}
    if label:
        button["label"] = label
    group["buttons"].append(button)
    return True


def remove_header_button(context, label: str) -> None:
    """Remove the header button whose ``label`` is given, from whichever group holds it."""
    for group in context.get("header_buttons", []):
        if "buttons" in group:
            group["buttons"] = [b for b in group["buttons"] if b.get("label") != label]


def theme_template(theme: str, name: str) -> Path:
    """The installed template ``name`` of ``theme`` ("pydata_sphinx_theme" or "sphinx_book_theme")."""
    import pydata_sphinx_theme
    import sphinx_book_theme

    packages = {"pydata_sphinx_theme": pydata_sphinx_theme, "sphinx_book_theme": sphinx_book_theme}
    return Path(packages[theme].__file__).parent / "theme" / theme / name


def override_template(app, name: str, text: str) -> None:
    """Render the template ``name`` from ``text`` in this build, ahead of the themes' own.

    Writes the copy only when it differs from the one there (so that its
    time stamp marks a real change) and puts the folder first on Jinja's
    loaders and on Sphinx's template path once.
    """
    folder = Path(app.outdir).parent / TEMPLATE_FOLDER
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    if str(folder) not in app.builder.templates.pathchain:
        from jinja2 import FileSystemLoader

        app.builder.templates.loaders.insert(0, FileSystemLoader(str(folder)))
        app.builder.templates.pathchain.insert(0, str(folder))


def buttons_by_name(template: str) -> str:
    """sphinx-book-theme's ``article-header-buttons.html``, importing the button macros by name, not by a relative path.

    Raises
    ------
    sphinx.errors.ExtensionError
        If the template no longer imports them that way.
    """
    if template.count(_RELATIVE_IMPORT) != 1:
        raise ExtensionError(
            f"sphinx-book-theme's {HEADER_TEMPLATE} no longer imports {BUTTONS_TEMPLATE} as this expects: check "
            "buttons_by_name in book/_ext/lesson_book/theme.py against the installed theme"
        )
    return template.replace(_RELATIVE_IMPORT, _RELATIVE_IMPORT.replace("../macros/", "macros/"))


def lazy_button_logos(template: str) -> str:
    """sphinx-book-theme's ``macros/buttons.html`` with ``loading="lazy"`` on the buttons' logo images.

    Raises
    ------
    sphinx.errors.ExtensionError
        If the template no longer draws a logo the way this expects.
    """
    changed, count = _LOGO.subn(r'<img loading="lazy" \1>', template)
    if count != 1:
        raise ExtensionError(
            f"sphinx-book-theme's {BUTTONS_TEMPLATE} no longer draws a button's logo as this expects ({count} found): "
            "check lazy_button_logos in book/_ext/lesson_book/theme.py against the installed theme"
        )
    return changed
