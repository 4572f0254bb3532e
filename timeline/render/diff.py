"""A word-level difference between two texts, for a version page.

Lines are matched first, so that the lines a version left alone cost one comparison each; only
the lines it changed are compared word by word. Words, runs of spaces and single punctuation
marks are the units there (difflib's matcher, as the standard library gives it), so a changed
word shows as one deletion and one insertion, not as changed characters. The template marks them
with <del> and <ins> and with text, not colour alone.
"""

from __future__ import annotations

import difflib
import re

SAME, DELETED, INSERTED = "same", "deleted", "inserted"
_UNIT = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """(SAME | DELETED | INSERTED, text) runs that turn `before` into `after`."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            runs.append((SAME, "".join(old[a1:a2])))
        else:
            runs += _words("".join(old[a1:a2]), "".join(new[b1:b2]))
    return _joined(runs)


def _words(before: str, after: str) -> list[tuple[str, str]]:
    old, new = _UNIT.findall(before), _UNIT.findall(after)
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            runs.append((SAME, "".join(old[a1:a2])))
            continue
        if a2 > a1:
            runs.append((DELETED, "".join(old[a1:a2])))
        if b2 > b1:
            runs.append((INSERTED, "".join(new[b1:b2])))
    return runs


def _joined(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Neighbouring runs of one kind made one."""
    joined: list[tuple[str, str]] = []
    for kind, text in runs:
        if joined and joined[-1][0] == kind:
            joined[-1] = (kind, joined[-1][1] + text)
        else:
            joined.append((kind, text))
    return joined
