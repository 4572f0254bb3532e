"""Incremental builds are exact: after each kind of change, the output equals a full build."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import AROUND_OUTPUT, ROOT, SITES

from timeline.engine import build, graph
from timeline.engine.build import build_site
from timeline.engine.store import store_folder
from timeline.write import output

EVENTS = Path("content/events")


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (-> bytes) and folder (-> None) under `folder`, but Pagefind's index, which is
    not byte-reproducible; everything else must match exactly, empty folders included."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
        if not p.relative_to(folder).as_posix().startswith("pagefind/")
    }


@pytest.fixture
def built(tmp_path) -> tuple[Path, Path]:
    """A copy of the minimal site, built once into tmp/out: (site, output)."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site)
    out = tmp_path / "out"
    first = build_site(site, out)
    assert first.ok and first.reused == 0
    return site, out


def inodes(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def assert_same_as_full_build(site: Path, out: Path, scratch: Path) -> None:
    """A full build of `site` (no cache) into `scratch` gives exactly the files of `out`."""
    full = build_site(site, scratch / "full", incremental=False)
    assert full.ok and full.reused == 0
    assert tree(out) == tree(scratch / "full")


def edit_title(site: Path) -> None:
    entry = site / EVENTS / "2023/2023-11-vote.yaml"
    entry.write_text(
        entry.read_text().replace("Council votes on a draft", "Council rejects a draft")
    )


def add_entry(site: Path) -> None:
    (site / EVENTS / "2023/2023-12-01-new.md").write_text(
        "---\ntitle: A new entry\ndate: 2023-12-01\nsummary: Added later.\nactors: [beta]\n"
        "related: [2023-11-vote]\nsources:\n  - ref: wire-report\n---\nNew body.\n"
    )


def rename_entry(site: Path) -> None:
    old = site / EVENTS / "2024/2024-02-05-second-call.md"
    text = old.read_text().replace("title:", "aliases: [2024-02-05-second-call]\ntitle:", 1)
    old.unlink()
    (site / EVENTS / "2024/2024-02-05-renamed-call.md").write_text(text)


def delete_entry(site: Path) -> None:
    (site / EVENTS / "2023/2023-10-16-first-call.md").unlink()


def edit_body(site: Path) -> None:
    entry = site / EVENTS / "2024/2024-02-05-second-call.md"
    entry.write_text(entry.read_text() + "\nA sentence added to the body.\n")


def edit_source(site: Path) -> None:
    record = site / "content/sources/wire-report.yaml"
    record.write_text(record.read_text().replace("publisher:", "note: Seen again.\npublisher:", 1))


# A site's own template that shows another entry, read through `timeline`: no declaration says
# that every event page depends on the first entry's title; the engine records it.
FIRST_TITLE = '{% block main %}<p class="first">First: {{ timeline.events[0].title }}</p>'


def override_reading_others(site: Path) -> None:
    (site / "templates").mkdir(exist_ok=True)
    default = ROOT / "timeline/themes/default/templates/event.html"
    text = default.read_text().replace("{% block main %}", FIRST_TITLE, 1)
    (site / "templates" / "event.html").write_text(text)


def edit_first_title(site: Path) -> None:
    entry = site / EVENTS / "2023/2023-10-16-first-call.md"
    entry.write_text(entry.read_text().replace("title: ", "title: Retitled ", 1))


def theme_of_its_own(site: Path) -> None:
    theme = site / "themes" / "house"
    (theme / "templates").mkdir(parents=True, exist_ok=True)
    (theme / "theme.yaml").write_text("extends: default\n")
    default = ROOT / "timeline/themes/default/templates/embed.html"
    (theme / "templates" / "embed.html").write_text(default.read_text())
    settings = site / "site.yaml"
    if "theme: house" not in settings.read_text():
        settings.write_text(settings.read_text() + "theme: house\n")


def edit_theme_template(site: Path) -> None:
    template = site / "themes" / "house" / "templates" / "embed.html"
    template.write_text(template.read_text().replace("</body>", "<!-- house -->\n</body>"))


def edit_template(site: Path) -> None:
    (site / "templates").mkdir(exist_ok=True)
    default = ROOT / "timeline/themes/default/templates/event.html"
    text = default.read_text().replace("Where the sources disagree", "Sources differ")
    (site / "templates" / "event.html").write_text(text)


def edit_static(site: Path) -> None:
    (site / "static").mkdir(exist_ok=True)
    (site / "static" / "extra.css").write_text("body { margin: 0 }\n")


def edit_actor_name(site: Path) -> None:
    actors = site / "content/actors.yaml"
    actors.write_text(actors.read_text().replace("name: Betaland", "name: Beta Republic"))


def type_a_source(site: Path) -> None:
    record = site / "content/sources/wire-report.yaml"
    record.write_text(record.read_text() + "type: wire\n")
    (site / "content/source-types.yaml").write_text("- id: blog\n  name: Personal blog\n")


def edit_site(site: Path) -> None:
    settings = site / "site.yaml"
    settings.write_text(settings.read_text().replace("Minimal chronology", "Renamed chronology"))


CHANGES: dict[str, Callable[[Path], None]] = {
    "edit an entry's title": edit_title,
    "edit an entry's body": edit_body,
    "edit a source record": edit_source,
    "a template override reading other entries": override_reading_others,
    "a title such an override shows": lambda site: (
        override_reading_others(site),
        build_site(site, site.parent / "out"),
        edit_first_title(site),
    ),
    "a theme of the site's own": theme_of_its_own,
    "a template of that theme": lambda site: (
        theme_of_its_own(site),
        build_site(site, site.parent / "out"),
        edit_theme_template(site),
    ),
    "add an entry": add_entry,
    "rename an entry": rename_entry,
    "delete an entry": delete_entry,
    "edit a template": edit_template,
    "add a static file": edit_static,
    "rename an actor": edit_actor_name,
    "type a source, add a type of the site's own": type_a_source,
    "edit site.yaml": edit_site,
}


@pytest.mark.parametrize("change", CHANGES)
def test_incremental_build_equals_full_build(built, tmp_path, change):
    site, out = built
    again = build_site(site, out)
    assert again.reused == again.pages  # nothing changed: nothing rendered

    CHANGES[change](site)
    incremental = build_site(site, out)
    assert incremental.ok, incremental.problems
    assert_same_as_full_build(site, out, tmp_path)
    if change in ("edit an entry's title", "edit an entry's body", "add an entry"):
        assert incremental.reused > 0, "a small change should reuse unchanged pages"


def test_a_sequence_of_changes_stays_exact(built, tmp_path):
    site, out = built
    for number, change in enumerate(CHANGES.values()):
        change(site)
        assert build_site(site, out).ok
        assert_same_as_full_build(site, out, tmp_path / str(number))


def test_the_repository_after_an_edit(tmp_path):
    site = tmp_path / "repo"
    shutil.copytree(ROOT / "content", site / "content")
    shutil.copy(ROOT / "site.yaml", site / "site.yaml")
    shutil.copytree(ROOT / "themes", site / "themes")
    out = tmp_path / "out"
    assert build_site(site, out).ok
    entry = site / EVENTS / "2023/2023-12-10-netanyahu-putin-call.md"
    entry.write_text(entry.read_text().replace("tense", "difficult", 1))
    result = build_site(site, out)
    assert result.ok and result.reused > result.pages / 2
    assert_same_as_full_build(site, out, tmp_path)


@pytest.mark.parametrize("damage", [b"not a database", b"SQLite format 3\0" + b"\xff" * 200])
def test_a_broken_store_means_a_full_build(built, tmp_path, damage):
    site, out = built
    store = store_folder(out) / "store.sqlite"
    assert store.is_file()
    store.write_bytes(damage)
    result = build_site(site, out)
    assert result.ok and result.reused == 0
    assert_same_as_full_build(site, out, tmp_path)


def test_a_deleted_output_file_is_written_again(built, tmp_path):
    site, out = built
    (out / "events" / "2023-11-vote" / "index.html").unlink()
    assert build_site(site, out).ok
    assert (out / "events" / "2023-11-vote" / "index.html").is_file()
    assert_same_as_full_build(site, out, tmp_path)


def test_an_edit_indexes_again_only_the_search_shard_of_its_year(built):
    site, out = built
    shards = {year: out / "pagefind" / year / "pagefind-entry.json" for year in ("2023", "2024")}
    first = {year: entry.stat().st_ino for year, entry in shards.items()}
    assert build_site(site, out).ok
    assert {year: entry.stat().st_ino for year, entry in shards.items()} == first
    edit_title(site)  # an entry of 2023
    assert build_site(site, out).ok
    assert shards["2023"].stat().st_ino != first["2023"]  # indexed again
    assert shards["2024"].stat().st_ino == first["2024"]  # linked from the previous output


def test_an_update_touches_only_the_files_that_changed(built, tmp_path):
    site, out = built
    before = inodes(out)
    assert build_site(site, out).ok
    assert inodes(out) == before  # a no-op build leaves every file alone

    entry = site / EVENTS / "2024/2024-02-05-second-call.md"
    entry.write_text(entry.read_text() + "\nA sentence added to the body.\n")
    assert build_site(site, out).ok
    after = inodes(out)
    touched = {p for p in before if after.get(p) != before[p] and not p.startswith("pagefind/")}
    # The body shows on the entry's page and in the JSON export, nowhere else.
    assert touched == {"events/2024-02-05-second-call/index.html", "events.json"}

    delete_entry(site)
    assert build_site(site, out).ok
    assert not (out / "events" / "2023-10-16-first-call").exists()  # its folder went too
    assert sorted(p.name for p in tmp_path.iterdir()) == AROUND_OUTPUT


def test_a_failure_while_updating_puts_everything_back(built, tmp_path, monkeypatch):
    site, out = built
    before = tree(out)
    add_entry(site)
    edit_title(site)
    renames = []
    real_rename = output.os.rename

    def failing_rename(source, target):
        renames.append(target)
        if len(renames) == 3:  # some files are in the spare folder, others not yet
            raise OSError(5, "Input/output error")
        real_rename(source, target)

    monkeypatch.setattr(output.os, "rename", failing_rename)
    failed = build_site(site, out)
    monkeypatch.undo()
    assert not failed.ok and "Input/output error" in failed.problems[-1].message
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == AROUND_OUTPUT
    assert build_site(site, out).ok
    assert_same_as_full_build(site, out, tmp_path)


def test_a_build_with_the_inputs_of_the_last_one_does_nothing(tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site)
    out = tmp_path / "out"
    first = build_site(site, out)
    rendered = []
    real = graph.render
    monkeypatch.setattr(graph, "render", lambda *a: rendered.append(a) or real(*a))
    again = build_site(site, out)
    assert rendered == []
    assert (again.problems, again.pages, again.events) == (first.problems, first.pages, 3)
    assert again.reused == again.pages

    # What is not a file of the site still counts: the build day ...
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert build_site(site, out).ok
    assert_same_as_full_build(site, out, tmp_path)
    # ... the base URL ...
    moved = build_site(site, out, base_url="https://elsewhere.example/")
    assert moved.ok and "https://elsewhere.example/" in (out / "feed.xml").read_text()
    # ... and an output file damaged since.
    (out / "404.html").write_text("damaged")
    assert build_site(site, out, base_url="https://elsewhere.example/").ok
    assert (out / "404.html").read_text() != "damaged"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_commit_alone_changes_the_history_shown(tmp_path):
    """An entry edited and built, then committed without another change: the build is not a
    no-op, since the entry's history now has one more version."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site)
    identity = ["-c", "user.name=Editor", "-c", "user.email=e@example.org"]

    def git(*args: str) -> None:
        subprocess.run(["git", *identity, *args], cwd=site, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "First version")
    out = tmp_path / "out"
    assert build_site(site, out).ok
    edit_title(site)
    assert build_site(site, out).ok
    page = out / "events" / "2023-11-vote" / "index.html"
    assert "Second version" not in page.read_text()
    git("commit", "-q", "-am", "Second version")
    assert build_site(site, out).ok
    assert "Second version" in page.read_text()
    assert_same_as_full_build(site, out, tmp_path)


def test_a_save_during_a_build_means_the_next_one_builds(built, tmp_path, monkeypatch):
    """The entry was saved after the build looked at the inputs: the build shows one version or
    the other, and the next builds are real ones, whichever version the entry then holds."""
    site, out = built
    entry = site / EVENTS / "2023/2023-11-vote.yaml"
    original = entry.read_text()
    real_check = build.check_content

    def saved_meanwhile(*args, **kwargs):
        entry.write_text(original.replace("Council votes on a draft", "Council rejects a draft"))
        return real_check(*args, **kwargs)

    edit_static(site)  # a change, so that the next build is not a no-op
    monkeypatch.setattr(build, "check_content", saved_meanwhile)
    assert build_site(site, out).ok
    monkeypatch.undo()
    page = (out / "events/2023-11-vote/index.html").read_text()
    assert "Council rejects a draft" in page or "Council votes on a draft" in page
    assert build_site(site, out).ok
    assert_same_as_full_build(site, out, tmp_path / "newer")
    entry.write_text(original)
    assert build_site(site, out).ok
    assert_same_as_full_build(site, out, tmp_path / "older")


# --- a site in several languages (tests/sites/translated) ---------------------------------------


def edit_translation(site: Path) -> None:
    words = site / EVENTS / "2023/2023-10-16-first-call.he.md"
    words.write_text(words.read_text().replace("שוחחו בטלפון", "דיברו בטלפון"))


def add_translation(site: Path) -> None:
    words = "title: Совет проголосовал по проекту\nsummary: Проект не прошёл.\n"
    (site / EVENTS / "2023/2023-11-vote.ru.yaml").write_text(words)


def delete_translation(site: Path) -> None:
    (site / EVENTS / "2023/2023-11-vote.he.yaml").unlink()


def edit_untranslated_title(site: Path) -> None:
    entry = site / EVENTS / "2024/2024-02-05-second-call.md"
    entry.write_text(entry.read_text().replace("A second call", "Another call"))


def edit_edition_title(site: Path) -> None:
    settings = site / "site.yaml"
    settings.write_text(settings.read_text().replace("Переведённая хроника", "Хроника"))


def own_catalogue(site: Path) -> None:
    """The site's own words for one message of the theme, in Hebrew."""
    folder = site / "locale/he/LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Sources"\nmsgstr "המקורות שלנו"\n',
        encoding="utf-8",
    )


def drop_a_language(site: Path) -> None:
    settings = site / "site.yaml"
    settings.write_text(settings.read_text().split("  ru:")[0])
    for words in (site / EVENTS).rglob("*.ru.*"):
        words.unlink()


TRANSLATION_CHANGES: list[Callable[[Path], None]] = [
    edit_translation,
    add_translation,
    delete_translation,
    edit_untranslated_title,
    edit_actor_name,
    edit_edition_title,
    own_catalogue,
    drop_a_language,
]


@pytest.mark.parametrize("change", TRANSLATION_CHANGES, ids=lambda c: c.__name__)
def test_each_language_of_an_incremental_build_equals_a_full_build(tmp_path, change):
    site = Path(shutil.copytree(SITES / "translated", tmp_path / "site"))
    out = tmp_path / "out"
    assert build_site(site, out).ok
    again = build_site(site, out)
    assert again.reused == again.pages > 0  # nothing changed, in any language
    change(site)
    assert build_site(site, out).ok
    assert_same_as_full_build(site, out, tmp_path)
    if change is own_catalogue:  # read, and in the Hebrew pages only
        assert "המקורות שלנו" in (out / "he/index.html").read_text(encoding="utf-8")
        assert "המקורות שלנו" not in (out / "index.html").read_text(encoding="utf-8")
