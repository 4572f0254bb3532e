"""Which files must be made again: each output's recorded dependencies against the timeline now.

For each file of the plan the store keeps the fingerprint of its job (the theme's templates, the
job's complete context, timeline's code) and the keys it read of the timeline while it was made
(see `recording.py`), with one fingerprint of what they held. A file whose job and reads are
unchanged, and which is still intact in the output, is kept; any other is made again, and what it
reads is recorded anew. The same holds for the events' pieces of the large exports. Nothing here
is declared by hand: a site's own template that reads another entry depends on it because it
read it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment

from timeline.engine.fingerprint import Fingerprints, combine
from timeline.engine.recording import Key, RecordingTimeline, value_at
from timeline.engine.store import Store
from timeline.model import Event
from timeline.render.pages import render
from timeline.render.plan import Job, Page, StaticFile
from timeline.write.files import FileRecord
from timeline.write.output import KEEP


@dataclass
class Made:
    """What the last pass made of each output file (for the store), and how many were kept."""

    jobs: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # path -> job, reads, print
    pages: int = 0
    kept_pages: int = 0


class Graph:
    """The recorded dependencies of one build's files, against one timeline."""

    def __init__(
        self, store: Store, timeline: Any, theme_print: str, prints: Fingerprints, output: str
    ) -> None:
        self.store = store
        self.timeline = timeline
        self.theme_print = theme_print
        self.prints = prints
        self.output = output  # the output folder, whose files the store describes ("" for none)
        self.made = Made()  # what `files` made, once it has been consumed
        self._key_prints: dict[Key, str] = {}
        self._pieces_used: set[str] = set()
        self._reads: set[Key] = set()  # what the file being made has read so far

    def files(self, jobs: Iterable[Job], env: Environment) -> Iterator[tuple[str, bytes | None]]:
        """(path, bytes or KEEP) for every job, noting in `made` each file's job and reads."""
        rows = self.store.table("outputs") if self.output else {}
        made = self.made
        for job in jobs:
            path = job.path
            job_print = self.job_print(job)
            row = rows.get(path)
            is_page = isinstance(job, Page) and path.endswith(".html")
            made.pages += is_page
            kept = self._kept_reads(job_print, *row[4:7]) if row is not None else None
            if kept is not None and file_record(row).matches(f"{self.output}/{path}"):
                made.jobs[path] = (job_print, row[5], row[6])
                made.kept_pages += is_page
                yield path, KEEP
                continue
            reads = self._reads = set()
            data = render(job, env, RecordingTimeline(self.timeline, reads), self.piece)
            made.jobs[path] = (job_print, _reads_json(reads), self.reads_print(reads))
            yield path, data

    def job_print(self, job: Job) -> str:
        if isinstance(job, StaticFile):
            return ""  # copied every time; the writer keeps a file whose bytes are the same
        return self.prints.of(self.theme_print, job)

    def _kept_reads(
        self, job_print: str, made_for: str, reads_json: str, reads_print: str
    ) -> list[Key] | None:
        """What a file or piece made for the job `made_for` read, if that job is this one and
        what it read holds the same now (it can be kept); None when it must be made again."""
        if not job_print or made_for != job_print:
            return None
        reads = _reads(reads_json)
        return reads if self.reads_print(reads) == reads_print else None

    def reads_print(self, reads: Iterable[Key]) -> str:
        return combine(self._key_print(key) for key in sorted(reads))

    def _key_print(self, key: Key) -> str:
        known = self._key_prints.get(key)
        if known is None:
            known = self._key_prints[key] = self.prints.of(key, value_at(self.timeline, key))
        return known

    def piece(self, kind: str, event: Event, make: Callable[[Any], str]) -> str:
        """An event's piece of an export, made again only when what it read has changed. The file
        it goes into depends on what the piece read, too."""
        key = f"{kind}:{event.id}"
        self._pieces_used.add(key)
        job_print = self.prints.of(self.theme_print, kind, event)
        row = self.store.table("pieces").get(key)
        kept = self._kept_reads(job_print, *row[:3]) if row is not None else None
        if kept is not None:
            self._reads.update(kept)
            return row[3]
        reads: set[Key] = set()
        text = make(RecordingTimeline(self.timeline, reads))
        row = (job_print, _reads_json(reads), self.reads_print(reads), text)
        self.store.put("pieces", key, row)
        self._reads |= reads
        return text

    def forget_unused_pieces(self) -> None:
        for key in [key for key in self.store.table("pieces") if key not in self._pieces_used]:
            self.store.delete("pieces", key)


def file_record(row: tuple) -> FileRecord:
    """The written file an `outputs` row of the store describes."""
    return FileRecord(*row[:4])


def _reads_json(reads: set[Key]) -> str:
    return json.dumps(sorted(reads), ensure_ascii=False, separators=(",", ":"))


def _reads(text: str) -> list[Key]:
    return [tuple(key) for key in json.loads(text)]
