"""The record of changes: every committed version of every entry, and every entry removed,
newest first, as a page (`changes/`) and an Atom feed (`changes.xml`), the feed a newsroom
follows to learn of corrections.

Each change links to its version's page, where the diff against the version before it is shown;
a removed entry has no page left, so its change names it and links nowhere.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from timeline.assemble.timeline import REMOVED, PastVersion, Timeline
from timeline.render.cite import author_of
from timeline.render.exports import ATOM_NS, fallback_instant, utc_stamp, xml_element
from timeline.render.routes import version_path

CHANGES_PAGE = "changes/"
CHANGES_FEED = "changes.xml"
LABELS = {
    "added": "Added",
    "updated": "Updated",
    "corrected": "Corrected",
    "renamed": "Renamed",
    REMOVED: "Removed",
}


@dataclass(frozen=True)
class Change:
    kind: str  # what the commit did: added, updated, corrected, renamed, removed
    time: str  # the commit's time, RFC 3339 with its offset
    day: date
    title: str  # the entry's title in that version
    message: str  # the commit message's first line
    url: str  # the version's page (site path); "" for a removed entry
    file: str  # the entry's file in that version


def changes(timeline: Timeline) -> tuple[Change, ...]:
    """Every change, newest first (ties: by page address, for a stable order)."""
    found = [
        _change(past, version_path(event.id, past.version.number), event.title)
        for event in timeline.events
        for past in timeline.versions.get(event.id, ())
    ]
    found += [_change(past, "", past.version.path) for past in timeline.removed]
    return tuple(sorted(found, key=lambda c: (c.time, c.url, c.title), reverse=True))


def _change(past: PastVersion, url: str, fallback_title: str) -> Change:
    commit = past.version.commit
    title = past.event.title if past.event is not None else fallback_title
    return Change(
        past.kind, commit.time, commit.date, title, commit.message, url, past.version.path
    )


def changes_feed(timeline: Timeline, listed: tuple[Change, ...]) -> bytes:
    """Atom 1.0: each change an entry, its id the version's address (a removal's: a tag URI)."""
    site = timeline.site
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": site.language})
    xml_element(feed, "id", site.base_url + CHANGES_FEED)
    xml_element(feed, "title", f"Changes to {site.title}")
    xml_element(feed, "link", rel="alternate", type="text/html", href=site.base_url + CHANGES_PAGE)
    xml_element(
        feed, "link", rel="self", type="application/atom+xml", href=site.base_url + CHANGES_FEED
    )
    newest = listed[0].time if listed else utc_stamp(fallback_instant(timeline))
    xml_element(feed, "updated", newest)
    xml_element(xml_element(feed, "author"), "name", author_of(site))
    xml_element(feed, "generator", "timeline")
    for change in listed:
        entry = xml_element(feed, "entry")
        address = site.base_url + change.url if change.url else _removal_id(site.base_url, change)
        xml_element(entry, "id", address)
        xml_element(entry, "title", f"{LABELS[change.kind]}: {change.title}", type="text")
        if change.url:
            xml_element(entry, "link", rel="alternate", type="text/html", href=address + "#changes")
        xml_element(entry, "updated", change.time)
        xml_element(entry, "summary", change.message, type="text")
        xml_element(entry, "category", term=change.kind, label=LABELS[change.kind])
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _removal_id(base_url: str, change: Change) -> str:
    """A tag URI (RFC 4151) naming the removal: the removed entry has no address left."""
    host = base_url.split("//", 1)[-1].split("/", 1)[0]
    return f"tag:{host},{change.day.isoformat()}:removed:{quote(change.file)}"
