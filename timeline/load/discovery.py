"""What a site's inputs are: the one list of the files a build reads under the site's root.

The engine fingerprints exactly these files (an edit to any of them may change the output, and
nothing else can), and the preview watches them.
"""

from __future__ import annotations

import os
from pathlib import Path

# Everything a build reads under the site root (the built-in themes are timeline's own code).
SITE_INPUTS = ("site.yaml", "content", "templates", "static", "themes", "locale")


def input_files(root: Path) -> list[str]:
    """Every file under the site's inputs, as paths relative to `root` with forward slashes,
    sorted; folders reached through symbolic links are not followed (as loading does)."""
    found: list[str] = []
    for name in SITE_INPUTS:
        top = root / name
        if top.is_file():
            found.append(name)
            continue
        for folder, subfolders, names in os.walk(top):
            subfolders.sort()
            base = Path(folder).relative_to(root).as_posix()
            found += (f"{base}/{file}" for file in names)
    return sorted(found)
