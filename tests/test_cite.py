"""Citation forms: worked examples in every style, with and without a last-updated date."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date

import pytest

from timeline.assemble.timeline import PastVersion, last_updated
from timeline.dates import parse_date
from timeline.git import Commit, Version
from timeline.model import Correction, Event, SiteConfig
from timeline.render.cite import citation_forms

SITE = SiteConfig(
    title="Israel and Russia in the Gaza war", base_url="https://example.org/", language="en"
)
URL = "https://example.org/events/x/"
EVENT = Event(
    id="x",
    title="Netanyahu and Putin speak by phone",
    date=parse_date("2023-12-10"),
    summary="The two leaders speak.",
    citations=(),
    file="content/events/2023/x.md",
)
UPDATED = parse_date("2023-12-12")


def test_worked_examples_with_an_updated_date():
    forms = citation_forms(EVENT, SITE, URL, UPDATED)
    assert forms["plain"] == (
        '"Netanyahu and Putin speak by phone", Israel and Russia in the Gaza war, '
        "last updated 12 December 2023. https://example.org/events/x/"
    )
    assert forms["chicago"] == (
        'Israel and Russia in the Gaza war. "Netanyahu and Putin speak by phone." '
        "Last modified December 12, 2023. https://example.org/events/x/."
    )
    assert forms["apa"] == (
        "Israel and Russia in the Gaza war. (2023, December 12). "
        "Netanyahu and Putin speak by phone. https://example.org/events/x/"
    )
    assert forms["mla"] == (
        '"Netanyahu and Putin speak by phone." Israel and Russia in the Gaza war, '
        "12 Dec. 2023, https://example.org/events/x/."
    )
    assert forms["bibtex"] == (
        "@misc{x,\n"
        "  title = {{Netanyahu and Putin speak by phone}},\n"
        "  author = {{Israel and Russia in the Gaza war}},\n"
        "  howpublished = {\\url{https://example.org/events/x/}},\n"
        "  note = {Last updated 2023-12-12},\n"
        "  year = {2023},\n"
        "  month = dec\n"
        "}"
    )
    [item] = json.loads(forms["csl_json"])
    assert item == {
        "id": "x",
        "type": "webpage",
        "title": "Netanyahu and Putin speak by phone",
        "container-title": "Israel and Russia in the Gaza war",
        "publisher": "Israel and Russia in the Gaza war",
        "author": [{"literal": "Israel and Russia in the Gaza war"}],
        "URL": "https://example.org/events/x/",
        "language": "en",
        "issued": {"date-parts": [[2023, 12, 12]]},
    }


def test_worked_examples_without_an_updated_date():
    forms = citation_forms(EVENT, SITE, URL, None)
    assert forms["plain"] == (
        '"Netanyahu and Putin speak by phone", Israel and Russia in the Gaza war. '
        "https://example.org/events/x/"
    )
    assert forms["chicago"] == (
        'Israel and Russia in the Gaza war. "Netanyahu and Putin speak by phone." '
        "https://example.org/events/x/."
    )
    assert forms["apa"] == (
        "Israel and Russia in the Gaza war. (n.d.). "
        "Netanyahu and Putin speak by phone. https://example.org/events/x/"
    )
    assert forms["mla"] == (
        '"Netanyahu and Putin speak by phone." Israel and Russia in the Gaza war, '
        "https://example.org/events/x/."
    )
    assert forms["bibtex"] == (
        "@misc{x,\n"
        "  title = {{Netanyahu and Putin speak by phone}},\n"
        "  author = {{Israel and Russia in the Gaza war}},\n"
        "  howpublished = {\\url{https://example.org/events/x/}}\n"
        "}"
    )
    [item] = json.loads(forms["csl_json"])
    assert "issued" not in item
    assert "accessed" not in item
    assert item["URL"] == URL


def test_the_event_date_is_never_given_as_the_page_date():
    for updated in (UPDATED, None):
        for text in citation_forms(EVENT, SITE, URL, updated).values():
            assert "10" not in text.replace(URL, "")
            assert "2023, 12, 10" not in text


def test_a_publisher_is_the_author_and_the_site_is_the_container():
    site = dataclasses.replace(SITE, publisher="Example Institute")
    forms = citation_forms(EVENT, site, URL, UPDATED)
    assert forms["chicago"] == (
        'Example Institute. "Netanyahu and Putin speak by phone." '
        "Israel and Russia in the Gaza war. Last modified December 12, 2023. "
        "https://example.org/events/x/."
    )
    assert forms["apa"] == (
        "Example Institute. (2023, December 12). Netanyahu and Putin speak by phone. "
        "Israel and Russia in the Gaza war. https://example.org/events/x/"
    )
    assert forms["mla"] == (
        '"Netanyahu and Putin speak by phone." Israel and Russia in the Gaza war, '
        "Example Institute, 12 Dec. 2023, https://example.org/events/x/."
    )
    assert "author = {{Example Institute}}" in forms["bibtex"]
    [item] = json.loads(forms["csl_json"])
    assert item["author"] == [{"literal": "Example Institute"}]
    assert item["publisher"] == "Example Institute"
    assert item["container-title"] == "Israel and Russia in the Gaza war"


@pytest.mark.parametrize(
    ("updated", "chicago", "apa", "mla", "bib", "parts"),
    [
        ("2023-12", "December 2023", "(2023, December)", "Dec. 2023", "month = dec", [2023, 12]),
        ("2023", "2023", "(2023)", "2023", "year = {2023}", [2023]),
        (
            "2023-09-03T23:30+02:00",
            "September 3, 2023",
            "(2023, September 3)",
            "3 Sept. 2023",
            "Last updated 2023-09-03}",
            [2023, 9, 3],
        ),
    ],
)
def test_an_updated_date_is_cited_at_its_own_precision(updated, chicago, apa, mla, bib, parts):
    forms = citation_forms(EVENT, SITE, URL, parse_date(updated))
    assert f"Last modified {chicago}." in forms["chicago"]
    assert apa in forms["apa"]
    assert f", {mla}, " in forms["mla"]
    assert bib in forms["bibtex"]
    assert json.loads(forms["csl_json"])[0]["issued"] == {"date-parts": [parts]}


def test_a_title_that_ends_a_sentence_gets_no_second_stop():
    event = dataclasses.replace(EVENT, title='Did the "call" happen?')
    forms = citation_forms(event, SITE, URL, UPDATED)
    assert "\"Did the 'call' happen?\" Last modified" in forms["chicago"]
    assert '(2023, December 12). Did the "call" happen? https' in forms["apa"]
    assert forms["mla"].startswith("\"Did the 'call' happen?\" Israel")


HOSTILE = 'Costs 50% & $5 {#1} a_b \\ ~^ </script> "q"\nnext line'


def test_bibtex_escapes_every_special_character():
    event = dataclasses.replace(EVENT, title=HOSTILE)
    bib = citation_forms(event, SITE, URL + "?q=a%20b#frag", UPDATED)["bibtex"]
    title = re.search(r"title = \{\{(.*)\}\},\n", bib).group(1)
    assert title == (
        r"Costs 50\% \& \$5 \{\#1\} a\_b \textbackslash{} \textasciitilde{}\textasciicircum{} "
        r'</script> "q" next line'
    )
    # Nothing special is left bare once the escapes are taken out, and braces balance.
    bare = re.sub(r"\\(textbackslash|textasciitilde|textasciicircum)\{\}|\\[{}%&$#_]", "", bib)
    bare = bare.replace(r"\url", "")
    assert not re.search(r"[%&$#_\\~^]", bare)
    assert bare.count("{") == bare.count("}")
    assert r"\url{https://example.org/events/x/?q=a\%20b\#frag}" in bib


def test_hostile_text_round_trips_through_csl_json():
    site = dataclasses.replace(SITE, title="A & B <site>")
    event = dataclasses.replace(EVENT, title=HOSTILE)
    [item] = json.loads(citation_forms(event, site, URL, UPDATED)["csl_json"])
    assert item["title"] == HOSTILE
    assert item["container-title"] == "A & B <site>"


def test_text_forms_are_one_line():
    event = dataclasses.replace(EVENT, title=HOSTILE)
    forms = citation_forms(event, SITE, URL, UPDATED)
    for key in ("plain", "chicago", "apa", "mla"):
        assert "\n" not in forms[key]
        assert URL in forms[key]


def test_last_updated_prefers_updated_then_history_then_the_latest_correction():
    assert last_updated(EVENT, ()) is None
    corrected = dataclasses.replace(
        EVENT,
        corrections=(
            Correction(parse_date("2023-12-11"), "a"),
            Correction(parse_date("2023-12-14"), "b"),
        ),
    )
    assert last_updated(corrected, ()).text == "2023-12-14"
    assert last_updated(dataclasses.replace(corrected, updated=UPDATED), ()) == UPDATED
    history = tuple(
        PastVersion(Version(number, commit, "content/events/x.md", sha * 40), "", None)
        for number, (sha, commit) in enumerate(
            [
                ("a", Commit("a" * 40, date(2023, 12, 1), "Add")),
                ("b", Commit("b" * 40, date(2024, 1, 5), "Fix a name")),
            ],
            start=1,
        )
    )
    assert last_updated(corrected, history).text == "2024-01-05"  # the newest commit
    assert last_updated(dataclasses.replace(corrected, updated=UPDATED), history) == UPDATED


def test_every_form_is_present():
    assert set(citation_forms(EVENT, SITE, URL, None)) == {
        "plain",
        "chicago",
        "apa",
        "mla",
        "bibtex",
        "csl_json",
    }
