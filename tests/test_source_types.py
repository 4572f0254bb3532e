"""Kinds of source (`type:` on a record of the register): checked against the built-in types and
a site's own, shown beside each source in the page's language, offered as a search filter, and
state media named so in every record of the same publisher."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SITES
from htmlwalk import parse_html

from timeline.assemble.timeline import assemble
from timeline.engine.build import build_site
from timeline.engine.content import check_site
from timeline.engine.fingerprint import Fingerprints
from timeline.engine.search import search_shards_of
from timeline.render.language import language_of
from timeline.render.search import search_record

RECORD = Path("content/sources/wire-report.yaml")
THEME_LOCALE = Path(__file__).resolve().parents[1] / "timeline/themes/default/locale"


@pytest.fixture
def site(tmp_path) -> Path:
    return Path(shutil.copytree(SITES / "minimal", tmp_path / "site"))


def typed(site: Path, kind: str) -> None:
    record = site / RECORD
    record.write_text(record.read_text() + f"type: {kind}\n")


def problems_of(cli, site: Path) -> list[tuple[str, int, str, str, str]]:
    found = json.loads(cli("check", "--site", str(site), "--format", "json").stdout)
    return [(p["file"], p["line"], p["severity"], p["message"], p["hint"]) for p in found]


def test_an_unknown_type_is_refused_with_the_nearest_known_one(site, cli):
    typed(site, "wires")
    assert problems_of(cli, site) == [
        (str(RECORD), 6, "error", "unknown type `wires`", "did you mean `wire`?")
    ]


def test_a_site_adds_its_own_types_but_not_a_built_in_one_again(site, cli):
    (site / "content/source-types.yaml").write_text(
        "- id: blog\n  name: Personal blog\n- id: wire\n  name: Agency\n"
    )
    typed(site, "blog")
    assert problems_of(cli, site) == [
        (
            "content/source-types.yaml",
            1,
            "error",
            "`wire` is a built-in type",
            "it is built in: remove it from content/source-types.yaml",
        )
    ]
    (site / "content/source-types.yaml").write_text("- id: blog\n  name: Personal blog\n")
    assert problems_of(cli, site) == []
    out = site.parent / "out"
    assert build_site(site, out).ok
    page = (out / "events/2023-10-16-first-call/index.html").read_text()
    assert '<span class="source-type">(Personal blog)</span>' in page


def test_state_media_is_named_so_in_every_record_of_its_publisher(site, cli):
    typed(site, "state-media")
    other = site / "content/sources/wire-copy.yaml"
    other.write_text(
        "publisher: example wire service\ntitle: The same agency, another story\n"
        "url: https://example.org/news/other\ntype: wire\n"
    )
    entry = site / "content/events/2023/2023-11-vote.yaml"
    entry.write_text(entry.read_text().replace("  - ref: wire-report", "  - ref: wire-copy"))
    assert problems_of(cli, site) == [
        (
            "content/sources/wire-copy.yaml",
            4,
            "warning",
            "example wire service is typed as state media in content/sources/wire-report.yaml, "
            "but not here",
            "type: state-media",
        ),
    ]


def test_the_type_is_shown_in_the_pages_language_and_is_a_search_filter(site):
    typed(site, "wire")
    content = check_site(site).content
    timeline = assemble(content)
    event = timeline.by_id["2023-10-16-first-call"]
    english = language_of("en", [THEME_LOCALE])
    russian = language_of("ru", [THEME_LOCALE])
    assert search_record(event, timeline, english).filters["type"] == ["Wire agency"]
    assert search_record(event, timeline, russian).filters["type"] == ["Информационное агентство"]
    untyped = timeline.by_id["2024-02-05-second-call"]  # an inline source: no type
    assert search_record(untyped, timeline, english).filters["type"] == []
    out = site.parent / "out"
    assert build_site(site, out).ok
    search = parse_html((out / "search/index.html").read_text())
    options = [o for o in search.find("option") if o.get("data-id") == "wire"]
    assert [o["value"] for o in options] == ["Wire agency"]
    source = (out / "sources/wire-report/index.html").read_text()
    assert "<dt>Kind of source</dt><dd>Wire agency</dd>" in source


def test_without_typed_records_the_search_page_offers_no_type_filter(site):
    out = site.parent / "out"
    assert build_site(site, out).ok
    assert 'name="type"' not in (out / "search/index.html").read_text()


def test_renaming_a_kind_of_source_makes_its_search_shards_again(site):
    """A record's search filter is the kind's name: a new name is a new shard, not a stale one."""
    typed(site, "blog")
    types = site / "content/source-types.yaml"
    english = language_of("en", [THEME_LOCALE])

    def prints() -> dict[str, str]:
        timeline = assemble(check_site(site).content)
        return search_shards_of([(timeline, english)], Fingerprints()).prints

    types.write_text("- id: blog\n  name: Personal blog\n")
    before = prints()
    types.write_text("- id: blog\n  name: Weblog\n")
    after = prints()
    assert before.keys() == after.keys() and all(before[k] != after[k] for k in before)
