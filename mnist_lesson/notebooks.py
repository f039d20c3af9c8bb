"""The student edition of the book: chapters as notebooks that run anywhere and read like the book.

The book's chapters are MyST Markdown notebooks executed by Jupyter Book. The
notebook a student gets (the site's download button, the ``notebooks`` branch
that Colab opens, ``mnist-lesson notebooks``) is made from the executed
chapter by one converter, :func:`student_notebook`:

- it needs nothing but ``mnist_lesson``: ``from myst_nb import glue`` and every
  ``glue(...)`` statement are removed, and so is every cell hidden on the site
  (tag ``remove-cell``) unless it defines a name that a later cell uses;
- it reads like the book: the numbers the site glues into the prose are written
  in as numbers (the values of the build that made the site), cross-references
  become links to the published pages, citations become text linked to the
  bibliography, learning goals and other admonitions become quotes, exercises
  become headings with their solutions collapsed, and figures keep their
  numbered captions; maths stays ``$...$``;
- it starts with a note that says where the numbers come from, and a cell that
  installs the very package version that built the page (:func:`install_source`).

What the converter needs to know about the book (glued values, reference
targets, numbers) it asks a *resolver*, which the book build provides (see
``book/_ext/lesson_book/notebooks.py``). The converter works on plain notebook
dictionaries (nbformat 4) and imports no book tooling.
"""

from __future__ import annotations

import ast
import copy
import json
import re
import shutil
from pathlib import Path
from typing import Protocol

__all__ = [
    "INSTALL_TAG",
    "MYST_LEFTOVERS",
    "NotebookConversionError",
    "Resolver",
    "chapter_files",
    "export_notebooks",
    "install_source",
    "myst_leftovers",
    "student_notebook",
]

#: Tag of the install cell at the top of a student notebook.
INSTALL_TAG = "mnist-lesson-install"

#: Markup that only MyST understands; none of it may be left in a student notebook.
MYST_LEFTOVERS = ("{glue", "{ref}", "{numref}", "{eq}", "{cite", "{func}", ":::{", "```{")


class NotebookConversionError(ValueError):
    """A chapter cannot be turned into a student notebook; the message says where and why."""


class Resolver(Protocol):
    """What :func:`student_notebook` asks of the book build."""

    def role(self, name: str, content: str) -> str:
        """Markdown for the inline role ``{name}`content```, e.g. a link or a number."""

    def number(self, kind: str, label: str) -> str:
        """The number shown on the site for an ``"exercise"``, ``"figure"`` or ``"equation"``."""

    def include(self, path: str, options: dict) -> str:
        """The text a ``literalinclude`` of ``path`` (relative to the chapter) with ``options`` shows."""


def install_source(wheel_url: str, version: str) -> str:
    """The code of the install cell: install ``mnist-lesson`` ``version`` from ``wheel_url``.

    The cell does nothing when that version is already installed, so it is
    safe to run again, and a notebook never runs against another version of
    the package than the one that built its page.

    Examples
    --------
    >>> code = install_source("https://example.org/book/wheels/mnist_lesson-1.0-py3-none-any.whl", "1.0")
    >>> compile(code, "install", "exec") is not None
    True
    >>> 'if installed != "1.0":' in code
    True
    """
    return (
        f"# Run this cell first: it installs the lesson package this chapter was built with,\n"
        f"# mnist-lesson {version}, unless that version is installed already. On Colab, if pip\n"
        f"# says it changed NumPy or TensorFlow, restart the session and run the notebook again.\n"
        "import importlib.metadata\n"
        "import subprocess\n"
        "import sys\n"
        "\n"
        f'WHEEL = "{wheel_url}"\n'
        "try:\n"
        '    installed = importlib.metadata.version("mnist-lesson")\n'
        "except importlib.metadata.PackageNotFoundError:\n"
        "    installed = None\n"
        f'if installed != "{version}":\n'
        '    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", WHEEL])\n'
    )


# --------------------------------------------------------------------------- code cells


def _tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _is_glue_call(node: ast.stmt) -> bool:
    if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "myst_nb":
        return True
    if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "myst_nb" for a in node.names):
        return True
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "glue"
    )


def _glue_only(node: ast.stmt) -> bool:
    """A glue statement, or a loop, ``if`` or ``with`` that does nothing but glue."""
    if _is_glue_call(node):
        return True
    if isinstance(node, (ast.For, ast.While, ast.If, ast.With)):
        return all(_glue_only(child) for child in node.body + getattr(node, "orelse", []))
    return False


def _glue_lines(body: list[ast.stmt]) -> set[int]:
    """Line numbers (0-based) of the glue in a block of statements, at any depth."""
    lines: set[int] = set()
    for node in body:
        if _glue_only(node):
            lines.update(range(node.lineno - 1, node.end_lineno))
        elif isinstance(node, (ast.For, ast.While, ast.If, ast.With, ast.Try, ast.FunctionDef)):
            for block in ("body", "orelse", "finalbody"):
                lines |= _glue_lines(getattr(node, block, []))
    return lines


def strip_glue(code: str) -> str:
    """``code`` without the book's glue: its ``myst_nb`` imports and every ``glue(...)`` call.

    A loop (or ``if``) that only glued goes with its calls.

    Examples
    --------
    >>> print(strip_glue("from myst_nb import glue\\nx = 1\\nglue('x', x, display=False)\\ny = x"))
    x = 1
    y = x
    >>> print(strip_glue("for k in 'ab':\\n    glue(k, 1)\\n    print(k)\\nfor k in 'ab':\\n    glue(k, 2)"))
    for k in 'ab':
        print(k)
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:  # IPython magics: nothing of the book's in there
        return code
    drop = _glue_lines(tree.body)
    if not drop:
        return code
    lines = code.splitlines(keepends=True)
    text = "".join(line for i, line in enumerate(lines) if i not in drop).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text)


class _Reads(ast.NodeVisitor):
    """Names a piece of code reads before it writes them, visiting in the order Python evaluates."""

    def __init__(self):
        self.free: set[str] = set()
        self.bound: set[str] = set()

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load):
            if node.id not in self.bound:
                self.free.add(node.id)
        else:
            self.bound.add(node.id)

    def visit_Assign(self, node):
        self.visit(node.value)
        for target in node.targets:
            self.visit(target)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.visit(node.value)
        self.visit(node.target)

    def visit_AugAssign(self, node):
        self.visit(node.value)
        if isinstance(node.target, ast.Name) and node.target.id not in self.bound:
            self.free.add(node.target.id)
        self.visit(node.target)

    def visit_For(self, node):
        self.visit(node.iter)
        self.visit(node.target)
        for child in node.body + node.orelse:
            self.visit(child)

    def _comprehension(self, node, *results):
        for generator in node.generators:
            self.visit(generator.iter)
            self.visit(generator.target)
            for condition in generator.ifs:
                self.visit(condition)
        for result in results:
            self.visit(result)

    def visit_ListComp(self, node):
        self._comprehension(node, node.elt)

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node):
        self._comprehension(node, node.key, node.value)

    def visit_Import(self, node):
        self.bound |= {(a.asname or a.name).split(".")[0] for a in node.names}

    visit_ImportFrom = visit_Import

    def visit_FunctionDef(self, node):
        self.generic_visit(node)  # a function's reads count, conservatively, as the cell's
        self.bound.add(node.name)

    visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef


def _names(code: str, stores: bool) -> set[str]:
    """The names ``code`` binds (``stores``), or reads before binding them."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    reads = _Reads()
    reads.visit(tree)
    return reads.bound if stores else reads.free


def _is_empty_code(code: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in code.splitlines())


# --------------------------------------------------------------------------- Markdown

_ROLE = re.compile(r"\{([a-z][\w:-]*)\}`([^`]+)`")
_OPEN = re.compile(r"^(?P<fence>:{3,}|`{3,})\{(?P<name>[\w:-]+)\}[ \t]*(?P<argument>.*?)[ \t]*$")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
_TARGET = re.compile(r"^\([\w.:-]+\)=[ \t]*$")
_LABELLED_MATH = re.compile(r"^\$\$[ \t]*\((?P<label>[\w.:-]+)\)[ \t]*$")
#: Cell tags that only steer the site's rendering.
_SITE_TAGS = {"remove-cell", "remove-input", "remove-output", "hide-input", "hide-output", "hide-cell"}

#: Stand-ins for the start and end of a solution that spans cells.
_SOLUTION_MARK = "\x00solution:"
_SOLUTION_END = "\x00solution-end"
_CODE_FENCE = re.compile(r"^(`{3,}|~{3,})(?!\{)")

#: Admonitions rendered as quotes, with these titles when the directive gives none.
_ADMONITIONS = {
    "note": "Note",
    "tip": "Tip",
    "hint": "Hint",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
    "attention": "Attention",
    "seealso": "See also",
}


def _quote(text: str) -> str:
    return "\n".join(("> " + line).rstrip() for line in text.strip("\n").splitlines())


class _Converter:
    """Turns a chapter's executed notebook into its student edition."""

    def __init__(self, resolver: Resolver, page: str):
        self.resolver = resolver
        self.page = page

    def fail(self, message: str):
        raise NotebookConversionError(f"{self.page}: {message}")

    # ----- inline

    def inline(self, text: str) -> str:
        """Resolve the roles of one piece of Markdown (not inside code fences)."""

        def replace(match):
            name, content = match.groups()
            try:
                markdown = self.resolver.role(name, content)
            except (KeyError, LookupError, ValueError) as exc:
                self.fail(f"cannot resolve {{{name}}}`{content}`: {exc}")
            if "{" in markdown and _ROLE.search(markdown):  # glued Markdown may hold roles itself
                markdown = self.inline(markdown)
            return markdown

        return _ROLE.sub(replace, text)

    # ----- blocks

    def markdown(self, text: str, state: dict) -> str:
        """Convert one Markdown cell (or a directive's body)."""
        lines = text.split("\n")
        out: list[str] = []
        prose: list[str] = []
        i = 0

        def flush():
            if prose:
                out.append(self.inline("\n".join(prose)))
                prose.clear()

        while i < len(lines):
            line = lines[i]
            fence = _CODE_FENCE.match(line)
            if fence:  # a literal code block: copied as it is
                flush()
                end = i + 1
                while end < len(lines) and not lines[end].startswith(fence.group(1)):
                    end += 1
                out.append("\n".join(lines[i : end + 1]))
                i = end + 1
                continue
            opening = _OPEN.match(line)
            if opening:
                flush()
                i, block = self.directive(lines, i, opening, state)
                if block is not None:
                    out.append(block)
                continue
            if _TARGET.match(line):  # `(label)=`: the anchor lives on the published page
                i += 1
                continue
            labelled = _LABELLED_MATH.match(line)
            if labelled:
                number = self.resolver.number("equation", labelled.group("label"))
                prose.append(f"\\tag{{{number}}}")
                prose.append("$$")
                i += 1
                continue
            prose.append(line)
            i += 1
        flush()
        return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")

    def directive(self, lines, start, opening, state):
        fence, name, argument = opening.group("fence", "name", "argument")
        options, i = {}, start + 1
        while i < len(lines) and _OPTION.match(lines[i]):
            option = _OPTION.match(lines[i])
            options[option.group("key")] = option.group("value")
            i += 1
        body, depth = [], 0
        while i < len(lines):
            line = lines[i]
            inner = _OPEN.match(line)
            if inner and inner.group("fence")[0] == fence[0]:
                depth += 1
            elif line.strip() == fence and depth == 0:
                break
            elif line.strip() == fence[0] * len(line.strip()) and len(line.strip()) >= 3 and depth:
                depth -= 1
            body.append(line)
            i += 1
        else:
            if name not in ("solution-start", "solution-end"):
                self.fail(f"the {name} directive opened by {lines[start]!r} is not closed in its cell")
        i += 1
        text = "\n".join(body).strip("\n")
        return i, self.render(name, argument, options, text, state)

    def render(self, name, argument, options, body, state):
        if name == "admonition":
            return _quote(f"**{self.inline(argument)}**\n\n{self.markdown(body, state)}")
        if name in _ADMONITIONS:
            title = self.inline(argument) or _ADMONITIONS[name]
            return _quote(f"**{title}**\n\n{self.markdown(body, state)}")
        if name == "exercise":
            label = options.get("label", "")
            title = self.resolver.number("exercise", label)
            if argument:
                title += f": {self.inline(argument)}"
            state["exercise_titles"][label] = title
            return f"### {title}\n\n{self.markdown(body, state)}"
        if name == "solution":
            title = "Solution to " + state["exercise_titles"].get(argument, self.resolver.number("exercise", argument))
            return (
                f"<details>\n<summary>{title}</summary>\n\n{self.markdown(body, state)}\n\n</details>"
            )
        if name == "solution-start":
            title = "Solution to " + state["exercise_titles"].get(argument, self.resolver.number("exercise", argument))
            return f"{_SOLUTION_MARK}{title}"  # becomes a collapsed heading (see student_notebook)
        if name == "solution-end":
            return _SOLUTION_END
        if name == "literalinclude":
            language = options.get("language", "python")
            code = self.resolver.include(argument, options).rstrip("\n")
            return f"```{language}\n{code}\n```"
        if name in ("math", "glue:math"):
            latex = body if name == "math" else self.resolver.role("glue:math", argument)
            if options.get("label"):
                latex += f"\n\\tag{{{self.resolver.number('equation', options['label'])}}}"
            return f"$$\n{latex.strip()}\n$$"
        self.fail(f"no student-notebook form for the {name} directive")


def _markdown_cell(text: str, cell_id: str | None = None, metadata: dict | None = None) -> dict:
    cell = {"cell_type": "markdown", "metadata": metadata or {}, "source": text}
    if cell_id:
        cell["id"] = cell_id
    return cell


def _figure_caption(cell: dict) -> tuple[str, str] | None:
    figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
    if "caption" not in figure:
        return None
    return figure.get("name", ""), figure["caption"]


def student_notebook(
    notebook: dict,
    resolver: Resolver,
    *,
    page: str = "chapter",
    preface: str = "",
    install_code: str = "",
    title: str | None = None,
) -> dict:
    """The student edition of an executed chapter notebook (see the module docstring).

    Parameters
    ----------
    notebook : dict
        The chapter as executed by the book build (nbformat 4, as read by
        ``json.load`` or ``nbformat.read``); it is not changed.
    resolver : Resolver
        Supplies glued values, links and numbers.
    page : str
        The chapter's name, used in error messages.
    preface : str
        Markdown for the first cell (where the notebook comes from, and whose
        numbers it shows).
    install_code : str
        The install cell's code (:func:`install_source`); none when empty.
    title : str, optional
        Replaces the text of the chapter's first ``#`` heading (e.g. to number it).

    Returns
    -------
    dict
        A new notebook.

    Raises
    ------
    NotebookConversionError
        When a role cannot be resolved or a construct has no plain form.
    """
    source_cells = copy.deepcopy(notebook.get("cells", []))
    converter = _Converter(resolver, page)
    state: dict = {"exercise_titles": {}}

    # Code a student runs: glue removed; hidden cells dropped unless a later cell needs them.
    codes = [strip_glue(_source(c)) if c["cell_type"] == "code" else "" for c in source_cells]
    hidden = [c["cell_type"] == "code" and "remove-cell" in _tags(c) for c in source_cells]
    needed_later: set[str] = set()
    keep = [True] * len(source_cells)
    for index in range(len(source_cells) - 1, -1, -1):
        cell = source_cells[index]
        if cell["cell_type"] != "code":
            continue
        if _is_empty_code(codes[index]) or (hidden[index] and not (_names(codes[index], True) & needed_later)):
            keep[index] = False
            continue
        needed_later |= _names(codes[index], False)

    cells: list[dict] = []
    collapsed: list[str] = []
    titled = title is None
    for index, cell in enumerate(source_cells):
        if cell["cell_type"] == "markdown":
            text = converter.markdown(_source(cell), state)
            if not titled:
                text, count = re.subn(r"^# .*$", lambda m: f"# {title}", text, count=1, flags=re.M)
                titled = bool(count)
            for part in re.split(r"(\x00solution[^\n]*)", text):
                if part.startswith(_SOLUTION_MARK):
                    # A solution with code cells: a heading, collapsed in JupyterLab and Colab,
                    # over the solution's cells; the next exercise's heading ends it.
                    heading_id = f"solution-{len(collapsed) + 1}"
                    collapsed.append(heading_id)
                    heading = f"#### {part[len(_SOLUTION_MARK):]}"
                    cells.append(_markdown_cell(heading, heading_id, {"jp-MarkdownHeadingCollapsed": True}))
                    state["in_solution"] = True
                elif part == _SOLUTION_END:
                    state["in_solution"] = False
                    state["after_solution"] = True
                elif part.strip():
                    if state.pop("after_solution", False) and not re.match(r"#{1,4} ", part.strip()):
                        converter.fail(
                            "text follows a solution with code cells without a heading, so it would be "
                            f"folded into the solution: {part.strip()[:60]!r}"
                        )
                    cells.append(_markdown_cell(part.strip("\n")))
            continue
        if cell["cell_type"] != "code" or not keep[index]:
            continue
        caption, tags = _figure_caption(cell), _tags(cell)
        cell["source"] = codes[index]
        # Glue records, and what the site leaves out too: stderr (library notices) and removed outputs.
        cell["outputs"] = [
            o
            for o in cell.get("outputs", [])
            if "scrapbook" not in o.get("metadata", {}) and o.get("name") != "stderr"
        ] if "remove-output" not in tags else []
        metadata = cell.get("metadata", {})
        for key in ("mystnb", "jupyter"):
            metadata.pop(key, None)
        metadata.pop("tags", None)
        tags = [t for t in tags if t not in _SITE_TAGS]
        if tags:
            metadata["tags"] = tags
        cells.append(cell)
        if caption:
            name, text = caption
            number = resolver.number("figure", name) if name else "Figure"
            cells.append(_markdown_cell(f"**{number}.** {converter.inline(text)}"))

    front = []
    if preface:
        front.append(_markdown_cell(preface))
    if install_code:
        front.append(
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {"tags": [INSTALL_TAG]},
                "outputs": [],
                "source": install_code,
            }
        )
    cells = front + cells
    for number, cell in enumerate(cells):  # ids: unique, stable, valid for nbformat 4.5
        cell["id"] = cell.get("id") or f"cell-{number}"
        if cell["cell_type"] == "code":
            cell.setdefault("execution_count", None)
            cell.setdefault("outputs", [])
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])

    metadata = {
        key: value
        for key, value in copy.deepcopy(notebook.get("metadata", {})).items()
        if key in ("kernelspec", "language_info")
    }
    if collapsed:
        metadata["colab"] = {"collapsed_sections": collapsed}
    result = {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    leftovers = myst_leftovers(result)
    if leftovers:
        raise NotebookConversionError(f"{page}: MyST markup left in the student notebook: {leftovers[:5]}")
    return result


def myst_leftovers(notebook: dict) -> list[str]:
    """Lines of ``notebook``'s Markdown cells that still hold MyST-only markup (``MYST_LEFTOVERS``).

    Examples
    --------
    >>> myst_leftovers({"cells": [{"cell_type": "markdown", "source": "See {ref}`intro`."}]})
    ['See {ref}`intro`.']
    """
    found = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        fence = None
        for line in _source(cell).splitlines():
            opening = _CODE_FENCE.match(line)
            if fence is None and opening:
                fence = opening.group(1)
            elif fence is not None:
                if line.startswith(fence):
                    fence = None
            elif any(marker in line for marker in MYST_LEFTOVERS) or _TARGET.match(line):
                found.append(line)
    return found


# --------------------------------------------------------------------------- files


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
    site_dir: str | Path = "_build/html",
) -> list[Path]:
    """Copy the student notebooks of a built site into ``out_dir``.

    The book build writes each chapter's student edition where the site's
    download button finds it, ``<site>/_sources/book/<chapter>.ipynb``; this
    copies those very files, so every route gives a student the same notebook.

    Parameters
    ----------
    out_dir : path-like
        Created if missing.
    chapters : list of str, optional
        Chapter names such as ``["data", "pca"]``; every notebook of the site by default.
    site_dir : path-like, default "_build/html"
        The built site (``make book`` writes it).

    Returns
    -------
    list of pathlib.Path
        The notebooks written.

    Raises
    ------
    FileNotFoundError
        When the site has not been built.
    ValueError
        When a chapter name is unknown.
    """
    folder = Path(site_dir) / "_sources" / "book"
    available = {p.stem: p for p in sorted(folder.glob("*.ipynb"))} if folder.is_dir() else {}
    if not available:
        raise FileNotFoundError(
            f"no student notebooks in {folder}: build the book first (`make book`), "
            "they carry the numbers of that build"
        )
    if chapters:
        unknown = [c for c in chapters if c not in available]
        if unknown:
            raise ValueError(f"unknown chapter(s) {unknown}; the chapters are {sorted(available)}")
        selected = [available[c] for c in chapters]
    else:
        selected = list(available.values())
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in selected:
        json.loads(path.read_text())  # a readable notebook, or an error naming it
        target = out_dir / path.name
        shutil.copyfile(path, target)
        written.append(target)
    return written
