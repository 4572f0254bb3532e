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
from timeline.render.search import SearchRecord, search_record, search_shards
from timeline.write.output import Indexer, link_tree
from timeline.write.search import write_shards

# Every shard bundle has it (a folder of the output's index without it is not a shard).
SHARD_MARK = "pagefind-entry.json"


@dataclass(frozen=True)
class SearchShards:
    """The index a timeline asks for: each shard's entries and fingerprint."""

    timeline: Timeline
    events: dict[str, tuple[Event, ...]]
    prints: dict[str, str]

    def records(self, name: str) -> Callable[[], list[SearchRecord]]:
        return lambda: [search_record(event, self.timeline) for event in self.events[name]]


def search_shards_of(timeline: Timeline, prints: Fingerprints) -> SearchShards:
    events = search_shards(timeline)
    terms = (CODE, timeline.site.language, timeline.actors, timeline.topics)
    return SearchShards(
        timeline, events, {name: prints.of(*terms, shard) for name, shard in events.items()}
    )


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
        whole = previous is not None and {p.name for p in previous.iterdir()} == set(kept)
        if whole and kept == set(shards.prints):
            return  # the output's index is this build's
        into.mkdir(parents=True)
        for name in sorted(kept):
            link_tree(previous / name, into / name)  # type: ignore[operator]
        wanted = {name: shards.records(name) for name in shards.events if name not in kept}
        if wanted:  # else shards were only removed: Pagefind has nothing to do
            progress(f"indexing {len(wanted)} of {len(shards.events)} search shards")
            write_shards(wanted, shards.timeline.site.language, into, background=background)

    return index


def _kept_shards(shards: SearchShards, made_for: dict[str, str], previous: Path | None) -> set[str]:
    if previous is None:
        return set()
    return {
        name
        for name, stamp in shards.prints.items()
        if made_for.get(name) == stamp and (previous / name / SHARD_MARK).is_file()
    }
