"""Events and source records go to plain JSON data and back unchanged."""

from __future__ import annotations

import json
from datetime import date

from conftest import SITES

from timeline.dates import parse_date
from timeline.load.files import load_site
from timeline.model import (
    Citation,
    Correction,
    Event,
    SourceRecord,
    event_from_json,
    event_to_json,
    source_from_json,
    source_to_json,
)
from timeline.validate.checks import validate


def _through_json(value: object) -> object:
    return json.loads(json.dumps(value))


def test_the_events_and_sources_of_a_site_round_trip() -> None:
    content = validate(load_site(SITES / "minimal"), today=date(2026, 1, 1)).content
    assert content is not None
    for event in content.events:
        assert event_from_json(_through_json(event_to_json(event))) == event
    for record in content.sources.values():
        assert source_from_json(_through_json(source_to_json(record))) == record


def test_every_field_of_an_event_round_trips() -> None:
    record = SourceRecord("P", "T", "https://e.org/", parse_date("2023-12"), "en", "", "n", "p")
    event = Event(
        id="x",
        title="T",
        date=parse_date("2023-12-10T14:30+02:00"),
        summary="S",
        citations=(Citation(record, "q", "n"), Citation(SourceRecord("Q"))),
        file="content/events/x.md",
        end=parse_date("2023-12-11~"),
        date_note="d",
        body="B",
        actors=("a",),
        topics=("t",),
        location="L",
        disputed=("one", "two"),
        related=("y",),
        aliases=("old",),
        corrections=(Correction(parse_date("2024-01-01"), "c"),),
        updated=parse_date("2024?"),
    )
    data = event_to_json(event)
    assert data["date"] == "2023-12-10T14:30+02:00"
    assert data["actors"] == ["a"]
    assert event_from_json(_through_json(data)) == event
