"""Drafts go to plain JSON data and back unchanged, for every file of every test site."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sitedrafts import drafted, make_any_site, site_params

from timeline.load.yamlstrict import Pos
from timeline.validate.drafts import (
    Dated,
    EntryDraft,
    Mention,
    SourceDraft,
    draft_from_json,
    draft_to_json,
)
from timeline.validate.files import read_entry, read_source


def _plain(value: Any) -> bool:
    """Only what JSON has: objects with text keys, lists, text, integers, booleans, null."""
    if isinstance(value, dict):
        return all(isinstance(key, str) and _plain(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    return value is None or isinstance(value, str | int | bool)


def _round_trip(draft: EntryDraft | SourceDraft) -> EntryDraft | SourceDraft:
    data = draft_to_json(draft)
    assert _plain(data), data
    return draft_from_json(json.loads(json.dumps(data)))


@pytest.mark.parametrize("which", site_params())
def test_every_draft_round_trips_through_json(which: tuple[str, str], tmp_path: Path) -> None:
    found = drafted(make_any_site(which, tmp_path))
    assert found.entries or found.sources
    for draft in [*found.entries, *found.sources]:
        assert _round_trip(draft) == draft, draft.path


ENTRY = b"""---
id: a-call
title: A call
date: 2023-12-10
end: 2023-12-11
summary: They spoke.
aliases: [old-call]
actors: [alpha, Bad]
related: [a-vote]
sources:
  - ref: wire
    quote: q
  - publisher: Paper
    note: n
---
Body.
"""


def test_the_json_of_an_entry_draft() -> None:
    draft = read_entry("content/events/2023/x.md", ENTRY)
    data = draft_to_json(draft)
    assert data["kind"] == "entry"
    assert data["path"] == "content/events/2023/x.md"
    assert data["id"] == ["a-call", ["id"], [2, 5]]
    assert data["aliases"] == [["old-call", ["aliases", 0], [7, 11]]]
    assert data["actors"] == [["alpha", ["actors", 0], [8, 10]]]  # `Bad` has its own error
    assert data["related"] == [["a-vote", ["related", 0], [9, 11]]]
    assert data["sources"] == [["wire", ["sources", 0, "ref"], [11, 10]]]
    assert data["dates"] == [["2023-12-10", ["date"], [4, 7]], ["2023-12-11", ["end"], [5, 6]]]
    assert data["title"] == [3, 8]
    assert [problem[3:5] for problem in data["problems"]] == [
        [
            "actors[1]",
            "must be lowercase letters, digits and single hyphens "
            "(like 2023-12-10-netanyahu-putin-call)",
        ]
    ]
    assert data["event"] is None  # the file has an error


def test_a_draft_without_error_holds_its_event_with_placeholders_for_the_register() -> None:
    draft = read_entry("content/events/2023/x.md", ENTRY.replace(b", Bad", b""))
    assert isinstance(draft, EntryDraft) and draft.problems == ()
    assert draft.event is not None
    registry, inline = draft.event.citations
    assert (registry.source.id, registry.source.publisher, registry.quote) == ("wire", "", "q")
    assert (inline.source.id, inline.source.publisher, inline.source.note) == ("", "Paper", "n")
    assert draft.id == Mention("a-call", ("id",), Pos(2, 5))
    assert draft.dates[0] == Dated(draft.event.date, ("date",), Pos(4, 7))
    assert _round_trip(draft) == draft


def test_the_json_of_a_source_draft() -> None:
    draft = read_source(
        "content/sources/wire.yaml",
        b"publisher: Wire\ntitle: T\ndate: 2023-12-10\ntype: press\nrepublishes: Reuters\n",
    )
    data = draft_to_json(draft)
    assert data == {
        "kind": "source",
        "path": "content/sources/wire.yaml",
        "problems": [],
        "record": {
            "publisher": "Wire",
            "title": "T",
            "url": "",
            "date": "2023-12-10",
            "language": "",
            "archived_url": "",
            "note": "",
            "id": "wire",
            "type": "press",
            "republishes": "Reuters",
        },
        "root": [1, 1],
        "type": [4, 7],
        "republishes": [5, 14],
    }
    assert _round_trip(draft) == draft


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "page"},
        {"kind": "source", "path": "p"},
        {"kind": "entry", "path": "p", "problems": [[1]]},
        {"kind": "source", "path": "p", "problems": [], "record": None, "root": [1]},
        {**draft_to_json(read_entry("content/events/x.md", ENTRY)), "dates": [["13", [], [1, 1]]]},
    ],
)
def test_what_is_not_a_draft_is_refused(data: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        draft_from_json(data)


def test_a_draft_holds_only_its_own_files_problems() -> None:
    other = read_entry("content/events/y.md", b"").problems
    with pytest.raises(ValueError):
        SourceDraft("content/sources/x.yaml", other)
