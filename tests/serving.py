"""`timeline serve` as a subprocess for the tests that need a running preview."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from conftest import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int | None, str | None]:
    """(status, body), or (None, None) when nothing answers (not listening yet, a reset)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
    except OSError:
        return None, None


def wait_for(url: str, predicate: Callable[[str], bool], seconds: float) -> tuple[float, str]:
    """Poll until predicate(body) holds; return the time it took and the body."""
    start = time.monotonic()
    body: str | None = ""
    while time.monotonic() - start < seconds:
        _status, body = fetch(url)
        if body is not None and predicate(body):
            return time.monotonic() - start, body
        time.sleep(0.05)
    raise AssertionError(f"{url} did not change as expected within {seconds} s:\n{body!s:.500}")


@contextlib.contextmanager
def serving(site: Path, log: Path, ready: str) -> Iterator[str]:
    """Run `timeline serve` on `site`; yield its base URL once the landing page shows `ready`.
    On the way out: stop it with Ctrl+C, and assert it never printed a traceback."""
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "timeline", "serve", "--site", str(site), "--port", str(port)],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        base = f"http://127.0.0.1:{port}/"
        try:
            wait_for(base, lambda body: ready in body, 30)
            yield base
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    assert "Traceback" not in log.read_text(), log.read_text()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_server(directory: Path) -> Iterator[str]:
    """Serve `directory` as a plain static host on 127.0.0.1; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
