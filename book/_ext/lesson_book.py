"""Sphinx extension of the MNIST book: chapter notebooks to download.

Every executed chapter is offered as a Jupyter notebook at
``_sources/<page>.ipynb`` (the theme's download button links to it). The copy
starts with a cell that installs ``mnist_lesson`` when it is missing, so a
student can run the chapter alone, in Jupyter or Colab, with nothing else.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from mnist_lesson.notebooks import add_install_cell

__all__ = ["setup"]


def _executed_notebook(app, pagename: str) -> Path:
    return Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"


def _offer_notebook(app, pagename, templatename, context, doctree):
    """Point the theme's download button at the chapter's notebook."""
    if _executed_notebook(app, pagename).is_file():
        context["ipynb_source"] = f"{pagename}.ipynb"
        app.env.lesson_notebooks = getattr(app.env, "lesson_notebooks", set()) | {pagename}


def _write_notebooks(app, exception):
    """After the pages (and the theme's own copies): write the notebooks to download."""
    if exception is not None or app.builder.format != "html":
        return
    repository = app.config.html_theme_options.get("repository_url", "")
    for pagename in sorted(getattr(app.env, "lesson_notebooks", set())):
        notebook = nbformat.read(_executed_notebook(app, pagename), as_version=4)
        add_install_cell(notebook, repository=repository)
        nbformat.validate(notebook)
        target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, target)


def setup(app):
    # Before the theme's buttons are made (priority 500), so they see ipynb_source.
    app.connect("html-page-context", _offer_notebook, priority=400)
    app.connect("build-finished", _write_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
