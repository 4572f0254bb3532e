"""The URL contract: which site path each thing of the chronology lives at.

URLs here are site paths without a leading slash ("events/<id>/"); each page is written to
`<path>index.html`. Templates turn a site path into a link relative to the current page, so the
site works under any sub-path and from a plain static server.
"""

from __future__ import annotations

from timeline.documents import document_slug


def event_path(event_id: str) -> str:
    return f"events/{event_id}/"


def permalink(base_url: str, event_id: str) -> str:
    """An entry's address for good: what citations, feeds and exports give."""
    return base_url + event_path(event_id)


def document_path(symbol: str) -> str:
    """A UN document's page: the entries that concern it."""
    return f"documents/{document_slug(symbol)}/"


def version_path(event_id: str, number: int) -> str:
    """A committed version of an entry: immutable once published."""
    return f"events/{event_id}/v/{number}/"


def year_path(year: int) -> str:
    return f"years/{year}/"


def view_path(year: int | None = None, lanes: str = "actor") -> str:
    """The timeline view, of the whole chronology or of one year, with lanes by actor (the
    default) or by topic."""
    path = "timeline/" if year is None else f"timeline/{year}/"
    return path if lanes == "actor" else f"{path}topics/"


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
