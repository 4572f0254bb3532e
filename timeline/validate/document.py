"""Checking one document: the problems found in it so far, and the checks any document may need
(its texts, its addresses, its dates), each returning the problems it finds.

A field that already has an error gets no second report: a check asks `Found.has_error` before
it looks at a field, and the caller adds what the check returns. Both stages of validation use
these, the per-file one (`files.py`) and the across-files one (`across.py`) for site.yaml and
the vocabularies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from timeline.dates import DateError, EventDate, parse_date
from timeline.ids import LANGUAGE_TAG
from timeline.load.files import Document, dotted
from timeline.load.yamlstrict import Pos
from timeline.problems import ERROR, WARNING, Problem

FieldPath = tuple[str | int, ...]

# Characters that reorder text invisibly (the "Trojan Source" family): never legitimate in content.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
PLACEHOLDER = "TODO"
# C0 and C1 controls, but tab and newline: never part of a text, and NUL breaks HTML.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A "word" this long is no word (and makes the search indexer slow to a crawl).
MAX_WORD = 2000
LONG_WORD = re.compile(rf"\S{{{MAX_WORD + 1},}}")


class Found:
    """The problems of one document found so far, and which of its fields have an error."""

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        self.problems: list[Problem] = []
        self._bad: set[str] = set()  # dotted fields
        self._any_error = False
        self.extend(problems)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.problems.append(problem)
            if problem.is_error:
                self._any_error = True
                # Fields that loading already found wrong (an alias, say) count too.
                if problem.field:
                    self._bad.add(problem.field)

    def has_error(self, path: FieldPath = ()) -> bool:
        """True if this field, or (for the root) anything in the document, has an error."""
        return self._any_error if path == () else dotted(path) in self._bad

    def copy(self) -> Found:
        return Found(self.problems)


def problem_at(
    doc: Document,
    path: FieldPath,
    message: str,
    hint: str = "",
    *,
    severity: str = ERROR,
    at_key: bool = False,
) -> Problem:
    """A problem of the value at `path` (or of its key, where the fix is to move or rename it)."""
    pos = doc.yaml.key_pos(path) if at_key else doc.pos(path)
    return located(doc.path, pos, path, message, hint, severity)


def located(
    file: str, pos: Pos, path: FieldPath, message: str, hint: str = "", severity: str = ERROR
) -> Problem:
    return Problem(file, pos.line, pos.column, severity, dotted(path), message, hint)


def get_path(data: Any, path: FieldPath) -> Any:
    """The value at `path` in plain data, or None when there is none."""
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def list_at(data: dict[str, Any], key: str) -> list[Any]:
    """The list at `key`, or [] when it is missing or (a reported problem) not a list."""
    value = data.get(key)
    return value if isinstance(value, list) else []


# What an address may not hold as it is (the URL schema's pattern refuses them too): spaces and
# the characters that would end an HTML attribute.
UNENCODED = re.compile(r'[\s"<>`]')
ADDRESS_HINT = (
    "copy the address from the browser; other schemes (javascript:, data:, file:) are refused"
)


def url_problems(doc: Document, path: FieldPath, found: Found) -> list[Problem]:
    """The one check of a web address (the schema's pattern leaves its wording to this)."""
    value = get_path(doc.data, path)
    if not isinstance(value, str) or found.has_error(path):
        return []
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or not parts.hostname:
        return [problem_at(doc, path, "must be a full http:// or https:// address", ADDRESS_HINT)]
    unencoded = sorted(set(UNENCODED.findall(value)))
    if unencoded:
        named = ", ".join("a space" if c.isspace() else f"`{c}`" for c in unencoded)
        encoded = UNENCODED.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), value)
        message = f"holds {named}, which an address cannot hold as it is"
        return [problem_at(doc, path, message, f"percent-encode it: {encoded}")]
    return []


def parsed_date(
    doc: Document, path: FieldPath, found: Found
) -> tuple[EventDate | None, list[Problem]]:
    """The date at `path`, or None with the problem that makes it unreadable (none when the
    field is missing or already has an error)."""
    value = get_path(doc.data, path)
    if value is None or found.has_error(path):
        return None, []
    try:
        return parse_date(value), []
    except DateError as exc:
        return None, [problem_at(doc, path, exc.message, exc.hint)]


def _strings(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _texts(doc: Document) -> list[tuple[FieldPath, str]]:
    texts = list(_strings(doc.data))
    if doc.body:
        texts.append((("body",), doc.body))
    return texts


def text_problems(doc: Document) -> list[Problem]:
    """Characters no text of ours should hold, and words no reader could read."""
    problems = []
    for path, text in _texts(doc):
        found = BIDI_CONTROLS.search(text)
        if found:
            message = f"contains the invisible control character U+{ord(found.group()):04X}"
            hint = "it can make text display in a misleading order; delete it"
            problems.append(problem_at(doc, path, message, hint))
        found = CONTROL_CHARACTERS.search(text)
        if found:
            message = f"contains the control character U+{ord(found.group()):04X}"
            hint = "delete it (a YAML escape such as \\0 or \\e writes one)"
            problems.append(problem_at(doc, path, message, hint))
        found = LONG_WORD.search(text)
        if found:
            message = f"holds {len(found.group()):,} characters without a space"
            hint = f"no word is longer than {MAX_WORD:,} characters; break it up"
            problems.append(problem_at(doc, path, message, hint))
    return problems


# `[words]{lang=ru}`: a span of a body in another language (rendered by markdown-it's attrs).
SPAN_ATTRIBUTES = re.compile(r"\]\{([^{}\n]*)\}")
SPAN_LANGUAGE = re.compile(r'lang=(?:"([^"]*)"|(\S*))')


def span_problems(doc: Document) -> list[Problem]:
    """A span of the body that says more than its language, or names no language."""
    problems = []
    for path, text in _texts(doc):
        if path[-1:] != ("body",):
            continue
        for found in SPAN_ATTRIBUTES.finditer(text):
            language = SPAN_LANGUAGE.fullmatch(found.group(1).strip())
            tag = language and (language.group(1) or language.group(2))
            if tag and LANGUAGE_TAG.fullmatch(tag):
                continue
            message = f"the span attributes {{{found.group(1)}}} do not give a language"
            hint = "a span says only its language: [«Конечно»]{lang=ru}, with a code such as ru"
            problems.append(
                located(
                    doc.path, _body_pos(doc, path, text, found.start() + 1), path, message, hint
                )
            )
    return problems


def _body_pos(doc: Document, path: FieldPath, text: str, offset: int) -> Pos:
    """Where `offset` of a Markdown body is in its file; a YAML `body:` is told by its key."""
    start = doc.pos(path)
    if doc.body is None or text is not doc.body:
        return start
    before = text[:offset]
    return Pos(start.line + before.count("\n"), offset - before.rfind("\n"))


def placeholder_problems(doc: Document) -> list[Problem]:
    """`timeline new` leaves TODO where the editor has something to write."""
    return [
        problem_at(
            doc,
            path,
            "still holds a TODO placeholder",
            "replace it with what the source says",
            severity=WARNING,
        )
        for path, text in _texts(doc)
        if text.lstrip().startswith(PLACEHOLDER)
    ]
