"""Load and validate a site's content, each file's own verdict kept by the digest of its bytes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from timeline.engine.settings import read_settings
from timeline.engine.store import Store
from timeline.load.files import load_site
from timeline.validate.checks import Validated, validate


def check_site(root: Path) -> Validated:
    """Load and validate a site as `timeline check` does: everything, remembering nothing."""
    return validate(load_site(root), today=read_settings().build_day)


def check_content(root: Path, store: Store, build_day: date) -> Validated:
    return validate(load_site(root), today=build_day)
