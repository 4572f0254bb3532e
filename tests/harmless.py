"""Is a built site harmless? Shared by the hostile-input and injection suites.

A page is harmless when nothing an editor wrote can run in a reader's browser:

- the only <script> elements are the theme's own: `static/site.js` (every page),
  `static/search.js` as a module (the search page), `static/view.js` (the timeline views),
  JSON-LD data blocks and the scripts' words (`application/json`, id `timeline-messages`), data
  blocks that parse as JSON;
- no element has an event-handler attribute (`on...`), a `style` attribute, or is a <style>,
  <base>, <iframe>, <frame>, <object>, <embed> or <applet> element (the theme uses none);
- no URL-valued attribute, nor a meta refresh, uses the `javascript:`, `vbscript:`, `data:` or
  `file:` scheme, read as a browser reads it (ASCII case ignored, tabs and newlines dropped);
- no NUL character (a parse error, which browsers turn into U+FFFD).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from htmlwalk import page_url, parse_html

# The theme's own scripts: (site path of `src`, `type` attribute). Nothing else may load.
ALLOWED_SCRIPTS = {
    ("static/site.js", ""),
    ("static/search.js", "module"),
    ("static/view.js", ""),
}
# Data blocks a browser never runs: (type, id) -> what the block is, for the message.
DATA_BLOCKS = {
    ("application/ld+json", None): "JSON-LD block",
    ("application/json", "timeline-messages"): "block of the scripts' words",
}
FORBIDDEN_ELEMENTS = {"style", "base", "iframe", "frame", "object", "embed", "applet"}
URL_ATTRIBUTES = {
    "action",
    "archive",
    "background",
    "cite",
    "codebase",
    "data",
    "formaction",
    "href",
    "icon",
    "longdesc",
    "lowsrc",
    "manifest",
    "ping",
    "poster",
    "src",
    "srcset",
    "usemap",
    "xlink:href",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
_SITE = "http://site.invalid/"


def as_browser_reads(url: str) -> str:
    """The URL as a browser's parser sees its scheme: trimmed, without tabs and newlines."""
    url = url.strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12"
        "\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
    )
    return re.sub("[\t\n\r]", "", url).lower()


def bad_scheme(url: str) -> bool:
    return as_browser_reads(url).startswith(BAD_SCHEMES)


def page_problems(html: str, site_path: str, base_url: str = "") -> list[str]:
    """Everything that makes one page unsafe. `site_path` is the page's URL within the site;
    absolute links to `base_url` (those of 404.html) count as links within the site."""
    problems: list[str] = []
    if "\x00" in html:
        problems.append("a NUL character")
    page = parse_html(html)
    here = _SITE + site_path
    for tag, name, value in page.attributes:
        if name.startswith("on"):
            problems.append(f"<{tag} {name}={value!r}>: an event handler")
        if name == "style":
            problems.append(f"<{tag} style={value!r}>: an inline style")
        if name in URL_ATTRIBUTES:
            urls = [part.split()[0] for part in value.split(",") if part.split()]
            urls = urls if name == "srcset" else [value]
            for url in urls:
                if bad_scheme(url):
                    problems.append(f"<{tag} {name}={value!r}>: a forbidden scheme")
        if tag == "meta" and name == "content":
            match = re.search(r"url\s*=\s*['\"]?([^'\"]*)", value, re.IGNORECASE)
            if match and bad_scheme(match.group(1)):
                problems.append(f"<meta content={value!r}>: a forbidden scheme in a refresh")
    for tag, _attrs in page.elements:
        if tag in FORBIDDEN_ELEMENTS:
            problems.append(f"a <{tag}> element")
    for script in page.script_elements:
        src = script.attrs.get("src")
        kind = script.attrs.get("type", "")
        if src is not None:
            target = urljoin(here, src)
            if base_url and target.startswith(base_url):
                target = _SITE + target[len(base_url) :]
            path = target[len(_SITE) :] if target.startswith(_SITE) else target
            if (path, kind) not in ALLOWED_SCRIPTS or script.text.strip():
                problems.append(f"a script that is not the theme's own: src={src!r} type={kind!r}")
        elif (block := DATA_BLOCKS.get((kind, script.attrs.get("id")))) is not None:
            try:
                json.loads(script.text)
            except ValueError as exc:
                problems.append(f"a {block} that is not JSON ({exc}): {script.text[:200]!r}")
        else:
            problems.append(f"an inline script: type={kind!r} {script.text[:200]!r}")
    return problems


def site_problems(output: Path, base_url: str) -> list[str]:
    """Every problem of every .html file of a built site, prefixed with the page's path."""
    found: list[str] = []
    for file in sorted(output.rglob("*.html")):
        url = page_url(output, file)
        html = file.read_text("utf-8")
        found += [f"{url}: {p}" for p in page_problems(html, url, base_url)]
    return found


def embed_html_problems(snippet: str, base_url: str) -> list[str]:
    """The oEmbed `html` (pasted as-is into other sites): exactly one harmless <iframe>."""
    page = parse_html(snippet)
    problems = [
        f"<{tag} {name}={value!r}>"
        for tag, name, value in page.attributes
        if name.startswith("on") or (tag, name) not in _EMBED_ATTRIBUTES
    ]
    tags = [tag for tag, _ in page.elements]
    if tags != ["iframe"]:
        problems.append(f"elements {tags}, not one <iframe>")
    src = next((v for t, n, v in page.attributes if (t, n) == ("iframe", "src")), "")
    if not src.startswith(base_url) or urlsplit(src).scheme not in ("http", "https"):
        problems.append(f"iframe src {src!r} is not on the site {base_url!r}")
    if "".join(page.text).strip():
        problems.append(f"text outside the iframe: {''.join(page.text)!r}")
    return problems


_EMBED_ATTRIBUTES = {
    ("iframe", name) for name in ("src", "width", "height", "title", "loading", "style")
}
