"""Entry bodies: Markdown to safe HTML with markdown-it-py.

The "js-default" preset leaves raw HTML off (the CommonMark preset would pass it through). Link
and image targets are limited to http, https, mailto and relative addresses; external links get
`rel="noopener"`. A UN document symbol in the text (S/RES/2712 (2023)) links to the document at
the UN's resolver. A span may say its language, `[«Конечно»]{lang=ru}` (mdit-py-plugins' attrs,
with `lang` the one attribute let through), so a screen reader voices a quote in its own language.
Everything else in a page is escaped by Jinja's autoescape.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

from timeline.documents import SYMBOL, document_url, normalised
from timeline.ids import LANGUAGE_TAG

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
        elif env.get("base") and _is_relative_path(href):
            tokens[idx].attrSet("href", env["base"] + href)
        return self.renderToken(tokens, idx, options, env)

    def image(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        src = tokens[idx].attrGet("src") or ""
        if env.get("base") and _is_relative_path(src):
            tokens[idx].attrSet("src", env["base"] + src)
        return self.image(tokens, idx, options, env)

    def span_open(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        # A language part isolates its direction too: a Hebrew quote in an English sentence.
        language = tokens[idx].attrGet("lang")
        tokens[idx].attrs = {"lang": language, "dir": "auto"} if _is_tag(language) else {}
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    md.add_render_rule("image", image)
    md.add_render_rule("span_open", span_open)
    # Attributes on spans only (not on links, images or code), and of those only `lang`.
    attrs_plugin(md, after=(), spans=True, allowed=("lang",))
    md.core.ruler.push("un_documents", _link_symbols)
    return md


def _link_symbols(state: StateCore) -> None:
    """Each UN document symbol of the text, outside links, as a link to the document."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, depth = [], 0
        for token in block.children:
            depth += (token.type == "link_open") - (token.type == "link_close")
            if token.type == "text" and not depth and SYMBOL.search(token.content):
                children += _split(token.content)
            else:
                children.append(token)
        block.children = children


def _split(text: str) -> list[Token]:
    tokens, start = [], 0
    for match in SYMBOL.finditer(text):
        found = match.group()
        shown = found if found.endswith(")") else found.rstrip(".")  # not the sentence's stop
        end = match.start() + len(shown)
        symbol = normalised(shown)
        tokens.append(_text(text[start : match.start()]))
        link = Token("link_open", "a", 1, attrs={"href": document_url(symbol)})
        tokens += [link, _text(text[match.start() : end]), Token("link_close", "a", -1)]
        start = end
    return [*tokens, _text(text[start:])]


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _is_tag(language: object) -> bool:
    return isinstance(language, str) and LANGUAGE_TAG.fullmatch(language) is not None


def _is_relative_path(url: str) -> bool:
    return not urlsplit(url).scheme and not url.startswith(("#", "/"))


_RENDERER = _make_renderer()


def render_markdown(text: str, base: str = "") -> str:
    """`text` as HTML. Relative links in it are written from the entry's page; `base` goes
    before each, for a page elsewhere that shows the same body (a version's, "../../")."""
    return _RENDERER.render(text, {"base": base}) if text.strip() else ""
