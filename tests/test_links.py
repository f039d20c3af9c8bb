"""Every internal link and anchor of the built site resolves; external links are listed."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

pytestmark = [pytest.mark.slow, pytest.mark.data]

ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "iframe": "src", "source": "src"}


def collect(site: Path):
    """Internal targets (page, target file, fragment) and external URLs of every page."""
    internal, external = [], set()
    ids: dict[Path, set] = {}
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).parts[0] in ("_static", "_sources"):
            continue  # theme templates and page sources, not pages
        soup = BeautifulSoup(page.read_text(errors="replace"), "html.parser")
        ids[page] = {el["id"] for el in soup.find_all(id=True)} | {el["name"] for el in soup.find_all(attrs={"name": True})}
        for tag, attribute in ATTRIBUTES.items():
            for element in soup.find_all(tag):
                url = element.get(attribute)
                if not url or url.startswith(("javascript:", "data:", "mailto:")):
                    continue
                parts = urlsplit(url)
                if parts.scheme or parts.netloc:
                    external.add(url)
                    continue
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                internal.append((page, target, parts.fragment))
    return internal, external, ids


def broken_links(site: Path):
    """Return (broken, number of internal links, external URLs) for a built site."""
    internal, external, ids = collect(site)
    broken = []
    for page, target, fragment in internal:
        name = page.relative_to(site)
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            broken.append(f"{name}: {target.name} does not exist ({target})")
        elif fragment and target.suffix == ".html":
            if target not in ids:
                ids[target] = {el["id"] for el in BeautifulSoup(target.read_text(), "html.parser").find_all(id=True)}
            if unquote(fragment) not in ids[target]:
                broken.append(f"{name}: no anchor #{fragment} in {target.relative_to(site)}")
    return sorted(set(broken)), len(internal), external


def test_internal_links_and_anchors_resolve(built_site):
    broken, count, external = broken_links(built_site)
    assert count > 100, "suspiciously few links"
    assert not broken, "\n".join(broken[:40])
    print(f"{count} internal links checked; {len(external)} external links, listed, not fetched:")
    for url in sorted(external):
        print("  ", url)


def test_the_checker_names_the_page_of_each_broken_link(tmp_path):
    (tmp_path / "a.html").write_text('<a href="b.html#here">b</a><a href="missing.html">m</a><img src="x.png">')
    (tmp_path / "b.html").write_text('<p id="there">b</p><a href="https://example.org/">out</a><a href="#there">t</a>')
    broken, count, external = broken_links(tmp_path)
    assert count == 4 and external == {"https://example.org/"}
    assert broken == [
        "a.html: missing.html does not exist (" + str(tmp_path / "missing.html") + ")",
        "a.html: no anchor #here in b.html",
        "a.html: x.png does not exist (" + str(tmp_path / "x.png") + ")",
    ]
