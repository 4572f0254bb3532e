"""The across-files stage: from drafts, the same result as validating the loaded site, whether
the drafts are fresh or were kept as JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sitedrafts import Drafted, drafted, make_any_site, make_named_site, site_params

from timeline.validate.across import Validated, validate_site
from timeline.validate.checks import validate
from timeline.validate.drafts import draft_from_json, draft_to_json

DAYS = [date(2024, 6, 1), date(2023, 11, 14), date(2026, 12, 3)]


def _from_drafts(found: Drafted, entries: list, sources: list, day: date) -> Validated:
    loaded = found.loaded
    return validate_site(
        loaded.site, loaded.actors, loaded.topics, entries, sources, found.problems, today=day
    )


def _kept(drafts: list) -> list:
    return [draft_from_json(json.loads(json.dumps(draft_to_json(d)))) for d in drafts]


@pytest.mark.parametrize("which", site_params())
def test_drafts_kept_as_json_validate_as_the_loaded_site(
    which: tuple[str, str], tmp_path: Path
) -> None:
    found = drafted(make_any_site(which, tmp_path))
    kept_entries, kept_sources = _kept(found.entries), _kept(found.sources)
    for day in DAYS if which[0] == "site" else DAYS[:1]:
        whole = validate(found.loaded, today=day)
        fresh = _from_drafts(found, found.entries, found.sources, day)
        kept = _from_drafts(found, kept_entries, kept_sources, day)
        assert fresh.problems == whole.problems
        assert fresh.content == whole.content
        assert kept.problems == whole.problems
        assert kept.content == whole.content


def test_the_order_of_the_drafts_does_not_matter(tmp_path: Path) -> None:
    found = drafted(make_named_site("cross-files", tmp_path))
    day = DAYS[0]
    forwards = _from_drafts(found, found.entries, found.sources, day)
    backwards = _from_drafts(found, found.entries[::-1], found.sources[::-1], day)
    assert backwards == forwards


def test_the_sites_reach_what_crosses_files(tmp_path: Path) -> None:
    """The test sites exercise every check of this stage (else the comparisons above say little)."""
    messages = [
        p.message
        for name in ("cross-files", "warnings")
        for p in validate(
            drafted(make_named_site(name, tmp_path / name)).loaded, today=DAYS[0]
        ).problems
    ]
    for words in [
        "is already used",
        "unknown actor",
        "unknown topic",
        "unknown event",
        "unknown source",
        "after the build day",
        "probably the same event",
        "no entry cites",
        "TODO placeholder",
    ]:
        assert any(words in message for message in messages), words
    warnings = validate(drafted(make_named_site("warnings", tmp_path / "w")).loaded, today=DAYS[0])
    assert warnings.ok
    assert warnings.problems and not any(p.is_error for p in warnings.problems)


def test_registry_citations_resolve_to_the_records(tmp_path: Path) -> None:
    found = drafted(make_named_site("minimal", tmp_path))
    checked = _from_drafts(found, _kept(found.entries), _kept(found.sources), DAYS[0])
    assert checked.content is not None
    record = checked.content.sources["wire-report"]
    cited = [c.source for e in checked.content.events for c in e.citations if c.source.id]
    assert cited and all(source == record for source in cited)
    assert record.publisher == "Example Wire Service"
