"""Fingerprints: short digests that change when what they describe changes.

A fingerprint of data serialises it with pickle and hashes the bytes. Pickle is only ever
*written* here, never loaded (the store holds the digests, not the pickles): it is many times
faster than `repr` on dataclasses, and equal bytes mean equal data. Its memo is off ("fast"
mode: the data is never self-referential), so an object met twice is written twice: otherwise
two equal values would pickle differently when one shares a string between two fields and the
other holds two copies of it, as an entry parsed now and the same entry read back from the store
do, and every page would look changed. Events appear in many pages, so each is serialised once
per build (`Fingerprints`).
"""

from __future__ import annotations

import io
import os
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from timeline import __version__
from timeline.assemble.timeline import PastVersion
from timeline.model import Event
from timeline.write.files import digest


def file_digest(path: str) -> str | None:
    """The digest of a file's bytes, None when it cannot be read (the stage reading it reports
    why)."""
    try:
        with open(path, "rb") as handle:
            return digest(handle.read())
    except OSError:
        return None


def combine(parts: Iterable[str]) -> str:
    """One fingerprint of several, in order."""
    return digest("\0".join(parts).encode("utf-8", "surrogateescape"))


class Fingerprints:
    """Fingerprints of plain data and frozen dataclasses within one build; each event is
    serialised once, however many pages show it."""

    def __init__(self) -> None:
        self._events: dict[int, tuple[Event, str]] = {}
        self._pasts: dict[int, tuple[PastVersion, str]] = {}

    def of(self, *parts: object) -> str:
        return _pickled(parts, {Event: self._reduce_event})

    def shape(self, *parts: object) -> str:
        """A fingerprint in which each event counts by its id alone (what is read of it is
        fingerprinted apart: see `recording.py`), but a past version's entry, which is not the
        living one and is never recorded as read, counts whole."""
        return _pickled(parts, {Event: _event_id, PastVersion: self._reduce_past})

    def _reduce_past(self, past: PastVersion) -> tuple[type, tuple[str]]:
        """A past version by its commit, path and blob (which name its bytes, so its text and
        the entry its file makes alone), what its commit did, and what today's registers add to
        that entry: whether it passes, and the records it cites."""
        known = self._pasts.get(id(past))
        if known is None or known[0] is not past:
            cited = tuple(c.source for c in past.event.citations) if past.event else None
            entry = self.of(cited) if cited is not None else ""
            version = past.version
            stamp = f"{version.number}:{version.commit}:{version.path}:{version.blob}"
            known = (past, f"\0past:{stamp}:{past.kind}:{past.corrections}:{entry}")
            self._pasts[id(past)] = known
        return (str, (known[1],))

    def kept_for(self, events: Iterable[Event]) -> Fingerprints:
        """The fingerprints of `events` alone (those of entries gone or changed are dropped)."""
        kept = Fingerprints()
        for event in events:
            known = self._events.get(id(event))
            if known is not None and known[0] is event:
                kept._events[id(event)] = known
        return kept

    def _reduce_event(self, event: Event) -> tuple[type, tuple[str]]:
        return (str, (self.event(event),))

    def event(self, event: Event) -> str:
        known = self._events.get(id(event))
        if known is None or known[0] is not event:
            # The event is kept beside its print so that its id cannot be reused meanwhile.
            known = (event, _pickled(event, {}))
            self._events[id(event)] = known
        return known[1]


def _event_id(event: Event) -> tuple[type, tuple[str]]:
    return (str, ("\0event:" + event.id,))


def _pickled(value: object, dispatch: dict[type, Any]) -> str:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: the same bytes for equal values, however they share objects
    pickler.dispatch_table = dispatch  # type: ignore[assignment]
    pickler.dump(value)
    return digest(buffer.getvalue())


def _code_fingerprint() -> str:
    """timeline's own code and built-in themes: a new version re-renders everything."""
    package = Path(__file__).resolve().parent.parent
    files = sorted(
        os.path.join(folder, name)
        for folder, _subfolders, names in os.walk(package)
        for name in names
        if name.endswith(".py") or os.sep + "themes" + os.sep in folder + os.sep
    )
    parts = [__version__]
    for file in files:
        parts += [os.path.relpath(file, package), file_digest(file) or ""]
    return combine(parts)


CODE = _code_fingerprint()
