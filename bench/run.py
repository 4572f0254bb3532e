"""Benchmark timeline's builds against Hugo, and Hugo + Pagefind, on the same corpus.

    .venv/bin/python bench/run.py --n 1000 --repeat 1
    .venv/bin/python bench/run.py --n 1000 --n 10000 --n 100000:1 --out docs/benchmarks.md

For each N (`--n N`, or `--n N:R` for R runs of that N instead of --repeat), a corpus of N events
is made by bench/generate.py (seeded) and converted into a Hugo site by bench/hugo_site.py. Then
each run does, one process after the other, in this order:

- timeline, cold, with search: `python -m timeline build --site SITE --output OUT --clean` into
  a fresh output folder (no records of an earlier build), and `--jobs N` if this script is given
  `--jobs N`;
- timeline, cold, without search: the same with `--no-search`, into another fresh folder;
- Hugo, cold: `hugo --quiet --source HUGO_SITE --destination <fresh folder>` (the binary itself,
  not the PyPI package's Python launcher);
- Pagefind on Hugo's output, what a Hugo user adds for search: `python -m pagefind --site <a
  fresh copy of Hugo's output> --quiet` (the pagefind PyPI package timeline uses). Hugo's event
  pages carry `data-pagefind-body` and the filters, metadata and sort key of timeline's event
  template, so it indexes the N event pages, one record per entry as in timeline's index;

and for N <= REBUILDS_UP_TO only (larger corpora measure cold builds only):

- Hugo's no-op rebuild (the same command again);
- timeline's rebuilds of the first cold build's output, through the same command without
  `--clean` (search included): no-op, after editing one entry's body, after editing it again,
  after adding a site-level override of the event template with a one-word change (both edits
  are then undone);
- the preview: `timeline serve` on the same corpus; once it serves, the same entry is saved
  SERVE_SAVES times, each with another sentence appended, and each save is timed from just
  before the write to the first response of the entry's page that holds the new sentence.

Time is the wall time of each process, start (interpreter start and imports) to exit. timeline's
search step costs (cold with search) - (cold with --no-search), both of the same run; "Hugo +
Pagefind" takes the sum of the two times and the larger of the two peaks (they run one after the
other).

Peak memory is that of the whole process tree: while a command runs, a thread of this script
finds, every SAMPLE_INTERVAL seconds, the process and all its descendants alive (through
/proc/<pid>/task/<tid>/children, or the parent ids in /proc/*/stat on kernels without that file),
sums their memory and keeps the largest sum. Each process counts for its PSS, from
/proc/<pid>/smaps_rollup: a page shared by several processes (the copy-on-write pages of forked
workers, shared libraries) is divided among them instead of being counted in each. When
smaps_rollup cannot be read, the process's RSS (VmRSS in /proc/<pid>/status) stands in, and the
results say so. Reading a PSS is not free (the kernel walks the process's page tables, here
2-4 ms for 100 MB and 15 ms for 1.2 GB, holding its memory map lock), so each sample reads the
RSS of every process first, and the PSS only when the RSS sum is above the largest PSS sum so
far (a PSS is never above its RSS: no other sample can make a new peak), and at most PSS_SHARE of
the time (see TreeSampler). The same sampler measures timeline (with Pagefind and any worker it
starts), Hugo and Pagefind alone. A peak shorter than the time between two PSS readings can be
missed. The preview is not sampled (the sampler would share the cores with the saves being
timed): its peak is the VmHWM of the serve process after its saves, and, apart, that of its
children still alive.

The corpora and all outputs (the preview's too) are in one work folder, so every generator
writes to the same disk. The results (medians; peak memory: the largest of the runs) go to
stdout, and with --out to a Markdown file with the method, the targets and whether each is met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
EVENT_TEMPLATE = ROOT / "timeline" / "themes" / "default" / "templates" / "event.html"
TEMPLATE_EDIT = (
    '<h2 id="sources-heading">Sources</h2>',
    '<h2 id="sources-heading">References</h2>',
)
BODY_EDIT = "\n\nEdited for the benchmark.\n"
BODY_EDIT_AGAIN = "\n\nEdited for the benchmark, twice.\n"
SAMPLE_INTERVAL = 0.05  # s between two samples of a process tree's memory
PSS_SHARE = 0.05  # at most this share of the sampler's time goes to reading PSS (see TreeSampler)
REBUILDS_UP_TO = 10_000  # rebuilds, the preview and Hugo's no-op only for N up to this

# The preview's measurement: saves of one entry while `timeline serve` runs.
SERVE_SAVES = 5  # saves per run, whose median is the run's
SERVE_START_TIMEOUT = 15 * 60  # s for the first page (a cold build) to be served
SERVE_SETTLE = 2.0  # s to wait after the first page is served, before the first save
SERVE_PAUSE = 1.5  # s between a save's page served and the next save (the search runs behind)
SERVE_POLL = 0.005  # s at most between two requests for the page
SERVE_SAVE_TIMEOUT = 300  # s for one save's page to be served
SERVE_STOP_TIMEOUT = 20  # s after SIGINT before the server is killed

# The targets of the issue "Cold builds and search at scale". Memory in decimal units (the
# stricter reading).
COLD_VS_HUGO_PAGEFIND = 1.0  # cold with search, at most this x (Hugo + Pagefind on its output)
NOSEARCH_VS_HUGO = 1.5  # cold with --no-search, at most this x Hugo alone (at TARGET_N)
COLD_MEMORY_BYTES = {10_000: 800_000_000, 100_000: 3_000_000_000}  # N: peak of the cold tree

# The targets of the issue "Fast edits", checked against the medians (at TARGET_N events unless
# said otherwise).
TARGET_N = 10_000
SERVE_SECONDS = {10_000: 0.300, 1_000: 0.100}  # N: save to the new page served, median
SERVE_VS_HUGO = 0.06  # that at TARGET_N at most 0.06 x Hugo's cold build
EDIT_VS_HUGO = 0.4  # `timeline build` after a one-entry edit, whole, at most 0.4 x Hugo's cold
NOOP_SHARE = 0.02  # no-op rebuild at most 2 % of the cold build (whole)
SERVE_MEMORY_BYTES = 400_000_000  # peak RSS of `timeline serve`

Measured = dict[str, Any]  # one process's numbers, as written to --json


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the memory of a process tree ----------------------------------------------------------------


@functools.cache
def has_children_files() -> bool:
    """Whether this kernel lists each thread's children in /proc (CONFIG_PROC_CHILDREN)."""
    return Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists()


def children(pid: int) -> list[int]:
    """The child processes of `pid`, from the children file of each of its threads."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as listing:
                found.extend(int(child) for child in listing.read().split())
        except OSError:
            continue
    return found


def children_by_parent() -> dict[int, list[int]]:
    """Every process's children, from the parent ids in /proc/*/stat."""
    table: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, ...
        table.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return table


def descendants(pid: int) -> list[int]:
    """The processes alive under `pid`: its children, theirs, and so on."""
    table = None if has_children_files() else children_by_parent()
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for child in children(parent) if table is None else table.get(parent, []):
            found.append(child)
            todo.append(child)
    return found


def status_bytes(pid: int, key: str) -> int:
    """A size field of /proc/<pid>/status (VmRSS, VmHWM), in bytes; 0 if the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def process_memory(pid: int) -> tuple[int, bool]:
    """The PSS of process `pid` in bytes, and False; or its RSS and True if its PSS cannot be
    read; (0, False) if it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024, False
    except OSError:
        pass
    rss = status_bytes(pid, "VmRSS")
    return rss, rss > 0


class TreeSampler(threading.Thread):
    """The peak memory of a process tree, until `stopped` is set: every SAMPLE_INTERVAL s, the
    RSS of each process of the tree (cheap to read); when their sum exceeds the largest PSS sum
    so far (a PSS is never above its RSS, so only then can there be a new peak), the PSS of each.
    Reading a PSS makes the kernel walk the process's page tables while holding its memory map
    lock (here 2-4 ms for 100 MB, 15 ms for 1.2 GB; the process's mapping changes wait), so PSS
    readings take at most PSS_SHARE of the time: after one that took t seconds, the
    next is t / PSS_SHARE later at the earliest."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0  # the largest sum of PSS
        self.rss_peak = 0  # the largest sum of RSS (an upper bound of `peak`)
        self.rss_fallback = False  # whether RSS stood in for some process's PSS
        self.busy = 0.0  # CPU seconds (of this thread) spent sampling
        self.stopped = threading.Event()

    def run(self) -> None:
        next_pss = 0.0
        while True:
            started, cpu = time.perf_counter(), time.thread_time()
            tree = [self.pid, *descendants(self.pid)]
            rss = sum(status_bytes(pid, "VmRSS") for pid in tree)
            self.rss_peak = max(self.rss_peak, rss)
            if rss > self.peak and started >= next_pss:
                pss_cpu = time.thread_time()
                self.peak = max(self.peak, self.pss(tree))
                next_pss = started + (time.thread_time() - pss_cpu) / PSS_SHARE
            self.busy += time.thread_time() - cpu
            if self.stopped.wait(SAMPLE_INTERVAL):
                return

    def pss(self, tree: list[int]) -> int:
        total = 0
        for pid in tree:
            size, fallback = process_memory(pid)
            total += size
            self.rss_fallback = self.rss_fallback or fallback
        return total


def run_measured(command: list[str], log_path: Path, **popen: Any) -> Measured:
    """Run `command`, its output (stdout and stderr) into `log_path`; its wall time, the peak
    memory of its process tree, and its exit code."""
    with open(log_path, "wb") as log_file:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, **popen)
        sampler = TreeSampler(process.pid)
        sampler.start()
        code = process.wait()
        wall = time.perf_counter() - started
        sampler.stopped.set()
        sampler.join()
    return {
        "wall": wall,
        "peak": sampler.peak,
        "rss_peak": sampler.rss_peak,
        "code": code,
        "rss_fallback": sampler.rss_fallback,
        "sampling": sampler.busy,
    }


def failure(measured: Measured, log_path: Path) -> str:
    """How a process failed, with the end of its output."""
    code = measured["code"]
    how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
    tail = log_path.read_bytes()[-3000:].decode("utf-8", "replace")
    return f"{how} after {measured['wall']:.1f} s; the end of its output:\n{tail}"


# --- the builds ----------------------------------------------------------------------------------

# The summary line of `timeline build` on stderr: pages, reused, and the build's own time.
BUILT = re.compile(r"^built (\d+) pages \((\d+) unchanged\) .*, ([\d.]+) s\)$", re.MULTILINE)


def timeline_build(
    site: Path, output: Path, work: Path, *, clean: bool, search: bool, jobs: int | None
) -> Measured:
    """`python -m timeline build` in a fresh process; its numbers, and `ok` with its success
    (`error` says how it failed)."""
    command = [sys.executable, "-m", "timeline", "build", "--site", str(site)]
    command += ["--output", str(output)]
    if clean:
        command.append("--clean")
    if not search:
        command.append("--no-search")
    if jobs:
        command += ["--jobs", str(jobs)]
    log_path = work / "timeline-build.log"
    # TMPDIR: anything the build puts in a temporary folder goes to the work folder's disk.
    env = {**os.environ, "TMPDIR": str(work)}
    measured = run_measured(command, log_path, cwd=site.parent, env=env)
    measured["ok"] = measured["code"] == 0
    if not measured["ok"]:
        measured["error"] = failure(measured, log_path)
        return measured
    built = BUILT.search(log_path.read_text("utf-8", "replace"))
    if built:  # else `timeline build` changed its summary line: those numbers are left out
        measured["pages"], measured["reused"] = int(built[1]), int(built[2])
        measured["inproc"] = float(built[3])
    if search:
        measured["indexed"] = indexed_pages(output)
    return measured


def indexed_pages(site_output: Path) -> int | None:
    """The pages in the Pagefind index (or indexes: a bundle per folder under pagefind/) of a
    built site; None if it has none."""
    entries = list(site_output.glob("pagefind/**/pagefind-entry.json"))
    if not entries:
        return None
    total = 0
    for entry in entries:
        languages = json.loads(entry.read_text("utf-8")).get("languages", {})
        total += sum(language.get("page_count", 0) for language in languages.values())
    return total


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


def hugo_build(binary: Path, site: Path, destination: Path, work: Path) -> Measured:
    command = [str(binary), "--quiet", "--source", str(site), "--destination", str(destination)]
    log_path = work / "hugo.log"
    measured = run_measured(command, log_path, cwd=site)
    if measured["code"] != 0:
        raise SystemExit(f"the Hugo build failed: {failure(measured, log_path)}")
    measured["pages"] = sum(1 for _ in destination.rglob("*.html"))
    return measured


def pagefind_on(hugo_output: Path, copy: Path, work: Path) -> Measured:
    """Pagefind on a fresh copy of Hugo's output (a fresh build, so without a pagefind/ folder),
    as a Hugo user would run it; the copy is removed afterwards."""
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(hugo_output, copy)
    command = [sys.executable, "-m", "pagefind", "--site", str(copy), "--quiet"]
    log_path = work / "pagefind.log"
    measured = run_measured(command, log_path, cwd=work)
    if measured["code"] != 0:
        raise SystemExit(f"Pagefind on Hugo's output failed: {failure(measured, log_path)}")
    measured["indexed"] = indexed_pages(copy)
    shutil.rmtree(copy)
    return measured


# --- the edits -----------------------------------------------------------------------------------


def middle_entry(site: Path) -> Path:
    """The entry the edits change: the middle one of the events' files, in path order."""
    files = sorted((site / "content" / "events").rglob("*.md"))
    return files[len(files) // 2]


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
    for leftover in output.parent.glob(f".{output.name}*"):  # the build's records, any staging
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink()


# --- the preview: saves while `timeline serve` runs ----------------------------------------------


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


@dataclass
class Preview:
    """A running `timeline serve`, and how to reach it."""

    process: subprocess.Popen[bytes]
    log: ServerLog
    opener: urllib.request.OpenerDirector
    base: str

    def wait_first_page(self) -> float:
        """Seconds until `/` answers 200 (after the first build, a cold one)."""
        started = time.perf_counter()
        while get_page(self.opener, self.base)[0] != 200:
            self.log.check(self.process, "before its first page")
            if time.perf_counter() - started > SERVE_START_TIMEOUT:
                self.log.fail(f"`timeline serve` served no page in {SERVE_START_TIMEOUT} s")
            time.sleep(0.1)
        return time.perf_counter() - started

    def timed_save(self, entry: Path, content: bytes, page: str, marker: str) -> float:
        """Write `content` (holding `marker`) to `entry`; the seconds until `page` holds it."""
        self.log.check(self.process, f"before {marker!r}")
        saved = checked = time.perf_counter()
        entry.write_bytes(content)
        while True:
            status, body = get_page(self.opener, page)
            now = time.perf_counter()
            if status == 200 and marker.encode() in body:
                return now - saved
            if b"The site cannot be built" in body:
                self.log.fail(f"{marker!r}: the preview shows build problems")
            if now - checked > 0.25:
                self.log.check(self.process, f"after {marker!r}")
                checked = now
            if now - saved > SERVE_SAVE_TIMEOUT:
                self.log.fail(f"{marker!r}: no new page in {SERVE_SAVE_TIMEOUT} s")
            time.sleep(SERVE_POLL)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=SERVE_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_preview(site: Path, work: Path, log_path: Path) -> Preview:
    port = free_port()
    # TMPDIR: the preview builds into a temporary folder, here in the work folder (same disk).
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(work)}
    command = [sys.executable, "-m", "timeline", "serve", "--site", str(site), "--port", str(port)]
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            command, cwd=site.parent, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy, ever
    return Preview(process, ServerLog(log_path), opener, f"http://127.0.0.1:{port}/")


def timeline_serve(site: Path, work: Path, n: int, run: int) -> Measured:
    """Start `timeline serve` on `site`; once it serves, save the middle entry SERVE_SAVES
    times, each with another sentence, timing each save until the entry's page holds it. Then
    read the peak RSS, stop the server and restore the entry."""
    entry = middle_entry(site)
    original = entry.read_bytes()
    log_path = work / f"serve-{n}-run{run}.log"
    preview = start_preview(site, work, log_path)
    page = f"{preview.base}events/{entry_id(entry)}/"
    measured: Measured = {"latencies": []}
    try:
        measured["start"] = preview.wait_first_page()
        time.sleep(SERVE_SETTLE)
        for save in range(1, SERVE_SAVES + 1):
            marker = f"Serve check {save} of run {run}."
            content = original + f"\n\n{marker}\n".encode()
            measured["latencies"].append(preview.timed_save(entry, content, page, marker))
            time.sleep(SERVE_PAUSE)
        preview.log.check(preview.process, "after the saves")
        measured["rss"] = status_bytes(preview.process.pid, "VmHWM")
        alive = descendants(preview.process.pid)
        measured["rss_children"] = sum(status_bytes(pid, "VmHWM") for pid in alive)
    finally:
        preview.stop()
        entry.write_bytes(original)
    if b"Traceback" in log_path.read_bytes():
        preview.log.fail("`timeline serve` wrote a traceback (while stopping)")
    measured["wall"] = statistics.median(measured["latencies"])
    return measured


# --- one N ---------------------------------------------------------------------------------------


@dataclass
class Bench:
    """One N: its corpus and Hugo site, and every run's numbers so far, by measurement."""

    n: int
    corpus: Path
    hugo_site: Path
    work: Path
    hugo: Path | None
    jobs: int | None
    runs: dict[str, list[Measured]] = field(default_factory=dict)

    def record(self, name: str, measured: Measured) -> Measured:
        self.runs.setdefault(name, []).append(measured)
        log(f"  {name}: {describe(measured)}")
        return measured

    def cold(self, output: Path, *, search: bool) -> Measured:
        remove_output(output)
        return timeline_build(
            self.corpus, output, self.work, clean=True, search=search, jobs=self.jobs
        )

    def rebuild(self, output: Path) -> Measured:
        measured = timeline_build(
            self.corpus, output, self.work, clean=False, search=True, jobs=self.jobs
        )
        if not measured["ok"]:
            raise SystemExit(f"N={self.n}: a timeline rebuild failed: {measured['error']}")
        return measured


def describe(m: Measured) -> str:
    """One measurement, for the progress log."""
    if "latencies" in m:
        each = ", ".join(f"{t * 1000:.0f}" for t in m["latencies"])
        return (
            f"{m['wall'] * 1000:.0f} ms median (saves {each} ms; first page after "
            f"{m['start']:.1f} s), peak {mb(m['rss'])}, children alive {mb(m['rss_children'])}"
        )
    if not m.get("ok", True):
        return f"FAILED, {m['error']}"
    text = f"{m['wall']:.2f} s, peak {mb(m['peak'])}"
    if "reused" in m:
        text += f", {m['reused']:,}/{m['pages']:,} pages reused"
    if m.get("indexed") is not None:
        text += f", {m['indexed']:,} pages indexed"
    return text


def one_run(bench: Bench, run: int) -> None:
    """The cold builds in their alternating sequence, then (up to REBUILDS_UP_TO events) the
    rebuilds of the first one's output and the preview."""
    n, work = bench.n, bench.work
    output, bare = work / f"timeline-out-{n}", work / f"timeline-nosearch-{n}"
    cold = bench.record("cold", bench.cold(output, search=True))
    if n > REBUILDS_UP_TO:
        remove_output(output)  # no rebuilds: the disk is freed for the next builds
    bench.record("cold_nosearch", bench.cold(bare, search=False))
    remove_output(bare)
    if bench.hugo:
        hugo_and_pagefind(bench, bench.hugo)
    if n > REBUILDS_UP_TO:
        return
    if not cold["ok"]:
        raise SystemExit(f"N={n}: the cold build failed, so no rebuild of it: {cold['error']}")
    rebuilds(bench, output)
    remove_output(output)
    bench.record("serve", timeline_serve(bench.corpus, work, n, run))


def hugo_and_pagefind(bench: Bench, hugo: Path) -> None:
    """Hugo's cold build, Pagefind on a copy of its output, and (up to REBUILDS_UP_TO events)
    Hugo's no-op rebuild."""
    n, work = bench.n, bench.work
    destination = work / f"hugo-out-{n}"
    shutil.rmtree(destination, ignore_errors=True)
    bench.record("hugo_cold", hugo_build(hugo, bench.hugo_site, destination, work))
    bench.record("pagefind", pagefind_on(destination, work / f"hugo-pagefind-{n}", work))
    if n <= REBUILDS_UP_TO:
        bench.record("hugo_noop", hugo_build(hugo, bench.hugo_site, destination, work))
    shutil.rmtree(destination)


def rebuilds(bench: Bench, output: Path) -> None:
    """No-op, one entry's body edited (twice: the first update after a cold build also makes
    the spare output folder the later ones use), the event template overridden; then both
    edits undone."""
    bench.record("noop", bench.rebuild(output))
    entry = middle_entry(bench.corpus)
    original = entry.read_bytes()
    try:
        entry.write_bytes(original + BODY_EDIT.encode())
        bench.record("entry", bench.rebuild(output))
        entry.write_bytes(original + BODY_EDIT_AGAIN.encode())
        bench.record("entry_again", bench.rebuild(output))
        override = edit_template(bench.corpus)
        try:
            bench.record("template", bench.rebuild(output))
        finally:
            shutil.rmtree(override.parent)
    finally:
        entry.write_bytes(original)


def bench_n(n: int, repeat: int, work: Path, hugo: Path | None, jobs: int | None) -> dict[str, Any]:
    from generate import generate
    from hugo_site import convert

    corpus, hugo_site = work / f"corpus-{n}", work / f"corpus-{n}-hugo"
    log(f"N={n}: generating the corpus")
    generate(n, corpus)
    if hugo:
        convert(corpus, hugo_site)
    bench = Bench(n, corpus, hugo_site, work, hugo, jobs)
    for run in range(1, repeat + 1):
        log(f"N={n}: run {run} of {repeat}")
        one_run(bench, run)
    shutil.rmtree(corpus)
    shutil.rmtree(hugo_site, ignore_errors=True)
    return {"n": n, "repeat": repeat, "runs": bench.runs}


# --- the summary ---------------------------------------------------------------------------------


def pairs(a: list[Measured], b: list[Measured]) -> Iterable[tuple[Measured, Measured]]:
    """The measurements of two kinds made in the same run."""
    return zip(a, b, strict=True)


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    """Medians of each measurement (peak memory: the largest of the runs), and the paired
    comparisons of the cold builds."""
    runs = result["runs"]
    out: dict[str, Any] = {"n": result["n"], "repeat": result["repeat"]}
    out["walls"] = {name: [m["wall"] for m in r] for name, r in runs.items()}
    for name, r in runs.items():
        out[name] = serve_summary(r) if name == "serve" else build_summary(r)
    differences = [c["wall"] - b["wall"] for c, b in pairs(runs["cold"], runs["cold_nosearch"])]
    failed = out["cold"]["failed"] or out["cold_nosearch"]["failed"]
    out["search"] = None if failed else statistics.median(differences)
    if "hugo_cold" in runs:
        out["paired"] = paired(runs)
    every = [m for r in runs.values() for m in r]
    out["rss_fallback"] = any(m.get("rss_fallback") for m in every)
    out["sampling"] = max((m["sampling"] / m["wall"] for m in every if "sampling" in m), default=0)
    return out


def build_summary(r: list[Measured]) -> dict[str, Any]:
    inproc = [m["inproc"] for m in r if "inproc" in m]
    return {
        "wall": statistics.median(m["wall"] for m in r),
        "peak": max(m["peak"] for m in r),
        "failed": [m["error"] for m in r if not m.get("ok", True)],
        "runs": len(r),
        "pages": next((m["pages"] for m in r if "pages" in m), None),
        "reused": [m.get("reused") for m in r],
        "inproc": statistics.median(inproc) if len(inproc) == len(r) else None,
        "indexed": next((m["indexed"] for m in r if m.get("indexed") is not None), None),
    }


def serve_summary(r: list[Measured]) -> dict[str, Any]:
    return {
        "wall": statistics.median(m["wall"] for m in r),  # the median of the runs' medians
        "latencies": [m["latencies"] for m in r],
        "start": statistics.median(m["start"] for m in r),
        "rss": max(m["rss"] for m in r),
        "rss_pagefind": max(m["rss_children"] for m in r),
    }


def paired(runs: dict[str, list[Measured]]) -> dict[str, float]:
    """Hugo + Pagefind (the sum of their times, the larger of their peaks) and timeline's cold
    builds against it and against Hugo: the median of each run's ratio."""
    cold, bare, hugo = runs["cold"], runs["cold_nosearch"], runs["hugo_cold"]
    both = list(pairs(hugo, runs["pagefind"]))
    walls = [h["wall"] + p["wall"] for h, p in both]
    return {
        "wall": statistics.median(walls),
        "peak": max(max(h["peak"], p["peak"]) for h, p in both),
        "cold_ratio": statistics.median(c["wall"] / w for c, w in zip(cold, walls, strict=True)),
        "bare_ratio": statistics.median(b["wall"] / h["wall"] for b, h in pairs(bare, hugo)),
    }


# --- the report ----------------------------------------------------------------------------------


def mb(n_bytes: float) -> str:
    return f"{n_bytes / 1e6:,.0f} MB"


def secs(value: float) -> str:
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def ratio(ours: float, theirs: float | None) -> str:
    return f"{ours / theirs:.2f}×" if theirs else "–"


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def timed(m: dict[str, Any]) -> str:
    """A timeline build's median time, or how many of its runs failed."""
    if m["failed"]:
        return f"failed ({len(m['failed'])} of {m['runs']} runs)"
    return secs(m["wall"])


def cold_table(summaries: list[dict[str, Any]]) -> str:
    lines = [
        "| N | runs | timeline cold, with search (s) | timeline cold, `--no-search` (s) "
        "| search step (difference, s) | Hugo (s) | Pagefind on Hugo's output (s) "
        "| Hugo + Pagefind (s) | timeline / (Hugo + Pagefind) | timeline `--no-search` / Hugo "
        "| peak memory: timeline | peak memory: timeline `--no-search` | peak memory: Hugo "
        "| peak memory: Pagefind |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in summaries:
        cold, bare = s["cold"], s["cold_nosearch"]
        search = secs(s["search"]) if s["search"] is not None else "–"
        times = [timed(cold), timed(bare), search]
        peaks = [mb(cold["peak"]), mb(bare["peak"])]
        if "hugo_cold" in s:
            hugo, pagefind = s["hugo_cold"], s["pagefind"]
            times += [secs(hugo["wall"]), secs(pagefind["wall"])]
            peaks += [mb(hugo["peak"]), mb(pagefind["peak"])]
        else:
            times, peaks = times + ["–"] * 2, peaks + ["–"] * 2
        if "paired" in s:
            pair = s["paired"]
            times += [secs(pair["wall"])]
            times += ["–" if cold["failed"] else f"{pair['cold_ratio']:.2f}×"]
            times += ["–" if bare["failed"] else f"{pair['bare_ratio']:.2f}×"]
        else:
            times += ["–"] * 3
        lines.append("| " + " | ".join([f"{s['n']:,}", str(s["repeat"]), *times, *peaks]) + " |")
    return "\n".join(lines)


REBUILDS = (
    ("noop", "no-op rebuild", "hugo_noop"),
    ("entry", "one entry's body edited", None),
    ("entry_again", "the same entry edited again", None),
    ("template", "event template overridden", None),
)


def rebuild_table(summaries: list[dict[str, Any]]) -> str:
    lines = [
        "| N | measurement | timeline (median s) | timeline in-process (median s) "
        "| Hugo (median s) | ratio timeline / Hugo | peak memory |",
        "|---:|---|---:|---:|---:|---:|---|",
    ]
    for s in (s for s in summaries if "noop" in s):
        n = f"{s['n']:,}"
        for name, label, hugo_name in REBUILDS:
            m, h = s[name], s.get(hugo_name or "")
            theirs = h["wall"] if h else None
            inproc = secs(m["inproc"]) if m["inproc"] is not None else "–"
            hugo_mem = f" · Hugo {mb(h['peak'])}" if h else ""
            lines.append(
                f"| {n} | {label} (`timeline build`, with search) | {timed(m)} | {inproc} "
                f"| {secs(theirs) if theirs else '–'} | {ratio(m['wall'], theirs)} "
                f"| timeline {mb(m['peak'])}{hugo_mem} |"
            )
        lines.append(preview_row(s))
    return "\n".join(lines)


def preview_row(s: dict[str, Any]) -> str:
    serve, h = s["serve"], s.get("hugo_cold")
    theirs = h["wall"] if h else None
    pagefind = (
        f"children {mb(serve['rss_pagefind'])} (running when read)"
        if serve["rss_pagefind"]
        else "no child running when read"
    )
    return (
        f"| {s['n']:,} | preview: save to page served (`timeline serve`) | {secs(serve['wall'])} "
        f"| – | {secs(theirs) + ' (cold)' if theirs else '–'} "
        f"| {ratio(serve['wall'], theirs)} | timeline serve {mb(serve['rss'])} · {pagefind} |"
    )


NAMES = {
    "cold": "timeline cold",
    "cold_nosearch": "timeline cold `--no-search`",
    "hugo_cold": "Hugo cold",
    "pagefind": "Pagefind on Hugo's output",
    "hugo_noop": "Hugo no-op",
    "noop": "no-op",
    "entry": "entry edit",
    "entry_again": "second edit",
    "template": "template edit",
    "serve": "preview save (the run's median)",
}


def count(value: int | None) -> str:
    return f"{value:,}" if value is not None else "?"


def notes(summaries: list[dict[str, Any]]) -> str:
    """Pages written, indexed and reused, every run's time, and what went wrong, per N."""
    lines = []
    for s in summaries:
        times = "; ".join(
            f"{NAMES[name]} {' / '.join(secs(t) for t in walls)}"
            for name, walls in s["walls"].items()
        )
        lines.append(f"- N = {s['n']:,}: {pages_text(s)} Every run's time (s): {times}.")
        lines += [f"  {warning}" for warning in warnings(s)]
        lines.append(
            f"  Sampling the memory took CPU time (of a thread of this script, on the same "
            f"cores) of at most {s['sampling']:.1%} of a measured process's wall time."
        )
    return "\n".join(lines)


def pages_text(s: dict[str, Any]) -> str:
    cold = s["cold"]
    text = (
        f"timeline writes {count(cold['pages'])} HTML pages, of which its search index holds "
        f"{count(cold['indexed'])}"
    )
    if "hugo_cold" in s:
        text += (
            f"; Hugo writes {s['hugo_cold']['pages']:,}, of which Pagefind indexes "
            f"{count(s['pagefind']['indexed'])}"
        )
    text += "."
    if "noop" in s:
        reused = ", ".join(
            f"{NAMES[name]} {' / '.join(count(r) for r in s[name]['reused'])}"
            for name, _, _ in REBUILDS
        )
        text += f" Pages reused (not rendered again) per run: {reused}."
    return text


def warnings(s: dict[str, Any]) -> list[str]:
    found = []
    for name in NAMES:
        for error in s.get(name, {}).get("failed", []):
            lines = [line for line in error.splitlines() if line.strip()]
            found.append(f"**Failed:** {NAMES[name]}, {lines[0]} … {lines[-1]}")
    if "noop" in s and any(r != s["noop"]["pages"] for r in s["noop"]["reused"]):
        found.append(
            "**Warning:** a no-op rebuild rendered pages again: its records were not used "
            "(did timeline's code change during the run?), so its numbers are not those of "
            "a no-op rebuild."
        )
    if s["rss_fallback"]:
        found.append(
            "**Note:** some process's PSS could not be read, and its RSS stood in: those peaks "
            "count the pages it shares with other processes in full."
        )
    return found


# --- the targets ---------------------------------------------------------------------------------


def against_pair(s: dict[str, Any]) -> str:
    """timeline's cold build with search against Hugo + Pagefind, in words."""
    pair = s["paired"]
    return (
        f"{secs(s['cold']['wall'])} s against {secs(pair['wall'])} s (Hugo "
        f"{secs(s['hugo_cold']['wall'])} s, then Pagefind {secs(s['pagefind']['wall'])} s), "
        f"{pair['cold_ratio']:.2f}× (the median of the runs' ratios)"
    )


def cold_targets(by_n: dict[int, dict[str, Any]]) -> list[str]:
    at = by_n.get(TARGET_N)
    if at is None:
        lines = [f"- The targets at {TARGET_N:,} events: not measured, this run did not build it."]
    else:
        lines = [*cold_time_targets(at), cold_memory_target(at)]
    return [*lines, large_target(by_n.get(100_000))]


def cold_time_targets(at: dict[str, Any]) -> list[str]:
    cold, bare = at["cold"], at["cold_nosearch"]
    heads = (
        f"- timeline's cold build with search at {TARGET_N:,} events at most "
        f"{COLD_VS_HUGO_PAGEFIND}× Hugo + Pagefind on Hugo's output",
        f"- timeline's cold build with `--no-search` at {TARGET_N:,} events at most "
        f"{NOSEARCH_VS_HUGO}× Hugo alone",
    )
    if "paired" not in at:
        return [f"{head}: not checked, Hugo could not be run here." for head in heads]
    if cold["failed"] or bare["failed"]:
        results = zip(heads, (cold, bare), strict=True)
        return [f"{head}: **not met**, {failed_runs(m)}." for head, m in results]
    pair, hugo = at["paired"], at["hugo_cold"]["wall"]
    bare_text = (
        f"{secs(bare['wall'])} s against {secs(hugo)} s, {pair['bare_ratio']:.2f}× (the median "
        f"of the runs' ratios); the search step (the difference with the build with search) "
        f"{secs(at['search'])} s"
    )
    return [
        f"{heads[0]}: {verdict(pair['cold_ratio'] <= COLD_VS_HUGO_PAGEFIND)}. {against_pair(at)}.",
        f"{heads[1]}: {verdict(pair['bare_ratio'] <= NOSEARCH_VS_HUGO)}. {bare_text}.",
    ]


def failed_runs(m: dict[str, Any]) -> str:
    if not m["failed"]:
        return "not compared, as the other cold build failed"
    return f"the build failed in {len(m['failed'])} of {m['runs']} runs (see the notes)"


def cold_memory_target(at: dict[str, Any]) -> str:
    cold, bound = at["cold"], COLD_MEMORY_BYTES[TARGET_N]
    others = f"`--no-search` {mb(at['cold_nosearch']['peak'])}"
    if "hugo_cold" in at:
        others += f"; Hugo {mb(at['hugo_cold']['peak'])}, Pagefind {mb(at['pagefind']['peak'])}"
    text = (
        f"- Peak memory of timeline's cold build at {TARGET_N:,} events, its whole process tree "
        f"with the search step, at most {bound / 1e6:,.0f} MB: "
        f"{verdict(not cold['failed'] and cold['peak'] <= bound)}. {mb(cold['peak'])}, the largest "
        f"of the runs ({others})."
    )
    builds = [at[name]["peak"] for name, _, _ in REBUILDS if name in at]
    if builds:
        text += f" The largest of the rebuilds of this run: {mb(max(builds))}."
    return text


def large_target(large: dict[str, Any] | None) -> str:
    bound = COLD_MEMORY_BYTES[100_000]
    head = (
        f"- At 100,000 events, timeline's cold build with search completes, with a peak memory "
        f"(whole process tree) at most {bound / 1e9:g} GB, in at most {COLD_VS_HUGO_PAGEFIND}× "
        "Hugo + Pagefind on Hugo's output"
    )
    if large is None:
        return f"{head}: not measured in this run (it needs `--n 100000:1`)."
    cold = large["cold"]
    done, runs = cold["runs"] - len(cold["failed"]), cold["runs"]
    text = f"It completes in {done} of {runs} run(s); its peak: {mb(cold['peak'])}"
    ok = not cold["failed"] and cold["peak"] <= bound
    if "paired" not in large:
        return (
            f"{head}: not checked, Hugo could not be run here ({verdict(ok)} but for Hugo). {text}."
        )
    if cold["failed"]:
        return f"{head}: **not met**. {text}."
    ok = ok and large["paired"]["cold_ratio"] <= COLD_VS_HUGO_PAGEFIND
    return f"{head}: {verdict(ok)}. {text}; {against_pair(large)}."


def serve_targets(by_n: dict[int, dict[str, Any]]) -> list[str]:
    lines = []
    for n, bound in sorted(SERVE_SECONDS.items(), reverse=True):
        goal = f"at most {bound * 1000:.0f} ms"
        if n == TARGET_N:
            goal += f" and at most {SERVE_VS_HUGO}× Hugo's cold build"
        head = (
            f"- Preview (`timeline serve`), one-entry edit at {n:,} events, from the save to the "
            f"new page served, median {goal}"
        )
        at = by_n.get(n)
        if at is None or "serve" not in at:
            lines.append(f"{head}: not measured, this run did not build N = {n:,}.")
            continue
        serve, hugo = at["serve"], at.get("hugo_cold")
        every = " / ".join(", ".join(f"{t * 1000:.0f}" for t in run) for run in serve["latencies"])
        met = serve["wall"] <= bound
        text = f"Median of the runs' medians {serve['wall'] * 1000:,.1f} ms"
        if n == TARGET_N and hugo:
            share = serve["wall"] / hugo["wall"]
            text += (
                f" ({verdict(met)} for the time); {share:.3f}× Hugo's cold build of "
                f"{secs(hugo['wall'])} s ({verdict(share <= SERVE_VS_HUGO)} against Hugo)"
            )
            met = met and share <= SERVE_VS_HUGO
        elif n == TARGET_N:
            text += "; not checked against Hugo, which could not be run here"
        result = verdict(met) + (" for the time" if n == TARGET_N and not hugo else "")
        lines.append(f"{head}: {result}. {text}. Every save (ms), run by run: {every}.")
    return lines


def rebuild_targets(at: dict[str, Any]) -> list[str]:
    cold, noop, entry, again = at["cold"], at["noop"], at["entry"], at["entry_again"]
    hugo = at.get("hugo_cold")
    head = (
        f"- `timeline build` after a one-entry edit at {TARGET_N:,} events, the whole command "
        f"with its search step, at most {EDIT_VS_HUGO}× Hugo's cold build"
    )
    if hugo:
        share, first = again["wall"] / hugo["wall"], entry["wall"] / hugo["wall"]
        edit = (
            f"{head}: {verdict(share <= EDIT_VS_HUGO)}. An edit after an edit (what an editor's "
            f"later saves cost) takes {secs(again['wall'])} s against Hugo's "
            f"{secs(hugo['wall'])} s, {share:.3f}×; the first edit after a cold build (which "
            f"also makes the spare output folder) {secs(entry['wall'])} s, {first:.3f}×."
        )
    else:
        edit = (
            f"{head}: not checked, Hugo could not be run here. An edit after an edit takes "
            f"{secs(again['wall'])} s; the first edit after a cold build {secs(entry['wall'])} s."
        )
    share = noop["wall"] / cold["wall"]
    inproc = (
        f" (in-process, as the builds report it: {noop['inproc'] / cold['inproc']:.2%})"
        if noop["inproc"] and cold["inproc"]
        else ""
    )
    return [
        edit,
        f"- No-op rebuild at most {NOOP_SHARE:.0%} of the cold build (whole, as `timeline "
        f"build`, with search): {verdict(share <= NOOP_SHARE)}. {secs(noop['wall'])} s against "
        f"{secs(cold['wall'])} s, {share:.2%}{inproc}.",
        serve_memory_target(at),
    ]


def serve_memory_target(at: dict[str, Any]) -> str:
    serve = at["serve"]
    children = (
        f"{mb(serve['rss_pagefind'])} when read"
        if serve["rss_pagefind"]
        else "none running when read"
    )
    return (
        f"- Peak memory of `timeline serve` at {TARGET_N:,} events at most "
        f"{SERVE_MEMORY_BYTES / 1e6:.0f} MB: {verdict(serve['rss'] <= SERVE_MEMORY_BYTES)}. "
        f"{mb(serve['rss'])} (the serve process's VmHWM after its saves, the largest of the runs; "
        f"the processes it starts, such as Pagefind, apart: {children})."
    )


def targets(summaries: list[dict[str, Any]]) -> str:
    by_n = {s["n"]: s for s in summaries}
    lines = [
        '### "Cold builds and search at scale"',
        "",
        *cold_targets(by_n),
        "",
        f'### "Fast edits" (measured up to {REBUILDS_UP_TO:,} events only)',
        "",
        *serve_targets(by_n),
    ]
    at = by_n.get(TARGET_N)
    if at is None:
        lines.append(f"- The other targets are for N = {TARGET_N:,}, not measured in this run.")
    else:
        lines += rebuild_targets(at)
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
        # --no-optional-locks: git status leaves the index as it is (no stat refresh written).
        ["git", "--no-optional-locks", "-C", str(ROOT), "status", "--porcelain", "--", "timeline"],
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
            f"- timeline builds: {info['builds']}",
            f"- disk: {info['disk']}",
            f"- load average (1, 5, 15 min) at the start: {loads[0]}; at the end: {loads[1]}",
            *([f"- **the run stopped at {info['stopped']}**"] if "stopped" in info else []),
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

**The corpus.** For each N, `bench/generate.py` makes a seeded synthetic chronology of N events
(1-4 actors, 1-2 topics, 1-3 sources each, 80-300 word bodies; a source register of about N/5
records), and `bench/hugo_site.py` converts the same events, with the same bodies and the same
source register, into a Hugo site with minimal but equivalent layouts (`bench/hugo-site/`): an
event page (title, date in its precision, summary, body, actor and topic links, sources looked
up in the register, related entries, corrections, earlier and later entry), `/events/` (every
entry, by year), year pages by month (a `years` taxonomy), actor and topic pages and their
indexes, the landing page with the latest 12 entries, a 404 page, an RSS feed of the latest 50,
and Hugo's own sitemap and robots.txt. Hugo's event pages are marked for Pagefind as timeline's
were when its index was made from its pages: `data-pagefind-body` on the entry's article, its
title, date and summary as metadata, a date sort key, `actor`, `topic` and `year` filters, the
related entries left out. So Pagefind indexes the N event pages and no list page, one record per
entry, as timeline's index holds (the notes under the tables give both counts). timeline makes
more than Hugo (a cite box in six formats, JSON-LD and an embed card for each entry, source
pages, oEmbed, the JSON, CSV and iCalendar exports, the activity chart), so the comparison does
not favour timeline.

**Cold builds** (the issue "Cold builds and search at scale"). Each run does, one after the
other in this order, all in one work folder on the same disk:

1. timeline with search: `python -m timeline build --site <corpus> --output <fresh folder>
   --clean{jobs}` (and no records of an earlier build);
2. timeline without search: the same with `--no-search`, into another fresh folder;
3. Hugo: `hugo --quiet --source <Hugo site> --destination <fresh folder>` (the binary itself, not
   the PyPI package's Python launcher);
4. Pagefind on Hugo's output, what a Hugo user adds for search: `python -m pagefind --site <a
   fresh copy of that output> --quiet`, the `pagefind` PyPI package timeline uses.

A **time** is the wall time of the process from its start to its exit (for timeline,
interpreter start and imports included, as `timeline build` costs). timeline's **search step**
is 1 − 2 of the same run. **Hugo + Pagefind** is 3 + 4 for the time, and the larger of their two
peaks for memory (they run one after the other). The two **ratios** are the median of each run's
ratio (the runs are paired: what a ratio compares ran back to back), so they can differ a little
from the ratio of the medians shown. **Peak memory** is that of the whole process tree: while a
command runs, `run.py` finds every {interval_ms:g} ms the process and all its descendants alive (for
timeline, Pagefind and any worker process it starts), sums their memory and keeps the largest
sum. Each process counts for its PSS (`/proc/<pid>/smaps_rollup`): a page several processes
share, such as the copy-on-write pages of forked workers, is divided among them rather than
counted in each (where PSS cannot be read, RSS stands in, and the notes under the tables say
so). Since reading a PSS makes the kernel walk the process's page tables, a sample reads it only
when the RSS sum of the tree is above the largest PSS sum so far (a PSS is never above its RSS),
and PSS readings take at most {pss_share:.0%} of the time. A peak shorter than the
time between two readings can be missed. Times are the medians of the runs (the **runs**
column), peaks the largest of the runs; 1 MB = 10⁶ bytes.

**Rebuilds and the preview** (the issue "Fast edits"), up to N = {rebuilds_up_to:,} only: above
that, only the cold builds are measured. After the cold builds, each run does:

- Hugo's **no-op rebuild**: the same Hugo command again, on its output;
- timeline's rebuilds of build 1's output, each `python -m timeline build --site <corpus>
  --output <that folder>{jobs}` (with search), timed and sampled as above:
  - **no-op rebuild**: nothing changed (the build fingerprints what it would read, finds it and
    the output as the last build left them, and stops);
  - **one entry's body edited**: a sentence appended to the body of the middle entry (that entry
    is parsed and validated again, the others' drafts are taken from the store; the files whose
    recorded reads changed are rendered again; this first update after a cold build also makes
    the spare output folder);
  - **the same entry edited again**: another sentence instead: what an editor's later saves
    cost (the spare folder is there, and is updated by its differences);
  - **event template overridden**: a site-level `templates/event.html`, copied from the default
    theme with one word changed ("Sources" to "References"): every page is rendered again;
- the **preview**: `python -m timeline serve --site <corpus> --port <free port>` in a process of
  its own (building into a temporary folder in the work folder). Once it answers `/` (after its
  first build, a cold one) and {settle:g} s more, the middle entry is saved {saves} times, each
  time with another sentence appended to its body. Each save is timed from just before the file
  is written to the first response of the entry's page (`/events/<id>/`, requested over HTTP
  with at most {poll_ms:g} ms between requests) that holds the new sentence: the watcher's
  notice, the rebuild of what changed, the page written and served. {pause:g} s separate a page
  served from the next save (the preview makes the search index in the background after each
  rebuild). A run's number is the median of its {saves} saves; the table gives the median of
  the runs' numbers, and the targets every save. The preview's peak memory is the VmHWM of the
  `timeline serve` process after its saves (not sampled: the sampler would share the cores with
  the saves it times), and apart that of its child processes still alive then.

**In-process** is the build's own time as `timeline build` reports it (its line "built …
(… s)"): without interpreter start, imports and the command line.

This machine is shared with other work, so the times are noisy (see the load average below);
medians damp, but do not remove, that noise.

For where the time goes inside a build, `bench/profile_build.py --n 10000` prints a cProfile
of a cold build and of a one-entry edit.
"""


def document(command: str, jobs: int | None, head: str, tables: str, verdicts: str) -> str:
    preamble = PREAMBLE.format(
        command=command,
        jobs=f" --jobs {jobs}" if jobs else "",
        interval_ms=SAMPLE_INTERVAL * 1000,
        pss_share=PSS_SHARE,
        rebuilds_up_to=REBUILDS_UP_TO,
        saves=SERVE_SAVES,
        settle=SERVE_SETTLE,
        pause=SERVE_PAUSE,
        poll_ms=SERVE_POLL * 1000,
    )
    return (
        f"{preamble}\n## The run\n\n{head}\n\n{tables}\n\n## The targets\n\n"
        "Checked against the medians above (nothing rounded in timeline's favour).\n\n"
        f"{verdicts}\n"
    )


def results_tables(summaries: list[dict[str, Any]]) -> str:
    rebuilt = any("noop" in s for s in summaries)
    return "\n\n".join(
        [
            "### Cold builds",
            cold_table(summaries),
            f"### Rebuilds and the preview (up to {REBUILDS_UP_TO:,} events)",
            rebuild_table(summaries)
            if rebuilt
            else "Not measured: no N of this run is that small.",
            notes(summaries),
        ]
    )


# --- main ----------------------------------------------------------------------------------------


def size(text: str) -> tuple[int, int | None]:
    """`N`, or `N:RUNS` for a number of runs of its own."""
    n, _, runs = text.partition(":")
    try:
        return int(n), int(runs) if runs else None
    except ValueError:
        raise argparse.ArgumentTypeError(f"not N or N:RUNS: {text!r}") from None


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=size, action="append", metavar="N[:RUNS]", help="events (repeatable)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per N (median)")
    parser.add_argument("--jobs", type=int, help="pass --jobs to `timeline build`")
    parser.add_argument("--out", type=Path, help="also write the results here (Markdown)")
    parser.add_argument("--work", type=Path, help="work folder (default: a new temporary one)")
    parser.add_argument("--json", type=Path, help="also write every run's raw numbers here")
    return parser.parse_args()


def check_setup(jobs: int | None) -> None:
    """Stop at once if `timeline build` cannot run here, or has no --jobs when asked for."""
    done = subprocess.run(
        [sys.executable, "-m", "timeline", "build", "--help"], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(
            "`python -m timeline build --help` fails (run with the project's .venv/bin/python):"
            f"\n{done.stderr[-2000:]}"
        )
    if jobs and "--jobs" not in done.stdout:
        raise SystemExit("this `timeline build` has no --jobs option: run without --jobs")


def command_line(args: argparse.Namespace, sizes: list[tuple[int, int | None]]) -> str:
    words = ["python bench/run.py"]
    words += [f"--n {n}" + (f":{runs}" if runs else "") for n, runs in sizes]
    words += [f"--repeat {args.repeat}"]
    words += [f"--jobs {args.jobs}"] if args.jobs else []
    words += [f"--out {args.out}"] if args.out else []
    return " ".join(words)


def main() -> None:
    args = parse_args()
    check_setup(args.jobs)
    sys.path.insert(0, str(BENCH))  # generate.py and hugo_site.py
    sizes = args.n or [(1000, None)]
    hugo = hugo_binary()
    if hugo is None:
        log("Hugo is not available (`pip install hugo`): only timeline is measured")
    work = Path(tempfile.mkdtemp(prefix="timeline-bench-", dir=args.work)).resolve()
    try:
        info = machine(hugo, work)
        info["builds"] = f"`--jobs {args.jobs}`" if args.jobs else "no `--jobs` (its default)"
        start_load = load_average()
        results, stopped = measure_all(args, sizes, work, hugo)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if stopped:
        info["stopped"] = stopped.split("; the end of its output")[0].splitlines()[0]
    if results:
        report(args, command_line(args, sizes), info, start_load, results, hugo)
    if stopped:
        raise SystemExit(f"the benchmark stopped at {stopped}")


def measure_all(
    args: argparse.Namespace, sizes: list[tuple[int, int | None]], work: Path, hugo: Path | None
) -> tuple[list[dict[str, Any]], str]:
    """Every N's runs; if an N stops the benchmark, the results before it and why it stopped."""
    results = []
    for n, runs in sizes:
        try:
            results.append(bench_n(n, runs or args.repeat, work, hugo, args.jobs))
        except SystemExit as stop:
            return results, f"N = {n:,}: {stop}"
    return results, ""


def report(
    args: argparse.Namespace,
    command: str,
    info: dict[str, str],
    start_load: str,
    results: list[dict[str, Any]],
    hugo: Path | None,
) -> None:
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
    tables, verdicts = results_tables(summaries), targets(summaries)
    print(f"{head}\n\n{tables}\n\n{verdicts}")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results}, indent=1))
    if args.out:
        args.out.write_text(document(command, args.jobs, head, tables, verdicts), "utf-8")
        log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
