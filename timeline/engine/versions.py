"""The committed versions of the entries, with the text and the entry each made.

git gives each version's blob; a blob's text and draft never change, so a session keeps them by
blob, and only the blobs it has not seen are read (one `git cat-file --batch`). Each version's
entry is checked against today's registers, as the living entries are: a past version that no
longer passes (it cites a record since removed, say) is published as its text.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

from timeline.assemble.timeline import REMOVED, PastVersion
from timeline.engine.content import EntryChecks
from timeline.git import Histories, Version, read_blobs
from timeline.validate.across import Known
from timeline.validate.files import read_entry


class VersionMemo:
    """What a session keeps of past versions, by blob and path (the same bytes at another path
    are another entry's, or the same entry under another id): the text and the draft, and the
    check of the draft while what it read of the registers holds."""

    def __init__(self) -> None:
        self.drafts: dict[tuple[str, str], tuple[str, Any]] = {}  # (blob, path) -> (text, draft)
        self.checks = EntryChecks()


def past_versions(
    root: Path, histories: Histories, known: Known, today: date, memo: VersionMemo
) -> tuple[dict[str, tuple[PastVersion, ...]], tuple[PastVersion, ...]]:
    """Each entry file's versions, oldest first, and the entries removed, each as its last
    version at the commit that removed it (a version whose bytes git cannot give is left out)."""
    lines = histories.versions
    ends = [dataclasses.replace(r.last, commit=r.commit) for r in histories.removed]
    wanted = {(v.blob, v.path) for v in [*(v for line in lines.values() for v in line), *ends]}
    for key in [key for key in memo.drafts if key not in wanted]:
        del memo.drafts[key]
    unread = wanted - memo.drafts.keys()
    found = read_blobs(root, sorted({blob for blob, _ in unread}))
    for blob, path in unread:
        if blob in found:
            text = found[blob].decode("utf-8", errors="replace")
            memo.drafts[blob, path] = (text, read_entry(path, found[blob]))
    memo.checks.keep_only({f"{blob}:{path}" for blob, path in wanted})
    past = {file: [_past(v, known, today, memo) for v in line] for file, line in lines.items()}
    kept = {file: tuple(p for p in line if p is not None) for file, line in past.items()}
    return kept, tuple(_removed(end, memo) for end in ends if (end.blob, end.path) in memo.drafts)


def _removed(end: Version, memo: VersionMemo) -> PastVersion:
    """A removed entry, as its file last was (read alone: only its title is shown)."""
    text, draft = memo.drafts[end.blob, end.path]
    return PastVersion(end, text, draft.event, kind=REMOVED)


def _past(version: Version, known: Known, today: date, memo: VersionMemo) -> PastVersion | None:
    if (version.blob, version.path) not in memo.drafts:
        return None
    text, draft = memo.drafts[version.blob, version.path]
    key = f"{version.blob}:{version.path}"
    problems, event = memo.checks(draft, known, today, key=key)
    corrections = len(draft.event.corrections) if draft.event is not None else 0
    passes = not any(problem.is_error for problem in problems)
    return PastVersion(version, text, event if passes else None, corrections)
