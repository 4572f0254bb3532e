"""Themes: the chain of template and static folders (site → its theme → the themes it extends →
the packaged default), a theme template extending a named theme's, and the located errors of a
theme that cannot be used. Every build runs the real command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SITES
from htmlwalk import broken_links, parse_html, section_text

DEFAULT = ROOT / "timeline" / "themes" / "default"


@pytest.fixture
def site(tmp_path) -> Path:
    """A copy of tests/sites/themed: theme `house` extends `default`, overrides base.html's
    footer block, the favicon and 404.html, and the site's own templates/404.html beats it."""
    copy = tmp_path / "site"
    shutil.copytree(SITES / "themed", copy)
    return copy


def build(cli, site: Path, out: Path, command: str = "build"):
    args = ["--site", str(site), "--format", "json"]
    if command == "build":
        args += ["--output", str(out), "--no-search"]
    return cli(command, *args)


def test_a_theme_overrides_one_template_block_and_one_static_file(cli, site, tmp_path):
    out = tmp_path / "out"
    result = build(cli, site, out)
    assert result.returncode == 0, result.stdout + result.stderr
    for page in ("index.html", "events/2023-10-16-first-call/index.html", "sources/index.html"):
        html = (out / page).read_text("utf-8")
        assert section_text(html, "footer", "house-footer") == (
            "The house footer of Themed chronology."
        )
        # Everything else is the default theme's: its header, its stylesheet.
        assert parse_html(html).find("a", class_="skip-link")
        assert "Every entry cites its sources" not in html  # the default footer is replaced
    assert (out / "static/favicon.svg").read_bytes() == (
        site / "themes/house/static/favicon.svg"
    ).read_bytes()
    assert (out / "static/style.css").read_bytes() == (DEFAULT / "static/style.css").read_bytes()
    assert broken_links(out, "https://example.org/themed/") == []


def test_the_sites_own_templates_come_before_its_theme(cli, site, tmp_path):
    out = tmp_path / "out"
    assert build(cli, site, out).returncode == 0
    page = parse_html((out / "404.html").read_text("utf-8"))
    assert "Not here (the site's own page)" in page.text
    assert not any("house theme" in text for text in page.text)
    (site / "templates" / "404.html").unlink()
    assert build(cli, site, out).returncode == 0
    text = (out / "404.html").read_text("utf-8")
    assert "The house theme&#39;s 404" in text or "The house theme's 404" in text


def _set_theme(site: Path, name: str) -> None:
    settings = site / "site.yaml"
    settings.write_text(settings.read_text().replace("theme: house", f"theme: {name}"))


def _extends(site: Path, theme: str, parent: str) -> None:
    folder = site / "themes" / theme
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "theme.yaml").write_text(f"# {theme}\nextends: {parent}\n")


THEME_LINE = 5  # `theme: house` in tests/sites/themed/site.yaml

# (how the site is broken, the file and line of the error, words of its message, of its hint)
BROKEN = {
    "a missing theme": (
        lambda site: _set_theme(site, "hose"),
        ("site.yaml", THEME_LINE, "theme"),
        "no theme `hose`",
        "did you mean `house`?",
    ),
    "a theme that extends itself": (
        lambda site: _extends(site, "house", "house"),
        ("site.yaml", THEME_LINE, "theme"),
        "theme `house` extends itself (themes/house/theme.yaml)",
        "end the chain",
    ),
    "a chain with a loop": (
        lambda site: (_extends(site, "house", "annex"), _extends(site, "annex", "house")),
        ("site.yaml", THEME_LINE, "theme"),
        "in a loop: house → annex → house",
        "end the chain",
    ),
    "a misnamed theme it extends": (
        lambda site: _extends(site, "house", "defualt"),
        ("themes/house/theme.yaml", 2, "extends"),
        "no theme `defualt`",
        "did you mean `default`?",
    ),
    "a theme.yaml that is not settings": (
        lambda site: (site / "themes/house/theme.yaml").write_text("extends: default\nname: x\n"),
        ("themes/house/theme.yaml", 2, "extends"),
        "unknown field `name`",
        "extends: <name of a theme>",
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_theme_that_cannot_be_used_is_a_located_error(cli, site, tmp_path, case):
    damage, (file, line, field), message, hint = BROKEN[case]
    out = tmp_path / "out"
    assert build(cli, site, out).returncode == 0
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    damage(site)
    for command in ("check", "build"):
        result = build(cli, site, out, command)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        [problem] = [p for p in json.loads(result.stdout) if p["severity"] == "error"]
        assert (problem["file"], problem["line"], problem["field"]) == (file, line, field)
        assert problem["column"] >= 1
        assert message in problem["message"] and hint in problem["hint"]
    after = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert after == before  # the previous output stays whole


def test_the_repository_names_its_own_theme_which_extends_default():
    from timeline.render.theme import resolve_theme

    theme = resolve_theme("israel-russia", ROOT)
    assert theme.chain == (ROOT / "themes" / "israel-russia", DEFAULT)
    assert "theme: israel-russia" in (ROOT / "site.yaml").read_text().splitlines()
