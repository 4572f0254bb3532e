"""render/activity.py: the landing page's bars of entries per month, run from the right when the
language is written right to left."""

from __future__ import annotations

from conftest import SITES

from timeline.assemble.timeline import assemble
from timeline.engine.content import check_site
from timeline.render.activity import BAR_WIDTH, activity


def test_right_to_left_the_months_run_from_the_right():
    timeline = assemble(check_site(SITES / "minimal").content)
    ltr, rtl = activity(timeline), activity(timeline, rtl=True)
    assert [(b.year, b.month) for b in ltr.bars] == [(b.year, b.month) for b in rtl.bars]
    assert [b.x for b in ltr.bars] == sorted(b.x for b in ltr.bars)  # first month leftmost
    assert [b.x + BAR_WIDTH for b in rtl.bars] == [ltr.width - b.x for b in ltr.bars]
    assert rtl.bars[0].x + BAR_WIDTH == rtl.width  # first month at the right edge
    assert [(year, ltr.width - x) for year, x in ltr.years] == list(rtl.years)
