"""Lighthouse on the built site, served gzipped as GitHub Pages serves it.

Serves ``_build/html`` on 127.0.0.1 (every text asset gzip-compressed, images
as they are), runs Lighthouse (npm ``lighthouse``, pinned below, through
``npx``) with Debian's Chromium in its default mobile profile (simulated slow
4G and a mid-range phone's CPU) on the introduction and every chapter, and
prints and records for each page: the performance score, the largest
contentful paint, the total bytes transferred (the page and every asset it
loads: images, scripts, styles, fonts), the accessibility and best-practices
scores, and the load average of the machine while it ran (Lighthouse's
timings are simulated from a trace, but a busy machine still slows the trace).

Usage: .venv/bin/python benchmarks/lighthouse.py [--site _build/html] [--pages intro confusion ...]
       [--section lighthouse]   (about a minute a page; needs `make book` first)

Targets (issue 13): performance >= 90 and LCP <= 2.5 s on every chapter;
accessibility and best practices 100.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
from functools import partial
from pathlib import Path

from _common import ROOT, record

#: The Lighthouse release the figures are measured with (12.x runs on Node 20).
LIGHTHOUSE = "lighthouse@12.8.2"
CHROMIUM = "/usr/bin/chromium"
def _chapters() -> tuple[str, ...]:
    """The introduction and every numbered chapter, from _toc.yml."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    names = [toc["root"], *(c["file"] for part in toc["parts"] if part.get("numbered") for c in part["chapters"])]
    return tuple(name.removeprefix("book/") for name in names)


PAGES = _chapters()
CATEGORIES = ("performance", "accessibility", "best-practices")
TARGETS = {"performance": 90, "lcp_seconds": 2.5, "accessibility": 100, "best-practices": 100}
#: What GitHub Pages compresses: text, not images or fonts that are compressed already.
COMPRESSED = {".html", ".js", ".css", ".json", ".svg", ".txt", ".xml", ".map", ".ipynb", ".md"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text ones gzip-compressed when the client accepts it."""

    def log_message(self, *args):  # quiet
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and path.suffix in COMPRESSED and accepts):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``site`` on a free port of 127.0.0.1 in a background thread; the server and its URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def page_url(base: str, site: Path, page: str) -> str:
    path = site / "book" / f"{page}.html"
    if not path.is_file():
        raise SystemExit(f"benchmarks/lighthouse.py: {path} does not exist; build the book first (make book)")
    return f"{base}/book/{page}.html"


def run_lighthouse(url: str, out: Path) -> dict:
    """Lighthouse's report on ``url`` (mobile profile), as a dict."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    command = [
        "npx", "--yes", LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={out}",
        "--only-categories=" + ",".join(CATEGORIES), '--chrome-flags=--headless=new --no-sandbox',
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0 or not out.is_file():
        raise RuntimeError(f"Lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    return json.loads(out.read_text())


def figures(report: dict) -> dict:
    """The recorded figures of one Lighthouse report."""
    audits, categories = report["audits"], report["categories"]
    blocking = audits.get("render-blocking-resources", {}).get("details", {}).get("items", [])
    return {
        "performance": round(100 * categories["performance"]["score"]),
        "lcp_seconds": round(audits["largest-contentful-paint"]["numericValue"] / 1000, 2),
        "fcp_seconds": round(audits["first-contentful-paint"]["numericValue"] / 1000, 2),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "transfer_kb": round(audits["total-byte-weight"]["numericValue"] / 1000),
        "render_blocking": len(blocking),
        "accessibility": round(100 * categories["accessibility"]["score"]),
        "best-practices": round(100 * categories["best-practices"]["score"]),
    }


def misses(row: dict) -> list[str]:
    """Which targets a page misses."""
    out = []
    if row["performance"] < TARGETS["performance"]:
        out.append("performance")
    if row["lcp_seconds"] > TARGETS["lcp_seconds"]:
        out.append("LCP")
    for name in ("accessibility", "best-practices"):
        if row[name] < TARGETS[name]:
            out.append(name)
    return out


def markdown_table(section: dict) -> str:
    """The recorded figures of one results.json section as a Markdown table (for benchmarks/README.md)."""
    lines = ["| page | performance | LCP | FCP | CLS | transferred | render-blocking requests | accessibility | best practices | load average |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    order = [p for p in PAGES if p in section["pages"]] + [p for p in section["pages"] if p not in PAGES]
    for page in order:
        row = section["pages"][page]
        lines.append(f"| {page} | {row['performance']} | {row['lcp_seconds']:.1f} s | {row['fcp_seconds']:.1f} s | {row['cls']:.3f} "
                     f"| {row['transfer_kb']} KB | {row['render_blocking']} | {row['accessibility']} | {row['best-practices']} "
                     f"| {row['load_average']:.1f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--pages", nargs="+", default=list(PAGES), help="page names under book/ (default: all)")
    parser.add_argument("--section", default="lighthouse", help="the section of results.json to record into")
    parser.add_argument("--reports", type=Path, help="also keep Lighthouse's JSON reports in this folder")
    parser.add_argument("--table", action="store_true", help="only print the recorded section as a Markdown table")
    args = parser.parse_args(argv)
    if args.table:
        from _common import RESULTS

        print(markdown_table(json.loads(RESULTS.read_text())[args.section]))
        return 0
    server, base = serve(args.site.resolve())
    pages, loads = {}, []
    try:
        with tempfile.TemporaryDirectory(prefix="mnist-lighthouse-") as tmp:
            if args.reports:
                args.reports.mkdir(parents=True, exist_ok=True)
                tmp = args.reports
            for page in args.pages:
                url = page_url(base, args.site, page)
                before = os.getloadavg()[0]
                report = run_lighthouse(url, Path(tmp) / f"{page}.json")
                load = round((before + os.getloadavg()[0]) / 2, 2)
                loads.append(load)
                row = {**figures(report), "load_average": load}
                pages[page] = row
                print(f"{page:12s} performance {row['performance']:3d}  LCP {row['lcp_seconds']:5.2f} s  "
                      f"FCP {row['fcp_seconds']:5.2f} s  CLS {row['cls']:.3f}  transfer {row['transfer_kb']:5d} KB  "
                      f"blocking {row['render_blocking']}  a11y {row['accessibility']:3d}  "
                      f"best practices {row['best-practices']:3d}  load {load:.2f}"
                      + (f"  MISSES {', '.join(misses(row))}" if misses(row) else ""), flush=True)
    finally:
        server.shutdown()
    version = subprocess.run(["npx", "--yes", LIGHTHOUSE, "--version"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    record(args.section, {
        "lighthouse": version,
        "profile": "mobile (Lighthouse default: simulated slow 4G, 4x CPU slowdown)",
        "served": "gzip (level 6) from 127.0.0.1",
        "targets": TARGETS,
        "load_average": {"min": min(loads), "max": max(loads)},
        "pages": pages,
    })
    failing = {page: misses(row) for page, row in pages.items() if misses(row)}
    print("all targets met" if not failing else f"targets missed: {failing}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
