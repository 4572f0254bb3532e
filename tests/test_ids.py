"""The id grammar, and the one place the schemas take it (and the date grammar) from."""

from __future__ import annotations

import re

import pytest

from timeline.dates import DATE_SCHEMA_PATTERN, DateError, parse_date
from timeline.ids import ID_PATTERN, ID_SCHEMA_PATTERN, is_id
from timeline.render import exports
from timeline.validate import schemas


@pytest.mark.parametrize("text", ["a", "2023-12-10-call", "x1-y2-z3", "0"])
def test_ids(text: str) -> None:
    assert is_id(text)
    assert re.search(ID_SCHEMA_PATTERN, text)


@pytest.mark.parametrize(
    "text", ["", "A", "a--b", "-a", "a-", "a_b", "a b", "é", "a\n", "..", "a/b", "\uff41"]
)
def test_not_ids(text: str) -> None:
    assert not is_id(text)
    assert ID_PATTERN.fullmatch(text) is None


def test_the_schema_pattern_differs_from_the_code_only_on_a_final_newline() -> None:
    assert re.search(ID_SCHEMA_PATTERN, "a\n")  # why the code uses fullmatch, not the schema's
    assert not is_id("a\n")


def test_the_schemas_take_both_grammars_from_one_place() -> None:
    assert schemas.ID["pattern"] == exports._ID["pattern"] == ID_SCHEMA_PATTERN
    assert schemas.DATE["pattern"] == exports._DATE["pattern"] == DATE_SCHEMA_PATTERN


@pytest.mark.parametrize(
    "text", ["2023", "2023-12", "2023-12-10~", "2023-12-10T14:30+02:00", "2023-12-10T14:30:05Z?"]
)
def test_every_date_with_an_offset_the_code_reads_matches_the_schema(text: str) -> None:
    parse_date(text)
    assert re.search(DATE_SCHEMA_PATTERN, text)


def test_a_time_without_offset_fails_both() -> None:
    assert not re.search(DATE_SCHEMA_PATTERN, "2023-12-10T14:30")
    with pytest.raises(DateError):
        parse_date("2023-12-10T14:30")
