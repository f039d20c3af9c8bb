"""Format the chapters' code cells to fit the page's text column.

A code block of the site shows about 78 characters at 1280 px; the chapters'
code is formatted by ruff with a line length of :data:`LINE_LENGTH` so that no
line is cut (``tests/test_site.py`` checks the rendered pages). A cell that ends
in ``;`` keeps it: in a notebook the semicolon hides the last value (a figure
cell's ``Axes``), which ruff, formatting Python, would drop.

Usage: ``.venv/bin/python book/_tools/format_code_cells.py [--check] [book/*.md ...]``
(no files: every chapter).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import textwrap
from pathlib import Path

#: The longest line of a chapter's code cell.
LINE_LENGTH = 72
BOOK = Path(__file__).resolve().parents[1]
CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(?P<body>.*?)^```[ \t]*$", re.S | re.M)
FRONT = re.compile(r"\A(---\n.*?\n---\n|(?::[^\n]*\n)+)", re.S)


def split_cell(body: str) -> tuple[str, str]:
    """The cell's options (front matter or ``:key:`` lines) and its code."""
    match = FRONT.match(body)
    return (match.group(0), body[match.end():]) if match else ("", body)


def lift_comments(code: str) -> str:
    """Move a trailing comment of a long line onto its own line(s) above it."""
    out = []
    for line in code.splitlines():
        code_part, sep, comment = line.partition("  # ")
        indent = line[: len(line) - len(line.lstrip())]
        if len(line) > LINE_LENGTH and sep and code_part.strip() and code_part.count('"') % 2 == 0 \
                and code_part.count("'") % 2 == 0:
            out.extend(wrap_comment(indent, comment))
            out.append(code_part.rstrip())
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def wrap_comment(indent: str, comment: str) -> list[str]:
    return textwrap.wrap(comment, LINE_LENGTH, initial_indent=indent + "# ", subsequent_indent=indent + "# ",
                         break_long_words=False, break_on_hyphens=False)


def wrap_comments(code: str) -> str:
    """Wrap full-line comments longer than the line length."""
    out = []
    for line in code.splitlines():
        stripped = line.lstrip()
        if len(line) > LINE_LENGTH and stripped.startswith("# "):
            out.extend(wrap_comment(line[: len(line) - len(stripped)], stripped[2:]))
        else:
            out.append(line)
    return "\n".join(out) + "\n"


STRING_LINE = re.compile(r'^(?P<indent>\s*)(?P<key>\w+=)?"(?P<text>[^"\\{}]*)"(?P<end>,?)$')


def split_strings(code: str) -> str:
    """Split a long string argument on its own line into adjacent literals (Python joins them)."""
    out = []
    for line in code.splitlines():
        match = STRING_LINE.match(line)
        if len(line) <= LINE_LENGTH or not match:
            out.append(line)
            continue
        indent, key = match["indent"], match["key"] or ""
        pieces = textwrap.wrap(match["text"], LINE_LENGTH - len(indent) - len(key) - 3, drop_whitespace=False,
                               break_long_words=False, break_on_hyphens=False)
        for i, piece in enumerate(pieces):
            lead = indent + key if i == 0 else indent + " " * len(key)
            out.append(f'{lead}"{piece}"' + (match["end"] if i == len(pieces) - 1 else ""))
    return "\n".join(out) + "\n"


def ruff_format(code: str) -> str | None:
    """``code`` formatted by ruff, or None when it is not plain Python (magics)."""
    if any(line.lstrip().startswith(("%", "!")) for line in code.splitlines()):
        return None
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", f"--line-length={LINE_LENGTH}", "--stdin-filename=cell.py", "-"],
        input=lift_comments(code), capture_output=True, text=True,
    )
    if result.returncode != 0:
        return None
    formatted = split_strings(wrap_comments(result.stdout))
    return keep_semicolon(code, formatted)


def keep_semicolon(code: str, formatted: str) -> str:
    """Put back the ``;`` that ended the cell's last statement (it hides the cell's value)."""
    last = [line.split("  # ")[0].rstrip() for line in code.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not last or not last[-1].endswith(";"):
        return formatted
    lines = formatted.rstrip("\n").splitlines()
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip() and not lines[i].lstrip().startswith("#"):
            code_part, sep, comment = lines[i].partition("  # ")
            lines[i] = code_part.rstrip() + ";" + (sep + comment if sep else "")
            break
    return "\n".join(lines) + "\n"


def format_chapter(text: str) -> str:
    def replace(match: re.Match) -> str:
        options, code = split_cell(match.group("body"))
        if not code.strip():
            return match.group(0)
        formatted = ruff_format(code)
        if formatted is None:
            return match.group(0)
        head = match.group(0)[: match.start("body") - match.start(0)]
        return f"{head}{options}{formatted}```"
    return CELL.sub(replace, text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only list the chapters that would change")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    changed = []
    for path in args.files or sorted(BOOK.glob("*.md")):
        text = path.read_text()
        new = format_chapter(text)
        if new != text:
            changed.append(path)
            if not args.check:
                path.write_text(new)
    for path in changed:
        print(("would reformat " if args.check else "reformatted ") + str(path))
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
