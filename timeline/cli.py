"""Command line: `timeline check | build | serve`.

Exit codes: 0 success (warnings allowed unless --strict), 1 content problems, 2 usage errors.
No content problem ever produces a traceback: they are all reported as located problems.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from timeline.commands.scaffold import NewEntry, ScaffoldError, init_site, new_entry
from timeline.engine.build import OutputError, build_site
from timeline.engine.check import check_site
from timeline.problems import Problem, format_problems, summary_line
from timeline.validate.against import vanished_ids
from timeline.validate.schemas import SCHEMAS, schema_text, write_schemas

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _site_dir(value: str) -> Path:
    root = Path(value)
    if not root.is_dir():
        raise UsageError(f"--site {value}: no such directory")
    if not (root / "site.yaml").is_file():
        raise UsageError(f"--site {value}: not a timeline site (no site.yaml)")
    return root


def _report(problems: list[Problem], fmt: str) -> None:
    if fmt == "json":
        print(format_problems(problems, "json"))
    elif problems:
        print(format_problems(problems, fmt))


def cmd_check(args: argparse.Namespace) -> int:
    root = _site_dir(args.site)
    result = check_site(root)
    problems = result.problems
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
    _report(problems, args.format)
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


def _show_progress() -> bool:
    """Progress only for a person at a terminal: never in CI logs or pipes."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def _progress_line() -> Callable[[str], None]:
    def show(message: str) -> None:
        sys.stderr.write(f"\r\033[K  {message}…")
        sys.stderr.flush()

    return show


def cmd_build(args: argparse.Namespace) -> int:
    root = _site_dir(args.site)
    output = Path(args.output) if args.output else root / "output"
    try:
        result = build_site(
            root,
            output,
            base_url=args.base_url,
            incremental=not args.clean,
            progress=_progress_line() if _show_progress() else None,
        )
    except OutputError as exc:
        raise UsageError(str(exc)) from None
    if _show_progress():
        sys.stderr.write("\r\033[K")  # clear the progress line
    _report(result.problems, args.format)
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
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from timeline.commands.serve import Preview

    Preview(_site_dir(args.site), args.port).run()
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    target = Path(args.directory)
    try:
        files = init_site(target)
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    print(f"created a timeline site in {target} ({len(files)} files)", file=sys.stderr)
    print(f"next: cd {target} && timeline serve", file=sys.stderr)
    return EXIT_OK


def _ask(prompt: str) -> str:
    """Ask on the terminal; only called when stdin is one."""
    try:
        return input(f"{prompt}: ").strip()
    except EOFError:
        return ""


def cmd_new(args: argparse.Namespace) -> int:
    root = _site_dir(args.site)
    interactive = sys.stdin.isatty()
    title = args.title or (_ask("Title") if interactive else "")
    date = args.date or (_ask("Date (YYYY-MM-DD, YYYY-MM or YYYY)") if interactive else "")
    source_url = args.source_url
    if source_url is None and interactive:
        source_url = _ask("Address of the source (Enter to skip)")
    if not title or not date:
        raise UsageError("give a title and --date (or run it in a terminal to be asked)")
    entry = NewEntry(
        title=title,
        date=date,
        summary=args.summary or "",
        actors=args.actor,
        topics=args.topic,
        source_url=source_url or "",
    )
    try:
        path = new_entry(root, entry)
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    print(path)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    if args.write:
        for path in write_schemas():
            print(path, file=sys.stderr)
    else:
        sys.stdout.write(schema_text(args.kind))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="timeline", description="A static-site generator for sourced, citable chronologies."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate the content and report every problem")
    check.add_argument("--site", default=".", metavar="DIR", help="site folder (default: .)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument(
        "--against",
        metavar="REF",
        help="also report every id present at git REF (e.g. a PR's base) that has disappeared",
    )
    check.add_argument(
        "--format", choices=("text", "json", "github"), default="text", help="output format"
    )
    check.set_defaults(run=cmd_check)

    build = commands.add_parser("build", help="validate, then render the site into --output")
    build.add_argument("--site", default=".", metavar="DIR", help="site folder (default: .)")
    build.add_argument("--output", metavar="DIR", help="output folder (default: SITE/output)")
    build.add_argument("--base-url", metavar="URL", help="override base_url from site.yaml")
    build.add_argument(
        "--clean", action="store_true", help="render every page, ignoring the previous build"
    )
    build.add_argument(
        "--format", choices=("text", "json", "github"), default="text", help="problem format"
    )
    build.set_defaults(run=cmd_build)

    serve = commands.add_parser("serve", help="preview on 127.0.0.1, rebuilding on every save")
    serve.add_argument("--site", default=".", metavar="DIR", help="site folder (default: .)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.set_defaults(run=cmd_serve)

    init = commands.add_parser("init", help="create a new chronology site in DIRECTORY")
    init.add_argument("directory", metavar="DIRECTORY")
    init.set_defaults(run=cmd_init)

    new = commands.add_parser("new", help="write a new entry at the right path, then print it")
    new.add_argument("title", nargs="?", help="what happened (asked for when missing)")
    new.add_argument("--date", help="YYYY-MM-DD, YYYY-MM or YYYY (asked for when missing)")
    new.add_argument("--summary", help="one sentence for lists and feeds")
    new.add_argument("--actor", action="append", default=[], metavar="ID", help="repeatable")
    new.add_argument("--topic", action="append", default=[], metavar="ID", help="repeatable")
    new.add_argument("--source-url", metavar="URL", help="address of the first source")
    new.add_argument("--site", default=".", metavar="DIR", help="site folder (default: .)")
    new.set_defaults(run=cmd_new)

    schema = commands.add_parser("schema", help="print the JSON Schema of an entry (or write all)")
    schema.add_argument("--kind", choices=sorted(SCHEMAS), default="event")
    schema.add_argument("--write", action="store_true", help="rewrite timeline/schema/*.json")
    schema.set_defaults(run=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"timeline {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
