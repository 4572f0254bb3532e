"""Command line: `timeline check | build | serve | init | new | schema`.

Exit codes: 0 success (warnings allowed unless --strict), 1 content problems, 2 usage errors.
No content problem ever produces a traceback: they are all reported as located problems. Each
command is a module of `timeline/commands/`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from timeline.commands import EXIT_USAGE, UsageError
from timeline.commands.build import cmd_build
from timeline.commands.check import cmd_check
from timeline.commands.init import cmd_init
from timeline.commands.new import cmd_new
from timeline.commands.schema import cmd_schema
from timeline.commands.serve import cmd_serve
from timeline.engine.scheduler import default_jobs
from timeline.validate.schemas import SCHEMAS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="timeline", description="A static-site generator for sourced, citable chronologies."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_check, _build, _serve, _init, _new, _schema):  # each adds its command
        add(commands)
    return parser


def _site_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--site", default=".", metavar="DIR", help="site folder (default: .)")


def _format_option(command: argparse.ArgumentParser, described: str) -> None:
    choices = ("text", "json", "github")
    command.add_argument("--format", choices=choices, default="text", help=described)


def _check(commands: Any) -> None:
    check = commands.add_parser("check", help="validate the content and report every problem")
    _site_option(check)
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument(
        "--against",
        metavar="REF",
        help="also report every id present at git REF (e.g. a PR's base) that has disappeared",
    )
    _format_option(check, "output format")
    check.set_defaults(run=cmd_check)


def _build(commands: Any) -> None:
    build = commands.add_parser("build", help="validate, then render the site into --output")
    _site_option(build)
    build.add_argument("--output", metavar="DIR", help="output folder (default: SITE/output)")
    build.add_argument("--base-url", metavar="URL", help="override base_url from site.yaml")
    build.add_argument(
        "--clean", action="store_true", help="render every page, ignoring the previous build"
    )
    build.add_argument(
        "--no-search",
        action="store_true",
        help="skip the search index, for a quick local check (the next build makes it)",
    )
    build.add_argument(
        "--explain",
        action="store_true",
        help="list each file made again, with the change that made it stale",
    )
    build.add_argument(
        "--jobs",
        type=_positive,
        default=default_jobs(),
        metavar="N",
        help="worker processes for reading and rendering (default: the cores, here %(default)s)",
    )
    _format_option(build, "problem format")
    build.set_defaults(run=cmd_build)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def _serve(commands: Any) -> None:
    serve = commands.add_parser("serve", help="preview on 127.0.0.1, rebuilding on every save")
    _site_option(serve)
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.set_defaults(run=cmd_serve)


def _init(commands: Any) -> None:
    init = commands.add_parser("init", help="create a new chronology site in DIRECTORY")
    init.add_argument("directory", metavar="DIRECTORY")
    init.set_defaults(run=cmd_init)


def _new(commands: Any) -> None:
    new = commands.add_parser("new", help="write a new entry at the right path, then print it")
    new.add_argument("title", nargs="?", help="what happened (asked for when missing)")
    new.add_argument("--date", help="YYYY-MM-DD, YYYY-MM or YYYY (asked for when missing)")
    new.add_argument("--summary", help="one sentence for lists and feeds")
    new.add_argument("--actor", action="append", default=[], metavar="ID", help="repeatable")
    new.add_argument("--topic", action="append", default=[], metavar="ID", help="repeatable")
    new.add_argument("--source-url", metavar="URL", help="address of the first source")
    _site_option(new)
    new.set_defaults(run=cmd_new)


def _schema(commands: Any) -> None:
    schema = commands.add_parser("schema", help="print the JSON Schema of an entry (or write all)")
    schema.add_argument("--kind", choices=sorted(SCHEMAS), default="event")
    schema.add_argument("--write", action="store_true", help="rewrite timeline/schema/*.json")
    schema.set_defaults(run=cmd_schema)


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
