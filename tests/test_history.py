"""Git history of entries (their versions, renames followed), read from a real temporary
repository."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from gitrepo import git, init_repo, write

import timeline.git as history
from timeline.git import Commit, Histories, Version, commit_url, file_versions

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

FIRST = "content/events/2023/2023-10-16-first.md"
SECOND = "content/events/2023/2023-11-02-second.md"


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


def commits(root: Path, files: list[str]) -> dict[str, list[Commit]]:
    return {
        path: [v.commit for v in line] for path, line in file_versions(root, files).versions.items()
    }


def test_versions_oldest_first_with_dates_messages_and_blobs(repo):
    root, (newest, oldest) = repo
    found = file_versions(root, [FIRST, SECOND]).versions
    first_added = Commit(
        oldest, date(2023, 10, 16), "Add the first entry", "2023-10-16T12:00:00+00:00"
    )
    second = Commit(
        newest, date(2023, 11, 3), "Correct the first, add the second", "2023-11-03T23:30:00-05:00"
    )
    blob = git(root, "rev-parse", f"{oldest}:{FIRST}")
    assert found[FIRST][0] == Version(1, first_added, FIRST, blob)
    assert [(v.number, v.commit) for v in found[FIRST]] == [(1, first_added), (2, second)]
    assert [(v.number, v.commit) for v in found[SECOND]] == [(1, second)]
    assert history.read_blobs(root, [blob]) == {blob: b"---\ntitle: First\n---\n"}


def test_the_committer_date_is_the_day_in_the_committers_zone(repo):
    root, _shas = repo
    # 23:30 at UTC-05:00 is already 4 November in UTC; the recorded day is 3 November.
    assert commits(root, [SECOND])[SECOND][0].date == date(2023, 11, 3)


def test_an_uncommitted_file_has_an_empty_history(repo):
    root, _shas = repo
    write(root, "content/events/2024/new.md", "---\ntitle: New\n---\n")
    assert file_versions(root, ["content/events/2024/new.md"]).versions == {
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
    file_versions(root, [FIRST, SECOND, "content/events/2024/x.md"])
    assert len(calls) == 1
    assert calls[0][-2:] == ["--", "content/events"]


def test_a_site_in_a_subfolder_of_the_repository(tmp_path):
    root = tmp_path / "repo"
    init_repo(root)
    write(root, "site/" + FIRST, "---\ntitle: First\n---\n")
    write(root, FIRST, "---\ntitle: Not the site's\n---\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Both")
    found = commits(root / "site", [FIRST])
    assert [c.message for c in found[FIRST]] == ["Both"]


def test_renames_are_followed_and_deletions_noted(repo):
    root, _shas = repo
    renamed = "content/events/2023/2023-11-02-renamed.md"
    git(root, "mv", SECOND, renamed)
    git(root, "commit", "-q", "-m", "Rename", when="2023-11-05T10:00:00+00:00")
    git(root, "rm", "-q", FIRST)
    git(root, "commit", "-q", "-m", "Remove the first", when="2023-11-06T10:00:00+00:00")
    found = file_versions(root, [renamed])
    line = found.versions[renamed]
    assert [(v.number, v.path, v.commit.message) for v in line] == [
        (1, SECOND, "Correct the first, add the second"),
        (2, renamed, "Rename"),
    ]
    [removal] = found.removed
    assert (removal.commit.message, removal.last.path, removal.last.number) == (
        "Remove the first",
        FIRST,
        2,
    )


def test_no_git_checkout_gives_no_history(tmp_path, monkeypatch):
    write(tmp_path, FIRST, "---\ntitle: First\n---\n")
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert file_versions(tmp_path, [FIRST]) == Histories()
    assert file_versions(tmp_path / "missing", [FIRST]) == Histories()


def test_a_repository_without_commits_gives_no_history(tmp_path):
    init_repo(tmp_path)
    write(tmp_path, FIRST, "x\n")
    assert file_versions(tmp_path, [FIRST]) == Histories()


def test_missing_git_gives_no_history(repo, monkeypatch):
    root, _shas = repo
    monkeypatch.setenv("PATH", "/nonexistent")
    assert file_versions(root, [FIRST]) == Histories()


def test_commit_url():
    assert (
        commit_url("https://github.com/org/repo/", "abc123", "content/events/2023/x y.md")
        == "https://github.com/org/repo/blob/abc123/content/events/2023/x%20y.md"
    )
    assert commit_url("https://github.com/org/repo", "abc", "a.md") == (
        "https://github.com/org/repo/blob/abc/a.md"
    )
