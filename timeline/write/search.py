"""Full-text search: Pagefind indexes the entries' records, one shard (year) at a time.

Pagefind comes from its PyPI package (`pagefind[bin]`, which ships the binary; nothing is
downloaded at run time). It runs as `pagefind --service` and is fed custom records, the
interface of its Python API: no written page is read again. It hands each shard's bundle back
in memory (GetFiles), and the bundle is written here. The package's own asyncio client
waits 100 ms before reading each answer (ten records a second), so `_Service` speaks the same
documented protocol (base64 JSON messages ended by a comma) directly: every record of a shard is
sent, then the answers are read.

Each shard is a whole Pagefind bundle in `pagefind/<shard>/`, which the search page merges in
the browser (`mergeIndex`). One shard's index is held at a time and deleted once written, so
indexing needs the memory of the largest shard, not of the site.

Pagefind builds one index per language, and its search API only queries the index of the page's
language, so from an English search page Hebrew and Russian words would find nothing. Every
record is therefore indexed as the site's language: entries mixing English, Hebrew, Russian and
Arabic are all found from the one search page, at the cost of language-specific stemming (which
Pagefind does not offer for Hebrew anyway).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import suppress
from dataclasses import asdict
from pathlib import Path, PurePosixPath
from typing import IO, Any

from pagefind.service import get_executable

from timeline.render.search import SearchRecord


class SearchIndexError(Exception):
    pass


def write_shards(
    shards: Mapping[str, tuple[str, Callable[[], Iterable[SearchRecord]]]],
    into: Path,
    *,
    background: bool = False,
) -> None:
    """Index each shard's records (made when asked, one shard at a time) into `into/<shard>/`,
    in the shard's language (Pagefind stems its words as that language's). In the `background`,
    Pagefind runs at the lowest CPU priority, so that it yields the cores to the work someone
    waits for (the preview's next build)."""
    with _Service(background) as service:
        for name, (code, records) in shards.items():
            language = code.split("-")[0]
            index = service.ask({"type": "NewIndex", "config": {"force_language": language}})
            added = (
                {
                    "type": "AddRecord",
                    "index_id": index["index_id"],
                    "language": language,
                    **asdict(record),
                }
                for record in records()
            )
            service.ask_all(added)
            bundle = service.ask({"type": "GetFiles", "index_id": index["index_id"]})
            service.ask({"type": "DeleteIndex", "index_id": index["index_id"]})
            _write_bundle(into / name, bundle["files"])


def _write_bundle(folder: Path, files: list[dict[str, str]]) -> None:
    """A shard's bundle, as Pagefind made it in memory. Its own writing (WriteFiles) answers
    before the last bytes are on disk (tokio's files are not flushed), and the service exits at
    once when it is stopped: a bundle it wrote could be cut short, an empty pagefind-entry.json."""
    for file in files:
        relative = PurePosixPath(file["path"])
        if relative.is_absolute() or ".." in relative.parts:
            raise SearchIndexError(f"Pagefind named a file outside its bundle: {file['path']}")
        target = folder.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(file["content"]))


class _Service:
    """A `pagefind --service` process; answers come in the order of the requests."""

    def __init__(self, background: bool) -> None:
        binary = get_executable()
        if binary is None:
            raise SearchIndexError("could not run Pagefind: its binary is not installed")
        command = [str(binary), "--service"]
        try:
            self.process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
            )
        except OSError as exc:
            raise SearchIndexError(f"could not run Pagefind: {exc}") from exc
        if background:
            with suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, self.process.pid, 19)
        self.next_id = 0
        self.answers = _answers(self.process.stdout)  # type: ignore[arg-type]

    def __enter__(self) -> _Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.kill()
        self.process.wait()

    def ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        return self.ask_all([payload])[-1]

    def ask_all(self, payloads: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send every request, then read the answers. Pagefind reads its input on a thread of
        its own and queues what it has not yet done, so the sending never waits on the answers
        piling up unread."""
        stdin: IO[bytes] = self.process.stdin  # type: ignore[assignment]
        count = 0
        try:
            for payload in payloads:
                self.next_id += 1
                message = {"message_id": self.next_id, "payload": payload}
                stdin.write(base64.b64encode(json.dumps(message).encode()) + b",")
                count += 1
            stdin.flush()
        except BrokenPipeError:
            raise SearchIndexError("Pagefind stopped while it was sent records") from None
        return [self._answer() for _ in range(count)]

    def _answer(self) -> dict[str, Any]:
        answer = next(self.answers, None)
        if answer is None:
            raise SearchIndexError("Pagefind stopped before it answered")
        payload = answer.get("payload", {})
        if payload.get("type") == "Error":
            raise SearchIndexError(f"Pagefind failed: {payload.get('message', 'no message')}")
        return payload


def _answers(stdout: IO[bytes]) -> Iterator[dict[str, Any]]:
    """The service's answers as they come (each base64 JSON, ended by a comma)."""
    pending = b""
    while chunk := stdout.read1(1 << 16):  # type: ignore[attr-defined]
        pending += chunk
        *whole, pending = pending.split(b",")
        for message in whole:
            yield json.loads(base64.b64decode(message))
