"""render/language.py: dates, numbers, plurals, direction and strings in a site's language; and
the fixture sites in Hebrew, Russian and Arabic, whose every page speaks only their language."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SITES, run_cli
from htmlwalk import parse_html

from timeline.dates import parse_date
from timeline.render.language import language_of

THEME_LOCALE = Path(__file__).resolve().parents[1] / "timeline/themes/default/locale"


def speaking(code: str, *extra: Path):
    return language_of(code, [*extra, THEME_LOCALE])


def plain(text: str) -> str:
    """CLDR's thin and narrow no-break spaces as plain ones, to compare with what we type."""
    return unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize(
    ("code", "day", "month", "year"),
    [
        ("en", "10 December 2023", "December 2023", "2023"),
        ("en-US", "December 10, 2023", "December 2023", "2023"),
        ("he", "10 בדצמבר 2023", "דצמבר 2023", "2023"),
        ("ru", "10 декабря 2023 г.", "декабрь 2023 г.", "2023"),
        ("ar", "10 ديسمبر 2023", "ديسمبر 2023", "2023"),
    ],
)
def test_a_date_is_written_at_its_precision_in_the_language(code, day, month, year):
    language = speaking(code)
    assert plain(language.date(parse_date("2023-12-10"))) == day
    assert plain(language.date(parse_date("2023-12"))) == month
    assert plain(language.date(parse_date("2023"))) == year


@pytest.mark.parametrize("code", ["he", "ru", "ar"])
def test_approximate_and_uncertain_are_said_in_the_language(code):
    language = speaking(code)
    month = language.date(parse_date("2023-12"))
    about, unsure = language.date(parse_date("2023-12~")), language.date(parse_date("2023-12?"))
    assert month in about and month in unsure
    assert about == language.gettext("c. {date}").format(date=month) != f"c. {month}"
    assert unsure == language.gettext("{date} (uncertain)").format(date=month)
    assert "uncertain" not in unsure


def test_english_marks_approximate_and_uncertain_dates():
    language = speaking("en")
    assert language.date(parse_date("2023-12~")) == "c. December 2023"
    assert language.date(parse_date("2024-02-05?")) == "5 February 2024 (uncertain)"
    moment = language.date(parse_date("2023-10-07T06:30+03:00"))
    assert plain(moment) == "7 October 2023, 06:30 UTC+03:00"


@pytest.mark.parametrize(
    ("code", "start", "end", "written"),
    [
        ("en", "2023-10-29", "2023-10-31", "29 – 31 October 2023"),
        ("en", "2023-10-29", "2023-11-02", "29 October – 2 November 2023"),
        ("en", "2023-12-30", "2024-01-02", "30 December 2023 – 2 January 2024"),
        ("he", "2023-10-29", "2023-11-02", "29 באוקטובר – 2 בנובמבר 2023"),
        ("ru", "2023-10-29", "2023-11-02", "29 октября — 2 ноября 2023 г."),
        ("en", "2023-10", "2023-12~", "October 2023 – c. December 2023"),
    ],
)
def test_a_range_is_written_as_the_language_writes_intervals(code, start, end, written):
    assert plain(speaking(code).date_range(parse_date(start), parse_date(end))) == written


def test_numbers_and_plurals_follow_the_language():
    ru = speaking("ru")
    assert re.fullmatch(r"12\s345", ru.number(12345))  # a (narrow) no-break space groups
    forms = {n: ru.ngettext("%(num)s entry", "%(num)s entries", n) for n in (1, 3, 5, 21, 1000)}
    assert forms[1].startswith("1 ") and forms[21].startswith("21 ")
    assert forms[1] != forms[3] != forms[5]
    assert forms[21][3:] == forms[1][2:]  # 21 takes the form of 1
    assert forms[1000].startswith("1\xa0000") or forms[1000].startswith("1\u202f000")
    assert speaking("en").ngettext("%(num)s entry", "%(num)s entries", 1200) == "1,200 entries"


@pytest.mark.parametrize(
    ("code", "categories"),
    [
        ("en", {"one", "other"}),
        ("he", {"one", "two", "other"}),
        ("ru", {"one", "few", "many"}),
        ("ar", {"zero", "one", "two", "few", "many", "other"}),
    ],
)
def test_a_script_gets_the_message_in_each_plural_category(code, categories):
    forms = speaking(code).plural_forms("{num} entry found.", "{num} entries found.")
    assert set(forms) == categories
    if code != "en":
        assert not any("found" in text for text in forms.values())


def test_a_language_without_a_catalogue_keeps_english_words_and_its_own_dates():
    portuguese = speaking("pt-BR")
    assert portuguese.gettext("Sources") == "Sources"
    assert portuguese.date(parse_date("2023-12-10")) == "10 de dezembro de 2023"
    assert portuguese.plural_forms("{num} entry", "{num} entries")["one"] == "{num} entry"
    unknown = speaking("xx")
    assert unknown.date(parse_date("2023-12-10")) == "10 December 2023"


@pytest.mark.parametrize(("code", "direction"), [("he", "rtl"), ("ar", "rtl"), ("ru", "ltr")])
def test_the_script_of_the_language_decides_the_direction(code, direction):
    assert speaking(code).direction == direction


def test_a_sites_own_catalogue_comes_before_the_themes(tmp_path):
    mine = tmp_path / "locale" / "he" / "LC_MESSAGES"
    mine.mkdir(parents=True)
    (mine / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Sources"\nmsgstr "המקורות שלנו"\n',
        encoding="utf-8",
    )
    hebrew = speaking("he", tmp_path / "locale")
    assert hebrew.gettext("Sources") == "המקורות שלנו"
    assert hebrew.gettext("Topics") == speaking("he").gettext("Topics") != "Topics"


def test_names_of_languages_are_given_in_the_language():
    assert speaking("en").name_of("ru") == "Russian"
    assert speaking("he").name_of("ru") == "רוסית"
    assert speaking("ru").name_of("xx-yy") == "xx-yy"


# --- the fixture sites: every page in one language --------------------------------------------

# Latin words a page in another script may show: names of formats and citation styles, and the
# product's name. Anything else in Latin letters is an interface string outside the catalogue.
ALLOWED_LATIN = {
    *("APA", "MLA", "Chicago", "BibTeX", "RIS", "CSL", "JSON", "CSV", "iCalendar", "RSS", "Atom"),
    *("JavaScript", "Pagefind", "URL", "UTC", "timeline"),
}
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
URL = re.compile(r"\S*(?:https?://|/)\S*")
SPOKEN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-roledescription"}
UNSPOKEN = {"script", "style", "pre", "code", "kbd"}  # data, formats and keys, as they are
VOID = {"meta", "link", "input", "img", "br", "hr", "source", "wbr", "path", "rect", "line"}


class _Spoken(HTMLParser):
    """The text a reader sees or hears: text nodes and spoken attributes, a page's description."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag not in VOID:
            self.open.append(tag)
        self.texts += [v for k, v in attrs if k in SPOKEN_ATTRIBUTES and v]
        if tag == "meta" and ("name", "description") in attrs:
            self.texts.append(dict(attrs).get("content") or "")

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if not UNSPOKEN.intersection(self.open):
            self.texts.append(data)


def foreign_words(output: Path) -> dict[str, set[str]]:
    """Each Latin word outside the allowed ones, with the pages showing it."""
    found: dict[str, set[str]] = {}
    for page in sorted(output.rglob("*.html")):
        spoken = _Spoken()
        spoken.feed(page.read_text(encoding="utf-8"))
        for text in spoken.texts:
            for word in LATIN_WORD.findall(URL.sub(" ", text)):
                if word not in ALLOWED_LATIN:
                    found.setdefault(word, set()).add(str(page.relative_to(output)))
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each language's fixture site, built once."""
    made = {}

    def build(code: str) -> Path:
        if code not in made:
            # A copy outside the repository: no history, whose commit messages are not the
            # interface's words.
            site = Path(shutil.copytree(SITES / code, tmp_path_factory.mktemp(code) / "site"))
            out = site.parent / "out"
            result = run_cli("build", "--site", str(site), "--output", str(out))
            assert result.returncode == 0, result.stderr
            made[code] = out
        return made[code]

    return build


@pytest.mark.parametrize("code", ["he", "ru", "ar"])
def test_no_interface_string_is_outside_the_catalogue(built, code):
    assert foreign_words(built(code)) == {}


@pytest.mark.parametrize(
    ("code", "direction", "day", "span"),
    [
        ("he", "rtl", "16 באוקטובר 2023", "29 באוקטובר – 2 בנובמבר 2023"),
        ("ru", "ltr", "16 октября 2023 г.", "29 октября — 2 ноября 2023 г."),
        ("ar", "rtl", "16 أكتوبر 2023", "29 أكتوبر – 2 نوفمبر 2023"),
    ],
)
def test_a_site_in_the_language_has_its_direction_and_dates(built, code, direction, day, span):
    out = built(code)
    for page in out.rglob("*.html"):
        root = parse_html(page.read_text(encoding="utf-8")).find("html")[0]
        assert (root["lang"], root["dir"]) == (code, direction), page
    event = (out / "events/2023-10-16-first-call/index.html").read_text(encoding="utf-8")
    assert f">{day}</time>" in plain(event)
    talks = (out / "events/2023-10-29-talks/index.html").read_text(encoding="utf-8")
    assert span in plain(talks)


@pytest.mark.parametrize("code", ["he", "ru", "ar"])
def test_the_scripts_get_their_words_in_the_language(built, code):
    page = parse_html((built(code) / "search/index.html").read_text(encoding="utf-8"))
    block = next(s for s in page.script_elements if s.attrs.get("id") == "timeline-messages")
    words = json.loads(block.text)
    assert words["locale"] == code
    assert words["copy"] == speaking(code).gettext("Copy") != "Copy"
    assert set(words["search_found"]) == set(
        speaking(code).plural_forms("{num} entry found.", "{num} entries found.")
    )


def test_a_template_string_left_out_of_the_catalogue_is_found(built, tmp_path):
    """The check above can fail: a site template with an English sentence shows up in it."""
    site = Path(shutil.copytree(SITES / "he", tmp_path / "site"))
    theme = Path(__file__).resolve().parents[1] / "timeline/themes/default/templates/404.html"
    (site / "templates").mkdir()
    text = theme.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}Oops")
    (site / "templates" / "404.html").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--output", str(out)).returncode == 0
    assert foreign_words(out) == {"Oops": {"404.html"}}


# --- the stylesheets mirror: logical properties only --------------------------------------------

STYLESHEETS = sorted(
    [
        *(Path(__file__).resolve().parents[1] / "timeline/themes").glob("*/static/*.css"),
        *(Path(__file__).resolve().parents[1] / "themes").glob("*/static/*.css"),
    ]
)
PHYSICAL = re.compile(
    r"(?<![\w-])(?:(?:margin|padding|border)-(?:left|right)|left|right)\s*:"
    r"|(?:text-align|float|clear)\s*:\s*(?:left|right)\b"
)
BOX = re.compile(r"(?<![\w-])(margin|padding)\s*:\s*([^;}]+)")


@pytest.mark.parametrize("sheet", STYLESHEETS, ids=lambda p: p.name)
def test_a_stylesheet_says_start_and_end_never_left_and_right(sheet):
    """So that a right-to-left page mirrors: a 4-value margin or padding with different left and
    right sides is physical too."""
    css = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert PHYSICAL.findall(css) == []
    lopsided = [
        f"{name}: {values}"
        for name, values in BOX.findall(css)
        if len(parts := values.split()) == 4 and parts[1] != parts[3]
    ]
    assert lopsided == []
