"""Every comparison, default, window and threshold of parse/dates.py, parse/timeline.py and
parse/reports.py, with a case on each side, so that moving any one of them fails a test.

Expected values are read off docs/parsing.md and docs/methodology.md by hand (fictional CAs).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bzanalytics.parse.dates import (
    DateContext,
    context_for,
    infer_dayfirst,
    parse_datetime,
    parse_time_only,
)
from bzanalytics.parse.reports import parse_report
from bzanalytics.parse.timeline import extract_timeline


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


NO_CONTEXT = DateContext()


def read(line: str, ctx: DateContext = NO_CONTEXT) -> tuple[datetime, str] | None:
    p = parse_datetime(line, ctx)
    return None if p is None else (p.time, p.precision)


# --- dates: day/month order ----------------------------------------------------------------------

@pytest.mark.parametrize(("line", "expected", "note"), [
    ("13/04/2025", utc(2025, 4, 13), None),  # first part > 12: day-first
    ("04/13/2025", utc(2025, 4, 13), None),  # second part > 12: month-first
    ("12/12/2025", utc(2025, 12, 12), "day/month order assumed: month-first"),
    # no other evidence: slashes and dashes month-first, dots day-first (parsing.md)
    ("04/05/2025", utc(2025, 4, 5), "day/month order assumed: month-first"),
    ("04-05-2025", utc(2025, 4, 5), "day/month order assumed: month-first"),
    ("04.05.2025", utc(2025, 5, 4), "day/month order assumed: day-first"),
])
def test_numeric_date_order_and_its_default(line, expected, note):
    p = parse_datetime(line, DateContext())
    assert p is not None and p.time == expected
    orders = [a for a in p.assumptions if "day/month" in a]
    assert orders == ([note] if note else [])


def test_a_weekday_that_fits_one_reading_decides_the_order():
    # 2025-04-05 was a Saturday, 2025-05-04 a Sunday
    assert read("Sat 04/05/2025") == (utc(2025, 4, 5), "day")
    assert read("Sun 04/05/2025") == (utc(2025, 5, 4), "day")


def test_other_dates_decide_only_for_their_own_separator():
    text = "13/04/2025: found\n04/05/2025: fixed\n04-05-2025: closed"
    ctx = context_for(text)
    assert ctx.dayfirst == {"/": True}
    assert read("04/05/2025: fixed", ctx)[0] == utc(2025, 5, 4)  # day-first, like 13/04
    assert read("04-05-2025: closed", ctx)[0] == utc(2025, 4, 5)  # dashes keep the default


def test_a_twelve_in_the_reports_other_dates_casts_no_vote():
    """12 can be a day or a month: "12/05/2025" and "05/12/2025" settle nothing."""
    assert infer_dayfirst("12/05/2025 a") == {} and infer_dayfirst("05/12/2025 a") == {}
    assert infer_dayfirst("13/05/2025 a") == {"/": True}
    assert infer_dayfirst("05/13/2025 a") == {"/": False}
    for text in ("12/05/2025 a\n04/05/2025 b", "05/12/2025 a\n04/05/2025 b"):
        assert read("04/05/2025 b", context_for(text))[0] == utc(2025, 4, 5)


def test_dotted_pairs_without_a_year_cast_no_vote():
    """"3.14" is a version number, not a date: it must not make dots month-first."""
    assert infer_dayfirst("version 3.14 deployed") == {}
    assert infer_dayfirst("version 3.14.2025 deployed") == {".": False}  # with a year it votes
    ctx = context_for("version 3.14 deployed\n04.05.2025 fixed")
    assert read("04.05.2025 fixed", ctx)[0] == utc(2025, 5, 4)


def test_a_tie_between_the_reports_dates_falls_back_to_the_default():
    assert infer_dayfirst("13/04/2025 a\n04/13/2025 b") == {}
    ctx = context_for("13/04/2025 a\n04/13/2025 b\n05/06/2025 c")
    p = parse_datetime("05/06/2025 c", ctx)
    assert p.time == utc(2025, 5, 6) and "day/month order assumed: month-first" in p.assumptions


# --- dates: years --------------------------------------------------------------------------------

POSTED = utc(2019, 8, 30, 12, 0)


@pytest.mark.parametrize(("line", "expected"), [
    ("On Aug 30", utc(2019, 8, 30)),  # the post's own day: still the post year
    ("On Aug 31", utc(2018, 8, 31)),  # the day after the post: the year before
    ("8/30", utc(2019, 8, 30)),
    ("8/31", utc(2018, 8, 31)),
])
def test_a_missing_year_is_the_latest_not_after_the_post(line, expected):
    p = parse_datetime(line, DateContext(ref=POSTED))
    assert p.time == expected
    assert f"year {expected.year} from the post date" in p.assumptions


def test_a_missing_year_without_a_post_date_is_no_date():
    assert parse_datetime("On Aug 30", DateContext()) is None


@pytest.mark.parametrize(("line", "ok"), [
    ("1989-12-31", False), ("1990-01-01", True), ("2099-12-31", True), ("31 Dec 1989", False),
])
def test_plausible_years_start_in_1990(line, ok):
    """The date patterns only know 19xx and 20xx years, so 2099 is the last one reachable."""
    assert (parse_datetime(line, DateContext()) is not None) is ok


# --- dates: times --------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "expected"), [
    ("2025-04-01 at 5 PM", (utc(2025, 4, 1, 17, 0), "minute")),
    ("2025-04-01 at 12 PM", (utc(2025, 4, 1, 12, 0), "minute")),  # noon stays 12
    ("2025-04-01 at 12:30 AM", (utc(2025, 4, 1, 0, 30), "minute")),  # 12 AM is 00
    ("2025-04-01 at 11:59 PM", (utc(2025, 4, 1, 23, 59), "minute")),
    ("2025-04-01 at 1 AM", (utc(2025, 4, 1, 1, 0), "minute")),
    ("2025-04-01 at 13 PM", (utc(2025, 4, 1), "day")),  # an hour alone must be 1..12
    ("2025-04-01 at 0 AM", (utc(2025, 4, 1), "day")),
    ("2025-04-01 23:59", (utc(2025, 4, 1, 23, 59), "minute")),
    ("2025-04-01 23:60", (utc(2025, 4, 1), "day")),  # minutes below 60
    ("2025-04-01 25:00", (utc(2025, 4, 1), "day")),  # hours up to 24
    ("2025-04-01 24:00", (utc(2025, 4, 2, 0, 0), "minute")),  # the end of the day
])
def test_time_limits(line, expected):
    assert read(line) == expected


def test_a_time_far_after_its_date_is_not_its_time():
    near = "2025-04-01" + " " * 30 + "10:00 UTC"
    far = "2025-04-01" + " " * 38 + "10:00 UTC"  # the time starts 38 characters on: cut off
    assert read(near) == (utc(2025, 4, 1, 10, 0), "minute")
    assert read(far) == (utc(2025, 4, 1), "day")


def test_a_time_far_before_its_date_is_not_its_time():
    near = "8:36 PM" + " " * 28 + "on 2019-05-11"  # 38 characters before the date
    far = "8:36 PM" + " " * 31 + "on 2019-05-11"  # 41 characters before it
    assert read(near) == (utc(2019, 5, 11, 20, 36), "minute")
    assert read(far) == (utc(2019, 5, 11), "day")


# --- dates: zones --------------------------------------------------------------------------------

def test_a_zone_is_not_applied_to_a_bare_date():
    p = parse_datetime("2025-04-01 CET", DateContext())
    assert (p.time, p.precision) == (utc(2025, 4, 1), "day")
    assert p.assumptions == ("date without time: zone ignored",)
    assert parse_datetime("2025-04-01 UTC", DateContext()).assumptions == ()  # nothing ignored
    stated = parse_datetime("2025-04-01", DateContext(zone="pacific"))
    assert stated.assumptions == ("date without time: zone ignored",)


def test_the_reports_zone_is_used_only_when_the_line_has_none():
    ctx = DateContext(zone="cet")
    p = parse_datetime("2025-04-01 10:00", ctx)
    assert p.time == utc(2025, 4, 1, 9, 0)
    assert p.assumptions == ("zone CET stated for the report",)
    p = parse_datetime("2025-04-01 10:00 UTC", ctx)
    assert p.time == utc(2025, 4, 1, 10, 0) and p.assumptions == ()
    p = parse_datetime("2025-04-01 10:00", DateContext())
    assert p.time == utc(2025, 4, 1, 10, 0) and p.assumptions == ("zone assumed UTC",)


def test_ambiguous_zone_words_count_only_in_capitals():
    # "met" is a word; "MET" is Middle European Time (UTC+1)
    assert read("2025-04-01 10:00 - we met the auditors")[0] == utc(2025, 4, 1, 10, 0)
    assert read("2025-04-01 10:00 - call with the auditors, MET")[0] == utc(2025, 4, 1, 9, 0)


@pytest.mark.parametrize(("line", "expected"), [
    ("2025-03-09 01:59 ET", utc(2025, 3, 9, 6, 59)),  # EST, UTC-5
    ("2025-03-09 03:00 ET", utc(2025, 3, 9, 7, 0)),  # EDT, UTC-4, after the 02:00 change
    ("2025-11-02 00:30 PT", utc(2025, 11, 2, 7, 30)),  # PDT until 02:00 local
    ("2025-11-03 00:30 PT", utc(2025, 11, 3, 8, 30)),  # PST
])
def test_regional_zones_follow_daylight_saving_time(line, expected):
    assert read(line)[0] == expected


def test_time_only_lines():
    day = date(2025, 4, 2)
    p = parse_time_only("- 14:05 deployed", day, DateContext())
    assert p.time == utc(2025, 4, 2, 14, 5)
    assert p.assumptions == ("date from the heading above", "zone assumed UTC")
    assert parse_time_only("- 5 PM deployed", day, DateContext()).time == utc(2025, 4, 2, 17, 0)
    assert parse_time_only("- 5 deployed", day, DateContext()) is None  # a number, not a time
    # the report's zone applies to time-only lines too (PDT on 2 April)
    stated = parse_time_only("- 01:00 found", day, DateContext(zone="pacific"))
    assert stated.time == utc(2025, 4, 2, 8, 0)
    assert "zone assumed UTC" not in stated.assumptions
    on_line = parse_time_only("- 01:00 UTC found", day, DateContext(zone="pacific"))
    assert on_line.time == utc(2025, 4, 2, 1, 0)
    assert parse_time_only("- 24:00 done", day, DateContext()).time == utc(2025, 4, 3, 0, 0)


# --- timeline ------------------------------------------------------------------------------------

def entries(text: str, ctx: DateContext = NO_CONTEXT) -> list[tuple[datetime, str, str]]:
    return [(e.time, e.precision, e.raw) for e in extract_timeline(text.split("\n"), ctx)]


def test_a_date_line_with_event_words_is_an_entry_and_without_them_a_heading():
    # "ok" has two letters: not an event; "fix" has three
    got = entries("2025-04-02: ok\n- 10:00 found\n2025-04-03: fix")
    assert got == [(utc(2025, 4, 2, 10, 0), "minute", "- 10:00 found"),
                   (utc(2025, 4, 3), "day", "2025-04-03: fix")]
    # "UTC", "on", "at" are no event words either
    assert entries("2025-04-02 UTC\n- 10:00 found") == [
        (utc(2025, 4, 2, 10, 0), "minute", "- 10:00 found")]


def test_a_heading_without_times_below_stays_an_entry():
    assert entries("2025-04-02:\n2025-04-03:") == [(utc(2025, 4, 2), "day", "2025-04-02:"),
                                                   (utc(2025, 4, 3), "day", "2025-04-03:")]


def test_relative_day_entries_count_from_the_previous_entry():
    got = extract_timeline([
        "2025-04-02 10:00 UTC: found", "The following day: revoked", "Next morning: deployed",
    ], DateContext())
    assert [(e.time, e.precision) for e in got] == [
        (utc(2025, 4, 2, 10, 0), "minute"), (utc(2025, 4, 3), "day"), (utc(2025, 4, 4), "day")]
    assert got[1].assumptions == ("day relative to the previous entry",)
    # time-only lines after a relative entry belong to that new day
    later = entries("2025-04-02 10:00 UTC: found\nThe following day:\n- 09:00 revoked")
    assert later[-1][:2] == (utc(2025, 4, 3, 9, 0), "minute")
    # nothing to count from: no entry
    assert entries("The following day: revoked") == []


def test_table_rules_and_blank_lines_are_skipped():
    got = entries("| When | What |\n|---|---|\n| 2025-04-02 10:00 UTC | found |\n\n")
    assert got == [(utc(2025, 4, 2, 10, 0), "minute", "| 2025-04-02 10:00 UTC | found |")]


# --- reports: kinds and their thresholds ---------------------------------------------------------

def kind(text: str) -> tuple[str | None, str | None]:
    p = parse_report(text)
    return p.kind, p.template


def test_one_audit_item_is_not_an_audit_report_two_are():
    assert kind("Issue #1\nIssue description\nA finding.") == ("audit", "legacy")
    assert kind("Issue #1\nWe will report back.") == (None, None)


def test_legacy_needs_two_topics_or_one_question_in_the_wiki_words():
    assert kind("How your CA first became aware of the problem\nMail.\nTimeline\nSoon.") == (
        "legacy", "legacy")
    # one question echoed in the wiki's own words is a report (a page cut after it, issue 16)
    assert kind("How your CA first became aware of the problem\nMail.") == ("legacy", "legacy")
    # one short label is not, nor a label with the timeline
    assert kind("How we became aware\nMail.") == (None, None)
    assert kind("Timeline\nSoon.\nRoot cause\nA typo.") == ("legacy", "legacy")
    assert kind("Root cause\nA typo.") == (None, None)


def test_a_full_report_needs_three_sections_one_of_them_substantive():
    three = "### Summary\nx\n### Impact\ny\n### Timeline\nz"
    assert kind(three) == ("full", "ccadb-v2")
    assert kind("### Summary\nx\n### Impact\ny") == (None, None)  # two sections
    assert kind("### Summary\nx\n### Timeline\ny\n### Appendix\nz") == (None, None)


def test_v2_title_with_v3_words_is_a_v3_report():
    base = "## Incident Report\n\n### Summary\nA field was wrong.\n"
    assert kind(base) == ("full", "ccadb-v2")
    v3 = parse_report(base + "CCADB Unique ID: A000123\n")
    assert (v3.kind, v3.template, v3.ccadb_id) == ("full", "ccadb-v3", "A000123")
    assert kind(base + "Incident description: the field.\n") == ("full", "ccadb-v3")


def test_preliminary_wording_counts_only_within_its_span():
    # a "Preliminary report" heading line within the first 600 characters
    lead, phrase = "We looked into the bug.\n", "Preliminary report"
    near = lead + "x" * (600 - len(lead) - 1 - len(phrase)) + "\n" + phrase + "\n"
    assert near.index(phrase) + len(phrase) == 600  # ends with the 600th character
    assert kind(near) == ("preliminary", None)
    far = near.replace("\n" + phrase, "x\n" + phrase)  # one character later
    assert kind(far) == (None, None)
    # a text that calls itself one may say so later, within SELF_PRELIM_SPAN (issue 16)
    from bzanalytics.parse.reports import SELF_PRELIM_SPAN

    phrase = "This is our preliminary report"
    near = lead + "x" * (SELF_PRELIM_SPAN - len(lead) - 1 - len(phrase)) + "\n" + phrase + ".\n"
    assert near.index(phrase) + len(phrase) == SELF_PRELIM_SPAN
    assert kind(near) == ("preliminary", None)
    assert kind(near.replace("\n" + phrase, "x\n" + phrase)) == (None, None)


def test_update_only_when_the_first_line_says_so():
    assert kind("Update: the fix is deployed.") == ("update", None)
    assert kind("Weekly update\nStill deploying.") == ("update", None)
    assert kind("The fix is deployed.\nUpdate: all done.") == (None, None)
    # an update *to the CPS* is a policy change, not a progress update
    assert kind("Update to the CPS is published.") == (None, None)
    assert kind("Update to our policy: section 4 changed.") == (None, None)
    assert kind("Update to the team: the fix is deployed.") == ("update", None)


# --- reports: a list of questions is not a report ------------------------------------------------

HEADS = ["### Summary", "### Impact", "### Timeline", "### Related Incidents",
         "### Root Cause Analysis", "### Lessons Learned", "### What went well",
         "### What didn't go well", "### Where we got lucky", "### Action Items", "### Appendix"]
CUE = "Please provide the following information in this bug."


def headed(answered: int) -> str:
    """The 11 headings (10 gaps between them), the first `answered` gaps with text."""
    lines = []
    for n, head in enumerate(HEADS):
        lines.append(head)
        if n < answered:
            lines.append("An answer.")
    return "\n".join(lines) + "\n" + CUE


def test_headings_without_text_between_them_make_a_question_list():
    # 10 gaps; the threshold is 70 %: 7 empty gaps make a list, 6 do not
    assert kind(headed(answered=3)) == (None, None)
    assert kind(headed(answered=4)) == ("full", "ccadb-v3")
    assert kind(headed(answered=10)) == ("full", "ccadb-v3")


def test_a_request_before_the_first_heading_makes_a_question_list():
    body = "### Summary\nx\n### Impact\ny\n### Root Cause Analysis\nz\n"
    assert kind(CUE + "\n" + body) == (None, None)
    assert kind(body + CUE) == ("full", "ccadb-v2")


def test_quoted_lines_are_not_read_even_when_indented():
    quoted = "> ### Summary\n  > ### Impact\n\t> ### Root Cause Analysis\nThanks, answers follow."
    assert kind(quoted) == (None, None)
    assert kind(quoted.replace(">", "")) == ("full", "ccadb-v2")


def test_crlf_text_reads_like_lf_text():
    lf = ("## Full Incident Report\n\n### Summary\nA field was wrong.\n\n### Timeline\n"
          "2025-04-02 09:00 UTC: we became aware of the problem.\n"
          "2025-04-03 10:00 UTC: revoked.\n\n### Root Cause Analysis\nThe linter.\n")
    a, b = parse_report(lf), parse_report(lf.replace("\n", "\r\n"))
    assert (b.kind, b.template, b.section_names) == (a.kind, a.template, a.section_names)
    assert [(e.time, e.raw) for e in b.timeline] == [(e.time, e.raw) for e in a.timeline]
    assert b.awareness == a.awareness and a.awareness.time == utc(2025, 4, 2, 9, 0)
    assert parse_report(lf.replace("\n", "\r")).section_names == a.section_names  # old Mac


# --- reports: awareness --------------------------------------------------------------------------

def aware(text: str, posted: datetime | None = None, created: datetime | None = None):
    p = parse_report(text, posted=posted, created=created).awareness
    return None if p is None else (p.time, p.precision)


PRELIM = "## Preliminary Incident Report\n\nIncident description: wrong field.\n"


def test_awareness_at_exactly_the_comments_time_is_kept_a_minute_later_is_not():
    text = PRELIM + "Non-compliance identified date: 2025-04-01 10:00 UTC\n"
    assert aware(text, posted=utc(2025, 4, 1, 10, 0)) == (utc(2025, 4, 1, 10, 0), "minute")
    assert aware(text, posted=utc(2025, 4, 1, 9, 59)) is None


def test_awareness_window_is_730_days_before_the_bug():
    created = utc(2025, 4, 1)
    kept = PRELIM + "Non-compliance identified date: 2023-04-02 00:00 UTC\n"
    gone = PRELIM + "Non-compliance identified date: 2023-04-01 23:59 UTC\n"
    assert created - timedelta(days=730) == utc(2023, 4, 2)
    assert aware(kept, created=created) == (utc(2023, 4, 2), "minute")
    assert aware(gone, created=created) is None


def test_identified_date_value_may_sit_up_to_three_lines_below_its_label():
    three = PRELIM + "Non-compliance identified date:\n\n-\n2025-04-01 10:00 UTC\n"
    four = PRELIM + "Non-compliance identified date:\n\n-\n\n2025-04-01 10:00 UTC\n"
    assert aware(three) == (utc(2025, 4, 1, 10, 0), "minute")
    assert aware(four) is None


def test_a_day_is_sharpened_only_by_a_minute_of_the_same_day():
    same_day = ("## Full Incident Report\n\nNon-compliance identified date: 2025-04-02\n"
                "### Summary\nx\n### Timeline\n2025-04-02 09:15 UTC: we became aware.\n")
    other_day = same_day.replace("2025-04-02 09:15", "2025-04-03 09:15")
    assert aware(same_day) == (utc(2025, 4, 2, 9, 15), "minute")
    assert aware(other_day) == (utc(2025, 4, 2), "day")


def test_the_identified_date_field_comes_before_the_timeline():
    text = ("## Full Incident Report\n\nNon-compliance identified date: 2025-04-01 08:00 UTC\n"
            "### Summary\nx\n### Timeline\n2025-04-02 09:15 UTC: we became aware.\n")
    assert aware(text) == (utc(2025, 4, 1, 8, 0), "minute")


def test_an_inferred_awareness_may_lie_at_most_90_days_before_the_bug():
    created = utc(2025, 4, 1)
    assert created - timedelta(days=90) == utc(2025, 1, 1)  # 31 + 28 + 31 days back
    head = "## Full Incident Report\n\n### Summary\nx\n### Timeline\n"
    kept = head + "2025-01-01 00:00 UTC: we became aware of the problem.\n"
    gone = head + "2024-12-31 23:59 UTC: we became aware of the problem.\n"
    assert aware(kept, created=created) == (utc(2025, 1, 1), "minute")
    assert aware(gone, created=created) is None
    # stated in the v3 field, the same moment is well inside the two-year window
    stated = gone + "Non-compliance identified date: 2024-12-31 23:59 UTC\n"
    assert aware(stated, created=created) == (utc(2024, 12, 31, 23, 59), "minute")
