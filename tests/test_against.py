"""`--against REF`: ids published at a git ref that have since disappeared."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SITES

from timeline.engine.content import check_site
from timeline.problems import ERROR
from timeline.validate.against import HINT, vanished_ids

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SECOND = "content/events/2024/2024-02-05-second-call.md"
RENAMED = "content/events/2024/2024-02-05-second-phone-call.md"


def git(repo: Path, *args: str) -> str:
    when = "2024-03-01T12:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    result = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def commit_site(repo: Path, site: Path) -> None:
    """A git repository at `repo` holding a copy of the minimal site at `site`, committed."""
    shutil.copytree(SITES / "minimal", site)
    repo.mkdir(exist_ok=True)
    git(repo, "init", "-q")
    git(repo, "config", "user.name", "Test Editor")
    git(repo, "config", "user.email", "editor@example.org")
    git(repo, "config", "commit.gpgsign", "false")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Publish")
    git(repo, "tag", "v1")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    commit_site(tmp_path / "repo", tmp_path / "repo")
    return tmp_path / "repo"


def current_ids(site: Path) -> set[str]:
    """Today's ids and aliases, as the check command would pass them."""
    checked = check_site(site)
    assert checked.ok, checked.problems
    return {e.id for e in checked.content.events} | {
        alias for e in checked.content.events for alias in e.aliases
    }


def rename(site: Path, aliases: str = "") -> None:
    text = (site / SECOND).read_text(encoding="utf-8")
    if aliases:
        text = text.replace("title:", f"aliases: [{aliases}]\ntitle:", 1)
    (site / RENAMED).write_text(text, encoding="utf-8")
    (site / SECOND).unlink()


def test_nothing_vanishes_when_nothing_changed(site):
    assert vanished_ids(site, "HEAD", current_ids(site)) == []


def test_a_rename_without_an_alias_is_reported(site):
    rename(site)
    problems = vanished_ids(site, "HEAD", current_ids(site))
    assert len(problems) == 1
    [problem] = problems
    assert (problem.file, problem.line, problem.column) == (SECOND, 1, 1)
    assert (problem.severity, problem.field) == (ERROR, "id")
    assert problem.message == (
        "id `2024-02-05-second-call` was published (at HEAD) and has disappeared"
    )
    assert problem.hint == HINT
    assert problem.as_text().startswith(f"{SECOND}:1:1: error: id: id `2024-02-05-second-call`")


def test_a_rename_that_keeps_the_old_id_as_an_alias_is_fine(site):
    rename(site, aliases="2024-02-05-second-call")
    assert vanished_ids(site, "v1", current_ids(site)) == []


def test_a_deleted_entry_is_reported(site):
    (site / SECOND).unlink()
    problems = vanished_ids(site, "v1", current_ids(site))
    assert [(p.file, p.message) for p in problems] == [
        (SECOND, "id `2024-02-05-second-call` was published (at v1) and has disappeared")
    ]


def test_an_alias_that_disappears_is_reported(site):
    rename(site, aliases="2024-02-05-second-call")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "Rename, keeping the old id")
    path = site / RENAMED
    text = path.read_text("utf-8")
    path.write_text(text.replace("aliases: [2024-02-05-second-call]\n", ""), "utf-8")
    problems = vanished_ids(site, "HEAD", current_ids(site))
    assert [(p.file, p.message) for p in problems] == [
        (RENAMED, "id `2024-02-05-second-call` was published (at HEAD) and has disappeared")
    ]


def test_an_id_field_is_read_at_the_ref(site):
    path = site / SECOND
    path.write_text(
        path.read_text("utf-8").replace("title:", "id: the-second-call\ntitle:", 1), "utf-8"
    )
    git(site, "commit", "-q", "-am", "Give it an explicit id")
    path.write_text(path.read_text("utf-8").replace("id: the-second-call\n", ""), "utf-8")
    problems = vanished_ids(site, "HEAD", current_ids(site))
    assert [p.message for p in problems] == [
        "id `the-second-call` was published (at HEAD) and has disappeared"
    ]


def test_a_site_in_a_subfolder_of_the_repository(tmp_path):
    site = tmp_path / "sites" / "chronology"
    commit_site(tmp_path, site)
    rename(site)
    problems = vanished_ids(site, "HEAD", current_ids(site))
    assert [p.file for p in problems] == [SECOND]


def test_a_ref_that_does_not_exist_is_a_value_error(site):
    with pytest.raises(ValueError, match="`no-such-branch` is not a commit"):
        vanished_ids(site, "no-such-branch", set())


def test_an_option_is_not_taken_for_a_ref(site):
    with pytest.raises(ValueError, match="not a git revision"):
        vanished_ids(site, "--output=/tmp/x", set())


def test_a_folder_outside_git_is_a_value_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    shutil.copytree(SITES / "minimal", tmp_path / "site")
    with pytest.raises(ValueError, match="not in a git repository"):
        vanished_ids(tmp_path / "site", "HEAD", set())


def test_yaml_entries_are_read_too(site):
    current = current_ids(site) - {"2023-11-vote"}
    problems = vanished_ids(site, "HEAD", current)
    assert [(p.file, p.message) for p in problems] == [
        (
            "content/events/2023/2023-11-vote.yaml",
            "id `2023-11-vote` was published (at HEAD) and has disappeared",
        )
    ]
