"""The git history of entries: every committed version of each file, renames followed.

An entry's page lists its versions, each published at a URL of its own that a citation can
point at after the entry is corrected. History is optional: a site that is not a git checkout,
or a machine without git, simply has none, so nothing here raises for that.

One `git log` call reads the history of the whole content folder, with rename detection, and
one `git cat-file --batch` reads the files' past bytes: asking git once per file would cost a
process per entry, which for thousands of entries is most of the build.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
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
    time: str = ""  # committer time, ISO 8601 with its offset


@dataclass(frozen=True)
class Version:
    """One committed state of an entry's file."""

    number: int  # 1 for the commit that added the file, counting on through renames
    commit: Commit
    path: str  # the file's path at that commit, relative to the site root
    blob: str  # git's id of the file's bytes at that commit


@dataclass(frozen=True)
class Removal:
    """An entry's file deleted by a commit, with its last version."""

    commit: Commit
    last: Version


@dataclass(frozen=True)
class Histories:
    versions: dict[str, tuple[Version, ...]] = field(default_factory=dict)  # oldest first
    removed: tuple[Removal, ...] = ()  # oldest first

    def __bool__(self) -> bool:
        return bool(self.versions or self.removed)


def file_versions(repo_root: Path, files: list[str]) -> Histories:
    """The committed versions of each of `files` (paths relative to `repo_root`), oldest
    first, and the entry files deleted since.

    `repo_root` is the site root; it may be a sub-folder of a git work tree, and paths stay
    relative to it. A file renamed by a commit (git's rename detection) keeps its versions and
    goes on counting; a file added again where one was deleted goes on with the deleted one's.
    Every file asked for is a key (an uncommitted one has no versions); the result is empty
    when there is no history to read at all.
    """
    if not files:
        return Histories()
    wanted = {_posix(f) for f in files}
    output = _git_log(repo_root, _pathspec(wanted))
    if output is None:
        return Histories()
    lines = _Lines()
    for commit, changes in _parse_log(output):
        for change in changes:
            lines.apply(commit, change)
    versions = {path: tuple(lines.live.get(path, ())) for path in sorted(wanted)}
    return Histories(versions, tuple(lines.removed))


class _Lines:
    """Each file's line of versions, followed through the log from the oldest commit."""

    def __init__(self) -> None:
        self.live: dict[str, list[Version]] = {}
        self.gone: dict[str, list[Version]] = {}  # deleted, by their last path
        self.removed: list[Removal] = []

    def apply(self, commit: Commit, change: _Change) -> None:
        status, blob, paths = change
        if status == "D":
            line = self.live.pop(paths[0], None)
            if line:
                self.gone[paths[0]] = line
                self.removed.append(Removal(commit, line[-1]))
            return
        before = paths[0] if status == "R" else paths[-1]
        line = self.live.pop(before, None) or self._revived(paths[-1])
        line.append(Version(len(line) + 1, commit, paths[-1], blob))
        self.live[paths[-1]] = line

    def _revived(self, path: str) -> list[Version]:
        line = self.gone.pop(path, [])
        if line:
            self.removed = [r for r in self.removed if r.last is not line[-1]]
        return line


def read_blobs(repo_root: Path, blobs: list[str]) -> dict[str, bytes]:
    """The bytes of each of git's objects `blobs`, read by one `git cat-file --batch`; {} when
    git cannot give them."""
    if not blobs:
        return {}
    try:
        result = run_git(repo_root, "cat-file", "--batch", stdin="\n".join(blobs).encode() + b"\n")
    except (OSError, subprocess.SubprocessError):
        return {}
    found: dict[str, bytes] = {}
    data, at = result.stdout, 0
    while at < len(data):
        end = data.index(b"\n", at)
        header = data[at:end].split()
        if len(header) != 3:  # "<id> missing"
            at = end + 1
            continue
        size = int(header[2])
        found[header[0].decode()] = data[end + 1 : end + 1 + size]
        at = end + 1 + size + 1
    return found


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
        "--reverse",
        f"--format={_RECORD}%H{_FIELD}%cI{_FIELD}%B",
        "--raw",
        "--no-abbrev",
        "-M",  # renames detected, so a renamed entry keeps its versions
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


# One file's change in a commit: (status letter, the blob after it, its path or paths)
_Change = tuple[str, str, tuple[str, ...]]


def _parse_log(output: str) -> list[tuple[Commit, list[_Change]]]:
    """Parse `RS sha US time US message NUL LF :modes ids status NUL path NUL [path NUL] ...`."""
    commits = []
    for record in output.split(_RECORD):
        if not record:
            continue
        header, _, raw = record.partition("\0")
        sha, _, rest = header.partition(_FIELD)
        time, _, message = rest.partition(_FIELD)
        try:
            when = date.fromisoformat(time[:10])
        except ValueError:
            continue
        first_line = message.strip().split("\n", 1)[0].strip()
        commits.append((Commit(sha, when, first_line, time), _changes(raw.lstrip("\n"))))
    return commits


def _changes(raw: str) -> list[_Change]:
    changes: list[_Change] = []
    fields = raw.split("\0")
    at = 0
    while at < len(fields) and fields[at].startswith(":"):
        *_, blob, status = fields[at].split(" ")
        count = 2 if status[0] in "RC" else 1
        changes.append((status[0], blob, tuple(fields[at + 1 : at + 1 + count])))
        at += 1 + count
    return changes
