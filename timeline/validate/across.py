"""Validation, second stage: what involves several files, or the build day.

From the drafts of every entry and source file (`files.py`) and the small files read every time
(site.yaml and the vocabularies): ids and aliases unique across entries, references to actors,
topics, events and sources that exist (with "did you mean"), dates not after the build day,
probable duplicates, sources no entry cites; and the content model, its events citing the records
of the register.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from timeline.dates import Precision
from timeline.ids import is_id
from timeline.load.files import Document
from timeline.load.yamlstrict import Pos
from timeline.model import (
    SOURCE_TYPES,
    STATE_MEDIA,
    Content,
    Edition,
    Event,
    SiteConfig,
    Term,
    Translation,
)
from timeline.problems import WARNING, Problem
from timeline.validate.document import Found, located, problem_at, url_problems
from timeline.validate.drafts import EntryDraft, Mention, SourceDraft, TranslationDraft
from timeline.validate.files import NOT_AN_ID
from timeline.validate.shape import did_you_mean, schema_problems
from timeline.validate.translations import check_translations

DUPLICATE_TITLE_RATIO = 0.85
ACTOR_HINT = "add it to content/actors.yaml"
TOPIC_HINT = "add it to content/topics.yaml"
EVENT_HINT = "use the id of an existing event"


@dataclass
class Validated:
    content: Content | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.content is not None and not any(p.is_error for p in self.problems)


@dataclass(frozen=True)
class Known:
    """What references can name: the ids of actors, topics and events, and the register (by id,
    in file order)."""

    actors: dict[str, Term]
    topics: dict[str, Term]
    events: dict[str, tuple[str, Mention]]  # id or alias -> the file and place that claim it
    sources: dict[str, SourceDraft]


# An entry checked against the others: its problems, and its event citing the register's records
# (None when it has an error). `check_entry` is one; whoever validates often may remember them.
EntryCheck = Callable[[EntryDraft, Known, date], tuple[list[Problem], Event | None]]


def check_entry(draft: EntryDraft, known: Known, today: date) -> tuple[list[Problem], Event | None]:
    """What an entry's references and dates make of it against the others (id clashes apart)."""
    found = _unknown_references(draft, known) + _after(draft, today)
    if draft.event is None or any(problem.is_error for problem in found):
        return found, None
    return found, _with_records(draft.event, known.sources)


def validate_site(
    site_doc: Document | None,
    actors_doc: Document | None,
    topics_doc: Document | None,
    entries: list[EntryDraft],
    sources: list[SourceDraft],
    problems: list[Problem],
    *,
    today: date,
    check: EntryCheck = check_entry,
    translations: list[TranslationDraft] | None = None,
    source_types: Document | None = None,
) -> Validated:
    """Validate a site from the drafts of its entry and source files. `problems` are those of
    loading that no draft holds (site.yaml and the vocabularies, files that cannot be read or are
    not entries); the drafts are taken in path order, whatever their order in the lists."""
    site, found = _site(site_doc, problems)
    actors, found_here = _vocabulary(actors_doc, problems, "actor")
    found += found_here
    topics, found_here = _vocabulary(topics_doc, problems, "topic")
    found += found_here
    types, found_here = _source_types(source_types, problems)
    register = _register(sources)
    found += found_here + _typed(sources, types) + _republished(register)
    entries = sorted(entries, key=lambda draft: draft.path)
    ids, clashes = _unique_ids(entries)
    known = Known(actors, topics, ids, register)
    events = []
    for draft in entries:
        clashing = clashes.get(draft.path, [])
        own, event = check(draft, known, today)
        found += clashing + own
        if event is not None and not any(p.is_error for p in clashing):
            events.append(event)
    titles = {draft.path: draft.title for draft in entries}
    found += _probable_duplicates(events, titles)
    found += _uncited(known.sources, {m.id for draft in entries for m in draft.sources})
    drafts = translations or []
    words, found_here = check_translations(drafts, site, events, {d.path for d in entries})
    found += found_here
    every = [*problems, *found]
    every += (p for draft in [*entries, *sources, *drafts] for p in draft.problems)
    validated = _validated(site, known, events, words, sorted(set(every)))
    if validated.content is None:
        return validated
    content = dataclasses.replace(validated.content, source_types=types)
    return dataclasses.replace(validated, content=content)


def _validated(
    site: SiteConfig | None,
    known: Known,
    events: list[Event],
    translations: list[Translation],
    problems: list[Problem],
) -> Validated:
    if site is None or any(p.is_error for p in problems):
        return Validated(None, problems)
    content = Content(
        site=site,
        actors=known.actors,
        topics=known.topics,
        sources={key: draft.record for key, draft in known.sources.items() if draft.record},
        events=tuple(sorted(events, key=Event.sort_key)),
        translations=tuple(translations),
    )
    return Validated(content, problems)


# --- site.yaml and the vocabularies --------------------------------------------------------------


def _own(doc: Document, problems: list[Problem]) -> Found:
    return Found(p for p in problems if p.file == doc.path)


def _site(doc: Document | None, problems: list[Problem]) -> tuple[SiteConfig | None, list[Problem]]:
    if doc is None:
        return None, []
    found = _own(doc, problems)
    new = schema_problems(doc, "site", found)
    found.extend(new)
    bad_url = url_problems(doc, ("base_url",), found)
    bad_url += url_problems(doc, ("repository_url",), found)
    found.extend(bad_url)
    new += bad_url
    if found.has_error():
        return None, new
    data = doc.data
    base_url = data["base_url"] if data["base_url"].endswith("/") else data["base_url"] + "/"
    site = SiteConfig(
        title=data["title"],
        base_url=base_url,
        language=data["language"],
        description=data.get("description") or "",
        theme=data.get("theme") or "default",
        repository_url=data.get("repository_url") or "",
        publisher=data.get("publisher") or "",
    )
    editions, problems = _editions(doc, site)
    return dataclasses.replace(site, editions=editions), new + problems


def _editions(doc: Document, site: SiteConfig) -> tuple[tuple[Edition, ...], list[Problem]]:
    """The site in each of its languages (none when `languages:` names none)."""
    languages = doc.data.get("languages") or {}
    if not languages:
        return (), []
    own = Edition(site.language, "", site.title, site.description)
    editions, problems = [own], []
    for code, given in languages.items():
        if code.lower() == site.language.lower():
            message = f"`{code}` is the site's own language"
            hint = "list only the other languages under `languages:`"
            problems.append(problem_at(doc, ("languages", code), message, hint, at_key=True))
            continue
        given = given or {}
        title, description = given.get("title", site.title), given.get("description", "")
        editions.append(Edition(code, f"{code}/", title, description or site.description))
    return tuple(editions), problems


def _vocabulary(
    doc: Document | None, problems: list[Problem], label: str
) -> tuple[dict[str, Term], list[Problem]]:
    if doc is None:
        return {}, []
    found = _own(doc, problems)
    new = schema_problems(doc, "vocabulary", found)
    found.extend(new)
    if not isinstance(doc.data, list):
        return {}, new
    terms: dict[str, Term] = {}
    seen: dict[str, int] = {}
    for index, item in enumerate(doc.data):
        if not isinstance(item, dict) or found.has_error((index,)):
            continue
        term_id = item.get("id")
        if not isinstance(term_id, str):
            continue
        if not is_id(term_id):
            new.append(problem_at(doc, (index, "id"), NOT_AN_ID))
        elif term_id in seen:
            first = f"first defined on line {doc.pos((seen[term_id],)).line}"
            new.append(
                problem_at(doc, (index, "id"), f"{label} `{term_id}` is defined twice", first)
            )
        else:
            seen[term_id] = index
            if isinstance(item.get("name"), str):
                terms[term_id] = Term(
                    id=term_id,
                    name=item["name"],
                    description=item.get("description") or "",
                    kind=item.get("kind") or "",
                )
    return terms, new


# --- ids and references --------------------------------------------------------------------------


def _source_types(
    doc: Document | None, problems: list[Problem]
) -> tuple[dict[str, Term], list[Problem]]:
    """The built-in kinds of source, and the site's own (content/source-types.yaml)."""
    builtin = {key: Term(key, name) for key, name in SOURCE_TYPES.items()}
    own, found = _vocabulary(doc, problems, "source type")
    if doc is not None:
        hint = "it is built in: remove it from content/source-types.yaml"
        found += [
            located(doc.path, doc.pos(), (), f"`{key}` is a built-in type", hint)
            for key in sorted(own.keys() & builtin.keys())
        ]
    return {**own, **builtin}, found


def _typed(sources: list[SourceDraft], types: dict[str, Term]) -> list[Problem]:
    """A record's `type:` is a known type; a publisher typed as state media is typed so in
    every record of it."""
    records = [(d, d.record) for d in sorted(sources, key=lambda d: d.path) if d.record]
    problems = [
        located(draft.path, draft.type, ("type",), f"unknown type `{record.type}`", hint)
        for draft, record in records
        if record.type and record.type not in types
        for hint in [did_you_mean(record.type, types) or "one of: " + ", ".join(sorted(types))]
    ]
    state_media: dict[str, str] = {}
    for draft, record in records:
        if record.type == STATE_MEDIA:
            state_media.setdefault(record.publisher.casefold(), draft.path)
    for draft, record in records:
        where = state_media.get(record.publisher.casefold())
        if where and record.type != STATE_MEDIA:
            message = f"{record.publisher} is typed as state media in {where}, but not here"
            hint = f"type: {STATE_MEDIA}"
            problems.append(located(draft.path, draft.type, ("type",), message, hint, WARNING))
    return problems


def _republished(records: dict[str, SourceDraft]) -> list[Problem]:
    """`republishes:` names another record of the register, without a loop, or an agency (a
    name close to a record's id is probably that record)."""
    problems = []
    for key, draft in records.items():
        target = draft.record.republishes if draft.record else ""
        where = (draft.path, draft.republishes, ("republishes",))
        if not target:
            continue
        if target in records and (loop := _loop(key, records)):
            message = "republishes goes round in a loop: " + " → ".join(loop)
            problems.append(located(*where, message, "the original report republishes nothing"))
        elif (
            target not in records and _id_like(target) and (close := did_you_mean(target, records))
        ):
            message = f"`{target}` is no record: it is read as an agency's name"
            problems.append(located(*where, message, close, WARNING))
    return problems


def _id_like(text: str) -> bool:
    """Written as a record's id ("2023-10-07-reuters-story"), not as an agency's name ("TASS")."""
    return is_id(text) and "-" in text


def _loop(start: str, records: dict[str, SourceDraft]) -> list[str]:
    """The ids from `start` back to itself along `republishes:`, when they go round."""
    path, key = [start], start
    while (record := records[key].record) and record.republishes in records:
        key = record.republishes
        if key == start:
            return [*path, key]
        if key in path:
            return []  # a loop further on, reported from its own records
        path.append(key)
    return []


def _register(sources: list[SourceDraft]) -> dict[str, SourceDraft]:
    """The usable records by id, in path order. Of two files with one name (`a.yaml`, `a.yml`)
    the later in path order is the record."""
    register = {}
    for draft in sorted(sources, key=lambda draft: draft.path):
        if draft.record is not None:
            register[draft.record.id] = draft
    return dict(sorted(register.items(), key=lambda item: item[1].path))


def _unique_ids(
    entries: list[EntryDraft],
) -> tuple[dict[str, tuple[str, Mention]], dict[str, list[Problem]]]:
    """Which entry claims each id, and the clashes by file. Own ids first, then aliases: a clash
    is reported on the alias, where the fix is; files in path order."""
    ids: dict[str, tuple[str, Mention]] = {}
    clashes: dict[str, list[Problem]] = {}
    claims = [(draft.path, draft.id) for draft in entries if draft.id is not None]
    claims += [(draft.path, alias) for draft in entries for alias in draft.aliases]
    for path, claim in claims:
        if claim.id not in ids:
            ids[claim.id] = (path, claim)
            continue
        other_path, other = ids[claim.id]
        hint = f"also in {other_path}:{other.pos.line}; ids and aliases must be unique"
        clash = located(path, claim.pos, claim.field, f"id `{claim.id}` is already used", hint)
        clashes.setdefault(path, []).append(clash)
    return ids, clashes


def _unknown(
    path: str,
    mentions: tuple[Mention, ...],
    known: Collection[str],
    label: str,
    hint: Callable[[str], str],
) -> list[Problem]:
    return [
        located(
            path,
            mention.pos,
            mention.field,
            f"unknown {label} `{mention.id}`",
            did_you_mean(mention.id, known) or hint(mention.id),
        )
        for mention in mentions
        if mention.id not in known
    ]


def _unknown_references(draft: EntryDraft, known: Known) -> list[Problem]:
    path = draft.path
    return [
        *_unknown(path, draft.actors, known.actors, "actor", lambda _: ACTOR_HINT),
        *_unknown(path, draft.topics, known.topics, "topic", lambda _: TOPIC_HINT),
        *_unknown(path, draft.related, known.events, "event", lambda _: EVENT_HINT),
        *_unknown(
            path,
            draft.sources,
            known.sources,
            "source",
            lambda ref: f"add content/sources/{ref}.yaml",
        ),
    ]


def _after(draft: EntryDraft, today: date) -> list[Problem]:
    """The entry's dates after the build day: an entry records what has happened."""
    return [
        located(
            draft.path,
            dated.pos,
            dated.field,
            f"`{dated.date.text}` is after the build day ({today.isoformat()})",
            "an entry records what has happened; check the year",
        )
        for dated in draft.dates
        if dated.date.start.date() > today
    ]


def _with_records(event: Event, register: dict[str, SourceDraft]) -> Event:
    """The event citing the records of the register, for the placeholders of its draft."""
    citations = tuple(
        dataclasses.replace(citation, source=register[citation.source.id].record)
        if citation.source.id
        else citation
        for citation in event.citations
    )
    return dataclasses.replace(event, citations=citations)


def _uncited(register: dict[str, SourceDraft], cited: set[str]) -> list[Problem]:
    return [
        located(
            draft.path,
            draft.root,
            (),
            f"no entry cites the source `{source_id}`",
            f"cite it with `- ref: {source_id}`, or delete the file",
            WARNING,
        )
        for source_id, draft in sorted(register.items())
        if source_id not in cited
    ]


# --- probable duplicates -------------------------------------------------------------------------


def _probable_duplicates(events: list[Event], titles: dict[str, Pos]) -> list[Problem]:
    """Two entries of the same day with near-identical titles, or citing the same source
    address, unless they are linked by `related:` (then their editors know of both)."""
    by_day: dict[date, list[Event]] = {}
    for event in sorted(events, key=lambda e: (e.file, e.id)):
        if event.date.precision >= Precision.DAY:
            by_day.setdefault(event.date.day, []).append(event)
    problems = []
    for same_day in by_day.values():
        for index, later in enumerate(same_day):
            for earlier in same_day[:index]:
                if later.id in earlier.related or earlier.id in later.related:
                    continue
                reason = _duplicate_reason(earlier, later)
                if reason:
                    problems.append(
                        located(
                            later.file,
                            titles[later.file],
                            ("title",),
                            f"probably the same event as `{earlier.id}` ({reason})",
                            f"merge the two entries, or link them with `related: [{earlier.id}]`",
                            WARNING,
                        )
                    )
    return problems


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
