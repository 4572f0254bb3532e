"""The committed versions of the entries, with the text and the entry each made.

git gives each version's blob; a blob's text and draft never change, so a session keeps them by
blob (and path), the store keeps the drafts for the next process, and only the versions neither
holds are parsed, by the workers; the texts come from one `git cat-file --batch`. Each version's
entry is checked against today's registers, as the living entries are: a past version that no
longer passes (it cites a record since removed, say) is published as its text.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from datetime import date
from pathlib import Path
from typing import Any

from timeline.assemble.timeline import REMOVED, PastVersion
from timeline.engine.content import EntryChecks
from timeline.engine.scheduler import Scheduler
from timeline.engine.store import Store
from timeline.git import Histories, Version, read_blobs
from timeline.validate.across import Known
from timeline.validate.drafts import draft_from_json, draft_to_json
from timeline.validate.files import read_entry


class VersionMemo:
    """What a session keeps of past versions, by blob and path (the same bytes at another path
    are another entry's, or the same entry under another id): the text and the draft, and the
    check of the draft while what it read of the registers holds."""

    def __init__(self) -> None:
        self.drafts: dict[tuple[str, str], tuple[str, Any]] = {}  # (blob, path) -> (text, draft)
        self.checks = EntryChecks()


def past_versions(
    root: Path,
    histories: Histories,
    known: Known,
    today: date,
    memo: VersionMemo,
    store: Store,
    scheduler: Scheduler,
) -> tuple[dict[str, tuple[PastVersion, ...]], tuple[PastVersion, ...]]:
    """Each entry file's versions, oldest first, and the entries removed, each as its last
    version at the commit that removed it (a version whose bytes git cannot give is left out)."""
    lines = histories.versions
    ends = [dataclasses.replace(r.last, commit=r.commit) for r in histories.removed]
    wanted = {(v.blob, v.path) for v in [*(v for line in lines.values() for v in line), *ends]}
    _draft_versions(root, wanted, memo, store, scheduler)
    memo.checks.keep_only({_key(blob, path) for blob, path in wanted})
    past = {file: [_past(v, known, today, memo) for v in line] for file, line in lines.items()}
    kept = {file: tuple(p for p in line if p is not None) for file, line in past.items()}
    return kept, tuple(_removed(end, memo) for end in ends if (end.blob, end.path) in memo.drafts)


def _draft_versions(
    root: Path, wanted: set[tuple[str, str]], memo: VersionMemo, store: Store, scheduler: Scheduler
) -> None:
    """The text and draft of every wanted version in `memo`: from memory, else from the store
    (by the draft kept as JSON, the text by one `cat-file`), else made by the workers."""
    for key in [key for key in memo.drafts if key not in wanted]:
        del memo.drafts[key]
    rows = store.table("versions")
    for key in [key for key in rows if tuple(key.split(":", 1)) not in wanted]:
        store.delete("versions", key)
    unread = sorted(wanted - memo.drafts.keys())
    found = read_blobs(root, sorted({blob for blob, _ in unread}))
    unread = [(blob, path) for blob, path in unread if blob in found]
    stored = [(blob, path) for blob, path in unread if _key(blob, path) in rows]
    for blob, path in stored:
        draft = draft_from_json(json.loads(rows[_key(blob, path)][0]))
        memo.drafts[blob, path] = (found[blob].decode("utf-8", errors="replace"), draft)
    made = [(blob, path) for blob, path in unread if _key(blob, path) not in rows]
    for (blob, path), (text, draft, as_json) in zip(
        made, scheduler.map(functools.partial(_drafted, found), made), strict=True
    ):
        memo.drafts[blob, path] = (text, draft)
        store.put("versions", _key(blob, path), (as_json,))


def _drafted(found: dict[str, bytes], version: tuple[str, str]) -> tuple[str, Any, str]:
    """A version's text, its draft, and the draft as JSON (made in a worker)."""
    blob, path = version
    draft = read_entry(path, found[blob])
    as_json = json.dumps(draft_to_json(draft), ensure_ascii=False, separators=(",", ":"))
    return found[blob].decode("utf-8", errors="replace"), draft, as_json


def _key(blob: str, path: str) -> str:
    return f"{blob}:{path}"


def _removed(end: Version, memo: VersionMemo) -> PastVersion:
    """A removed entry, as its file last was (read alone: only its title is shown)."""
    text, draft = memo.drafts[end.blob, end.path]
    return PastVersion(end, text, draft.event, kind=REMOVED)


def _past(version: Version, known: Known, today: date, memo: VersionMemo) -> PastVersion | None:
    if (version.blob, version.path) not in memo.drafts:
        return None
    text, draft = memo.drafts[version.blob, version.path]
    problems, event = memo.checks(draft, known, today, key=_key(version.blob, version.path))
    corrections = len(draft.event.corrections) if draft.event is not None else 0
    passes = not any(problem.is_error for problem in problems)
    return PastVersion(version, text, event if passes else None, corrections)
