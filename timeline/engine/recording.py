"""Dependencies recorded, never declared: what a file reads of the timeline, noted as it reads.

Templates (the theme's, a site's own overrides, a third-party theme's) and the functions they
call see the timeline through a `RecordingTimeline`, and every entry they meet (in the timeline
or in their page's context) as a `RecordingEvent`. Each read is noted as a key:

- `("events",)` for a whole attribute of the timeline, `("updated", "<id>")` for one item of a
  mapping. What such a key holds is compared by its *shape*: the entries in it count by their
  ids, since what is read of each entry is recorded apart;
- `("entry", "<id>", "title")` for one attribute of one entry, `("entry", "<id>")` for all of
  it (an export's piece, made from the whole entry).

So the list of all entries depends on each entry's title, date and summary, not on its body: a
body edit re-renders the entry's own page, not the lists it is in. A key is plain JSON (a list
of strings), so the store needs no pickle.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

from timeline.assemble.timeline import Month, Year
from timeline.model import Event

Key = tuple[str, ...]
ENTRY = "entry"  # the first part of the keys of entries
MISSING = object()  # a mapping item that is not there (its absence is recorded, too)
_PLAIN = (str, int, float, bool, type(None))
UNCHANGING = frozenset({"id"})  # an entry's id is its key: reading it depends on nothing


class RecordingEvent:
    """An entry as a template sees it: each attribute read is noted."""

    __slots__ = ("_event", "_reads")

    def __init__(self, event: Event, reads: set[Key]) -> None:
        self._event = event
        self._reads = reads

    def __getattr__(self, name: str) -> Any:
        if name not in UNCHANGING:
            self._reads.add((ENTRY, self._event.id, name))
        return getattr(self._event, name)

    def __repr__(self) -> str:
        return f"RecordingEvent({self._event.id!r})"


def recorded(value: Any, reads: set[Key]) -> Any:
    """`value` with every entry in it (at any depth of tuples, lists, dicts, years and months)
    as a `RecordingEvent`; a value without entries is returned as it is."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is Event:
        return RecordingEvent(value, reads)
    if kind is tuple or kind is list:
        items = [recorded(item, reads) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else kind(items)
    if kind is dict:
        items = {key: recorded(item, reads) for key, item in value.items()}
        return value if all(items[key] is value[key] for key in value) else items
    if kind is Year:
        return dataclasses.replace(value, months=recorded(value.months, reads))
    if kind is Month:
        return dataclasses.replace(value, events=recorded(value.events, reads))
    return value  # the other values of a timeline or a context hold no entries


def unrecorded(event: Any) -> Event:
    """The entry itself, whether or not it is seen through a `RecordingEvent`."""
    return event._event if isinstance(event, RecordingEvent) else event


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
        return recorded(value, self._reads)


class RecordingMapping(Mapping[str, Any]):
    """One mapping of the timeline: an item read is one key, anything wider the whole."""

    def __init__(self, name: str, mapping: Mapping[str, Any], reads: set[Key]) -> None:
        self._name = name
        self._mapping = mapping
        self._reads = reads

    def __getitem__(self, key: str) -> Any:
        self._reads.add((self._name, key))
        return recorded(self._mapping[key], self._reads)

    def __contains__(self, key: object) -> bool:
        self._reads.add((self._name, str(key)))
        return key in self._mapping

    def get(self, key: str, default: Any = None) -> Any:
        self._reads.add((self._name, key))
        return recorded(self._mapping.get(key, default), self._reads)

    def __iter__(self) -> Iterator[str]:
        self._reads.add((self._name,))
        return iter(self._mapping)

    def __len__(self) -> int:
        self._reads.add((self._name,))
        return len(self._mapping)


def value_at(timeline: Any, key: Key) -> Any:
    """What `key` reads in `timeline` now (MISSING for what is not there)."""
    if key[0] == ENTRY:
        event = timeline.by_id.get(key[1], MISSING)
        if len(key) == 2 or event is MISSING:
            return event
        return getattr(event, key[2], MISSING)
    value = getattr(timeline, key[0], MISSING)
    if len(key) == 1 or value is MISSING:
        return value
    return value.get(key[1], MISSING)
