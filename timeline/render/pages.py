"""Render a Timeline through the theme's Jinja templates into files (output path -> bytes).

Autoescape is on for every template. Nothing here touches the output folder: writing is
`output.py`'s job, so a failed render loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from jinja2 import Environment, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from timeline.assemble.timeline import Timeline
from timeline.dates import MONTHS, display_range
from timeline.engine.incremental import fingerprint
from timeline.git import commit_url
from timeline.model import Event
from timeline.render import plan as urls
from timeline.render.cite import citation_forms
from timeline.render.exports import EXPORT_FILES, Pieces, export_files, json_bytes
from timeline.render.markdown import render_markdown
from timeline.render.plan import Page, relative_url, site_pages
from timeline.render.structured import embed_snippet, event_jsonld, oembed
from timeline.render.theme import Theme


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


REUSE = None  # instead of bytes: the same bytes as the previous output's file


def render_site(
    timeline: Timeline,
    theme: Theme,
    prints: dict[str, str],
    previous: dict[str, str] | None = None,
    intact: Callable[[str], bool] = lambda path: False,
    pieces: Pieces | None = None,
) -> Iterator[tuple[str, bytes | None]]:
    """Every file of the site as (output path, bytes), one at a time so that a large site is
    never held in memory whole. Fills `prints` with the fingerprint of each file's inputs; a
    file whose fingerprint is in `previous` (the last build's) and that is `intact` in the
    previous output (still the file that build wrote) is not made again: its bytes are REUSE.
    `pieces` carries the exports' per-event pieces from the last build to the next."""
    env = make_environment(theme)
    site = timeline.site
    env.globals.update(
        cite=lambda event: citation_forms(
            event, site, site.base_url + urls.event_path(event.id), timeline.updated[event.id]
        ),
        jsonld=lambda event: event_jsonld(timeline, event),
        embed_code=lambda event: embed_snippet(timeline, event),
    )
    previous = previous or {}

    def unchanged(path: str, inputs_print: str) -> bool:
        prints[path] = inputs_print
        return previous.get(path) == inputs_print and intact(path)

    theme_print = fingerprint(site, theme.fingerprint())
    event_prints: dict[str, str] = {}

    def event_print(event: Event) -> str:
        # Events appear in many pages (lists, related entries): each is serialised once.
        if event.id not in event_prints:
            event_prints[event.id] = fingerprint(event)
        return event_prints[event.id]

    def page_print(page: Page) -> str:
        parts = (theme_print, page.url, page.template, page.context, page.inputs)
        return fingerprint(*parts, known={Event: event_print})

    common = {"site": site, "timeline": timeline}
    pages = site_pages(timeline)
    for page in pages:
        path = page.output_path
        if unchanged(path, page_print(page)):
            yield path, REUSE
        else:
            yield path, render_page(env, page, common)
    for event in timeline.events:
        path = urls.oembed_path(event.id)
        if unchanged(path, fingerprint(site, event_print(event), timeline.updated[event.id])):
            yield path, REUSE
        else:
            yield path, json_bytes(oembed(timeline, event))
    listed = [page.url for page in pages if page.listed]
    exports_print = fingerprint(
        site,
        timeline.events,
        timeline.updated,
        timeline.related,
        timeline.actors,
        timeline.topics,
        listed,
        known={Event: event_print},
    )
    if all([unchanged(path, exports_print) for path in EXPORT_FILES]):  # a list: record all
        yield from ((path, REUSE) for path in EXPORT_FILES)
    else:
        if pieces is not None:
            # An event's pieces show what its page shows, or less: its page's print covers them.
            pieces.key_of = lambda event: prints[urls.event_path(event.id) + "index.html"]
        yield from export_files(timeline, listed, pieces).items()
    for output_path, source in theme.static_files().items():
        yield output_path, source.read_bytes()


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
