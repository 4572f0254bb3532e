"""The whole pipeline: load, validate, assemble, render, write (and later, index for search)."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

from .assemble import assemble
from .check import check_site
from .history import file_histories
from .incremental import BuildCache
from .output import OutputError, check_output_location, write_site
from .problems import ERROR, Problem
from .render import render_site
from .search import SearchIndexError, index_site
from .theme import ThemeError, resolve_theme


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
) -> BuildResult:
    """Build into `output`. With `search=False` the Pagefind step is left to the caller (the
    preview server indexes after swapping, so a save shows up without waiting for it). With
    `incremental`, pages and files unchanged since the last build of `output` are reused (see
    `incremental.py`); the result is the same, byte for byte, as a full build."""
    started = time.perf_counter()
    check_output_location(output, site_root)
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
    cache = BuildCache.for_output(output)
    if not incremental:
        cache.forget()
    previous_pages = {k: v for k, v in cache.pages.items() if k in cache.files}
    try:
        theme = resolve_theme(content.site.theme, site_root)
        rendered = render_site(timeline, theme, previous_pages, output.absolute())
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
    else:
        files = rendered.files
        try:
            index = (lambda staging: index_site(staging, result.language)) if search else None
            digests = write_site(output, files, before_swap=index, previous=cache.files)
        except SearchIndexError as exc:
            result.problems.append(Problem("site.yaml", 1, 1, ERROR, "search", str(exc)))
            result.seconds = time.perf_counter() - started
            return result
        cache.pages, cache.files = rendered.pages, digests
        cache.save()
        result.events = len(timeline.events)
        result.pages = sum(1 for name in files if name.endswith(".html"))
        result.reused = sum(1 for data in files.values() if data is None)
        result.files = len(files)
    result.seconds = time.perf_counter() - started
    return result


__all__ = ["BuildResult", "OutputError", "build_site"]
