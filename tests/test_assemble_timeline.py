"""assemble/timeline.py: each entry's independent origins. A wire story carried by several
sites counts once; `republishes:` is followed to the report that republishes nothing, and
checked (no loop; a name close to a record's id is probably that record)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SITES

from timeline.assemble.timeline import assemble
from timeline.engine.build import build_site
from timeline.engine.content import check_site

SOURCES = Path("content/sources")
RECORDS = {
    "reuters-story": "publisher: Reuters\ntitle: A story\nurl: https://example.org/r\ntype: wire\n",
    "today-copy": "publisher: TODAY\nurl: https://example.org/t\nrepublishes: reuters-story\n",
    "arabiya-copy": "publisher: Al Arabiya\nurl: https://example.org/a\nrepublishes: today-copy\n",
    "tass-copy": "publisher: Site A\nurl: https://example.org/ta\nrepublishes: TASS\n",
    "other-tass-copy": "publisher: Site B\nurl: https://example.org/tb\nrepublishes: tass\n",
    "own-report": "publisher: A paper\nurl: https://example.org/p\n",
}


@pytest.fixture
def site(tmp_path) -> Path:
    site = Path(shutil.copytree(SITES / "minimal", tmp_path / "site"))
    for key, text in RECORDS.items():
        (site / SOURCES / f"{key}.yaml").write_text(text)
    entry = site / "content/events/2023/2023-10-16-first-call.md"
    cited = "".join(f"  - ref: {key}\n" for key in RECORDS)
    entry.write_text(entry.read_text().replace("sources:\n", "sources:\n" + cited, 1))
    return site


def test_copies_of_one_report_count_once(site):
    checked = check_site(site)
    assert checked.problems == []
    timeline = assemble(checked.content)
    assert timeline.origins["2023-10-16-first-call"] == (
        "reuters-story",  # itself, TODAY's copy and Al Arabiya's copy of TODAY's
        "agency:tass",  # two sites carrying TASS, however they spell it
        "own-report",
        "wire-report",
        "2023-10-16-first-call#8",  # a source written in the entry counts alone
    )
    assert timeline.origins["2023-11-vote"] == ("wire-report",)


def test_the_entry_says_how_many_origins_and_lists_mark_a_single_one(site, tmp_path):
    out = tmp_path / "out"
    assert build_site(site, out).ok
    page = (out / "events/2023-10-16-first-call/index.html").read_text()
    assert "They go back to 5 independent origins (copies of one report count once)." in page
    year = (out / "years/2023/index.html").read_text()
    call, vote = year.split('id="2023-11-vote"')
    assert 'class="single-origin"' not in call.split('id="2023-10-16-first-call"')[1]
    assert '<p class="single-origin">Single origin</p>' in vote


def problems_of(cli, site: Path) -> list[tuple[str, int, str, str]]:
    found = json.loads(cli("check", "--site", str(site), "--format", "json").stdout)
    return [(p["file"], p["line"], p["severity"], p["message"]) for p in found]


def test_a_loop_of_copies_is_refused(site, cli):
    original = site / SOURCES / "reuters-story.yaml"
    original.write_text(original.read_text() + "republishes: arabiya-copy\n")
    loop = "reuters-story → arabiya-copy → today-copy → reuters-story"
    assert problems_of(cli, site) == [
        (
            "content/sources/arabiya-copy.yaml",
            3,
            "error",
            "republishes goes round in a loop: "
            "arabiya-copy → today-copy → reuters-story → arabiya-copy",
        ),
        (
            "content/sources/reuters-story.yaml",
            5,
            "error",
            f"republishes goes round in a loop: {loop}",
        ),
        (
            "content/sources/today-copy.yaml",
            3,
            "error",
            "republishes goes round in a loop: "
            "today-copy → reuters-story → arabiya-copy → today-copy",
        ),
    ]


def test_a_name_close_to_a_records_id_is_probably_that_record(site, cli):
    copy = site / SOURCES / "today-copy.yaml"
    copy.write_text(copy.read_text().replace("reuters-story", "reuters-stroy"))
    found = json.loads(cli("check", "--site", str(site), "--format", "json").stdout)
    assert [(p["line"], p["severity"], p["message"], p["hint"]) for p in found] == [
        (
            3,
            "warning",
            "`reuters-stroy` is no record: it is read as an agency's name",
            "did you mean `reuters-story`?",
        )
    ]
