"""Load and validate a site: the first two stages of the pipeline, shared by every command."""

from __future__ import annotations

import os
from pathlib import Path

from timeline.dates import today
from timeline.engine.recall import EntryMemory
from timeline.load.files import load_site
from timeline.validate.checks import Unsure, Validated, validate


def check_site(root: Path, memory: EntryMemory | None = None) -> Validated:
    """With `memory` (see `recall.py`), files it knows are not parsed again, and it learns the
    others; the result is the same."""
    day = today(os.environ.get("SOURCE_DATE_EPOCH"))
    if memory is None:
        return validate(load_site(root), today=day)
    loaded = load_site(root, memory.knows)
    try:
        checked = validate(loaded, today=day, known=memory.known(loaded))
    except Unsure:  # something to report in a file not parsed: validate everything afresh
        loaded = load_site(root)
        checked = validate(loaded, today=day)
    memory.learn(loaded, checked)
    return checked
