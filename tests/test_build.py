"""`timeline build`: the URL contract, links, determinism and atomic output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import AROUND_OUTPUT, ROOT, SITES
from htmlwalk import broken_links, parse_html

from timeline.engine.build import build_site
from timeline.engine.scheduler import CHUNK

MINIMAL = SITES / "minimal"
EVENT_PAGE = "events/2024-02-05-second-call/index.html"


def tree(folder: Path, *, search: bool = True) -> dict[str, bytes]:
    """Every file's bytes. Pagefind's index is not byte-reproducible (its file names carry
    hashes that vary between runs), so determinism checks pass search=False to leave it out."""
    files = {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}
    return {
        rel: p.read_bytes() for rel, p in files.items() if search or not rel.startswith("pagefind/")
    }


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("repo") / "output"
    result = build_site(ROOT, out)
    assert result.ok, result.problems
    return out


@pytest.fixture
def minimal_copy(tmp_path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(MINIMAL, site)
    return site


def test_build_py_writes_every_page_of_the_contract(tmp_path, cli):
    out = tmp_path / "out"
    result = cli("build", "--output", str(out))  # the same entry point as `python build.py`
    assert result.returncode == 0, result.stderr
    from timeline.engine.content import check_site

    content = check_site(ROOT).content
    assert content is not None
    assert (out / "index.html").is_file() and (out / "404.html").is_file()
    for event in content.events:
        assert (out / "events" / event.id / "index.html").is_file(), event.id
    years = {e.date.year for e in content.events}
    for year in years:
        page = parse_html((out / "years" / str(year) / "index.html").read_text())
        for event in (e for e in content.events if e.date.year == year):
            assert event.id in page.ids
    for actor in content.actors:
        assert (out / "actors" / actor / "index.html").is_file()
    for topic in content.topics:
        assert (out / "topics" / topic / "index.html").is_file()
    for source in content.sources:
        assert (out / "sources" / source / "index.html").is_file()


def test_python_build_py_runs(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "build.py", "--output", str(out)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert (out / "index.html").is_file()


def test_every_internal_link_resolves(repo_site):
    assert broken_links(repo_site, "https://timeline.example.org/") == []


def test_links_are_relative(repo_site):
    page = parse_html(
        (repo_site / "events" / "2023-12-10-netanyahu-putin-call" / "index.html").read_text()
    )
    internal = [
        link
        for link in page.links()
        if not link.startswith(("http://", "https://", "mailto:", "data:"))
    ]
    assert internal and all(not link.startswith("/") for link in internal)
    canonical = page.find("link", rel="canonical")
    assert (
        canonical[0]["href"]
        == "https://timeline.example.org/events/2023-12-10-netanyahu-putin-call/"
    )


def test_minimal_site_event_page(minimal_copy, tmp_path):
    out = tmp_path / "out"
    assert build_site(minimal_copy, out).ok
    html = (out / "events" / "2023-10-16-first-call" / "index.html").read_text()
    page = parse_html(html)
    assert page.find("html")[0]["lang"] == "en"
    text = " ".join(page.text)
    assert "Leaders of Alphaland and Betaland talk by phone" in text
    assert "16 October 2023" in text
    assert "The two readouts differ on who placed the call." in text  # disputed note
    assert "a frank conversation" in text  # quote
    assert "Corrected the spelling of Beta Town." in text
    assert text.count("Print edition; no headline or address in our copy.") == 1  # inline note
    hrefs = page.links()
    assert "../../actors/alpha/" in hrefs and "../../topics/talks/" in hrefs
    assert "../../events/2023-11-vote/" in hrefs  # related (declared here)
    assert "../../sources/wire-report/" in hrefs
    external = page.find("a", href="https://example.org/news/leaders-talk")
    assert external and all(a.get("rel") == "noopener" for a in external)
    # The related link is shown both ways.
    other = parse_html((out / "events" / "2023-11-vote" / "index.html").read_text())
    assert "../../events/2023-10-16-first-call/" in other.links()
    # Previous/next in the chronology.
    assert other.find("a", rel="prev")[0]["href"] == "../../events/2023-10-16-first-call/"
    assert other.find("a", rel="next")[0]["href"] == "../../events/2024-02-05-second-call/"
    uncertain = " ".join(
        parse_html((out / "events" / "2024-02-05-second-call" / "index.html").read_text()).text
    )
    assert "5 February 2024 (uncertain)" in uncertain
    assert 'The report says only "early February".' in uncertain


def test_user_text_is_marked_dir_auto(minimal_copy, tmp_path):
    out = tmp_path / "out"
    assert build_site(minimal_copy, out).ok
    page = parse_html((out / "events" / "2023-10-16-first-call" / "index.html").read_text())
    assert page.find("h1", dir="auto")
    assert page.find("div", dir="auto")  # the body


def test_year_page_has_month_headings_and_anchors(minimal_copy, tmp_path):
    out = tmp_path / "out"
    assert build_site(minimal_copy, out).ok
    page = parse_html((out / "years" / "2023" / "index.html").read_text())
    assert {"month-10", "month-11", "2023-10-16-first-call", "2023-11-vote"} <= page.ids
    assert page.find("a", href="#month-10")


def test_two_builds_are_byte_identical(minimal_copy, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert build_site(minimal_copy, first).ok
    assert build_site(minimal_copy, second).ok
    assert tree(first, search=False) == tree(second, search=False)
    assert (first / "pagefind" / "2023" / "pagefind.js").is_file()


def test_builds_with_one_or_two_workers_are_byte_identical(tmp_path, cli):
    built = {}
    for jobs in ("1", "2"):
        out = tmp_path / jobs
        done = cli("build", "--site", str(ROOT), "--output", str(out), "--jobs", jobs)
        assert done.returncode == 0, done.stderr
        built[jobs] = tree(out, search=False)
    pages = [path for path in built["1"] if path.endswith(".html")]
    assert len(pages) >= 2 * CHUNK  # enough for the workers to take part
    assert built["1"] == built["2"]


def test_repository_builds_are_byte_identical(repo_site, tmp_path):
    again = tmp_path / "again"
    assert build_site(ROOT, again).ok
    assert tree(repo_site, search=False) == tree(again, search=False)


def test_broken_entry_leaves_previous_output_untouched(minimal_copy, tmp_path, cli):
    out = tmp_path / "out"
    assert cli("build", "--site", str(minimal_copy), "--output", str(out)).returncode == 0
    before = tree(out)
    entry = minimal_copy / "content" / "events" / "2024" / "2024-02-05-second-call.md"
    entry.write_text(entry.read_text().replace("date: 2024-02-05?", "date: 2024-02-30"))
    failed = cli("build", "--site", str(minimal_copy), "--output", str(out))
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert "2024-02-05-second-call.md:3:7: error: date:" in failed.stdout
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == AROUND_OUTPUT  # no staging left


def test_write_failure_midway_keeps_previous_output(minimal_copy, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert build_site(minimal_copy, out).ok
    before = tree(out)
    written = []
    real_write = Path.write_bytes

    def failing_write(self: Path, data: bytes) -> int:
        written.append(self)
        if len(written) == 5:
            raise OSError(28, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    failed = build_site(minimal_copy, out, incremental=False)  # writes every file
    monkeypatch.undo()
    assert not failed.ok
    assert "could not write the site: No space left on device" in failed.problems[-1].message
    assert len(written) == 5
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == AROUND_OUTPUT


def test_output_may_not_replace_the_site(minimal_copy, cli):
    result = cli("build", "--site", str(minimal_copy), "--output", str(minimal_copy))
    assert result.returncode == 2
    assert (minimal_copy / "site.yaml").is_file()


def test_base_url_override(minimal_copy, tmp_path, cli):
    out = tmp_path / "out"
    result = cli(
        "build",
        "--site",
        str(minimal_copy),
        "--output",
        str(out),
        "--base-url",
        "https://news.example/x",
    )
    assert result.returncode == 0
    page = parse_html((out / "index.html").read_text())
    assert page.find("link", rel="canonical")[0]["href"] == "https://news.example/x/"


def test_explain_names_each_file_made_again_and_why(minimal_copy, tmp_path, cli):
    out = tmp_path / "out"
    first = cli("build", "--site", str(minimal_copy), "--output", str(out), "--explain")
    assert first.returncode == 0
    assert "made events/2023-11-vote/index.html: it is new" in first.stderr
    entry = minimal_copy / "content/events/2024/2024-02-05-second-call.md"
    entry.write_text(entry.read_text() + "\nOne more sentence.\n")
    again = cli("build", "--site", str(minimal_copy), "--output", str(out), "--explain")
    assert again.returncode == 0
    made = sorted(line for line in again.stderr.splitlines() if line.startswith("made "))
    why = "it read timeline.entry['2024-02-05-second-call']"
    assert made == [
        f"made events.ics: {why}, which changed",
        f"made events.json: {why}, which changed",
        f"made events/2024-02-05-second-call/index.html: {why}['body'], which changed",
    ]


def test_no_search_skips_the_index_and_the_next_build_catches_up(minimal_copy, tmp_path, cli):
    out = tmp_path / "out"
    assert cli("build", "--site", str(minimal_copy), "--output", str(out)).returncode == 0
    shard = out / "pagefind" / "2024"
    index = sorted(p.name for p in shard.rglob("*"))
    entry = minimal_copy / "content/events/2024/2024-02-05-second-call.md"
    entry.write_text(entry.read_text().replace("title: ", "title: Unsearched ", 1))
    quick = cli("build", "--site", str(minimal_copy), "--output", str(out), "--no-search")
    assert quick.returncode == 0 and "Unsearched" in (out / EVENT_PAGE).read_text()
    assert sorted(p.name for p in shard.rglob("*")) == index  # left as it was
    again = cli("build", "--site", str(minimal_copy), "--output", str(out))
    assert again.returncode == 0
    assert sorted(p.name for p in shard.rglob("*")) != index  # made for the edit
