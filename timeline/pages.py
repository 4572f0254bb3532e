"""Which pages exist, at which URL, rendered by which template: the URL contract.

URLs here are site paths without a leading slash ("events/<id>/"); each page is written to
`<path>index.html`. Templates turn a site path into a link relative to the current page, so the
site works under any sub-path and from a plain static server.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

from .activity import activity
from .assemble import Timeline

LATEST_ON_LANDING = 12


def event_path(event_id: str) -> str:
    return f"events/{event_id}/"


def year_path(year: int) -> str:
    return f"years/{year}/"


def actor_path(actor_id: str) -> str:
    return f"actors/{actor_id}/"


def topic_path(topic_id: str) -> str:
    return f"topics/{topic_id}/"


def source_path(source_id: str) -> str:
    return f"sources/{source_id}/"


def embed_path(event_id: str) -> str:
    return f"embed/{event_id}/"


def oembed_path(event_id: str) -> str:
    return f"events/{event_id}/oembed.json"


def month_anchor(month: int) -> str:
    return f"month-{month:02d}"


def relative_url(from_url: str, target: str) -> str:
    """Link from the page at site path `from_url` (a folder, "" for the root) to `target`."""
    base = from_url.rstrip("/") or "."
    target_path, hash_, fragment = target.partition("#")
    if target_path in ("", "/"):
        rel = posixpath.relpath(".", base)
        rel = "./" if rel == "." else rel + "/"
    else:
        rel = posixpath.relpath(target_path.rstrip("/"), base)
        if target_path.endswith("/"):
            rel = "./" if rel == "." else rel + "/"
    return rel + hash_ + fragment


@dataclass
class Page:
    url: str  # site path: "" for the landing page, "events/<id>/", or a file name like "404.html"
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    listed: bool = True  # in the sitemap (not 404, redirects or embed cards)

    @property
    def output_path(self) -> str:
        return self.url + "index.html" if self.url == "" or self.url.endswith("/") else self.url


def site_pages(timeline: Timeline) -> list[Page]:
    latest = tuple(reversed(timeline.events[-LATEST_ON_LANDING:]))
    pages = [
        Page("", "index.html", {"latest": latest, "activity": activity(timeline)}),
        Page("404.html", "404.html", {"absolute_links": True}, listed=False),
        Page("events/", "events.html", {}),
        Page("actors/", "terms.html", {"kind": "actor", "terms": timeline.actors}),
        Page("topics/", "terms.html", {"kind": "topic", "terms": timeline.topics}),
        Page("sources/", "sources.html", {}),
        Page("search/", "search.html", {}),
    ]
    for event in timeline.events:
        pages.append(Page(event_path(event.id), "event.html", {"event": event}))
        pages.append(Page(embed_path(event.id), "embed.html", {"event": event}, listed=False))
        for alias in event.aliases:
            pages.append(Page(event_path(alias), "redirect.html", {"event": event}, listed=False))
    for year in timeline.years:
        pages.append(Page(year_path(year.year), "year.html", {"year": year}))
    for actor in timeline.actors.values():
        events = timeline.by_actor[actor.id]
        pages.append(
            Page(
                actor_path(actor.id),
                "term.html",
                {"kind": "actor", "term": actor, "events": events},
            )
        )
    for topic in timeline.topics.values():
        events = timeline.by_topic[topic.id]
        pages.append(
            Page(
                topic_path(topic.id),
                "term.html",
                {"kind": "topic", "term": topic, "events": events},
            )
        )
    for source_id, source in timeline.sources.items():
        events = timeline.by_source[source_id]
        pages.append(
            Page(source_path(source_id), "source.html", {"source": source, "events": events})
        )
    return pages
