"""Sphinx extension of the MNIST book: no stale pages, and notebooks to download.

No stale pages
    Jupyter Book's execution cache keys a chapter on its own code cells, so a
    change inside ``mnist_lesson`` would leave old outputs on the site. This
    extension works out, for each chapter, which package modules it uses
    (the modules it imports and, transitively, theirs) and computes a digest of
    their code (comments and docstrings aside), the settings in force (``MNIST_LESSON_*``) and the versions
    of the libraries that compute results. When that digest changes, the
    chapter is read again and a hidden comment cell carrying the digest is
    appended to it, which changes the notebook's hash in the execution cache:
    the chapter runs again. When nothing changed, nothing runs.

Math without a CDN
    MathJax is served with the site (from the npm package ``mathjax``,
    installed by ``npm ci``), so formulas render offline and readers' browsers
    contact no third party.

Accessible names and roles
    Citations are list items (``role="listitem"``) inside the list that
    docutils wraps around them, instead of the deprecated
    ``doc-biblioentry`` role, which screen readers and axe-core do not accept
    as a list item; and the toggles of folded code cells are named by their
    visible text ("Show code cell source") rather than a different label.

Draft builds
    With ``MNIST_LESSON_DRAFT=1`` every page carries a banner saying it is a
    draft.

One copy of each script
    A page lists each of its scripts once (see :func:`_dedupe_scripts`).

The notebooks students download, and the Colab entry of the launch menu,
are the job of ``lesson_notebooks.py`` beside this file.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import importlib.util
import json
import re
import shutil
from functools import partial
from importlib import metadata
from pathlib import Path

from sphinx.errors import ExtensionError

from mnist_lesson.cache import code_fingerprint
from mnist_lesson.config import get_settings

__all__ = ["setup", "chapter_modules", "module_closure", "dependency_digest", "with_digest", "DEPS_TAG"]

#: Tag of the hidden cell that carries a chapter's dependency digest.
DEPS_TAG = "mnist-lesson-dependencies"

#: Libraries whose version changes computed results.
RESULT_LIBRARIES = ("tensorflow", "keras", "numpy", "pandas", "scikit-learn", "openTSNE", "matplotlib")

_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(mnist_lesson(?:\.[\w.]+)?)[ \t]+import[ \t]+(?:\(([\w\s,]+)\)|([\w \t,]+))"
    r"|import[ \t]+(mnist_lesson(?:\.[\w.]+)?))",
    re.M,
)


def chapter_modules(text: str) -> set[str]:
    """The ``mnist_lesson`` modules a chapter's code imports directly.

    ``from mnist_lesson import load_mnist`` counts as the module that defines
    ``load_mnist`` (``mnist_lesson.data``), not the whole package.
    """
    import mnist_lesson

    modules = set()
    for match in _IMPORT.finditer(text):
        source, grouped, names, plain = match.groups()
        names = re.sub(r"\s+as\s+\w+", "", grouped or names or "")
        if plain:
            modules.add(plain if plain != "mnist_lesson" else "mnist_lesson")
            continue
        module = importlib.import_module(source)
        for name in re.split(r"[\s,]+", names.strip()):
            if not name:
                continue
            value = getattr(module, name, None)
            if value is None:
                modules.add(source)
            elif hasattr(value, "__file__") and getattr(value, "__name__", "").startswith("mnist_lesson"):
                modules.add(value.__name__)
            else:
                defined_in = getattr(value, "__module__", source) or source
                modules.add(defined_in if defined_in.startswith("mnist_lesson") else source)
    if "mnist_lesson" in modules:  # a bare `import mnist_lesson` may use anything
        modules.discard("mnist_lesson")
        modules |= {name for name in _all_modules(mnist_lesson)}
    return modules


def _all_modules(package) -> set[str]:
    root = Path(package.__file__).parent
    out = set()
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.add(".".join((package.__name__, *parts)))
    return out


#: Results computed from a source file, keyed by (what, path, mtime, size):
#: a build asks for the same modules' imports and fingerprints many times.
_FILE_MEMO: dict = {}


def _from_file(what: str, path: str, compute):
    stat = Path(path).stat()
    key = (what, path, stat.st_mtime_ns, stat.st_size)
    if key not in _FILE_MEMO:
        _FILE_MEMO[key] = compute()
    return _FILE_MEMO[key]


def _imports_of(module_name: str) -> set[str]:
    spec = importlib.util.find_spec(module_name)
    if spec is None or spec.origin is None:
        return set()
    return set(_from_file("imports", spec.origin, lambda: _parse_imports(module_name, spec)))


def _fingerprint(path: str) -> str:
    return code_fingerprint(Path(path).read_text())


def _parse_imports(module_name: str, spec) -> frozenset[str]:
    tree = ast.parse(Path(spec.origin).read_text())
    package = module_name if spec.submodule_search_locations else module_name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package) if node.level else node.module
            if not base or not base.startswith("mnist_lesson"):
                continue
            found.add(base)
            base_spec = importlib.util.find_spec(base)
            if base_spec is not None and base_spec.submodule_search_locations:
                for alias in node.names:  # `from . import plotting` names a module
                    candidate = f"{base}.{alias.name}"
                    if importlib.util.find_spec(candidate) is not None:
                        found.add(candidate)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("mnist_lesson")}
    return frozenset(found)


def module_closure(modules) -> list[str]:
    """The given modules and every ``mnist_lesson`` module they import, sorted."""
    seen, todo = set(), list(modules)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(_imports_of(name) - seen)
    return sorted(seen)


_DATA_FILE = re.compile(r"""["']([\w./-]+\.(?:json|csv))["']""")


def dependency_digest(text: str, folder: Path | None = None) -> str:
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
    for name in module_closure(chapter_modules(text)):
        spec = importlib.util.find_spec(name)
        digest.update(name.encode())
        digest.update(_from_file("code", spec.origin, partial(_fingerprint, spec.origin)).encode())
    settings = get_settings().as_dict()
    settings.pop("cache_dir")
    digest.update(json.dumps(settings, sort_keys=True).encode())
    for library in RESULT_LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=none".encode())
    return digest.hexdigest()[:32]


def _is_notebook_source(text: str) -> bool:
    return "```{code-cell}" in text


def _source_path(app, docname: str) -> Path:
    return Path(app.env.doc2path(docname))


def _outdated(app, env, added, changed, removed):
    """Chapters whose package dependencies, settings or libraries changed."""
    stored = getattr(env, "lesson_dependencies", {})
    stale = []
    for docname in sorted(env.found_docs - set(added) - set(changed)):
        path = _source_path(app, docname)
        if path.suffix != ".md" or not path.is_file():
            continue
        text = path.read_text()
        if _is_notebook_source(text) and stored.get(docname) != dependency_digest(text, path.parent):
            stale.append(docname)
    return stale


def with_digest(text: str, folder: Path) -> tuple[str, str]:
    """A chapter's text with its hidden digest cell appended, and the digest."""
    digest = dependency_digest(text, folder)
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


def _inject_digest(app, docname, source):
    """Append a hidden comment cell with the digest, so the execution cache sees it."""
    if not _is_notebook_source(source[0]):
        return
    source[0], digest = with_digest(source[0], _source_path(app, docname).parent)
    if not hasattr(app.env, "lesson_dependencies"):
        app.env.lesson_dependencies = {}
    app.env.lesson_dependencies[docname] = digest


def _purge(app, env, docname):
    getattr(env, "lesson_dependencies", {}).pop(docname, None)


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    """Drop repeated <script> entries from a page.

    sphinx-thebe registers its configuration script while documents are read,
    and Sphinx then lists it twice on every page (once with the file name
    ``None``, once with ``""``); the second copy redeclares a ``const`` and
    raises a JavaScript error in the reader's console. (sphinx-togglebutton's
    selector script is listed twice the same way, harmlessly.)
    """
    seen, unique = set(), []
    for script in context.get("script_files", []):
        attributes = tuple(sorted((k, str(v)) for k, v in getattr(script, "attributes", {}).items()))
        key = (getattr(script, "filename", str(script)) or "", attributes)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


#: The MathJax files the site needs, relative to ``node_modules/mathjax/es5``.
MATHJAX_FILES = ("tex-chtml.js", "output/chtml/fonts/woff-v2", "ui", "a11y", "input/tex/extensions")


def _copy_mathjax(app, exception):
    """Copy MathJax into ``_static/mathjax`` of the built site."""
    if exception is not None or app.builder.format != "html":
        return
    source = Path(app.confdir) / "node_modules" / "mathjax" / "es5"
    if not (source / "tex-chtml.js").is_file():
        raise ExtensionError(
            f"MathJax is missing from {source}: run `npm ci` in the repository (`make install` does it)"
        )
    target = Path(app.outdir) / "_static" / "mathjax"
    for name in MATHJAX_FILES:
        src, dst = source / name, target / name
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)


def _fix_accessible_names(app, pagename, templatename, context, doctree):
    """Repair two accessibility faults in generated markup (see the module docstring)."""
    body = context.get("body")
    if not body:
        return
    body = body.replace('role="doc-biblioentry"', 'role="listitem"')
    # myst-nb labels the "Show code cell source" toggles "Toggle hidden content",
    # which hides their visible text from screen readers; the text is the name.
    body = body.replace('<summary aria-label="Toggle hidden content">', "<summary>")
    context["body"] = body


DRAFT_BANNER = (
    "Draft build (MNIST_LESSON_DRAFT=1): smaller settings for proof-reading; "
    "the numbers and figures are not those of the published book."
)


def _mark_draft(app, config):
    """In the draft profile, say so at the top of every page."""
    if get_settings().draft:
        config.html_theme_options = {**config.html_theme_options, "announcement": DRAFT_BANNER}


def setup(app):
    app.connect("config-inited", _mark_draft)
    app.connect("env-get-outdated", _outdated)
    app.connect("source-read", _inject_digest)
    app.connect("env-purge-doc", _purge)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("html-page-context", _fix_accessible_names)
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": False, "parallel_write_safe": True, "version": "1"}
