"""Valid HTML: every page type, checked by the Nu Html Checker (vnu.jar, from npm, run by Java),
and a theme without inline event handlers or inline styles (so that a strict
Content-Security-Policy holds: see tests/test_csp.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, SITES
from gitrepo import commit_all, init_repo

from timeline.engine.build import build_site

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")
TEMPLATES = ROOT / "timeline" / "themes" / "default" / "templates"
STATIC = ROOT / "timeline" / "themes" / "default" / "static"

# One page of each type: (site, path in its output). "repo" is this repository's chronology,
# "fixture" is tests/sites/minimal with an alias added (for the redirect page).
REPO_EVENT = "events/2023-10-29-dagestan-airport-riot/index.html"
PAGES = [
    ("repo", "index.html"),  # landing, with the activity chart
    ("repo", "events/index.html"),  # all entries
    ("repo", REPO_EVENT),  # an event page
    ("repo", "years/2023/index.html"),  # year
    ("repo", "actors/index.html"),  # actors index
    ("repo", "actors/russia/index.html"),  # actor
    ("repo", "topics/index.html"),  # topics index
    ("repo", "sources/index.html"),  # sources index
    ("repo", "search/index.html"),  # search
    ("repo", "404.html"),  # not found (absolute links)
    ("fixture", "events/2023-10-16-first-call/index.html"),  # an event with everything
    ("fixture", "events/an-old-id/index.html"),  # an alias: the redirect page
    ("fixture", "embed/2023-10-16-first-call/index.html"),  # embed card
    ("fixture", "topics/talks/index.html"),  # topic
    ("fixture", "sources/wire-report/index.html"),  # source
    ("fixture", "actors/unused-actor/index.html"),  # an actor with no entries
    ("fixture", "events/2023-10-16-first-call/v/2/index.html"),  # a version and its diff
    ("fixture", "events/an-old-id/v/1/index.html"),  # an alias's version: a redirect
    ("fixture", "changes/index.html"),  # the record of changes
    ("repo", "timeline/index.html"),  # the timeline view, each entry drawn
    ("repo", "timeline/2024/topics/index.html"),  # a year's view, lanes by topic
]

if JAVA is None or not VNU.is_file():
    # `make test` installs both (Debian's Java, npm's vnu-jar). In CI a skip would hide a gap.
    if os.environ.get("CI"):
        raise RuntimeError("java or vnu.jar is missing: run the tests with `make test`")
    pytest.skip(
        "the Nu Html Checker needs java and node_modules/vnu-jar (`make test` installs both)",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    repo = tmp_path_factory.mktemp("repo") / "site"
    assert build_site(ROOT, repo, search=False).ok
    fixture = tmp_path_factory.mktemp("fixture-src") / "site"
    shutil.copytree(SITES / "minimal", fixture)
    init_repo(fixture)  # two commits: the second one's version page shows a diff
    commit_all(fixture, "Add the entries")
    entry = fixture / "content" / "events" / "2023" / "2023-10-16-first-call.md"
    text = entry.read_text("utf-8").replace("related:", "aliases: [an-old-id]\nrelated:", 1)
    entry.write_text(text, "utf-8")
    commit_all(fixture, "Give the first call an alias", when="2024-03-02T09:00:00+00:00")
    built = tmp_path_factory.mktemp("fixture") / "site"
    assert build_site(fixture, built, search=False).ok
    return {"repo": repo, "fixture": built}


def test_the_event_pages_checked_have_everything(outputs):
    """The chosen pages really show the parts that can go wrong."""
    html = (outputs["fixture"] / PAGES[10][1]).read_text("utf-8")
    for part in ('class="disputed"', 'class="corrections"', 'class="related"', "blockquote"):
        assert part in html, part
    assert 'http-equiv="refresh"' in (outputs["fixture"] / PAGES[11][1]).read_text("utf-8")
    version = (outputs["fixture"] / PAGES[16][1]).read_text("utf-8")
    assert "<ins>" in version and 'class="cite-version"' in version
    assert 'http-equiv="refresh"' in (outputs["fixture"] / PAGES[17][1]).read_text("utf-8")


def test_every_page_type_is_valid_html(outputs):
    files = [outputs[site] / path for site, path in PAGES]
    assert all(f.is_file() for f in files), [str(f) for f in files if not f.is_file()]
    done = subprocess.run(
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(done.stdout)
    errors = [
        f"{m.get('url', '?').split('/site/')[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        f"\n    {m.get('extract', '').strip()}"
        for m in report["messages"]
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    print("\n".join(errors))
    assert errors == [], f"{len(errors)} errors from the Nu Html Checker:\n" + "\n".join(errors)


# An attribute `on...=` or `style=` in markup. The embed code shown in the cite box has a
# `style="border:0;max-width:100%"`, but it is text (written by structured.embed_snippet and
# escaped into the page), not an attribute of the theme's markup: it never appears here.
INLINE_HANDLER = re.compile(r"<[a-zA-Z][^>]*\s(on[a-z]+)\s*=", re.DOTALL)
INLINE_STYLE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.DOTALL)
# Data blocks a browser never runs are allowed: JSON-LD, and the scripts' words (JSON).
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\b(?:src=|application/(?:ld\+)?json\b))[^>]*>", re.I)


# The packaged theme's templates and those of the repository's own theme (themes/).
THEME_TEMPLATES = {
    p.relative_to(ROOT).as_posix(): p
    for p in [*TEMPLATES.glob("*.html"), *(ROOT / "themes").glob("*/templates/*.html")]
}


@pytest.mark.parametrize("template", sorted(THEME_TEMPLATES))
def test_templates_have_no_inline_handlers_or_styles(template):
    text = THEME_TEMPLATES[template].read_text("utf-8")
    assert not INLINE_HANDLER.findall(text), INLINE_HANDLER.findall(text)
    assert not INLINE_STYLE.search(text), "an inline style= attribute"
    assert "<style" not in text, "a <style> element"
    assert not INLINE_SCRIPT.search(text), "an inline <script> (only src= or JSON data)"
    assert "javascript:" not in text.lower()


def test_theme_scripts_do_not_write_html_or_styles():
    """The scripts build the page with DOM calls and textContent only (CSP- and XSS-safe)."""
    for script in sorted(STATIC.glob("*.js")):
        text = script.read_text("utf-8")
        for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert risky not in text, f"{script.name} uses {risky}"
        assert ".style." not in text and 'setAttribute("style"' not in text, script.name
