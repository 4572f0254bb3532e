"""scripts/messages.py: the default theme's catalogues are complete, and the check says when not."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from conftest import ROOT

SCRIPT = ROOT / "scripts" / "messages.py"
LOCALE = ROOT / "timeline" / "themes" / "default" / "locale"
SHIPPED = ("ar", "he", "ru")


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120
    )


def test_each_shipped_catalogue_is_complete_and_in_step_with_the_templates():
    result = run_script("--check")
    assert result.returncode == 0, result.stdout
    assert sorted(p.name for p in LOCALE.iterdir() if p.is_dir()) == list(SHIPPED)


def test_the_repositorys_theme_translates_its_own_words_in_each_language():
    theme = ROOT / "themes" / "israel-russia"
    result = run_script("--check", "--theme", str(theme))
    assert result.returncode == 0, result.stdout
    with (theme / "locale" / "messages.pot").open("rb") as file:
        own = {m.id for m in read_po(file) if m.id}
    assert "Editorial policy" in own and "Sources" not in own  # the default theme's has those


@pytest.fixture
def locale_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(LOCALE, tmp_path / "locale"))


def edit_catalogue(locale: Path, language: str, change) -> None:
    path = locale / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        catalogue = read_po(file, locale=language)
    change(catalogue)
    with path.open("wb") as file:
        write_po(file, catalogue, width=100)


def test_the_check_names_each_gap_in_a_catalogue(locale_copy):
    def damage(catalogue):
        catalogue["Search"].string = ""
        catalogue["Copy {name}"].string = catalogue["Copy {name}"].string.replace("{name}", "{x}")
        catalogue["Skip to content"].flags.add("fuzzy")
        del catalogue["Sources"]

    edit_catalogue(locale_copy, "ru", damage)
    result = run_script("--check", "--locale", str(locale_copy))
    assert result.returncode == 1
    said = result.stdout.splitlines()
    assert "ru: 'Search': is not translated" in said
    assert any(line.startswith("ru: 'Copy {name}': the translation") for line in said)
    fuzzy = "ru: 'Skip to content' is marked fuzzy: check its translation, then remove the flag"
    assert fuzzy in said
    assert "ru: 'Sources' is not in the catalogue" in said
    assert not [line for line in said if not line.startswith("ru: ")]  # he and ar untouched


def test_a_plural_message_needs_every_form_of_the_language(locale_copy):
    key = ("%(num)s entry", "%(num)s entries")

    def drop_a_form(catalogue):
        catalogue[key].string = (*catalogue[key].string[:2], "")

    edit_catalogue(locale_copy, "ar", drop_a_form)
    result = run_script("--check", "--locale", str(locale_copy))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "ar: '%(num)s entry': is not translated in every plural form"
    ]


def test_adding_a_language_is_one_file_the_check_then_asks_to_translate(locale_copy):
    made = run_script("--init", "fr", "--locale", str(locale_copy))
    assert made.returncode == 0, made.stderr
    assert (locale_copy / "fr" / "LC_MESSAGES" / "messages.po").is_file()
    result = run_script("--check", "--locale", str(locale_copy))
    untranslated = [line for line in result.stdout.splitlines() if line.startswith("fr: ")]
    with (LOCALE / "messages.pot").open("rb") as file:
        template = [m for m in read_po(file) if m.id]
    assert result.returncode == 1 and len(untranslated) == len(template)
    again = run_script("--init", "fr", "--locale", str(locale_copy))
    assert again.returncode == 1 and "exists" in again.stderr
