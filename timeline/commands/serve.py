"""`timeline serve`: build, serve on 127.0.0.1, rebuild and reload the browser on every save.

The preview keeps one build session in memory for as long as it runs (`Session(kept=True)`): a
watcher (inotify, through watchfiles) names the files that changed, and only those are read and
validated again, and only the pages whose recorded dependencies changed are rendered and written.
The site is built into a private temporary folder (never the site's `output/`), by the same
atomic publishing as `timeline build`, so a reader never sees a half-written page. Saves that
come while a build runs are taken together by the next one: the newest state wins.

The search index is made after the pages are served, in the background, into a folder of its
own that the app serves at `/pagefind/`; a reload never waits for it. livereload serves the app,
injects its reload script into every HTML response and tells the open pages to reload. While the
content is broken the app answers every page with the located problems (the server keeps
running); the save that fixes them rebuilds and reloads the page.
"""

from __future__ import annotations

import argparse
import html
import mimetypes
import queue
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from timeline.commands import EXIT_OK, site_dir
from timeline.engine.build import BuildResult, Session
from timeline.engine.search import SearchShards, search_indexer
from timeline.engine.settings import read_settings
from timeline.load.discovery import SITE_INPUTS
from timeline.problems import Problem, format_problems
from timeline.render.language import Language, language_of
from timeline.render.theme import BUILTIN_THEMES
from timeline.write.output import SEARCH_FOLDER, exchange
from timeline.write.search import SearchIndexError

StartResponse = Callable[..., Any]
SEARCH_PREFIX = f"/{SEARCH_FOLDER}/"


class PreviewApp:
    """Serves the built folder; shows the problems instead while the last build failed."""

    def __init__(self, output: Path, search: Path) -> None:
        self.output = output
        self.search = search  # the search index, made apart from the pages
        self.problems: list[Problem] = []
        self.language = language_of("en", [])  # the site's, once a build has read it
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        with self.lock:
            problems = [p for p in self.problems if p.is_error]
            language = self.language
        wants_page = path.endswith("/") or path.endswith(".html")
        if problems and wants_page:
            page = problem_page(problems, language)
            return self._respond(start_response, "200 OK", "text/html", page)
        if path.startswith(SEARCH_PREFIX):
            target = _inside(self.search, path[len(SEARCH_PREFIX) :])
        else:
            target = _inside(self.output, path)
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                start_response("301 Moved Permanently", [("Location", path + "/")])
                return [b""]
            target = target / "index.html"
        body = _read(target)
        if body is None:
            body = _read(self.output / "404.html") or b"Not found"
            return self._respond(start_response, "404 Not Found", "text/html", body)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return self._respond(start_response, "200 OK", kind, body)

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


def _inside(folder: Path, path: str) -> Path | None:
    """The file `path` names under `folder`, never outside it."""
    root = folder.resolve()
    candidate = (root / path.lstrip("/")).resolve()
    return candidate if candidate == root or root in candidate.parents else None


def _read(file: Path | None) -> bytes | None:
    """A file's bytes; None when there is none (a build may have just removed it)."""
    try:
        return file.read_bytes() if file is not None else None
    except OSError:
        return None


def preview_language(code: str, site_root: Path) -> Language:
    """The preview's own words in the site's language: the site's catalogues, then the default
    theme's (the site's theme may be what fails to load)."""
    return language_of(code, [site_root / "locale", BUILTIN_THEMES / "default" / "locale"])


def problem_page(problems: list[Problem], language: Language) -> bytes:
    """The page the preview shows while the site cannot be built, in the site's language (the
    problems themselves are the editor's, as `timeline check` gives them)."""
    _ = language.gettext
    items = "\n".join(f"<li><code>{html.escape(p.as_text())}</code></li>" for p in sorted(problems))
    errors = sum(p.is_error for p in problems)
    counts = _("{errors}, {warnings}").format(
        errors=language.ngettext("%(num)s error", "%(num)s errors", errors),
        warnings=language.ngettext("%(num)s warning", "%(num)s warnings", len(problems) - errors),
    )
    advice = _("{problems}. Fix the files below and save: this page reloads by itself.")
    # Said outside the f-string, where Babel's extractor finds them.
    title, heading = _("Build problems · timeline preview"), _("The site cannot be built")
    return f"""<!DOCTYPE html>
<html lang="{html.escape(language.code)}" dir="{language.direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font: 1rem/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem;
       padding: 0 1rem; }}
h1 {{ color: #8b1a1a; }} li {{ margin: .5rem 0; }} code {{ white-space: pre-wrap; }}
</style>
</head>
<body>
<h1>{html.escape(heading)}</h1>
<p>{html.escape(advice.format(problems=counts))}</p>
<ol class="problems" dir="ltr">
{items}
</ol>
</body>
</html>
""".encode()


class Preview:
    """A site's preview: a build session kept in memory, the app serving its output, and the
    search index made in the background."""

    def __init__(self, site_root: Path, port: int) -> None:
        self.site_root = site_root.absolute()
        self.port = port
        self.workdir = Path(tempfile.mkdtemp(prefix="timeline-serve-"))
        self.output = self.workdir / "site"
        self.session = Session(self.site_root, self.output, kept=True)
        self.settings = read_settings(f"http://127.0.0.1:{port}/", search=False)
        self.search = BackgroundSearch(self.workdir)
        self.app = PreviewApp(self.output, self.search.folder)

    def rebuild(self, changed: Iterable[str] | None = None) -> BuildResult | None:
        """Build what changed (None: look at every file); serve its pages, or its problems."""
        try:
            result = self.session.build(self.settings, changed=changed)
        except Exception as exc:  # a preview must survive anything a half-saved file causes
            result = None
            problems = [Problem("site.yaml", 1, 1, "error", "", f"build failed: {exc}")]
        else:
            problems = result.problems
        with self.app.lock:
            self.app.problems = problems
            if result is not None and result.language not in ("", self.app.language.code):
                self.app.language = preview_language(result.language, self.site_root)
        if result is not None and result.ok:
            print(
                f"rebuilt: {len(result.remade)} files of {result.files}, "
                f"{result.seconds * 1000:.0f} ms",
                file=sys.stderr,
            )
            if result.search is not None:
                self.search.update(result.search)
        else:
            print(format_problems(problems, "text"), file=sys.stderr)
        return result

    def run(self) -> None:
        from livereload import Server  # imported here: only `serve` needs tornado

        changes: queue.Queue[set[str] | None] = queue.Queue()
        watcher = Watcher(self.site_root, changes)
        watcher.start()  # before the first build: a save meanwhile is built next, not lost
        self.rebuild()
        self.settle()
        server = Server(self.app, watcher=_no_polling())
        builder = threading.Thread(target=self.build_on, args=(changes, _reloader()), daemon=True)
        builder.start()
        print(f"serving on http://127.0.0.1:{self.port}/ (Ctrl+C to stop)", file=sys.stderr)
        try:
            server.serve(port=self.port, host="127.0.0.1", open_url_delay=None, debug=False)
        finally:
            watcher.stop()
            changes.put(None)
            builder.join(timeout=30)
            self.session.close()
            shutil.rmtree(self.workdir, ignore_errors=True)

    def settle(self) -> None:
        """Between builds: the session readies the next one (see `Session.settle`)."""
        try:
            self.session.settle()
        except OSError as exc:  # a full disk, say: the next build makes its spare folder itself
            print(f"could not prepare the next build: {exc}", file=sys.stderr)

    def build_on(
        self, changes: queue.Queue[set[str] | None], reload: Callable[[str], None]
    ) -> None:
        """Build each batch of changes; what came during a build is taken together by the
        next one (the newest state wins). None ends it."""
        while (changed := changes.get()) is not None:
            while not changes.empty():
                more = changes.get()
                if more is None:
                    return
                changed |= more
            result = self.rebuild(changed)
            pages = [path for path in result.remade if path.endswith(".html")] if result else []
            reload("/" + pages[0].removesuffix("index.html") if len(pages) == 1 else "*")
            self.settle()


class Watcher:
    """The site's inputs, watched through inotify (watchfiles): each batch of changed paths
    (relative to the site) goes into `changes`. The input folders are watched through and
    through; the site's folder itself only at its top (site.yaml, an input folder made or
    removed, which has the folders watched anew), since it also holds `output/` and `.git/`."""

    def __init__(self, root: Path, changes: queue.Queue[set[str] | None]) -> None:
        self.root = root
        self.changes = changes
        self.stopped = threading.Event()
        self.regroup = threading.Event()  # set: watch the input folders anew
        self.watching = (threading.Event(), threading.Event())  # the top's, the folders'

    def start(self, timeout: float = 10.0) -> None:
        """Start watching; return once both watches are in place (or after `timeout`)."""
        for watch in (self._top, self._folders):
            threading.Thread(target=watch, daemon=True).start()
        for started in self.watching:
            started.wait(timeout)

    def stop(self) -> None:
        self.stopped.set()
        self.regroup.set()

    def _top(self) -> None:
        top, _folders = self.watching
        for paths in self._watch([self.root], self.stopped, top, recursive=False):
            if paths - {"site.yaml"}:
                self.regroup.set()

    def _folders(self) -> None:
        _top, started = self.watching
        while not self.stopped.is_set():
            self.regroup.clear()
            folders = [self.root / name for name in SITE_INPUTS if (self.root / name).is_dir()]
            if not folders:
                started.set()  # nothing to watch yet: the top's watch sees folders made
                self.regroup.wait()
                continue
            for _paths in self._watch(folders, self.regroup, started, recursive=True):
                pass

    def _watch(
        self, paths: list[Path], stop: threading.Event, started: threading.Event, recursive: bool
    ) -> Iterator[set[str]]:
        import watchfiles  # imported here: only `serve` needs it

        def is_input(_change: object, path: str) -> bool:
            return Path(path).name in SITE_INPUTS

        for found in watchfiles.watch(
            *paths,
            watch_filter=watchfiles.DefaultFilter() if recursive else is_input,
            stop_event=stop,
            step=20,  # ms without another change before a batch is reported
            rust_timeout=100,
            yield_on_timeout=True,  # an empty batch: the watch is in place
            recursive=recursive,
        ):
            started.set()
            if found:
                changed = {Path(path).relative_to(self.root).as_posix() for _, path in found}
                self.changes.put(changed)
                yield changed


class BackgroundSearch:
    """The preview's search index, made after the pages are served, one run at a time: a run
    asked for while one goes is made when it ends (the newest build wins). Only the shards whose
    entries changed are indexed again. Readers get the old index or the new one, exchanged in
    one step."""

    def __init__(self, workdir: Path) -> None:
        self.folder = workdir / "search"
        self.making = workdir / "search-new"
        self.wanted_event = threading.Event()
        self.wanted: SearchShards | None = None
        self.made_for: dict[str, str] = {}  # the fingerprints of the shards in `folder`
        self.thread: threading.Thread | None = None

    def update(self, shards: SearchShards) -> None:
        self.wanted = shards
        self.wanted_event.set()
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()

    def _run(self) -> None:
        while self.wanted_event.wait():
            self.wanted_event.clear()
            shards = self.wanted
            if shards is None:
                continue
            shutil.rmtree(self.making, ignore_errors=True)
            index = search_indexer(shards, self.made_for, lambda _: None, background=True)
            try:
                index(self.making, self.folder if self.folder.is_dir() else None)
            except (SearchIndexError, OSError) as exc:
                print(f"search index not updated: {exc}", file=sys.stderr)
                continue
            self.made_for = shards.prints
            if not self.making.exists():
                continue  # the index was this build's already
            if self.folder.exists():
                exchange(self.making, self.folder)
                shutil.rmtree(self.making, ignore_errors=True)
            else:
                self.making.rename(self.folder)


def _reloader() -> Callable[[str], None]:
    """Tell the open pages to reload `path` ("*": any page), from any thread."""
    from livereload.handlers import LiveReloadHandler
    from tornado.ioloop import IOLoop

    loop = IOLoop.current()  # the main thread's, which the server runs
    return lambda path: loop.add_callback(LiveReloadHandler.reload_waiters, path)


def _no_polling() -> Any:
    """A livereload watcher that never looks at a file (the preview's `Watcher` does)."""
    from livereload.watcher import Watcher as Polling

    class NoPolling(Polling):
        def start(self, callback: Callable[[], None]) -> bool:
            return True  # "started": livereload then never polls

        def examine(self) -> tuple[None, None]:
            return None, None

    watcher = NoPolling()
    watcher.watch("(watched by timeline)")  # else livereload would watch the working folder
    return watcher


def cmd_serve(args: argparse.Namespace) -> int:
    from timeline.commands.serve import Preview

    Preview(site_dir(args.site), args.port).run()
    return EXIT_OK
