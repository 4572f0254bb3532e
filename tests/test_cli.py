"""`timeline check` as a subprocess: exit codes and the three output formats."""

from __future__ import annotations

import json
import re

from conftest import ROOT, SITES

TEXT_LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<rest>.+)$"
)
GITHUB_LINE = re.compile(
    r"^::(?P<level>error|warning) file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+)"
    r"(,title=[^:]+)?::(?P<message>.+)$"
)


def test_repository_content_is_clean_and_strict(cli):
    result = cli("check", "--site", str(ROOT), "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_text_format_lines(cli):
    result = cli("check", "--site", str(SITES / "broken"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines
    for line in lines:
        assert TEXT_LINE.match(line), line
    assert (
        "content/events/2023/2023-10-05-unknown-key.md:5:1: error: souces: unknown field "
        "`souces` (did you mean `sources`?)" in lines
    )
    assert "errors" in result.stderr.splitlines()[-1]


def test_json_format_shape(cli):
    result = cli("check", "--site", str(SITES / "broken"), "--format", "json")
    problems = json.loads(result.stdout)
    assert isinstance(problems, list) and problems
    keys = {"file", "line", "column", "field", "severity", "message", "hint"}
    for problem in problems:
        assert set(problem) == keys
        assert isinstance(problem["line"], int) and problem["line"] >= 1
        assert isinstance(problem["column"], int) and problem["column"] >= 1
        assert problem["severity"] in ("error", "warning")
        assert all(isinstance(problem[k], str) for k in keys - {"line", "column"})
    assert problems == sorted(problems, key=lambda p: (p["file"], p["line"], p["column"]))


def test_github_format_annotations(cli):
    json_problems = json.loads(
        cli("check", "--site", str(SITES / "broken"), "--format", "json").stdout
    )
    result = cli("check", "--site", str(SITES / "broken"), "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(json_problems)
    for line, problem in zip(lines, json_problems, strict=True):
        match = GITHUB_LINE.match(line)
        assert match, line
        assert match["file"] == problem["file"].replace(",", "%2C").replace(":", "%3A")
        assert int(match["line"]) == problem["line"]
        assert int(match["col"]) == problem["column"]
        assert problem["message"].replace("%", "%25") in match["message"]


def test_strict_fails_on_warnings(cli, tmp_path):
    site = tmp_path / "site"
    (site / "content" / "sources").mkdir(parents=True)
    (site / "site.yaml").write_text("title: T\nbase_url: https://example.org/\nlanguage: en\n")
    (site / "content" / "sources" / "unused.yaml").write_text(
        "publisher: P\nurl: https://example.org/x\n"
    )
    assert cli("check", "--site", str(site)).returncode == 0
    strict = cli("check", "--site", str(site), "--strict")
    assert strict.returncode == 1
    assert "warning: no entry cites the source `unused`" in strict.stdout


def test_usage_errors_exit_2(cli, tmp_path):
    assert cli("check", "--site", str(tmp_path / "missing")).returncode == 2
    assert cli("check", "--site", str(tmp_path)).returncode == 2  # no site.yaml
    assert cli("check", "--format", "xml").returncode == 2
    assert cli("frobnicate").returncode == 2


def _build_on_a_terminal(site, output, ci: bool) -> str:
    import os
    import pty
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci:
        env["CI"] = "true"
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "timeline", "build", "--site", str(site), "--output", str(output)],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env=env,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(primary)
    assert process.returncode == 0
    return b"".join(chunks).decode()


def test_progress_is_shown_on_a_terminal_but_not_in_ci(tmp_path):
    shown = _build_on_a_terminal(SITES / "minimal", tmp_path / "a", ci=False)
    assert "indexing 2 of 2 search shards…" in shown and "built " in shown
    quiet = _build_on_a_terminal(SITES / "minimal", tmp_path / "b", ci=True)
    assert "search shards" not in quiet and "built " in quiet
