"""The broken fixture site: one located problem per defect, all in one run."""

from __future__ import annotations

import json
import shutil

from conftest import SITES

BROKEN = SITES / "broken"
EV = "content/events/2023/"

# (file, line, field, words the message must contain): one row per deliberate defect.
DEFECTS = [
    ("site.yaml", 2, "base_url", "http"),
    ("content/actors.yaml", 5, "[2].id", "defined twice"),
    ("content/sources/bad-date-source.yaml", 3, "date", "month 13"),
    (EV + "2023-10-02-syntax.md", 5, "", "YAML syntax"),
    (EV + "2023-10-03-duplicate-key.md", 5, "summary", "duplicate key"),
    (EV + "2023-10-04-alias.md", 2, "", "anchors"),
    (EV + "2023-10-04-alias.md", 4, "summary", "aliases"),
    (EV + "2023-10-05-unknown-key.md", 5, "souces", "unknown field"),
    (EV + "2023-10-06-long-title.md", 2, "title", "at most 140"),
    (EV + "2023-10-06-long-title.md", 4, "summary", "must not be empty"),
    (EV + "2023-10-07-impossible-date.md", 3, "date", "not a day that exists"),
    (EV + "2023-10-08-ambiguous-date.md", 3, "date", "ambiguous"),
    (EV + "2023-10-09-end-before.md", 4, "end", "before the date"),
    (EV + "2023-10-10-future.md", 3, "date", "after the build day"),
    (EV + "2023-10-11-time-no-offset.md", 3, "date", "no UTC offset"),
    (EV + "2023-10-12-refs.md", 5, "actors[0]", "unknown actor"),
    (EV + "2023-10-12-refs.md", 6, "topics[0]", "unknown topic"),
    (EV + "2023-10-12-refs.md", 7, "related[1]", "unknown event"),
    (EV + "2023-10-12-refs.md", 9, "sources[0].ref", "unknown source"),
    (EV + "2023-10-13-dup-id.md", 2, "id", "already used"),
    (EV + "2023-10-14-alias-clash.md", 5, "aliases[0]", "already used"),
    (EV + "2023-10-14-alias-clash.md", 6, "location", "must be text"),
    (EV + "2023-10-15-bad-id.md", 2, "id", "lowercase"),
    (EV + "Bad File Name.md", 2, "id", "file name"),
    (EV + "2023-10-17-no-sources.md", 5, "sources", "at least one source"),
    (EV + "2023-10-18-bad-sources.md", 6, "sources[0]", "at least one of `url`"),
    (EV + "2023-10-18-bad-sources.md", 9, "sources[1].url", "http"),
    (EV + "2023-10-18-bad-sources.md", 10, "sources[2].publisher", "required"),
    (EV + "2023-10-19-unclosed.md", 1, "", "no closing"),
    (EV + "2023-10-20-empty.md", 1, "", "empty"),
    (EV + "2023-10-21-latin1.md", 2, "", "not valid UTF-8"),
    (EV + "2023-10-22-actors-type.md", 5, "actors", "must be a list"),
    (EV + "2023-10-23-bidi.md", 2, "title", "U+202E"),
    (EV + "2023-10-24-body-key.md", 5, "body", "below the front matter"),
    (EV + "2023-10-24-body-key.md", 9, "corrections[0].note", "required"),
    (EV + "2023-10-26-tabs.yaml", 1, "summary", "required"),
    (EV + "2023-10-26-tabs.yaml", 5, "sources[0].extra", "unknown field"),
]


def test_every_defect_gets_exactly_one_located_problem(cli):
    result = cli("check", "--site", str(BROKEN), "--format", "json")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    problems = json.loads(result.stdout)
    errors = [p for p in problems if p["severity"] == "error"]
    remaining = list(errors)
    for file, line, field, words in DEFECTS:
        matches = [
            p
            for p in remaining
            if p["file"] == file
            and p["line"] == line
            and p["field"] == field
            and words in p["message"]
        ]
        assert len(matches) == 1, (
            file,
            line,
            field,
            words,
            [p for p in errors if p["file"] == file],
        )
        remaining.remove(matches[0])
    assert remaining == [], "problems without a deliberate defect"
    assert len(DEFECTS) >= 25


def test_did_you_mean_hints(cli):
    problems = json.loads(cli("check", "--site", str(BROKEN), "--format", "json").stdout)
    hints = {p["field"]: p["hint"] for p in problems if p["file"].endswith("refs.md")}
    assert hints["actors[0]"] == "did you mean `israel`?"
    assert hints["topics[0]"] == "did you mean `un-votes`?"
    assert hints["sources[0].ref"] == "did you mean `good-source`?"
    unknown = next(p for p in problems if p["field"] == "souces")
    assert unknown["hint"] == "did you mean `sources`?"
    assert unknown["column"] == 1


def test_columns_point_at_the_value(cli):
    problems = json.loads(cli("check", "--site", str(BROKEN), "--format", "json").stdout)
    date = next(p for p in problems if p["file"].endswith("impossible-date.md"))
    assert (date["line"], date["column"]) == (3, 7)
    url = next(p for p in problems if p["field"] == "sources[1].url")
    assert (url["line"], url["column"]) == (9, 10)


def test_an_address_with_a_character_it_cannot_hold_is_told_how_to_encode_it(cli, tmp_path):
    """Not "must be a full address", which it is: what is wrong, and the address to paste."""
    site = shutil.copytree(SITES / "minimal", tmp_path / "site")
    record = site / "content/sources/wire-report.yaml"
    record.write_text(
        record.read_text().replace(
            "url: https://example.org/news/leaders-talk",
            'url: https://example.org/news/leaders talk?q="<b>"',
        )
    )
    problems = json.loads(cli("check", "--site", str(site), "--format", "json").stdout)
    problems = [p for p in problems if p["file"] == "content/sources/wire-report.yaml"]
    assert [(p["field"], p["message"], p["hint"]) for p in problems] == [
        (
            "url",
            'holds a space, `"`, `<`, `>`, which an address cannot hold as it is',
            "percent-encode it: https://example.org/news/leaders%20talk?q=%22%3Cb%3E%22",
        )
    ]
    record.write_text(record.read_text().replace("url: https://", "url: javascript://"))
    problems = json.loads(cli("check", "--site", str(site), "--format", "json").stdout)
    problems = [p for p in problems if p["file"] == "content/sources/wire-report.yaml"]
    assert [p["message"] for p in problems] == ["must be a full http:// or https:// address"]
