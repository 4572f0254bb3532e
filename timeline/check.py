"""Load and validate a site: the first two stages of the pipeline, shared by every command."""

from __future__ import annotations

import os
from pathlib import Path

from .dates import today
from .load import load_site
from .validate import Validated, validate


def check_site(root: Path) -> Validated:
    return validate(load_site(root), today=today(os.environ.get("SOURCE_DATE_EPOCH")))
