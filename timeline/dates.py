"""Event dates: a small, honest subset of ISO 8601 / EDTF.

Accepted: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` with `Z` or `±HH:MM`, each
with an optional suffix `~` (approximate) or `?` (uncertain). A regular expression decides the
shape and `datetime`/python-dateutil decide whether the day exists; nothing is ever guessed.
dateutil's free-text parser is deliberately not used: it fills missing parts from today and
reads `10/12/2023` according to locale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import IntEnum
from functools import lru_cache

from dateutil.parser import isoparse

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_SHAPE = re.compile(
    r"(?P<year>\d{4})"
    r"(?:-(?P<month>\d{2})"
    r"(?:-(?P<day>\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?::\d{2})?)(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?"
    r"(?P<qualifier>[~?])?",
    re.ASCII,  # `\d` is 0-9 only: other scripts' digits are not ISO 8601
)
_AMBIGUOUS = re.compile(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}")
# The accepted forms as a JSON Schema `pattern`, for editors and for the JSON export's schema.
# Stricter than `_SHAPE`, which also takes a time without an offset so that `parse_date` can say
# precisely what is missing; the schemas mark the pattern as checked by this code.
DATE_SCHEMA_PATTERN = r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2}))?)?)?[~?]?$"


class DateError(ValueError):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class Precision(IntEnum):
    YEAR = 1
    MONTH = 2
    DAY = 3
    TIME = 4


@dataclass(frozen=True)
class EventDate:
    text: str
    precision: Precision
    start: datetime  # first instant the date can denote, in UTC
    approximate: bool = False
    uncertain: bool = False
    local: datetime | None = None  # for TIME precision: the time as written, with its offset

    @property
    def year(self) -> int:
        return self.start.year if self.local is None else self.local.year

    @property
    def month(self) -> int:
        return self.start.month if self.local is None else self.local.month

    @property
    def day(self) -> date:
        return (self.local or self.start).date()

    @property
    def end(self) -> datetime:
        """Last instant (exclusive) the date can denote, in UTC."""
        try:
            if self.precision is Precision.YEAR:
                return self.start.replace(year=self.start.year + 1)
            if self.precision is Precision.MONTH:
                y, m = divmod(self.start.month, 12)
                return self.start.replace(year=self.start.year + y, month=m + 1)
            if self.precision is Precision.DAY:
                return self.start + timedelta(days=1)
        except (ValueError, OverflowError):  # the last year, month or day there is
            return datetime.max.replace(tzinfo=UTC)
        return self.start

    @property
    def iso(self) -> str:
        """The date without its qualifier, as written (e.g. `2023-12`)."""
        return self.text.rstrip("~?")

    def sort_key(self) -> tuple[datetime, int]:
        return (self.start, int(self.precision))

    def display(self) -> str:
        """Human form: "10 December 2023", "December 2023", "2023", "c. December 2023"."""
        text = _plain_display(self)
        if self.approximate:
            text = f"c. {text}"
        if self.uncertain:
            text = f"{text} (uncertain)"
        return text


def _plain_display(value: EventDate) -> str:
    moment = value.local or value.start
    if value.precision is Precision.YEAR:
        return f"{moment.year}"
    if value.precision is Precision.MONTH:
        return f"{MONTHS[moment.month - 1]} {moment.year}"
    text = f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"
    if value.precision is Precision.TIME and value.local is not None:
        offset = value.local.strftime("%z")
        zone = "UTC" if offset == "+0000" else f"UTC{offset[:3]}:{offset[3:]}"
        text += f", {value.local:%H:%M} {zone}"
    return text


def display_range(start: EventDate, end: EventDate | None) -> str:
    """Display a span: "29–31 October 2023", "29 February – 2 March 2024"."""
    if end is None or end.text == start.text:
        return start.display()
    plain = not (start.approximate or start.uncertain or end.approximate or end.uncertain)
    if plain and start.precision is Precision.DAY and end.precision is Precision.DAY:
        a, b = start.day, end.day
        if a.year == b.year and a.month == b.month:
            return f"{a.day}\u2013{b.day} {MONTHS[b.month - 1]} {b.year}"
        if a.year == b.year:
            return f"{a.day} {MONTHS[a.month - 1]} \u2013 {b.day} {MONTHS[b.month - 1]} {b.year}"
    return f"{start.display()} \u2013 {end.display()}"


def parse_date(text: str) -> EventDate:
    """Parse one date string; raise DateError with a message and a hint for editors."""
    if not isinstance(text, str):
        raise DateError("must be a date written as text", "write e.g. 2023-12-10")
    return _parse_text(text)


@lru_cache(maxsize=1 << 16)  # pure, and its results immutable: dates repeat across entries
def _parse_text(text: str) -> EventDate:
    value = text.strip()
    match = _SHAPE.fullmatch(value)
    if match is None:
        raise _shape_error(value)
    qualifier = match["qualifier"]
    year = int(match["year"])
    if year == 0:
        raise DateError(f"`{value}` has year 0000", "write a real year")
    month = int(match["month"]) if match["month"] is not None else None
    day = int(match["day"]) if match["day"] is not None else None
    if match["time"] and not match["tz"]:
        raise DateError(
            f"`{value}` has a time but no UTC offset",
            "add the offset the time was given in, e.g. `+02:00`, or `Z` for UTC",
        )
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"`{value}` has month {month:02d}", "months run from 01 to 12")
    local: datetime | None = None
    try:
        start = datetime(year, month or 1, 1 if day is None else day, tzinfo=UTC)
    except ValueError:
        raise DateError(
            f"`{value}` is not a day that exists",
            f"{MONTHS[(month or 1) - 1]} {year} has no day {day}",
        ) from None
    precision = Precision.DAY if day is not None else Precision.MONTH if month else Precision.YEAR
    if match["time"]:
        try:
            local = isoparse(value.rstrip("~?"))
            start = local.astimezone(UTC)
        except (ValueError, OverflowError):
            raise DateError(
                f"`{value}` has a time or UTC offset that does not exist",
                "hours run 00-23, minutes and seconds 00-59, offsets up to ±23:59",
            ) from None
        precision = Precision.TIME
    return EventDate(
        text=value,
        precision=precision,
        start=start,
        approximate=qualifier == "~",
        uncertain=qualifier == "?",
        local=local,
    )


def _shape_error(value: str) -> DateError:
    if _AMBIGUOUS.fullmatch(value.rstrip("~?")):
        return DateError(
            f"`{value}` is ambiguous (day and month order differ between countries)",
            "write it as YYYY-MM-DD, e.g. 2023-12-10",
        )
    if re.fullmatch(r"\d{4}-\d{1,2}(-\d{1,2})?[~?]?", value):
        return DateError(f"`{value}` needs two-digit months and days", "e.g. 2023-03-05")
    if re.search(r"[~?]{2,}|[~?].", value):
        return DateError(
            f"`{value}` has a misplaced qualifier",
            "put a single `~` (approximate) or `?` (uncertain) at the end",
        )
    return DateError(
        f"`{value}` is not a date this tool reads",
        "use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM+HH:MM, "
        "with `~` or `?` at the end if needed",
    )


def source_date_epoch(value: str | None) -> datetime | None:
    """SOURCE_DATE_EPOCH (reproducible builds) as a UTC instant; None when unset or unusable."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit():  # ASCII only: `str.isdigit` alone accepts "²"
        try:
            return datetime.fromtimestamp(int(value), UTC)
        except (ValueError, OverflowError, OSError):
            pass  # out of range (a timestamp in milliseconds, say): as if unset
    return None


def today(value: str | None) -> date:
    """The build day: from SOURCE_DATE_EPOCH when set, else today in UTC."""
    return (source_date_epoch(value) or datetime.now(UTC)).date()
