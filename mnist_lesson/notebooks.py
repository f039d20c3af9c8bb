"""Turn the book's chapters into Jupyter notebooks that run on their own.

A chapter is a MyST Markdown notebook under ``book/``. :func:`export_notebooks`
writes each as an ``.ipynb`` whose first cell installs ``mnist_lesson`` when it
is missing, so a student can open a single chapter in Jupyter or Colab and run
it top to bottom. The book build uses :func:`add_install_cell` for the
notebooks it offers for download.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["INSTALL_TAG", "install_source", "add_install_cell", "chapter_files", "export_notebooks"]

#: Tag of the install cell (tagged ``remove-cell`` too, so a site built from
#: an exported notebook would not show it).
INSTALL_TAG = "mnist-lesson-install"

DEFAULT_REPOSITORY = "https://github.com/mnist-lesson/mnist-lesson"


def install_source(repository: str = DEFAULT_REPOSITORY) -> str:
    """The code of the install cell for a package published at ``repository``.

    Examples
    --------
    >>> "git+https://example.org/me/book" in install_source("https://example.org/me/book")
    True
    """
    repository = (repository or DEFAULT_REPOSITORY).rstrip("/")
    return (
        "# Run this cell first: it installs the lesson package when it is missing\n"
        "# (on Colab or a fresh laptop). Elsewhere it does nothing.\n"
        "import importlib.util, subprocess, sys\n"
        "\n"
        'if importlib.util.find_spec("mnist_lesson") is None:\n'
        "    subprocess.check_call([sys.executable, \"-m\", \"pip\", \"install\", \"--quiet\",\n"
        f'                           "mnist-lesson @ git+{repository}"])\n'
    )


def add_install_cell(notebook, *, repository: str = DEFAULT_REPOSITORY):
    """Put the install cell at the top of an ``nbformat`` notebook (once).

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        Changed in place and returned.
    repository : str
        Where the package can be installed from with ``pip``.
    """
    import nbformat

    cells = notebook.cells
    if cells and INSTALL_TAG in cells[0].get("metadata", {}).get("tags", []):
        return notebook
    cell = nbformat.v4.new_code_cell(
        install_source(repository), metadata={"tags": [INSTALL_TAG, "remove-cell"]}
    )
    cell.pop("id", None)
    if notebook.nbformat_minor >= 5:
        cell["id"] = "install-mnist-lesson"
    cells.insert(0, cell)
    return notebook


def chapter_files(book_dir: str | Path = "book", toc: str | Path | None = None) -> list[Path]:
    """The chapter sources in reading order, taken from ``_toc.yml``.

    Parameters
    ----------
    book_dir : path-like, default "book"
        The folder holding the chapters.
    toc : path-like, optional
        The table of contents; defaults to ``_toc.yml`` beside ``book_dir``.
    """
    book_dir = Path(book_dir)
    toc = Path(toc) if toc is not None else book_dir.parent / "_toc.yml"
    if not toc.is_file():
        raise FileNotFoundError(
            f"no table of contents at {toc}; run this from a clone of the book's repository "
            "or pass the book folder"
        )
    files = []
    for match in re.finditer(r"^\s*-?\s*(?:root|file):\s*(\S+)\s*$", toc.read_text(), re.M):
        path = toc.parent / (match.group(1) + ".md")
        if not path.is_file():
            raise FileNotFoundError(f"{toc} lists {match.group(1)}, but {path} does not exist")
        files.append(path)
    return files


def export_notebooks(
    out_dir: str | Path,
    *,
    chapters: list[str] | None = None,
    book_dir: str | Path = "book",
    repository: str = DEFAULT_REPOSITORY,
) -> list[Path]:
    """Write chapters as ``.ipynb`` notebooks (without outputs) into ``out_dir``.

    Parameters
    ----------
    out_dir : path-like
        Created if missing.
    chapters : list of str, optional
        Chapter names such as ``["data", "pca"]`` (file stems); all by default.
    book_dir : path-like, default "book"
    repository : str
        Where the install cell installs the package from.

    Returns
    -------
    list of pathlib.Path
        The notebooks written.
    """
    import jupytext
    import nbformat

    files = chapter_files(book_dir)
    if chapters:
        known = {f.stem: f for f in files}
        unknown = [c for c in chapters if c not in known]
        if unknown:
            raise ValueError(f"unknown chapter(s) {unknown}; the chapters are {sorted(known)}")
        files = [known[c] for c in chapters]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source in files:
        notebook = jupytext.read(source)
        notebook.metadata.pop("jupytext", None)
        add_install_cell(notebook, repository=repository)
        nbformat.validate(notebook)
        target = out_dir / f"{source.stem}.ipynb"
        nbformat.write(notebook, target)
        written.append(target)
    return written
