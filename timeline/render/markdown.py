"""Entry bodies: Markdown to safe HTML with markdown-it-py.

The "js-default" preset leaves raw HTML off (the CommonMark preset would pass it through). Link
and image targets are limited to http, https, mailto and relative addresses; external links get
`rel="noopener"`. Everything else in a page is escaped by Jinja's autoescape.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from markdown_it import MarkdownIt

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})


def _validate_link(url: str) -> bool:
    cleaned = "".join(ch for ch in url if ch > " " and ch != "\x7f").lower()
    scheme = urlsplit(cleaned).scheme
    # No scheme at all: a relative link (or a fragment), which is allowed.
    return scheme in ALLOWED_SCHEMES if scheme else not cleaned.startswith("//")


def _make_renderer() -> MarkdownIt:
    md = MarkdownIt("js-default", {"typographer": False})
    md.validateLink = _validate_link

    def link_open(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        href = tokens[idx].attrGet("href") or ""
        if urlsplit(href).scheme in ("http", "https"):
            tokens[idx].attrSet("rel", "noopener")
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    return md


_RENDERER = _make_renderer()


def render_markdown(text: str) -> str:
    return _RENDERER.render(text) if text.strip() else ""
