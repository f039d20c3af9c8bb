"""No stale pages: a chapter runs again when anything it depends on changes.

What it changes
    Before myst-nb looks a page up in its execution cache, a hidden comment
    cell (tagged ``remove-cell`` and :data:`DEPS_TAG`) is appended to the
    page's text. It carries a digest of everything outside the page's own
    cells that changes its outputs: the code of the ``mnist_lesson`` modules
    it uses (directly or through other modules; comments and docstrings
    aside), the settings in force (``MNIST_LESSON_*``), the versions of the
    libraries that compute results, and the JSON or CSV files it names.

Why
    myst-nb keys a page in the cache on its own code cells only (upstream
    behaviour of ``execution_mode: cache``), so a change inside the package
    would leave old outputs on the site. With the digest cell, the page's
    notebook hash changes with its dependencies: the page runs again, and
    only then. Pages whose digest changed since the last build are also
    marked outdated, so Sphinx reads them again (``env-get-outdated``).

Which modules a page uses is read from its code cells (read with jupytext,
as myst-nb reads them) by :mod:`mnist_lesson.imports`, the same ``ast`` scan
that keys the package's own training cache.
"""

from __future__ import annotations

import hashlib
import json
import re
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

import jupytext
from sphinx.errors import ExtensionError

from mnist_lesson.cache import code_fingerprint
from mnist_lesson.config import get_settings
from mnist_lesson.imports import module_closure, package_modules

__all__ = ["DEPS_TAG", "chapter_code", "chapter_modules", "dependency_digest", "is_notebook_source", "with_digest"]

#: Tag of the hidden cell that carries a chapter's dependency digest.
DEPS_TAG = "mnist-lesson-dependencies"

#: Libraries whose version changes computed results.
RESULT_LIBRARIES = ("tensorflow", "keras", "numpy", "pandas", "scikit-learn", "openTSNE", "matplotlib", "seaborn")

#: IPython lines that are not Python: magics (``%``, ``%%``), shell escapes (``!``) and help (``?``).
_IPYTHON_LINE = re.compile(r"^\s*(%|!|\w[\w.]*\?\??\s*$)")


def is_notebook_source(text: str) -> bool:
    """Whether a page's MyST text is a notebook (has code cells)."""
    return "```{code-cell}" in text


def chapter_code(text: str) -> list[str]:
    """The Python code of each code cell of a MyST notebook page, IPython-only lines blanked."""
    notebook = jupytext.reads(text, fmt="md:myst")
    return [
        "\n".join("" if _IPYTHON_LINE.match(line) else line for line in cell.source.splitlines())
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]


def chapter_modules(text: str, page: str = "the page") -> set[str]:
    """The ``mnist_lesson`` modules a chapter's code cells import directly.

    ``from mnist_lesson import load_mnist`` counts as the module that defines
    ``load_mnist`` (``mnist_lesson.data``), not the whole package; see
    :mod:`mnist_lesson.imports` for every form understood.

    Raises
    ------
    sphinx.errors.ExtensionError
        If a code cell is not valid Python: its imports cannot be known, so
        the page could go stale.
    """
    modules = set()
    for number, code in enumerate(chapter_code(text), start=1):
        try:
            modules |= package_modules(code)
        except SyntaxError as exc:
            raise ExtensionError(
                f"code cell {number} of {page} is not valid Python ({exc.msg}, line {exc.lineno}): "
                "its imports cannot be read, so the page could not be kept fresh; fix the cell"
            ) from None
    return modules


#: Fingerprints of module files, keyed by (path, mtime, size): a build asks for them many times.
_FINGERPRINTS: dict = {}


def _fingerprint(path: str) -> str:
    stat = Path(path).stat()
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _FINGERPRINTS:
        _FINGERPRINTS[key] = code_fingerprint(Path(path).read_text())
    return _FINGERPRINTS[key]


_DATA_FILE = re.compile(r"""["']([\w./-]+\.(?:json|csv))["']""")


def dependency_digest(text: str, folder: Path | None = None, page: str = "the page") -> str:
    """Digest of everything outside a chapter's own cells that changes its outputs.

    That is the source of the package modules it uses, the settings, the
    versions of the libraries that compute results, and any JSON or CSV file
    it names by a path relative to its ``folder`` (such as the benchmark
    results shown on the build-status page).
    """
    digest = hashlib.sha256()
    for name in sorted(set(_DATA_FILE.findall(text))):
        path = (folder or Path.cwd()) / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    for name in module_closure(chapter_modules(text, page)):
        digest.update(name.encode())
        digest.update(_fingerprint(find_spec(name).origin).encode())
    settings = get_settings().as_dict()
    settings.pop("cache_dir")
    digest.update(json.dumps(settings, sort_keys=True).encode())
    for library in RESULT_LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=none".encode())
    return digest.hexdigest()[:32]


def with_digest(text: str, folder: Path, page: str = "the page") -> tuple[str, str]:
    """A chapter's text with its hidden digest cell appended, and the digest."""
    digest = dependency_digest(text, folder, page)
    return (
        text.rstrip("\n")
        + (
            "\n\n```{code-cell} ipython3\n"
            f":tags: [remove-cell, {DEPS_TAG}]\n"
            f"# mnist_lesson dependencies of this page: {digest}\n"
            "```\n"
        ),
        digest,
    )


def source_path(app, docname: str) -> Path:
    """The file a page is read from."""
    return Path(app.env.doc2path(docname))


def _outdated(app, env, added, changed, removed):
    """Chapters whose package dependencies, settings or libraries changed."""
    stored = getattr(env, "lesson_dependencies", {})
    stale = []
    for docname in sorted(env.found_docs - set(added) - set(changed)):
        path = source_path(app, docname)
        if path.suffix != ".md" or not path.is_file():
            continue
        text = path.read_text()
        if is_notebook_source(text) and stored.get(docname) != dependency_digest(text, path.parent, docname):
            stale.append(docname)
    return stale


def _inject_digest(app, docname, source):
    """Append a hidden comment cell with the digest, so the execution cache sees it."""
    if not is_notebook_source(source[0]):
        return
    source[0], digest = with_digest(source[0], source_path(app, docname).parent, docname)
    if not hasattr(app.env, "lesson_dependencies"):
        app.env.lesson_dependencies = {}
    app.env.lesson_dependencies[docname] = digest


def _purge(app, env, docname):
    getattr(env, "lesson_dependencies", {}).pop(docname, None)


def setup(app):
    app.connect("env-get-outdated", _outdated)
    app.connect("source-read", _inject_digest)
    app.connect("env-purge-doc", _purge)
    return {"parallel_read_safe": False, "parallel_write_safe": True, "version": "2"}
