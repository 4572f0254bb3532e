"""`timeline check`: validate everything and report every problem at once."""

from __future__ import annotations

import argparse
import sys

from timeline.commands import EXIT_OK, EXIT_PROBLEMS, UsageError, report, site_dir
from timeline.engine.content import check_site
from timeline.problems import Problem, summary_line
from timeline.validate.against import vanished_ids
from timeline.validate.translations import stale_translations


def cmd_check(args: argparse.Namespace) -> int:
    root = site_dir(args.site)
    result = check_site(root)
    problems = result.problems
    if result.content is not None:
        problems = sorted(problems + stale_translations(root, result.content))
    if args.against:
        if result.content is None:
            problems.append(_against_skipped(args.against))
        else:
            events = result.content.events
            current = {e.id for e in events} | {a for e in events for a in e.aliases}
            try:
                problems = sorted(problems + vanished_ids(root, args.against, current))
            except ValueError as exc:
                raise UsageError(f"--against {args.against}: {exc}") from None
    report(problems, args.format)
    if args.format == "text":
        events = len(result.content.events) if result.content else 0
        print(f"checked {root}: {events} events, {summary_line(problems)}", file=sys.stderr)
    failed = any(p.is_error for p in problems) or (args.strict and problems)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _against_skipped(ref: str) -> Problem:
    return Problem(
        "content/events",
        1,
        1,
        "warning",
        "id",
        f"ids were not compared with {ref}: fix the errors above first",
    )
