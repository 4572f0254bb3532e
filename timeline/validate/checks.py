"""Validate loaded documents into the content model, collecting every problem in one run.

Shape (types, required and unknown fields, lengths, patterns) is checked by the committed JSON
Schemas in `timeline/schema/` through `jsonschema`, so the editor's schema and the build agree.
What a schema cannot say is code here: dates that exist, ids unique across files and aliases,
references to actors, topics, sources and events that exist (with "did you mean").
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from timeline.dates import DateError, EventDate, Precision, parse_date
from timeline.ids import is_id
from timeline.load.files import Document, LoadedSite, dotted
from timeline.model import Citation, Content, Correction, Event, SiteConfig, SourceRecord, Term
from timeline.problems import ERROR, WARNING, Problem

# Characters that reorder text invisibly (the "Trojan Source" family): never legitimate in content.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
PLACEHOLDER = "TODO"
# C0 and C1 controls, but tab and newline: never part of a text, and NUL breaks HTML.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A "word" this long is no word (and makes the search indexer slow to a crawl).
MAX_WORD = 2000
LONG_WORD = re.compile(rf"\S{{{MAX_WORD + 1},}}")
FieldPath = tuple[str | int, ...]
MAX_UNKNOWN_FIELDS = 20  # per mapping: a file of garbage gets a few lines, not thousands


@cache
def schema(name: str) -> dict[str, Any]:
    text = resources.files("timeline").joinpath(f"schema/{name}.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name))


@cache
def _quick_check(name: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python by fastjsonschema: ten times faster, but it stops at
    the first error and words it for programmers. So it only answers "valid?"; a document it
    rejects goes through `jsonschema`, which reports every problem. The schema uses nothing that
    draft-07 lacks, which is the newest draft fastjsonschema compiles (a test holds the two
    validators to the same verdicts)."""
    draft07 = {**schema(name), "$schema": "http://json-schema.org/draft-07/schema#"}
    return fastjsonschema.compile(draft07)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else ""


@dataclass
class _Report:
    """Problems found so far, and which fields already have one (to avoid double reports)."""

    problems: list[Problem] = field(default_factory=list)
    bad: set[tuple[str, str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        # Fields that loading already found wrong (an alias, say) get no second report.
        self.bad.update((p.file, p.field) for p in self.problems if p.is_error and p.field)

    def add(
        self,
        doc: Document,
        path: FieldPath,
        message: str,
        hint: str = "",
        *,
        severity: str = ERROR,
        at_key: bool = False,
    ) -> None:
        pos = doc.yaml.key_pos(path) if at_key else doc.pos(path)
        self.problems.append(
            Problem(doc.path, pos.line, pos.column, severity, dotted(path), message, hint)
        )
        if severity == ERROR:
            self.bad.add((doc.path, dotted(path)))

    def has_error(self, doc: Document, path: FieldPath = ()) -> bool:
        """True if this field, or (for the root) anything in the document, has an error."""
        if path == ():
            return any(p.is_error and p.file == doc.path for p in self.problems)
        return (doc.path, dotted(path)) in self.bad


_TYPE_NAMES = {
    "object": "a set of `field: value` lines",
    "array": "a list",
    "string": "text",
    "boolean": "true or false",
}


def _schema_errors(doc: Document, name: str, report: _Report) -> None:
    try:
        _quick_check(name)(doc.data)
        return
    except fastjsonschema.JsonSchemaException:
        pass  # now find and word every problem
    reported: set[tuple[FieldPath, str]] = set()
    errors = sorted(_validator(name).iter_errors(doc.data), key=lambda e: list(map(str, e.path)))
    for error in errors:
        for path, message, hint, at_key in _translate(error):
            if (path, message) not in reported and not report.has_error(doc, path):
                reported.add((path, message))
                report.add(doc, path, message, hint, at_key=at_key)


def _translate(error: ValidationError) -> Iterator[tuple[FieldPath, str, str, bool]]:
    path = tuple(error.absolute_path)
    sub = error.schema if isinstance(error.schema, dict) else {}
    kind = error.validator
    instance = error.instance
    custom = sub.get(f"x-message-{kind}")
    if custom:
        yield path, custom, sub.get("x-hint", ""), False
    elif kind == "required":
        for name in error.validator_value:
            # A misspelt key (`souces`) is reported once, as an unknown field with its fix.
            if (
                isinstance(instance, dict)
                and name not in instance
                and not did_you_mean(
                    name, [key for key in instance if key not in sub.get("properties", {})]
                )
            ):
                hint = sub.get("properties", {}).get(name, {}).get("description", "")
                yield (*path, name), f"`{name}` is required", hint, False
    elif kind == "additionalProperties":
        known = sub.get("properties", {})
        unknown = [key for key in instance if key not in known]
        for key in unknown[:MAX_UNKNOWN_FIELDS]:
            hint = did_you_mean(key, known) or "allowed: " + ", ".join(sorted(known))
            yield (*path, key), f"unknown field `{key}`", hint, True
        if len(unknown) > MAX_UNKNOWN_FIELDS:
            more = len(unknown) - MAX_UNKNOWN_FIELDS
            yield path, f"and {more:,} more unknown fields", "allowed: " + ", ".join(known), False
    elif kind == "type":
        wanted = error.validator_value
        wanted = wanted if isinstance(wanted, list) else [wanted]
        names = " or ".join(_TYPE_NAMES.get(w, w) for w in wanted)
        hint = ""
        if "array" in wanted and isinstance(instance, str):
            hint = f"write a list: [{instance}]"
        elif "string" in wanted and instance is None:
            hint = "write a value, or remove the field"
        elif "string" in wanted and isinstance(instance, bool):
            hint = "put it in quotes"
        yield path, f"must be {names}", hint, False
    elif kind == "pattern":
        if sub.get("x-checked-by-code"):
            return  # the code check gives a more precise message for this field
        yield (
            path,
            sub.get("x-message", f"does not match {error.validator_value}"),
            sub.get("x-hint", ""),
            False,
        )
    elif kind == "maxLength":
        yield (
            path,
            (f"is {len(instance)} characters long; at most {error.validator_value} are allowed"),
            "shorten it",
            False,
        )
    elif kind == "minLength":
        yield path, "must not be empty", "write a value, or remove the field", False
    elif kind == "minItems":
        yield path, f"needs at least {error.validator_value} item", "", False
    elif kind == "uniqueItems":
        yield path, "lists the same value twice", "remove the repeated value", False
    elif kind == "enum":
        choices = [str(c) for c in error.validator_value]
        hint = did_you_mean(str(instance), choices) or "one of: " + ", ".join(choices)
        yield path, f"`{instance}` is not an allowed value", hint, False
    elif kind == "anyOf" and sub.get("x-message"):
        yield path, sub["x-message"], sub.get("x-hint", ""), False
    else:
        yield path, error.message, "", False


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


def _check_text(doc: Document, report: _Report) -> None:
    """Characters no text of ours should hold, and words no reader could read."""
    for path, text in _texts(doc):
        found = BIDI_CONTROLS.search(text)
        if found:
            report.add(
                doc,
                path,
                f"contains the invisible control character U+{ord(found.group()):04X}",
                "it can make text display in a misleading order; delete it",
            )
        found = CONTROL_CHARACTERS.search(text)
        if found:
            report.add(
                doc,
                path,
                f"contains the control character U+{ord(found.group()):04X}",
                "delete it (a YAML escape such as \\0 or \\e writes one)",
            )
        found = LONG_WORD.search(text)
        if found:
            report.add(
                doc,
                path,
                f"holds {len(found.group()):,} characters without a space",
                f"no word is longer than {MAX_WORD:,} characters; break it up",
            )


def _check_placeholders(doc: Document, report: _Report) -> None:
    """`timeline new` leaves TODO where the editor has something to write."""
    for path, text in _texts(doc):
        if text.lstrip().startswith(PLACEHOLDER):
            report.add(
                doc,
                path,
                "still holds a TODO placeholder",
                "replace it with what the source says",
                severity=WARNING,
            )


def _date(doc: Document, path: FieldPath, report: _Report) -> EventDate | None:
    value = _get(doc.data, path)
    if value is None or report.has_error(doc, path):
        return None
    try:
        return parse_date(value)
    except DateError as exc:
        report.add(doc, path, exc.message, exc.hint)
        return None


def _get(data: Any, path: FieldPath) -> Any:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _list(data: dict[str, Any], key: str) -> list[Any]:
    """The list at `key`, or [] when it is missing or (a reported problem) not a list."""
    value = data.get(key)
    return value if isinstance(value, list) else []


def _url(doc: Document, path: FieldPath, report: _Report) -> None:
    value = _get(doc.data, path)
    if not isinstance(value, str) or report.has_error(doc, path):
        return
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        report.add(doc, path, "must be a full http:// or https:// address", "")


def _vocabulary(doc: Document | None, report: _Report, label: str) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    if doc is None:
        return terms
    _schema_errors(doc, "vocabulary", report)
    if not isinstance(doc.data, list):
        return terms
    seen: dict[str, int] = {}
    for index, item in enumerate(doc.data):
        if not isinstance(item, dict) or report.has_error(doc, (index,)):
            continue
        term_id = item.get("id")
        if not isinstance(term_id, str):
            continue
        if not is_id(term_id):
            report.add(doc, (index, "id"), "must be lowercase letters, digits and single hyphens")
            continue
        if term_id in seen:
            report.add(
                doc,
                (index, "id"),
                f"{label} `{term_id}` is defined twice",
                f"first defined on line {doc.pos((seen[term_id],)).line}",
            )
            continue
        seen[term_id] = index
        if isinstance(item.get("name"), str):
            terms[term_id] = Term(
                id=term_id,
                name=item["name"],
                description=item.get("description") or "",
                kind=item.get("kind") or "",
            )
    return terms


def _site(doc: Document | None, report: _Report) -> SiteConfig | None:
    if doc is None:
        return None
    _schema_errors(doc, "site", report)
    _url(doc, ("base_url",), report)
    if report.has_error(doc):
        return None
    data = doc.data
    base_url = data["base_url"] if data["base_url"].endswith("/") else data["base_url"] + "/"
    return SiteConfig(
        title=data["title"],
        base_url=base_url,
        language=data["language"],
        description=data.get("description") or "",
        theme=data.get("theme") or "default",
        repository_url=data.get("repository_url") or "",
        publisher=data.get("publisher") or "",
    )


def _source_record(
    doc: Document, base: FieldPath, report: _Report, source_id: str = ""
) -> SourceRecord | None:
    data = _get(doc.data, base)
    _url(doc, (*base, "url"), report)
    _url(doc, (*base, "archived_url"), report)
    published = _date(doc, (*base, "date"), report)
    if not isinstance(data, dict) or not isinstance(data.get("publisher"), str):
        return None
    return SourceRecord(
        publisher=data["publisher"],
        title=data.get("title") or "",
        url=data.get("url") or "",
        date=published,
        language=data.get("language") or "",
        archived_url=data.get("archived_url") or "",
        note=data.get("note") or "",
        id=source_id,
    )


def _sources(docs: list[Document], report: _Report) -> dict[str, tuple[Document, SourceRecord]]:
    records: dict[str, tuple[Document, SourceRecord]] = {}
    for doc in docs:
        _schema_errors(doc, "source", report)
        _check_text(doc, report)
        source_id = doc.stem
        if not is_id(source_id):
            report.add(
                doc,
                (),
                f"the file name `{source_id}` is not a valid source id",
                "rename it to lowercase letters, digits and single hyphens",
            )
            continue
        record = _source_record(doc, (), report, source_id)
        if record is not None and not report.has_error(doc):
            records[source_id] = (doc, record)
    return records


@dataclass
class Validated:
    content: Content | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.content is not None and not any(p.is_error for p in self.problems)


def validate(loaded: LoadedSite, *, today: date) -> Validated:
    """Validate the loaded site."""
    report = _Report(list(loaded.problems))
    site = _site(loaded.site, report)
    actors = _vocabulary(loaded.actors, report, "actor")
    topics = _vocabulary(loaded.topics, report, "topic")
    registry = _sources(loaded.sources, report)
    registry = dict(sorted(registry.items(), key=lambda item: item[1][0].path))  # file order
    cited: set[str] = set()

    # First pass over events: shape, then ids (needed before `related` can be checked).
    ids: dict[str, tuple[Document, FieldPath]] = {}
    for doc in loaded.events:
        _schema_errors(doc, "event", report)
        _check_text(doc, report)
        _check_placeholders(doc, report)
    # Own ids first, then aliases: a clash is reported on the alias, where the fix is. Files
    # in the order they were read.
    claims: list[tuple[Any, tuple[str, FieldPath] | None]] = [
        (doc, _own_id(doc, report)) for doc in loaded.events
    ]
    aliases: list[tuple[Any, tuple[str, FieldPath] | None]] = [
        (doc, alias) for doc in loaded.events for alias in _aliases_of(doc, report)
    ]
    for doc, claim in sorted(claims, key=_claim_order) + sorted(aliases, key=_claim_order):
        if claim is None:
            continue
        event_id, path = claim
        if event_id in ids:
            other, other_path = ids[event_id]
            report.add(
                doc,
                path,
                f"id `{event_id}` is already used",
                f"also in {other.path}:{other.pos(other_path).line}; "
                "ids and aliases must be unique",
            )
        else:
            ids[event_id] = (doc, path)

    events: list[Event] = []
    docs: dict[str, Document] = {}
    for doc in loaded.events:
        event = _event(doc, report, ids, actors, topics, registry, cited, today)
        if event is not None:
            events.append(event)
            docs[event.id] = doc
    _probable_duplicates(events, docs, report)

    for source_id, (doc, _record) in sorted(registry.items()):
        if source_id not in cited:
            report.add(
                doc,
                (),
                f"no entry cites the source `{source_id}`",
                f"cite it with `- ref: {source_id}`, or delete the file",
                severity=WARNING,
            )

    problems = sorted(set(report.problems))
    if site is None or any(p.is_error for p in problems):
        return Validated(None, problems)
    content = Content(
        site=site,
        actors=actors,
        topics=topics,
        sources={key: record for key, (_doc, record) in registry.items()},
        events=tuple(sorted(events, key=Event.sort_key)),
    )
    return Validated(content, problems)


def _claim_order(claim: tuple[Any, Any]) -> str:
    return claim[0].path


DUPLICATE_TITLE_RATIO = 0.85


def _probable_duplicates(events: list[Event], docs: dict[str, Document], report: _Report) -> None:
    """Warn about two entries of the same day with near-identical titles, or citing the same
    source address, unless they are linked by `related:` (then their editors know of both)."""
    by_day: dict[date, list[Event]] = {}
    for event in sorted(events, key=lambda e: (e.file, e.id)):
        if event.date.precision >= Precision.DAY:
            by_day.setdefault(event.date.day, []).append(event)
    for same_day in by_day.values():
        for index, later in enumerate(same_day):
            for earlier in same_day[:index]:
                if later.id in earlier.related or earlier.id in later.related:
                    continue
                reason = _duplicate_reason(earlier, later)
                if reason:
                    report.add(
                        docs[later.id],
                        ("title",),
                        f"probably the same event as `{earlier.id}` ({reason})",
                        f"merge the two entries, or link them with `related: [{earlier.id}]`",
                        severity=WARNING,
                    )


def _duplicate_reason(a: Event, b: Event) -> str:
    if _similar_titles(a.title.casefold(), b.title.casefold()):
        return "same day, near-identical title"
    urls = {c.source.url for c in a.citations if c.source.url}
    shared = sorted(urls & {c.source.url for c in b.citations if c.source.url})
    return f"same day, both cite {shared[0]}" if shared else ""


def _similar_titles(a: str, b: str) -> bool:
    # Upper bounds of SequenceMatcher.ratio() first, cheapest first: the lengths (its
    # real_quick_ratio), then the letters in common (its quick_ratio); they rule out almost every
    # pair before the costly exact ratio (and before building a SequenceMatcher at all).
    if 2 * min(len(a), len(b)) < DUPLICATE_TITLE_RATIO * (len(a) + len(b)):
        return False
    if 2 * (_letters(a) & _letters(b)).total() < DUPLICATE_TITLE_RATIO * (len(a) + len(b)):
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= DUPLICATE_TITLE_RATIO


@lru_cache(maxsize=1 << 16)  # every title, once per run (and bounded for the preview server)
def _letters(text: str) -> Counter[str]:
    return Counter(text)


def _own_id(doc: Document, report: _Report) -> tuple[str, FieldPath] | None:
    data = doc.data if isinstance(doc.data, dict) else {}
    own = data.get("id")
    if own is None:
        if is_id(doc.stem):
            return doc.stem, ()
        report.add(
            doc,
            ("id",),
            f"the file name `{doc.stem}` is not a valid id",
            "rename the file to lowercase letters, digits and single hyphens, or set `id:`",
        )
    elif isinstance(own, str) and not report.has_error(doc, ("id",)):
        if is_id(own):
            return own, ("id",)
        report.add(doc, ("id",), "must be lowercase letters, digits and single hyphens", "")
    return None


def _aliases_of(doc: Document, report: _Report) -> Iterator[tuple[str, FieldPath]]:
    data = doc.data if isinstance(doc.data, dict) else {}
    aliases = data.get("aliases")
    if isinstance(aliases, list) and not report.has_error(doc, ("aliases",)):
        for index, alias in enumerate(aliases):
            path = ("aliases", index)
            if not isinstance(alias, str) or report.has_error(doc, path):
                continue
            if is_id(alias):  # the schema's `$` would allow a final newline
                yield alias, path
            else:
                report.add(doc, path, "must be lowercase letters, digits and single hyphens", "")


def _refs(
    doc: Document,
    key: str,
    known: Iterable[str],
    report: _Report,
    label: str,
    hint: str,
) -> tuple[str, ...]:
    values = _get(doc.data, (key,))
    if not isinstance(values, list):
        return ()
    known = set(known)
    out = []
    for index, value in enumerate(values):
        if not isinstance(value, str) or report.has_error(doc, (key, index)):
            continue
        if value not in known:
            report.add(
                doc,
                (key, index),
                f"unknown {label} `{value}`",
                did_you_mean(value, known) or hint,
            )
        out.append(value)
    return tuple(out)


def _event(
    doc: Document,
    report: _Report,
    ids: dict[str, tuple[Document, FieldPath]],
    actors: dict[str, Term],
    topics: dict[str, Term],
    registry: dict[str, tuple[Document, SourceRecord]],
    cited: set[str],
    today: date,
) -> Event | None:
    data = doc.data
    if not isinstance(data, dict):
        return None
    if doc.body is not None and "body" in data:
        report.add(
            doc,
            ("body",),
            "a Markdown entry has its body below the front matter",
            "move the text after the closing `---` line",
            at_key=True,
        )
    start = _date(doc, ("date",), report)
    end = _date(doc, ("end",), report)
    updated = _date(doc, ("updated",), report)
    if start and end and end.start < start.start:
        report.add(doc, ("end",), f"`{end.text}` is before the date `{start.text}`", "swap them")
    for path, value in (("date",), start), (("end",), end), (("updated",), updated):
        if value and value.start.date() > today:
            report.add(
                doc,
                path,
                f"`{value.text}` is after the build day ({today.isoformat()})",
                "an entry records what has happened; check the year",
            )

    actor_ids = _refs(doc, "actors", actors, report, "actor", "add it to content/actors.yaml")
    topic_ids = _refs(doc, "topics", topics, report, "topic", "add it to content/topics.yaml")
    own_id = data.get("id") if isinstance(data.get("id"), str) else doc.stem
    related = _refs(doc, "related", ids, report, "event", "use the id of an existing event")
    for index, value in enumerate(related):
        if value == own_id:
            report.add(doc, ("related", index), "an event cannot be related to itself", "")

    citations: list[Citation] = []
    for index, item in enumerate(_list(data, "sources")):
        base: FieldPath = ("sources", index)
        if not isinstance(item, dict) or report.has_error(doc, base):
            continue
        if "ref" in item:
            ref = item["ref"]
            if not isinstance(ref, str) or report.has_error(doc, (*base, "ref")):
                continue
            if ref not in registry:
                report.add(
                    doc,
                    (*base, "ref"),
                    f"unknown source `{ref}`",
                    did_you_mean(ref, registry) or f"add content/sources/{ref}.yaml",
                )
                continue
            cited.add(ref)
            record = registry[ref][1]
        else:
            found = _source_record(doc, base, report)
            if found is None:
                continue
            record = found
        # An inline source's `note` is the source's own (already in `record`), not a second one.
        citation_note = (item.get("note") or "") if "ref" in item else ""
        citations.append(Citation(record, item.get("quote") or "", citation_note))

    corrections: list[Correction] = []
    for index, item in enumerate(_list(data, "corrections")):
        when = _date(doc, ("corrections", index, "date"), report)
        if when is not None and isinstance(item, dict) and isinstance(item.get("note"), str):
            corrections.append(Correction(when, item["note"]))

    if report.has_error(doc) or start is None:
        return None
    disputed = data.get("disputed") or ()
    return Event(
        id=own_id,
        title=data["title"],
        date=start,
        summary=data["summary"],
        citations=tuple(citations),
        file=doc.path,
        end=end,
        date_note=data.get("date_note") or "",
        body=doc.body if doc.body is not None else data.get("body") or "",
        actors=actor_ids,
        topics=topic_ids,
        location=data.get("location") or "",
        disputed=(disputed,) if isinstance(disputed, str) else tuple(disputed),
        related=related,
        aliases=tuple(data.get("aliases") or ()),
        corrections=tuple(sorted(corrections, key=lambda c: c.date.sort_key())),
        updated=updated,
    )
