"""The site's language: its interface strings, its dates and numbers, and its direction.

Strings come from the theme's message catalogues, `locale/<lang>/LC_MESSAGES/messages.po` (the
layout `pybabel init` and `pybabel update` write), looked up in the site's own `locale/` first,
then along its theme chain; English needs none, as the templates are written in it. Dates,
numbers and plural rules come from Babel's CLDR data, so that "10 December 2023" is
"10 בדצמבר 2023" on a Hebrew site and "10 декабря 2023 г." on a Russian one, and the direction
of the script decides the page's.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton, parse_pattern
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from timeline.dates import EventDate, Precision
from timeline.model import N_, SOURCE_TYPES, Term

CATALOGUE = Path("LC_MESSAGES") / "messages.po"

# The words dates are written with, beyond CLDR's patterns: what a written date depends on.
APPROXIMATE = N_("c. {date}")
UNCERTAIN = N_("{date} (uncertain)")
SPAN = N_("{start} – {end}")
MOMENT = N_("{date}, {time}")
DATE_MESSAGES = (APPROXIMATE, UNCERTAIN, SPAN, MOMENT)
# The theme's English is British ("10 December 2023"); `language: en-US` gives "December 10, 2023".
FORMAT_LOCALES = {"en": "en_GB"}
DEFAULT_LOCALE = "en_GB"  # for a language code CLDR does not know (`timeline check` says so)


@dataclass(frozen=True)
class Language:
    code: str  # as site.yaml gives it: "he", "pt-BR"
    locale: Locale  # what formats its dates and numbers
    translations: gettext.NullTranslations
    # Dates written so far: a site writes each of its few thousand dates on many pages, and
    # Babel takes some 10 µs a date.
    _written: dict[tuple[EventDate, EventDate | None], str] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def rtl(self) -> bool:
        return self.locale.character_order == "right-to-left"

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    @property
    def tag(self) -> str:
        """The formats' locale as a BCP 47 tag, for a script's Intl functions: "en-GB"."""
        return str(self.locale).replace("_", "-")

    def name_of(self, code: str) -> str:
        """A language's name in this one: "ru" is "Russian" in English, "רוסית" in Hebrew; a
        code CLDR does not know stays as it is."""
        try:
            name = Locale.parse(code.replace("-", "_")).get_display_name(self.locale)
        except (UnknownLocaleError, ValueError):
            return code
        return name or code

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form for `count`, with `%(num)s` written in the language's numerals."""
        text = self.translations.ngettext(singular, plural, count)
        return text.replace("%(num)s", self.number(count))

    def term_name(self, term: Term) -> str:
        """A term's name in this language: the built-in source types' from the catalogue, a
        site's own as it wrote it."""
        return self.gettext(term.name) if SOURCE_TYPES.get(term.id) == term.name else term.name

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    def plural_forms(self, singular: str, plural: str) -> dict[str, str]:
        """The message in each of the language's plural categories (CLDR's: "one", "few",
        "other"…), for a script to pick from as Intl.PluralRules says."""
        samples: dict[str, int] = {}
        # 1 and 2 first: a catalogue without the language's formula (gettext's default, one
        # for 1 only) still gives the right text for a category holding 0 and 1 (Portuguese).
        for n in (1, 2, *range(200)):
            samples.setdefault(self.locale.plural_form(n), n)
        # A category no whole number falls in (Russian "other" is for fractions) is left out.
        return {
            c: self.translations.ngettext(singular, plural, n) for c, n in sorted(samples.items())
        }

    def day(self, value: date) -> str:
        """ "7 October 2023", "7 באוקטובר 2023"."""
        return format_skeleton("yMMMMd", value, locale=self.locale)

    def month(self, year: int, month: int) -> str:
        """ "October 2023", "октябрь 2023 г."."""
        return format_skeleton("yMMMM", date(year, month, 1), locale=self.locale)

    def month_name(self, month: int) -> str:
        """The month on its own, as a heading: "October", "октябрь"."""
        return self.locale.months["stand-alone"]["wide"][month]

    def month_abbreviation(self, month: int) -> str:
        return self.locale.months["stand-alone"]["abbreviated"][month]

    def year(self, year: int) -> str:
        return format_skeleton("y", date(year, 1, 1), locale=self.locale)

    def date(self, value: EventDate) -> str:
        """An entry's date at its precision, with "c." and "(uncertain)" when it says so."""
        return self.date_range(value, None)

    def _date(self, value: EventDate) -> str:
        text = self._plain_date(value)
        if value.approximate:
            text = self.gettext(APPROXIMATE).format(date=text)
        if value.uncertain:
            text = self.gettext(UNCERTAIN).format(date=text)
        return text

    def date_range(self, start: EventDate, end: EventDate | None) -> str:
        """An entry's date and end: "29–31 October 2023", "29 February – 2 March 2024"."""
        key = (start, end)
        written = self._written.get(key)
        if written is None:
            written = self._written[key] = self._date_range(start, end)
        return written

    def _date_range(self, start: EventDate, end: EventDate | None) -> str:
        if end is None or end.text == start.text:
            return self._date(start)
        exact = not (start.approximate or start.uncertain or end.approximate or end.uncertain)
        days = start.precision is Precision.DAY and end.precision is Precision.DAY
        if exact and days and start.day <= end.day:
            return _day_interval(start.day, end.day, self.locale)
        span = self.gettext(SPAN)
        return span.format(start=self._date(start), end=self._date(end))

    def _plain_date(self, value: EventDate) -> str:
        if value.precision is Precision.YEAR:
            return self.year(value.year)
        if value.precision is Precision.MONTH:
            return self.month(value.year, value.month)
        text = self.day(value.day)
        if value.precision is Precision.TIME and value.local is not None:
            offset = value.local.strftime("%z")
            zone = "UTC" if offset == "+0000" else f"UTC{offset[:3]}:{offset[3:]}"
            moment = self.gettext(MOMENT)
            text = moment.format(date=text, time=f"{value.local:%H:%M} {zone}")
        return text


def _day_interval(start: date, end: date, locale: Locale) -> str:
    """CLDR gives day ranges with abbreviated months only ("29 Oct – 2 Nov 2023"); their months
    are widened to full names, as ICU widens them for a skeleton asking for MMMM."""
    formats = locale.interval_formats["yMMMd"]
    if start == end:
        return format_skeleton("yMMMMd", start, locale=locale)
    field = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    return "".join(
        parse_pattern(_widened(pattern)).apply(day, locale)
        for pattern, day in zip(formats[field], (start, end), strict=True)
    )


def _widened(pattern: str) -> str:
    """MMM (and LLL) to MMMM, leaving MMMM and quoted text alone."""
    parts = pattern.split("'")
    for i in range(0, len(parts), 2):  # outside quotes
        for letter in "ML":
            short, wide = letter * 3, letter * 4
            parts[i] = parts[i].replace(wide, "\0").replace(short, wide).replace("\0", wide)
    return "'".join(parts)


def autonym(code: str) -> str:
    """A language's name in itself, as a language switcher shows it: "עברית", "Русский"."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name() or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]


def language_of(code: str, catalogue_dirs: list[Path]) -> Language:
    """The language `code` (site.yaml's `language:`), its strings from the first of
    `catalogue_dirs` (folders holding `<lang>/LC_MESSAGES/messages.po`) that has them."""
    return Language(code, format_locale(code), _translations(code, catalogue_dirs))


def format_locale(code: str) -> Locale:
    name = FORMAT_LOCALES.get(code.lower(), code.replace("-", "_"))
    try:
        return Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LOCALE)


def catalogue_names(code: str) -> list[str]:
    """Where a language's catalogue may be, most specific first: "pt-BR" is pt_BR, then pt."""
    name = code.replace("-", "_")
    return [name, name.split("_")[0]] if "_" in name else [name]


def _translations(code: str, catalogue_dirs: list[Path]) -> gettext.NullTranslations:
    found = [
        folder / name / CATALOGUE
        for folder in catalogue_dirs
        for name in catalogue_names(code)
        if (folder / name / CATALOGUE).is_file()
    ]
    if not found:
        return gettext.NullTranslations()
    first, *rest = (read_catalogue(path) for path in found)
    for fallback in rest:
        first.add_fallback(fallback)
    return first


def read_catalogue(path: Path) -> Translations:
    """A .po file as gettext reads it (compiled in memory: no .mo files to keep in step)."""
    with path.open("rb") as file:
        catalogue = read_po(file)
    compiled = BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled)
