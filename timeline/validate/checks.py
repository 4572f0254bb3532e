"""Validate loaded documents into the content model, collecting every problem in one run.

Two stages: each entry and source file alone, into a draft that depends on nothing but the
file's path and bytes (`files.py`), then what involves several files or the build day
(`across.py`). `validate` runs both on a loaded site; a build that keeps drafts by the digest of
their files' bytes runs the first only for files that changed.
"""

from __future__ import annotations

from datetime import date

from timeline.load.files import LoadedSite
from timeline.problems import Problem
from timeline.validate.across import Validated, validate_site
from timeline.validate.files import entry_draft, source_draft
from timeline.validate.translations import translation_draft

__all__ = ["Validated", "validate"]


def validate(loaded: LoadedSite, *, today: date) -> Validated:
    """Validate a loaded site: drafts of its entry, source and translation files, then the site
    as a whole."""
    own: dict[str, list[Problem]] = {}
    for problem in loaded.problems:
        own.setdefault(problem.file, []).append(problem)
    # Each document's loading problems go into its draft; the rest (site.yaml, the vocabularies,
    # files that gave no document) to the whole site's check.
    entries = [entry_draft(doc.path, doc, own.pop(doc.path, [])) for doc in loaded.events]
    sources = [source_draft(doc.path, doc, own.pop(doc.path, [])) for doc in loaded.sources]
    words = [translation_draft(d.path, d, own.pop(d.path, [])) for d in loaded.translations]
    rest = [problem for problems in own.values() for problem in problems]
    return validate_site(
        loaded.site,
        loaded.actors,
        loaded.topics,
        entries,
        sources,
        rest,
        today=today,
        translations=words,
        source_types=loaded.source_types,
    )
