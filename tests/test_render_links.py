"""Text fragments (WICG URL Fragment Text Directives) and Robust Links dates."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest

from timeline.render.links import memento_date, text_fragment_url

URL = "https://example.org/news/report"


def directive_terms(url: str) -> list[str]:
    """The decoded terms of the url's text directive, checking its syntax on the way."""
    fragment = urlsplit(url).fragment
    _, _, directive = fragment.partition(":~:")
    assert directive.startswith("text=")
    terms = directive.removeprefix("text=").split(",")
    for term in terms:
        # The directive's own syntax characters never appear raw inside a term.
        assert not set(term) & set("-&, #"), term
    return [unquote(term) for term in terms]


@pytest.mark.parametrize(
    ("quoted", "terms"),
    [
        ("a frank conversation", ["a frank conversation"]),
        ("sides, to restrain", ["sides, to restrain"]),  # a comma inside a term
        ("a cease-fire now", ["a cease-fire now"]),  # a dash: %2D, not a prefix/suffix mark
        ("Israel & Hamas", ["Israel & Hamas"]),  # an ampersand: %26, not a new directive
        ("переговоры продолжатся", ["переговоры продолжатся"]),  # non-Latin: UTF-8 encoded
        ("שיחה טובה", ["שיחה טובה"]),
        ("  spaced\n  out  ", ["spaced out"]),  # whitespace as the page shows it
        (
            "one two three four five six seven eight nine ten eleven twelve",
            ["one two three four five", "eight nine ten eleven twelve"],
        ),
        ("what was said [...] and what followed", ["what was said", "and what followed"]),
        ("before … after", ["before", "after"]),
    ],
)
def test_quotes_become_text_directives(quoted, terms):
    assert directive_terms(text_fragment_url(URL, quoted)) == terms


def test_the_encoding_of_the_syntax_characters():
    assert text_fragment_url(URL, "a-b, c&d") == f"{URL}#:~:text=a%2Db%2C%20c%26d"


def test_an_address_with_a_fragment_keeps_it():
    url = text_fragment_url(URL + "#section-2", "a frank conversation")
    assert url == URL + "#section-2:~:text=a%20frank%20conversation"


def test_memento_dates_come_from_archive_addresses():
    assert (
        memento_date("https://web.archive.org/web/20231210123456/https://x.org/a") == "2023-12-10"
    )
    assert memento_date("https://web.archive.org/web/20231210123456id_/https://x.org/") == (
        "2023-12-10"
    )
    assert memento_date("https://archive.ph/20240102030405/https://x.org/") == "2024-01-02"
    assert memento_date("https://archive.ph/AbCdE") == ""
