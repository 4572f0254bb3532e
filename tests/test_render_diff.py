"""The word diff of two versions: it always rebuilds both texts, and marks whole words."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from timeline.render.diff import DELETED, INSERTED, SAME, word_diff

WORDS = st.sampled_from(["the", "call", "Россия", "שיחה", ",", ".", " ", "\n", "  ", "-", "vote"])
TEXTS = st.lists(WORDS, max_size=60).map("".join)


@given(TEXTS, TEXTS)
def test_the_runs_rebuild_both_texts(before, after):
    runs = word_diff(before, after)
    assert "".join(text for kind, text in runs if kind != INSERTED) == before
    assert "".join(text for kind, text in runs if kind != DELETED) == after
    assert all(text for _, text in runs)
    assert all(a[0] != b[0] for a, b in itertools.pairwise(runs))  # joined


def test_a_changed_word_is_one_deletion_and_one_insertion():
    before = "---\ntitle: A\n---\nThe leaders hold their first call.\nShort body.\n"
    after = "---\ntitle: A\n---\nThe leaders hold their opening call.\nShort body.\n"
    assert word_diff(before, after) == [
        (SAME, "---\ntitle: A\n---\nThe leaders hold their "),
        (DELETED, "first"),
        (INSERTED, "opening"),
        (SAME, " call.\nShort body.\n"),
    ]


def test_an_added_line_is_inserted_whole():
    assert word_diff("a\n", "a\nb c\n") == [(SAME, "a\n"), (INSERTED, "b c\n")]
