"""Each file's draft is kept by the digest of its bytes: an unchanged file is not parsed again,
and the problems are always those of a full validation."""

from __future__ import annotations

import shutil

import pytest
from conftest import SITES
from test_incremental import EVENTS

from timeline.engine import content
from timeline.engine.build import build_site
from timeline.engine.content import check_site

VOTE = EVENTS / "2023/2023-11-vote.yaml"


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    copy = tmp_path / "site"
    shutil.copytree(SITES / "minimal", copy)
    assert build_site(copy, tmp_path / "out", search=False).ok
    return copy


def counted(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = content.read_entry
    monkeypatch.setattr(
        content, "read_entry", lambda path, raw: calls.append(path) or real(path, raw)
    )
    return calls


def test_only_the_changed_entry_is_parsed_again(site, monkeypatch):
    calls = counted(monkeypatch)
    entry = site / VOTE
    entry.write_text(entry.read_text().replace("votes on", "voted on"))
    assert build_site(site, site.parent / "out", search=False).ok
    assert calls == [VOTE.as_posix()]


def drop_actor(site):
    actors = site / "content/actors.yaml"
    actors.write_text(actors.read_text().replace("- id: beta", "- id: gamma"))


def clash_with_an_unchanged_entry(site):
    (site / EVENTS / "2023/2023-12-02-copy.md").write_text(
        "---\nid: 2023-11-vote\ntitle: A copy\ndate: 2023-12-02\nsummary: Same id.\n"
        "sources:\n  - ref: wire-report\n---\n"
    )


def delete_source(site):
    (site / "content/sources/wire-report.yaml").unlink()


def build_day_before_the_entries(site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")  # September 2020


@pytest.mark.parametrize(
    "change",
    [drop_actor, clash_with_an_unchanged_entry, delete_source, build_day_before_the_entries],
)
def test_problems_in_unparsed_files_are_those_of_a_full_validation(site, monkeypatch, change):
    calls = counted(monkeypatch)
    if change is build_day_before_the_entries:
        change(site, monkeypatch)
    else:
        change(site)
    result = build_site(site, site.parent / "out", search=False)
    assert not result.ok
    assert result.problems == check_site(site).problems
    assert VOTE.as_posix() not in calls  # its problems came from its kept draft
