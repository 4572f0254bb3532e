"""What the version pages cost: N entries with 3 committed versions each, cold and after one edit.

    .venv/bin/python bench/versions.py --n 300 --runs 1                 # a quick look
    .venv/bin/python bench/versions.py --n 10000 --runs 3 --out docs/benchmarks.md

The corpus is bench/generate.py's (seeded, N events). It is made a git repository (the site root)
with three commits, each with its own fixed author and committer date, so every entry has three
versions: commit 1 adds the whole corpus; commit 2 appends one sentence (APPENDED) to the
Markdown body of every entry; commit 3 changes one word of every entry's body (the first
lower-case "the" becomes "this"; the appended sentence holds one, so every body has it). A copy
of the same final corpus without `.git` is the baseline: the same content, no history, so no
version pages and no changes/ page or feed.

Each run then does, one process after the other, in this order:

1. with versions, cold: `python -m timeline build --site <git corpus> --output <fresh folder>
   --clean --no-search`, the output folder and its store (`.<name>.timeline` beside it) removed
   first;
2. baseline, cold: the same on the copy without history;
3. with versions, one edit: one word of the middle entry (by sorted path) changes ("this"
   becomes "that"), the change is committed (a fourth version of that entry), then the same
   command without `--clean`, with `--explain`, into build 1's output;
4. baseline, one edit: the same word change (no commit) on the copy, rebuilt into build 2's
   output.

Before each run the git corpus is reset to commit 3 and the copy's edited file restored, so every
run measures the same builds (the fourth commit has fixed dates and message, so the same id).
A time is the wall time of the whole process, interpreter start to exit, measured by this script
around it. The files made again by a rebuild are its `made <path>: <why>` lines (`--explain`),
those with `/v/` in their path being version pages. Peak memory is GNU time's (`/usr/bin/time
-v`) maximum resident set size: that of the largest single process of the build (wait4's
ru_maxrss), not the sum over its forked workers; without /usr/bin/time, this script's
RUSAGE_CHILDREN ru_maxrss after the build stands in (the largest child so far, so only an
upper bound), and the results say which. Sizes are the bytes of the files (each inode once),
1 MB = 10⁶ bytes. Times and sizes are the medians of the runs; peaks the largest of the runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from report import code_state, machine, update, wrap

ROOT = Path(__file__).resolve().parents[1]
TITLE = "## Versions: the cost at 10,000 entries × 3 versions"
APPENDED = "Officials later confirmed the account in a written statement."
COMMIT_WORD = (re.compile(r"\bthe\b"), "this")  # commit 3, in every entry's body
EDIT_WORD = (re.compile(r"\bthis\b"), "that")  # the one edit, in the middle entry's body
DATES = {
    1: "2025-01-10T12:00:00+00:00",
    2: "2025-02-10T12:00:00+00:00",
    3: "2025-03-10T12:00:00+00:00",
    4: "2025-04-10T12:00:00+00:00",
}
MESSAGES = {
    1: "Add the chronology",
    2: "Add a sentence to every entry",
    3: "Change one word of every entry",
    4: "Change one word of one entry",
}
BUILT = re.compile(r"built (\d+) pages \((\d+) unchanged\)")
GNU_TIME = Path("/usr/bin/time")
Run = dict[str, Any]


# --- the corpora ---------------------------------------------------------------------------------


def git(repo: Path, *args: str, date: str | None = None) -> str:
    """git in `repo`, as a fixed user, never signing; `date` fixes the commit's dates."""
    env = {**os.environ, "LC_ALL": "C"}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    command = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    command += ["-c", "commit.gpgsign=false", *args]
    result = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"git {' '.join(args)} failed in {repo}:\n{result.stderr}")
    return result.stdout.strip()


def commit(repo: Path, number: int) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", MESSAGES[number], date=DATES[number])
    return git(repo, "rev-parse", "HEAD")


def split_entry(text: str) -> tuple[str, str]:
    """An entry's front matter (with its closing `---` line) and its Markdown body."""
    end = text.index("\n---\n", 3) + len("\n---\n")
    return text[:end], text[end:]


def append_sentence(text: str) -> str:
    front, body = split_entry(text)
    return f"{front}{body.rstrip()} {APPENDED}\n"


def change_word(text: str, word: tuple[re.Pattern[str], str]) -> str:
    front, body = split_entry(text)
    pattern, new = word
    changed = pattern.sub(new, body, count=1)
    if changed == body:
        raise SystemExit(f"no {pattern.pattern!r} in a body to change")
    return front + changed


def entries(site: Path) -> list[Path]:
    return sorted((site / "content" / "events").rglob("*.md"))


def rewrite(files: list[Path], change: Callable[[str], str]) -> None:
    for path in files:
        path.write_text(change(path.read_text("utf-8")), "utf-8")


def make_corpora(n: int, work: Path) -> tuple[Path, Path, str]:
    """The git corpus (three commits), its copy without `.git`, and commit 3's id."""
    site = work / "corpus-git"
    generate = [sys.executable, str(ROOT / "bench" / "generate.py"), "--n", str(n)]
    subprocess.run([*generate, "--out", str(site)], check=True)
    git(site, "init", "-q", "-b", "main")
    commit(site, 1)
    files = entries(site)
    rewrite(files, append_sentence)
    commit(site, 2)
    rewrite(files, lambda text: change_word(text, COMMIT_WORD))
    third = commit(site, 3)
    baseline = work / "corpus-plain"
    shutil.rmtree(baseline, ignore_errors=True)
    shutil.copytree(site, baseline, ignore=shutil.ignore_patterns(".git"))
    return site, baseline, third


# --- measuring a build ---------------------------------------------------------------------------


def remove_output(output: Path) -> None:
    """The output folder and the build's records beside it (`.<name>.timeline`, any staging)."""
    shutil.rmtree(output, ignore_errors=True)
    for leftover in output.parent.glob(f".{output.name}*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink()


def build(site: Path, output: Path, work: Path, *, clean: bool) -> Run:
    """One `timeline build --no-search` (cold with `clean`, else a rebuild with `--explain`):
    wall time, peak RSS, pages, and the files it made again."""
    command = [sys.executable, "-m", "timeline", "build", "--site", str(site)]
    command += ["--output", str(output), "--no-search"]
    command += ["--clean"] if clean else ["--explain"]
    peak_file = work / "time-v.txt"
    if GNU_TIME.exists():
        command = [str(GNU_TIME), "-v", "-o", str(peak_file), *command]
    env = {**os.environ, "TMPDIR": str(work), "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"build failed ({' '.join(command)}):\n{result.stderr[-3000:]}")
    made = [line[5:] for line in result.stderr.splitlines() if line.startswith("made ")]
    built = BUILT.search(result.stderr)
    return {
        "seconds": seconds,
        "peak_kb": peak_kb(peak_file),
        "pages": int(built[1]) if built else None,
        "reused": int(built[2]) if built else None,
        "made": made,
        "made_v": sum("/v/" in line.split(": ", 1)[0] for line in made),
        "no_history": "the version pages are left out" in result.stderr,
    }


def peak_kb(peak_file: Path) -> int:
    """GNU time's maximum resident set size; else RUSAGE_CHILDREN's (the largest child yet)."""
    if GNU_TIME.exists():
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", peak_file.read_text())
        if found:
            return int(found[1])
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def tree_bytes(paths: list[Path]) -> int:
    """The bytes of the files, each inode once."""
    seen: dict[tuple[int, int], int] = {}
    for path in paths:
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            seen[(stat.st_dev, stat.st_ino)] = stat.st_size
    return sum(seen.values())


def sizes(output: Path) -> Run:
    pages = list(output.glob("events/*/v/*/index.html"))
    return {
        "output_bytes": tree_bytes(list(output.rglob("*"))),
        "store_bytes": tree_bytes(list(output.parent.glob(f".{output.name}.timeline/**/*"))),
        "version_pages": len(pages),
        "version_bytes": tree_bytes(pages),
    }


# --- one run ---------------------------------------------------------------------------------


def one_run(site: Path, baseline: Path, third: str, work: Path) -> Run:
    """The four builds of one run (the corpora first put back as they were)."""
    git(site, "reset", "-q", "--hard", third)
    middle = entries(site)[len(entries(site)) // 2]
    plain_middle = baseline / middle.relative_to(site)
    plain_middle.write_bytes(middle.read_bytes())
    out_git, out_plain = work / "out-versions", work / "out-plain"
    for output in (out_git, out_plain):
        remove_output(output)
    run: Run = {"cold_git": build(site, out_git, work, clean=True)}
    run["cold_git"] |= sizes(out_git)
    run["cold_plain"] = build(baseline, out_plain, work, clean=True)
    run["cold_plain"] |= sizes(out_plain)
    check_history(run)
    for path in (middle, plain_middle):
        rewrite([path], lambda text: change_word(text, EDIT_WORD))
    commit(site, 4)
    run["edit_git"] = build(site, out_git, work, clean=False)
    run["edit_plain"] = build(baseline, out_plain, work, clean=False)
    run["entry"] = str(middle.relative_to(site))
    return run


def check_history(run: Run) -> None:
    """The git corpus has version pages and the copy none, or the comparison means nothing."""
    if run["cold_git"]["no_history"] or not run["cold_git"]["version_pages"]:
        raise SystemExit("the git corpus's build made no version pages")
    if run["cold_plain"]["version_pages"]:
        raise SystemExit("the copy without history has version pages")


# --- the results ---------------------------------------------------------------------------------


def median(runs: list[Run], build_name: str, key: str) -> float:
    return statistics.median(run[build_name][key] for run in runs)


def secs(value: float) -> str:
    return f"{value:.2f} s"


def mb(n_bytes: float) -> str:
    return f"{n_bytes / 1e6:,.1f} MB"


def medians_table(runs: list[Run]) -> str:
    def m(build_name: str, key: str) -> float:
        return median(runs, build_name, key)

    cold_g, cold_p = m("cold_git", "seconds"), m("cold_plain", "seconds")
    edit_g, edit_p = m("edit_git", "seconds"), m("edit_plain", "seconds")
    peak_g = max(run["cold_git"]["peak_kb"] for run in runs) * 1024
    peak_p = max(run["cold_plain"]["peak_kb"] for run in runs) * 1024
    out_g, out_p = m("cold_git", "output_bytes"), m("cold_plain", "output_bytes")
    store_g, store_p = m("cold_git", "store_bytes"), m("cold_plain", "store_bytes")
    rows = [
        ("cold build (`--clean --no-search`)", secs(cold_g), secs(cold_p), cold_g - cold_p,
         cold_g / cold_p, secs),
        ("one edit (`--no-search --explain`)", secs(edit_g), secs(edit_p), edit_g - edit_p,
         edit_g / edit_p, secs),
        ("pages built (cold)", f"{m('cold_git', 'pages'):,.0f}", f"{m('cold_plain', 'pages'):,.0f}",
         None, None, None),
        ("output size (cold)", mb(out_g), mb(out_p), out_g - out_p, out_g / out_p, mb),
        ("the store beside it", mb(store_g), mb(store_p), store_g - store_p, store_g / store_p, mb),
        ("peak RSS, cold (largest of the runs)", mb(peak_g), mb(peak_p), peak_g - peak_p,
         peak_g / peak_p, mb),
    ]  # fmt: skip
    lines = ["| | with versions | without | difference | ratio |", "|---|---:|---:|---:|---:|"]
    for name, with_v, without, diff, ratio, unit in rows:
        diff_text = "" if diff is None or unit is None else ("+" if diff >= 0 else "") + unit(diff)
        ratio_text = "" if ratio is None else f"{ratio:.2f}×"
        lines.append(f"| {name} | {with_v} | {without} | {diff_text} | {ratio_text} |")
    return "\n".join(lines)


def counts_table(runs: list[Run]) -> str:
    def m(build_name: str, key: str) -> float:
        return median(runs, build_name, key)

    made_g = statistics.median(len(run["edit_git"]["made"]) for run in runs)
    made_p = statistics.median(len(run["edit_plain"]["made"]) for run in runs)
    return "\n".join(
        [
            "| | median |",
            "|---|---:|",
            "| version pages (`events/*/v/*/index.html`) | "
            f"{m('cold_git', 'version_pages'):,.0f} |",
            f"| their bytes | {mb(m('cold_git', 'version_bytes'))} |",
            f"| files made by the edit, with versions | {made_g:,.0f} |",
            f"| … of which version pages (`/v/`) | {m('edit_git', 'made_v'):,.0f} |",
            f"| files made by the edit, without versions | {made_p:,.0f} |",
        ]
    )


def runs_table(runs: list[Run]) -> str:
    lines = [
        "| run | cold with | cold without | ratio | edit with | made (/v/) | edit without | made "
        "| peak with | peak without |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for i, run in enumerate(runs, 1):
        cg, cp, eg, ep = (run[k] for k in ("cold_git", "cold_plain", "edit_git", "edit_plain"))
        lines.append(
            f"| {i} | {secs(cg['seconds'])} | {secs(cp['seconds'])} | "
            f"{cg['seconds'] / cp['seconds']:.2f}× | {secs(eg['seconds'])} | "
            f"{len(eg['made'])} ({eg['made_v']}) | {secs(ep['seconds'])} | {len(ep['made'])} | "
            f"{mb(cg['peak_kb'] * 1024)} | {mb(cp['peak_kb'] * 1024)} |"
        )
    return "\n".join(lines)


def made_list(made: list[str], limit: int = 30) -> str:
    shown = [f"  - `{line.split(': ', 1)[0]}`: {line.split(': ', 1)[-1]}" for line in made[:limit]]
    if len(made) > limit:
        shown.append(f"  - … and {len(made) - limit} more")
    return "\n".join(shown) or "  - (none)"


def method(n: int, count: int) -> str:
    peak = (
        "GNU time's (`/usr/bin/time -v`) maximum resident set size, that of the largest single "
        "process of the build (the main process or one forked worker), not a sum over them"
        if GNU_TIME.exists()
        else "`getrusage(RUSAGE_CHILDREN).ru_maxrss` after each build (the largest child so "
        "far: an upper bound)"
    )
    return (
        f"**Method.** `bench/generate.py --n {n}` (seeded) makes the corpus, which "
        "`bench/versions.py` turns into a git repository of three commits (fixed dates): all "
        "entries added; one sentence appended to every entry's body; one word of every body "
        "changed. So every entry has 3 versions. The baseline is a copy of the same final "
        "corpus without `.git` (no history: no version pages, no changes page or feed). Each "
        f"{'run' if count == 1 else f'of the {count} runs'} does, one process after the other: "
        "a cold build of each "
        "(`--clean --no-search`, output folder and store removed first), then one word of the "
        "middle entry (by sorted path) changed, committed in the git corpus (its 4th version), "
        "not committed in the copy, and each rebuilt into its cold output (`--no-search "
        "--explain`). A time is the wall time of the whole process (interpreter start to exit). "
        f"Files made are the `made` lines of `--explain`. Peak memory is {peak}. Times, counts "
        "and sizes are medians of the runs, peaks the largest; 1 MB = 10⁶ bytes."
    )


def provenance(n: int, runs: int, start: Run, end: Run) -> str:
    same = start["head"] == end["head"] and start["code"] == end["code"]
    code = f"commit `{start['head']}`, code hash `{start['code']}` ({{}})".format(
        "the same at the end"
        if same
        else f"**changed during the run**: commit `{end['head']}`, code hash `{end['code']}` "
        "at the end"
    )
    return wrap(
        f"Measured by `bench/versions.py --n {n} --runs {runs}` on "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; timeline at {code}; {machine()}; load "
        f"average (1, 5, 15 min) {start['load']} at the start, {end['load']} at the end."
    )


def section(n: int, runs: list[Run], start: Run, end: Run) -> str:
    last = runs[-1]
    return "\n\n".join(
        [
            TITLE,
            provenance(n, len(runs), start, end),
            wrap(method(n, len(runs))),
            f"**Medians** ({n:,} entries; {len(runs)} run{'' if len(runs) == 1 else 's'}):",
            medians_table(runs),
            counts_table(runs),
            wrap(
                "**Each run** (times in seconds of wall time; made: files made by the edit, and "
                "in brackets how many were version pages; peak: RSS of the cold builds):"
            ),
            runs_table(runs),
            f"What the last run's edit (of `{last['entry']}`) made again, with versions:\n\n"
            + made_list(last["edit_git"]["made"]),
            "and without versions:\n\n" + made_list(last["edit_plain"]["made"]),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000, help="entries (default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs; medians reported (default 3)")
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--out", type=Path, help="the benchmarks page whose section to update")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-versions-"))
    work = work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    log(f"work folder {work}; generating {args.n} entries and three commits")
    start = code_state()
    site, baseline, third = make_corpora(args.n, work)
    runs = []
    for i in range(1, args.runs + 1):
        runs.append(one_run(site, baseline, third, work))
        r = runs[-1]
        log(
            f"run {i}: cold {r['cold_git']['seconds']:.2f} s with versions, "
            f"{r['cold_plain']['seconds']:.2f} s without; edit {r['edit_git']['seconds']:.2f} s "
            f"({len(r['edit_git']['made'])} made), {r['edit_plain']['seconds']:.2f} s "
            f"({len(r['edit_plain']['made'])} made)"
        )
    text = section(args.n, runs, start, code_state())
    print(text)
    if args.out:
        update(args.out, TITLE, text)
        log(f"updated {args.out}")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


def log(message: str) -> None:
    print(f"[versions] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
