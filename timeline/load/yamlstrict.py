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


def parse_yaml(text: str, *, line_offset: int = 0) -> tuple[YamlData, list[YamlProblem]]:
    """Parse one YAML document strictly. `line_offset` shifts reported lines (front matter)."""
    result = YamlData(None)
    problems: list[YamlProblem] = []
    stack: list[_Frame] = []
    documents = 0

    def add(node: Any, start: Pos) -> Path | None:
        """Attach a finished node to its parent; return its path (None if it is dropped)."""
        if not stack:
            result.data = node
            result.positions[()] = start
            return ()
        frame = stack[-1]
        if isinstance(frame.container, list):
            path = (*frame.path, len(frame.container))
            frame.container.append(node)
            result.positions[path] = start
            return path
        if frame.pending_key is None:  # this node is a key
            if not isinstance(node, str):
                problems.append(
                    YamlProblem(start, "a key must be a plain name", "write `name: value`")
                )
                frame.pending_key, frame.skip_value = "", True
                return None
            key_path = (*frame.path, node)
            if node in frame.container:
                first = result.key_positions[key_path]
                problems.append(
                    YamlProblem(
                        start,
                        f"duplicate key `{node}`",
                        f"it is already set on line {first.line}; keep one of them",
                        key_path,
                    )
                )
                frame.pending_key, frame.skip_value = node, True
                return None
            frame.pending_key, frame.skip_value = node, False
            result.key_positions[key_path] = start
            return None
        key, skip = frame.pending_key, frame.skip_value
        frame.pending_key, frame.skip_value = None, False
        if skip:
            return None
        path = (*frame.path, key)
        frame.container[key] = node
        result.positions[path] = start
        return path

    def refuse_decorations(event: Any, start: Pos) -> None:
        if getattr(event, "anchor", None):
            problems.append(
                YamlProblem(
                    start,
                    f"anchors (&{event.anchor}) are not allowed",
                    "write the value out in full",
                )
            )
        tag = getattr(event, "tag", None)
        implicit = getattr(event, "implicit", True)
        explicit = not all(implicit) if isinstance(implicit, tuple) else not implicit
        if tag and explicit and tag != "!":
            problems.append(YamlProblem(start, f"tags ({tag}) are not allowed", "remove the tag"))

    try:
        for event in yaml.parse(text, Loader=_Loader):
            start = _pos(event.start_mark, line_offset)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    problems.append(
                        YamlProblem(
                            start,
                            "more than one YAML document in this file",
                            "remove the extra `---` line; one file holds one entry",
                        )
                    )
                    break
            elif isinstance(event, yaml.ScalarEvent):
                refuse_decorations(event, start)
                add(_scalar(event), start)
            elif isinstance(event, yaml.AliasEvent):
                problems.append(
                    YamlProblem(
                        start,
                        f"aliases (*{event.anchor}) are not allowed",
                        "write the value out in full",
                        add(None, start) or (),
                    )
                )
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                refuse_decorations(event, start)
                if len(stack) >= MAX_DEPTH:
                    problems.append(
                        YamlProblem(
                            start,
                            f"nested more than {MAX_DEPTH} levels deep",
                            "flatten the structure",
                        )
                    )
                    return YamlData(None), problems
                container: dict | list = {} if isinstance(event, yaml.MappingStartEvent) else []
                path = add(container, start)
                # A dropped container (duplicate key) is still parsed, into a detached path.
                stack.append(_Frame(container, path if path is not None else ("\0dropped",)))
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                stack.pop()
    except UnicodeEncodeError as exc:  # a lone surrogate, which the C parser cannot encode
        before = text[: exc.start]
        pos = Pos(before.count("\n") + 1, exc.start - (before.rfind("\n") + 1) + 1)
        code = ord(text[exc.start])
        message = f"YAML: character U+{code:04X} is not allowed"
        problems.append(YamlProblem(pos, message, "remove it"))
        return YamlData(None), problems
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if exc.context and "quoted scalar" in exc.context and exc.context_mark is not None:
            # An unclosed quotation is noticed where the text ends; the fix is where it opens.
            mark = exc.context_mark
            message = f"a quotation opened here is never closed ({exc.problem})"
        message = f"YAML syntax: {message}"
        pos = _pos(mark, line_offset) if mark is not None else Pos(1 + line_offset, 1)
        problems.append(YamlProblem(pos, message, _syntax_hint(message)))
        return YamlData(None), problems
    except yaml.YAMLError as exc:  # reader errors: characters YAML does not allow
        offset = getattr(exc, "position", 0) or 0
        if _Loader.__name__.startswith("C"):
            # libyaml counts bytes of the UTF-8 encoding; positions are in characters.
            offset = len(text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore"))
        before = text[:offset]
        pos = Pos(before.count("\n") + 1 + line_offset, offset - (before.rfind("\n") + 1) + 1)
        char = getattr(exc, "character", None)
        code = ord(char) if isinstance(char, str) and char else char
        what = f"character U+{code:04X} is not allowed" if isinstance(code, int) else str(exc)
        problems.append(YamlProblem(pos, f"YAML: {what}", "remove the character"))
        return YamlData(None), problems
    return result, problems


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
