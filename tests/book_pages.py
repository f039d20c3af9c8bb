"""The book's pages as the tests see them, read from ``_toc.yml`` (never listed by hand).

``PAGES`` are all pages in reading order as paths below ``book/`` without suffix
(``"intro"``, ``"data"``, ``"api/index"``); ``CHAPTERS`` are the pages of the
numbered parts, the chapters with a number on the site.
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())


def _name(entry: dict) -> str:
    return entry["file"].removeprefix("book/").removesuffix(".md")


def _walk(entries: list[dict]) -> list[str]:
    names = []
    for entry in entries:
        names.append(_name(entry))
        names.extend(_walk(entry.get("sections", [])))
    return names


PAGES = [TOC["root"].removeprefix("book/"), *(name for part in TOC["parts"] for name in _walk(part["chapters"]))]
CHAPTERS = [_name(chapter) for part in TOC["parts"] if part.get("numbered") for chapter in part["chapters"]]
BACK_MATTER = [name for part in TOC["parts"] if not part.get("numbered") for name in _walk(part["chapters"])]
