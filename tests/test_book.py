"""The built book: every page, its figures and numbers; a strict, cached build.

The ``built_site`` fixture builds the whole book exactly as the README says
(chapters already in the execution cache are not run again). The other tests
build small books in temporary folders to show that the build fails on a
broken cell or a warning, and that a change to the package reaches the pages.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from book_pages import BACK_MATTER, CHAPTERS
from bs4 import BeautifulSoup

from mnist_lesson.config import get_settings
from mnist_lesson.notebooks import INSTALL_TAG, chapter_files, myst_leftovers

ROOT = Path(__file__).resolve().parents[1]
#: The chapters the book's brief requires, in this order among the numbered chapters.
REQUIRED_CHAPTERS = ["data", "encoding", "model", "training", "confusion", "activations", "pixels", "pca", "tsne"]
#: The API reference: an index page and one page per module of the package.
API_PAGES = ["api/index", *(f"api/{m}" for m in (
    "config", "data", "sampling", "encoding", "model", "training", "gradients", "evaluation", "activations",
    "unit_weights",
    "pixels", "pca", "tsne", "neighbours", "claims", "experiments", "plotting", "export", "cache", "imports",
    "notebooks"))]
NOTEBOOK_PAGES = ["intro", *CHAPTERS, "experiments"]

#: Text that must never reach a page: tracebacks, warnings, TensorFlow/Keras log noise.
NOISE = [
    "Traceback (most recent call last)",
    "Warning:",
    "WARNING",
    "DeprecationWarning",
    "oneDNN",
    "absl::",
    "cuInit",
    "cuda_",
    "I0000 00:00",
    "E0000 00:00",
    # Keras's progress bars ("469/469 ━━━━ 2s 4ms/step"); not the box lines of model.summary()
    "/step",
]

pytestmark = [pytest.mark.slow, pytest.mark.data]


def page(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / "book" / f"{name}.html").read_text(), "html.parser")


def main_text(soup: BeautifulSoup) -> str:
    article = soup.find("article") or soup
    return article.get_text(" ", strip=True)


def test_toc_lists_the_required_chapters_in_order():
    """The brief's nine chapters are numbered, in its order (the book may add chapters between them)."""
    pages = [p.relative_to(ROOT / "book").with_suffix("").as_posix() for p in chapter_files(ROOT / "book")]
    assert pages == ["intro", *CHAPTERS, *BACK_MATTER]
    assert [name for name in CHAPTERS if name in REQUIRED_CHAPTERS] == REQUIRED_CHAPTERS
    assert [name for name in BACK_MATTER if name.startswith("api/")] == API_PAGES


@pytest.mark.parametrize("name", ["intro", *CHAPTERS, *BACK_MATTER])
def test_every_page_exists_without_noise(built_site, name):
    soup = page(built_site, name)
    text = main_text(soup)
    assert soup.find("h1"), f"{name}: no title"
    for bad in NOISE:
        assert bad not in text, f"{name}: {bad!r} reached the page"
    assert not soup.select(".output.error, .output.traceback, .output.stderr"), f"{name}: error output"


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapters_have_goals_numbered_figures_and_exercises(built_site, name):
    soup = page(built_site, name)
    text = main_text(soup)
    assert "Learning goals" in text, f"{name}: no learning goals"
    figures = soup.select("figure")
    assert figures, f"{name}: no figure"
    for figure in figures:
        caption = figure.find("figcaption")
        assert caption and re.search(r"Fig\. \d+\.\d+", caption.get_text()), f"{name}: unnumbered figure"
        for img in figure.find_all("img"):
            assert img.get("alt", "").strip(), f"{name}: figure without alt text"
            assert (built_site / "book" / img["src"]).resolve().is_file(), f"{name}: missing {img['src']}"
    exercises = soup.select(".exercise")
    assert 2 <= len(exercises) <= 4, f"{name}: {len(exercises)} exercises"
    assert soup.select(".solution"), f"{name}: no solutions"


@pytest.mark.parametrize("name", NOTEBOOK_PAGES)
def test_each_executed_page_downloads_as_a_student_notebook(built_site, name):
    soup = page(built_site, name)
    link = soup.find("a", href=re.compile(rf"_sources/book/{re.escape(name)}\.ipynb$"))
    assert link is not None, f"{name}: no .ipynb download link"
    notebook = nbformat.read(built_site / "_sources" / "book" / f"{name}.ipynb", as_version=4)
    nbformat.validate(notebook)
    first, install = notebook.cells[:2]
    assert first.cell_type == "markdown" and "numbers in its text are those of that build" in first.source
    assert INSTALL_TAG in install.metadata["tags"]
    wheel = re.search(r'WHEEL = "([^"]+)"', install.source).group(1)
    assert wheel.startswith(SITE_URL) and (built_site / wheel.removeprefix(SITE_URL)).is_file()
    # It installs unless the very version of that wheel (labelled by the code's content) is there.
    version = re.search(r'if installed != "([^"]+)":', install.source).group(1)
    assert wheel.endswith(f"/mnist_lesson-{version}-py3-none-any.whl") and "+c" in version
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "myst_nb" not in code and "glue(" not in code
    assert not myst_leftovers(notebook)
    title = soup.find("h1").get_text(" ", strip=True).rstrip("#").strip()
    heading = notebook.cells[2].source.splitlines()[0]
    number = r"\d+\. " if name in CHAPTERS else ""  # numbered as in the site's table of contents
    assert re.fullmatch(rf"# {number}{re.escape(title)}", heading), heading
    for cell in notebook.cells:
        assert not any(o.get("name") == "stderr" for o in cell.get("outputs", [])), f"{name}: stderr output"


def test_mnist_lesson_notebooks_exports_what_the_site_serves(built_site, tmp_path):
    """One converter for every route: the download button, the CLI and the Colab branch (a copy of _sources)."""
    done = subprocess.run(
        [str(Path(sys.executable).with_name("mnist-lesson")), "notebooks", "--out", str(tmp_path), "--site", str(built_site)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    served = sorted((built_site / "_sources" / "book").glob("*.ipynb"))
    assert [p.name for p in served] == sorted(f"{n}.ipynb" for n in NOTEBOOK_PAGES)
    for path in served:
        assert (tmp_path / path.name).read_bytes() == path.read_bytes()


def test_the_build_status_page_offers_no_notebook(built_site):
    assert not (built_site / "_sources" / "book" / "build-status.ipynb").exists()
    assert page(built_site, "build-status").find("a", href=re.compile(r"\.ipynb$")) is None


@pytest.mark.parametrize("name", CHAPTERS)
def test_student_notebooks_read_like_the_page(built_site, name):
    """Numbers, exercises, solutions, captions and links as the site shows them."""
    notebook = nbformat.read(built_site / "_sources" / "book" / f"{name}.ipynb", as_version=4)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    text = " ".join(main_text(page(built_site, name)).split())
    # Every number glued into the page's prose is written into the notebook, as the page shows it.
    source = (ROOT / "book" / f"{name}.md").read_text()
    values = glued(built_site, name)
    for key, fmt in re.findall(r"\{glue:text\}`([\w-]+):?([^`]*)`", source):
        from myst_nb.core.variables import format_plain_text

        shown = format_plain_text(values[key], fmt)
        assert shown in text, f"{name}: {key} shows as {shown!r} nowhere on the page"
        assert shown in markdown, f"{name}: {key} ({shown!r}) is missing from the notebook"
    # Exercises are headings with the site's numbers; every solution is folded away.
    numbers = re.findall(r"Exercise (\d+\.\d+)", " ".join(s.get_text(" ") for s in page(built_site, name).select(".exercise")))
    headings = re.findall(r"^### Exercise (\d+\.\d+)", markdown, re.M)
    assert headings and headings == sorted(set(numbers), key=numbers.index)
    folded = len(re.findall(r"<details>\n<summary>Solution to Exercise", markdown))
    collapsed = [c for c in notebook.cells if c.metadata.get("jp-MarkdownHeadingCollapsed")]
    assert folded + len(collapsed) == len(page(built_site, name).select(".solution"))
    assert [c.id for c in collapsed] == notebook.metadata.get("colab", {}).get("collapsed_sections", [])
    # Figures keep their numbered captions.
    figures = page(built_site, name).select("figure .caption-number")
    captions = re.findall(r"^\*\*(Fig\. \d+\.\d+)\.\*\*", markdown, re.M)
    assert captions == [f.get_text(strip=True).rstrip(".").strip() for f in figures]
    # Links point at the published pages, to anchors that exist.
    for url in re.findall(r"\]\((https?://[^)\s]+)\)", markdown):
        if not url.startswith(SITE_URL):
            continue
        target, _, anchor = url.removeprefix(SITE_URL).partition("#")
        assert (built_site / target).is_file(), f"{name}: link to missing page {url}"
        if anchor:
            assert f'id="{anchor}"' in (built_site / target).read_text(), f"{name}: no anchor for {url}"


def _site_url() -> str:
    import yaml

    return yaml.safe_load((ROOT / "_config.yml").read_text())["html"]["baseurl"]


SITE_URL = _site_url()


def glued(site: Path, name: str) -> dict:
    """The values a page glued, as myst-nb stored them (text/plain)."""
    path = site.parent / "jupyter_execute" / "book" / f"{name}.glue.json"
    data = json.loads(path.read_text())
    return {key: value["data"].get("text/plain") for key, value in data.items()}


PROBE = textwrap.dedent(
    """
    import json
    from mnist_lesson import accuracy, get_trained_model, load_split, predict_classes, predict_proba, preprocess
    split = load_split()
    x = preprocess(split.x_test)
    out = {}
    for name in ("lesson", "contrast"):
        model = get_trained_model(name).model
        out[name] = accuracy(split.y_test, predict_classes(predict_proba(model, x)))
    print(json.dumps(out))
    """
)


@pytest.mark.parametrize("name", NOTEBOOK_PAGES)
def test_each_chapter_opens_in_colab(built_site, name):
    """The launch menu's Colab entry opens the chapter's notebook on the notebooks branch."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repository = config["repository"]["url"].removeprefix("https://github.com/")
    branch = config["sphinx"]["config"]["lesson_colab_branch"]
    links = [a["href"] for a in page(built_site, name).select("a[href*='colab.research.google.com']")]
    assert links == [f"https://colab.research.google.com/github/{repository}/blob/{branch}/book/{name}.ipynb"]
    # What the workflow publishes to that branch: the downloadable notebook at the same path.
    assert (built_site / "_sources" / "book" / f"{name}.ipynb").is_file()


def test_glued_accuracies_match_the_package(built_site):
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr[-3000:]
    expected = json.loads(result.stdout.strip().splitlines()[-1])
    intro = glued(built_site, "intro")
    assert float(intro["lesson_accuracy"]) == pytest.approx(expected["lesson"], abs=1e-12)
    assert float(intro["contrast_accuracy"]) == pytest.approx(expected["contrast"], abs=1e-12)
    assert f"{expected['lesson']:.2%}" in main_text(page(built_site, "intro"))
    training = glued(built_site, "training")
    values = [float(v) for k, v in training.items() if "accuracy" in k and "test" in k and "contrast" not in k]
    assert any(v == pytest.approx(expected["lesson"], abs=1e-12) for v in values), training
    assert expected["lesson"] >= 0.97


def executed(log: str) -> list[str]:
    """The pages a build log says were executed (not taken from the cache); one line per page."""
    return sorted(set(re.findall(r"^([\w/.-]+) \.+ executed (?:by myst-nb )?in ", log, re.M)))


def test_rebuild_with_nothing_changed_executes_nothing(built_site, jupyter_book):
    result = jupyter_book("build", ".", *jupyter_book.flags, cwd=ROOT)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    assert executed(log) == []
    # A build that writes no page leaves the site whole: the bundled stylesheet and the inlined icon fonts.
    bundle = built_site / "_static" / "lesson-styles.css"
    assert bundle.is_file() and "/* _static/lesson.css */" in bundle.read_text()
    assert "url(data:font/woff2;base64," in (built_site / "_static" / "styles" / "pydata-sphinx-theme.css").read_text()


def test_the_draft_build_says_so_on_every_page(jupyter_book):
    """`make draft`: the whole site with the draft settings, a banner on every page."""
    result = jupyter_book(
        "build", ".", *jupyter_book.flags, "--path-output", "_build/draft", cwd=ROOT, env={"MNIST_LESSON_DRAFT": "1"}
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    site = ROOT / "_build" / "draft" / "_build" / "html"
    pages = sorted((site / "book").glob("*.html"))
    assert len(pages) >= 14
    for path in pages:
        banner = BeautifulSoup(path.read_text(), "html.parser").select_one(".bd-header-announcement")
        assert banner is not None and "Draft build" in banner.get_text(), path.name
    tsne = main_text(page(site, "tsne"))
    draft = get_settings(environ={"MNIST_LESSON_DRAFT": "1"})
    assert f"places {draft.tsne_sample:,} images" in tsne


def test_a_draft_with_other_settings_builds_and_its_words_follow(jupyter_book):
    """Another seed and width: every guard holds or its sentence is worded from the numbers."""
    settings = {"MNIST_LESSON_DRAFT": "1", "MNIST_LESSON_SEED": "7", "MNIST_LESSON_HIDDEN_UNITS": "32"}
    result = jupyter_book(
        "build", ".", *jupyter_book.flags, "--path-output", "_build/draft-seed7-units32", cwd=ROOT, env=settings
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    site = ROOT / "_build" / "draft-seed7-units32" / "_build" / "html"
    model = main_text(page(site, "model"))
    assert "32" in model and "128 hidden" not in model
    notebook = nbformat.read(site / "_sources" / "book" / "training.ipynb", as_version=4)
    preface = notebook.cells[0].source
    assert "`MNIST_LESSON_SEED=7`" in preface and "`MNIST_LESSON_HIDDEN_UNITS=32`" in preface


# --------------------------------------------------------------------------
# Small books in temporary folders

PAGE = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# {title}

```{{code-cell}} ipython3
{code}
```
"""


def small_book(tmp_path: Path, pages: dict[str, tuple[str, str]], *, package: bool = False) -> Path:
    """A book with the project's configuration and extension, and the given pages."""
    root = tmp_path / "book-root"
    (root / "book").mkdir(parents=True)
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    shutil.copytree(ROOT / "book" / "_ext", root / "book" / "_ext")
    shutil.copytree(ROOT / "book" / "_static", root / "book" / "_static")
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    shutil.copy(ROOT / "book" / "references.bib", root / "book" / "references.bib")
    (root / "book" / "index.md").write_text("# A small book\n\nFor tests.\n")
    for name, (title, code) in pages.items():
        (root / "book" / f"{name}.md").write_text(PAGE.format(title=title, code=code))
    chapters = "".join(f"  - file: book/{name}\n" for name in pages)
    (root / "_toc.yml").write_text(f"format: jb-book\nroot: book/index\nchapters:\n{chapters}")
    if package:  # a project of its own: the build makes the student notebooks' wheel from it
        shutil.copytree(ROOT / "mnist_lesson", root / "mnist_lesson", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
        shutil.copy(ROOT / "README.md", root / "README.md")
    return root


def test_a_failing_cell_fails_the_build_and_names_the_page(tmp_path, jupyter_book):
    root = small_book(tmp_path, {"broken": ("Broken", "1 / 0")})
    result = jupyter_book("build", ".", *jupyter_book.flags, cwd=root)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "broken" in log and "ZeroDivisionError" in log
    assert not (root / "_build" / "html" / "book" / "broken.html").exists() or "ZeroDivisionError" not in (
        root / "_build" / "html" / "book" / "broken.html"
    ).read_text()


def test_pages_run_two_at_a_time_and_a_failure_is_reported_by_myst_nb(tmp_path, jupyter_book):
    """book/_ext/lesson_book/execute.py runs pending pages in parallel workers, their stderr kept aside."""
    stamps = tmp_path / "stamps"
    stamps.mkdir()
    code = (
        "import os, time, pathlib\n"
        "os.write(2, b'kernel noise of {name}\\n')\n"
        "started = time.time()\n"
        "time.sleep(3)\n"
        f"pathlib.Path({str(stamps)!r}, '{{name}}').write_text(f'{{{{started}}}} {{{{time.time()}}}}')\n"
        "print('page {name} ran')"
    )
    root = small_book(tmp_path, {name: (name.title(), code.format(name=name)) for name in ("first", "second")})
    result = jupyter_book("build", ".", *jupyter_book.flags, cwd=root)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    assert executed(log) == ["book/first", "book/second"]
    assert "2 executed" in log and "s of wall time" in log
    # The kernels' stderr is kept aside, not printed.
    assert "kernel noise" not in log
    assert "kernel noise of first" in (root / "_build" / "logs" / "book" / "first.stderr.txt").read_text()
    (a0, a1), (b0, b1) = (map(float, (stamps / n).read_text().split()) for n in ("first", "second"))
    assert a0 < b1 and b0 < a1, "the two pages did not run at the same time"
    assert "page second ran" in (root / "_build" / "html" / "book" / "second.html").read_text()
    # The results are in the execution cache: a rebuild runs nothing.
    again = jupyter_book("build", ".", *jupyter_book.flags, cwd=root)
    assert again.returncode == 0 and executed(again.stdout + again.stderr) == []

    # A page that fails in a worker is run again by myst-nb, which fails the build and names it.
    (root / "book" / "second.md").write_text(PAGE.format(title="Second", code="import os\nos.write(2, b'noise before the error')\n1 / 0"))
    (root / "book" / "first.md").write_text(PAGE.format(title="First", code="x = 2"))
    failed = jupyter_book("build", ".", *jupyter_book.flags, cwd=root)
    log = failed.stdout + failed.stderr
    assert failed.returncode != 0
    assert "myst-nb runs the page again" in log and "ZeroDivisionError" in log and "second" in log
    # The failing page's kernel stderr is shown in full with the failure.
    assert re.search(r"book/second \.+ FAILED", log) and "noise before the error" in log


def test_a_false_sentence_fails_the_build_and_is_quoted(tmp_path, jupyter_book):
    """A guard (mnist_lesson.claims.claim) beside a sentence stops a build whose results contradict it."""
    code = (
        "from mnist_lesson.claims import claim\n"
        "units, active = 128, 40\n"
        'claim("most units fire for a typical image", active > units / 2, active=active, units=units)'
    )
    root = small_book(tmp_path, {"guarded": ("Guarded", code)})
    result = jupyter_book("build", ".", *jupyter_book.flags, cwd=root)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "ClaimError" in log and "guarded" in log
    assert 'the book says "most units fire for a typical image"' in log and "active=40, units=128" in log


def test_a_warning_fails_the_build(tmp_path, jupyter_book):
    root = small_book(tmp_path, {"fine": ("Fine", "x = 1")})
    page_path = root / "book" / "fine.md"
    page_path.write_text(page_path.read_text() + "\nSee {ref}`no-such-label`.\n")
    result = jupyter_book("build", ".", *jupyter_book.flags, cwd=root)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "no-such-label" in log


def test_a_package_change_reexecutes_only_the_pages_that_use_it(tmp_path, jupyter_book):
    root = small_book(
        tmp_path,
        {
            # Imports in forms a line-based scan would miss: the ast scan finds them all.
            "uses_encoding": ("Encoding", "from mnist_lesson import (\n    one_hot,  # the encoder\n)\none_hot([1, 2]).shape"),
            "uses_config": ("Config", "import json, \\\n    mnist_lesson.config as config\nconfig.get_settings().seed"),
            "uses_claims": ("Claims", "def words():\n    from mnist_lesson.claims import join_words as join\n    return join(['a', 'b'])\nwords()"),
        },
        package=True,
    )
    env = {"PYTHONPATH": str(root)}  # the copy of the package wins over the installed one

    def build():
        result = jupyter_book("build", ".", *jupyter_book.flags, cwd=root, env=env)
        log = result.stdout + result.stderr
        assert result.returncode == 0, log[-4000:]
        return [Path(p).stem for p in executed(log)]

    assert build() == ["uses_claims", "uses_config", "uses_encoding"]
    assert build() == []
    # A statement changed in a module imported only inside a function, under another name.
    claims = root / "mnist_lesson" / "claims.py"
    claims.write_text(claims.read_text() + "\n_EDITED = True\n")
    assert build() == ["uses_claims"]
    encoding = root / "mnist_lesson" / "encoding.py"
    original = encoding.read_text()
    # A comment or docstring changes nothing that runs: nothing re-executes.
    encoding.write_text(original.replace("NUM_CLASSES = 10", "NUM_CLASSES = 10  # a comment"))
    assert build() == []
    # A changed statement in a function re-executes the page that uses the module.
    encoding.write_text(original.replace("return images.reshape(-1)", "return images.reshape(-1).copy()"))
    assert build() == ["uses_encoding"]
    # Reverting the change finds the earlier outputs in the execution cache again.
    encoding.write_text(original)
    assert build() == []
    # A setting that changes results re-executes every page that depends on the package.
    env["MNIST_LESSON_SEED"] = "7"
    assert build() == ["uses_claims", "uses_config", "uses_encoding"]


def test_pages_load_no_icon_script_and_no_mathjax(built_site):
    """Icons come from fonts cut to the glyphs used, maths is SVG made during the build (issue 13)."""
    for page in built_site.rglob("*.html"):
        if "_static" in page.relative_to(built_site).parts:  # the theme's own template sources
            continue
        text = page.read_text()
        assert "fontawesome.js" not in text and "tex-chtml" not in text, page
    model = (built_site / "book" / "model.html").read_text()
    assert model.count("<mjx-container") > 10 and "<mjx-assistive-mml" in model
    assert "\\[" not in model and "\\(" not in model, "TeX left for a browser-side MathJax"
    fonts = built_site / "_static" / "vendor" / "fontawesome" / "webfonts"
    assert sum(f.stat().st_size for f in fonts.iterdir()) < 100_000
