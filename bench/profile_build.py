"""Where a build's time goes: cProfile of a cold build and of a one-entry edit.

    .venv/bin/python bench/profile_build.py --n 10000
    .venv/bin/python bench/profile_build.py --site /tmp/corpus --top 25 --save /tmp/profiles

Makes the corpus of bench/generate.py (or takes --site), builds it cold into a temporary folder
under cProfile, appends a sentence to the middle entry's body, rebuilds (incrementally) under
cProfile, and undoes the edit. Both builds skip the search step (`search=False`): Pagefind is a
separate process, timed by bench/run.py. Prints the top functions by cumulative and by own time;
with --save, also writes the .prof files (for snakeviz or `python -m pstats`).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def report(profile: cProfile.Profile, title: str, top: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    total = sum(t for _, _, t, _, _ in stats.stats.values())  # type: ignore[attr-defined]
    out.write(f"=== {title}: {total:.2f} s of Python (own time, summed) ===\n")
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--site", type=Path, help="an existing site instead of a new corpus")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--save", type=Path, help="write cold.prof and entry.prof here")
    args = parser.parse_args()

    from timeline.engine.build import build_site

    work = Path(tempfile.mkdtemp(prefix="timeline-profile-"))
    try:
        site = args.site
        if site is None:
            sys.path.insert(0, str(BENCH))
            from generate import generate

            site = work / "corpus"
            generate(args.n, site)
        output = work / "out"
        profiles = {}
        cold = cProfile.Profile()
        result = cold.runcall(build_site, site, output, search=False, incremental=False)
        if not result.ok:
            raise SystemExit("the site does not build: run `timeline check`")
        profiles["cold"] = cold
        print(report(cold, f"cold build, {result.pages} pages, {result.seconds:.2f} s", args.top))
        entries = sorted((site / "content" / "events").rglob("*.md"))
        entry = entries[len(entries) // 2]
        original = entry.read_bytes()
        entry.write_bytes(original + b"\n\nEdited for the benchmark.\n")
        try:
            edit = cProfile.Profile()
            result = edit.runcall(build_site, site, output, search=False)
        finally:
            entry.write_bytes(original)
        profiles["entry"] = edit
        title = f"one-entry edit, {result.reused} of {result.pages} pages reused, "
        print(report(edit, title + f"{result.seconds:.2f} s", args.top))
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            for name, profile in profiles.items():
                profile.dump_stats(args.save / f"{name}.prof")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
