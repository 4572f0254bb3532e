"""Which pages exist, at which URL, rendered by which template: the URL contract.

URLs here are site paths without a leading slash ("events/<id>/"); each page is written to
`<path>index.html`. Templates turn a site path into a link relative to the current page, so the
site works under any sub-path and from a plain static server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from timeline.assemble.timeline import Timeline
from timeline.render.activity import activity

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
    """Link from the page at site path `from_url` ("" for the root, "events/<id>/", "404.html")
    to site path `target` ("", "#years", "years/2023/#month-10", "static/style.css").

    The link climbs to the root and goes down again ("../../years/2023/"), rather than taking the
    shortest way: it is just as relative (the site works under any sub-path and from a plain
    static server) and costs one string join, which counts at tens of thousands of links.
    """
    prefix = "../" * from_url.count("/")
    if target == "" or target.startswith("#"):
        return (prefix or "./") + target
    return prefix + target


@dataclass
class Page:
    url: str  # site path: "" for the landing page, "events/<id>/", or a file name like "404.html"
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    listed: bool = True  # in the sitemap (not 404, redirects or embed cards)
    # Everything the page shows beyond `context` and the site settings, for incremental builds:
    # a page whose inputs (and templates) are unchanged is not rendered again.
    inputs: Any = None

    @property
    def output_path(self) -> str:
        return self.url + "index.html" if self.url == "" or self.url.endswith("/") else self.url


def site_pages(timeline: Timeline) -> list[Page]:
    latest = tuple(reversed(timeline.events[-LATEST_ON_LANDING:]))
    with_events = (
        tuple(a for a in timeline.actors.values() if timeline.by_actor[a.id]),
        tuple(t for t in timeline.topics.values() if timeline.by_topic[t.id]),
    )
    year_counts = tuple((y.year, len(y.events)) for y in timeline.years)
    span = (timeline.events[0].date, timeline.events[-1].date) if timeline.events else ()
    pages = [
        Page(
            "",
            "index.html",
            {"latest": latest, "activity": activity(timeline)},
            inputs=(with_events, year_counts, span, len(timeline.events), len(timeline.sources)),
        ),
        Page("404.html", "404.html", {"absolute_links": True}, listed=False),
        Page("events/", "events.html", {}, inputs=timeline.events),
        Page(
            "actors/",
            "terms.html",
            {"kind": "actor", "terms": timeline.actors},
            inputs=tuple(len(v) for v in timeline.by_actor.values()),
        ),
        Page(
            "topics/",
            "terms.html",
            {"kind": "topic", "terms": timeline.topics},
            inputs=tuple(len(v) for v in timeline.by_topic.values()),
        ),
        Page(
            "sources/",
            "sources.html",
            {},
            inputs=(timeline.sources, tuple(len(v) for v in timeline.by_source.values())),
        ),
        Page("search/", "search.html", {}, inputs=(with_events, year_counts)),
    ]
    for event in timeline.events:
        pages.append(
            Page(
                event_path(event.id),
                "event.html",
                {"event": event},
                inputs=_event_inputs(timeline, event),
            )
        )
        pages.append(Page(embed_path(event.id), "embed.html", {"event": event}, listed=False))
        for alias in event.aliases:
            pages.append(Page(event_path(alias), "redirect.html", {"event": event}, listed=False))
    for year in timeline.years:
        pages.append(Page(year_path(year.year), "year.html", {"year": year}, inputs=year_counts))
    for kind, terms, index, path in (
        ("actor", timeline.actors, timeline.by_actor, actor_path),
        ("topic", timeline.topics, timeline.by_topic, topic_path),
    ):
        for term in terms.values():
            context = {"kind": kind, "term": term, "events": index[term.id]}
            pages.append(Page(path(term.id), "term.html", context))
    for source_id, source in timeline.sources.items():
        events = timeline.by_source[source_id]
        pages.append(
            Page(source_path(source_id), "source.html", {"source": source, "events": events})
        )
    return pages


def _event_inputs(timeline: Timeline, event: Any) -> tuple[Any, ...]:
    """What an event page shows besides the event itself."""

    def neighbour(other: Any) -> tuple[str, str] | None:
        return (other.id, other.title) if other is not None else None

    return (
        timeline.related[event.id],
        neighbour(timeline.previous[event.id]),
        neighbour(timeline.next[event.id]),
        tuple(timeline.actors[a] for a in event.actors),
        tuple(timeline.topics[t] for t in event.topics),
        timeline.history[event.id],
        timeline.updated[event.id],
    )
