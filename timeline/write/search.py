"""Full-text search: Pagefind indexes the written HTML, before the output is swapped in.

Pagefind comes from its PyPI package (`pagefind[bin]`, which ships the binary; nothing is
downloaded at run time) and is run as `python -m pagefind`. Only event pages are indexed (their
`<article data-pagefind-body>`), with filters `actor`, `topic` and `year`, a `date` sort key and
`date`/`summary` metadata, all declared in the event template.

Pagefind builds one index per `<html lang>`, and its search API only queries the index of the
page's language, so from an English search page Hebrew and Russian words would find nothing. The
site is therefore indexed as a single language (`--force-language`, the site's language):
entries mixing English, Hebrew, Russian and Arabic are all found from the one search page, at
the cost of language-specific stemming (which Pagefind does not offer for Hebrew anyway).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

SEARCH_FOLDER = "pagefind"


class SearchIndexError(Exception):
    pass


def index_site(
    folder: Path, language: str, into: Path | None = None, *, background: bool = False
) -> None:
    """Index the site in `folder`, writing the index into `into` (by default the site's own
    `pagefind/` folder). In the `background`, Pagefind runs at the lowest CPU priority, so that
    it yields the cores to the work someone waits for (the preview's next build)."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(folder),
        "--output-path",
        str(into or folder / SEARCH_FOLDER),
        "--force-language",
        language.split("-")[0],
        "--quiet",
    ]
    if background and shutil.which("nice"):
        command = ["nice", "-n", "19", *command]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"could not run Pagefind: {exc}") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise SearchIndexError("Pagefind failed: " + (detail[-1] if detail else "no message"))
