"""A build: the pipeline from the site's files to the output folder, and what it remembers.

`Session` is a build state that can stay in memory between builds (the preview keeps one and
tells it which paths changed); `build_site` is one session's one build. Read `Session.build` top
to bottom for the pipeline: inputs, load and validate, assemble, plan, render, write.
"""

from __future__ import annotations

import dataclasses
import gc
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError, TemplateSyntaxError

from timeline.assemble.editions import edition_content, edition_timeline
from timeline.assemble.timeline import Timeline, assemble
from timeline.engine.content import ContentMemo, check_content
from timeline.engine.fingerprint import CODE, Fingerprints, combine
from timeline.engine.graph import Graph, Kept, KeptBuild, LastBuild, Made, Recorded, file_record
from timeline.engine.inputs import inputs_print, rescanned, scan_inputs
from timeline.engine.scheduler import Scheduler
from timeline.engine.search import SearchShards, search_indexer, search_shards_of
from timeline.engine.settings import Settings, read_settings
from timeline.engine.store import Store, store_folder
from timeline.engine.versions import VersionMemo, past_versions
from timeline.git import Histories, file_versions, head_commit
from timeline.model import Content
from timeline.problems import ERROR, Problem
from timeline.render.language import Language, language_of
from timeline.render.pages import make_environment
from timeline.render.plan import Job, StaticFile, plan
from timeline.render.theme import Theme, located_theme
from timeline.write.output import (
    SEARCH_FOLDER,
    Indexer,
    OutputError,
    Tree,
    can_update,
    check_output_location,
    publish,
    with_spare,
)
from timeline.write.search import SearchIndexError

PROGRESS_EVERY = 500  # files between two progress reports


@dataclass
class BuildResult:
    problems: list[Problem] = field(default_factory=list)
    events: int = 0
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    language: str = ""
    reused: int = 0  # pages not rendered again
    remade: list[str] = field(default_factory=list)  # files made again (not static ones)
    search: SearchShards | None = None  # the search index this build asks for
    versions: int = 0  # committed versions of the entries, each a page

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def build_site(
    site_root: Path,
    output: Path,
    *,
    base_url: str | None = None,
    search: bool = True,
    incremental: bool = True,
    progress: Callable[[str], None] | None = None,
    explain: Callable[[str, str], None] | None = None,
    jobs: int = 1,
) -> BuildResult:
    """Build into `output`, with `jobs` worker processes. Without `incremental`, nothing of the
    last build is used. The output is the same, byte for byte, either way and whatever `jobs`.
    `explain(path, why)` hears of every file made again and why."""
    session = Session(site_root, output, progress=progress, explain=explain, jobs=jobs)
    try:
        return session.build(read_settings(base_url, search), clean=not incremental)
    finally:
        session.close()


class Session:
    """What a build keeps between builds of one site into one output folder.

    A session remembers its last build in the store beside the output, for the next process
    (`timeline build`), or, when `kept`, in memory only, for its own next build (the preview):
    then only the files a watcher names are read again, and pages are compared with the last
    build's as objects rather than by fingerprints.
    """

    def __init__(
        self,
        site_root: Path,
        output: Path,
        progress: Callable[[str], None] | None = None,
        *,
        kept: bool = False,
        explain: Callable[[str, str], None] | None = None,
        jobs: int = 1,
    ) -> None:
        check_output_location(output, site_root)
        self.site_root = site_root
        self.output = output.absolute()
        self.folder = store_folder(output)
        self.store = Store(None if kept else self.folder / "store.sqlite")
        self.progress = progress or (lambda message: None)
        self.explain = explain
        self.kept = kept
        self.scheduler = Scheduler(jobs)
        self.memo = ContentMemo()
        self.edition_memos: dict[str, ContentMemo] = {}  # the entries of each other language
        self.kept_builds: dict[str, KeptBuild] = {}  # a kept session's last build, by edition
        self.kept_tree = Tree()
        self.digests: dict[str, str] = {}
        self.prints = Fingerprints()  # of this build's entries (kept: of the last build's too)
        self._histories: tuple[Any, Histories] | None = None
        self.versions = VersionMemo()
        # Each language's words and Jinja environment, by theme, catalogues and language.
        self._envs: dict[Any, tuple[Language, Environment]] = {}

    def close(self) -> None:
        self.store.close()

    def build(
        self, settings: Settings, clean: bool = False, changed: Collection[str] | None = None
    ) -> BuildResult:
        """One build. `changed`, when known (a watcher's report), names exactly the paths
        (relative to the site) changed since the last build of this session."""
        started = time.perf_counter()
        if clean:
            self.store.forget()
            self.kept_builds, self.kept_tree, self.memo = {}, Tree(), ContentMemo()
            self.edition_memos = {}
        digests = self._scan(changed)
        key = inputs_print(digests, settings, head_commit(self.site_root), CODE)
        if self._unchanged(key, settings):
            return _as_before(self.store.meta("outcome"), time.perf_counter() - started)
        checked = check_content(
            self.site_root, self.store, settings.build_day, digests, self.memo, self.scheduler
        )
        result = BuildResult(problems=list(checked.problems))
        if checked.ok:
            content = self.memo.interned(_with_base_url(checked.content, settings.base_url))
            versions, removed = self._versions_of(content, settings.build_day)
            timeline = assemble(content, versions, settings.epoch, removed)
            result = self._render_and_write(timeline, content, digests, settings, result)
        if result.ok:
            settled = changed is not None or scan_inputs(self.site_root, self.store) == digests
            self.store.set_meta("inputs", key if settled else "")  # else a save came meanwhile
            self.store.set_meta("outcome", _outcome(result))
        if result.ok or self.store.exists:  # a first build that fails leaves nothing behind
            self.store.commit()
        result.seconds = time.perf_counter() - started
        return result

    def settle(self) -> None:
        """Between builds of a kept session, what makes the next one quick: the spare output
        folder made, the last build's reads sorted for comparison, and what the session keeps
        set aside from the garbage collector, which otherwise walks all of it at every full
        collection (the garbage of the build is collected first)."""
        if not self.kept or not self.kept_builds:
            return
        self.kept_tree = with_spare(self.output, self.folder, self.kept_tree)
        for kept in self.kept_builds.values():
            for reads in kept.made.reads.values():
                reads.split()
        gc.collect()
        gc.freeze()

    def _scan(self, changed: Collection[str] | None) -> dict[str, str]:
        known = None
        if changed is not None and self.digests:
            known = rescanned(self.site_root, self.store, self.digests, changed)
        self.digests = known or scan_inputs(self.site_root, self.store, frozenset(changed or ()))
        return self.digests

    def _unchanged(self, key: str, settings: Settings) -> bool:
        """True if the last build read the same and its output is intact."""
        if self.store.meta("inputs") != key:
            return False
        if settings.search and not (self.output / SEARCH_FOLDER).is_dir():
            return False
        folder = str(self.output)
        return all(
            record.matches(f"{folder}/{path}") for path, record in self._tree().files.items()
        )

    def _versions_of(self, content: Content, today: date) -> tuple[dict[str, Any], tuple]:
        """Each entry file's committed versions, and the entries removed; git is asked again
        when the commit or the files differ."""
        files = [event.file for event in content.events]
        made_for = (head_commit(self.site_root), files)
        if self._histories is None or self._histories[0] != made_for:
            self._histories = (made_for, file_versions(self.site_root, files))
        known = self.memo.checks.known  # the registers today's entries were checked against
        if known is None:  # no entry was checked: a site without entries
            return {}, ()
        histories = self._histories[1]
        return past_versions(
            self.site_root, histories, known, today, self.versions, self.store, self.scheduler
        )

    def _render_and_write(
        self,
        timeline: Timeline,
        content: Content,
        digests: dict[str, str],
        settings: Settings,
        result: BuildResult,
    ) -> BuildResult:
        versions = sum(map(len, timeline.versions.values()))
        result = dataclasses.replace(result, events=len(timeline.events), versions=versions)
        result.language = timeline.site.language
        theme, problems = located_theme(timeline.site.theme, self.site_root)
        if theme is None:
            result.problems += problems
            return result
        try:
            theme_print = _theme_print(digests)
            previous = self._tree()
            usable = can_update(self.output, previous)
            editions = [
                self._edition(one, theme, theme_print, usable)
                for one in [timeline, *self._edition_timelines(timeline, content)]
            ]
            files = self._counted(chain.from_iterable(e.files for e in editions), editions)
            self._mark_spare_unsure(previous)
            shards = self._shards(editions, settings)
            indexer = self._indexer(shards) if settings.search else None
            tree = publish(self.output, self.folder, files, previous, indexer)
        except (TemplateError, SearchIndexError, OSError, OutputError) as exc:
            result.problems.append(_problem(exc, self.output))
            return result
        self._remember(tree, editions, theme_print)
        if indexer is not None:
            self.store.set_meta("search", shards.prints)  # type: ignore[union-attr]
        result.search = shards
        made = [edition.graph.made for edition in editions]
        for one in made:
            remade = [path for path in one.why if _made(one.jobs[path])]
            self._explain(remade, one)
            result.remade += remade
        result.pages = sum(one.pages for one in made)
        result.reused = sum(one.kept_pages for one in made)
        result.files = len(tree.files)
        return result

    def _edition_timelines(self, timeline: Timeline, content: Content) -> list[Timeline]:
        """The timeline of each of the site's other languages; an entry that shows the same
        as in the last build is the same object (what lets a kept session compare cheaply)."""
        editions = content.site.editions[1:]
        memos = {e.path: self.edition_memos.get(e.path) or ContentMemo() for e in editions}
        self.edition_memos = memos
        return [
            edition_timeline(memos[e.path].interned(edition_content(content, e)), timeline)
            for e in editions
        ]

    def _edition(
        self, timeline: Timeline, theme: Theme, theme_print: str, usable: bool
    ) -> _Edition:
        """The site in one of its languages: its plan, and the files it makes (lazily)."""
        language, env = self._environment(theme, theme_print, timeline.site.language)
        jobs = plan(timeline, theme, language)
        last = self._last_build(timeline, theme_print, usable, jobs)
        graph = Graph(last, timeline)
        return _Edition(timeline, language, last, graph, graph.files(jobs, env, self.scheduler))

    def _shards(self, editions: list[_Edition], settings: Settings) -> SearchShards | None:
        """The search index this build asks for; a kept session's is made apart (the
        preview's, in the background)."""
        if settings.search or self.kept:
            return search_shards_of([(e.timeline, e.language) for e in editions], self.prints)
        return None

    def _indexer(self, shards: SearchShards | None) -> Indexer | None:
        """The search step, given the fingerprints of the shards the output's index holds."""
        if shards is None:
            return None
        return search_indexer(shards, self.store.meta("search", {}), self.progress)

    def _environment(
        self, theme: Theme, theme_print: str, code: str
    ) -> tuple[Language, Environment]:
        """A language (its catalogues read) and the theme's Jinja environment speaking it, kept
        while the templates and catalogues are the same (it keeps the templates it compiled)."""
        made_for = (theme, theme_print, code)
        if made_for not in self._envs:
            # Only this build's themes and catalogues: one environment per language.
            self._envs = {k: v for k, v in self._envs.items() if k[:2] == made_for[:2]}
            language = language_of(code, theme.catalogue_dirs)
            self._envs[made_for] = (language, make_environment(theme, language))
        return self._envs[made_for]

    def _last_build(
        self, timeline: Timeline, theme_print: str, usable: bool, jobs: list[Job]
    ) -> LastBuild:
        if self.kept:
            kept = self.kept_builds.get(timeline.site.path) if usable else None
            return Kept(kept, timeline, theme_print)
        output = str(self.output) if usable else ""
        return Recorded(self.store, timeline, theme_print, output, jobs, self.prints)

    def _explain(self, remade: list[str], made: Made) -> None:
        if self.explain is not None:
            for path in remade:
                self.explain(path, made.why[path])

    def _counted(
        self, files: Iterator[tuple[str, bytes | None]], editions: list[_Edition]
    ) -> Iterator[tuple[str, bytes | None]]:
        for count, item in enumerate(files, 1):
            if count % PROGRESS_EVERY == 0:
                rendered = sum(e.graph.made.pages - e.graph.made.kept_pages for e in editions)
                self.progress(f"{count} files, {rendered} pages rendered")
            yield item

    def _tree(self) -> Tree:
        if self.kept:
            return self.kept_tree
        saved = self.store.meta("tree", {})
        rows = self.store.table("outputs")
        return Tree(
            files={path: file_record(row) for path, row in rows.items()},
            output_ino=saved.get("output_ino", 0),
            spare_ino=saved.get("spare_ino", 0),
            spare_differs=frozenset(saved.get("spare_differs", ())),
        )

    def _mark_spare_unsure(self, previous: Tree) -> None:
        """Before the spare folder is touched: a build killed meanwhile leaves it unknown."""
        if not previous.spare_ino or self.kept:
            return
        self.store.set_meta("tree", {"output_ino": previous.output_ino, "spare_ino": 0})
        self.store.commit()

    def _remember(self, tree: Tree, editions: list[_Edition], theme_print: str) -> None:
        for edition in editions:
            graph = edition.graph
            if isinstance(edition.last, Recorded):
                edition.last.remember(graph.made, tree.files)
            else:
                made = KeptBuild(graph.timeline, theme_print, graph.made)
                self.kept_builds[graph.timeline.site.path] = made
        if self.kept:
            self.kept_tree = tree
            events = [event for edition in editions for event in edition.timeline.events]
            self.prints = self.prints.kept_for(events)
        self.store.set_meta(
            "tree",
            {
                "output_ino": tree.output_ino,
                "spare_ino": tree.spare_ino,
                "spare_differs": sorted(tree.spare_differs),
            },
        )


@dataclass
class _Edition:
    """One language's part of a build (the site's own, or an edition's)."""

    timeline: Timeline
    language: Language
    last: LastBuild
    graph: Graph
    files: Iterator[tuple[str, bytes | None]]


def _made(job: Job) -> bool:
    """Made, rather than copied (a static file is copied every time)."""
    return not isinstance(job, StaticFile)


def _theme_print(digests: dict[str, str]) -> str:
    """The site's own templates, message catalogues and themes (the built-in ones are part of
    the code)."""
    parts = [CODE]
    for path, digest in digests.items():
        if path.startswith(("templates/", "locale/", "themes/")):
            parts += [path, digest]
    return combine(parts)


def _with_base_url(content: Content, base_url: str | None) -> Content:
    if not base_url:
        return content
    return dataclasses.replace(content, site=dataclasses.replace(content.site, base_url=base_url))


def _problem(exc: Exception, output: Path) -> Problem:
    if isinstance(exc, TemplateSyntaxError):
        where = exc.filename or exc.name or "?"
        return Problem(where, exc.lineno, 1, ERROR, "template", exc.message or "")
    if isinstance(exc, TemplateError):
        return Problem("site.yaml", 1, 1, ERROR, "theme", f"template error: {exc}")
    if isinstance(exc, SearchIndexError):
        return Problem("site.yaml", 1, 1, ERROR, "search", str(exc))
    # A full disk, a folder we may not write: the old output is intact.
    where = getattr(exc, "filename", None) or output
    message = f"could not write the site: {getattr(exc, 'strerror', None) or exc} ({where})"
    return Problem(str(output), 1, 1, ERROR, "output", message)


def _outcome(result: BuildResult) -> dict[str, Any]:
    return {
        "problems": [problem.as_dict() for problem in result.problems],
        "events": result.events,
        "pages": result.pages,
        "files": result.files,
        "language": result.language,
        "versions": result.versions,
    }


def _as_before(outcome: dict[str, Any], seconds: float) -> BuildResult:
    """The result of a build whose inputs and output are those of the last one: nothing to do."""
    return BuildResult(
        problems=[Problem(**problem) for problem in outcome["problems"]],
        events=outcome["events"],
        pages=outcome["pages"],
        files=outcome["files"],
        seconds=seconds,
        language=outcome["language"],
        reused=outcome["pages"],
        versions=outcome.get("versions", 0),
    )


__all__ = ["BuildResult", "OutputError", "Session", "build_site"]
