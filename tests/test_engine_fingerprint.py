"""Fingerprints: equal values, equal prints; whatever objects they happen to share."""

from __future__ import annotations

import dataclasses

from conftest import SITES

from timeline.engine.content import check_site
from timeline.engine.fingerprint import Fingerprints
from timeline.model import Term


def copied(text: str) -> str:
    return "".join(list(text))  # an equal string that is another object


def test_a_shared_string_prints_like_two_copies():
    name = copied("dalmar")
    shared = (("actors", name), Term(id=name, name="Dalmar"))
    apart = (("actors", copied(name)), Term(id=copied(name), name="Dalmar"))
    assert shared[0][1] is shared[1].id and apart[0][1] is not apart[1].id
    assert Fingerprints().of(*shared) == Fingerprints().of(*apart)


def test_an_event_prints_the_same_however_it_was_made():
    event = check_site(SITES / "minimal").content.events[0]
    rebuilt = dataclasses.replace(
        event, id=copied(event.id), title=copied(event.title), file=copied(event.file)
    )
    prints = Fingerprints()
    assert prints.event(event) == Fingerprints().event(rebuilt)
    assert prints.of({"event": event}) == Fingerprints().of({"event": rebuilt})


def test_different_values_print_differently():
    event = check_site(SITES / "minimal").content.events[0]
    retitled = dataclasses.replace(event, title=event.title + ".")
    assert Fingerprints().of(event) != Fingerprints().of(retitled)
    assert Fingerprints().of(("updated", "a"), None) != Fingerprints().of(("updated", "b"), None)
