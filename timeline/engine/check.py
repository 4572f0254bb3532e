"""Load and validate a site: the first two stages of the pipeline, shared by every command."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from timeline.dates import today
from timeline.load.files import load_site
from timeline.validate.checks import Validated, validate


def check_site(root: Path, memory: Any = None) -> Validated:
    """Everything, read and validated afresh. `memory` is ignored: it stays in the signature
    for the callers of the engine being rewritten, which memoizes each file's draft itself."""
    day = today(os.environ.get("SOURCE_DATE_EPOCH"))
    return validate(load_site(root), today=day)
