"""Dependencies recorded, never declared: what a page reads of the timeline, noted as it reads.

Templates (the theme's, a site's own overrides, a third-party theme's) and the functions they
call see the timeline through a `RecordingTimeline`. Every attribute read is noted as a key:
`("events",)` for a whole attribute (a list, or a mapping iterated or counted), and
`("updated", "<id>")` for one item of a mapping. The engine stores each page's keys with the
fingerprint of what they held; a later build re-renders the page only when one of them holds
something else. A key is plain JSON (a list of strings), so the store needs no pickle.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

Key = tuple[str, ...]
MISSING = object()  # a mapping item that is not there (its absence is recorded, too)


class RecordingTimeline:
    """The timeline as templates see it; `reads` collects the keys read."""

    def __init__(self, timeline: Any, reads: set[Key]) -> None:
        self._timeline = timeline
        self._reads = reads

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._timeline, name)
        if isinstance(value, Mapping):
            return RecordingMapping(name, value, self._reads)
        self._reads.add((name,))
        return value


class RecordingMapping(Mapping[str, Any]):
    """One mapping of the timeline: an item read is one key, anything wider the whole."""

    def __init__(self, name: str, mapping: Mapping[str, Any], reads: set[Key]) -> None:
        self._name = name
        self._mapping = mapping
        self._reads = reads

    def __getitem__(self, key: str) -> Any:
        self._reads.add((self._name, key))
        return self._mapping[key]

    def __contains__(self, key: object) -> bool:
        self._reads.add((self._name, str(key)))
        return key in self._mapping

    def get(self, key: str, default: Any = None) -> Any:
        self._reads.add((self._name, key))
        return self._mapping.get(key, default)

    def __iter__(self) -> Iterator[str]:
        self._reads.add((self._name,))
        return iter(self._mapping)

    def __len__(self) -> int:
        self._reads.add((self._name,))
        return len(self._mapping)


def value_at(timeline: Any, key: Key) -> Any:
    """What `key` reads in `timeline` now (MISSING for an item that is not there)."""
    value = getattr(timeline, key[0], MISSING)
    if len(key) == 1 or value is MISSING:
        return value
    return value.get(key[1], MISSING)
