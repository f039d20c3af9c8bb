"""The student edition of every chapter, and the wheel its install cell installs.

Every executed page (but those listed in ``lesson_notebook_exclude``) is offered as a Jupyter notebook at ``_sources/<page>.ipynb``
(the theme's download button links there; the Pages workflow pushes the same
files to the branch that "Open in Colab" opens). The notebook is the page's
student edition, made by :func:`mnist_lesson.notebooks.student_notebook` from
the executed notebook; this extension supplies what only the build knows
(:class:`BuildResolver`): the glued values, the targets and numbers of
cross-references, figures, equations and exercises, and the citations.

The notebook's first code cell installs the package version that built the
page from a wheel published with the site, at ``wheels/`` under the site's
address (``html.baseurl`` in ``_config.yml``); this extension builds that
wheel. While ``html.baseurl`` or ``repository.url`` is still the placeholder
shipped with the book, the build says so in one line.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import nbformat
from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

from mnist_lesson._version import __version__
from mnist_lesson.config import Settings, get_settings
from mnist_lesson.notebooks import NotebookConversionError, install_source, student_notebook

from . import mystnb
from .theme import THEME_PRIORITY, remove_header_button

logger = logging.getLogger(__name__)

#: The addresses the book ships with; a publisher replaces them in _config.yml.
PLACEHOLDER_REPOSITORY = "https://github.com/mnist-lesson/mnist-lesson"
PLACEHOLDER_SITE = "https://mnist-lesson.github.io/mnist-lesson/"

#: The published site's folder for the package's wheel.
WHEEL_FOLDER = "wheels"


def site_url(app) -> str:
    """The published site's address, ending in ``/`` (``html.baseurl`` in ``_config.yml``)."""
    base = (app.config.html_baseurl or PLACEHOLDER_SITE).strip()
    return base if base.endswith("/") else base + "/"


def wheel_name(version: str = __version__) -> str:
    """The file name of the package's wheel (pure Python, any platform)."""
    return f"mnist_lesson-{version}-py3-none-any.whl"


def project_root(app) -> Path:
    """The folder of the package's ``pyproject.toml``: the book's, or the imported package's."""
    import mnist_lesson

    for folder in (Path(app.confdir), Path(mnist_lesson.__file__).resolve().parents[1]):
        if (folder / "pyproject.toml").is_file() and (folder / "mnist_lesson").is_dir():
            return folder
    raise ExtensionError(
        f"cannot build the mnist_lesson wheel for the student notebooks: no pyproject.toml beside "
        f"{app.confdir} or the imported package ({mnist_lesson.__file__})"
    )


def _package_sources(root: Path) -> list[Path]:
    """What a clone holds of the package: its metadata files and every file of ``mnist_lesson``."""
    package = [p for p in (root / "mnist_lesson").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    metadata = [root / name for name in ("pyproject.toml", "README.md", "LICENSE") if (root / name).is_file()]
    return sorted([*metadata, *package])


def build_wheel(root: Path, cache: Path) -> tuple[Path, str]:
    """Build the package's wheel from ``root`` (once per content of its sources); return it and its version.

    The version is the package's own with a local label naming its content
    (``0.1.0+c1a2b3c4d5e6``): two builds from different code never publish
    the same version, so the install cell, which installs unless that exact
    version is present, always gives a student the code that built the page.
    It is built from a copy of the package's sources, as a clone has them:
    setuptools' ``build/`` folder in a work tree could otherwise slip stale
    modules into the wheel.
    """
    sources = _package_sources(root)
    digest = hashlib.sha256()
    for path in sources:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    label = digest.hexdigest()[:12]
    version = f"{__version__}+c{label}"
    folder = cache / label
    wheel = folder / wheel_name(version)
    if wheel.is_file():
        return wheel, version
    work = folder.with_name(folder.name + ".partial")
    shutil.rmtree(work, ignore_errors=True)
    for path in sources:
        copy_ = work / "source" / path.relative_to(root)
        copy_.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy_)
    (work / "source" / "mnist_lesson" / "_version.py").write_text(f'__version__ = "{version}"\n')
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check",
               "--wheel-dir", str(work / "wheel"), str(work / "source")]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0 or not (work / "wheel" / wheel.name).is_file():
        raise ExtensionError(f"building the mnist_lesson wheel failed:\n{result.stdout}{result.stderr}")
    shutil.rmtree(folder, ignore_errors=True)
    (work / "wheel").rename(folder)
    shutil.rmtree(work, ignore_errors=True)
    return wheel, version


# --------------------------------------------------------------------------- the resolver


def _markdown_of(node, base: str) -> str:
    """A resolved reference (or a tree of them) as Markdown with absolute links."""
    if isinstance(node, nodes.Text):
        return str(node)
    if isinstance(node, nodes.literal):
        return f"`{node.astext()}`"
    if isinstance(node, nodes.reference):
        text = "".join(_markdown_of(child, base) for child in node.children)
        uri = node.get("refuri") or ("#" + node["refid"] if node.get("refid") else "")
        return f"[{text}]({urljoin(base, uri)})" if uri else text
    return "".join(_markdown_of(child, base) for child in node.children)


class BuildResolver:
    """Answers :func:`~mnist_lesson.notebooks.student_notebook`'s questions from the build.

    Parameters
    ----------
    app : sphinx.application.Sphinx
    docname : str
        The page, e.g. ``"book/confusion"``.
    glued : dict
        The page's glued outputs by name, as myst-nb stores them beside the
        executed notebook (``<page>.glue.json``).
    """

    def __init__(self, app, docname: str, glued: dict):
        self.app, self.env, self.docname = app, app.env, docname
        self.page_url = site_url(app) + app.builder.get_target_uri(docname)
        self.glued = glued

    def _xref(self, domain: str, typ: str, target: str, title: str | None = None):
        node = addnodes.pending_xref(
            "", refdomain=domain, reftype=typ, reftarget=target, refexplicit=title is not None,
            refwarn=True, refdoc=self.docname,
        )
        contnode = nodes.inline(title or target, title or target)
        node += contnode  # an explicit title is read from the node's text
        result = self.env.get_domain(domain).resolve_xref(
            self.env, self.docname, self.app.builder, typ, target, node, contnode
        )
        if result is None:
            raise LookupError(f"no target {target!r} for {domain}:{typ}")
        return result

    def role(self, name: str, content: str) -> str:
        if name in ("glue", "glue:", "glue:any", "glue:text", "glue:md", "glue:math"):
            from myst_nb.core.variables import format_plain_text

            key, _, fmt = content.rpartition(":") if ":" in content else (content, "", "")
            data = self.glued[key]["data"]  # KeyError names the key
            if name == "glue:md":
                return data["text/markdown"]
            if name == "glue:math":  # the LaTeX inside IPython's $\displaystyle ...$
                latex = data["text/latex"].strip().strip("$").strip()
                return latex.removeprefix("\\displaystyle").strip()
            return format_plain_text(data["text/plain"], fmt)
        title, target = None, content
        explicit = re.fullmatch(r"(?s)(.*?)\s*<([^<>]+)>", content)
        if explicit:
            title, target = explicit.groups()
        if name in ("ref", "numref"):
            return _markdown_of(self._xref("std", name, target.lower(), title), self.page_url)
        if name == "term":  # a glossary entry: the reader's word, linked to its definition
            return _markdown_of(self._xref("std", "term", target.lower(), title or target), self.page_url)
        if name == "eq":
            return _markdown_of(self._xref("math", "eq", target, title), self.page_url)
        if name in ("cite", "cite:p", "cite:t"):
            return _markdown_of(self._xref("cite", "t" if name == "cite:t" else "p", target), self.page_url)
        if name in ("func", "meth", "class", "mod", "attr", "data", "obj", "exc"):
            path = target.lstrip("~")
            shown = title or (path.rsplit(".", 1)[-1] if target.startswith("~") else path)
            if name in ("func", "meth") and not title:
                shown += "()"
            reference = self._xref("py", name, path, shown)
            return f"[`{shown}`]({urljoin(self.page_url, reference.get('refuri', ''))})"
        raise LookupError(f"the role {{{name}}} has no student-notebook form")

    def include(self, path: str, options: dict) -> str:
        """What the site shows for a ``literalinclude``: Sphinx's own reader, same options."""
        from sphinx.directives.code import LiteralIncludeReader

        filename = Path(self.env.doc2path(self.docname)).parent / path
        known = {"pyobject", "start-at", "start-after", "end-at", "end-before", "lines", "dedent",
                 "prepend", "append", "encoding", "diff", "tab-width"}
        reader_options = {k: (int(v) if k == "dedent" else v) for k, v in options.items() if k in known}
        text, _ = LiteralIncludeReader(str(filename), reader_options, self.app.config).read()
        return text

    def number(self, kind: str, label: str) -> str:
        if kind == "equation":
            return self._xref("math", "eq", label).astext().strip("()")
        if kind == "figure":
            return self._xref("std", "numref", label).astext()
        if kind == "exercise":
            numbers = self.env.toc_fignumbers.get(self.docname, {}).get("exercise", {})
            if label not in numbers:
                raise LookupError(f"no numbered exercise {label!r}")
            return "Exercise " + ".".join(map(str, numbers[label]))
        raise LookupError(f"nothing numbered of kind {kind!r}")


# --------------------------------------------------------------------------- pages


def executed_notebook(app, pagename: str) -> Path:
    """Where myst-nb keeps a page's executed notebook (its configured output folder)."""
    return mystnb.executed_notebook_path(app, pagename)


def chapter_title(env, docname: str) -> str:
    """The page's title as the site shows it, with its chapter number (``"5. Confusion matrices"``)."""
    title = env.titles[docname].astext()
    number = env.toc_secnumbers.get(docname, {}).get("")
    return f"{'.'.join(map(str, number))}. {title}" if number else title


def _settings_phrase() -> str:
    """The settings of this build, as a student would set them (environment variables)."""
    settings, defaults = get_settings().as_dict(), Settings().as_dict()
    changed = {
        Settings.env_var(name): value
        for name, value in settings.items()
        if name != "cache_dir" and value != defaults[name]
    }
    if not changed:
        return "the default settings"
    return "the settings " + ", ".join(f"`{var}={int(value) if value is True else value}`" for var, value in changed.items())


def preface(app, pagename: str, version: str = __version__) -> str:
    """The first Markdown cell of a student notebook: where it comes from, whose numbers it shows."""
    url = site_url(app) + app.builder.get_target_uri(pagename)
    return (
        f"*This notebook is “{chapter_title(app.env, pagename)}” from "
        f"[How a Neural Network Sees MNIST]({url}), made by the build of the book that used "
        f"mnist-lesson {version} with {_settings_phrase()}. The numbers in its text are those of that "
        "build, written in. Each code cell computes its results again when you run it: with the same "
        "settings you get the same results, up to small floating-point differences on other machines "
        "or library versions. Run the first code cell first: it installs the package.*"
    )


def has_notebook(app, pagename: str) -> bool:
    """Whether the page is offered as a student notebook: executed, and not excluded."""
    return pagename not in app.config.lesson_notebook_exclude and executed_notebook(app, pagename).is_file()


def _offer_notebook(app, pagename, templatename, context, doctree):
    """Point the theme's download button at the chapter's notebook."""
    if has_notebook(app, pagename):
        context["ipynb_source"] = f"{pagename}.ipynb"


def _withdraw_notebook(app, pagename, templatename, context, doctree):
    """Take the theme's .ipynb download button off the pages that offer no notebook."""
    if has_notebook(app, pagename):
        return
    remove_header_button(context, "download-notebook-button")


def _write_notebooks(app, exception):
    """After the pages (and the theme's own copies): the wheel, and the student notebooks.

    Only the site's build (builder ``html``) writes them: the one-page build
    that the PDF is printed from numbers figures and exercises under one page.
    """
    if exception is not None or app.builder.name != "html":
        return
    wheel, version = build_wheel(project_root(app), Path(app.outdir).parent / ".lesson_wheels")
    target = Path(app.outdir) / WHEEL_FOLDER
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    shutil.copy2(wheel, target / wheel.name)
    code = install_source(site_url(app) + f"{WHEEL_FOLDER}/{wheel.name}", version)
    for pagename in app.config.lesson_notebook_exclude:  # left by a build that offered it
        (Path(app.outdir) / "_sources" / f"{pagename}.ipynb").unlink(missing_ok=True)
    # Every build writes them all (a second or two), also when no page changed.
    for pagename in sorted(p for p in app.env.found_docs if has_notebook(app, p)):
        path = executed_notebook(app, pagename)
        executed = mystnb.with_outputs(app.env, nbformat.read(path, as_version=4))
        glued = mystnb.glued_values(app, pagename)
        try:
            student = student_notebook(
                executed,
                BuildResolver(app, pagename, glued),
                page=pagename,
                preface=preface(app, pagename, version),
                install_code=code,
                title=chapter_title(app.env, pagename),
            )
        except NotebookConversionError as exc:
            raise ExtensionError(f"the student notebook of {exc}") from None
        notebook = nbformat.from_dict(student)
        nbformat.validate(notebook)
        path = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, path)


def _check_addresses(app, config):
    """One line, not a warning (the build is strict), while the addresses are placeholders."""
    repository = config.html_theme_options.get("repository_url", "")
    placeholders = []
    if not config.html_baseurl or config.html_baseurl.rstrip("/") == PLACEHOLDER_SITE.rstrip("/"):
        placeholders.append(f"html.baseurl ({config.html_baseurl or 'empty'})")
    if repository.rstrip("/") == PLACEHOLDER_REPOSITORY:
        placeholders.append(f"repository.url ({repository})")
    if placeholders:
        logger.info(
            "NOTE: %s in _config.yml %s still the placeholder: the notebooks' install "
            "cell, links and Colab entries point there; set %s to where you publish (README, Publishing)",
            " and ".join(placeholders), "are" if len(placeholders) > 1 else "is",
            "them" if len(placeholders) > 1 else "it",
        )


def setup(app):
    app.add_config_value("lesson_notebook_exclude", [], "html")
    app.connect("config-inited", _check_addresses)
    # Before the theme's buttons are made (priority 500), so they see ipynb_source.
    app.connect("html-page-context", _offer_notebook, priority=400)
    app.connect("html-page-context", _withdraw_notebook, priority=THEME_PRIORITY + 1)
    app.connect("build-finished", _write_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}


__all__ = [
    "BuildResolver", "build_wheel", "chapter_title", "executed_notebook", "preface", "setup",
    "site_url", "wheel_name",
]
