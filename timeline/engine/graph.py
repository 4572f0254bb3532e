"""Which files must be made again: each output's job and recorded reads against the last build.

A file of the plan is kept when the last build made it for the same job (the theme's templates
and the job's complete context) and every key it read of the timeline (see `recording.py`) holds
what it held then; any other file is made again, and what it reads is recorded anew. The events'
pieces of the large exports are kept the same way. Nothing here is declared by hand: a site's own
template that reads another entry depends on it because it read it.

The last build is known in one of two ways, with the same rule:

- `Recorded`: from the store, in a new process (`timeline build`). Jobs and the values of keys
  are compared by fingerprint; a kept file must also still be intact in the output folder.
- `Kept`: from memory, in a session that stays between builds (`timeline serve`). Jobs and values
  are the objects themselves, compared by identity first: the engine hands an unchanged entry to
  every build as the same object, so a comparison costs next to nothing.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from jinja2 import Environment

from timeline.assemble.timeline import Month, Year
from timeline.engine.fingerprint import Fingerprints
from timeline.engine.recording import (
    ENTRY,
    MISSING,
    Key,
    RecordingTimeline,
    recorded,
    unrecorded,
    value_at,
)
from timeline.engine.scheduler import Scheduler
from timeline.engine.store import Store
from timeline.model import Event
from timeline.render.exports import EXPORT_FILES
from timeline.render.pages import render
from timeline.render.plan import DataFile, Job, Page, StaticFile
from timeline.write.files import FileRecord
from timeline.write.output import KEEP

NEW = "it is new"
JOB_CHANGED = "its template or its context changed"
COPIED = "a static file is copied every time"
ALTERED = "its file in the output was changed or removed"


def changed_read(key: Key) -> str:
    shown = f"timeline.{key[0]}" + "".join(f"[{part!r}]" for part in key[1:])
    return f"it read {shown}, which changed"


class Reads:
    """The keys a file or a piece read (read back from the store only when asked); split, the
    first time it is asked, into the timeline's keys and the attributes read of each entry
    (None: the whole entry)."""

    __slots__ = ("_entries", "_keys", "_load", "_timeline")

    def __init__(self, keys: Iterable[Key] = (), load: Callable[[], Iterable[Key]] | None = None):
        self._keys = None if load is not None else frozenset(keys)
        self._load = load
        self._timeline: frozenset[Key] | None = None
        self._entries: dict[str, list[str | None]] = {}

    @property
    def keys(self) -> frozenset[Key]:
        if self._keys is None:
            self._keys = frozenset(self._load())  # type: ignore[misc]
        return self._keys

    @property
    def timeline(self) -> frozenset[Key]:
        return self.split()[0]

    @property
    def entries(self) -> dict[str, list[str | None]]:
        return self.split()[1]

    def split(self) -> tuple[frozenset[Key], dict[str, list[str | None]]]:
        if self._timeline is None:
            self._timeline = frozenset(key for key in self.keys if key[0] != ENTRY)
            for key in self.keys:
                if key[0] == ENTRY:
                    attribute = key[2] if len(key) > 2 else None
                    self._entries.setdefault(key[1], []).append(attribute)
        return self._timeline, self._entries


@dataclass
class Piece:
    """An event's piece of an export, as made: for the event, the keys it read, its text."""

    kind: str
    event: Event
    reads: Reads
    text: str


@dataclass
class Made:
    """What a pass made or kept of each output file: its job and what it read."""

    jobs: dict[str, Job] = field(default_factory=dict)
    reads: dict[str, Reads] = field(default_factory=dict)
    why: dict[str, str] = field(default_factory=dict)  # path -> why it was made again
    pieces: dict[str, Piece] = field(default_factory=dict)
    fresh_pieces: list[str] = field(default_factory=list)  # the pieces made, not kept
    pages: int = 0
    kept_pages: int = 0


class LastBuild(Protocol):
    """The last build, as the graph compares the present with it."""

    def why_stale(self, path: str, job: Job) -> str | None:
        """Why the file must be made again; None when the last build's file holds."""

    def reads_of(self, path: str) -> Reads:
        """What the file kept from the last build read."""

    def kept_piece(self, key: str, kind: str, event: Event) -> Piece | None:
        """The last build's piece, when it holds now."""


class Graph:
    """One build's files, made again when the last build's do not hold."""

    def __init__(self, last: LastBuild, timeline: Any) -> None:
        self.last = last
        self.timeline = timeline
        self.made = Made()  # what `files` made, once it has been consumed
        self._reads: set[Key] = set()  # what the file being made has read so far

    def files(
        self, jobs: Iterable[Job], env: Environment, scheduler: Scheduler
    ) -> Iterator[tuple[str, bytes | None]]:
        """(path, bytes or KEEP) for every job, noting in `made` each file's job and reads. The
        `scheduler`'s workers make the events' pieces of the large exports, then the pages;
        meanwhile the other files are made here."""
        made = self.made
        pages: list[Page] = []
        others: list[Job] = []
        for job in jobs:
            path = job.path
            is_page = isinstance(job, Page) and path.endswith(".html")
            made.pages += is_page
            made.jobs[path] = job
            why = self.last.why_stale(path, job)
            if why is None:
                made.reads[path] = self.last.reads_of(path)
                made.kept_pages += is_page
                yield path, KEEP
                continue
            made.why[path] = why
            (pages if isinstance(job, Page) else others).append(job)
        # With workers, the pieces the exports need are made by them first (found by making the
        # exports once with empty pieces); here, each is made when its export asks for it.
        wanted = self._pieces_wanted(others, env) if scheduler.parallel else []
        work = [*(make for *_, make in wanted), *(partial(self._page, env, p) for p in pages)]
        done = scheduler.map(_call, work)
        for (kind, event, _make), (text, reads) in zip(wanted, done):  # noqa: B905 (done goes on)
            self._made_piece(kind, event, text, reads)
        for job in others:
            reads = self._reads = set()
            seen = RecordingTimeline(self.timeline, reads)
            data = render(_recorded_job(job, reads), env, seen, self.piece)
            made.reads[job.path] = Reads(reads)
            yield job.path, data
        for page, (data, reads) in zip(pages, done, strict=True):
            made.reads[page.path] = Reads(reads)
            yield page.path, data

    def _page(self, env: Environment, page: Page) -> tuple[bytes, set[Key]]:
        """A page's bytes, and the keys of the timeline it read."""
        reads: set[Key] = set()
        seen = RecordingTimeline(self.timeline, reads)
        return render(_recorded_job(page, reads), env, seen, _no_pieces), reads

    def _pieces_wanted(self, jobs: list[Job], env: Environment) -> list[_PieceWork]:
        """The pieces the exports among `jobs` need that the last build's do not give (those it
        gives are noted in `made` now)."""
        wanted: dict[str, _PieceWork] = {}

        def note(kind: str, event: Event, make: Callable[[Any], str]) -> str:
            event = unrecorded(event)
            key = self._piece_key(kind, event)
            piece = self.made.pieces.get(key) or self.last.kept_piece(key, kind, event)
            if piece is not None:
                self.made.pieces[key] = piece
            elif key not in wanted:
                wanted[key] = (kind, event, partial(self._piece_made, event, make))
            return ""

        for job in jobs:
            if isinstance(job, DataFile) and job.maker in EXPORT_FILES:
                render(job, env, self.timeline, note)
        return list(wanted.values())

    def _piece_key(self, kind: str, event: Event) -> str:
        """A piece's name in the store: its kind and entry, under its edition's path."""
        return f"{self.timeline.site.path}{kind}:{event.id}"

    def _piece_made(self, event: Event, make: Callable[[Any], str]) -> tuple[str, set[Key]]:
        reads: set[Key] = {(ENTRY, event.id)}  # a piece is made of the whole entry
        return make(RecordingTimeline(self.timeline, reads)), reads

    def _made_piece(self, kind: str, event: Event, text: str, reads: set[Key]) -> Piece:
        key = self._piece_key(kind, event)
        piece = self.made.pieces[key] = Piece(kind, event, Reads(reads), text)
        self.made.fresh_pieces.append(key)
        return piece

    def piece(self, kind: str, event: Event, make: Callable[[Any], str]) -> str:
        """An event's piece of an export, made again only when what it read has changed. The file
        it goes into depends on what the piece read, too."""
        event = unrecorded(event)
        key = self._piece_key(kind, event)
        piece = self.made.pieces.get(key) or self.last.kept_piece(key, kind, event)
        if piece is None:
            piece = self._made_piece(kind, event, *self._piece_made(event, make))
        self.made.pieces[key] = piece
        self._reads |= piece.reads.keys
        return piece.text


# A piece of an export for the workers to make: its kind, its event, and the making.
_PieceWork = tuple[str, Event, Callable[[], tuple[str, set[Key]]]]


def _call(work: Callable[[], Any]) -> Any:
    return work()


def _no_pieces(kind: str, event: Event, make: Callable[[Any], str]) -> str:
    raise TypeError("a page is not made of the pieces of an export")


def _recorded_job(job: Job, reads: set[Key]) -> Job:
    """The job with the entries of its context seen through `RecordingEvent`s."""
    if isinstance(job, Page | DataFile) and job.context:
        return dataclasses.replace(job, context=recorded(job.context, reads))
    return job


class Recorded:
    """The last build as the store recorded it: by fingerprints. `output` is the output folder
    whose files the store describes ("" when they cannot be kept).

    A file's row holds the fingerprint of each timeline key it read, and, as plain text, the
    attributes it read of each entry (one line per entry: its id, a tab, the attributes): a list
    reads thousands of entries, and is looked at only for the few entries that changed, found by
    their fingerprints, held once per entry in the table `entries` (the whole entry, and each
    attribute something read)."""

    def __init__(
        self,
        store: Store,
        timeline: Any,
        theme_print: str,
        output: str,
        jobs: list[Job],
        prints: Fingerprints,
    ) -> None:
        self.store = store
        self.timeline = timeline
        self.theme_print = theme_print
        self.output = output
        self.prints = prints
        # An edition (the site in another language) keeps its rows of entries, pieces and prints
        # under its path ("he/"); the rows of files are by their paths, which hold it already.
        self.edition = timeline.site.path
        self.prints_key = f"prints:{self.edition}" if self.edition else "prints"
        self.rows = store.table("outputs") if output else {}
        self.entry_rows = _own_rows(store.table("entries"), self.edition) if output else {}
        # Whole fingerprints first: when the plan, or an attribute of the timeline, is what the
        # last build had, every job, or every key of that attribute, is (each file was checked
        # against the last build, so what its row says held then), and none is fingerprinted.
        before = store.meta(self.prints_key, {}) if output else {}
        self.plan_print = self.prints.shape(theme_print, jobs)
        self.same_plan = before.get("plan") == self.plan_print
        self.attribute_prints = {
            name: self.prints.shape(name, getattr(timeline, name))
            for name in (attribute.name for attribute in dataclasses.fields(timeline))
        }
        self.same_attributes = {
            name for name, stamp in self.attribute_prints.items() if before.get(name) == stamp
        }
        self._key_prints: dict[Key, str] = {}
        self._job_prints: dict[str, str] = {}
        self._reads: dict[str, Reads] = {}
        self._attributes: dict[str, dict[str, str]] = {}
        self._changed_entries: list[str] | None = None

    def why_stale(self, path: str, job: Job) -> str | None:
        row = self.rows.get(path)
        if row is None:
            return NEW
        if isinstance(job, StaticFile):
            return COPIED
        if not self.same_plan and row[4] != self._job_print(path, job):
            return JOB_CHANGED
        self._reads[path], changed = self._read_back(row[5], row[6])
        if changed is not None:
            return changed_read(changed)
        return None if file_record(row).matches(f"{self.output}/{path}") else ALTERED

    def reads_of(self, path: str) -> Reads:
        return self._reads[path]

    def kept_piece(self, key: str, kind: str, event: Event) -> Piece | None:
        row = self.store.table("pieces").get(key)
        if row is None or row[0] != self.prints.of(self.theme_print, kind, event):
            return None  # the piece's job holds its whole entry: when it is the same, so is that
        reads, changed = self._read_back(row[1], row[2])
        return Piece(kind, event, reads, row[3]) if changed is None else None

    def _job_print(self, path: str, job: Job) -> str:
        known = self._job_prints.get(path)
        if known is None:
            known = self._job_prints[path] = self.prints.shape(self.theme_print, job)
        return known

    def _read_back(self, reads_json: str, entries: str) -> tuple[Reads, Key | None]:
        """What a row says was read (parsed when asked), and the first key whose value is not
        what it was (None when all hold)."""
        timeline = [(tuple(key), stamp) for key, stamp in json.loads(reads_json)]
        same = self.same_attributes
        changed = next(
            (key for key, stamp in timeline if key[0] not in same and self.key_print(key) != stamp),
            None,
        )
        if changed is None:
            changed = self._changed_entry_read(entries)
        return Reads(load=lambda: [key for key, _ in timeline] + _entry_keys(entries)), changed

    def _changed_entry_read(self, entries: str) -> Key | None:
        for entry in self.changed_entries():
            at = entries.find(f"\n{entry}\t")
            if at < 0:
                continue
            line = entries[at + 1 :].split("\n", 1)[0]
            for key in _entry_keys("\n" + line):
                if len(key) == 2 or self.key_print(key) != self._attribute_prints(entry).get(
                    key[2]
                ):
                    return key
        return None

    def changed_entries(self) -> list[str]:
        """The entries that are not what the store's `entries` rows say they were."""
        if self._changed_entries is None:
            now = self.timeline.by_id
            gone = [entry for entry in self.entry_rows if entry not in now]
            self._changed_entries = gone + [
                entry
                for entry, event in now.items()
                if entry not in self.entry_rows
                or self.entry_rows[entry][0] != self.prints.event(event)
            ]
        return self._changed_entries

    def _attribute_prints(self, entry: str) -> dict[str, str]:
        known = self._attributes.get(entry)
        if known is None:
            row = self.entry_rows.get(entry)
            known = self._attributes[entry] = json.loads(row[1]) if row else {}
        return known

    def key_print(self, key: Key) -> str:
        known = self._key_prints.get(key)
        if known is None:
            value = value_at(self.timeline, key)
            print_of = self.prints.of if key[0] == ENTRY else self.prints.shape
            known = self._key_prints[key] = print_of(key, value)
        return known

    def remember(self, made: Made, files: dict[str, FileRecord]) -> None:
        """Write the rows of what `made` made (those of kept files hold already)."""
        for path in [path for path in self.store.table("outputs") if path not in files]:
            self.store.delete("outputs", path)
        remade = [path for path in made.jobs if path in made.why or path not in self.rows]
        for path in remade:
            row = (*_record_row(files[path]), self._job_print(path, made.jobs[path]))
            self.store.put("outputs", path, (*row, *self._reads_row(made.reads[path])))
        pieces = _own_rows(self.store.table("pieces"), self.edition)
        for key in [self.edition + key for key in pieces if self.edition + key not in made.pieces]:
            self.store.delete("pieces", key)
        for key in made.fresh_pieces:
            piece = made.pieces[key]
            job = self.prints.of(self.theme_print, piece.kind, piece.event)
            self.store.put("pieces", key, (job, *self._reads_row(piece.reads), piece.text))
        read = [made.reads[path] for path in remade]
        self._remember_entries([*read, *(made.pieces[key].reads for key in made.fresh_pieces)])
        self.store.set_meta(self.prints_key, {"plan": self.plan_print, **self.attribute_prints})

    def _remember_entries(self, reads: list[Reads]) -> None:
        """The `entries` rows of entries that changed, or of which something read more."""
        entries = _own_rows(self.store.table("entries"), self.edition)
        for entry in [entry for entry in entries if entry not in self.timeline.by_id]:
            self.store.delete("entries", self.edition + entry)
        changed = set(self.changed_entries())
        wanted: dict[str, set[str]] = {}
        for one in reads:
            for entry, attributes in one.entries.items():
                wanted.setdefault(entry, set()).update(a for a in attributes if a is not None)
        for entry, attributes in wanted.items():
            known = self._attribute_prints(entry)
            if entry not in changed and entry in entries and attributes <= known.keys():
                continue
            event = self.timeline.by_id.get(entry)
            if event is not None:
                names = sorted(attributes | known.keys())
                stamps = {name: self.key_print((ENTRY, entry, name)) for name in names}
                row = (self.prints.event(event), _json(stamps))
                self.store.put("entries", self.edition + entry, row)

    def _reads_row(self, reads: Reads) -> tuple[str, str]:
        """(the timeline keys read with their prints, as JSON; the entries' attributes read)"""
        timeline, entries = reads.split()
        stamps = [[list(key), self.key_print(key)] for key in sorted(timeline)]
        lines = "".join(
            f"\n{entry}\t" + ",".join(sorted(a or WHOLE for a in attributes))
            for entry, attributes in sorted(entries.items())
        )
        return _json(stamps), lines


WHOLE = "*"  # in a row's entry reads: the whole entry


def _own_rows(table: dict[str, Any], edition: str) -> dict[str, Any]:
    """The rows of one edition's entries or pieces, by their keys without its path (entry ids
    and kinds hold no "/": a key of the site's own language has none)."""
    return {
        key[len(edition) :]: row
        for key, row in table.items()
        if key.startswith(edition) and "/" not in key[len(edition) :]
    }


def _entry_keys(lines: str) -> list[Key]:
    """The keys of entries a row's text names."""
    keys: list[Key] = []
    for line in lines.split("\n")[1:]:
        entry, attributes = line.split("\t")
        for attribute in attributes.split(","):
            keys.append((ENTRY, entry) if attribute == WHOLE else (ENTRY, entry, attribute))
    return keys


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass
class KeptBuild:
    """What a session keeps in memory of its last build."""

    timeline: Any
    theme_print: str
    made: Made


class Kept:
    """The last build of this session, from memory: by the objects themselves. Entries that
    hold the same are the same objects (see `content.ContentMemo`), so the entries that changed
    are found by identity, and a file is checked only against those it read."""

    def __init__(self, kept: KeptBuild | None, timeline: Any, theme_print: str) -> None:
        same_theme = kept is not None and kept.theme_print == theme_print
        self.last = kept.made if kept is not None and same_theme else Made()
        self.theme_changed = kept is not None and not same_theme
        self.then_timeline = kept.timeline if kept is not None else None
        self.timeline = timeline
        self.changed_keys = _changed_keys(self.then_timeline, timeline) if kept else set()
        before, now = (kept.timeline.by_id if kept else {}), timeline.by_id
        ids = before.keys() | now.keys()
        self.changed_ids = [i for i in sorted(ids) if before.get(i) is not now.get(i)]
        self._changed: dict[Key, bool] = {}

    def why_stale(self, path: str, job: Job) -> str | None:
        before = self.last.jobs.get(path)
        if before is None:
            return JOB_CHANGED if self.theme_changed else NEW
        if isinstance(job, StaticFile):
            return COPIED
        if not _same_job(before, job):
            return JOB_CHANGED
        changed = self._changed_read(self.last.reads[path])
        return None if changed is None else changed_read(changed)

    def reads_of(self, path: str) -> Reads:
        return self.last.reads[path]

    def kept_piece(self, key: str, kind: str, event: Event) -> Piece | None:
        piece = self.last.pieces.get(key)
        if piece is None or not _same(piece.event, event):
            return None
        return piece if self._changed_read(piece.reads) is None else None

    def _changed_read(self, reads: Reads) -> Key | None:
        """A key of `reads` whose value is not what it was; None when all hold."""
        changed = reads.timeline & self.changed_keys
        if changed:
            return min(changed)
        for entry in self.changed_ids:
            for attribute in reads.entries.get(entry, ()):
                key = (ENTRY, entry) if attribute is None else (ENTRY, entry, attribute)
                if self._entry_changed(key):
                    return key
        return None

    def _entry_changed(self, key: Key) -> bool:
        known = self._changed.get(key)
        if known is None:
            before, now = value_at(self.then_timeline, key), value_at(self.timeline, key)
            known = self._changed[key] = not _same(before, now)
        return known


def _changed_keys(before: Any, now: Any) -> set[Key]:
    """The keys of the timeline (not of its entries) whose value is not what it was, by shape:
    each mapping's items, and every attribute as a whole (a mapping's order counts)."""
    changed: set[Key] = set()
    for name in (attribute.name for attribute in dataclasses.fields(now)):
        old, new = getattr(before, name, MISSING), getattr(now, name)
        if isinstance(old, Mapping) and isinstance(new, Mapping):
            items = [
                (name, key)
                for key in old.keys() | new.keys()
                if not _same_shape(old.get(key, MISSING), new.get(key, MISSING))
            ]
            changed.update(items)
            if items or list(old) != list(new):
                changed.add((name,))
        elif not _same_shape(old, new):
            changed.add((name,))
    return changed


def _same(a: object, b: object) -> bool:
    """Equal values of one type (1 and True are equal, and do not render alike)."""
    return a is b or (type(a) is type(b) and a == b)


def _same_job(a: Job, b: Job) -> bool:
    if type(a) is not type(b) or a.path != b.path:
        return False
    if isinstance(a, Page):
        same = a.template == b.template and a.listed == b.listed  # type: ignore[union-attr]
        return same and _same_shape(a.context, b.context)  # type: ignore[union-attr]
    if isinstance(a, DataFile):
        return a.maker == b.maker and _same_shape(a.context, b.context)  # type: ignore[union-attr]
    return _same(a, b)


def _same_shape(a: Any, b: Any) -> bool:
    """Equal values, in which each entry counts by its id alone (what is read of an entry is
    compared apart). Loops rather than all(): this runs for every file of every build."""
    if a is b:
        return True
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is Event:
        return a.id == b.id
    if kind is tuple or kind is list:
        if len(a) != len(b):
            return False
        for x, y in zip(a, b, strict=True):  # noqa: SIM110 (a loop: no call per equal item)
            if x is not y and not _same_shape(x, y):
                return False
        return True
    if kind is dict:
        if a.keys() != b.keys():
            return False
        for key, value in a.items():
            other = b[key]
            if value is not other and not _same_shape(value, other):
                return False
        return True
    if kind is Year:
        return a.year == b.year and _same_shape(a.months, b.months)
    if kind is Month:
        return (a.year, a.month) == (b.year, b.month) and _same_shape(a.events, b.events)
    return a == b


def file_record(row: tuple) -> FileRecord:
    """The written file an `outputs` row of the store describes."""
    return FileRecord(*row[:4])


def _record_row(record: FileRecord) -> tuple[str, int, int, int]:
    return (record.digest, record.size, record.mtime_ns, record.ino)
