"""Every chapter ends with its key takeaways and offers one experiment; glossary terms link to the glossary.

The rules (see the helpers' brief for issue 12, item 5):

- exactly one "Key takeaways" box per chapter, the last thing before
  ``## Exercises``;
- exactly one "Try it yourself" box per chapter, whose Python parses and
  imports only public names that exist (from ``mnist_lesson``, ``keras``,
  ``numpy`` and ``matplotlib``); the build does not run these blocks, so
  this test is what keeps them from rotting;
- on the built site, every ``{term}`` role of a page is a link to its entry
  on the glossary page, and the page's student notebook has the same links.

The chapters are read from ``_toc.yml`` (``tests/book_pages.py``), so a new
chapter is checked without editing this file.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import nbformat
import pytest
from book_pages import CHAPTERS
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
#: The top-level packages a try-it box may import from.
ALLOWED_IMPORTS = {"mnist_lesson", "keras", "numpy", "matplotlib"}
#: The pages whose prose may link glossary terms.
TERM_PAGES = ["intro", *CHAPTERS]

TAKEAWAYS = re.compile(r"^(?P<fence>:{3,})\{admonition\} Key takeaways[ \t]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
                       re.M | re.S)
TRY_IT = re.compile(r"^(?P<fence>:{3,})\{admonition\} Try it yourself: (?P<title>[^\n]+)\n(?P<body>.*?)^(?P=fence)[ \t]*$",
                    re.M | re.S)
PYTHON_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
TERM_ROLE = re.compile(r"\{term\}`(?:[^`<]*?<(?P<target>[^`>]+)>|(?P<plain>[^`]+))`")


def box_faults(source: str) -> list[str]:
    """What breaks the box rules in one chapter's MyST source (empty when it follows them)."""
    faults = []
    takeaways = list(TAKEAWAYS.finditer(source))
    if len(takeaways) != 1:
        faults.append(f"{len(takeaways)} Key takeaways boxes, not 1")
    else:
        box = takeaways[0]
        if ":class: note" not in box["body"]:
            faults.append("the Key takeaways box is not of class note")
        if not re.search(r"^- ", box["body"], re.M):
            faults.append("the Key takeaways box has no bullets")
        if not re.match(r"\s*## Exercises\n", source[box.end():]):
            faults.append("the Key takeaways box is not right before ## Exercises")
    if source.count("\n## Exercises\n") != 1:
        faults.append("not exactly one ## Exercises section")
    boxes = list(TRY_IT.finditer(source))
    if len(boxes) != 1:
        faults.append(f"{len(boxes)} Try it yourself boxes, not 1")
    for box in boxes:
        if ":class: hint" not in box["body"]:
            faults.append(f"try-it box {box['title']!r} is not of class hint")
        blocks = PYTHON_BLOCK.findall(box["body"])
        if not blocks:
            faults.append(f"try-it box {box['title']!r} has no ```python block")
        for code in blocks:
            faults.extend(f"try-it box {box['title']!r}: {fault}" for fault in code_faults(code))
    return faults


def code_faults(code: str) -> list[str]:
    """Syntax errors, imports from other packages, and names mnist_lesson does not have."""
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        return [f"does not parse: {error}"]
    faults = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level or not node.module:
                faults.append("relative import")
                continue
            modules = [(node.module, alias.name) for alias in node.names]
        else:
            continue
        for module, name in modules:
            top = module.split(".")[0]
            if top not in ALLOWED_IMPORTS:
                faults.append(f"imports {module}, which is not one of {sorted(ALLOWED_IMPORTS)}")
                continue
            if top != "mnist_lesson":
                continue
            try:
                imported = importlib.import_module(module)
            except ImportError:
                faults.append(f"no module {module}")
                continue
            if name is not None and (name == "*" or name.startswith("_") or not hasattr(imported, name)):
                faults.append(f"{module} has no public name {name}")
    return faults


def term_targets(source: str) -> list[str]:
    """The glossary entries a page's ``{term}`` roles name, lower-cased as Sphinx looks them up."""
    return [(m["target"] or m["plain"]).strip().lower() for m in TERM_ROLE.finditer(source)]


# --------------------------------------------------------------------------- the rules can fail

GOOD = """
Text.

::::{admonition} Try it yourself: something
:class: hint

Look.

```python
from mnist_lesson import load_mnist
import numpy as np
```
::::

:::{admonition} Key takeaways
:class: note

- one idea
:::

## Exercises
"""


def test_a_chapter_that_follows_the_rules_passes():
    assert box_faults(GOOD) == []


@pytest.mark.parametrize(
    ("change", "fault"),
    [
        (lambda s: s.replace(":::{admonition} Key takeaways", ":::{admonition} Summary"), "0 Key takeaways"),
        (lambda s: s.replace("- one idea\n:::\n", "- one idea\n:::\n\nMore text.\n"), "not right before"),
        (lambda s: s + "\n:::{admonition} Key takeaways\n:class: note\n\n- again\n:::\n", "2 Key takeaways"),
        (lambda s: s.replace("Try it yourself", "Try this"), "0 Try it yourself"),
        (lambda s: s.replace("import numpy as np", "import numpy as np\nfor x in"), "does not parse"),
        (lambda s: s.replace("load_mnist", "load_mnists"), "has no public name load_mnists"),
        (lambda s: s.replace("from mnist_lesson import load_mnist", "from mnist_lesson import _checks"),
         "has no public name _checks"),
        (lambda s: s.replace("import numpy as np", "import pandas as pd"), "imports pandas"),
        (lambda s: s.replace("```python", "```"), "has no ```python block"),
    ],
)
def test_the_rules_catch_a_broken_chapter(change, fault):
    faults = box_faults(change(GOOD))
    assert any(fault in f for f in faults), faults


def test_term_targets_read_both_forms_of_the_role():
    source = "A {term}`ReLU` unit, {term}`epochs <epoch>` and {term}`hidden units <hidden unit>`."
    assert term_targets(source) == ["relu", "epoch", "hidden unit"]


# --------------------------------------------------------------------------- the chapters


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_has_one_takeaways_box_before_the_exercises_and_one_try_it_box(name):
    faults = box_faults((BOOK / f"{name}.md").read_text())
    assert not faults, f"{name}: " + "; ".join(faults)


def test_the_glossary_defines_every_term_the_pages_use():
    glossary = (BOOK / "glossary.md").read_text()
    block = re.search(r"^```\{glossary\}\n(.*?)^```$", glossary, re.M | re.S).group(1)
    defined = {line.strip().lower() for line in block.splitlines() if line and not line[0].isspace()
               and not line.startswith(":")}
    assert 30 <= len(defined) <= 45, len(defined)
    used = {t for name in TERM_PAGES for t in term_targets((BOOK / f"{name}.md").read_text())}
    assert used, "no page links a glossary term"
    assert used <= defined, f"terms without an entry: {sorted(used - defined)}"


# --------------------------------------------------------------------------- the built site


def _term_links(soup: BeautifulSoup) -> list[str]:
    """Targets of the page's term references: each rendered as a link around a std-term span."""
    found = []
    for span in soup.select("span.std-term"):
        link = span.find_parent("a")
        found.append(link.get("href", "") if link else "")
    return found


@pytest.mark.slow
@pytest.mark.data
@pytest.mark.parametrize("name", TERM_PAGES)
def test_every_term_links_to_its_glossary_entry(built_site, name):
    targets = term_targets((BOOK / f"{name}.md").read_text())
    glossary = BeautifulSoup((built_site / "book" / "glossary.html").read_text(), "html.parser")
    anchors = {tag["id"] for tag in glossary.select("dl.glossary dt[id]")}
    assert anchors and all(anchor.startswith("term-") for anchor in anchors)
    page = BeautifulSoup((built_site / "book" / f"{name}.html").read_text(), "html.parser")
    links = _term_links(page.find("article") or page)
    assert len(links) == len(targets), f"{name}: {len(targets)} term roles, {len(links)} term links on the page"
    for href in links:
        target, _, anchor = href.partition("#")
        assert target == "glossary.html" and anchor in anchors, f"{name}: term link {href!r} misses the glossary"
    # The student notebook links the same words to the published glossary.
    notebook = nbformat.read(built_site / "_sources" / "book" / f"{name}.ipynb", as_version=4)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    notebook_links = re.findall(r"\]\([^)\s]*book/glossary\.html#(term-[\w-]+)\)", markdown)
    assert len(notebook_links) == len(targets), f"{name}: {len(notebook_links)} glossary links in the notebook"
    assert set(notebook_links) <= anchors
