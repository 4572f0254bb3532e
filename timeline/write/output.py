"""Write a rendered site atomically: a failed build leaves the previous output as it was.

Two ways, one guarantee:

- **A new output** (the first build, `--clean`, or no record of the last build): every file is
  written into a folder beside the output, which is swapped in whole on success.
- **An update** (the last build's record is at hand): only the files whose bytes changed are
  written, into a folder beside the output, then renamed into place one by one, each file
  replaced whole (a server never sends a half-written page). What they replace is set aside
  until the build has succeeded, search index included, and put back if anything fails. A
  no-op build touches nothing; a one-entry edit moves a few dozen files, where a new tree of
  tens of thousands of links would cost seconds.

Either way nothing is left beside the output afterwards.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from timeline.engine.incremental import FileRecord, digest
from timeline.write.search import SEARCH_FOLDER

# index(site, into, changed): called once the complete new site is in `site` (but before it is
# published); writes a new search index into the folder `into` (not yet existing), or, when
# updating an output, nothing to keep its index. `changed` holds the paths whose bytes changed.
Indexer = Callable[[Path, Path, set[str]], None]


class OutputError(Exception):
    pass


def check_output_location(output: Path, site_root: Path) -> None:
    """Refuse an output folder whose replacement would destroy the site's own files."""
    out, root = output.resolve(), site_root.resolve()
    if out == root or out in root.parents:
        raise OutputError(f"output folder {output} would replace the site itself")
    if (out / "site.yaml").exists() or (out / "content").is_dir():
        raise OutputError(f"output folder {output} holds a site's sources; choose another folder")


def write_site(
    output: Path,
    files: Iterable[tuple[str, bytes | None]],
    index: Indexer | None = None,
    previous: dict[str, FileRecord] | None = None,
) -> dict[str, FileRecord]:
    """Write `files` ((relative path, bytes) pairs) as the new content of `output`; return a
    record of each file.

    A file given as None (the renderer's REUSE: the previous output's file, which the renderer
    found intact), or whose bytes have the digest `previous` records for a file still intact,
    is kept as it is. `previous` (the last build's records) makes this an update; without it
    the output is made anew.
    """
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    previous = previous or {}
    work = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        if previous and output.is_dir():
            return _update(output, files, index, previous, work)
        return _replace(output, files, index, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _replace(
    output: Path,
    files: Iterable[tuple[str, bytes | None]],
    index: Indexer | None,
    staging: Path,
) -> dict[str, FileRecord]:
    records: dict[str, FileRecord] = {}
    folders = _Folders()
    for rel, data in files:
        target = staging / _checked(rel)
        folders.make(target.parent)
        if data is None:
            raise OutputError(f"{rel}: nothing to reuse in {output}")
        records[rel] = _write(target, data)
    if index is not None:  # every file is new here, so the index is made anew
        index(staging, staging / SEARCH_FOLDER, set(records))
    staging.chmod(0o755)  # mkdtemp makes it private; a published folder is readable
    if not output.exists():
        os.rename(staging, output)
        return records
    retired = staging.with_name(staging.name.replace(".new-", ".old-"))
    os.rename(output, retired)
    try:
        os.rename(staging, output)
    except BaseException:
        os.rename(retired, output)  # put the previous output back
        raise
    shutil.rmtree(retired, ignore_errors=True)
    return records


def _update(
    output: Path,
    files: Iterable[tuple[str, bytes | None]],
    index: Indexer | None,
    previous: dict[str, FileRecord],
    work: Path,
) -> dict[str, FileRecord]:
    staged, set_aside = work / "new", work / "old"
    records: dict[str, FileRecord] = {}
    written: list[str] = []
    folders = _Folders()
    for rel, data in files:
        _checked(rel)
        before = previous.get(rel)
        if before is not None and (
            data is None or (before.digest == digest(data) and before.matches(f"{output}/{rel}"))
        ):
            records[rel] = before
            continue
        if data is None:
            raise OutputError(f"{rel}: nothing to reuse in {output}")
        target = staged / rel
        folders.make(target.parent)
        records[rel] = _write(target, data)
        written.append(rel)
    gone = sorted(previous.keys() - records.keys())
    moves = _Moves(output, set_aside)
    try:
        for rel in written:
            moves.put(staged / rel, rel)
        for rel in gone:
            moves.remove(rel)
        if index is not None:
            index(output, work / SEARCH_FOLDER, {*written, *gone})
            if (work / SEARCH_FOLDER).exists():
                moves.put(work / SEARCH_FOLDER, SEARCH_FOLDER)
    except BaseException:
        moves.undo()
        raise
    return records


def _checked(rel: str) -> str:
    """A relative path that stays inside the output (checked on the string: no file system
    call per file)."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or any(p in ("..", ".", "") for p in parts):
        raise OutputError(f"refusing to write outside the output folder: {rel}")
    return rel


def _write(target: Path, data: bytes) -> FileRecord:
    target.write_bytes(data)
    stat = target.stat()
    return FileRecord(digest(data), stat.st_size, stat.st_mtime_ns)


class _Folders:
    """mkdir -p, once per folder: a site has tens of thousands of them."""

    def __init__(self) -> None:
        self.made: set[Path] = set()

    def make(self, folder: Path) -> None:
        if folder not in self.made:
            folder.mkdir(parents=True, exist_ok=True)
            self.made.add(folder)


class _Moves:
    """Renames into and out of `output`, each undoable: what a file or folder replaces, or what
    is removed, goes into `set_aside`; folders made or emptied are noted."""

    def __init__(self, output: Path, set_aside: Path) -> None:
        self.output, self.set_aside = output, set_aside
        self.done: list[Callable[[], None]] = []

    def put(self, new: Path, rel: str) -> None:
        target = self.output / rel
        self._make_folders(target.parent)
        if target.exists():
            self._set_aside(rel)
        os.rename(new, target)
        self.done.append(lambda: os.rename(target, new))

    def remove(self, rel: str) -> None:
        if not (self.output / rel).exists():
            return
        self._set_aside(rel)
        folder = (self.output / rel).parent
        while folder != self.output and not any(folder.iterdir()):
            folder.rmdir()  # a deleted entry's folder goes with its files
            self.done.append(lambda folder=folder: folder.mkdir())
            folder = folder.parent

    def _set_aside(self, rel: str) -> None:
        current, kept = self.output / rel, self.set_aside / rel
        kept.parent.mkdir(parents=True, exist_ok=True)
        os.rename(current, kept)
        self.done.append(lambda: os.rename(kept, current))

    def _make_folders(self, folder: Path) -> None:
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for made in reversed(missing):
            made.mkdir()
            self.done.append(made.rmdir)

    def undo(self) -> None:
        for step in reversed(self.done):
            step()
        self.done.clear()
