"""An "Open in Colab" entry in each chapter's launch menu.

What it changes
    Adds "Colab" to the theme's launch menu of every page offered as a
    student notebook, opening that notebook from the branch to which the
    Pages workflow publishes the notebooks (``lesson_colab_branch`` in
    ``_config.yml``; empty: no entry).

Why
    sphinx-book-theme's launch buttons know Binder, JupyterHub and Colab, but
    its Colab button opens the page's *source* (MyST Markdown with ``{glue}``
    roles), not the student edition that runs on its own.
"""

from __future__ import annotations

import re

from .notebooks import has_notebook
from .theme import THEME_PRIORITY, add_header_link

__all__ = ["COLAB_URL", "colab_url", "setup"]

#: Where "Open in Colab" opens a notebook from GitHub.
COLAB_URL = "https://colab.research.google.com/github"


def colab_url(repository_url: str, branch: str, pagename: str) -> str | None:
    """The Colab address of a chapter's notebook, or None when there can be none.

    The notebooks live on ``branch`` of the book's GitHub repository, at
    ``<pagename>.ipynb`` (the Pages workflow publishes them there).

    >>> colab_url("https://github.com/me/mnist-book", "notebooks", "book/pca")
    'https://colab.research.google.com/github/me/mnist-book/blob/notebooks/book/pca.ipynb'
    >>> colab_url("https://gitlab.com/me/mnist-book", "notebooks", "book/pca") is None
    True
    """
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?", repository_url or "")
    if not match or not branch:
        return None
    org, repo = match.groups()
    return f"{COLAB_URL}/{org}/{repo}/blob/{branch}/{pagename}.ipynb"


def _add_colab_button(app, pagename, templatename, context, doctree):
    """Add "Colab" to the launch menu of each chapter whose notebook is offered."""
    if not has_notebook(app, pagename):
        return
    url = colab_url(app.config.html_theme_options.get("repository_url", ""), app.config.lesson_colab_branch, pagename)
    if url is None:
        return
    add_header_link(context, "launch-buttons", text="Colab", tooltip="Open this chapter's notebook in Colab",
                    icon="_static/images/logo_colab.png", url=url)


def setup(app):
    app.add_config_value("lesson_colab_branch", "", "html")
    app.setup_extension("lesson_book.notebooks")
    # After the theme's launch buttons.
    app.connect("html-page-context", _add_colab_button, priority=THEME_PRIORITY + 1)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2"}
