"""The search index, shard by shard: which shards a build must index again, and the indexing.

A shard's fingerprint covers what its records are made of (its entries whole, the names of the
actors and topics, the site's language, the code): a shard whose fingerprint is the one its
index in the output was made for is kept (hard links), any other is indexed again. An edit thus
re-indexes the shard of its year, and a build that changes no entry re-indexes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from timeline.assemble.timeline import Timeline
from timeline.engine.fingerprint import CODE, Fingerprints
from timeline.model import Event
from timeline.render.language import DATE_MESSAGES, Language
from timeline.render.search import SearchRecord, search_record, search_shards
from timeline.write.output import Indexer, link_tree
from timeline.write.search import write_shards

# Every shard bundle has it (a folder of the output's index without it is not a shard).
SHARD_MARK = "pagefind-entry.json"


@dataclass(frozen=True)
class SearchShards:
    """The index a build asks for: each shard's entries, edition and fingerprint. A shard is a
    year of one language: "2023" of the site's own, "he/2023" of its Hebrew edition."""

    events: dict[str, tuple[Event, ...]]
    editions: dict[str, tuple[Timeline, Language]]
    prints: dict[str, str]

    def records(self, name: str) -> tuple[str, Callable[[], list[SearchRecord]]]:
        """The shard's language, and its records (made when asked)."""
        timeline, language = self.editions[name]
        return language.code, lambda: [
            search_record(event, timeline, language) for event in self.events[name]
        ]


def search_shards_of(
    editions: list[tuple[Timeline, Language]], prints: Fingerprints
) -> SearchShards:
    events, owners, stamps = {}, {}, {}
    for timeline, language in editions:
        # What a record is made of beyond its entry: the names of the actors, topics and kinds
        # of source, the language and its catalogue's words ("c.", "(uncertain)", a built-in
        # kind's name).
        terms = (CODE, language.code, _words(timeline, language), timeline.actors, timeline.topics)
        for year, shard in search_shards(timeline).items():
            name = timeline.site.path + year
            events[name], owners[name] = shard, (timeline, language)
            stamps[name] = prints.of(*terms, shard)
    return SearchShards(events, owners, stamps)


def _words(timeline: Timeline, language: Language) -> tuple[str, ...]:
    dates = (language.gettext(message) for message in DATE_MESSAGES)
    kinds = (language.term_name(kind) for kind in timeline.source_types.values())
    return (*dates, *kinds)


def search_indexer(
    shards: SearchShards,
    made_for: dict[str, str],
    progress: Callable[[str], None],
    *,
    background: bool = False,
) -> Indexer:
    """The write stage's search step: `made_for` holds the fingerprints the output's index was
    made for."""

    def index(into: Path, previous: Path | None) -> None:
        kept = _kept_shards(shards, made_for, previous)
        whole = previous is not None and _shard_names(previous) == kept
        if whole and kept == set(shards.prints):
            return  # the output's index is this build's
        into.mkdir(parents=True)
        for name in sorted(kept):
            (into / name).parent.mkdir(parents=True, exist_ok=True)  # an edition's folder
            link_tree(previous / name, into / name)  # type: ignore[operator]
        wanted = {name: shards.records(name) for name in shards.events if name not in kept}
        if wanted:  # else shards were only removed: Pagefind has nothing to do
            progress(f"indexing {len(wanted)} of {len(shards.events)} search shards")
            write_shards(wanted, into, background=background)

    return index


def _shard_names(index: Path) -> set[str]:
    """The shards an index folder holds: "2023", and an edition's "he/2023"."""
    names = set()
    for folder in (p for p in index.iterdir() if p.is_dir()):
        if (folder / SHARD_MARK).is_file():
            names.add(folder.name)
        else:
            names |= {f"{folder.name}/{p.name}" for p in folder.iterdir() if p.is_dir()}
    return names


def _kept_shards(shards: SearchShards, made_for: dict[str, str], previous: Path | None) -> set[str]:
    if previous is None:
        return set()
    return {
        name
        for name, stamp in shards.prints.items()
        if made_for.get(name) == stamp and (previous / name / SHARD_MARK).is_file()
    }
