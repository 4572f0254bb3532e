"""What a build depends on besides the site's files: read once, at the start of a build."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from timeline.dates import source_date_epoch, today


@dataclass(frozen=True)
class Settings:
    build_day: date  # entries may not be dated after it
    epoch: datetime | None  # SOURCE_DATE_EPOCH, for reproducible builds
    base_url: str | None  # overrides site.yaml's
    search: bool  # make the search index


def read_settings(
    base_url: str | None = None, search: bool = True, environ: Mapping[str, str] = os.environ
) -> Settings:
    """The one place that reads SOURCE_DATE_EPOCH: the build day comes from it when set."""
    epoch_text = environ.get("SOURCE_DATE_EPOCH")
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    return Settings(today(epoch_text), source_date_epoch(epoch_text), base_url or None, search)
