"""Entry bodies as HTML: a span's language, and nothing else an attribute could carry."""

from __future__ import annotations

import pytest
from htmlwalk import parse_html

from timeline.render.markdown import render_markdown


def test_a_span_says_its_language_and_isolates_its_direction() -> None:
    html = render_markdown("He said [«Конечно»]{lang=ru}, and [«שלום»]{lang=he}.")
    assert html == (
        '<p>He said <span lang="ru" dir="auto">«Конечно»</span>, and '
        '<span lang="he" dir="auto">«שלום»</span>.</p>\n'
    )


@pytest.mark.parametrize(
    "text",
    [
        "[word]{lang=ru onclick=alert}",
        '[word]{lang=ru onmouseover="alert(1)"}',
        "[word]{lang=ru style=color:red .c #i data-x=1}",
        '[word]{lang="ru ok"}',
        "[word]{lang=russian}",
        "[word]{.c}",
    ],
)
def test_only_a_language_tag_gets_through(text: str) -> None:
    page = parse_html(render_markdown(text))
    assert page.find("span"), "the span is read"
    for tag, name, value in page.attributes:
        assert (tag, name) in {("span", "lang"), ("span", "dir")}, (name, value)
        assert value in ("ru", "auto")


@pytest.mark.parametrize(
    "text",
    ["[a link](https://example.org){lang=ru}", "![a picture](a.png){lang=ru}", "`code`{lang=ru}"],
)
def test_links_images_and_code_take_no_attributes(text: str) -> None:
    html = render_markdown(text)
    assert not [a for a in parse_html(html).attributes if a[1] == "lang"]
    assert "{lang=ru}" in html  # left as the text it is


def test_brackets_without_attributes_stay_text() -> None:
    assert render_markdown("[sic] and [x]") == "<p>[sic] and [x]</p>\n"
