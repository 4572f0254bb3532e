"""Load a site's files into raw documents, each with the position of every key and value.

The first stage of the pipeline: it reads bytes, decodes them, splits Markdown front matter from
its body and parses YAML strictly (see `yamlstrict`). It knows nothing of what an event means;
it reports only problems of reading and syntax.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline.load.yamlstrict import Pos, YamlData, parse_yaml
from timeline.problems import ERROR, WARNING, Problem

EVENT_SUFFIXES = (".md", ".yaml", ".yml")


def is_translation(name: str) -> bool:
    """An entry-suffixed file of content/events that is an entry's translation,
    `<entry>.<lang>.md`: entry ids have no dots, so a dot in the stem says so."""
    return "." in Path(name).stem


_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


@dataclass
class Document:
    """One parsed file: its data, where each value sits, and (for Markdown) its body."""

    path: str  # as shown to editors: relative to the site root, with forward slashes
    yaml: YamlData
    body: str | None = None
    body_line: int = 0

    @property
    def data(self) -> Any:
        return self.yaml.data

    @property
    def stem(self) -> str:
        return Path(self.path).stem

    def pos(self, path: tuple[str | int, ...] = ()) -> Pos:
        if tuple(path) == ("body",) and self.body is not None:
            return Pos(self.body_line, 1)  # a Markdown body sits below the front matter
        return self.yaml.pos(path)


@dataclass
class LoadedSite:
    root: Path
    site: Document | None
    actors: Document | None
    topics: Document | None
    events: list[Document] = field(default_factory=list)
    sources: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    translations: list[Document] = field(default_factory=list)
    source_types: Document | None = None


def _problem(path: str, pos: Pos, message: str, hint: str = "", severity: str = ERROR) -> Problem:
    return Problem(path, pos.line, pos.column, severity, "", message, hint)


def _line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 (a BOM is allowed), with CRLF and CR line ends turned into LF."""
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = bom + exc.start
        # Line and column as an editor shows them: characters, not bytes, after any line end.
        before = _line_ends(raw[bom:offset].decode("utf-8"))
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        return None, [
            _problem(
                path,
                Pos(line, column),
                f"byte 0x{raw[offset]:02X} at offset {offset} is not valid UTF-8",
                "save the file as UTF-8",
            )
        ]
    return _line_ends(text), []


def parse_document(
    raw: bytes, path: str, *, front_matter: bool
) -> tuple[Document | None, list[Problem]]:
    """Parse one file. With `front_matter`, the file is `---` YAML `---` then a Markdown body."""
    text, problems = decode(raw, path)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [
            _problem(path, Pos(1, 1), "the file is empty", "write the entry, or delete the file")
        ]
    body: str | None = None
    body_line = 0
    if front_matter:
        lines = text.split("\n")
        if not _FENCE.match(lines[0]) or lines[0].startswith("..."):
            return None, [
                _problem(
                    path,
                    Pos(1, 1),
                    "a Markdown entry must start with a `---` line (front matter)",
                    "put the YAML fields between two `---` lines at the top of the file",
                )
            ]
        close = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
        if close is None:
            return None, [
                _problem(
                    path,
                    Pos(1, 1),
                    "the front matter has no closing `---` line",
                    "add a line `---` after the last field",
                )
            ]
        # Parse from the opening `---` (a YAML document marker) so that lines stay absolute.
        text_yaml = "\n".join(lines[:close]) + "\n"
        rest = lines[close + 1 :]
        blank = next((i for i, line in enumerate(rest) if line.strip()), 0)
        body = unicodedata.normalize("NFC", "\n".join(rest[blank:]).rstrip("\n"))
        body_line = close + 2 + blank  # the first line of text, as the editor numbers it
    else:
        text_yaml = text
    data, yaml_problems = parse_yaml(text_yaml)
    problems += [
        Problem(path, p.pos.line, p.pos.column, ERROR, dotted(p.path), p.message, p.hint)
        for p in yaml_problems
    ]
    if data.data is None:
        if not problems:
            problems.append(_problem(path, Pos(1, 1), "the file holds no fields"))
        return None, problems
    return Document(path, data, body, body_line), problems


def dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def display_path(root: Path, file: Path) -> str:
    """The path as editors see it; bytes that are not UTF-8 in a file name shown as U+FFFD, so
    every report stays valid UTF-8."""
    rel = file.relative_to(root).as_posix()
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _read(root: Path, file: Path, *, front_matter: bool) -> tuple[Document | None, list[Problem]]:
    rel = display_path(root, file)
    raw, problems = _read_bytes(file, rel)
    if raw is None:
        return None, problems
    return parse_document(raw, rel, front_matter=front_matter)


def _read_bytes(file: Path, rel: str) -> tuple[bytes | None, list[Problem]]:
    try:
        return file.read_bytes(), []
    except OSError as exc:
        return None, [_problem(rel, Pos(1, 1), f"cannot read the file: {exc.strerror}")]


def _optional(root: Path, rel: str, problems: list[Problem]) -> Document | None:
    file = root / rel
    if not file.exists():
        return None
    doc, found = _read(root, file, front_matter=False)
    problems += found
    return doc


def list_event_files(root: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """Under content/events (any depth), sorted: entry files, other visible files, and
    entry-named paths that cannot be read as files (broken or looping symbolic links, FIFOs)."""
    events_dir = root / "content" / "events"
    if not events_dir.is_dir():
        return [], [], []
    entries, others, unreadable = [], [], []
    # Sorted by the path as text, so the order is the same on every Python version.
    for file in sorted(events_dir.rglob("*"), key=lambda p: p.as_posix()):
        rel_parts = file.relative_to(events_dir).parts
        if any(part.startswith(".") for part in rel_parts) or file.is_dir():
            continue
        if not file.is_file():
            if file.suffix in EVENT_SUFFIXES:
                unreadable.append(file)
            continue
        (entries if file.suffix in EVENT_SUFFIXES else others).append(file)
    return entries, others, unreadable


# The small files every reader of a site parses before its entries.
SITE_FILE, ACTORS_FILE, TOPICS_FILE = "site.yaml", "content/actors.yaml", "content/topics.yaml"
SOURCE_TYPES_FILE = "content/source-types.yaml"  # optional: a site's own kinds of source
SMALL_FILES = (SITE_FILE, ACTORS_FILE, TOPICS_FILE, SOURCE_TYPES_FILE)


@dataclass
class SiteFiles:
    """A site's small files, parsed, and the paths of its entry and source files (sorted), with
    the problems of finding them: what every reader of a site needs before its entries."""

    site: Document | None
    actors: Document | None
    topics: Document | None
    entries: list[Path] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    translations: list[Path] = field(default_factory=list)
    source_types: Document | None = None


def site_files(root: Path) -> SiteFiles:
    problems: list[Problem] = []
    site = _optional(root, SITE_FILE, problems)
    if site is None and not (root / SITE_FILE).exists():
        hint = "run `timeline init` to create a site"
        problems.append(_problem(SITE_FILE, Pos(1, 1), "site.yaml is missing", hint))
    actors = _optional(root, ACTORS_FILE, problems)
    topics = _optional(root, TOPICS_FILE, problems)
    entries, others, unreadable = list_event_files(root)
    problems += [_unreadable_entry(root, file) for file in unreadable]
    problems += [_ignored_entry(root, file) for file in others]
    sources, ignored = _source_files(root)
    problems += [_ignored_source(root, file) for file in ignored]
    translations = [file for file in entries if is_translation(file.name)]
    entries = [file for file in entries if not is_translation(file.name)]
    types = _optional(root, SOURCE_TYPES_FILE, problems)
    return SiteFiles(site, actors, topics, entries, sources, problems, translations, types)


def load_site(root: Path) -> LoadedSite:
    """Read and parse every file of the site."""
    files = site_files(root)
    loaded = LoadedSite(root, files.site, files.actors, files.topics, problems=files.problems)
    loaded.source_types = files.source_types
    loaded.events, found = _read_all(root, files.entries)
    loaded.problems += found
    loaded.sources, found = _read_all(root, files.sources, markdown=False)
    loaded.problems += found
    loaded.translations, found = _read_all(root, files.translations)
    loaded.problems += found
    return loaded


def _read_all(
    root: Path, files: list[Path], *, markdown: bool = True
) -> tuple[list[Document], list[Problem]]:
    """The documents of `files` that could be read (a `.md` one with front matter, when
    `markdown`), and the problems of reading them."""
    docs, problems = [], []
    for file in files:
        doc, found = _read(root, file, front_matter=markdown and file.suffix == ".md")
        problems += found
        if doc is not None:
            docs.append(doc)
    return docs, problems


def read_file(root: Path, file: Path) -> tuple[str, bytes | None, list[Problem]]:
    """A file's path as editors see it, and its bytes (None, with a problem, when unreadable)."""
    rel = display_path(root, file)
    raw, problems = _read_bytes(file, rel)
    return rel, raw, problems


def _source_files(root: Path) -> tuple[list[Path], list[Path]]:
    """Source records under content/sources, sorted, and the visible files that are not."""
    folder = root / "content" / "sources"
    if not folder.is_dir():
        return [], []
    files = [f for f in sorted(folder.iterdir()) if not f.name.startswith(".") and f.is_file()]
    records = [f for f in files if f.suffix in (".yaml", ".yml")]
    return records, [f for f in files if f.suffix not in (".yaml", ".yml")]


def _unreadable_entry(root: Path, file: Path) -> Problem:
    return _problem(
        display_path(root, file),
        Pos(1, 1),
        "cannot read this entry: a broken or looping symbolic link, or not a file",
        "replace it with the entry's file",
    )


def _ignored_entry(root: Path, file: Path) -> Problem:
    return _problem(
        display_path(root, file),
        Pos(1, 1),
        f"ignored: `{file.suffix or file.name}` is not an entry file",
        "entries are .md (front matter + body) or .yaml/.yml files",
        WARNING,
    )


def _ignored_source(root: Path, file: Path) -> Problem:
    return _problem(
        display_path(root, file),
        Pos(1, 1),
        "ignored: a source record is a .yaml file",
        "rename it to <id>.yaml",
        WARNING,
    )
