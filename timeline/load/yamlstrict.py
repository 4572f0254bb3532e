"""Strict YAML: plain data with the position of every key and value.

PyYAML's resolver follows YAML 1.1 (`no` -> False, `12:30` -> 750, `2023-12-10` -> a date object
without a position), overwrites duplicate keys and expands aliases. We therefore use only its
parser (the C one when present) and build the data ourselves from the event stream:

- every scalar is a string, except plain `true`/`false` (booleans) and plain `null`, `~` or
  nothing (None);
- duplicate keys, anchors, aliases and explicit tags are problems, never silently accepted;
- nesting deeper than `MAX_DEPTH` is refused (a hostile file must not exhaust the stack);
- strings are normalised to NFC so that the same text always compares and renders the same.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # The C parser is several times faster; the pure-Python one gives identical events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 40

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Pos:
    """1-based line and column."""

    line: int
    column: int


@dataclass
class YamlProblem:
    pos: Pos
    message: str
    hint: str = ""
    path: Path = ()


@dataclass
class YamlData:
    """Parsed data plus where each value (and each mapping key) starts in the file."""

    data: Any
    positions: dict[Path, Pos] = field(default_factory=dict)
    key_positions: dict[Path, Pos] = field(default_factory=dict)

    def pos(self, path: Path) -> Pos:
        """Position of the value at `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), Pos(1, 1))

    def key_pos(self, path: Path) -> Pos:
        return self.key_positions.get(tuple(path)) or self.pos(path)


def _pos(mark: Any, line_offset: int) -> Pos:
    return Pos(mark.line + 1 + line_offset, mark.column + 1)


def _scalar(event: yaml.ScalarEvent) -> Any:
    value = event.value
    # Plain, untagged scalar (the C parser reports the plain style as "", the Python one as None).
    if not event.style and event.implicit[0] and event.tag != "!":
        if value in ("true", "false"):
            return value == "true"
        if value in ("", "~", "null"):
            return None
    return unicodedata.normalize("NFC", value)


class _Frame:
    def __init__(self, container: dict | list, path: Path) -> None:
        self.container = container
        self.path = path
        self.pending_key: str | None = None
        self.skip_value = False


class _TooDeep(Exception):
    pass


class _Builder:
    """Plain data from PyYAML's event stream, with the position of every value and key."""

    def __init__(self, line_offset: int) -> None:
        self.result = YamlData(None)
        self.problems: list[YamlProblem] = []
        self.stack: list[_Frame] = []
        self.documents = 0
        self.line_offset = line_offset

    def feed(self, event: Any) -> bool:
        """Take one event; False when the rest of the stream is to be ignored."""
        start = _pos(event.start_mark, self.line_offset)
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self._problem(
                    start,
                    "more than one YAML document in this file",
                    "remove the extra `---` line; one file holds one entry",
                )
                return False
        elif isinstance(event, yaml.ScalarEvent):
            self._refuse_decorations(event, start)
            self._add(_scalar(event), start)
        elif isinstance(event, yaml.AliasEvent):
            path = self._add(None, start) or ()
            message = f"aliases (*{event.anchor}) are not allowed"
            self._problem(start, message, "write the value out in full", path)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self._start(event, start)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            self.stack.pop()
        return True

    def _start(self, event: Any, start: Pos) -> None:
        self._refuse_decorations(event, start)
        if len(self.stack) >= MAX_DEPTH:
            self._problem(
                start, f"nested more than {MAX_DEPTH} levels deep", "flatten the structure"
            )
            raise _TooDeep
        container: dict | list = {} if isinstance(event, yaml.MappingStartEvent) else []
        path = self._add(container, start)
        # A dropped container (duplicate key) is still parsed, into a detached path.
        self.stack.append(_Frame(container, path if path is not None else ("\0dropped",)))

    def _add(self, node: Any, start: Pos) -> Path | None:
        """Attach a finished node to its parent; return its path (None if it is dropped)."""
        if not self.stack:
            self.result.data = node
            self.result.positions[()] = start
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            path = (*frame.path, len(frame.container))
            frame.container.append(node)
            self.result.positions[path] = start
            return path
        if frame.pending_key is None:  # this node is a key
            self._key(frame, node, start)
            return None
        key, skip = frame.pending_key, frame.skip_value
        frame.pending_key, frame.skip_value = None, False
        if skip:
            return None
        path = (*frame.path, key)
        frame.container[key] = node
        self.result.positions[path] = start
        return path

    def _key(self, frame: _Frame, node: Any, start: Pos) -> None:
        if not isinstance(node, str):
            self._problem(start, "a key must be a plain name", "write `name: value`")
            frame.pending_key, frame.skip_value = "", True
            return
        key_path = (*frame.path, node)
        if node in frame.container:
            first = self.result.key_positions[key_path]
            hint = f"it is already set on line {first.line}; keep one of them"
            self._problem(start, f"duplicate key `{node}`", hint, key_path)
            frame.pending_key, frame.skip_value = node, True
            return
        frame.pending_key, frame.skip_value = node, False
        self.result.key_positions[key_path] = start

    def _refuse_decorations(self, event: Any, start: Pos) -> None:
        if getattr(event, "anchor", None):
            message = f"anchors (&{event.anchor}) are not allowed"
            self._problem(start, message, "write the value out in full")
        tag = getattr(event, "tag", None)
        implicit = getattr(event, "implicit", True)
        explicit = not all(implicit) if isinstance(implicit, tuple) else not implicit
        if tag and explicit and tag != "!":
            self._problem(start, f"tags ({tag}) are not allowed", "remove the tag")

    def _problem(self, pos: Pos, message: str, hint: str = "", path: Path = ()) -> None:
        self.problems.append(YamlProblem(pos, message, hint, path))


def parse_yaml(text: str, *, line_offset: int = 0) -> tuple[YamlData, list[YamlProblem]]:
    """Parse one YAML document strictly. `line_offset` shifts reported lines (front matter)."""
    builder = _Builder(line_offset)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if not builder.feed(event):
                break
    except _TooDeep:
        return YamlData(None), builder.problems
    except UnicodeEncodeError as exc:  # a lone surrogate, which the C parser cannot encode
        return YamlData(None), [*builder.problems, _surrogate_problem(text, exc)]
    except yaml.MarkedYAMLError as exc:
        return YamlData(None), [*builder.problems, _syntax_problem(exc, line_offset)]
    except yaml.YAMLError as exc:  # reader errors: characters YAML does not allow
        return YamlData(None), [*builder.problems, _reader_problem(text, exc, line_offset)]
    return builder.result, builder.problems


def _surrogate_problem(text: str, exc: UnicodeEncodeError) -> YamlProblem:
    before = text[: exc.start]
    pos = Pos(before.count("\n") + 1, exc.start - (before.rfind("\n") + 1) + 1)
    code = ord(text[exc.start])
    return YamlProblem(pos, f"YAML: character U+{code:04X} is not allowed", "remove it")


def _syntax_problem(exc: yaml.MarkedYAMLError, line_offset: int) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or exc.context or "invalid YAML"
    if exc.context and "quoted scalar" in exc.context and exc.context_mark is not None:
        # An unclosed quotation is noticed where the text ends; the fix is where it opens.
        mark = exc.context_mark
        message = f"a quotation opened here is never closed ({exc.problem})"
    message = f"YAML syntax: {message}"
    pos = _pos(mark, line_offset) if mark is not None else Pos(1 + line_offset, 1)
    return YamlProblem(pos, message, _syntax_hint(message))


def _reader_problem(text: str, exc: yaml.YAMLError, line_offset: int) -> YamlProblem:
    offset = getattr(exc, "position", 0) or 0
    if _Loader.__name__.startswith("C"):
        # libyaml counts bytes of the UTF-8 encoding; positions are in characters.
        offset = len(text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore"))
    before = text[:offset]
    pos = Pos(before.count("\n") + 1 + line_offset, offset - (before.rfind("\n") + 1) + 1)
    char = getattr(exc, "character", None)
    code = ord(char) if isinstance(char, str) and char else char
    what = f"character U+{code:04X} is not allowed" if isinstance(code, int) else str(exc)
    return YamlProblem(pos, f"YAML: {what}", "remove the character")


def _syntax_hint(message: str) -> str:
    if "mapping values are not allowed" in message:
        return "a value containing `: ` must be quoted"
    if "found character '\\t'" in message or "tab" in message:
        return "indent with spaces, not tabs"
    if "could not find expected ':'" in message:
        return "each line needs `key: value`; quote values that span lines"
    if "did not find expected key" in message:
        return "check the indentation of this line and the one above"
    return "check quoting and indentation around this line"
