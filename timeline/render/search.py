"""What the search index holds: one record per entry, made from the data, in shards by year.

Each entry's record carries the text a reader searches (the words of its page's article: title,
date, place, summary, body, disagreements, actors, topics and sources), the filters of the
search page (`actor`, `topic`, `year`), the `date` sort key and the metadata a result shows
(`title`, `date`, `summary`). The index is made in shards, one per year (`shard_of`): the
browser merges them (Pagefind's `mergeIndex`), so indexing holds one shard at a time whatever
the size of the site, and an edit re-indexes the shard of its year only.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from timeline.assemble.timeline import Timeline
from timeline.model import Event
from timeline.render.language import Language
from timeline.render.markdown import render_markdown
from timeline.render.routes import event_path

_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class SearchRecord:
    url: str  # an edition path with a leading slash; the search page prefixes the edition's
    content: str
    meta: dict[str, str]
    filters: dict[str, list[str]]
    sort: dict[str, str]


def shard_of(event: Event) -> str:
    """The index shard an entry belongs to: its year."""
    return str(event.date.year)


def search_shards(timeline: Timeline) -> dict[str, tuple[Event, ...]]:
    """The entries of each shard, shards in chronological order (as the search page merges
    them), entries in the timeline's order."""
    shards: dict[str, list[Event]] = {}
    for event in timeline.events:
        shards.setdefault(shard_of(event), []).append(event)
    return {name: tuple(events) for name, events in shards.items()}


def search_record(event: Event, timeline: Timeline, language: Language) -> SearchRecord:
    actors = [timeline.actors[a].name for a in event.actors if a in timeline.actors]
    topics = [timeline.topics[t].name for t in event.topics if t in timeline.topics]
    kinds = {c.source.type for c in event.citations if c.source.type in timeline.source_types}
    types = [language.term_name(timeline.source_types[k]) for k in sorted(kinds)]
    shown_date = language.date_range(event.date, event.end)
    return SearchRecord(
        url="/" + event_path(event.id),
        content=_text(event, shown_date, actors, topics),
        meta={"title": event.title, "date": shown_date, "summary": event.summary},
        filters={
            "actor": actors,
            "topic": topics,
            "year": [str(event.date.year)],
            "type": types,
        },
        sort={"date": event.date.start.isoformat()},
    )


def _text(event: Event, shown_date: str, actors: list[str], topics: list[str]) -> str:
    """The words of the entry's article, as a reader sees them (the body without its markup)."""
    parts = [shown_date, event.location, event.title, event.summary, event.date_note]
    parts += event.disputed
    if event.body:
        parts.append(html.unescape(_TAG.sub(" ", render_markdown(event.body))))
    parts += actors + topics
    for citation in event.citations:
        source = citation.source
        parts += [source.publisher, source.title, source.note, citation.note, citation.quote]
    return "\n".join(part for part in parts if part)
