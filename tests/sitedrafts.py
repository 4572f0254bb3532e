"""The sites the validation tests run on, and the drafts of their files made as a build would:
from each file's path and bytes alone."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, SITES

from timeline.load.files import LoadedSite, display_path, list_event_files, load_site
from timeline.problems import Problem
from timeline.validate.drafts import EntryDraft, SourceDraft
from timeline.validate.files import read_entry, read_source

EV = "content/events/2023/"
CITED = "sources:\n  - ref: wire-report\n"

# Files added to a copy of the minimal site: what crosses files (ids claimed twice, references,
# probable duplicates, uncited and twin sources) and what is a warning, which the fixture sites
# and the hostile cases barely reach.
CROSS_FILES = {
    EV + "a1.yaml": "title: Council votes on the draft\ndate: 2023-11-05\nsummary: S.\n" + CITED,
    EV + "a2.yaml": "title: Council vote on the draft\ndate: 2023-11-05\nsummary: S.\n" + CITED,
    EV + "a3.yaml": "title: Other\ndate: 2023-11-05T10:00+02:00\nsummary: S.\n"
    "sources:\n  - publisher: Q\n    url: https://example.org/news/leaders-talk\n",
    EV + "a4.yaml": "title: Council votes on the draft\ndate: 2023-11-05\nsummary: TODO\n"
    "related: [a1]\n" + CITED,
    EV + "b1.yaml": "id: same\ntitle: B1\ndate: 2023-01-01\nsummary: S.\naliases: [old-b, b2]\n"
    + CITED,
    EV + "b2.yaml": "id: same\ntitle: B2\ndate: 2023-01-02\nsummary: S.\naliases: [old-b, same]\n"
    + CITED,
    EV + "b3.md": "---\nid: same\ntitle: B3\ndate: 2023-01-03\nsummary: S.\n" + CITED + "---\nB.\n",
    EV + "b4.yaml": "title: B4\ndate: 2023-01-04\nsummary: S.\naliases: [b4, Bad, ok-b4]\n" + CITED,
    EV + "c1.yaml": "title: C1\ndate: 2023-02-01\nsummary: S.\nrelated: [BAD, c1, c2x, 7]\n"
    + CITED,
    EV + "c2.yaml": "title: C2\ndate: 2023-02-02\nsummary: S.\nrelated: [c2]\n"
    "actors: [alpha, alpah, 3]\ntopics: [talk]\n" + CITED,
    EV + "d1.yaml": "title: D1\ndate: 2030-01-01\nend: 2031\nupdated: 2032-05~\nsummary: S.\n"
    "sources:\n  - publisher: P\n    url: ftp://x\n    date: 2023-13\n  - ref: wire-reprot\n"
    "  - ref: wire-report\n    quote: q\n"
    "corrections:\n  - date: 2023-02-30\n    note: n\n  - date: 2023-03-01\n    note: ok\n",
    EV + "d2.yaml": "title: D2\ndate: 2023-05-05\nend: 2023-05-01\nsummary: TODO later\n" + CITED,
    EV + "e1.yaml": "- a\n- b\n",
    EV + "e2.md": "---\ntitle: E2\ndate: 2023-06-01\nsummary: S.\nbody: x\n" + CITED + "---\nB\n",
    EV + "e3.yaml": "title: E3\ndate: 2023-06-02\nsummary: S.\nsummary: T.\nrelated: [e1, e2]\n"
    + CITED,
    EV + "e4.yaml": "title: [x\n",
    "content/sources/Bad Name.yaml": "publisher: P\ntitle: T\n",
    "content/sources/broken-src.yaml": "publisher: P\nurl: javascript:alert(1)\n",
    "content/sources/twin.yaml": "publisher: Twin A\ntitle: T\n",
    "content/sources/twin.yml": "publisher: Twin B\ntitle: T\n",
    "content/sources/spare.yaml": "publisher: TODO\ntitle: T\n",
    EV + "f1.yaml": "title: F1\ndate: 2023-07-01\nsummary: S.\n"
    "sources:\n  - ref: twin\n  - ref: broken-src\n  - ref: Bad Name\n",
}
# Only warnings: a valid site with probable duplicates, an uncited source and placeholders.
WARNING_FILES = {
    path: text
    for path, text in CROSS_FILES.items()
    if path.split("/")[-1].split(".")[0] in ("a1", "a2", "a3", "a4", "spare")
}


def cross_file_site(tmp_path: Path, files: dict[str, str]) -> Path:
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site)
    for path, text in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text)
    return site


SITE_NAMES = ["minimal", "broken", "repository", "cross-files", "warnings"]


def make_named_site(name: str, tmp_path: Path) -> Path:
    if name == "repository":
        return ROOT
    if name == "cross-files":
        return cross_file_site(tmp_path, CROSS_FILES)
    if name == "warnings":
        return cross_file_site(tmp_path, WARNING_FILES)
    return SITES / name


def hostile_site(name: str, tmp_path: Path) -> Path:
    from test_hostile import SPEC, make_site

    return make_site(tmp_path, name, SPEC[name])


def hostile_names() -> list[str]:
    from test_hostile import SPEC

    return list(SPEC)


@dataclass
class Drafted:
    loaded: LoadedSite
    entries: list[EntryDraft]
    sources: list[SourceDraft]
    problems: list[Problem]  # of loading, in no draft


def source_files(root: Path) -> list[Path]:
    """The files `load_site` reads as records of the source register."""
    folder = root / "content" / "sources"
    if not folder.is_dir():
        return []
    return [
        file
        for file in sorted(folder.iterdir())
        if not file.name.startswith(".") and file.is_file() and file.suffix in (".yaml", ".yml")
    ]


def drafted(root: Path) -> Drafted:
    """Each entry and source file drafted from its bytes alone, as a build keeping drafts would."""
    loaded = load_site(root)
    entries = [
        read_entry(display_path(root, file), file.read_bytes())
        for file in list_event_files(root)[0]
    ]
    sources = [
        read_source(display_path(root, file), file.read_bytes()) for file in source_files(root)
    ]
    paths = {draft.path for draft in [*entries, *sources]}
    problems = [problem for problem in loaded.problems if problem.file not in paths]
    return Drafted(loaded, entries, sources, problems)


def site_params() -> list[object]:
    return [
        *(pytest.param(("site", name), id=name) for name in SITE_NAMES),
        *(pytest.param(("hostile", name), id=f"hostile-{name}") for name in hostile_names()),
    ]


def make_any_site(param: tuple[str, str], tmp_path: Path) -> Path:
    kind, name = param
    return make_named_site(name, tmp_path) if kind == "site" else hostile_site(name, tmp_path)
