"""Render the files of a plan: pages through the theme's Jinja templates, data files through
their functions. Each is a function of its job and the timeline, and returns bytes.

Autoescape is on for every template. Nothing here touches the output folder: writing is the
write stage's job, so a failed render loses nothing. Templates (and the functions they call:
`cite`, `jsonld`, `embed_code`) reach the timeline only through the `timeline` of the context,
so whoever renders can watch what a page reads of it.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from timeline.dates import parse_date
from timeline.documents import document_url
from timeline.git import commit_url
from timeline.render import routes
from timeline.render.changes import CHANGES_FEED, changes_feed
from timeline.render.cite import citation_forms
from timeline.render.diff import word_diff
from timeline.render.exports import PieceMaker, json_bytes, make_export
from timeline.render.language import Language, autonym
from timeline.render.links import memento_date, text_fragment_url
from timeline.render.markdown import render_markdown
from timeline.render.plan import DataFile, Job, Page, StaticFile
from timeline.render.structured import embed_snippet, event_jsonld, oembed
from timeline.render.theme import Theme
from timeline.render.view import day_date

# The files every language's pages share, at the site's root (see `plan.plan`).
SHARED = ("static/", "pagefind/")


@pass_context
def _rel(ctx: Context, target: str) -> str:
    """A link to path `target` of the page's edition (the site in its language) from the page
    being rendered; a shared file's path is the site's."""
    site = ctx["site"]
    if target.startswith(SHARED):
        target = site.root + target
    if ctx.get("absolute_links"):
        # 404.html is served at any depth, where relative links cannot work.
        return site.base_url + target
    return routes.relative_url(ctx["page"].url, target)


@pass_context
def _cite(ctx: Context, event: Any, past: Any = None, event_id: str = "") -> dict[str, str]:
    """The citations of the living entry, or of its committed version `past` (of the entry
    `event_id`: a version stays at the address of the id it has now)."""
    timeline = ctx["timeline"]
    if past is None:
        permalink = timeline.site.base_url + routes.event_path(event.id)
        return citation_forms(event, timeline.site, permalink, timeline.updated[event.id])
    permalink = timeline.site.base_url + routes.version_path(event_id, past.version.number)
    committed = parse_date(past.version.commit.date.isoformat())
    return citation_forms(event, timeline.site, permalink, committed)


def _robust(source: Any) -> Markup:
    """The Robust Links attributes of a link to `source`: its archived copy, and when it was
    made when its address says ("" when it has no copy)."""
    if not source.archived_url:
        return Markup("")
    attributes = Markup(' data-versionurl="{}"').format(source.archived_url)
    made = memento_date(source.archived_url)
    return attributes + (Markup(' data-versiondate="{}"').format(made) if made else "")


@pass_context
def _source_type(ctx: Context, type_id: str) -> str:
    """The name of a kind of source (a record's `type:`) in the page's language."""
    return ctx["language"].term_name(ctx["timeline"].source_types[type_id])


@pass_context
def _jsonld(ctx: Context, event: Any) -> dict[str, Any]:
    return event_jsonld(ctx["timeline"], event)


@pass_context
def _embed_code(ctx: Context, event: Any) -> str:
    return embed_snippet(ctx["timeline"], event)


def make_environment(theme: Theme, language: Language) -> Environment:
    """The theme's templates, speaking `language`: `_()` and `ngettext()` from its catalogues,
    dates and numbers in its forms."""
    env = Environment(
        extensions=["jinja2.ext.i18n"],
        loader=theme.loader(),
        autoescape=True,  # every template, whatever its extension
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a render; a new one makes a new env
    )
    env.filters["rel"] = _rel
    env.filters["markdown"] = lambda text, base="": Markup(render_markdown(text, base))
    env.install_gettext_callables(language.gettext, language.ngettext, newstyle=True)
    env.filters["month_name"] = language.month_name
    env.filters["view_date"] = lambda day: language.day(day_date(day))
    env.filters["number"] = language.number
    env.filters["source_type"] = _source_type
    env.globals.update(
        event_path=routes.event_path,
        year_path=routes.year_path,
        actor_path=routes.actor_path,
        topic_path=routes.topic_path,
        source_path=routes.source_path,
        month_anchor=routes.month_anchor,
        embed_path=routes.embed_path,
        version_path=routes.version_path,
        view_path=routes.view_path,
        word_diff=word_diff,
        text_fragment_url=text_fragment_url,
        robust=_robust,
        oembed_path=routes.oembed_path,
        document_path=routes.document_path,
        document_url=document_url,
        language=language,
        display_range=language.date_range,
        format_date=language.date,
        format_day=lambda moment: language.day(getattr(moment, "date", lambda: moment)()),
        format_month=language.month,
        plural_forms=language.plural_forms,
        language_name=language.name_of,
        autonym=autonym,
        commit_url=commit_url,
        cite=_cite,
        jsonld=_jsonld,
        embed_code=_embed_code,
    )
    return env


def render(job: Job, env: Environment, timeline: Any, pieces: PieceMaker) -> bytes:
    """The bytes of one file of the plan. `timeline` is the assembled timeline (or a view of
    it); `pieces` makes the events' pieces of the large exports (see `exports.PieceMaker`)."""
    if isinstance(job, Page):
        return render_page(env, job, timeline)
    if isinstance(job, DataFile):
        if job.maker == "oembed":
            return json_bytes(oembed(timeline, job.context["event"]))
        if job.maker == CHANGES_FEED:
            return changes_feed(timeline, job.context["changes"])
        return make_export(job.maker, timeline, pieces, job.context.get("listed", ()))
    if isinstance(job, StaticFile):
        return job.source.read_bytes()
    raise TypeError(f"not a job: {job!r}")


def render_page(env: Environment, page: Page, timeline: Any) -> bytes:
    template = env.get_template(page.template)
    context = {
        "site": timeline.site,
        "timeline": timeline,
        "page": page,
        "canonical": timeline.site.base_url + page.url,
        "absolute_links": False,
        **page.context,
    }
    return template.render(context).encode("utf-8")
