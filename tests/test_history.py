"""Git history of entries, read from a real temporary repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

import timeline.git as history
from timeline.git import Commit, commit_url, file_histories

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

FIRST = "content/events/2023/2023-10-16-first.md"
SECOND = "content/events/2023/2023-11-02-second.md"


def git(repo: Path, *args: str, when: str = "2023-10-16T12:00:00+00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    result = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def init_repo(repo: Path) -> None:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q")
    git(repo, "config", "user.name", "Test Editor")
    git(repo, "config", "user.email", "editor@example.org")
    git(repo, "config", "commit.gpgsign", "false")


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, list[str]]:
    """Two commits: the first adds FIRST, the second edits FIRST and adds SECOND."""
    root = tmp_path / "repo"
    init_repo(root)
    write(root, FIRST, "---\ntitle: First\n---\n")
    write(root, "README.md", "not content\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Add the first entry\n\nWith a body.")
    write(root, FIRST, "---\ntitle: First, corrected\n---\n")
    write(root, SECOND, "---\ntitle: Second\n---\n")
    git(root, "add", "-A")
    late = "2023-11-03T23:30:00-05:00"
    git(root, "commit", "-q", "-m", "Correct the first, add the second", when=late)
    shas = git(root, "log", "--format=%H").split("\n")
    return root, shas


def test_histories_newest_first_with_dates_and_messages(repo):
    root, (newest, oldest) = repo
    found = file_histories(root, [FIRST, SECOND])
    assert found == {
        FIRST: (
            Commit(newest, date(2023, 11, 3), "Correct the first, add the second"),
            Commit(oldest, date(2023, 10, 16), "Add the first entry"),
        ),
        SECOND: (Commit(newest, date(2023, 11, 3), "Correct the first, add the second"),),
    }


def test_the_committer_date_is_the_day_in_the_committers_zone(repo):
    root, _shas = repo
    # 23:30 at UTC-05:00 is already 4 November in UTC; the recorded day is 3 November.
    assert file_histories(root, [SECOND])[SECOND][0].date == date(2023, 11, 3)


def test_an_uncommitted_file_has_an_empty_history(repo):
    root, _shas = repo
    write(root, "content/events/2024/new.md", "---\ntitle: New\n---\n")
    assert file_histories(root, ["content/events/2024/new.md"]) == {
        "content/events/2024/new.md": ()
    }


def test_one_git_call_for_all_files(repo, monkeypatch):
    root, _shas = repo
    calls = []
    real = history.subprocess.run

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(history.subprocess, "run", counting)
    file_histories(root, [FIRST, SECOND, "content/events/2024/x.md"])
    assert len(calls) == 1
    assert calls[0][-2:] == ["--", "content/events"]


def test_a_site_in_a_subfolder_of_the_repository(tmp_path):
    root = tmp_path / "repo"
    init_repo(root)
    write(root, "site/" + FIRST, "---\ntitle: First\n---\n")
    write(root, FIRST, "---\ntitle: Not the site's\n---\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Both")
    found = file_histories(root / "site", [FIRST])
    assert [c.message for c in found[FIRST]] == ["Both"]


def test_renames_are_not_followed(repo):
    root, _shas = repo
    git(root, "mv", SECOND, "content/events/2023/2023-11-02-renamed.md")
    git(root, "commit", "-q", "-m", "Rename", when="2023-11-05T10:00:00+00:00")
    found = file_histories(root, ["content/events/2023/2023-11-02-renamed.md"])
    assert [c.message for c in found["content/events/2023/2023-11-02-renamed.md"]] == ["Rename"]


def test_no_git_checkout_gives_no_history(tmp_path, monkeypatch):
    write(tmp_path, FIRST, "---\ntitle: First\n---\n")
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert file_histories(tmp_path, [FIRST]) == {}
    assert file_histories(tmp_path / "missing", [FIRST]) == {}


def test_a_repository_without_commits_gives_no_history(tmp_path):
    init_repo(tmp_path)
    write(tmp_path, FIRST, "x\n")
    assert file_histories(tmp_path, [FIRST]) == {}


def test_missing_git_gives_no_history(repo, monkeypatch):
    root, _shas = repo
    monkeypatch.setenv("PATH", "/nonexistent")
    assert file_histories(root, [FIRST]) == {}


def test_commit_url():
    assert (
        commit_url("https://github.com/org/repo/", "abc123", "content/events/2023/x y.md")
        == "https://github.com/org/repo/blob/abc123/content/events/2023/x%20y.md"
    )
    assert commit_url("https://github.com/org/repo", "abc", "a.md") == (
        "https://github.com/org/repo/blob/abc/a.md"
    )
