"""Every date form of observed-formats.md, read to the UTC instant a human would compute."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bzanalytics.parse.dates import DateContext, context_for, parse_datetime, report_zone

POSTED_2019 = datetime(2019, 8, 30, 12, 0, tzinfo=UTC)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "ctx", "expected", "precision"),
    [
        ("2025-10-13 – 08:01 UTC", DateContext(), utc(2025, 10, 13, 8, 1), "minute"),
        ("2023-10-23 19:00 - revoked", DateContext(zone="utc"), utc(2023, 10, 23, 19, 0),
         "minute"),
        ("10.11.2018 10:10", DateContext(zone="utc±00:00"), utc(2018, 11, 10, 10, 10), "minute"),
        # 11 May 2019 was a Saturday: month first; 8:36 PM PDT is 03:36 UTC the next day
        ("Sat 5/11/2019 8:36 PM", DateContext(zone="pt"), utc(2019, 5, 12, 3, 36), "minute"),
        ("Monday 5/13/2019", DateContext(), utc(2019, 5, 13), "day"),
        # BST is UTC+1
        ("Fri 16/08/2019 23:18 (BST)", DateContext(), utc(2019, 8, 16, 22, 18), "minute"),
        ("1/22 at 22:00 GMT", DateContext(ref=POSTED_2019), utc(2019, 1, 22, 22, 0), "minute"),
        # after the post date in 2019, so the year before
        ("On Sep 19th", DateContext(ref=POSTED_2019), utc(2018, 9, 19), "day"),
        ("2019.08.28", DateContext(), utc(2019, 8, 28), "day"),
        ("June 1, 2022", DateContext(), utc(2022, 6, 1), "day"),
        # 1:40 PM PDT (April) is 20:40 UTC
        ("20 April 2021 at 1:40 PM", DateContext(zone="pacific"), utc(2021, 4, 20, 20, 40),
         "minute"),
        ("July 29. 2024 02:17– deployed", DateContext(zone="utc"), utc(2024, 7, 29, 2, 17),
         "minute"),
        ("Non-compliance identified date: 2025-12-18", DateContext(), utc(2025, 12, 18), "day"),
        ("2026-05-04 at 08:30 UTC", DateContext(), utc(2026, 5, 4, 8, 30), "minute"),
        ("2025-03-04T08:30Z", DateContext(), utc(2025, 3, 4, 8, 30), "minute"),
        ("2024-01-05 10:00 +01:00", DateContext(), utc(2024, 1, 5, 9, 0), "minute"),
        ("2024-07-05 10:00 CEST", DateContext(), utc(2024, 7, 5, 8, 0), "minute"),
        # PT in January is PST (UTC-8)
        ("2024-01-05 10:00 PT", DateContext(), utc(2024, 1, 5, 18, 0), "minute"),
        ("08:30 UTC on 2025-03-04", DateContext(), utc(2025, 3, 4, 8, 30), "minute"),
        ("8:36 PM – 9:30 PM on 2019-05-11", DateContext(), utc(2019, 5, 11, 20, 36), "minute"),
    ],
)
def test_date_forms(line: str, ctx: DateContext, expected: datetime, precision: str) -> None:
    parsed = parse_datetime(line, ctx)
    assert parsed is not None
    assert (parsed.time, parsed.precision) == (expected, precision)


def test_assumptions_are_recorded() -> None:
    parsed = parse_datetime("2023-10-23 19:00 revoked", DateContext())
    assert parsed is not None and "zone assumed UTC" in parsed.assumptions
    yearless = parse_datetime("1/22 at 22:00 GMT", DateContext(ref=POSTED_2019))
    assert yearless is not None and "year 2019 from the post date" in yearless.assumptions


def test_day_month_order_from_other_dates_in_the_report() -> None:
    text = "All times in UTC.\n16.07.2019: review\n05.09.2019 17:28: fixed"
    ctx = context_for(text)
    parsed = parse_datetime("05.09.2019 17:28: fixed", ctx)
    assert parsed is not None and parsed.time == utc(2019, 9, 5, 17, 28)
    # a month-first report: 9/13 settles the order of 9/5
    us = context_for("9/13/2019 fixed\n9/5/2019 10:00 noticed")
    assert parse_datetime("9/5/2019 10:00 noticed", us).time == utc(2019, 9, 5, 10, 0)


def test_report_zone_statements() -> None:
    assert report_zone("### Timeline\nAll times are UTC.\n") == "utc"
    assert report_zone("Times are Pacific.") == "pacific"
    assert report_zone("All times in UTC±00:00.") == "utc±00:00"
    assert report_zone("We fixed it at noon.") is None


def test_no_date() -> None:
    assert parse_datetime("We revoked the certificates.", DateContext()) is None
    assert parse_datetime("version 1.2.3 and 24/7 support", DateContext()) is None


def test_report_zone_with_the_lower_cased_text_given() -> None:
    text = "### Timeline\nAll hours are CET.\n2025-03-04 08:30: found"
    assert report_zone(text) == "cet"
    assert report_zone(text, low=text.lower()) == "cet"
    assert report_zone("### Timeline\nNo zone stated here.", low="### timeline\nno zone "
                       "stated here.") is None
    assert report_zone("Fixed on Monday.") is None  # neither "time" nor "hours"
    assert context_for(text, low=text.lower()).zone == "cet"


def test_time_after_a_date_with_a_gap_word_and_a_range_before_it() -> None:
    ctx = DateContext()
    p = parse_datetime("- 2025-03-04, at 8:30 PM EST: issuance stopped", ctx)
    assert p is not None and (p.time, p.precision) == (datetime(2025, 3, 5, 1, 30, tzinfo=UTC),
                                                      "minute")
    # a time written before its date ("8:36 PM – 9:30 PM on ...") is still found
    p = parse_datetime("From 8:36 PM - 9:30 PM on 2025-03-04 the service was down", ctx)
    assert p is not None and p.time == datetime(2025, 3, 4, 20, 36, tzinfo=UTC)
    assert p.assumptions == ("zone assumed UTC",)
    # no digit before the date and no time after it: day precision, no zone note
    p = parse_datetime("On March 4, 2025 we were notified", ctx)
    assert p is not None and (p.time, p.precision, p.assumptions) == (
        datetime(2025, 3, 4, tzinfo=UTC), "day", ())
