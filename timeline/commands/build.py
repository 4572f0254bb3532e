"""`timeline build`: validate, then write the site into the output folder."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from timeline.commands import EXIT_OK, EXIT_PROBLEMS, UsageError, report, site_dir
from timeline.engine.build import OutputError, build_site
from timeline.problems import summary_line


def _show_progress() -> bool:
    """Progress only for a person at a terminal: never in CI logs or pipes."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def _progress_line() -> Callable[[str], None]:
    def show(message: str) -> None:
        sys.stderr.write(f"\r\033[K  {message}…")
        sys.stderr.flush()

    return show


def _explain(path: str, why: str) -> None:
    """One line per file made again (on stderr, like the summary: stdout carries problems)."""
    print(f"made {path}: {why}", file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    root = site_dir(args.site)
    output = Path(args.output) if args.output else root / "output"
    try:
        result = build_site(
            root,
            output,
            base_url=args.base_url,
            search=not args.no_search,
            incremental=not args.clean,
            progress=_progress_line() if _show_progress() else None,
            explain=_explain if args.explain else None,
            jobs=args.jobs,
        )
    except OutputError as exc:
        raise UsageError(str(exc)) from None
    if _show_progress():
        sys.stderr.write("\r\033[K")  # clear the progress line
    report(result.problems, args.format)
    if not result.ok:
        print(
            f"build failed: {summary_line(result.problems)}; {output} was left as it was",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    print(
        f"built {result.pages} pages ({result.reused} unchanged) from {result.events} events "
        f"into {output} "
        f"({summary_line(result.problems)}, {result.seconds:.2f} s)",
        file=sys.stderr,
    )
    if result.events and not result.versions:
        print(
            "no committed versions of the entries (not a git checkout, or git is missing): "
            "the version pages are left out",
            file=sys.stderr,
        )
    return EXIT_OK
