"""The theme's header buttons, as the book's extension changes them.

sphinx-book-theme builds the buttons at the top of each page from the
``header_buttons`` entry of the page's template context, in its
``html-page-context`` handler at priority 501: a list of groups (dicts with a
``label`` such as ``"launch-buttons"`` or ``"download-buttons"``) each holding
a list of buttons (dicts with ``type``, ``text``, ``url``, ``label`` …).
Handlers that run later (priority > 501) may change them. That structure is
upstream behaviour, relied on only here; ``tests/test_site.py`` checks the
changed buttons on the built pages, so a change of the theme fails a test.
"""

from __future__ import annotations

__all__ = ["UPSTREAM", "THEME_PRIORITY", "header_group", "add_header_link", "remove_header_button"]

#: The upstream versions whose context structure this module relies on.
UPSTREAM = {"sphinx-book-theme": "==1.3.*"}

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
