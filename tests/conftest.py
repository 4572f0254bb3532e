from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from timeline.engine.store import store_folder

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "tests" / "sites"
# What a build into tmp/out leaves beside it (its records for the next build), with the output
# and the site: a build that fails, or succeeds, leaves nothing else there.
AROUND_OUTPUT = sorted([store_folder(Path("out")).name, "out", "site"])


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    """Run the real command line as a subprocess, as an editor or CI would."""
    return subprocess.run(
        [sys.executable, "-m", "timeline", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.fixture
def cli():
    return run_cli


# --- the browser tests: Playwright driving Debian's Chromium (never Playwright's own download) ---

CHROMIUM = next(
    (
        c
        for c in (
            os.environ.get("CHROMIUM", ""),
            "/usr/lib/chromium/chromium",  # the binary: /usr/bin/chromium's wrapper prints noise
            "/usr/bin/chromium",
        )
        if c and Path(c).is_file()
    ),
    None,
)
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def require_chromium(*also: Path) -> None:
    """Skip a browser test module when Chromium (or a file it needs) is missing, except in CI,
    where `make test` has installed them and a skip would hide a gap: there it is an error."""
    missing = [str(p) for p in also if not p.is_file()]
    if CHROMIUM is None:
        missing.append("chromium")
    if not missing:
        return
    if os.environ.get("CI"):
        raise RuntimeError(f"missing {', '.join(missing)}: run the tests with `make test`")
    pytest.skip(f"missing {', '.join(missing)} (make test installs them)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[dict]:
    """What axe-core finds wrong with the page as it is now: each rule broken, and where."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )


@contextlib.contextmanager
def page_without_errors(browser, width: int = 1280) -> Iterator:
    """A page in a fresh context, `width` × 900, that fails the test if the page throws or logs
    an error to the console."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == [], errors
