"""Permalinks that a change would break: ids published at a git ref that are gone now.

An entry's id is its permalink, and journalists cite permalinks. Renaming a file (or changing
`id:`) without keeping the old id in `aliases:` silently breaks every citation of it; the
validator cannot see that from the current files alone, so `timeline check --against REF`
compares with the ids the site had at REF (the last release, or the pull request's base).

Git is read with two calls whatever the number of entries: `git ls-tree` lists the entry files
at REF with their blob ids, and one `git cat-file --batch` returns all their contents.
"""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

from timeline.git import run_git
from timeline.load.files import EVENT_SUFFIXES, is_translation, parse_document
from timeline.problems import ERROR, Problem

EVENTS_DIR = "content/events"
HINT = "keep the old id in the renamed entry's `aliases:` so its permalink keeps working"


def vanished_ids(site_root: Path, ref: str, current: set[str]) -> list[Problem]:
    """An error for each id or alias present at `ref` and absent from `current` (today's ids and
    aliases). Raises ValueError when `ref` is not a commit of the site's repository.
    """
    _check_ref(site_root, ref)
    published: dict[str, str] = {}  # id -> the file that defined it at ref
    for path, raw in _entry_files_at(site_root, ref):
        for event_id in _ids_in(raw, path):
            published.setdefault(event_id, path)
    return sorted(
        Problem(
            file=path,
            line=1,
            column=1,
            severity=ERROR,
            field="id",
            message=f"id `{event_id}` was published (at {ref}) and has disappeared",
            hint=HINT,
        )
        for event_id, path in published.items()
        if event_id not in current
    )


def _check_ref(site_root: Path, ref: str) -> None:
    """Fail early, with a message an editor can act on, rather than on a git error later."""
    if ref.startswith("-"):
        raise ValueError(f"`{ref}` is not a git revision")
    try:
        result = run_git(site_root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except FileNotFoundError:
        raise ValueError("--against needs git, which is not installed") from None
    except (OSError, subprocess.SubprocessError) as exc:
        raise ValueError(f"cannot run git in {site_root}: {exc}") from None
    if result.returncode != 0:
        inside = run_git(site_root, "rev-parse", "--is-inside-work-tree")
        if inside.returncode != 0:
            raise ValueError(f"{site_root} is not in a git repository, so `{ref}` cannot be read")
        raise ValueError(
            f"`{ref}` is not a commit, branch or tag of the repository at {site_root} "
            "(in a shallow CI checkout, fetch it first)"
        )


def _entry_files_at(site_root: Path, ref: str) -> list[tuple[str, bytes]]:
    """(path relative to the site root, contents) of every entry file under content/events."""
    listing = run_git(site_root, "ls-tree", "-r", "-z", ref, "--", EVENTS_DIR)
    if listing.returncode != 0:
        raise ValueError(f"cannot list {EVENTS_DIR} at `{ref}`: {_stderr(listing)}")
    blobs: list[tuple[str, str]] = []
    for line in listing.stdout.decode("utf-8", errors="replace").split("\0"):
        meta, _, path = line.partition("\t")
        parts = meta.split()
        # Regular files only (mode 100644 or 100755): a symlink's blob is its target's name.
        if len(parts) == 3 and parts[0].startswith("100") and _is_entry(path):
            blobs.append((path, parts[2]))
    if not blobs:
        return []
    request = "".join(f"{sha}\n" for _path, sha in blobs).encode()
    batch = run_git(site_root, "cat-file", "--batch", stdin=request)
    if batch.returncode != 0:
        raise ValueError(f"cannot read the entries at `{ref}`: {_stderr(batch)}")
    return list(zip((p for p, _sha in blobs), _batch_contents(batch.stdout), strict=True))


def _is_entry(path: str) -> bool:
    """The entry files `load.list_event_files` reads: entry suffixes, no hidden parts, not a
    translation."""
    pure = PurePosixPath(path)
    hidden = any(p.startswith(".") for p in pure.parts)
    return pure.suffix in EVENT_SUFFIXES and not hidden and not is_translation(pure.name)


def _batch_contents(output: bytes) -> list[bytes]:
    """Split `git cat-file --batch` output: `<sha> <type> <size>\\n<contents>\\n` per object."""
    contents, offset = [], 0
    while offset < len(output):
        header_end = output.index(b"\n", offset)
        header = output[offset:header_end].split()
        if len(header) != 3:  # "<sha> missing": the object store is incomplete
            raise ValueError(f"git cannot read {header[0].decode()}: {b' '.join(header).decode()}")
        size = int(header[2])
        start = header_end + 1
        contents.append(output[start : start + size])
        offset = start + size + 1
    return contents


def _ids_in(raw: bytes, path: str) -> list[str]:
    """The id (from `id:` or the file name) and aliases an entry file declared.

    A file that did not parse at `ref` published nothing that can be known, so it gives none.
    """
    doc, _problems = parse_document(raw, path, front_matter=path.endswith(".md"))
    if doc is None or not isinstance(doc.data, dict):
        return []
    own = doc.data.get("id")
    ids = [own if isinstance(own, str) else doc.stem]
    aliases = doc.data.get("aliases")
    if isinstance(aliases, list):
        ids += [alias for alias in aliases if isinstance(alias, str)]
    return ids


def _stderr(result: subprocess.CompletedProcess) -> str:
    return result.stderr.decode("utf-8", errors="replace").strip()
