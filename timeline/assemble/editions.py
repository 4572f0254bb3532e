"""The site in its other languages: each edition's timeline, its entries in its language where a
translation gives them, and as written (marked so) where none does yet."""

from __future__ import annotations

import dataclasses

from timeline.assemble.timeline import Timeline, assemble
from timeline.model import Content, Edition, Event, Translation


def edition_timeline(content: Content, timeline: Timeline) -> Timeline:
    """The timeline of an edition's content (`edition_content`), beside the site's own
    `timeline`. An edition shows the living entries: their versions are the original's, on its
    pages."""
    return dataclasses.replace(
        assemble(content, None, timeline.epoch),
        updated=timeline.updated,  # when an entry last changed does not depend on the language
    )


def edition_content(content: Content, edition: Edition) -> Content:
    words = {t.event_id: t for t in content.translations if t.language == edition.language}
    site = dataclasses.replace(
        content.site,
        title=edition.title,
        description=edition.description,
        language=edition.language,
        base_url=content.site.base_url + edition.path,
        path=edition.path,
    )
    events = tuple(
        _translated(event, words[event.id])
        if event.id in words
        else dataclasses.replace(event, text_language=content.site.language)
        for event in content.events
    )
    return dataclasses.replace(content, site=site, events=events, translations=())


def _translated(event: Event, words: Translation) -> Event:
    """The entry in the translation's words; what the translation leaves out stays as written."""
    return dataclasses.replace(
        event,
        title=words.title,
        summary=words.summary,
        body=words.body or event.body,
        disputed=words.disputed or event.disputed,
        date_note=words.date_note or event.date_note,
        location=words.location or event.location,
        quote_translations=_quotes(event, words.quotes),
    )


def _quotes(event: Event, ours: tuple[str, ...]) -> tuple[str, ...]:
    """Our translation of each citation's quote, in the citations' order ("" where none)."""
    if not ours:
        return ()
    given = iter(ours)
    return tuple(next(given, "") if citation.quote else "" for citation in event.citations)
