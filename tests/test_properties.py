"""Property tests: hostile input never crashes loading, dates or validation."""

from __future__ import annotations

import difflib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from timeline.dates import MONTHS, DateError, EventDate, Precision, parse_date
from timeline.load.files import Document, LoadedSite, parse_document
from timeline.load.yamlstrict import Pos, YamlData, YamlProblem, parse_yaml
from timeline.problems import ERROR, Problem
from timeline.validate.across import DUPLICATE_TITLE_RATIO, _similar_titles
from timeline.validate.checks import Validated, validate

PROPERTY = settings(deadline=None, max_examples=200)

# --- strategies ------------------------------------------------------------------------------

# Text made mostly of YAML's structural characters, so that examples reach the parser's corners
# (flow collections, anchors, tags, block scalars, documents) rather than plain scalars only.
YAML_ALPHABET = [
    *"ab1 :-[]{}?!&*|>'\"#%@`,.~\n\t",
    "\x01",
    "\x85",
    "\u2028",
    "\ufeff",
    "\u00e9",
    "e\u0301",
    "\U0001f600",
    "true",
    "null",
    "---",
    "...",
    "!!python/object",
]
yamlish = st.lists(st.sampled_from(YAML_ALPHABET), max_size=40).map("".join)
any_text = st.text() | yamlish

front_matter_bytes = st.builds(
    lambda head, body, fence: b"---\n" + head + b"\n" + fence + b"\n" + body,
    st.binary(max_size=60) | yamlish.map(str.encode),
    st.binary(max_size=30),
    st.sampled_from([b"---", b"...", b"--- ", b""]),
)
any_bytes = st.binary() | front_matter_bytes | any_text.map(str.encode)

# Date-shaped text: every field may be out of range. Years stay within 1000-2999: the overflow at
# the ends of the datetime range is covered by its own tests in test_dates.py.
two = st.integers(0, 99).map("{:02d}".format)
date_shaped = st.builds(
    lambda year, month, day, time, zone, qualifier: "".join(
        [year, month, day, time, zone, qualifier]
    ),
    st.integers(1000, 2999).map("{:04d}".format) | st.just("0000"),
    st.just("") | two.map("-{}".format) | st.integers(0, 9).map("-{}".format),
    st.just("") | two.map("-{}".format),
    st.just("")
    | st.builds("T{}:{}".format, two, two)
    | st.builds("T{}:{}:{}".format, two, two, two),
    st.sampled_from(["", "Z", "+02:00", "-05:00", "+14:00", "+24:00", "+0200"]),
    st.sampled_from(["", "~", "?", "~~", "?~", " "]),
)

EVENT_FIELDS = [
    "id",
    "title",
    "date",
    "end",
    "date_note",
    "summary",
    "body",
    "actors",
    "topics",
    "location",
    "sources",
    "disputed",
    "related",
    "aliases",
    "corrections",
    "updated",
    "ref",
    "publisher",
    "url",
    "archived_url",
    "quote",
    "note",
    "language",
]
leaves = st.none() | st.booleans() | st.text(max_size=40)
keys = st.text(max_size=20)
json_like = st.recursive(
    leaves,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=15,
)
event_like_leaves = leaves | st.sampled_from(
    ["2023-12-10", "2023", "2023-12-10T14:30+02:00", "russia", "https://example.org/a", "x-y"]
)
event_like = st.recursive(
    event_like_leaves,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(EVENT_FIELDS) | keys, children, max_size=5)
    ),
    max_leaves=15,
)


# --- parse_yaml and parse_document -----------------------------------------------------------


def _check_plain_data(value: Any) -> None:
    """Only strings, booleans, None, lists and string-keyed dicts ever come out."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str)
            _check_plain_data(item)
    elif isinstance(value, list):
        for item in value:
            _check_plain_data(item)
    else:
        assert value is None or isinstance(value, str | bool)


def _check_pos(pos: Pos) -> None:
    assert isinstance(pos, Pos)
    assert pos.line >= 1
    assert pos.column >= 1


@PROPERTY
@given(any_text)
def test_parse_yaml_returns_data_or_problems_and_never_raises(text: str) -> None:
    data, problems = parse_yaml(text)
    assert isinstance(data, YamlData)
    assert all(isinstance(p, YamlProblem) and p.message for p in problems)
    for problem in problems:
        _check_pos(problem.pos)
    _check_plain_data(data.data)
    for pos in [*data.positions.values(), *data.key_positions.values()]:
        _check_pos(pos)
    if data.data is not None:
        assert () in data.positions


@PROPERTY
@given(any_bytes, st.booleans())
def test_parse_document_never_raises(raw: bytes, front_matter: bool) -> None:
    doc, problems = parse_document(raw, "content/events/x.md", front_matter=front_matter)
    assert all(isinstance(p, Problem) for p in problems)
    for problem in problems:
        assert problem.file == "content/events/x.md"
        assert problem.severity == ERROR
        assert problem.line >= 1 and problem.column >= 1
    if doc is None:
        assert problems  # a file that yields nothing always says why
    else:
        assert doc.data is not None
        _check_plain_data(doc.data)
        assert (doc.body is not None) == front_matter


# --- parse_date ------------------------------------------------------------------------------


@PROPERTY
@given(st.text() | date_shaped)
def test_parse_date_returns_an_event_date_or_raises_date_error_only(text: str) -> None:
    try:
        value = parse_date(text)
    except DateError as exc:
        assert exc.message
        assert str(exc) == exc.message
        return
    assert isinstance(value, EventDate)
    assert value.text == text.strip()
    assert value.start.utcoffset() is not None and value.start.utcoffset().total_seconds() == 0
    assert value.display()


@PROPERTY
@given(st.dates(), st.sampled_from(["", "~", "?"]))
def test_valid_dates_round_trip(day: date, qualifier: str) -> None:
    text = day.isoformat() + qualifier
    value = parse_date(text)
    assert value.iso == day.isoformat()
    assert value.text == text
    assert value.day == day
    assert value.precision is Precision.DAY
    assert value.start == datetime(day.year, day.month, day.day, tzinfo=UTC)
    assert (value.approximate, value.uncertain) == (qualifier == "~", qualifier == "?")
    plain = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    expected = {"": plain, "~": f"c. {plain}", "?": f"{plain} (uncertain)"}[qualifier]
    assert value.display() == expected


# --- validate --------------------------------------------------------------------------------

SITE_YAML = b"title: T\nbase_url: https://example.org/\nlanguage: en\n"
TODAY = date(2024, 6, 1)


def _doc(raw: bytes, path: str) -> Document:
    doc, problems = parse_document(raw, path, front_matter=False)
    assert problems == []
    assert doc is not None
    return doc


SITE = _doc(SITE_YAML, "site.yaml")
ACTORS = _doc(b"- id: russia\n  name: Russia\n", "content/actors.yaml")
TOPICS = _doc(b"- id: un\n  name: United Nations\n", "content/topics.yaml")


def _validate(event: Document) -> Validated:
    loaded = LoadedSite(Path("."), SITE, ACTORS, TOPICS, events=[event])
    result = validate(loaded, today=TODAY)
    assert all(isinstance(p, Problem) for p in result.problems)
    return result


def _validate_both_ways(data: dict[str, Any]) -> None:
    path = "content/events/2023/x.yaml"
    # Directly, without positions ...
    _validate(Document(path, YamlData(data)))
    # ... and through a real file, with positions.
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
    doc, problems = parse_document(raw, path, front_matter=False)
    assert problems == []
    assert doc is not None
    _validate(doc)


@PROPERTY
@given(st.dictionaries(keys, json_like, max_size=6))
def test_validate_never_raises_on_arbitrary_event_data(data: dict[str, Any]) -> None:
    _validate_both_ways(data)


@PROPERTY
@given(st.dictionaries(st.sampled_from(EVENT_FIELDS) | keys, event_like, max_size=8))
@example({"title": "T", "date": "2023-12-10", "summary": "S", "sources": True})
def test_validate_never_raises_on_event_shaped_data(data: dict[str, Any]) -> None:
    _validate_both_ways(data)


def test_validate_accepts_a_valid_event_through_the_same_helpers() -> None:
    """The helpers above really validate: a correct event comes out as content."""
    data = {
        "title": "A call",
        "date": "2023-12-10",
        "summary": "They spoke.",
        "actors": ["russia"],
        "sources": [{"publisher": "TASS", "url": "https://example.org/a"}],
    }
    result = _validate(Document("content/events/2023/x.yaml", YamlData(data)))
    assert result.problems == []
    assert result.ok
    assert result.content is not None
    assert [(e.id, e.title, e.date.text) for e in result.content.events] == [
        ("x", "A call", "2023-12-10")
    ]


@pytest.mark.parametrize("field", ["sources", "corrections"])
def test_validate_reports_a_boolean_list_field_instead_of_raising(field: str) -> None:
    raw = f"title: T\ndate: 2023-12-10\nsummary: S\n{field}: true\n".encode()
    result = _validate(_doc(raw, "content/events/2023/x.yaml"))
    assert (4, field, "must be a list") in [(p.line, p.field, p.message) for p in result.problems]


def test_validate_reports_an_out_of_range_time_instead_of_raising() -> None:
    raw = (
        b"title: T\ndate: 9999-12-31T23:30-05:00\nsummary: S\n"
        b"sources:\n  - publisher: P\n    note: N\n"
    )
    result = _validate(_doc(raw, "content/events/2023/x.yaml"))
    assert [p.field for p in result.problems if p.is_error] == ["date"]


# --- the quick schema check agrees with jsonschema -------------------------------------------

good_text = st.text(min_size=1, max_size=20)
valid_source = st.fixed_dictionaries({"ref": st.just("a-b")}) | st.fixed_dictionaries(
    {"publisher": good_text, "url": st.just("https://example.org/a")},
    optional={"title": good_text, "date": st.just("2023-12-10")},
)
mutated_source = st.fixed_dictionaries(
    {"publisher": st.text(max_size=5)},
    optional={
        "url": st.sampled_from(["https://example.org/a", "ftp://x", "https://", ""]),
        "ref": st.sampled_from(["a-b", "A", ""]),
        "quote": st.text(max_size=5) | st.none(),
    },
)
near_valid_event = st.fixed_dictionaries(
    {
        # Mostly valid values, so that both verdicts are common.
        "title": st.one_of(good_text, good_text, good_text, st.text(min_size=139, max_size=142)),
        "date": st.sampled_from(["2023-12-10", "2023", "2023-12", "10/12/2023"]),
        "summary": st.one_of(good_text, good_text, good_text, st.just(""), st.none()),
        "sources": st.one_of(
            st.lists(valid_source, min_size=1, max_size=3),
            st.lists(valid_source, min_size=1, max_size=3),
            st.lists(valid_source | mutated_source | event_like, max_size=3),
        ),
    },
    optional={
        "actors": st.lists(st.sampled_from(["israel", "russia", "Israel", "a--b"]), max_size=2),
        "disputed": good_text | st.lists(st.text(max_size=5), max_size=2),
        "corrections": st.lists(
            st.fixed_dictionaries({"date": st.just("2023-12-10")}, optional={"note": leaves}),
            max_size=2,
        ),
    },
)


@PROPERTY
@given(
    near_valid_event
    | near_valid_event.map(lambda event: {**event, "extra": 1})
    | st.dictionaries(st.sampled_from(EVENT_FIELDS), event_like, max_size=8)
)
def test_quick_schema_check_agrees_with_jsonschema(data: dict[str, Any]) -> None:
    import fastjsonschema

    from timeline.validate.shape import _quick_check, _validator

    try:
        _quick_check("event")(data)
        quick_valid = True
    except fastjsonschema.JsonSchemaException:
        quick_valid = False
    assert quick_valid == _validator("event").is_valid(data)


title_like = st.text(alphabet="abc de-é", max_size=30)


@given(title_like, title_like)
@example("council votes", "council vote")
def test_title_similarity_agrees_with_sequence_matcher(a: str, b: str) -> None:
    """The pre-filters of probable-duplicate titles never change the verdict of the exact ratio."""
    exact = difflib.SequenceMatcher(None, a, b).ratio() >= DUPLICATE_TITLE_RATIO
    assert _similar_titles(a, b) == exact
