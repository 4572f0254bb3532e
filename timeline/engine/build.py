"""The whole pipeline: load, validate, assemble, render, write (and later, index for search)."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError

from timeline.assemble.timeline import assemble
from timeline.dates import today
from timeline.engine.check import check_site
from timeline.engine.incremental import BuildCache, input_fingerprint
from timeline.git import file_histories, head_commit
from timeline.problems import ERROR, Problem
from timeline.render.exports import Pieces
from timeline.render.pages import render_site
from timeline.render.theme import ThemeError, resolve_theme
from timeline.write.output import OutputError, check_output_location, write_site
from timeline.write.search import SEARCH_FOLDER, SearchIndexError, index_site


@dataclass
class BuildResult:
    problems: list[Problem] = field(default_factory=list)
    events: int = 0
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    language: str = ""
    reused: int = 0  # pages not rendered again (incremental build)

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
) -> BuildResult:
    """Build into `output`. With `search=False` the Pagefind step is left to the caller (the
    preview server indexes after swapping, so a save shows up without waiting for it). With
    `incremental`, pages and files unchanged since the last build of `output` are reused (see
    `incremental.py`); the result is the same, byte for byte, as a full build. `progress`, when
    given, is told what the build is doing, now and then."""
    started = time.perf_counter()
    check_output_location(output, site_root)
    cache = BuildCache.for_output(output)
    if not incremental:
        cache.forget()
    inputs = _inputs(site_root, base_url)
    if cache.unchanged(inputs, output) and (not search or (output / SEARCH_FOLDER).is_dir()):
        return _as_before(cache.outcome, time.perf_counter() - started)
    checked = check_site(site_root)
    result = BuildResult(problems=list(checked.problems))
    if checked.content is None or not checked.ok:
        result.seconds = time.perf_counter() - started
        return result
    content = checked.content
    if base_url:
        base = base_url if base_url.endswith("/") else base_url + "/"
        content = dataclasses.replace(
            content, site=dataclasses.replace(content.site, base_url=base)
        )
    histories = file_histories(site_root, [event.file for event in content.events])
    timeline = assemble(content, histories)
    result.language = content.site.language
    previous_pages = {k: v for k, v in cache.pages.items() if k in cache.files}
    prints: dict[str, str] = {}
    had_search = (output / SEARCH_FOLDER).is_dir()

    def index(site: Path, into: Path, changed: set[str]) -> None:
        # Pagefind reads only the HTML: when none of it changed, the previous index is kept.
        if had_search and not any(p.endswith(".html") for p in changed):
            return
        if progress:
            progress("indexing for search")
        index_site(site, content.site.language, into)

    try:
        theme = resolve_theme(content.site.theme, site_root)
        records = cache.files

        folder = str(output)

        def intact(path: str) -> bool:
            return path in records and records[path].matches(f"{folder}/{path}")

        pieces = Pieces({})  # no pieces kept from the last build: every one is made
        files = render_site(timeline, theme, prints, previous_pages, intact, pieces)
        reused = _Counter(files, progress)
        digests = write_site(output, reused, index if search else None, cache.files)
    except ThemeError as exc:
        result.problems.append(Problem("site.yaml", 1, 1, ERROR, "theme", str(exc)))
    except TemplateSyntaxError as exc:
        result.problems.append(
            Problem(
                exc.filename or exc.name or "?", exc.lineno, 1, ERROR, "template", exc.message or ""
            )
        )
    except TemplateError as exc:
        result.problems.append(Problem("site.yaml", 1, 1, ERROR, "theme", f"template error: {exc}"))
    except SearchIndexError as exc:
        result.problems.append(Problem("site.yaml", 1, 1, ERROR, "search", str(exc)))
    except OSError as exc:  # a full disk, a folder we may not write: the old output is intact
        where = exc.filename or output
        message = f"could not write the site: {exc.strerror or exc} ({where})"
        result.problems.append(Problem(str(output), 1, 1, ERROR, "output", message))
    else:
        result.events = len(timeline.events)
        result.pages = reused.pages
        result.reused = reused.reused_pages
        result.files = len(digests)
        # A file saved while this build read the site (the preview server sees bursts of
        # saves): the output may show either version, so the next build must not be a no-op.
        settled = _inputs(site_root, base_url) == inputs
        cache.pages, cache.files, cache.inputs = prints, digests, inputs if settled else ""
        cache.outcome = _outcome(result)
        cache.save()
    result.seconds = time.perf_counter() - started
    return result


def _inputs(site_root: Path, base_url: str | None) -> str:
    """Everything a build's result depends on, but the code (see `input_fingerprint`)."""
    return input_fingerprint(
        site_root,
        head_commit(site_root),
        base_url,
        os.environ.get("SOURCE_DATE_EPOCH"),
        today(os.environ.get("SOURCE_DATE_EPOCH")),
    )


def _outcome(result: BuildResult) -> dict[str, Any]:
    return {
        "problems": [problem.as_dict() for problem in result.problems],
        "events": result.events,
        "pages": result.pages,
        "files": result.files,
        "language": result.language,
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
    )


class _Counter:
    """Passes the rendered files through, counting pages and pages reused."""

    EVERY = 500  # files between two progress reports

    def __init__(
        self, files: Iterator[tuple[str, bytes | None]], progress: Callable[[str], None] | None
    ) -> None:
        self.files = files
        self.progress = progress
        self.pages = self.reused_pages = 0

    def __iter__(self) -> Iterator[tuple[str, bytes | None]]:
        for count, (path, data) in enumerate(self.files, 1):
            if path.endswith(".html"):
                self.pages += 1
                self.reused_pages += data is None
            if self.progress and count % self.EVERY == 0:
                self.progress(f"{count} files, {self.pages - self.reused_pages} pages rendered")
            yield path, data


__all__ = ["BuildResult", "OutputError", "build_site"]
