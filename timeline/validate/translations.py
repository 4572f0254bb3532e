"""Translations of entries: `<entry file's name>.<lang>.md` (or `.yaml`) beside the entry.

A translation gives the entry's words in one of the site's other languages (`languages:` in
site.yaml): title, summary, body, disputed, date_note and location. Everything else (dates,
sources and their quotes, actors, topics, related entries) is the entry's own in every language,
so a translation that sets it is refused with its own message. Per file (`translation_draft`),
then against the entries and the site (`check_translations`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path, PurePosixPath

from timeline.git import file_versions
from timeline.ids import LANGUAGE_TAG, is_id
from timeline.load.files import Document, parse_document
from timeline.model import Content, Event, SiteConfig, Translation
from timeline.problems import WARNING, Problem
from timeline.validate.document import (
    Found,
    located,
    placeholder_problems,
    problem_at,
    span_problems,
    text_problems,
)
from timeline.validate.drafts import Mention, TranslationDraft
from timeline.validate.files import NOT_AN_ID, body_key_problems, body_of, disputed_of
from timeline.validate.shape import schema_problems


def read_translation(path: str, raw: bytes) -> TranslationDraft:
    doc, problems = parse_document(raw, path, front_matter=path.endswith(".md"))
    return translation_draft(path, doc, problems)


def translation_draft(
    path: str, doc: Document | None, load_problems: list[Problem]
) -> TranslationDraft:
    pure = PurePosixPath(path)
    stem, language = pure.stem.rsplit(".", 1)
    original = str(pure.with_name(stem))
    if doc is None:
        return TranslationDraft(path, original, language, tuple(load_problems))
    found = Found(load_problems)
    if not LANGUAGE_TAG.fullmatch(language):
        message = f"`{language}` in the file name is not a language code"
        hint = "name a translation <entry file's name>.<language code>.md, like x.he.md"
        found.extend([problem_at(doc, (), message, hint)])
    found.extend(schema_problems(doc, "translation", found))
    found.extend(text_problems(doc))
    found.extend(span_problems(doc))
    found.extend(placeholder_problems(doc))
    found.extend(body_key_problems(doc))
    own_id, problems = _given_id(doc, found)
    found.extend(problems)
    words = None
    if not found.has_error() and isinstance(doc.data, dict):
        words = _translation(doc, language)
    quotes = doc.pos(("quotes",))
    return TranslationDraft(
        path, original, language, tuple(found.problems), own_id, words, quotes=quotes
    )


def _given_id(doc: Document, found: Found) -> tuple[Mention | None, list[Problem]]:
    """The `id:` a translation gives (None when none, or one with a problem of its own)."""
    given = doc.data.get("id") if isinstance(doc.data, dict) else None
    if not isinstance(given, str) or found.has_error(("id",)):
        return None, []
    if not is_id(given):
        return None, [problem_at(doc, ("id",), NOT_AN_ID, "")]
    return Mention(given, ("id",), doc.pos(("id",))), []


def _translation(doc: Document, language: str) -> Translation:
    data = doc.data
    return Translation(
        event_id="",  # the entry's, found across files
        language=language,
        file=doc.path,
        title=data["title"],
        summary=data["summary"],
        body=body_of(doc),
        disputed=disputed_of(data),
        date_note=data.get("date_note") or "",
        location=data.get("location") or "",
        quotes=tuple(data.get("quotes") or ()),
    )


def check_translations(
    drafts: list[TranslationDraft],
    site: SiteConfig | None,
    events: list[Event],
    entry_files: set[str],
) -> tuple[list[Translation], list[Problem]]:
    """The translations of the entries, each matched to its entry; the problems of matching.
    `entry_files` are the paths of every entry file, with or without errors."""
    by_file = {_without_suffix(event.file): event for event in events}
    originals = {_without_suffix(path) for path in entry_files}
    languages = {edition.language for edition in site.editions[1:]} if site else set()
    taken: set[tuple[str, str]] = set()
    translations, problems = [], []
    for draft in sorted(drafts, key=lambda d: d.path):
        if draft.original not in originals:
            problems.append(_without_entry(draft))
            continue
        event = by_file.get(draft.original)  # None: the entry has errors, reported as its own
        found = _mismatches(draft, event, languages, taken) if event else []
        problems += found
        if draft.translation is not None and event is not None and not found:
            taken.add((draft.original, draft.language))
            translations.append(Translation(**{**vars(draft.translation), "event_id": event.id}))
    return translations, problems


def _without_suffix(path: str) -> str:
    return str(PurePosixPath(path).with_suffix(""))


def _mismatches(
    draft: TranslationDraft, event: Event, languages: set[str], taken: set[tuple[str, str]]
) -> list[Problem]:
    name = PurePosixPath(event.file).name
    if draft.language not in languages:
        hint = f"add `{draft.language}:` under `languages:` in site.yaml"
        return [_problem(draft, f"`{draft.language}` is not one of the site's languages", hint)]
    if draft.id is not None and draft.id.id != event.id:
        message = f"`{draft.id.id}` is not the id of the entry {name}"
        hint = f"a translation has its entry's id, `{event.id}` (or leave `id:` out)"
        return [_problem(draft, message, hint, draft.id)]
    quoted = sum(1 for citation in event.citations if citation.quote)
    given = len(draft.translation.quotes) if draft.translation else 0
    if given > quoted:
        message = f"{given} translations of quotes, but the entry {name} quotes {quoted} times"
        hint = "translate each of its quotes once, in their order in its `sources:`"
        return [_problem(draft, message, hint, Mention("", ("quotes",), draft.quotes))]
    if (draft.original, draft.language) in taken:
        message = f"a second translation of {name} into `{draft.language}`"
        return [_problem(draft, message, "keep one of the two files")]
    return []


def _without_entry(draft: TranslationDraft) -> Problem:
    name = PurePosixPath(draft.original).name
    message = f"no entry {name}.md or {name}.yaml beside this translation"
    hint = "name a translation after its entry's file: <entry>.<language code>.md"
    return _problem(draft, message, hint)


def _problem(
    draft: TranslationDraft, message: str, hint: str, at: Mention | None = None
) -> Problem:
    """A problem at the mention `at` of the translation, or at its start."""
    pos, field = (at.pos, at.field) if at else (draft.root, ())
    return located(draft.path, pos, field, message, hint)


def stale_translations(root: Path, content: Content) -> list[Problem]:
    """A warning for each translation last committed before its entry's last commit: the entry
    may say something its translation does not yet (git decides; none without a history)."""
    by_id = {event.id: event for event in content.events}
    pairs = [(t, by_id[t.event_id]) for t in content.translations if t.event_id in by_id]
    files = sorted({f for t, event in pairs for f in (t.file, event.file)})
    histories = file_versions(root, files).versions
    problems = []
    for words, event in pairs:
        entry, translated = histories.get(event.file), histories.get(words.file)
        if not entry or not translated:
            continue
        changed, done = entry[-1].commit, translated[-1].commit
        if datetime.fromisoformat(changed.time) > datetime.fromisoformat(done.time):
            name = PurePosixPath(event.file).name
            message = (
                f"this translation is older than its entry: {name} changed on {changed.date}, "
                f"after this translation ({done.date})"
            )
            hint = f"translate what changed (git log -p -- {event.file}), then commit it"
            problems.append(Problem(words.file, 1, 1, WARNING, "", message, hint))
    return problems
