"""A build state kept in memory between builds (the seam the preview uses), told which paths
changed; and change detection by stat first, as git's index does."""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import SITES
from test_incremental import EVENTS, assert_same_as_full_build, tree

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
