"""Write a rendered site atomically: into a folder beside the output, swapped in on success.

A build that fails at any point (content problems, a template error, a full disk) leaves the
previous output exactly as it was, and leaves no half-written folder behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .incremental import FileRecord, digest


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
    before_swap: Callable[[Path, set[str]], None] | None = None,
    previous: dict[str, FileRecord] | None = None,
) -> dict[str, FileRecord]:
    """Write `files` ((relative path, bytes) pairs) as the new content of `output`; return a
    record of each file written.

    A file given as None (the renderer's REUSE), or whose bytes have the digest `previous`
    records, is not written again but hard-linked from the current output, if that file is still
    the one recorded: cheap, and byte for byte as it was. `before_swap` gets the new folder and
    the paths whose bytes changed.
    """
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    previous = previous or {}
    records: dict[str, FileRecord] = {}
    changed: set[str] = set()
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        for rel, data in files:
            target = staging / rel
            if staging not in target.resolve().parents:
                raise OutputError(f"refusing to write outside the output folder: {rel}")
            target.parent.mkdir(parents=True, exist_ok=True)
            before = previous.get(rel)
            same = before is not None and (data is None or before.digest == digest(data))
            if same and before.matches(output / rel) and link_file(output / rel, target):
                records[rel] = before
                continue
            if data is None:
                raise OutputError(f"{rel}: nothing to reuse in {output}")
            target.write_bytes(data)
            stat = target.stat()
            records[rel] = FileRecord(digest(data), stat.st_size, stat.st_mtime_ns)
            changed.add(rel)
        changed |= previous.keys() - records.keys()  # files that are gone
        if before_swap is not None:
            before_swap(staging, changed)
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return records


def link_tree(source: Path, target: Path) -> bool:
    """Hard-link every file of `source` into `target` (made); False if any could not be."""
    for file in source.rglob("*"):
        if file.is_file():
            destination = target / file.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            if not link_file(file, destination):
                return False
    return True


def link_file(existing: Path, new: Path) -> bool:
    try:
        os.link(existing, new)
    except OSError:
        return False  # not there any more, or another file system: write it instead
    return True


def _swap(staging: Path, output: Path) -> None:
    staging.chmod(0o755)  # mkdtemp makes it private; a published folder is readable
    if not output.exists():
        os.rename(staging, output)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    retired.rmdir()
    os.rename(output, retired)
    try:
        os.rename(staging, output)
    except BaseException:
        os.rename(retired, output)  # put the previous output back
        raise
    shutil.rmtree(retired, ignore_errors=True)
