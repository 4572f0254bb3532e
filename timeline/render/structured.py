"""Machine-readable descriptions of an event page: JSON-LD and oEmbed.

JSON-LD uses schema.org's `Article` (the entry is a dated, sourced piece of writing, and
`Article` is what takes `citation`, `dateModified` and `isPartOf`), `about` an `Event` (what
happened, with its own start and end). Sources are `citation`s, each a `CreativeWork` with its
publisher, headline, address and date. The template writes it with Jinja's `tojson`, which
escapes `<`, `>` and `&`, so no value can end the `<script>` element.
"""

from __future__ import annotations

import html
from typing import Any

from timeline.assemble.timeline import Timeline
from timeline.model import Event
from timeline.render.cite import author_of
from timeline.render.routes import embed_path, event_path

EMBED_WIDTH = 560
EMBED_HEIGHT = 300


def event_jsonld(timeline: Timeline, event: Event) -> dict[str, Any]:
    site = timeline.site
    url = site.base_url + event_path(event.id)
    about: dict[str, Any] = {
        "@type": "Event",
        "name": event.title,
        "startDate": event.date.iso,
    }
    if event.end is not None:
        about["endDate"] = event.end.iso
    if event.location:
        about["location"] = {"@type": "Place", "name": event.location}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": event.title,
        "description": event.summary,
        "inLanguage": site.language,
        "isPartOf": {"@type": "WebSite", "name": site.title, "url": site.base_url},
        "publisher": {"@type": "Organization", "name": author_of(site)},
        "about": about,
        "keywords": [timeline.topics[t].name for t in event.topics],
        "mentions": [{"@type": "Thing", "name": timeline.actors[a].name} for a in event.actors],
        "citation": [_citation(c.source) for c in event.citations],
    }
    updated = timeline.updated.get(event.id)
    if updated is not None:
        data["dateModified"] = updated.iso
    return data


def _citation(source: Any) -> dict[str, Any]:
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "publisher": {"@type": "Organization", "name": source.publisher},
    }
    if source.title:
        work["headline"] = source.title
    if source.url:
        work["url"] = source.url
    if source.date is not None:
        work["datePublished"] = source.date.iso
    if source.language:
        work["inLanguage"] = source.language
    return work


def embed_snippet(timeline: Timeline, event: Event) -> str:
    src = html.escape(timeline.site.base_url + embed_path(event.id), quote=True)
    title = html.escape(event.title, quote=True)
    return (
        f'<iframe src="{src}" width="{EMBED_WIDTH}" height="{EMBED_HEIGHT}" '
        f'title="{title}" loading="lazy" style="border:0;max-width:100%"></iframe>'
    )


def oembed(timeline: Timeline, event: Event) -> dict[str, Any]:
    """The oEmbed 1.0 response for one permalink (type "rich": an iframe of the embed card)."""
    site = timeline.site
    return {
        "version": "1.0",
        "type": "rich",
        "title": event.title,
        "author_name": author_of(site),
        "provider_name": site.title,
        "provider_url": site.base_url,
        "html": embed_snippet(timeline, event),
        "width": EMBED_WIDTH,
        "height": EMBED_HEIGHT,
        "cache_age": 86400,
    }
