"""Load and validate a site's content, each file's own verdict kept by the digest of its bytes.

Validation has two stages (see `validate/`): each entry and source file alone, into a draft that
depends on nothing but the file's path and bytes, then what involves several files. The store
keeps every draft, as JSON, with the digest of the bytes it was made from; a file whose digest
is unchanged is not read, parsed or validated again. The across-files stage runs on every draft,
so the problems and their positions are always those of a full validation.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from timeline.engine.scheduler import Scheduler
from timeline.engine.settings import read_settings
from timeline.engine.store import Store
from timeline.load.files import (
    SMALL_FILES,
    SiteFiles,
    display_path,
    load_site,
    read_file,
    site_files,
)
from timeline.model import Content, Event
from timeline.problems import Problem
from timeline.render.theme import located_theme
from timeline.validate.across import Known, Validated, check_entry, validate_site
from timeline.validate.checks import validate
from timeline.validate.drafts import EntryDraft, draft_from_json, draft_to_json
from timeline.validate.files import read_entry, read_source
from timeline.validate.translations import read_translation
from timeline.write.files import digest as digest_of


def check_site(root: Path) -> Validated:
    """Load and validate a site as `timeline check` does: everything, remembering nothing."""
    checked = validate(load_site(root), today=read_settings().build_day)
    if checked.content is None:
        return checked
    _, theme_problems = located_theme(checked.content.site.theme, root)
    return dataclasses.replace(checked, problems=sorted(checked.problems + theme_problems))


class ContentMemo:
    """What a session keeps of the content between its builds, in memory: each file's draft by
    the digest of its bytes, the listing of the files, and the entries of the last build (an
    entry that holds the same is handed to the next build as the same object, which is what lets
    a kept session compare its pages at the cost of an identity test)."""

    def __init__(self) -> None:
        self.drafts: dict[str, tuple[str, Any]] = {}  # path -> (digest, draft)
        self.listing: tuple[Any, SiteFiles] | None = None  # (what it was made for, the files)
        self.events: dict[str, Event] = {}  # file -> the last build's entry
        self.paths: dict[Path, tuple[str, str]] = {}  # file -> its path from the root, shown
        self.checks = EntryChecks()

    def site_files(self, root: Path, digests: dict[str, str]) -> SiteFiles:
        """The site's files, listed again only when a file was added or removed, or a small
        file (site.yaml, the vocabularies) changed."""
        unreadable = frozenset(path for path, digest in digests.items() if not digest)
        made_for = (frozenset(digests), unreadable, [digests.get(name) for name in SMALL_FILES])
        if not digests or self.listing is None or self.listing[0] != made_for:
            self.listing = (made_for, site_files(root))
        return self.listing[1]

    def path(self, root: Path, file: Path) -> tuple[str, str]:
        """The file's path relative to the root, and as editors see it (see `display_path`)."""
        known = self.paths.get(file)
        if known is None:
            known = self.paths[file] = (
                file.relative_to(root).as_posix(),
                display_path(root, file),
            )
        return known

    def interned(self, content: Content) -> Content:
        """The content with each entry that equals the last build's as that same object."""
        before = self.events
        events = tuple(_same_or(before.get(event.file), event) for event in content.events)
        self.events = {event.file: event for event in events}
        return dataclasses.replace(content, events=events)


class EntryChecks:
    """`check_entry`, remembered for each entry's draft while what it reads of the others holds:
    the ids of actors, topics, entries and sources (for unknown references and their "did you
    mean"), the records it cites, and the build day."""

    def __init__(self) -> None:
        self.known: Known | None = None  # the last build's
        self.names: tuple[frozenset[str], ...] = ()  # the ids it could name
        self.version = 0  # raised when they change
        self.results: dict[str, tuple[Any, ...]] = {}  # path -> (draft, what it read, result)

    def __call__(
        self, draft: EntryDraft, known: Known, today: date, key: str = ""
    ) -> tuple[list, Event | None]:
        """The check of `draft`, remembered under `key` (default: its path)."""
        key = key or draft.path
        version = self._version(known)
        register = known.sources
        cited = [register[m.id].record if m.id in register else None for m in draft.sources]
        kept = self.results.get(key)
        if (
            kept is not None
            and kept[0] is draft
            and kept[1] == (version, today)
            and all(a is b for a, b in zip(kept[2], cited, strict=True))
        ):
            return kept[3]
        result = check_entry(draft, known, today)
        self.results[key] = (draft, (version, today), cited, result)
        return result

    def keep_only(self, paths: set[str]) -> None:
        for path in [path for path in self.results if path not in paths]:
            del self.results[path]

    def _version(self, known: Known) -> int:
        if known is not self.known:
            self.known = known
            names = tuple(frozenset(ids) for ids in (known.actors, known.topics, known.events))
            names += (frozenset(known.sources),)
            if names != self.names:
                self.names, self.version = names, self.version + 1
        return self.version


def _same_or(before: Event | None, now: Event) -> Event:
    return before if before is not None and before == now else now


def check_content(
    root: Path,
    store: Store,
    build_day: date,
    digests: dict[str, str] | None = None,
    memo: ContentMemo | None = None,
    scheduler: Scheduler | None = None,
) -> Validated:
    """Validate the site, taking the draft of every file whose digest (in `digests`, by path
    relative to `root`, as `inputs.scan_inputs` gives them) is the one a draft was kept for; the
    other files are read and made into drafts by the `scheduler`'s workers."""
    memo = memo or ContentMemo()
    files = memo.site_files(root, digests or {})
    problems = list(files.problems)
    drafts = _Drafts(root, store, digests or {}, memo, scheduler or Scheduler())
    entries = drafts.get_all(files.entries, read_entry)
    sources = drafts.get_all(files.sources, read_source)
    translations = drafts.get_all(files.translations, read_translation)
    for _draft, found in (*entries, *sources, *translations):
        problems += found
    drafts.forget_others()
    memo.checks.keep_only(drafts.seen)
    return validate_site(
        files.site,
        files.actors,
        files.topics,
        [draft for draft, _found in entries if draft is not None],
        [draft for draft, _found in sources if draft is not None],
        problems,
        today=build_day,
        check=memo.checks,
        translations=[draft for draft, _found in translations if draft is not None],
        source_types=files.source_types,
    )


class _Drafts:
    """Drafts by path, from memory or the store when the file's bytes are those they were made
    from."""

    def __init__(
        self,
        root: Path,
        store: Store,
        digests: dict[str, str],
        memo: ContentMemo,
        scheduler: Scheduler,
    ) -> None:
        self.root, self.store, self.digests = root, store, digests
        self.memo, self.kept = memo, memo.drafts
        self.scheduler = scheduler
        self.rows = store.table("drafts")
        self.seen: set[str] = set()

    def get_all(
        self, files: list[Path], make: Callable[[str, bytes], Any]
    ) -> list[tuple[Any, list[Problem]]]:
        """For each file, (its draft, or None when it cannot be read; problems of reading it)."""
        found = [self._known(file) for file in files]
        unknown = [file for file, draft in zip(files, found, strict=True) if draft is None]
        made = iter(
            list(self.scheduler.map(functools.partial(_made_draft, self.root, make), unknown))
        )
        results = []
        for draft in found:
            if draft is None:
                path, read, draft, text, problems = next(made)
                if draft is None:
                    results.append((None, problems))
                    continue
                # Kept by the digest of the bytes read (a file saved since the scan has new ones).
                self.store.put("drafts", path, (read, text))
                self.kept[path] = (read, draft)
            results.append((draft, []))
        return results

    def _known(self, file: Path) -> Any:
        """The file's draft when it is kept for its present bytes, else None."""
        relative, path = self.memo.path(self.root, file)
        digest = self.digests.get(relative)
        self.seen.add(path)
        known = self.kept.get(path)
        if digest and known is not None and known[0] == digest:
            return known[1]
        row = self.rows.get(path)
        if digest and row is not None and row[0] == digest:
            draft = draft_from_json(json.loads(row[1]))
            self.kept[path] = (digest, draft)
            return draft
        return None

    def forget_others(self) -> None:
        """Drop the drafts of files that are gone."""
        for path in [path for path in self.rows if path not in self.seen]:
            self.store.delete("drafts", path)
        for path in [path for path in self.kept if path not in self.seen]:
            del self.kept[path]
        paths = self.memo.paths
        for file in [file for file, (_relative, path) in paths.items() if path not in self.seen]:
            del paths[file]


def _made_draft(
    root: Path, make: Callable[[str, bytes], Any], file: Path
) -> tuple[str, str, Any, str, list[Problem]]:
    """(the file's path, the digest of its bytes, its draft and the draft as JSON; or None for
    both, with the problems of reading it)."""
    path, raw, problems = read_file(root, file)
    if raw is None:
        return path, "", None, "", problems
    draft = make(path, raw)
    text = json.dumps(draft_to_json(draft), ensure_ascii=False, separators=(",", ":"))
    return path, digest_of(raw), draft, text, []
