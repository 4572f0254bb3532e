"""Render a Timeline through the theme's Jinja templates into files (output path -> bytes).

Autoescape is on for every template. Nothing here touches the output folder: writing is
`output.py`'s job, so a failed render loses nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from . import pages as urls
from .assemble import Timeline
from .cite import citation_forms
from .dates import MONTHS, display_range
from .exports import export_files
from .history import commit_url
from .incremental import fingerprint
from .markdown import render_markdown
from .pages import Page, relative_url, site_pages
from .structured import embed_snippet, event_jsonld, oembed
from .theme import Theme


@pass_context
def _rel(ctx: Context, target: str) -> str:
    """A link to site path `target` from the page being rendered."""
    if ctx.get("absolute_links"):
        # 404.html is served at any depth, where relative links cannot work.
        return ctx["site"].base_url + target
    return relative_url(ctx["page"].url, target)


def make_environment(theme: Theme) -> Environment:
    env = Environment(
        loader=theme.loader(),
        autoescape=True,  # every template, whatever its extension
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["rel"] = _rel
    env.filters["markdown"] = lambda text: Markup(render_markdown(text))
    env.filters["month_name"] = lambda month: MONTHS[month - 1]
    globals_: dict[str, Callable[..., Any]] = {
        "event_path": urls.event_path,
        "year_path": urls.year_path,
        "actor_path": urls.actor_path,
        "topic_path": urls.topic_path,
        "source_path": urls.source_path,
        "month_anchor": urls.month_anchor,
        "embed_path": urls.embed_path,
        "oembed_path": urls.oembed_path,
        "display_range": display_range,
        "commit_url": commit_url,
    }
    env.globals.update(globals_)
    return env


REUSE = None  # in `Rendered.files`: the same bytes as the previous output's file


@dataclass
class Rendered:
    files: dict[str, bytes | None]  # output path -> bytes, or REUSE
    pages: dict[str, str]  # output path -> fingerprint of the page's inputs


def render_site(
    timeline: Timeline,
    theme: Theme,
    previous: dict[str, str] | None = None,
    previous_output: Path | None = None,
) -> Rendered:
    """Render every file of the site. A page whose fingerprint is in `previous` (the last build's
    fingerprints for `previous_output`, whose file still exists) is not rendered: REUSE."""
    env = make_environment(theme)
    site = timeline.site
    env.globals.update(
        cite=lambda event: citation_forms(
            event, site, site.base_url + urls.event_path(event.id), timeline.updated[event.id]
        ),
        jsonld=lambda event: event_jsonld(timeline, event),
        embed_code=lambda event: embed_snippet(timeline, event),
    )
    theme_print = fingerprint(site, theme.fingerprint())
    previous = previous or {}
    files: dict[str, bytes | None] = {}
    prints: dict[str, str] = {}
    common = {"site": site, "timeline": timeline}
    pages = site_pages(timeline)
    for page in pages:
        path = page.output_path
        prints[path] = fingerprint(theme_print, page.url, page.template, page.context, page.inputs)
        reusable = previous_output is not None and (previous_output / path).is_file()
        if reusable and previous.get(path) == prints[path]:
            files[path] = REUSE
        else:
            files[path] = render_page(env, page, common)
    for event in timeline.events:
        files[urls.oembed_path(event.id)] = _json(oembed(timeline, event))
    files.update(export_files(timeline, [page.url for page in pages if page.listed]))
    for output_path, source in theme.static_files().items():
        files[output_path] = source.read_bytes()
    return Rendered(dict(sorted(files.items())), prints)


def _json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def render_page(env: Environment, page: Page, common: dict[str, Any]) -> bytes:
    template = env.get_template(page.template)
    context = {
        **common,
        "page": page,
        "canonical": common["site"].base_url + page.url,
        "absolute_links": False,
        **page.context,
    }
    return template.render(context).encode("utf-8")
