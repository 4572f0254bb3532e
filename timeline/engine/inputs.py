"""The site's input files and the digests of their bytes, found by `stat` first.

As git's index does, a file whose size, modification time and inode are those recorded is taken
to hold the bytes recorded, and only the others are read and hashed again. A file changed within
`RACY_NS` of the last look could keep its modification time through a quick second save, so it
is hashed again until it is older than that.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from timeline.engine.fingerprint import combine, file_digest
from timeline.engine.store import Store
from timeline.load.discovery import input_files

RACY_NS = 2_000_000_000
UNREADABLE = ""  # the digest of a file that could not be read: never trusted


def scan_inputs(
    root: Path, store: Store, fresh: set[str] | frozenset[str] = frozenset()
) -> dict[str, str]:
    """Path -> digest of every input file; the store's `inputs` rows brought up to date. Paths
    in `fresh` are hashed again whatever their `stat` says (a watcher saw them change)."""
    trusted_before = store.meta("scanned_ns", 0) - RACY_NS
    store.set_meta("scanned_ns", time.time_ns())
    known = store.table("inputs")
    digests: dict[str, str] = {}
    for path in input_files(root):
        digests[path] = _digest(root, path, known.get(path), trusted_before, path in fresh, store)
    for path in [path for path in known if path not in digests]:
        store.delete("inputs", path)
    return digests


def rescanned(
    root: Path, store: Store, digests: dict[str, str], changed: Iterable[str]
) -> dict[str, str] | None:
    """The digests after a watcher saw exactly the paths `changed` change, when each is a file
    the last scan found and still a file (an edit: nothing else needs a look); None when a path
    was added or removed, or is not a file (a full scan tells what the site now holds)."""
    changed = set(changed)
    if not changed or not changed <= digests.keys():
        return None
    if not all(os.path.isfile(root / path) for path in changed):
        return None
    now = dict(digests)
    for path in changed:
        now[path] = _digest(root, path, None, 0, True, store)  # read again, whatever its stat
    return now


def _digest(
    root: Path, path: str, row: tuple | None, trusted_before: int, fresh: bool, store: Store
) -> str:
    try:
        stat = os.stat(root / path)
    except OSError:
        return UNREADABLE
    seen = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    trusted = row is not None and not fresh and row[3] != UNREADABLE
    if trusted and tuple(row[:3]) == seen and stat.st_mtime_ns < trusted_before:
        return row[3]
    digest = file_digest(str(root / path)) or UNREADABLE
    store.put("inputs", path, (*seen, digest))
    return digest


def inputs_print(digests: dict[str, str], *settings: object) -> str:
    """Everything a build reads, in one fingerprint: equal fingerprints, equal builds."""
    return combine(
        [repr(settings), *(f"{path}\0{digest}" for path, digest in sorted(digests.items()))]
    )
