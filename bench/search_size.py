"""Measure the search index: its size on disk, and the bytes a reader's first search transfers.

    python bench/search_size.py --site . --query "Security Council"
    python bench/search_size.py --site /tmp/corpus --query minister

Builds the site into a temporary folder, serves it on 127.0.0.1, opens /search/ in Debian's
Chromium (through Playwright), types the query, waits for the results and adds up the bodies of
every response under /pagefind/ (the script, WebAssembly, the language's metadata, index chunks,
filters and the fragments of the results shown).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from timeline.engine.build import build_site

CHROMIUM = "/usr/lib/chromium/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def measure(site: Path, query: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        result = build_site(site, out)
        if not result.ok:
            raise SystemExit("the site does not build: run `timeline check`")
        index_bytes, index_files = folder_size(out / "pagefind")
        handler = functools.partial(Quiet, directory=str(out))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        transferred: dict[str, int] = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()

            def record(response) -> None:  # type: ignore[no-untyped-def]
                if "/pagefind/" in response.url:
                    transferred[response.url] = len(response.body())

            page.on("response", record)
            page.goto(base + "search/")
            page.fill("#search-q", query)
            page.wait_for_function(
                "() => /found/.test(document.querySelector('[data-search-status]').textContent)"
            )
            page.wait_for_load_state("networkidle")
            results = page.locator("[data-search-results] li").count()
            browser.close()
        server.shutdown()
    return {
        "events": result.events,
        "pages": result.pages,
        "index_bytes": index_bytes,
        "index_files": index_files,
        "first_search_bytes": sum(transferred.values()),
        "first_search_requests": len(transferred),
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("."))
    parser.add_argument("--query", default="council")
    args = parser.parse_args()
    stats = measure(args.site, args.query)
    kib = lambda n: f"{n / 1024:,.0f} KiB"  # noqa: E731
    print(f"site: {args.site} ({stats['events']} events, {stats['pages']} pages)")
    print(f"index: {kib(stats['index_bytes'])} in {stats['index_files']} files")
    print(
        f"first search for {args.query!r}: {kib(stats['first_search_bytes'])} in "
        f"{stats['first_search_requests']} requests, {stats['results']} results shown"
    )


if __name__ == "__main__":
    main()
