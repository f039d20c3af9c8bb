"""The chapters' code-cell formatter (book/_tools/format_code_cells.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("format_code_cells", ROOT / "book" / "_tools" / "format_code_cells.py")
fmt = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(fmt)


def chapter(code: str, options: str = "") -> str:
    return f"Text.\n\n```{{code-cell}} ipython3\n{options}{code}```\n\nMore text.\n"


def test_every_chapter_is_formatted():
    """A chapter edited by hand is formatted before it lands (the site test finds cut lines later, slower)."""
    assert fmt.main(["--check"]) == 0, "run .venv/bin/python book/_tools/format_code_cells.py"


def test_long_calls_are_wrapped_to_the_line_length():
    code = "result = some_function(first_argument, second_argument, third_argument, fourth=4)\n"
    out = fmt.format_chapter(chapter(code))
    lines = fmt.split_cell(next(fmt.CELL.finditer(out)).group("body"))[1].splitlines()
    assert len(lines) > 1 and max(map(len, lines)) <= fmt.LINE_LENGTH


@pytest.mark.parametrize(
    ("code", "last"),
    [
        ("plot(x, ax=ax);\n", "plot(x, ax=ax);"),
        ("fig = figure()\nplot(x, ax=ax);  # the figure only\n", "plot(x, ax=ax);  # the figure only"),
        ("plot_history(history, fig=fig, label=f'{units} unit', title='a long title for the panel');\n", ");"),
        ("plot(x, ax=ax);\n# a closing comment\n", "# a closing comment"),
    ],
)
def test_a_final_semicolon_survives(code, last):
    """In a notebook ``;`` hides the last value; without it a figure cell shows its Axes too."""
    options = "---\nmystnb:\n  figure:\n    name: fig-x\n---\n"
    out = fmt.format_chapter(chapter(code, options))
    body = fmt.split_cell(next(fmt.CELL.finditer(out)).group("body"))[1]
    assert body.splitlines()[-1] == last
    assert body.count(";") == 1


def test_options_and_prose_are_untouched():
    options = ":tags: [hide-input]\n"
    text = chapter("x = 1\n", options)
    assert fmt.format_chapter(text) == text
