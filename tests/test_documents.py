"""timeline/documents.py and what a site makes of it: UN document symbols recognised in every
form editors write them, linked through the UN's resolver, and a page per document listing the
entries that concern it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SITES
from htmlwalk import parse_html

from timeline.documents import document_slug, document_url, find_symbols
from timeline.engine.build import build_site
from timeline.render.markdown import render_markdown

# (as written, the symbol as the UN writes it, its address at the resolver, its page's slug)
FORMS = [
    ("S/RES/2712 (2023)", "S/RES/2712 (2023)", "S/RES/2712(2023)", "s-res-2712-2023"),
    ("S/RES/2712(2023)", "S/RES/2712 (2023)", "S/RES/2712(2023)", "s-res-2712-2023"),
    ("S/PV.9479", "S/PV.9479", "S/PV.9479", "s-pv-9479"),
    ("A/ES-10/L.25", "A/ES-10/L.25", "A/ES-10/L.25", "a-es-10-l-25"),
    ("S/2023/792", "S/2023/792", "S/2023/792", "s-2023-792"),
    ("A/RES/ES-10/21", "A/RES/ES-10/21", "A/RES/ES-10/21", "a-res-es-10-21"),
    ("A/HRC/55/72", "A/HRC/55/72", "A/HRC/55/72", "a-hrc-55-72"),
    ("at its meeting (S/PV.9479).", "S/PV.9479", "S/PV.9479", "s-pv-9479"),
]


@pytest.mark.parametrize(("written", "symbol", "address", "slug"), FORMS)
def test_a_symbol_is_read_in_each_form_and_linked_through_the_resolver(
    written, symbol, address, slug
):
    assert find_symbols(written) == [symbol]
    assert document_url(symbol) == "https://undocs.org/" + address
    assert document_slug(symbol) == slug


@pytest.mark.parametrize("text", ["AS/RES/1", "https://example.org/S/RES/1", "S/", "S/res/1"])
def test_what_is_not_a_symbol_is_left_alone(text):
    assert find_symbols(text) == []


def test_a_symbol_in_a_body_links_to_the_document_but_not_inside_a_link():
    html = render_markdown("Adopted as S/RES/2712 (2023) (see [S/PV.9479](https://x.org/)).")
    links = parse_html(html).find("a")
    assert [(a["href"], a.get("rel")) for a in links] == [
        ("https://undocs.org/S/RES/2712(2023)", "noopener"),
        ("https://x.org/", "noopener"),
    ]
    assert ">S/RES/2712 (2023)</a> (see" in html


@pytest.fixture
def site(tmp_path) -> Path:
    site = Path(shutil.copytree(SITES / "minimal", tmp_path / "site"))
    vote = site / "content/events/2023/2023-11-vote.yaml"
    vote.write_text(vote.read_text().replace("actors:", "documents: [S/RES/2712(2023)]\nactors:"))
    call = site / "content/events/2023/2023-10-16-first-call.md"
    call.write_text(call.read_text() + "\nThey spoke of S/RES/2712 (2023) and S/PV.9479.\n")
    return site


def test_each_document_has_a_page_with_its_entries(site, tmp_path):
    out = tmp_path / "out"
    assert build_site(site, out).ok
    page = parse_html((out / "documents/s-res-2712-2023/index.html").read_text())
    entries = [a["href"] for a in page.find("a") if a["href"].startswith("../../events/2")]
    assert entries == ["../../events/2023-10-16-first-call/", "../../events/2023-11-vote/"]
    assert "https://undocs.org/S/RES/2712(2023)" in [a["href"] for a in page.find("a")]
    index = (out / "documents/index.html").read_text()
    assert "S/PV.9479" in index and "S/RES/2712 (2023)" in index
    vote = parse_html((out / "events/2023-11-vote/index.html").read_text())
    assert "../../documents/s-res-2712-2023/" in [a["href"] for a in vote.find("a")]


def test_a_document_that_is_not_a_symbol_is_refused(site, cli):
    vote = site / "content/events/2023/2023-11-vote.yaml"
    vote.write_text(vote.read_text().replace("S/RES/2712(2023)", "Resolution 2712"))
    problems = json.loads(cli("check", "--site", str(site), "--format", "json").stdout)
    assert [(p["field"], p["message"]) for p in problems] == [
        ("documents[0]", "`Resolution 2712` is not a UN document symbol")
    ]


def test_a_site_without_documents_has_no_documents_pages(tmp_path):
    out = tmp_path / "out"
    assert build_site(SITES / "minimal", out).ok
    assert not (out / "documents").exists()
