"""What a build remembers of each file gives exactly what a full validation gives: the same
content and the same problems, at the same places, after every kind of change."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, SITES

from timeline.engine.check import check_site
from timeline.engine.recall import SUFFIX, EntryMemory
from timeline.load import files as load
from timeline.validate.checks import Validated

EVENTS = Path("content/events")
VOTE = EVENTS / "2023/2023-11-vote.yaml"
FIRST_CALL = EVENTS / "2023/2023-10-16-first-call.md"


@pytest.fixture
def site(tmp_path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site)
    # A warning of the file's own (kept with what is remembered of it).
    (site / EVENTS / "2023/2023-12-todo.yaml").write_text(
        "title: TODO a title\ndate: 2023-12-01\nsummary: Something happened.\n"
        "sources:\n  - ref: wire-report\n"
    )
    return site


def checked_with_memory(site: Path, output: Path) -> tuple[Validated, int]:
    """Check `site` with the memory kept for `output` (read from its file, as a build does),
    save what it learned; return the result and how many files were parsed."""
    memory = EntryMemory.for_output(output)
    parsed = []
    real = load.parse_document

    def counting(raw: bytes, path: str, **kwargs: bool):
        parsed.append(path)
        return real(raw, path, **kwargs)

    load.parse_document = counting
    try:
        checked = check_site(site, memory)
    finally:
        load.parse_document = real
    memory.save()
    return checked, len([p for p in parsed if p.startswith("content/events/")])


def assert_same_as_full(site: Path, checked: Validated) -> None:
    full = check_site(site)
    assert checked.problems == full.problems
    assert checked.content == full.content


def replace_in(file: Path, old: str, new: str) -> None:
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new))


def edit_title(site: Path) -> None:
    replace_in(site / VOTE, "Council votes on a draft", "Council rejects a draft")


def drop_an_actor(site: Path) -> None:  # the known entries that name it are now wrong
    replace_in(site / "content/actors.yaml", "- id: beta\n  name: Betaland\n", "")


def clash_with_a_known_id(site: Path) -> None:
    (site / EVENTS / "2023/clash.yaml").write_text(
        "id: 2023-11-vote\ntitle: Another\ndate: 2023-11-02\nsummary: S.\n"
        "sources:\n  - ref: wire-report\n"
    )


def alias_a_known_id(site: Path) -> None:
    replace_in(site / VOTE, "title:", "aliases: [2023-10-16-first-call]\ntitle:")


def duplicate_a_known_entry(site: Path) -> None:
    text = (site / FIRST_CALL).read_text()
    (site / EVENTS / "2023/2023-10-16-same-call.md").write_text(text)


def edit_a_source(site: Path) -> None:  # every known entry citing it shows the new record
    replace_in(site / "content/sources/wire-report.yaml", "Leaders talk by phone", "Leaders speak")


def delete_a_source(site: Path) -> None:
    (site / "content/sources/wire-report.yaml").unlink()


def leave_a_source_uncited(site: Path) -> None:
    (site / "content/sources/spare.yaml").write_text("publisher: Spare\ntitle: Unused\n")


def relate_to_a_missing_entry(site: Path) -> None:
    (site / VOTE).unlink()  # the first call names it in `related`


def rename_an_entry(site: Path) -> None:
    (site / VOTE).rename(site / EVENTS / "2023/2023-11-council-vote.yaml")


def today_before_an_entry(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 14 November 2023


CHANGES: dict[str, Callable[..., None]] = {
    "edit a title": edit_title,
    "drop an actor": drop_an_actor,
    "clash with a known id": clash_with_a_known_id,
    "alias a known id": alias_a_known_id,
    "duplicate a known entry": duplicate_a_known_entry,
    "edit a source": edit_a_source,
    "delete a source": delete_a_source,
    "leave a source uncited": leave_a_source_uncited,
    "relate to a missing entry": relate_to_a_missing_entry,
    "rename an entry": rename_an_entry,
}


@pytest.mark.parametrize("change", CHANGES)
def test_after_a_change_the_result_is_a_full_validations(site, tmp_path, change):
    first, parsed = checked_with_memory(site, tmp_path / "out")
    assert first.ok and parsed == 4
    CHANGES[change](site)
    checked, _ = checked_with_memory(site, tmp_path / "out")
    assert_same_as_full(site, checked)


def test_build_day_before_a_known_entry(site, tmp_path, monkeypatch):
    assert checked_with_memory(site, tmp_path / "out")[0].ok
    today_before_an_entry(site, monkeypatch)
    checked, _ = checked_with_memory(site, tmp_path / "out")
    assert not checked.ok
    assert_same_as_full(site, checked)


def test_unchanged_files_are_not_parsed_again(site, tmp_path):
    first, parsed = checked_with_memory(site, tmp_path / "out")
    assert parsed == 4 and any(
        p.message == "still holds a TODO placeholder" for p in first.problems
    )
    again, parsed = checked_with_memory(site, tmp_path / "out")
    assert parsed == 0
    assert again.problems == first.problems and again.content == first.content
    edit_title(site)
    edited, parsed = checked_with_memory(site, tmp_path / "out")
    assert parsed == 1
    assert edited.content.events[1].title == "Council rejects a draft"
    assert_same_as_full(site, edited)


def test_the_repository_from_memory(tmp_path):
    first, _ = checked_with_memory(ROOT, tmp_path / "out")
    again, parsed = checked_with_memory(ROOT, tmp_path / "out")
    assert parsed == 0 and len(first.content.events) > 30
    assert again.problems == first.problems and again.content == first.content


def test_a_failed_check_teaches_nothing(site, tmp_path):
    assert checked_with_memory(site, tmp_path / "out")[0].ok
    delete_a_source(site)
    assert not checked_with_memory(site, tmp_path / "out")[0].ok
    (site / "content/sources/wire-report.yaml").write_text(
        (SITES / "minimal/content/sources/wire-report.yaml").read_text()
    )
    checked, parsed = checked_with_memory(site, tmp_path / "out")
    assert checked.ok and parsed == 0  # what it knew from before the failure still holds
    assert_same_as_full(site, checked)


@pytest.mark.parametrize("damage", ["{not json", '{"format": 1, "code": "other"}', ""])
def test_an_unusable_memory_means_parsing_everything(site, tmp_path, damage):
    assert checked_with_memory(site, tmp_path / "out")[0].ok
    (tmp_path / f".out{SUFFIX}").write_text(damage)
    checked, parsed = checked_with_memory(site, tmp_path / "out")
    assert parsed == 4
    assert_same_as_full(site, checked)
