"""`timeline serve`: build, serve on 127.0.0.1, rebuild and reload the browser on every save.

The preview is built into a private temporary folder (never the site's `output/`), through the
same atomic `build_site` as `timeline build`. livereload watches the content, the theme chain and
site.yaml, and injects its reload script into every HTML response of the small WSGI app below.
While the content is broken the app answers every page with the located problems (the server
keeps running); the save that fixes them rebuilds and reloads the page.
"""

from __future__ import annotations

import argparse
import html
import mimetypes
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from timeline.commands import EXIT_OK, site_dir
from timeline.engine.build import build_site
from timeline.load.discovery import SITE_INPUTS
from timeline.problems import Problem, format_problems, summary_line
from timeline.write.search import SearchIndexError, index_site

StartResponse = Callable[..., Any]


class PreviewApp:
    """Serves the built folder; shows the problems instead while the last build failed."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.problems: list[Problem] = []
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        with self.lock:
            problems = [p for p in self.problems if p.is_error]
        wants_page = path.endswith("/") or path.endswith(".html")
        if problems and wants_page:
            return self._respond(start_response, "200 OK", "text/html", problem_page(problems))
        target = self._resolve(path)
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                start_response("301 Moved Permanently", [("Location", path + "/")])
                return [b""]
            target = target / "index.html"
        if target is None or not target.is_file():
            missing = self.output / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"Not found"
            return self._respond(start_response, "404 Not Found", "text/html", body)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return self._respond(start_response, "200 OK", kind, target.read_bytes())

    def _resolve(self, path: str) -> Path | None:
        root = self.output.resolve()
        candidate = (root / path.lstrip("/")).resolve()
        return candidate if candidate == root or root in candidate.parents else None

    @staticmethod
    def _respond(start_response: StartResponse, status: str, kind: str, body: bytes):
        if kind.startswith("text/"):
            kind += "; charset=utf-8"
        start_response(
            status,
            [
                ("Content-Type", kind),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [body]


def problem_page(problems: list[Problem]) -> bytes:
    items = "\n".join(f"<li><code>{html.escape(p.as_text())}</code></li>" for p in sorted(problems))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build problems · timeline preview</title>
<style>
body {{ font: 1rem/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem;
       padding: 0 1rem; }}
h1 {{ color: #8b1a1a; }} li {{ margin: .5rem 0; }} code {{ white-space: pre-wrap; }}
</style>
</head>
<body>
<h1>The site cannot be built</h1>
<p>{html.escape(summary_line(problems))}. Fix the files below and save:
this page reloads by itself.</p>
<ol class="problems">
{items}
</ol>
</body>
</html>
""".encode()


class Preview:
    def __init__(self, site_root: Path, port: int) -> None:
        self.site_root = site_root
        self.port = port
        self.workdir = Path(tempfile.mkdtemp(prefix="timeline-serve-"))
        self.output = self.workdir / "site"
        self.app = PreviewApp(self.output)
        self.index_lock = threading.Lock()

    def rebuild(self) -> None:
        try:
            result = build_site(
                self.site_root,
                self.output,
                base_url=f"http://127.0.0.1:{self.port}/",
                search=False,
            )
        except Exception as exc:  # a preview must survive anything a half-saved file causes
            result = None
            problems = [Problem("site.yaml", 1, 1, "error", "", f"build failed: {exc}")]
        else:
            problems = result.problems
        with self.app.lock:
            self.app.problems = problems
        if result is not None and result.ok:
            print(f"rebuilt: {result.pages} pages, {result.seconds:.2f} s", file=sys.stderr)
            threading.Thread(target=self._index, args=(result.language,), daemon=True).start()
        else:
            print(format_problems(problems, "text"), file=sys.stderr)

    def _index(self, language: str) -> None:
        """Search index of the preview, after the pages are served: a save must show at once."""
        with self.index_lock:  # one indexing at a time; a newer build's index comes last
            try:
                index_site(self.output, language)
            except (SearchIndexError, OSError) as exc:
                print(f"search index not updated: {exc}", file=sys.stderr)

    def watch_paths(self) -> list[Path]:
        """The site's inputs (a theme outside them is timeline's own, which does not change)."""
        paths = [self.site_root / name for name in SITE_INPUTS]
        return [p for p in paths if p.exists()]

    def run(self) -> None:
        from livereload import Server  # imported here: only `serve` needs tornado

        self.rebuild()
        server = Server(self.app)
        for path in self.watch_paths():
            server.watch(str(path), self.rebuild, delay=0.2)
        print(f"serving on http://127.0.0.1:{self.port}/ (Ctrl+C to stop)", file=sys.stderr)
        try:
            server.serve(port=self.port, host="127.0.0.1", open_url_delay=None, restart_delay=0)
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)


def cmd_serve(args: argparse.Namespace) -> int:
    from timeline.commands.serve import Preview

    Preview(site_dir(args.site), args.port).run()
    return EXIT_OK
