"""The per-file stage: a draft depends on nothing but its file's path and bytes."""

from __future__ import annotations

import builtins
import io
import os
import pathlib
from datetime import date
from pathlib import Path

import pytest
from conftest import SITES
from sitedrafts import SITE_NAMES, drafted, make_named_site

from timeline.load.files import load_site
from timeline.validate.across import validate_site
from timeline.validate.files import entry_draft, read_entry, read_source, source_draft

MINIMAL = SITES / "minimal"
FIRST_CALL = "content/events/2023/2023-10-16-first-call.md"


@pytest.mark.parametrize("name", SITE_NAMES)
def test_reading_bytes_gives_the_draft_of_the_loaded_document(name: str, tmp_path: Path) -> None:
    """`read_entry` and `read_source` are loading then `entry_draft` and `source_draft`."""
    root = make_named_site(name, tmp_path)
    found = drafted(root)
    loaded = found.loaded
    own = {p.file for p in loaded.problems}
    by_path = {draft.path: draft for draft in [*found.entries, *found.sources]}
    for doc in loaded.events:
        problems = [p for p in loaded.problems if p.file == doc.path]
        assert entry_draft(doc.path, doc, problems) == by_path[doc.path]
    for doc in loaded.sources:
        problems = [p for p in loaded.problems if p.file == doc.path]
        assert source_draft(doc.path, doc, problems) == by_path[doc.path]
    # A file that gave no document: its draft holds what loading reported, and nothing else.
    parsed = {doc.path for doc in [*loaded.events, *loaded.sources]}
    for path, draft in by_path.items():
        if path not in parsed:
            assert path in own
            assert draft.problems == tuple(p for p in loaded.problems if p.file == path)
            assert draft == type(draft)(path, draft.problems)


FUTURE = b"""title: Later
date: 2030-01-01
summary: S.
sources:
  - publisher: P
    note: N
"""


def test_a_draft_does_not_depend_on_the_build_day() -> None:
    draft = read_entry("content/events/2030/later.yaml", FUTURE)
    assert draft.problems == ()  # a date after the build day is for the across-files stage
    assert draft.event is not None
    assert [(d.date.text, d.field) for d in draft.dates] == [("2030-01-01", ("date",))]
    site = load_site(MINIMAL)

    def problems_on(day: date) -> list[str]:
        checked = validate_site(site.site, site.actors, site.topics, [draft], [], [], today=day)
        return [p.message for p in checked.problems if p.file == draft.path]

    assert problems_on(date(2031, 1, 1)) == []
    assert problems_on(date(2029, 12, 31)) == ["`2030-01-01` is after the build day (2029-12-31)"]


class _NoFiles(Exception):
    pass


def _refuse(*args: object, **kwargs: object) -> None:
    raise _NoFiles(args)


def test_a_draft_reads_no_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Drafting one file touches no other: not the vocabularies, the register or the entries it
    names (the draft is the same with the file alone in an empty folder, every file shut)."""
    raw = (MINIMAL / FIRST_CALL).read_bytes()
    source = (MINIMAL / "content/sources/wire-report.yaml").read_bytes()
    in_site = {d.path: d for d in [*drafted(MINIMAL).entries, *drafted(MINIMAL).sources]}
    # The schemas are read once per process, from the package: read them before shutting files.
    read_entry("content/events/x.yaml", b"title: [1]\n")
    read_source("content/sources/x.yaml", b"title: [1]\n")
    monkeypatch.chdir(tmp_path)
    for module, name in [
        (builtins, "open"),
        (io, "open"),
        (os, "open"),
        (os, "stat"),
        (os, "listdir"),
        (os, "scandir"),
        (pathlib.Path, "read_bytes"),
        (pathlib.Path, "read_text"),
        (pathlib.Path, "exists"),
        (pathlib.Path, "iterdir"),
    ]:
        monkeypatch.setattr(module, name, _refuse)
    alone = read_entry(FIRST_CALL, raw)
    alone_source = read_source("content/sources/wire-report.yaml", source)
    monkeypatch.undo()
    assert alone == in_site[FIRST_CALL]
    assert alone_source == in_site["content/sources/wire-report.yaml"]
    assert [m.id for m in alone.related] == ["2023-11-vote"]  # named, not looked up


def test_an_entry_draft_holds_what_the_across_stage_needs() -> None:
    draft = read_entry(FIRST_CALL, (MINIMAL / FIRST_CALL).read_bytes())
    assert draft.problems == ()
    assert draft.id is not None and (draft.id.id, draft.id.field) == ("2023-10-16-first-call", ())
    assert [(m.id, m.field, m.pos.line) for m in draft.actors] == [
        ("alpha", ("actors", 0), 5),
        ("beta", ("actors", 1), 5),
    ]
    assert [(m.id, m.field) for m in draft.topics] == [("talks", ("topics", 0))]
    assert [(m.id, m.field) for m in draft.sources] == [("wire-report", ("sources", 0, "ref"))]
    assert draft.title.line == 2
    assert draft.event is not None
    assert [c.source.id for c in draft.event.citations] == ["wire-report", ""]


def test_a_reference_with_an_error_of_its_own_is_not_handed_on() -> None:
    raw = b"title: T\ndate: 2023-01-01\nsummary: S.\nrelated: [Bad, x, A b]\nactors: yes\n"
    draft = read_entry("content/events/x.yaml", raw + b"sources:\n  - ref: BAD\n")
    assert [(m.id, m.field) for m in draft.related] == [("x", ("related", 1))]
    # The same file names itself in `related`: numbered among the usable references.
    assert ("related[0]", "an event cannot be related to itself") in [
        (p.field, p.message) for p in draft.problems
    ]
    assert draft.actors == ()
    assert draft.sources == ()
    assert draft.event is None


SPANS = b"""---
title: A call
date: 2023-10-16
summary: They talk.
actors: [alpha]
topics: [talks]
sources:
  - publisher: A Paper
    note: Print edition.
---
He said [\xc2\xab\xd0\x94\xd0\xb0\xc2\xbb]{lang=ru} first.

Then [this]{lang=russian} and [that]{.note}.
"""


def test_a_span_of_the_body_says_only_its_language() -> None:
    problems = read_entry("content/events/2023/x.md", SPANS).problems
    assert [(p.line, p.column, p.message) for p in problems] == [
        (13, 12, "the span attributes {lang=russian} do not give a language"),
        (13, 37, "the span attributes {.note} do not give a language"),
    ]
    assert "lang=ru" in problems[0].hint
    fixed = SPANS.replace(b"{lang=russian}", b"{lang=ru}").replace(b"{.note}", b"{lang=en}")
    assert read_entry("content/events/2023/x.md", fixed).problems == ()
