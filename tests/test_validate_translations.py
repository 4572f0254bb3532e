"""Translations of entries: what `timeline check` says of them, located, and what it accepts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SITES
from gitrepo import commit_all, init_repo

from timeline.engine.content import check_site

EVENTS = Path("content/events/2023")
FIRST = EVENTS / "2023-10-16-first-call"


@pytest.fixture
def site(tmp_path) -> Path:
    return Path(shutil.copytree(SITES / "translated", tmp_path / "site"))


def problems_of(cli, site: Path) -> list[dict]:
    result = cli("check", "--site", str(site), "--format", "json")
    return json.loads(result.stdout)


def located(problems: list[dict]) -> list[tuple[str, int, str]]:
    return [(p["file"], p["line"], p["message"]) for p in problems]


def test_the_fixtures_translations_are_read_and_matched_to_their_entries(site):
    checked = check_site(site)
    assert checked.problems == []
    found = {(t.language, t.event_id, t.title[:12]) for t in checked.content.translations}
    assert found == {
        ("he", "2023-10-16-first-call", "מנהיגי אלפלנ"),
        ("ru", "2023-10-16-first-call", "Лидеры Альфа"),
        ("he", "2023-11-vote", "המועצה הצביע"),
    }


def test_a_translation_may_not_change_the_entrys_dates_or_sources(site, cli):
    file = site / FIRST.with_suffix(".he.md")
    text = file.read_text().replace("---\ntitle:", "---\ndate: 2024-01-01\ntitle:", 1)
    file.write_text(text.replace("location:", "sources: []\nlocation:"))
    problems = problems_of(cli, site)
    assert [(p["line"], p["field"], p["message"]) for p in problems] == [
        (2, "date", "a translation keeps the entry's `date`"),
        (5, "sources", "a translation keeps the entry's `sources`"),
    ]
    assert "change it in the entry's own file" in problems[0]["hint"]


def test_a_translation_into_a_language_the_site_does_not_list_is_refused(site, cli):
    shutil.copy(site / FIRST.with_suffix(".ru.md"), site / FIRST.with_suffix(".fr.md"))
    assert located(problems_of(cli, site)) == [
        (str(FIRST.with_suffix(".fr.md")), 1, "`fr` is not one of the site's languages")
    ]


def test_a_translation_without_its_entry_or_with_another_id_is_refused(site, cli):
    shutil.copy(site / FIRST.with_suffix(".ru.md"), site / EVENTS / "2023-10-17-nothing.ru.md")
    file = site / FIRST.with_suffix(".ru.md")
    file.write_text(file.read_text().replace("id: 2023-10-16-first-call", "id: another-call"))
    assert located(problems_of(cli, site)) == [
        (
            str(EVENTS / "2023-10-16-first-call.ru.md"),
            2,
            "`another-call` is not the id of the entry 2023-10-16-first-call.md",
        ),
        (
            str(EVENTS / "2023-10-17-nothing.ru.md"),
            1,
            "no entry 2023-10-17-nothing.md or 2023-10-17-nothing.yaml beside this translation",
        ),
    ]


def test_two_translations_of_an_entry_into_one_language_are_refused(site, cli):
    text = "title: Другой заголовок\nsummary: Другое резюме.\n"
    (site / FIRST.with_suffix(".ru.yaml")).write_text(text)
    assert [p["message"] for p in problems_of(cli, site)] == [
        "a second translation of 2023-10-16-first-call.md into `ru`"
    ]


def test_a_file_name_with_a_dot_that_is_not_a_language_is_said_so(site, cli):
    (site / EVENTS / "2023-10-16-first-call.Hebrew.md").write_text("---\ntitle: x\n---\n")
    messages = [p["message"] for p in problems_of(cli, site)]
    assert "`Hebrew` in the file name is not a language code" in messages


def test_site_languages_must_be_codes_other_than_the_sites_own(site, cli):
    settings = site / "site.yaml"
    settings.write_text(settings.read_text().replace("  ru:\n", "  en: {}\n  ru:\n"))
    assert located(problems_of(cli, site)) == [("site.yaml", 9, "`en` is the site's own language")]


def test_a_translation_older_than_its_entrys_last_change_is_warned_of(site, cli):
    init_repo(site)
    commit_all(site, "Add the entries and their translations", when="2024-03-01T09:00:00+00:00")
    entry = site / FIRST.with_suffix(".md")
    entry.write_text(entry.read_text().replace("lasted an hour", "lasted two hours"))
    commit_all(site, "Say two hours", when="2024-03-02T09:00:00+00:00")
    stale = [p for p in problems_of(cli, site) if p["severity"] == "warning"]
    assert located(stale) == [
        (
            str(FIRST.with_suffix(".he.md")),
            1,
            "this translation is older than its entry: 2023-10-16-first-call.md changed on "
            "2024-03-02, after this translation (2024-03-01)",
        ),
        (
            str(FIRST.with_suffix(".ru.md")),
            1,
            "this translation is older than its entry: 2023-10-16-first-call.md changed on "
            "2024-03-02, after this translation (2024-03-01)",
        ),
    ]
    words = site / FIRST.with_suffix(".he.md")
    words.write_text(words.read_text().replace("נמשכה שעה", "נמשכה שעתיים"))
    commit_all(site, "Hebrew: two hours", when="2024-03-03T09:00:00+00:00")
    assert [p["file"] for p in problems_of(cli, site)] == [str(FIRST.with_suffix(".ru.md"))]


def test_a_translation_gives_no_more_quotes_than_its_entry_has(site, cli):
    file = site / FIRST.with_suffix(".he.md")
    file.write_text(file.read_text().replace("  - שיחה גלויה\n", "  - שיחה גלויה\n  - עוד ציטוט\n"))
    problems = problems_of(cli, site)
    assert [(p["line"], p["field"], p["message"]) for p in problems] == [
        (
            8,
            "quotes",
            "2 translations of quotes, but the entry 2023-10-16-first-call.md quotes 1 times",
        )
    ]
