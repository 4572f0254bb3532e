"""How to cite an event page: ready-to-copy forms in the common styles, and CSL-JSON.

A citation names the *page*, not the event: the date in it is the page's own last-updated date
(`updated`), never the date of the event the page describes. A reader checking a citation needs
the version they were shown; "10 December 2023" in the author-date slot would read as the date of
publication and mislead. Without an updated date the page is undated: APA writes "n.d.", the
other styles simply leave the date out, and the CSL-JSON has no `issued`.

No access date is written either: it would be the build day, which would make two builds of the
same content differ, and it is the reader's to add when they consult the page.

The author is the organisation behind the chronology: `site.publisher`, or the site title when no
publisher is set. When author and website are the same, the styles name it once (as APA, Chicago
and MLA all advise for organisational web pages).
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from timeline.dates import MONTHS, EventDate, Precision
from timeline.model import Event, SiteConfig

# MLA abbreviates months of more than four letters (MLA Handbook, 9th ed., appendix 1).
MLA_MONTHS = (
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)
# BibTeX's predefined month macros, written unquoted (`month = dec`).
BIBTEX_MONTHS = tuple(name[:3].lower() for name in MONTHS)

_BIBTEX_SPECIAL = re.compile(r"[\\{}%&$#_~^]")
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def author_of(site: SiteConfig) -> str:
    """The organisation credited as author: the publisher, else the site itself."""
    return site.publisher or site.title


def citation_forms(
    event: Event, site: SiteConfig, permalink: str, updated: EventDate | None
) -> dict[str, str]:
    """Every citation form of one event page, keyed "plain", "chicago", "apa", "mla", "bibtex",
    "csl_json". `updated` is the page's last-updated date (`Timeline.updated`), or None.
    """
    return {
        "plain": plain(event, site, permalink, updated),
        "chicago": chicago(event, site, permalink, updated),
        "apa": apa(event, site, permalink, updated),
        "mla": mla(event, site, permalink, updated),
        "bibtex": bibtex(event, site, permalink, updated),
        "csl_json": csl_json(event, site, permalink, updated),
    }


def plain(event: Event, site: SiteConfig, permalink: str, updated: EventDate | None) -> str:
    """A neutral one-line form for prose and footnotes that follow no style guide."""
    container, author = _line(site.title), _line(author_of(site))
    parts = [f'"{_quoted(event.title)}"', container]
    if author != container:
        parts.append(author)
    if updated is not None:
        parts.append(f"last updated {_day_month_year(updated)}")
    return ", ".join(parts) + f". {permalink}"


def chicago(event: Event, site: SiteConfig, permalink: str, updated: EventDate | None) -> str:
    """Chicago (17th ed.) notes-and-bibliography, bibliography entry for a web page (14.206)."""
    author, container = _line(author_of(site)), _line(site.title)
    parts = [_sentence(author), f'"{_sentence(_quoted(event.title))}"']
    if container != author:
        parts.append(_sentence(container))
    if updated is not None:
        parts.append(f"Last modified {_month_day_year(updated)}.")
    parts.append(f"{permalink}.")
    return " ".join(parts)


def apa(event: Event, site: SiteConfig, permalink: str, updated: EventDate | None) -> str:
    """APA (7th ed.) reference for a page on a website by a group author (§ 10.16)."""
    author, container = _line(author_of(site)), _line(site.title)
    parts = [_sentence(author), f"({_apa_date(updated)}).", _sentence(_line(event.title))]
    if container != author:
        parts.append(_sentence(container))
    parts.append(permalink)
    return " ".join(parts)


def mla(event: Event, site: SiteConfig, permalink: str, updated: EventDate | None) -> str:
    """MLA (9th ed.): no author when the organisation is also the website; publisher after it."""
    author, container = _line(author_of(site)), _line(site.title)
    parts = [container]
    if author != container:
        parts.append(author)
    if updated is not None:
        parts.append(_day_month_year(updated, MLA_MONTHS))
    parts.append(f"{permalink}.")
    return f'"{_sentence(_quoted(event.title))}" ' + ", ".join(parts)


def bibtex(event: Event, site: SiteConfig, permalink: str, updated: EventDate | None) -> str:
    """A BibTeX `@misc` entry: the form every BibTeX style and biblatex read.

    The title is wrapped in an extra pair of braces so styles do not lowercase proper names; the
    author is too, so BibTeX reads an organisation as one name, not as "first last".
    """
    fields = [
        ("title", f"{{{{{_bibtex_text(event.title)}}}}}"),
        ("author", f"{{{{{_bibtex_text(author_of(site))}}}}}"),
        ("howpublished", f"{{\\url{{{_bibtex_url(permalink)}}}}}"),
    ]
    if updated is not None:
        fields.append(("note", f"{{Last updated {_iso_day(updated)}}}"))
        fields.append(("year", f"{{{updated.year}}}"))
        if updated.precision >= Precision.MONTH:
            fields.append(("month", BIBTEX_MONTHS[updated.month - 1]))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{event.id},\n{body}\n}}"


def csl_json(event: Event, site: SiteConfig, permalink: str, updated: EventDate | None) -> str:
    """CSL-JSON (a one-item list, as Zotero, Pandoc and citeproc import it).

    The type is "webpage", not "entry-encyclopedia": an entry here is a page of a website, cited
    by URL with the website as container, and the prose forms above are the web-page forms of
    their styles. With "webpage", a CSL processor renders the same reference from this data (and
    Zotero imports it as a "Web Page" with the site as "Website Title"); "entry-encyclopedia"
    would make styles print "In <site>" as if it were a printed reference work.
    """
    item: dict[str, object] = {
        "id": event.id,
        "type": "webpage",
        "title": event.title,
        "container-title": site.title,
        "publisher": site.publisher or site.title,
        "author": [{"literal": author_of(site)}],
        "URL": permalink,
        "language": site.language,
    }
    if updated is not None:
        item["issued"] = {"date-parts": [_date_parts(updated)]}
    return json.dumps([item], ensure_ascii=False, indent=2)


def _line(text: str) -> str:
    """One line, single spaces: a citation is copied as one run of text."""
    return " ".join(text.split())


def _quoted(title: str) -> str:
    """A title to set in double quotes: its own double quotes become single ones, as the styles
    require for a quotation within a quoted title.
    """
    text = _line(title)
    return text.replace('"', "'").replace("\u201c", "\u2018").replace("\u201d", "\u2019")


def _sentence(text: str) -> str:
    """End with a period unless the text already ends a sentence ("Did X happen?")."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _moment(value: EventDate) -> datetime:
    return value.local or value.start


def _date_parts(value: EventDate) -> list[int]:
    moment = _moment(value)
    parts = [moment.year, moment.month, moment.day]
    return parts[: min(int(value.precision), 3)]


def _iso_day(value: EventDate) -> str:
    """The date in ISO form at its own precision, without a time: "2023-12-12", "2023-12"."""
    parts = _date_parts(value)
    return "-".join([f"{parts[0]:04d}", *(f"{part:02d}" for part in parts[1:])])


def _day_month_year(value: EventDate, months: tuple[str, ...] = MONTHS) -> str:
    """ "12 December 2023", "December 2023", "2023"; MLA passes its abbreviated months."""
    parts = _date_parts(value)
    words = [str(parts[0])]
    if len(parts) > 1:
        words.insert(0, months[parts[1] - 1])
    if len(parts) > 2:
        words.insert(0, str(parts[2]))
    return " ".join(words)


def _month_day_year(value: EventDate) -> str:
    parts = _date_parts(value)
    if len(parts) == 3:
        return f"{MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def _apa_date(value: EventDate | None) -> str:
    if value is None:
        return "n.d."
    parts = _date_parts(value)
    text = str(parts[0])
    if len(parts) > 1:
        text += f", {MONTHS[parts[1] - 1]}"
    if len(parts) > 2:
        text += f" {parts[2]}"
    return text


def _bibtex_text(text: str) -> str:
    """Escape the characters TeX treats specially, so any title compiles and prints as written."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES[m.group()], _line(text))


def _bibtex_url(url: str) -> str:
    """A URL inside `\\url{}` within a field: braces and backslashes percent-encoded (they
    would unbalance the field); `%` and `#` escaped (\\url cannot take them raw in an argument).
    """
    url = url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")
    return url.replace("%", r"\%").replace("#", r"\#")
