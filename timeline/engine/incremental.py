"""What the previous build of an output folder made, so the next build can skip work.

For each output file the cache keeps the fingerprint of the page's inputs and the hash of the
bytes written. A page whose fingerprint is unchanged is not rendered again, and a file whose
bytes are unchanged is not written again (`output.py` leaves it in place). A fingerprint covers
the page's own data (`Page.context` and `Page.inputs`), the site settings, every template of the
theme chain and the code of timeline itself, so editing a template or upgrading timeline
re-renders everything that could change. The cache also keeps the fingerprint of everything the
last build read (`input_fingerprint`) and what it reported: a build with the same inputs and an
intact output has nothing to do.

The cache is one plain JSON file beside the output folder, `.<output>.timeline-cache.json` (never
pickle: a cache file that arrived in a pull request must not be able to run code, and without the
previous output folder it reuses nothing). A cache that is missing, unreadable or written by
another version of timeline is ignored, and the build is simply a full one.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline import __version__

CACHE_SUFFIX = ".timeline-cache.json"
FORMAT = 3


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def fingerprint(*parts: object, known: dict[type, Callable[[Any], str]] | None = None) -> str:
    """A fingerprint of plain data and frozen dataclasses. Pickle is used only to serialise
    (never loaded): it is many times faster than repr on dataclasses, and equal bytes mean equal
    data. (Two equal values may rarely pickle differently, as pickle notes shared objects; that
    costs a needless render, never a stale page.) `known` maps a type to a function giving the
    fingerprint of its instances, computed once instead of pickling them again in every page."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    if known:
        pickler.dispatch_table = {
            kind: (lambda value, print_of=print_of: (str, (print_of(value),)))
            for kind, print_of in known.items()
        }
    pickler.dump(parts)
    return digest(buffer.getvalue())


def folder_fingerprint(folders: list[Path], suffixes: tuple[str, ...] = ()) -> str:
    """Names and bytes of every file under `folders` (in order), optionally only some suffixes."""
    hasher = hashlib.blake2b(digest_size=16)
    for index, folder in enumerate(folders):
        hasher.update(f"{index}\0".encode())
        _hash_files(hasher, folder, folder, suffixes)
    return hasher.hexdigest()


def _hash_files(hasher: Any, base: Path, top: Path, suffixes: tuple[str, ...] = ()) -> None:
    """Feed `hasher` the name (relative to `base`), length and bytes of `top`, a file, or of
    every file under it, in a stable order, not following links to folders (as loading does)."""
    files = [str(top)] if top.is_file() else []
    for folder, subfolders, names in os.walk(top):
        subfolders.sort()
        files += (
            os.path.join(folder, name)
            for name in sorted(names)
            if not suffixes or os.path.splitext(name)[1] in suffixes
        )
    for file in files:
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError:
            data = b"\0unreadable"  # loading reports it; the fingerprint only notes it
        rel = os.path.relpath(file, base)
        hasher.update(f"{rel}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
        hasher.update(data)


_PACKAGE = Path(__file__).parent.parent
# The code, and the built-in themes (which a site may use without a copy of its own).
CODE_FINGERPRINT = (
    folder_fingerprint([_PACKAGE], (".py",))
    + folder_fingerprint([_PACKAGE / "themes"])
    + __version__
)


def record_path(output: Path, suffix: str) -> Path:
    """Where a record of the builds of `output` lives: beside it, named after it."""
    output = output.absolute()
    return output.parent / f".{output.name}{suffix}"


def read_record(path: Path, version: int) -> dict[str, Any] | None:
    """A record written by `write_record` for this version of its format and of timeline's
    code; None when it is missing, unreadable or another version's."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != version:
        return None
    return data if data.get("code") == CODE_FINGERPRINT else None


def write_record(path: Path, version: int, payload: dict[str, Any]) -> None:
    """Write the record as JSON, one line per item of each mapping in `payload`: streamed, so
    that a record of ten thousand entries never sits in memory as one string. A build stopped
    halfway leaves the old record whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("w", encoding="utf-8") as out:
        out.write(f'{{"format": {version}, "code": {json.dumps(CODE_FINGERPRINT)}')
        for key, value in payload.items():
            out.write(f",\n{json.dumps(key)}: ")
            if not isinstance(value, dict) or not value:
                out.write(json.dumps(value, ensure_ascii=False))
                continue
            separator = "{\n"
            for item_key, item in value.items():
                out.write(f"{separator}{json.dumps(item_key, ensure_ascii=False)}: ")
                out.write(json.dumps(item, ensure_ascii=False))  # no indent: the C encoder
                separator = ",\n"
            out.write("\n}")
        out.write("}\n")
    os.replace(temporary, path)


# Everything a build reads under the site root.
SITE_INPUTS = ("site.yaml", "content", "templates", "static", "themes")


def input_fingerprint(site_root: Path, *settings: object) -> str:
    """Names and bytes of every file a build of `site_root` reads, and `settings` (plain data):
    equal fingerprints, equal builds."""
    hasher = hashlib.blake2b(repr(settings).encode("utf-8", "surrogateescape"), digest_size=16)
    for name in SITE_INPUTS:
        _hash_files(hasher, site_root, site_root / name)
    return hasher.hexdigest()


@dataclass(frozen=True)
class FileRecord:
    """A file as the last build left it: the digest of its bytes, and the size and modification
    time that show it is still that file (nobody replaced or damaged it since)."""

    digest: str
    size: int
    mtime_ns: int

    def matches(self, path: str) -> bool:
        try:
            stat = os.stat(path)  # on the string: a Path costs more than the call, 10,000s of times
        except OSError:
            return False
        return stat.st_size == self.size and stat.st_mtime_ns == self.mtime_ns


@dataclass
class BuildCache:
    path: Path
    pages: dict[str, str] = field(default_factory=dict)  # output path -> inputs fingerprint
    files: dict[str, FileRecord] = field(default_factory=dict)  # output path -> what was written
    # The input fingerprint of the build that wrote the output, and what it reported: the same
    # inputs and an intact output make the next build a no-op.
    inputs: str = ""
    outcome: dict[str, Any] = field(default_factory=dict)
    as_read: tuple[Any, ...] = ()  # what the file held: a build that changed nothing skips saving

    @classmethod
    def for_output(cls, output: Path) -> BuildCache:
        cache = cls(record_path(output, CACHE_SUFFIX))
        data = read_record(cache.path, FORMAT)
        try:
            if data is not None:
                cache.pages = {str(k): str(v) for k, v in data["pages"].items()}
                cache.files = {
                    str(k): FileRecord(str(d), int(size), int(mtime))
                    for k, (d, size, mtime) in data["files"].items()
                }
                cache.inputs, cache.outcome = str(data["inputs"]), dict(data["outcome"])
                cache.as_read = cache._state()
        except (ValueError, KeyError, AttributeError, TypeError):
            cache.forget()  # no usable cache: a full build
        return cache

    def unchanged(self, inputs: str, output: Path) -> bool:
        """True if the last build had these inputs, and its output is intact."""
        if not self.inputs or inputs != self.inputs:
            return False
        folder = str(output.absolute())
        return all(record.matches(f"{folder}/{path}") for path, record in self.files.items())

    def _state(self) -> tuple[Any, ...]:
        return (dict(self.pages), dict(self.files), self.inputs, dict(self.outcome))

    def save(self) -> None:
        if self._state() == self.as_read:
            return
        payload = {
            "pages": dict(sorted(self.pages.items())),
            "files": {k: [r.digest, r.size, r.mtime_ns] for k, r in sorted(self.files.items())},
            "inputs": self.inputs,
            "outcome": self.outcome,
        }
        write_record(self.path, FORMAT, payload)

    def forget(self) -> None:
        self.pages.clear()
        self.files.clear()
        self.inputs = ""
