"""The student-notebook converter, on small synthetic notebooks (no book build needed)."""

from __future__ import annotations

import json

import nbformat
import pytest

from mnist_lesson import cli
from mnist_lesson.notebooks import (
    INSTALL_TAG,
    NotebookConversionError,
    export_notebooks,
    install_source,
    myst_leftovers,
    strip_glue,
    student_notebook,
)


class FakeResolver:
    """Resolves roles the way the book build does, from small tables."""

    glued = {"acc": "0.975", "n": "60000", "name": "'five'", "md": "the {ref}`chapter-data` chapter"}

    def role(self, name, content):
        if name == "glue:text":
            key, _, fmt = content.rpartition(":") if ":" in content else (content, "", "")
            value = self.glued[key]
            return format(float(value), fmt) if fmt else value.strip("'")
        if name == "glue:md":
            return self.glued[content]
        if name == "ref":
            return f"[The data](https://example.org/book/{content}.html)"
        if name == "numref":
            return f"[Fig. 4.1](https://example.org/book/training.html#{content})"
        if name == "eq":
            return f"[(3.1)](https://example.org/book/model.html#equation-{content})"
        if name.startswith("cite"):
            return f"[Author, 2001](https://example.org/book/bibliography.html#{content})"
        if name == "func":
            return f"[`{content.lstrip('~').rsplit('.', 1)[-1]}()`](https://example.org/book/api.html)"
        raise LookupError(f"unknown role {name}")

    def number(self, kind, label):
        return {"exercise": "Exercise 4.1", "figure": "Fig. 4.1", "equation": "3.1"}[kind]


def md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def code(text, tags=(), outputs=(), **metadata):
    meta = dict(metadata)
    if tags:
        meta["tags"] = list(tags)
    return {"cell_type": "code", "metadata": meta, "source": text, "outputs": list(outputs), "execution_count": 1}


def glue_output(name):
    return {
        "output_type": "display_data",
        "metadata": {"scrapbook": {"name": name, "mime_prefix": "application/papermill.record/"}},
        "data": {"application/papermill.record/text/plain": "1"},
    }


def convert(cells, **kwargs):
    notebook = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
                "nbformat": 4, "nbformat_minor": 5}
    result = student_notebook(notebook, FakeResolver(), page="book/test", **kwargs)
    nbformat.validate(nbformat.from_dict(result))
    return result


def sources(notebook, kind=None):
    return [c["source"] for c in notebook["cells"] if kind is None or c["cell_type"] == kind]


def test_glue_roles_become_the_build_values():
    out = convert([md("Accuracy {glue:text}`acc:.1%` on {glue:text}`n:,.0f` images of {glue:text}`name`.")])
    assert sources(out) == ["Accuracy 97.5% on 60,000 images of five."]


def test_glued_markdown_is_converted_too():
    out = convert([md("See {glue:md}`md`.")])
    assert sources(out) == ["See the [The data](https://example.org/book/chapter-data.html) chapter."]


def test_references_citations_and_api_roles_become_links():
    out = convert([md("In {numref}`fig-x`, by {eq}`eq-loss` and {cite}`lecun1998`, see {func}`~mnist_lesson.data.load_mnist`.")])
    (text,) = sources(out)
    assert "[Fig. 4.1](https://example.org/book/training.html#fig-x)" in text
    assert "[(3.1)](https://example.org/book/model.html#equation-eq-loss)" in text
    assert "[Author, 2001](https://example.org/book/bibliography.html#lecun1998)" in text
    assert "[`load_mnist()`](https://example.org/book/api.html)" in text


def test_glue_code_and_glue_only_cells_go():
    out = convert(
        [
            code("import numpy as np\nfrom myst_nb import glue\n\nx = np.arange(3)\nx", outputs=[{"output_type": "execute_result", "data": {"text/plain": "array"}, "metadata": {}, "execution_count": 1}]),
            code("glue('n', len(x), display=False)", tags=["remove-cell"], outputs=[glue_output("n")]),
            code("y = x + 1\nglue('y', y)", outputs=[glue_output("y")]),
        ]
    )
    codes = [c for c in out["cells"] if c["cell_type"] == "code"]
    assert [c["source"] for c in codes] == ["import numpy as np\n\nx = np.arange(3)\nx", "y = x + 1"]
    assert codes[0]["outputs"][0]["data"] == {"text/plain": "array"}  # real outputs stay
    assert codes[1]["outputs"] == []  # glue records go


def test_a_hidden_cell_that_a_later_cell_needs_stays():
    out = convert(
        [
            code("top = 3\nglue('top', top)", tags=["remove-cell"]),
            code("hidden_only = 5\nglue('h', hidden_only)", tags=["remove-cell"]),
            code("print(top)"),
        ]
    )
    assert sources(out, "code") == ["top = 3", "print(top)"]
    assert all("tags" not in c["metadata"] for c in out["cells"])


def test_admonitions_exercises_and_solutions_become_plain_markdown():
    out = convert(
        [
            md(":::{admonition} Learning goals\n:class: tip\n\nAfter this chapter you can\n\n- count\n:::"),
            md(":::{exercise}\n:label: ex-a\n\nCount to {glue:text}`n`.\n:::\n\n:::{solution} ex-a\n:class: dropdown\n\nOne, two.\n:::"),
        ]
    )
    goals, exercise = sources(out)
    assert goals.startswith("> **Learning goals**\n>\n> After this chapter you can")
    assert exercise.startswith("### Exercise 4.1\n\nCount to 60000.")
    assert "<details>\n<summary>Solution to Exercise 4.1</summary>\n\nOne, two.\n\n</details>" in exercise
    assert not myst_leftovers(out)


def test_a_solution_with_code_is_a_collapsed_heading_over_its_cells():
    out = convert(
        [
            md(":::{exercise}\n:label: ex-a\n\nPlot it.\n:::\n\n:::{solution-start} ex-a\n:class: dropdown\n:::\n\nLike this:"),
            code("plot()"),
            md(":::{solution-end}\n:::\n\n:::{exercise}\n:label: ex-b\n\nAgain.\n:::"),
        ]
    )
    texts = [(c["cell_type"], c["source"]) for c in out["cells"]]
    assert texts == [
        ("markdown", "### Exercise 4.1\n\nPlot it."),
        ("markdown", "#### Solution to Exercise 4.1"),
        ("markdown", "Like this:"),
        ("code", "plot()"),
        ("markdown", "### Exercise 4.1\n\nAgain."),
    ]
    heading = out["cells"][1]
    assert heading["metadata"] == {"jp-MarkdownHeadingCollapsed": True}
    assert out["metadata"]["colab"] == {"collapsed_sections": [heading["id"]]}


def test_text_after_a_code_solution_must_start_with_a_heading():
    cells = [
        md(":::{exercise}\n:label: ex-a\n\nPlot it.\n:::\n\n:::{solution-start} ex-a\n:::"),
        code("plot()"),
        md(":::{solution-end}\n:::\n\nSome closing words."),
    ]
    with pytest.raises(NotebookConversionError, match="book/test: text follows a solution .*Some closing words"):
        convert(cells)


def test_figures_keep_their_numbered_captions_and_labels_go():
    out = convert(
        [
            md("(sec-a)=\n## A section\n\n$$\nE = mc^2\n$$ (eq-e)"),
            code("plot()", mystnb={"figure": {"name": "fig-a", "caption": "The {glue:text}`n` images."}}),
        ]
    )
    section, figure_code, caption = out["cells"]
    assert section["source"] == "## A section\n\n$$\nE = mc^2\n\\tag{3.1}\n$$"
    assert "mystnb" not in figure_code["metadata"]
    assert caption["source"] == "**Fig. 4.1.** The 60000 images."


def test_code_fences_are_left_alone():
    text = "Try:\n\n```python\nx = {'a': 1}  # {ref}`not-a-role`\n```"
    assert sources(convert([md(text)])) == [text]


def test_an_unknown_directive_or_role_names_the_page():
    with pytest.raises(NotebookConversionError, match=r"book/test: no student-notebook form for the margin"):
        convert([md(":::{margin}\nSide note.\n:::")])
    with pytest.raises(NotebookConversionError, match=r"book/test: cannot resolve \{term\}`epoch`"):
        convert([md("An {term}`epoch`.")])
    with pytest.raises(NotebookConversionError, match=r"not closed"):
        convert([md(":::{note}\nNever closed.")])


def test_preface_title_and_install_cell_come_first():
    out = convert([md("# Training\n\nText.")], preface="*From the book.*", install_code="print('install')",
                  title="4. Training")
    assert [c["cell_type"] for c in out["cells"]] == ["markdown", "code", "markdown"]
    assert out["cells"][0]["source"] == "*From the book.*"
    assert INSTALL_TAG in out["cells"][1]["metadata"]["tags"]
    assert out["cells"][2]["source"] == "# 4. Training\n\nText."
    assert len({c["id"] for c in out["cells"]}) == 3


def test_install_source_installs_the_wheel_only_when_the_version_differs(tmp_path, monkeypatch):
    import importlib.metadata
    import subprocess

    calls = []
    monkeypatch.setattr(subprocess, "check_call", lambda args: calls.append(args))
    source = install_source("https://example.org/w/mnist_lesson-9.9-py3-none-any.whl", "9.9")
    exec(compile(source, "install", "exec"), {})
    assert calls and calls[0][-1] == "https://example.org/w/mnist_lesson-9.9-py3-none-any.whl"
    calls.clear()
    installed = importlib.metadata.version("mnist-lesson")
    exec(compile(install_source("https://example.org/w.whl", installed), "install", "exec"), {})
    assert calls == []


def test_strip_glue_keeps_code_it_cannot_parse():
    assert strip_glue("%timeit f()") == "%timeit f()"


def test_export_copies_the_student_notebooks_of_a_built_site(tmp_path, capsys):
    site = tmp_path / "site"
    (site / "_sources" / "book").mkdir(parents=True)
    for name in ("data", "pca"):
        (site / "_sources" / "book" / f"{name}.ipynb").write_text(json.dumps({"cells": [], "name": name}))
    written = export_notebooks(tmp_path / "out", chapters=["pca"], site_dir=site)
    assert [p.name for p in written] == ["pca.ipynb"]
    assert json.loads(written[0].read_text())["name"] == "pca"
    assert cli.main(["notebooks", "--out", str(tmp_path / "all"), "--site", str(site)]) == 0
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == ["data.ipynb", "pca.ipynb"]
    assert cli.main(["notebooks", "--out", str(tmp_path / "x"), "--site", str(site), "nonsense"]) == 2
    assert "unknown chapter(s) ['nonsense']" in capsys.readouterr().err


def test_export_without_a_built_site_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="build the book first"):
        export_notebooks(tmp_path / "out", site_dir=tmp_path / "nothing")


def test_a_hidden_cell_whose_names_are_set_again_before_use_goes():
    out = convert(
        [
            code("for name, p in zip('ab', (1, 2)):\n    glue(name, p)\nembedded = 3", tags=["remove-cell"]),
            code("for p in range(2):\n    embedded = p\n    print(embedded)"),
        ]
    )
    assert sources(out, "code") == ["for p in range(2):\n    embedded = p\n    print(embedded)"]


def test_glue_inside_loops_goes_and_a_loop_that_only_glued_too():
    code_ = "for k in 'ab':\n    v = k * 2\n    glue(k, v)\nfor k in 'ab':\n    glue(k, 1)\nprint(v)"
    assert strip_glue(code_) == "for k in 'ab':\n    v = k * 2\nprint(v)"


def test_included_source_becomes_a_code_block():
    class Including(FakeResolver):
        def include(self, path, options):
            assert (path, options) == ("../pkg/mod.py", {"language": "python", "pyobject": "f"})
            return "def f():\n    return 1\n"

    notebook = {"cells": [md("The code:\n\n```{literalinclude} ../pkg/mod.py\n:language: python\n:pyobject: f\n```")],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    out = student_notebook(notebook, Including(), page="book/test")
    assert sources(out) == ["The code:\n\n```python\ndef f():\n    return 1\n```"]
