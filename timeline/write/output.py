"""Write a rendered site so that the output folder is, at every moment, one whole build.

The output is only ever changed by one atomic step: two folders exchanged (`renameat2` with
RENAME_EXCHANGE on Linux). A build killed at any moment (SIGKILL included) leaves the output
either as it was or as the new build, never a mixture.

- **A new output** (the first build, `--clean`, or no usable record of the last one): every file
  is written into `<work>/new`, which then takes the output's place.
- **An update**: beside the output, in `<work>/spare`, lies the build before the last one, its
  unchanged files hard links to the output's. Only the files that differ are written there
  (those this build changed, and those the last build changed), the search index is made for the
  complete spare, and the two folders are exchanged: the output becomes the spare of the next
  build. An edit costs the files it changes, not the tens of thousands it does not.

A file is never changed in place (a new one is renamed over it), so the hard links the two
folders share never carry a change from one to the other.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from timeline.write.files import FileRecord, digest

SEARCH_FOLDER = "pagefind"
SEARCH_MARK = SEARCH_FOLDER + "/"  # in `spare_differs`: the two search indexes differ
KEEP = None  # instead of bytes: the file the output already has, which its record shows intact

# index(into, previous): called before the new site is published; writes its search index into
# the folder `into` (not yet existing), or nothing when the index need not change. `previous` is
# the output's index (None for a new output), of which it may keep parts (as hard links: a file
# is never changed in place).
Indexer = Callable[[Path, Path | None], None]


class OutputError(Exception):
    pass


@dataclass(frozen=True)
class Tree:
    """What the write stage knows of the folders it keeps, for the next build to update them."""

    files: dict[str, FileRecord] = field(default_factory=dict)  # the output's, by path
    output_ino: int = 0  # the folder `files` describes
    spare_ino: int = 0  # the spare folder (0: none to use)
    spare_differs: frozenset[str] = frozenset()  # paths where the spare differs from the output


def check_output_location(output: Path, site_root: Path) -> None:
    """Refuse an output folder whose replacement would destroy the site's own files."""
    out, root = output.resolve(), site_root.resolve()
    if out == root or out in root.parents:
        raise OutputError(f"output folder {output} would replace the site itself")
    if (out / "site.yaml").exists() or (out / "content").is_dir():
        raise OutputError(f"output folder {output} holds a site's sources; choose another folder")


def publish(
    output: Path,
    work: Path,
    files: Iterable[tuple[str, bytes | None]],
    previous: Tree,
    index: Indexer | None = None,
) -> Tree:
    """Make `files` ((relative path, bytes or KEEP) pairs) the content of `output`, using the
    folder `work` beside it; return what the next build needs to know of the result."""
    output = output.absolute()
    work.mkdir(parents=True, exist_ok=True)
    if can_update(output, previous):
        return _update(output, work, files, previous, index)
    return _replace(output, work, files, index)


def can_update(output: Path, previous: Tree) -> bool:
    """True if `previous` describes the folder at `output`: its files may then be kept (KEEP);
    otherwise the output is made anew."""
    return bool(previous.files) and _ino(output.absolute()) == previous.output_ino


def with_spare(output: Path, work: Path, tree: Tree) -> Tree:
    """`tree`, with the spare folder beside the output made now if it is not there (hard links
    to every file of the output): the next update then costs only the files it changes."""
    if not can_update(output, tree):
        return tree
    spare, differs = _spare(output.absolute(), work, tree)  # the recorded one, if it is there
    return Tree(tree.files, tree.output_ino, _ino(spare), frozenset(differs))


def _replace(
    output: Path, work: Path, files: Iterable[tuple[str, bytes | None]], index: Indexer | None
) -> Tree:
    staging = _empty(work / "new")
    folders = _Folders()
    records: dict[str, FileRecord] = {}
    for rel, data in files:
        if data is KEEP:
            raise OutputError(f"{_checked(rel)}: nothing to keep in a new output")
        target = staging / _checked(rel)
        folders.make(target.parent)
        records[rel] = _write(target, data)
    if index is not None:  # nothing of the old output is known here: the index is made anew
        index(staging / SEARCH_FOLDER, None)
    staging.chmod(0o755)
    _remove(work / "spare")
    if output.exists():
        exchange(staging, output)
        shutil.rmtree(staging)  # the previous output, whose difference is not known
    else:
        os.rename(staging, output)
    return Tree(records, _ino(output))


def _update(
    output: Path,
    work: Path,
    files: Iterable[tuple[str, bytes | None]],
    previous: Tree,
    index: Indexer | None,
) -> Tree:
    spare, differs = _spare(output, work, previous)
    records: dict[str, FileRecord] = {}
    changed: set[str] = set()
    folders = _Folders()
    for rel, data in files:
        before = previous.files.get(rel)
        if data is KEEP:  # nothing is written: no path to check
            if before is None:
                raise OutputError(f"{rel}: nothing to keep in {output}")
            records[rel] = before
            continue
        _checked(rel)
        if before is not None and before.same_bytes(data, f"{output}/{rel}"):
            records[rel] = before
            continue
        records[rel] = _put(spare, rel, data, folders)
        changed.add(rel)
    changed |= previous.files.keys() - records.keys()
    for rel in sorted((differs | changed) - {SEARCH_MARK}):
        _follow(spare, output, rel, records, changed, folders)
    search_differs = _index(spare, output, work, index, SEARCH_MARK in differs)
    marks = frozenset({SEARCH_MARK} if search_differs else ())
    if not changed and not search_differs:  # the spare now equals the output: nothing to do
        return Tree(records, previous.output_ino, _ino(spare), marks)
    exchange(spare, output)
    return Tree(records, _ino(output), _ino(spare), frozenset(changed) | marks)


def _spare(output: Path, work: Path, previous: Tree) -> tuple[Path, set[str]]:
    """The spare folder and the paths where it differs from the output; a spare that is not
    the one recorded is made again, as hard links to every file of the output."""
    spare = work / "spare"
    if previous.spare_ino and _ino(spare) == previous.spare_ino:
        return spare, set(previous.spare_differs)
    _remove(spare)
    link_tree(output, spare)
    return spare, set()


def _follow(
    spare: Path,
    output: Path,
    rel: str,
    records: dict[str, FileRecord],
    changed: set[str],
    folders: _Folders,
) -> None:
    """Make the spare's `rel` what the new build has: written already when it changed now;
    else the output's file (a link), or nothing."""
    if rel in changed and rel in records:
        return
    target = spare / _checked(rel)
    if rel in records:
        folders.make(target.parent)
        temporary = target.with_name(f".{target.name}.timeline-new")
        os.link(output / rel, temporary)
        os.rename(temporary, target)
    elif target.exists() or target.is_symlink():
        target.unlink()
        _prune(target.parent, spare)


def _index(
    spare: Path,
    output: Path,
    work: Path,
    index: Indexer | None,
    spare_index_differs: bool,
) -> bool:
    """Bring the spare's search index up to date; True when it now differs from the output's.
    Without an indexer, or when it makes nothing, the spare gets the output's index."""
    if index is not None:
        made = _empty(work / "index")
        made.rmdir()
        current = output / SEARCH_FOLDER
        index(made, current if current.is_dir() else None)
        if made.exists():
            _remove(spare / SEARCH_FOLDER)
            os.rename(made, spare / SEARCH_FOLDER)
            return True
    if spare_index_differs:
        _remove(spare / SEARCH_FOLDER)
        if (output / SEARCH_FOLDER).is_dir():
            link_tree(output / SEARCH_FOLDER, spare / SEARCH_FOLDER)
    return False


def _put(root: Path, rel: str, data: bytes, folders: _Folders) -> FileRecord:
    """Write a file whole under a temporary name, then rename it over the old one."""
    target = root / rel
    folders.make(target.parent)
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    temporary = target.with_name(f".{target.name}.timeline-new")
    record = _write(temporary, data)
    os.rename(temporary, target)
    return record


def _checked(rel: str) -> str:
    """A relative path that stays inside the output (checked on the string: no file system
    call per file)."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or any(p in ("..", ".", "") for p in parts):
        raise OutputError(f"refusing to write outside the output folder: {rel}")
    return rel


def _write(target: Path, data: bytes) -> FileRecord:
    target.write_bytes(data)
    stat = os.stat(target)
    return FileRecord(digest(data), stat.st_size, stat.st_mtime_ns, stat.st_ino)


def link_tree(source: Path, target: Path) -> None:
    """A copy of the folder `source` whose files are hard links to the originals (a file is
    never changed in place, so a change never reaches both)."""
    target.mkdir()
    with os.scandir(source) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                link_tree(Path(entry.path), target / entry.name)
            else:
                os.link(entry.path, target / entry.name, follow_symlinks=False)


def _prune(folder: Path, root: Path) -> None:
    """Remove `folder` and its parents up to `root` while they are empty (a cold build makes no
    empty folders)."""
    while folder != root and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _ino(path: Path) -> int:
    try:
        return os.stat(path).st_ino
    except OSError:
        return 0


def _empty(folder: Path) -> Path:
    _remove(folder)
    folder.mkdir(parents=True)
    return folder


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


class _Folders:
    """mkdir -p, once per folder: a site has tens of thousands of them."""

    def __init__(self) -> None:
        self.made: set[Path] = set()

    def make(self, folder: Path) -> None:
        if folder not in self.made:
            folder.mkdir(parents=True, exist_ok=True)
            self.made.add(folder)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2() -> Callable[..., int] | None:
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    return getattr(libc, "renameat2", None)


_RENAMEAT2 = _renameat2() if os.name == "posix" else None


def exchange(a: Path, b: Path) -> None:
    """Swap two folders in one atomic step. Without renameat2 (not Linux), two renames: a
    reader may then find `b` missing for the instant between them, never half of either."""
    if _RENAMEAT2 is not None:
        result = _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        if result == 0:
            return
        error = ctypes.get_errno()
        if error not in (22, 38):  # EINVAL, ENOSYS: the file system or kernel cannot
            raise OSError(error, os.strerror(error), str(b))
    aside = a.with_name(a.name + ".aside")
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)
