"""Where a build's time goes: cProfile of a cold build and of a one-entry edit.

    .venv/bin/python bench/profile_build.py --n 10000
    .venv/bin/python bench/profile_build.py --site /tmp/corpus --top 25 --save /tmp/profiles
    .venv/bin/python bench/profile_build.py --n 10000 --preview

Makes the corpus of bench/generate.py (or takes --site), builds it cold into a temporary folder
under cProfile, appends a sentence to the middle entry's body, rebuilds (incrementally) under
cProfile, and undoes the edit. Both builds skip the search step (`search=False`): Pagefind is a
separate process, timed by bench/run.py. Prints the top functions by cumulative and by own time;
with --save, also writes the .prof files (for snakeviz or `python -m pstats`).

With --preview, the builds are those of `timeline serve`: one session kept in memory, a cold
build, then PREVIEW_SAVES saves of the middle entry, each built as the preview's watcher reports
it (`changed=[path]`) with the session settled between them; it prints each save's build time
(unprofiled), then the profile of the same number of saves.
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
PREVIEW_SAVES = 5


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
    parser.add_argument("--preview", action="store_true", help="the preview's kept session")
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
        if args.preview:
            profile_preview(site, output, args.top)
            return
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


def profile_preview(site: Path, output: Path, top: int) -> None:
    from timeline.engine.build import Session
    from timeline.engine.settings import read_settings

    session = Session(site, output, kept=True)
    settings = read_settings(search=False)
    cold = session.build(settings)
    if not cold.ok:
        raise SystemExit("the site does not build: run `timeline check`")
    session.settle()
    print(f"cold build in the session: {cold.seconds:.2f} s")
    entries = sorted((site / "content" / "events").rglob("*.md"))
    entry = entries[len(entries) // 2]
    original = entry.read_bytes()
    changed = [entry.relative_to(site).as_posix()]
    profile = cProfile.Profile()
    try:
        for number in range(2 * PREVIEW_SAVES):
            entry.write_bytes(original + f"\n\nSaved {number} times.\n".encode())
            if number < PREVIEW_SAVES:
                result = session.build(settings, changed=changed)
            else:
                result = profile.runcall(session.build, settings, changed=changed)
            session.settle()
            made = len(result.remade)
            print(f"save {number + 1}: {result.seconds * 1000:.0f} ms, {made} files made")
    finally:
        entry.write_bytes(original)
    print(report(profile, f"{PREVIEW_SAVES} saves in the preview's session", top))


if __name__ == "__main__":
    main()
