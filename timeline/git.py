"""The git history of entries: which commits changed each file, newest first.

An entry's page can show its own revision history ("changed on ..., see the commit"), which
readers who cite it can check. History is optional: a site that is not a git checkout, or a
machine without git, simply has none, so nothing here raises for that.

One `git log` call reads the history of the whole content folder; asking git once per file
would cost a process per entry, which for hundreds of entries is most of the build.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

GIT_TIMEOUT = 60  # seconds; a log of a content folder takes far less
_RECORD = "\x1e"  # starts each commit in the log output
_FIELD = "\x1f"  # separates the fields of a commit header


@dataclass(frozen=True)
class Commit:
    sha: str
    date: date  # committer date, as recorded in the committer's time zone
    message: str  # first line of the commit message


def file_histories(repo_root: Path, files: list[str]) -> dict[str, tuple[Commit, ...]]:
    """The commits that touched each of `files` (paths relative to `repo_root`), newest first.

    `repo_root` is the site root; it may be a sub-folder of a git work tree, and paths stay
    relative to it. Renames are not followed (`--no-renames`): an entry's history starts where
    its current file does, as its id does. Every file asked for is a key (an uncommitted one has
    an empty history); the result is {} when there is no history to read at all.
    """
    if not files:
        return {}
    wanted = {_posix(f) for f in files}
    output = _git_log(repo_root, _pathspec(wanted))
    if output is None:
        return {}
    found: dict[str, list[Commit]] = {path: [] for path in sorted(wanted)}
    for commit, paths in _parse_log(output):
        for path in paths:
            if path in found:
                found[path].append(commit)
    return {path: tuple(commits) for path, commits in found.items()}


def commit_url(repository_url: str, sha: str, path: str) -> str:
    """The file as it was at a commit, on a GitHub-style host: `<repo>/blob/<sha>/<path>`.

    `path` is relative to the repository's top level (the same as the site root's when the site
    is the whole repository).
    """
    return f"{repository_url.rstrip('/')}/blob/{sha}/{quote(_posix(path))}"


def _posix(path: str) -> str:
    return Path(path).as_posix().removeprefix("./")


def _pathspec(files: set[str]) -> str:
    """The narrowest folder holding every file, so git reads only the content's history."""
    parents = [os.path.dirname(f) for f in files]
    common = os.path.commonpath(parents) if all(parents) else ""
    return common or "."


def _git_log(repo_root: Path, pathspec: str) -> str | None:
    return _git(
        repo_root,
        "log",
        "--no-color",
        f"--format={_RECORD}%H{_FIELD}%cs{_FIELD}%B",
        "--name-only",
        "--no-renames",
        "-z",
        "--relative",  # paths relative to repo_root, and only those below it
        "--",
        pathspec,
    )


def head_commit(repo_root: Path) -> str:
    """The commit checked out at `repo_root`, "" outside a git checkout: the histories of the
    entries can change only with it."""
    return (_git(repo_root, "rev-parse", "HEAD") or "").strip()


def run_git(
    repo_root: Path, *args: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The one way timeline runs git: paths as UTF-8, never a prompt, messages in English.
    Raises OSError when git cannot be run, SubprocessError when it hangs."""
    return subprocess.run(
        ["git", "-c", "core.quotepath=off", *args],
        cwd=repo_root,
        input=stdin,
        capture_output=True,
        timeout=GIT_TIMEOUT,
        check=False,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
    )


def _git(repo_root: Path, *args: str) -> str | None:
    """git's output, or None when there is none to read (no history rather than no build)."""
    try:
        result = run_git(repo_root, *args)
    except (OSError, subprocess.SubprocessError):
        return None  # no git, no such folder, or git hung
    if result.returncode != 0:
        return None  # not a git checkout, or a repository without commits
    return result.stdout.decode("utf-8", errors="replace")


def _parse_log(output: str) -> list[tuple[Commit, list[str]]]:
    """Parse `RS sha US date US message NUL LF path NUL path NUL ...` records."""
    commits = []
    for record in output.split(_RECORD):
        if not record:
            continue
        header, _, names = record.partition("\0")
        sha, _, rest = header.partition(_FIELD)
        day, _, message = rest.partition(_FIELD)
        try:
            when = date.fromisoformat(day)
        except ValueError:
            continue
        first_line = message.strip().split("\n", 1)[0].strip()
        paths = [name for name in names.lstrip("\n").split("\0") if name]
        commits.append((Commit(sha=sha, date=when, message=first_line), paths))
    return commits
