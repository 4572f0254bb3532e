"""Event dates: the accepted subset of ISO 8601, display forms, ranges and sort order."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from timeline.dates import DateError, EventDate, Precision, display_range, parse_date, today


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- accepted forms --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "precision", "start", "day"),
    [
        ("2023", Precision.YEAR, utc(2023, 1, 1), date(2023, 1, 1)),
        ("2023-12", Precision.MONTH, utc(2023, 12, 1), date(2023, 12, 1)),
        ("2023-12-10", Precision.DAY, utc(2023, 12, 10), date(2023, 12, 10)),
        ("2024-02-29", Precision.DAY, utc(2024, 2, 29), date(2024, 2, 29)),
        ("2023-12-10T14:30Z", Precision.TIME, utc(2023, 12, 10, 14, 30), date(2023, 12, 10)),
        ("2023-12-10T14:30:15Z", Precision.TIME, utc(2023, 12, 10, 14, 30, 15), date(2023, 12, 10)),
        ("2023-12-10T14:30+02:00", Precision.TIME, utc(2023, 12, 10, 12, 30), date(2023, 12, 10)),
        (
            "2023-12-10T14:30:15-05:00",
            Precision.TIME,
            utc(2023, 12, 10, 19, 30, 15),
            date(2023, 12, 10),
        ),
        # The day is the one written (local), even when UTC is already the previous day.
        ("2023-12-10T00:30+02:00", Precision.TIME, utc(2023, 12, 9, 22, 30), date(2023, 12, 10)),
    ],
)
def test_accepted_forms_and_their_precision(
    text: str, precision: Precision, start: datetime, day: date
) -> None:
    value = parse_date(text)
    assert value.text == text
    assert value.iso == text
    assert value.precision is precision
    assert value.start == start
    assert value.start.utcoffset() == timedelta(0)
    assert value.day == day
    assert (value.approximate, value.uncertain) == (False, False)


def test_time_keeps_the_local_time_with_its_offset() -> None:
    value = parse_date("2023-12-10T14:30+02:00")
    assert value.local == datetime(2023, 12, 10, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    assert (value.year, value.month) == (2023, 12)
    assert parse_date("2023-12-10").local is None


def test_surrounding_whitespace_is_ignored() -> None:
    value = parse_date("  2023-12-10\n")
    assert (value.text, value.precision) == ("2023-12-10", Precision.DAY)


@pytest.mark.parametrize(
    ("text", "approximate", "uncertain", "iso", "precision"),
    [
        ("2023~", True, False, "2023", Precision.YEAR),
        ("2023-12~", True, False, "2023-12", Precision.MONTH),
        ("2023-12-10~", True, False, "2023-12-10", Precision.DAY),
        ("2023?", False, True, "2023", Precision.YEAR),
        ("2023-12?", False, True, "2023-12", Precision.MONTH),
        ("2023-12-10?", False, True, "2023-12-10", Precision.DAY),
        ("2023-12-10T14:30Z~", True, False, "2023-12-10T14:30Z", Precision.TIME),
    ],
)
def test_qualifiers(
    text: str, approximate: bool, uncertain: bool, iso: str, precision: Precision
) -> None:
    value = parse_date(text)
    assert (value.approximate, value.uncertain) == (approximate, uncertain)
    assert value.text == text
    assert value.iso == iso
    assert value.precision is precision
    assert value.start == parse_date(iso).start


# --- rejected forms --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ("2023-02-30", "`2023-02-30` is not a day that exists", "February 2023 has no day 30"),
        ("2023-02-29", "`2023-02-29` is not a day that exists", "February 2023 has no day 29"),
        ("2023-04-31", "`2023-04-31` is not a day that exists", "April 2023 has no day 31"),
        ("2023-13-01", "`2023-13-01` has month 13", "months run from 01 to 12"),
        ("2023-00", "`2023-00` has month 00", "months run from 01 to 12"),
        ("0000", "`0000` has year 0000", "write a real year"),
        (
            "10/12/2023",
            "`10/12/2023` is ambiguous (day and month order differ between countries)",
            "write it as YYYY-MM-DD, e.g. 2023-12-10",
        ),
        (
            "10.12.23",
            "`10.12.23` is ambiguous (day and month order differ between countries)",
            "write it as YYYY-MM-DD, e.g. 2023-12-10",
        ),
        ("2023-1-5", "`2023-1-5` needs two-digit months and days", "e.g. 2023-03-05"),
        ("2023-12-5", "`2023-12-5` needs two-digit months and days", "e.g. 2023-03-05"),
        (
            "2023-12-10T14:30",
            "`2023-12-10T14:30` has a time but no UTC offset",
            "add the offset the time was given in, e.g. `+02:00`, or `Z` for UTC",
        ),
        (
            "2023-12-10~~",
            "`2023-12-10~~` has a misplaced qualifier",
            "put a single `~` (approximate) or `?` (uncertain) at the end",
        ),
        (
            "~2023",
            "`~2023` has a misplaced qualifier",
            "put a single `~` (approximate) or `?` (uncertain) at the end",
        ),
        (
            "2023-12-10?~",
            "`2023-12-10?~` has a misplaced qualifier",
            "put a single `~` (approximate) or `?` (uncertain) at the end",
        ),
    ],
)
def test_rejected_with_message_and_hint(text: str, message: str, hint: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert (caught.value.message, caught.value.hint) == (message, hint)
    assert str(caught.value) == message


FREE_TEXT_HINT = (
    "use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM+HH:MM, with `~` or `?` at the end if needed"
)


@pytest.mark.parametrize(
    "text",
    [
        "yesterday",
        "10 December 2023",
        "Dec 2023",
        "",
        "23",
        "20231210",
        "2023-12-10 14:30Z",
        "2023-12-10T14:30+0200",
        "2023-12-10T14:30:15.5Z",
        "2023-12-10T14Z",
    ],
)
def test_free_text_and_near_misses_are_rejected(text: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert caught.value.message == f"`{text}` is not a date this tool reads"
    assert caught.value.hint == FREE_TEXT_HINT


@pytest.mark.parametrize("value", [None, 2023, ["2023"], True])
def test_non_string_is_rejected(value: object) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(value)  # type: ignore[arg-type]
    assert caught.value.message == "must be a date written as text"


def test_day_zero_is_rejected() -> None:
    with pytest.raises(DateError):
        parse_date("2023-12-00")


@pytest.mark.parametrize("text", ["9999-12-31T23:30-05:00", "0001-01-01T00:30+01:00"])
def test_out_of_range_time_is_a_date_error(text: str) -> None:
    with pytest.raises(DateError):
        parse_date(text)


@pytest.mark.parametrize(
    "text", ["2023-12-10T25:00Z", "2023-12-10T14:30:60Z", "2023-12-10T14:30+24:00"]
)
def test_impossible_time_is_not_reported_as_a_missing_day(text: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert "has no day 10" not in caught.value.hint
    assert "not a day that exists" not in caught.value.message


@pytest.mark.parametrize(
    "text", ["\uff12\uff10\uff12\uff13", "\u0662\u0660\u0662\u0663-\u0661\u0662-\u0661\u0660"]
)
def test_non_ascii_digits_are_rejected(text: str) -> None:
    with pytest.raises(DateError):
        parse_date(text)


# --- display ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2023-12-10", "10 December 2023"),
        ("2023-01-05", "5 January 2023"),
        ("2023-12", "December 2023"),
        ("2023", "2023"),
        ("2023-12~", "c. December 2023"),
        ("2023-12-10~", "c. 10 December 2023"),
        ("2023~", "c. 2023"),
        ("2023-12?", "December 2023 (uncertain)"),
        ("2023-12-10?", "10 December 2023 (uncertain)"),
        ("2023-12-10T14:30Z", "10 December 2023, 14:30 UTC"),
        ("2023-12-10T14:30+00:00", "10 December 2023, 14:30 UTC"),
        ("2023-12-10T14:30:15+02:00", "10 December 2023, 14:30 UTC+02:00"),
        ("2023-12-10T00:30-05:00", "10 December 2023, 00:30 UTC-05:00"),
        ("2023-12-10T23:30+05:30", "10 December 2023, 23:30 UTC+05:30"),
        ("2023-12-10T14:30Z~", "c. 10 December 2023, 14:30 UTC"),
    ],
)
def test_display(text: str, shown: str) -> None:
    assert parse_date(text).display() == shown


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        ("2023-10-29", "2023-10-31", "29\u201331 October 2023"),
        ("2023-10-29", "2023-11-02", "29 October \u2013 2 November 2023"),
        ("2024-02-29", "2024-03-02", "29 February \u2013 2 March 2024"),
        ("2023-12-30", "2024-01-02", "30 December 2023 \u2013 2 January 2024"),
        ("2023-12", "2024-01", "December 2023 \u2013 January 2024"),
        ("2023-10", "2023-10-31", "October 2023 \u2013 31 October 2023"),
        ("2023-10-29~", "2023-10-31", "c. 29 October 2023 \u2013 31 October 2023"),
        ("2023-10-29", "2023-10-31?", "29 October 2023 \u2013 31 October 2023 (uncertain)"),
        (
            "2023-10-29T10:00Z",
            "2023-10-29T12:00Z",
            "29 October 2023, 10:00 UTC \u2013 29 October 2023, 12:00 UTC",
        ),
    ],
)
def test_display_range(start: str, end: str, shown: str) -> None:
    assert display_range(parse_date(start), parse_date(end)) == shown


def test_display_range_without_a_distinct_end_is_the_start() -> None:
    start = parse_date("2023-12-10")
    assert display_range(start, None) == "10 December 2023"
    assert display_range(start, parse_date("2023-12-10")) == "10 December 2023"


# --- sort keys -------------------------------------------------------------------------------


def test_partial_date_sorts_at_its_first_day() -> None:
    month = parse_date("2023-12")
    assert month.start == utc(2023, 12, 1)
    assert (
        parse_date("2023-11-30").sort_key() < month.sort_key() < parse_date("2023-12-02").sort_key()
    )
    year = parse_date("2023")
    assert (
        parse_date("2022-12-31").sort_key() < year.sort_key() < parse_date("2023-01-02").sort_key()
    )


def test_same_start_sorts_year_then_month_then_day_then_time() -> None:
    texts = ["2023-01-01T00:00Z", "2023-01-01", "2023", "2023-01"]
    ordered = sorted((parse_date(t) for t in texts), key=EventDate.sort_key)
    assert [d.text for d in ordered] == ["2023", "2023-01", "2023-01-01", "2023-01-01T00:00Z"]
    assert [d.sort_key()[1] for d in ordered] == [1, 2, 3, 4]


def test_qualifiers_do_not_change_the_sort_key() -> None:
    assert parse_date("2023-12~").sort_key() == parse_date("2023-12").sort_key()
    assert parse_date("2023-12?").sort_key() == parse_date("2023-12").sort_key()


def test_offset_time_sorts_by_its_utc_instant() -> None:
    # 01:00 at +02:00 is 23:00 UTC the day before: before 23:30 UTC that day, after 22:30.
    early = parse_date("2023-12-10T01:00+02:00")
    assert early.sort_key() == (utc(2023, 12, 9, 23, 0), 4)
    texts = ["2023-12-09T23:30Z", "2023-12-10T01:00+02:00", "2023-12-09T18:30-04:00"]
    ordered = sorted((parse_date(t) for t in texts), key=EventDate.sort_key)
    assert [d.text for d in ordered] == [
        "2023-12-09T18:30-04:00",
        "2023-12-10T01:00+02:00",
        "2023-12-09T23:30Z",
    ]


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("2023", utc(2024, 1, 1)),
        ("2023-12", utc(2024, 1, 1)),
        ("2023-11", utc(2023, 12, 1)),
        ("2023-12-31", utc(2024, 1, 1)),
        ("2023-12-10T14:30+02:00", utc(2023, 12, 10, 12, 30)),
    ],
)
def test_end_is_the_first_instant_after_the_date(text: str, end: datetime) -> None:
    assert parse_date(text).end == end


# --- today -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("epoch", "day"),
    [
        ("1702166400", date(2023, 12, 10)),  # 2023-12-10T00:00:00Z
        ("1702252799", date(2023, 12, 10)),  # 2023-12-10T23:59:59Z
        ("1702252800", date(2023, 12, 11)),
        (" 1702166400\n", date(2023, 12, 10)),
        ("0", date(1970, 1, 1)),
    ],
)
def test_today_honours_source_date_epoch(epoch: str, day: date) -> None:
    assert today(epoch) == day


@pytest.mark.parametrize(
    "epoch", [None, "", "   ", "garbage", "-5", "1.7e9", "1702166400s", "0x10"]
)
def test_today_ignores_a_missing_or_malformed_epoch(epoch: str | None) -> None:
    before = datetime.now(UTC).date()
    got = today(epoch)
    after = datetime.now(UTC).date()
    assert got in {before, after}


@pytest.mark.parametrize("epoch", ["\u00b2", "1700000000000", "99999999999999999999"])
def test_today_ignores_digit_like_garbage(epoch: str) -> None:
    before = datetime.now(UTC).date()
    got = today(epoch)
    assert got in {before, datetime.now(UTC).date()}
