"""`timeline serve` as a subprocess: rebuild on save, show problems, recover."""

from __future__ import annotations

import re
import shutil
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import SITES
from htmlwalk import parse_html
from serving import fetch, serving, wait_for

from timeline.engine.build import build_site

EVENT = "events/2024-02-05-second-call/"


@pytest.fixture
def served(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site)
    with serving(site, tmp_path / "serve.log", ready="Minimal chronology") as base:
        yield site, base
    assert not (site / "output").exists(), "serve must not write the site's output folder"


def title_of(body: str) -> str:
    page = parse_html(body)
    return "".join(page.text)


def test_serve_rebuilds_shows_problems_and_recovers(served):
    site, base = served
    entry: Path = site / "content" / "events" / "2024" / "2024-02-05-second-call.md"
    original = entry.read_text()
    status, body = fetch(base + EVENT)
    assert status == 200 and "A second call, of uncertain date" in body
    assert "livereload" in body  # the reload script is injected

    entry.write_text(original.replace("A second call, of uncertain date", "A renamed second call"))
    wait_for(base + EVENT, lambda b: "A renamed second call" in b, 10)

    entry.write_text(original.replace("date: 2024-02-05?", "date: 10/12/2023"))
    _, body = wait_for(base + EVENT, lambda b: "cannot be built" in b, 10)
    problems = title_of(body)
    assert "content/events/2024/2024-02-05-second-call.md:3:7: error: date:" in problems
    assert "ambiguous" in problems
    assert "livereload" in body  # so that the fix reloads the page by itself
    status, _ = fetch(base + "static/style.css")
    assert status == 200  # assets still served while broken

    entry.write_text(original)
    wait_for(base + EVENT, lambda b: "A second call, of uncertain date" in b, 10)


def test_serve_404_and_directory_redirect(served):
    _site, base = served
    status, body = fetch(base + "no/such/page/")
    assert status == 404 and "Page not found" in body
    request = urllib.request.Request(base + "events")
    with urllib.request.urlopen(request, timeout=2) as response:  # follows the redirect
        assert response.geturl() == base + "events/"


# What livereload injects before </head> in every HTML response.
RELOAD_SCRIPT = re.compile(
    r'<script type="text/javascript">\(function\(\).*?livereload\.js.*?</script>'
)


def test_a_burst_of_saves_ends_with_the_newest_state_and_readers_see_whole_pages(served, tmp_path):
    site, base = served
    entry = site / "content" / "events" / "2024" / "2024-02-05-second-call.md"
    original = entry.read_text()
    pages = [base + EVENT, base + "events/", base, base + "years/2024/", base + "events.json"]
    answers: list[tuple[str, int | None, str]] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            for url in pages:
                status, body = fetch(url)
                answers.append((url, status, body or ""))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for number in range(20):  # 20 saves within a second
            entry.write_text(original.replace("of uncertain date", f"saved {number} times"))
            time.sleep(0.04)
        wait_for(base + EVENT, lambda body: "saved 19 times" in body, 30)
        time.sleep(0.3)  # a few more reads of the last state
    finally:
        stop.set()
        reader.join()
    assert len(answers) > 50
    for url, status, body in answers:
        assert status == 200, (url, status, body[:300])
        whole = body.rstrip().endswith("</html>") if url.endswith("/") else body.endswith("}\n")
        assert whole, (url, body[-300:])

    # The search index, made in the background, is served too.
    wait_for(base + "pagefind/2023/pagefind.js", lambda body: "pagefind" in body.lower(), 60)

    # What is served is what a cold build of the final state makes, byte for byte.
    full = tmp_path / "full"
    assert build_site(site, full, base_url=base, search=False, incremental=False).ok
    for file in sorted(full.rglob("*")):
        path = file.relative_to(full).as_posix()
        if file.is_file() and not path.startswith("pagefind/"):
            with urllib.request.urlopen(base + path.removesuffix("index.html")) as response:
                served = response.read()
            if path.endswith(".html"):
                served = RELOAD_SCRIPT.sub("", served.decode("utf-8")).encode("utf-8")
            assert served == file.read_bytes(), path


def test_the_problem_page_speaks_the_sites_language(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "he", site)
    with serving(site, tmp_path / "serve.log", ready="כרונולוגיה לדוגמה") as base:
        entry = site / "content" / "events" / "2024" / "2024-02-05-second-call.md"
        entry.write_text(entry.read_text().replace("date: 2024-02-05?", "date: 10/12/2023"))
        _, body = wait_for(base + EVENT, lambda b: 'class="problems"' in b, 10)
    page = parse_html(body)
    root = page.find("html")[0]
    assert (root["lang"], root["dir"]) == ("he", "rtl")
    text = "".join(page.text)
    assert "לא ניתן לבנות את האתר" in text and "שגיאה אחת" in text
    assert "content/events/2024/2024-02-05-second-call.md:3:7: error: date:" in text
