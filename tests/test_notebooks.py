"""Each chapter, downloaded as a notebook, runs on its own as a student would run it.

The notebook a reader downloads from the site is executed top to bottom in a
fresh kernel, in an empty temporary folder, with nothing but the installed
package. Data and trained models come from the shared cache (or are rebuilt),
never from another chapter.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from mnist_lesson.notebooks import INSTALL_TAG, chapter_files, export_notebooks

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = [p.stem for p in chapter_files(ROOT / "book")][1:10]

pytestmark = [pytest.mark.slow, pytest.mark.data]


@pytest.mark.parametrize("name", CHAPTERS)
def test_downloaded_chapter_runs_alone(built_site, tmp_path, name):
    from nbclient import NotebookClient

    notebook = nbformat.read(built_site / "_sources" / "book" / f"{name}.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    work = tmp_path / "student"
    work.mkdir()
    nbformat.write(notebook, work / f"{name}.ipynb")
    client = NotebookClient(notebook, timeout=1800, kernel_name="python3", resources={"metadata": {"path": str(work)}})
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    assert [p.name for p in work.iterdir()] == [f"{name}.ipynb"], "the chapter wrote files into its folder"


def test_export_writes_every_chapter_with_the_install_cell(tmp_path):
    written = export_notebooks(tmp_path, book_dir=ROOT / "book")
    assert [p.stem for p in written] == [p.stem for p in chapter_files(ROOT / "book")]
    for path in written:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        assert INSTALL_TAG in notebook.cells[0].metadata["tags"]
        assert not any(c.get("outputs") for c in notebook.cells if c.cell_type == "code")
