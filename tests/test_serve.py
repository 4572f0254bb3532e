"""`timeline serve` as a subprocess: rebuild on save, show problems, recover."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, SITES
from htmlwalk import parse_html

EVENT = "events/2024-02-05-second-call/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(url: str, predicate, seconds: float) -> tuple[float, str]:
    """Poll until predicate(body) holds; return the time it took and the body."""
    start = time.monotonic()
    body = ""
    while time.monotonic() - start < seconds:
        try:
            _status, body = fetch(url)
            if predicate(body):
                return time.monotonic() - start, body
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError(
        f"{url} did not change as expected within {seconds} s; last body:\n{body[:500]}"
    )


@pytest.fixture
def served(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "timeline", "serve", "--site", str(site), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(base, lambda body: "Minimal chronology" in body, 20)
        yield site, base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
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
    took, _ = wait_for(base + EVENT, lambda b: "A renamed second call" in b, 10)
    assert took < 2.0, f"change served after {took:.2f} s"

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
