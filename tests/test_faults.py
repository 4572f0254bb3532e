"""Faults: a build that fails half-way loses nothing, and the preview server ends every burst of
saves showing the newest state, never a half-written page.

Failures are injected into the real command line: a small `python -c` wrapper patches one
function and then calls `timeline.cli.main`, as `python -m timeline` would.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SITES
from htmlwalk import parse_html
from serving import fetch, serving

ENTRY = Path("content/events/2023/2023-11-vote.yaml")
EVENT_PAGE = "events/2023-11-vote/"

# Pagefind fails while it indexes the new output (before the swap).
FAIL_INDEXING = """
import sys, timeline.engine.search, timeline.write.search
def write_shards(*args, **kwargs):
    raise timeline.write.search.SearchIndexError("Pagefind failed: injected fault")
timeline.engine.search.write_shards = write_shards
from timeline.cli import main
sys.exit(main(sys.argv[1:]))
"""
# The disk fills up while the new output is written: the third file written fails.
FAIL_WRITING = """
import errno, pathlib, sys
original, written = pathlib.Path.write_bytes, []
def write_bytes(self, data):
    written.append(self)
    if len(written) == 3:
        raise OSError(errno.ENOSPC, "No space left on device", str(self))
    return original(self, data)
pathlib.Path.write_bytes = write_bytes
from timeline.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_patched(wrapper: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", wrapper, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes), and every folder (-> None)."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture
def built(tmp_path, cli) -> tuple[Path, Path]:
    """A copy of the minimal site, built (with its search index) into tmp/out."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site)
    output = tmp_path / "out"
    done = cli("build", "--site", str(site), "--output", str(output))
    assert done.returncode == 0, done.stderr
    assert (output / "pagefind" / "2023" / "pagefind.js").is_file()
    return site, output


def retitle(site: Path, title: str) -> None:
    entry = site / ENTRY
    text = entry.read_text("utf-8")
    first, rest = text.split("\n", 1)
    assert first.startswith("title: ")
    entry.write_text(f"title: {title}\n{rest}", "utf-8")


def beside(output: Path) -> list[str]:
    return sorted(p.name for p in output.parent.iterdir())


@pytest.mark.parametrize("incremental", [True, False], ids=["incremental", "clean"])
def test_a_failure_while_indexing_leaves_the_previous_output(built, cli, incremental):
    site, output = built
    before, around = snapshot(output), beside(output)
    retitle(site, "A changed title, so the pages and the index must change")
    clean = () if incremental else ("--clean",)
    done = run_patched(FAIL_INDEXING, "build", "--site", str(site), "--output", str(output), *clean)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stdout + done.stderr
    assert "search: Pagefind failed: injected fault" in done.stdout
    assert "was left as it was" in done.stderr
    assert snapshot(output) == before, "the previous output changed"
    assert beside(output) == around, "the failed build left files beside the output"
    # Nothing lost either way: the next build, with Pagefind back, shows the change.
    again = cli("build", "--site", str(site), "--output", str(output))
    assert again.returncode == 0, again.stderr
    assert "A changed title" in (output / EVENT_PAGE / "index.html").read_text("utf-8")


def test_a_full_disk_while_writing_leaves_the_previous_output(built):
    site, output = built
    before, around = snapshot(output), beside(output)
    retitle(site, "A changed title that never reaches the disk")
    done = run_patched(FAIL_WRITING, "build", "--site", str(site), "--output", str(output))
    assert snapshot(output) == before, "the previous output changed"
    assert beside(output) == around, "the failed build left files beside the output"
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stdout + done.stderr
    assert "No space left on device" in done.stdout + done.stderr


def test_a_damaged_file_in_the_previous_output_is_not_carried_forward(built, cli, tmp_path):
    site, output = built
    page = output / EVENT_PAGE / "index.html"
    page.unlink()  # replaced, as a sync tool or an editor would do it
    page.write_text("<!DOCTYPE html><p>damaged", "utf-8")
    done = cli("build", "--site", str(site), "--output", str(output))
    assert done.returncode == 0, done.stderr
    fresh = tmp_path / "fresh"
    assert cli("build", "--site", str(site), "--output", str(fresh)).returncode == 0
    assert page.read_bytes() == (fresh / EVENT_PAGE / "index.html").read_bytes()


# --- the preview server under a burst of saves -------------------------------------------------

SAVES = 10
SAVE_INTERVAL = 0.02  # seconds between two saves
SETTLE = 5.0  # seconds within which the last save must be served


def _first_h1(body: str) -> str:
    """The text of the page's first <h1>."""
    start = body.find("<h1")
    if start < 0:
        return ""
    start = body.find(">", start) + 1
    return "".join(parse_html(body[start : body.find("</h1>", start)]).text).strip()


class Poller(threading.Thread):
    """Fetches the page again and again, keeping every body it got."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.bodies: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            _status, body = fetch(self.url)
            if body is not None:
                self.bodies.append(body)
            time.sleep(0.01)


@pytest.fixture
def served(tmp_path) -> Iterator[tuple[Path, str]]:
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site)
    with serving(site, tmp_path / "serve.log", ready="Minimal chronology") as base:
        yield site, base + EVENT_PAGE


@pytest.mark.parametrize(
    "interval", [0, SAVE_INTERVAL, 0.15], ids=["back-to-back", "20ms-apart", "150ms-apart"]
)
def test_a_burst_of_saves_ends_with_the_newest_state_served(served, interval):
    site, url = served
    poller = Poller(url)
    poller.start()
    titles = [f"Council votes, save number {n}" for n in range(1, SAVES + 1)]
    for title in titles:
        retitle(site, title)
        if interval:
            time.sleep(interval)
    last_saved = time.monotonic()
    try:
        while time.monotonic() - last_saved < SETTLE:
            _status, body = fetch(url)
            if body is not None and _first_h1(body) == titles[-1]:
                break
            time.sleep(0.05)
        else:
            shown = _first_h1(fetch(url)[1] or "")
            pytest.fail(f"{SETTLE} s after the last save the page shows {shown!r}")
        time.sleep(0.5)  # and it stays so
        assert _first_h1(fetch(url)[1] or "") == titles[-1]
    finally:
        poller.stop.set()
        poller.join()
    assert poller.bodies, "the page was never fetched during the saves"
    for body in poller.bodies:
        # Every response is a whole page: the site's, or the problem page of a half-saved file.
        assert body.rstrip().endswith("</html>"), body[-300:]
        parse_html(body)
        shown = _first_h1(body)
        assert shown in ("Council votes on a draft", *titles) or "cannot be built" in body, shown
