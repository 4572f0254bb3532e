"""`timeline init`: a new site from the starter site shipped in `timeline/scaffold/` (site.yaml,
registries, one example event, an editors' README, VS Code settings, GitHub workflows) and the
JSON Schemas."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from timeline.commands import EXIT_OK, UsageError
from timeline.validate.schemas import SCHEMAS, schema_text

SCAFFOLD = Path(__file__).parent.parent / "scaffold"


class ScaffoldError(Exception):
    pass


def init_site(target: Path) -> list[Path]:
    """Create a new site in `target` (which must be missing or empty); return the files made."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} already exists and is not empty")
    shutil.copytree(SCAFFOLD, target, dirs_exist_ok=True)
    (target / "gitignore").rename(target / ".gitignore")  # packaged without their dots
    (target / "github").rename(target / ".github")  # the pull-request check, the Pages deploy
    (target / "schema").mkdir()
    for name in SCHEMAS:
        (target / "schema" / f"{name}.schema.json").write_text(schema_text(name), "utf-8")
    return sorted(p for p in target.rglob("*") if p.is_file())


def cmd_init(args: argparse.Namespace) -> int:
    target = Path(args.directory)
    try:
        files = init_site(target)
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    print(f"created a timeline site in {target} ({len(files)} files)", file=sys.stderr)
    print(f"next: cd {target} && timeline serve", file=sys.stderr)
    return EXIT_OK
