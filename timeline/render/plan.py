"""The plan of a site: every file it has, and everything each needs to be made.

A job's context is complete: what a page of the default theme shows comes from its context, and
a template that reads more (a site's own override, say) reads it through `timeline`, which the
engine watches. Planning reads the timeline once; making a file reads only its job.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline.assemble.timeline import PastVersion, Timeline
from timeline.render.activity import activity
from timeline.render.changes import CHANGES_FEED, CHANGES_PAGE, changes
from timeline.render.exports import EXPORT_FILES, FEED_SIZE, SITEMAP
from timeline.render.language import Language
from timeline.render.routes import (
    actor_path,
    document_path,
    embed_path,
    event_path,
    oembed_path,
    source_path,
    topic_path,
    version_path,
    year_path,
)
from timeline.render.search import search_shards
from timeline.render.theme import Theme
from timeline.render.view import views

LATEST_ON_LANDING = 12
CHANGES_SHOWN = 1000  # the latest, on the changes page (each entry's page lists all its own)


@dataclass(frozen=True)
class Page:
    """A page rendered through a template of the theme."""

    url: str  # edition path: "" for the landing page, "events/<id>/", a file name like "404.html"
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    listed: bool = True  # in the sitemap (not 404, redirects or embed cards)
    edition: str = ""  # the path of the page's language under the site's root: "", "he/"

    @property
    def path(self) -> str:
        """The file's path in the output."""
        own = self.url + "index.html" if self.url == "" or self.url.endswith("/") else self.url
        return self.edition + own


@dataclass(frozen=True)
class DataFile:
    """A file made by a function of `render.files` (an export, an oEmbed answer)."""

    own_path: str  # in its edition
    maker: str
    context: dict[str, Any] = field(default_factory=dict)
    edition: str = ""

    @property
    def path(self) -> str:
        return self.edition + self.own_path


@dataclass(frozen=True)
class StaticFile:
    """A file of the theme's `static/` folders, copied as it is."""

    path: str
    source: Path


Job = Page | DataFile | StaticFile


def plan(timeline: Timeline, theme: Theme, language: Language) -> list[Job]:
    """Every file of the site, pages first, in a stable order; of an edition (the site in one
    of its other languages, `timeline.site.path`), every file but those all editions share."""
    jobs = _site_plan(timeline, theme, language)
    edition = timeline.site.path
    if not edition:
        return jobs
    return [
        dataclasses.replace(job, edition=edition)
        for job in jobs
        if not isinstance(job, StaticFile) and job.path not in SHARED_PAGES
    ]


# Served from the site's root whatever the language: the static files, the 404 page and
# robots.txt (which names every language's sitemap).
SHARED_PAGES = ("404.html", "robots.txt")


def _site_plan(timeline: Timeline, theme: Theme, language: Language) -> list[Job]:
    recorded_changes = changes(timeline)  # none without history: no page, no feed
    pages = site_pages(timeline, language)
    if recorded_changes:
        shown = recorded_changes[:CHANGES_SHOWN]
        complete = len(shown) == len(recorded_changes)
        pages.append(Page(CHANGES_PAGE, "changes.html", {"changes": shown, "complete": complete}))
    listed = tuple(page.url for page in pages if page.listed)
    data = [DataFile(oembed_path(e.id), "oembed", {"event": e}) for e in timeline.events]
    # Only the sitemap lists the pages: the other exports have nothing but the timeline to read.
    data += [
        DataFile(path, path, {"listed": listed} if path == SITEMAP else {}) for path in EXPORT_FILES
    ]
    if recorded_changes:
        data.append(DataFile(CHANGES_FEED, CHANGES_FEED, {"changes": recorded_changes[:FEED_SIZE]}))
    static = [StaticFile(path, source) for path, source in theme.static_files().items()]
    return [*pages, *data, *static]


def site_pages(timeline: Timeline, language: Language) -> list[Page]:
    return [
        *_index_pages(timeline, language),
        *(page for event in timeline.events for page in _event_pages(timeline, event)),
        *_year_pages(timeline),
        *(Page(view.path, "view.html", {"view": view}) for view in views(timeline, language)),
        *_term_pages(timeline),
        *(
            Page(source_path(key), "source.html", {"source": source, "events": events})
            for key, source in timeline.sources.items()
            for events in [timeline.by_source[key]]
        ),
        *([Page("documents/", "documents.html")] if timeline.documents else []),
        *(
            Page(document_path(symbol), "document.html", {"symbol": symbol, "events": events})
            for symbol, events in timeline.documents.items()
        ),
    ]


def _index_pages(timeline: Timeline, language: Language) -> list[Page]:
    latest = tuple(reversed(timeline.events[-LATEST_ON_LANDING:]))
    return [
        Page("", "index.html", {"latest": latest, "activity": activity(timeline, language.rtl)}),
        Page("404.html", "404.html", {"absolute_links": True}, listed=False),
        Page("events/", "events.html"),
        Page("actors/", "terms.html", {"kind": "actor", "terms": timeline.actors}),
        Page("topics/", "terms.html", {"kind": "topic", "terms": timeline.topics}),
        Page("sources/", "sources.html"),
        Page("search/", "search.html", {"shards": tuple(search_shards(timeline))}),
    ]


def _event_pages(timeline: Timeline, event: Any) -> list[Page]:
    versions = timeline.versions.get(event.id, ())
    # The page shows a committed version when its file is that version's (not edited since).
    shown = versions[-1] if versions and versions[-1].event == event else None
    context = {"event": event, "versions": versions, "this_version": shown}
    pages = [
        Page(event_path(event.id), "event.html", context),
        Page(embed_path(event.id), "embed.html", {"event": event}, listed=False),
    ]
    pages += [_version_page(event.id, versions, index) for index in range(len(versions))]
    moved = [(event_path(alias), event_path(event.id)) for alias in event.aliases]
    moved += [
        (version_path(alias, past.version.number), version_path(event.id, past.version.number))
        for alias in event.aliases
        for past in versions
    ]
    pages += [
        Page(old, "redirect.html", {"title": event.title, "target": new}, listed=False)
        for old, new in moved
    ]
    return pages


def _version_page(event_id: str, versions: tuple[PastVersion, ...], index: int) -> Page:
    """A version's page holds only what it shows, none of the living entry's, so that it is
    made once and kept however the entry changes later."""
    past = versions[index]
    earlier = versions[index - 1] if index else None
    context = {"event_id": event_id, "past": past, "earlier": earlier}
    return Page(version_path(event_id, past.version.number), "version.html", context, listed=False)


def _year_pages(timeline: Timeline) -> list[Page]:
    numbers = [year.year for year in timeline.years]
    return [
        Page(
            year_path(year.year),
            "year.html",
            {
                "year": year,
                "earlier": year.year - 1 if year.year - 1 in numbers else None,
                "later": year.year + 1 if year.year + 1 in numbers else None,
            },
        )
        for year in timeline.years
    ]


def _term_pages(timeline: Timeline) -> list[Page]:
    return [
        Page(path(term.id), "term.html", {"kind": kind, "term": term, "events": index[term.id]})
        for kind, terms, index, path in (
            ("actor", timeline.actors, timeline.by_actor, actor_path),
            ("topic", timeline.topics, timeline.by_topic, topic_path),
        )
        for term in terms.values()
    ]
