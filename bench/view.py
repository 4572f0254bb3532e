"""The timeline view at N entries: what its pages weigh and how soon Chromium paints them.

    .venv/bin/python bench/view.py --n 1000 --runs 3                      # a quick look
    .venv/bin/python bench/view.py --n 10000 --runs 5 --out docs/benchmarks.md

The corpus is bench/generate.py's (seeded, N events), built once with `python -m timeline build
--no-search` (the view does not use the search index). The pages measured are the whole view
(`timeline/`, lanes by actor, and `timeline/topics/`) and the year views with the most bytes
(one per lane kind). A page's weight is its HTML plus what it loads (the stylesheet, site.js,
view.js and the icon), in bytes as served and gzip-compressed (level 6, as web servers do).

Each page is then opened `--runs` times at a phone's viewport (375 × 800) and a desktop's
(1280 × 900), each time in a fresh browser context (nothing cached), from a local static
server, in headless Chromium (Debian's). First paint is the `first-contentful-paint` entry of
the Paint Timing API; "drawn" is when view.js has fitted the drawing to the screen and written
its status line (the page is ready to zoom); "load" is the navigation's loadEventEnd. All are
milliseconds from the start of the navigation; medians are reported.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gzip
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from generate import generate
from report import code_state, machine, update, wrap

ROOT = Path(__file__).resolve().parents[1]
TITLE = "## The timeline view at 10,000 entries: weight and first paint"
ASSETS = ("static/style.css", "static/site.js", "static/view.js", "static/favicon.svg")
VIEWPORTS = {"phone": (375, 800), "desktop": (1280, 900)}
CHROMIUM = next(
    (
        p
        for p in (os.environ.get("CHROMIUM", ""), "/usr/lib/chromium/chromium")
        if p and Path(p).is_file()
    ),
    "chromium",
)
# "drawn" is taken when the status line is first seen written; the paint entry may come after
# it (the first frame can follow the script), so it is awaited, for up to 5 s.
TIMING = """() => new Promise(done => {
  const written = () => document.querySelector('[data-view-status]').textContent !== '';
  const paint = () => performance.getEntriesByName('first-contentful-paint')[0];
  let drawn = null;
  const wait = () => {
    if (drawn === null && written()) drawn = performance.now();
    const complete = drawn !== null && document.readyState === 'complete';
    if (complete && (paint() || performance.now() > 5000)) {
      const nav = performance.getEntriesByType('navigation')[0];
      done({paint: paint() ? paint().startTime : null, load: nav.loadEventEnd, drawn});
    } else setTimeout(wait, 5);
  };
  wait();
})"""


def build(corpus: Path, output: Path) -> None:
    command = [sys.executable, "-m", "timeline", "build", "--site", str(corpus)]
    command += ["--output", str(output), "--no-search", "--clean"]
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def pages(output: Path) -> list[str]:
    """The whole view (both lane kinds) and, for each lane kind, the heaviest year view."""
    years = sorted((output / "timeline").glob("[0-9]*/index.html"))
    topics = sorted((output / "timeline").glob("[0-9]*/topics/index.html"))
    heaviest = [max(files, key=lambda f: f.stat().st_size) for files in (years, topics) if files]
    chosen = ["timeline/", "timeline/topics/"]
    return chosen + [str(f.parent.relative_to(output)) + "/" for f in heaviest]


def weight(output: Path, page: str) -> dict[str, int]:
    html = (output / page / "index.html").read_bytes()
    assets = [(output / asset).read_bytes() for asset in ASSETS]
    text = html.decode("utf-8")
    return {
        "html": len(html),
        "html_gz": len(gzip.compress(html, 6)),
        "total": len(html) + sum(map(len, assets)),
        "total_gz": len(gzip.compress(html, 6)) + sum(len(gzip.compress(a, 6)) for a in assets),
        # Only links are counted: the legend's swatches are <g class="mark ...">.
        "marks": text.count('" class="mark'),
        "cells": text.count('" class="cell '),
    }


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(directory: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def timings(base: str, page_paths: list[str], runs: int) -> dict[tuple[str, str], list[dict]]:
    from playwright.sync_api import sync_playwright

    results: dict[tuple[str, str], list[dict]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox", "--disable-gpu"]
        )
        for page_path in page_paths:
            for name, (width, height) in VIEWPORTS.items():
                for _ in range(runs):
                    context = browser.new_context(viewport={"width": width, "height": height})
                    page = context.new_page()
                    page.goto(base + page_path)
                    results.setdefault((page_path, name), []).append(page.evaluate(TIMING))
                    context.close()
        browser.close()
    return results


def kb(n: float) -> str:
    return f"{n / 1000:,.0f} KB"


def ms(values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    return f"{statistics.median(known):,.0f} ms" if known else "n/a"


def table(weights: dict[str, dict[str, int]], times: dict[tuple[str, str], list[dict]]) -> str:
    lines = [
        "| page | drawn as | HTML | with CSS, JS, icon | gzip | first paint, phone | "
        "drawn, phone | first paint, desktop | drawn, desktop |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page, w in weights.items():
        drawn_as = f"{w['marks']:,} entries" if w["marks"] else f"{w['cells']:,} counts"
        cells = [f"`{page}`", drawn_as, kb(w["html"]), kb(w["total"]), kb(w["total_gz"])]
        for name in VIEWPORTS:
            runs = times[(page, name)]
            cells += [ms([r["paint"] for r in runs]), ms([r["drawn"] for r in runs])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def section(n: int, runs: int, weights: dict, times: dict, start: dict, end: dict) -> str:
    same = start["code"] == end["code"] and start["head"] == end["head"]
    where = wrap(
        f"Measured by `bench/view.py --n {n} --runs {runs}` on "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; timeline at commit `{start['head']}`, "
        f"code hash `{start['code']}` ({'unchanged' if same else 'CHANGED'} during the run); "
        f"{machine()}; load average {start['load']} at the start, {end['load']} at the end."
    )
    how = wrap(
        f"**Method.** `bench/generate.py --n {n}` (seeded) makes the corpus, built with "
        "`--no-search`. A page's weight is its HTML plus the stylesheet, site.js, view.js and "
        "the icon it loads; gzip is level 6. Each page is opened "
        f"{runs} times per viewport (375 × 800, 1280 × 900) in a fresh context of headless "
        "Chromium, from a local static server. First paint is the Paint Timing API's "
        "`first-contentful-paint`; drawn is when view.js has fitted the drawing and written "
        "its status line; both in ms from the start of the navigation, medians."
    )
    return "\n\n".join([TITLE, where, how, table(weights, times)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000, help="entries (default 10000)")
    parser.add_argument("--runs", type=int, default=5, help="loads per page and viewport")
    parser.add_argument("--out", type=Path, help="the benchmarks page whose section to update")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-view-"))
    start = code_state()
    try:
        generate(args.n, work / "corpus")
        build(work / "corpus", work / "out")
        page_paths = pages(work / "out")
        weights = {page: weight(work / "out", page) for page in page_paths}
        with served(work / "out") as base:
            times = timings(base, page_paths, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = section(args.n, args.runs, weights, times, start, code_state())
    print(text)
    if args.out:
        update(args.out, TITLE, text)


if __name__ == "__main__":
    main()
