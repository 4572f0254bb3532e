"""The built site works under a strict Content-Security-Policy: Playwright driving Debian's
Chromium against the repository's site, served with the policy below as an HTTP header.

The theme loads only its own files: static/site.js, static/search.js (a module), which imports
Pagefind's pagefind.js; Pagefind runs a worker (pagefind-worker.js) and compiles WebAssembly,
which needs 'wasm-unsafe-eval' (never 'unsafe-eval'). JSON-LD blocks are data, not scripts: the
browser never executes them, so they need no hash. No inline script, style or handler anywhere
(tests/test_html_validity.py checks the templates). The activity chart is inline SVG markup,
styled by style.css.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, require_chromium

from timeline.engine.build import build_site

# The policy to send with every page of the built site: everything from the site itself,
# WebAssembly for the search, nothing inline, no plugins, no framing by other sites...
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'wasm-unsafe-eval'; "
    "style-src 'self'; "
    "img-src 'self'; "
    "connect-src 'self'; "
    "worker-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'self'"
)
# ... except the embed cards (/embed/<id>/), which exist to be framed by other sites.
EMBED_POLICY = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'self'", "frame-ancestors *")
# Without WebAssembly the search must fail: the policy is enforced, and this is what it needs.
WITHOUT_WASM = CONTENT_SECURITY_POLICY.replace(" 'wasm-unsafe-eval'", "")

require_chromium()

STATUS = "document.querySelector('[data-search-status]').textContent"
EVENT = "events/2023-10-29-dagestan-airport-riot/"
# Collects every CSP violation the page (or a frame of it) reports.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`
                    + ` (${e.sourceFile}:${e.lineNumber})`);
});
"""
# A page of another origin (another port) that frames two pages of the site.
FRAME_HOST = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>host</title></head><body>
<iframe id="embed" src="{site}strict/embed/{id}/" title="embed"></iframe>
<iframe id="page" src="{site}strict/events/{id}/" title="page"></iframe></body></html>
"""


class _PolicyHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site at /strict/ with the policy (EMBED_POLICY for the embed cards), at
    /no-wasm/ with WITHOUT_WASM, and as plain files (no policy) elsewhere."""

    def _policy(self) -> str:
        if self.path.startswith("/strict/embed/"):
            return EMBED_POLICY
        if self.path.startswith("/strict/"):
            return CONTENT_SECURITY_POLICY
        if self.path.startswith("/no-wasm/"):
            return WITHOUT_WASM
        return ""

    def translate_path(self, path: str) -> str:
        for prefix in ("/strict/", "/no-wasm/"):
            if path.startswith(prefix):
                path = "/" + path[len(prefix) :]
        return super().translate_path(path)

    def end_headers(self) -> None:
        if self._policy():
            self.send_header("Content-Security-Policy", self._policy())
        super().end_headers()

    def log_message(self, *args: object) -> None:
        pass


def _serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_PolicyHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("csp") / "site"
    httpd, url = _serve(root)
    # Served where it is published: 404.html links absolutely, from base_url.
    assert build_site(ROOT, root, base_url=url + "strict/").ok
    yield url
    httpd.shutdown()


@pytest.fixture(scope="module")
def other_origin(tmp_path_factory, server) -> Iterator[str]:
    """Another origin (another port), serving a page that frames the site."""
    root = tmp_path_factory.mktemp("elsewhere")
    (root / "host.html").write_text(FRAME_HOST.format(site=server, id=EVENT.split("/")[1]))
    httpd, url = _serve(root)
    yield url + "host.html"
    httpd.shutdown()


class Watched:
    """A page with everything the console, the page and the CSP report, kept for asserts."""

    def __init__(self, browser) -> None:
        self.context = browser.new_context()
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.messages: list[str] = []
        self.workers: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.messages.append(f"pageerror: {e}"))
        self.page.on("worker", lambda w: self.workers.append(w.url))

    def _console(self, message) -> None:  # type: ignore[no-untyped-def]
        if message.type in ("error", "warning") or "Content Security Policy" in message.text:
            self.messages.append(f"console {message.type}: {message.text}")

    def violations(self) -> list[str]:
        return self.page.evaluate("() => window.__csp")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser) -> Iterator[Watched]:
    page = Watched(browser)
    yield page
    page.close()


def test_the_server_sends_the_policy(server, watched):
    response = watched.page.goto(server + "strict/")
    assert response is not None and response.headers["content-security-policy"] == (
        CONTENT_SECURITY_POLICY
    )


@pytest.mark.parametrize(
    "path",
    [
        *("", EVENT, "events/", "years/2023/", "actors/russia/", "sources/", "search/"),
        *("404.html", "timeline/?from=2023-10-01&to=2023-12-31&actor=China"),
    ],
)
def test_pages_load_without_violations(server, watched, path):
    watched.page.goto(server + "strict/" + path)
    watched.page.wait_for_load_state("load")
    # site.js ran: it reveals the header's search box.
    assert watched.page.locator("[data-site-search]").is_visible()
    watched.page.wait_for_timeout(200)
    assert watched.violations() == []
    assert watched.messages == []


def test_event_page_copy_buttons_and_json_ld_under_the_policy(server, watched):
    watched.context.grant_permissions(["clipboard-read", "clipboard-write"])
    watched.page.goto(server + "strict/" + EVENT)
    assert watched.page.locator(".copy-button").count() >= 6
    assert watched.page.locator("script[type='application/ld+json']").count() == 1
    assert watched.violations() == [] and watched.messages == []


def test_the_timeline_view_zooms_pans_and_filters_under_the_policy(server, watched):
    page = watched.page
    page.goto(server + "strict/timeline/")
    page.click("text=Zoom in")
    page.click("text=Later")
    page.select_option("#view-actor", label="China")
    page.wait_for_function("() => /from=.*actor=China/.test(location.search)")
    assert page.locator("#view-chart .mark.filtered").count() > 0
    page.wait_for_timeout(200)
    assert watched.violations() == []
    assert watched.messages == []


def test_search_works_under_the_policy(server, watched):
    watched.page.goto(server + "strict/search/?q=Makhachkala")
    watched.page.wait_for_function(f"() => /found|unavailable|No entries/.test({STATUS})")
    status = watched.page.evaluate(f"() => {STATUS}")
    links = watched.page.eval_on_selector_all(
        "[data-search-results] a", "links => links.map(a => a.href)"
    )
    assert status == "1 entry found.", status
    assert links == [server + "strict/" + EVENT]
    watched.page.wait_for_timeout(300)
    assert watched.violations() == []
    assert watched.messages == []


def test_the_policy_is_enforced(server, watched):
    """An injected inline script is refused and reported: the header is not decoration."""
    watched.page.goto(server + "strict/")
    ran = watched.page.evaluate(
        """() => new Promise((resolve) => {
             window.__ran = false;
             const s = document.createElement("script");
             s.textContent = "window.__ran = true";
             document.body.append(s);
             setTimeout(() => resolve(window.__ran), 100);
           })"""
    )
    assert ran is False
    assert any(v.startswith("script-src") for v in watched.violations()), watched.violations()


def test_search_needs_wasm_unsafe_eval(server, watched):
    """Without 'wasm-unsafe-eval' Pagefind cannot compile its WebAssembly: the search fails."""
    watched.page.goto(server + "no-wasm/search/?q=Makhachkala")
    watched.page.wait_for_function(f"() => /found|unavailable|No entries/.test({STATUS})")
    assert watched.page.evaluate(f"() => {STATUS}") != "1 entry found."
    assert any("wasm" in m.lower() or "WebAssembly" in m for m in watched.messages), (
        watched.messages
    )


def test_embed_cards_can_be_framed_elsewhere_and_pages_cannot(server, other_origin, watched):
    watched.page.goto(other_origin)
    embed = watched.page.frame_locator("#embed")
    assert "Dagestan" in embed.locator("h1").inner_text(timeout=5000)
    watched.page.wait_for_timeout(300)
    frame = watched.page.locator("#page").element_handle().content_frame()
    assert frame is not None and frame.url != server + "strict/" + EVENT  # an error page
    assert any("frame-ancestors 'self'" in m for m in watched.messages), watched.messages
    # Nothing else went wrong (the host page of this test has no favicon: a 404).
    others = [m for m in watched.messages if "frame-ancestors" not in m and "404" not in m]
    assert others == []
