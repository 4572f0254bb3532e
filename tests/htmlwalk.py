"""Parse built pages (with the standard library's HTML parser) and follow their links."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


@dataclass
class Script:
    """One <script> element: its attributes and its text (empty for an external script)."""

    attrs: dict[str, str]
    text: str = ""


@dataclass
class ParsedPage:
    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    text: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    # Every attribute as written, repeated ones included: (tag, name, value).
    attributes: list[tuple[str, str, str]] = field(default_factory=list)
    script_elements: list[Script] = field(default_factory=list)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a
            for t, a in self.elements
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def links(self) -> list[str]:
        return [
            a[name]
            for _t, a in self.elements
            for name in ("href", "src")
            if a.get(name) is not None
        ]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._in_script = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        values = {k: v or "" for k, v in attrs}
        self.page.elements.append((tag, values))
        self.page.attributes += [(tag, k, v or "") for k, v in attrs]
        if "id" in values:
            self.page.ids.add(values["id"])
        self._in_script = tag == "script"
        if self._in_script:
            self.page.script_elements.append(Script(values))

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        (self.page.scripts if self._in_script else self.page.text).append(data)
        if self._in_script:
            self.page.script_elements[-1].text += data


def parse_html(text: str) -> ParsedPage:
    parser = _Parser()
    parser.feed(text)
    parser.close()
    return parser.page


def page_url(output: Path, file: Path) -> str:
    rel = file.relative_to(output).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def target_file(output: Path, path: str) -> Path:
    candidate = output / unquote(path)
    return candidate / "index.html" if path == "" or path.endswith("/") else candidate


def broken_links(output: Path, base_url: str) -> list[str]:
    """Every internal href/src that does not reach a file (and, with #fragment, an id in it)."""
    pages = {f: parse_html(f.read_text("utf-8")) for f in sorted(output.rglob("*.html"))}
    broken = []
    site = "http://site.invalid/"
    for file, page in pages.items():
        here = site + page_url(output, file)
        for link in page.links():
            if link.startswith(base_url):
                link = site + link[len(base_url) :]
            absolute = urljoin(here, link)
            parts = urlsplit(absolute)
            if not absolute.startswith(site):
                if parts.scheme not in ("http", "https", "mailto", "data"):
                    broken.append(f"{file}: unexpected scheme {link}")
                continue
            target = target_file(output, parts.path[len(urlsplit(site).path) :])
            if not target.is_file():
                broken.append(f"{page_url(output, file)}: {link} -> missing {target}")
                continue
            if parts.fragment and target.suffix == ".html":
                target_page = pages.get(target) or parse_html(target.read_text("utf-8"))
                if unquote(parts.fragment) not in target_page.ids:
                    broken.append(f"{page_url(output, file)}: {link} -> no id #{parts.fragment}")
    return broken


class _SectionText(HTMLParser):
    def __init__(self, tag: str, class_: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tag, self.class_ = tag, class_
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            self.depth += tag == self.tag
        elif tag == self.tag and self.class_ in classes:
            self.depth = 1

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if self.depth and tag == self.tag:
            self.depth -= 1

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self.depth:
            self.parts.append(data)


def section_text(html: str, tag: str, class_: str) -> str:
    """The text inside every <tag class="class_"> element, whitespace collapsed."""
    parser = _SectionText(tag, class_)
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())
