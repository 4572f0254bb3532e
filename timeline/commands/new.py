"""`timeline new`: write one entry at the right path, with an id made of its date and its title
transliterated to ASCII (anyascii, so "Встреча в Москве" becomes `vstrecha-v-moskve`); whatever
the editor did not give is left as a `TODO` that `timeline check` flags until it is filled in."""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from anyascii import anyascii

from timeline.commands import EXIT_OK, UsageError, site_dir
from timeline.commands.init import ScaffoldError
from timeline.dates import DateError, parse_date

MAX_SLUG = 60
TODO = "TODO"


def slugify(text: str) -> str:
    ascii_text = anyascii(text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0]
    return slug or "event"


@dataclass
class NewEntry:
    title: str
    date: str
    summary: str = ""
    actors: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    source_url: str = ""

    def event_id(self) -> str:
        day = parse_date(self.date).iso.split("T")[0]
        return f"{day}-{slugify(self.title)}"


def _yaml_text(value: str) -> str:
    """A double-quoted YAML scalar (JSON string syntax is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def entry_text(entry: NewEntry) -> str:
    lines = [
        "---",
        f"title: {_yaml_text(entry.title)}",
        f"date: {entry.date}",
        f"summary: {_yaml_text(entry.summary or TODO + ': one neutral sentence for lists')}",
    ]
    if entry.actors:
        lines.append(f"actors: [{', '.join(entry.actors)}]")
    if entry.topics:
        lines.append(f"topics: [{', '.join(entry.topics)}]")
    lines.append("sources:")
    if entry.source_url:
        host = urlsplit(entry.source_url).hostname or TODO
        lines += [
            f"  - publisher: {_yaml_text(host.removeprefix('www.'))}",
            f"    title: {_yaml_text(TODO + ': the headline, verbatim')}",
            f"    url: {entry.source_url}",
        ]
    else:
        lines += [
            f"  - publisher: {_yaml_text(TODO + ': who published the source')}",
            f"    note: {_yaml_text(TODO + ': its headline and address, or why there are none')}",
        ]
    lines += [
        "---",
        f"{TODO}: what happened and what was said, in neutral words, quotes attributed.",
        "",
    ]
    return "\n".join(lines)


def new_entry(site_root: Path, entry: NewEntry) -> Path:
    """Write the entry; refuse to overwrite. Raises ScaffoldError with a message for editors."""
    if not entry.title.strip():
        raise ScaffoldError("the title is empty")
    try:
        parsed = parse_date(entry.date)
    except DateError as exc:
        raise ScaffoldError(f"--date {entry.date}: {exc.message} ({exc.hint})") from None
    if entry.source_url and urlsplit(entry.source_url).scheme not in ("http", "https"):
        raise ScaffoldError("--source-url must be an http:// or https:// address")
    path = site_root / "content" / "events" / f"{parsed.year:04d}" / f"{entry.event_id()}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; edit it, or choose another title")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(entry_text(entry))
    return path


def _ask(prompt: str) -> str:
    """Ask on the terminal; only called when stdin is one."""
    try:
        return input(f"{prompt}: ").strip()
    except EOFError:
        return ""


def cmd_new(args: argparse.Namespace) -> int:
    root = site_dir(args.site)
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
