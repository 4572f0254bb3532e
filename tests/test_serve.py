"""`timeline serve` as a subprocess: rebuild on save, show problems, recover."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import SITES
from htmlwalk import parse_html
from serving import fetch, serving, wait_for

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
