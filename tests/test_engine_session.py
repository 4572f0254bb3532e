"""A build state kept in memory between builds (the seam the preview uses), told which paths
changed; and change detection by stat first, as git's index does."""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

import pytest
from conftest import SITES
from test_incremental import (
    EVENTS,
    TRANSLATION_CHANGES,
    add_entry,
    assert_same_as_full_build,
    delete_entry,
    edit_actor_name,
    edit_body,
    edit_first_title,
    edit_site,
    edit_source,
    edit_static,
    edit_template,
    edit_theme_template,
    edit_title,
    edit_translation,
    override_reading_others,
    rename_entry,
    theme_of_its_own,
    tree,
    type_a_source,
)

from timeline.engine import content
from timeline.engine.build import Session
from timeline.engine.settings import read_settings

ENTRY = EVENTS / "2023/2023-11-vote.yaml"
LONG_AGO = 1_600_000_000  # seconds: outside the window where a stat is not trusted


@pytest.fixture
def session(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site)
    os.utime(site / ENTRY, (LONG_AGO, LONG_AGO))
    kept = Session(site, tmp_path / "out")
    assert kept.build(read_settings()).ok
    yield kept
    kept.close()


def same_size_edit(session: Session) -> None:
    """Change a word for one of the same length, and put the modification time back."""
    entry = session.site_root / ENTRY
    entry.write_text(entry.read_text().replace("votes on", "voted on"))
    os.utime(entry, (LONG_AGO, LONG_AGO))


def test_a_kept_session_builds_what_a_cold_build_does(session, tmp_path):
    entry = session.site_root / ENTRY
    for number, (old, new) in enumerate([("votes on", "rejects"), ("rejects", "adopts")]):
        entry.write_text(entry.read_text().replace(old, new))
        result = session.build(read_settings())
        assert result.ok and 0 < result.reused < result.pages
        assert_same_as_full_build(session.site_root, session.output, tmp_path / str(number))


def test_an_unchanged_stat_is_trusted_until_the_watcher_names_the_path(session, tmp_path):
    before = tree(session.output)
    same_size_edit(session)
    assert session.build(read_settings()).ok
    assert tree(session.output) == before  # size, time and inode as recorded: not read again
    assert session.build(read_settings(), changed=[ENTRY.as_posix()]).ok
    assert "voted on" in (session.output / "events/2023-11-vote/index.html").read_text()
    assert_same_as_full_build(session.site_root, session.output, tmp_path)


def test_a_file_changed_just_before_the_last_look_is_read_again(session, tmp_path):
    entry = session.site_root / ENTRY
    os.utime(entry)  # now: within the window where a quick second save keeps the stat
    assert session.build(read_settings()).ok
    entry.write_text(entry.read_text().replace("votes on", "voted on"))
    stat = entry.stat()
    os.utime(entry, ns=(stat.st_atime_ns, session.store.table("inputs")[ENTRY.as_posix()][1]))
    assert session.build(read_settings()).ok
    assert "voted on" in (session.output / "events/2023-11-vote/index.html").read_text()


def inputs_of(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def reported(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """The paths a watcher reports between two states: added, removed or modified."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


# Every kind of change, one after another in one kept session, as an editor makes them.
EDITS = [
    edit_title,
    edit_body,
    edit_source,
    override_reading_others,
    edit_first_title,
    theme_of_its_own,
    edit_theme_template,
    add_entry,
    rename_entry,
    delete_entry,
    edit_template,
    edit_static,
    edit_actor_name,
    type_a_source,
    edit_site,
]


@pytest.fixture
def kept(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site)
    session = Session(site, tmp_path / "out", kept=True)
    assert session.build(read_settings()).ok
    yield session
    session.close()
    gc.unfreeze()  # `settle` set the test process's objects aside from the collector


def test_a_kept_session_after_each_kind_of_change_equals_a_cold_build(kept, tmp_path):
    site = kept.site_root
    assert not (kept.folder / "spare").exists()
    kept.settle()  # between builds, as the preview does: the spare folder is made now
    assert (kept.folder / "spare" / "events").is_dir()
    for edit in EDITS:
        before = inputs_of(site)
        edit(site)
        result = kept.build(read_settings(), changed=reported(before, inputs_of(site)))
        assert result.ok, (edit.__name__, result.problems)
        assert result.remade or edit is edit_static, edit.__name__  # a copy is not "made"
        assert_same_as_full_build(site, kept.output, tmp_path / edit.__name__)
    assert not (tmp_path / ".out.timeline" / "store.sqlite").exists()  # memory only


def test_a_kept_session_reads_only_the_files_named_and_renders_only_what_they_change(
    kept, monkeypatch
):
    read = []
    real = content.read_entry
    monkeypatch.setattr(
        content, "read_entry", lambda path, raw: [read.append(path), real(path, raw)][1]
    )
    edit_body(kept.site_root)
    result = kept.build(read_settings(), changed=["content/events/2024/2024-02-05-second-call.md"])
    assert read == ["content/events/2024/2024-02-05-second-call.md"]
    # The entry's page and the exports made of whole entries: no list shows a body.
    assert sorted(result.remade) == [
        "events.ics",
        "events.json",
        "events/2024-02-05-second-call/index.html",
    ]


def test_a_kept_session_builds_nothing_again_when_nothing_changed(kept):
    before = tree(kept.output)
    result = kept.build(read_settings(), changed=[])
    assert result.ok and result.reused == result.pages and result.remade == []
    assert tree(kept.output) == before


def test_a_kept_session_of_a_site_in_several_languages_equals_a_cold_build(tmp_path):
    site = Path(shutil.copytree(SITES / "translated", tmp_path / "site"))
    session = Session(site, tmp_path / "out", kept=True)
    try:
        assert session.build(read_settings()).ok
        for edit in TRANSLATION_CHANGES:
            session.settle()
            before = inputs_of(site)
            edit(site)
            result = session.build(read_settings(), changed=reported(before, inputs_of(site)))
            assert result.ok, (edit.__name__, result.problems)
            assert_same_as_full_build(site, session.output, tmp_path / edit.__name__)
            if edit is edit_translation:  # one entry's Hebrew words: Hebrew pages only
                assert result.remade and all(p.startswith("he/") for p in result.remade)
                assert result.reused > result.pages * 2 / 3  # the other languages, whole
    finally:
        session.close()
        gc.unfreeze()
