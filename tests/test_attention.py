"""The attention list on hand-built bugs: every kind on each side of its limit, the states, the
rules' effective dates, and the agreement with the incidents table's own statuses."""

from __future__ import annotations

import pandas as pd
import pytest

from bzanalytics.metrics.attention import KINDS, attention, counts_by_kind
from tests.metrics_helpers import Corpus, row, ts

LINK = "https://bugzilla.mozilla.org/show_bug.cgi?id="


def items(c: Corpus, as_of: str, **kw) -> pd.DataFrame:
    m = c.measure(as_of)
    return attention(m.obligations, m.incidents, ts(as_of), **kw)


def only(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    return frame.loc[(frame["kind"] == kind).to_numpy()].reset_index(drop=True)


def one(frame: pd.DataFrame, kind: str) -> pd.Series:
    rows = only(frame, kind)
    assert len(rows) == 1, rows.to_string()
    return rows.iloc[0]


# ------------------------------------------------------------------ initial and full report

def third_party(created: str = "2025-06-02T10:00:00Z", bug: int = 1) -> Corpus:
    return Corpus().bug(bug, created)  # comment 0 by the reporter, aware = created


def test_initial_report_exactly_72_hours_is_due_not_overdue():
    c = third_party()
    at_limit = one(items(c, "2025-06-05T10:00:00Z"), "initial_report_overdue")
    assert at_limit["state"] == "due_soon"
    assert at_limit["due"] == ts("2025-06-05T10:00:00Z")
    assert at_limit["hours_overdue"] == 0.0
    assert at_limit["since"] == ts("2025-06-02T10:00:00Z")
    assert at_limit["since_event"] == "bug filed"
    assert at_limit["evidence"] == f"{LINK}1#c0"
    assert at_limit["rule"] == "ccadb-irg-3.0"
    assert "72 hours" in at_limit["source"] and "3.0" in at_limit["source"]
    late = one(items(c, "2025-06-05T10:00:01Z"), "initial_report_overdue")
    assert late["state"] == "overdue"
    assert late["hours_overdue"] == pytest.approx(1 / 3600)
    # the incidents table says the same at both moments
    assert row(c.measure("2025-06-05T10:00:00Z"), 1)["initial_report_status"] == "pending"
    assert row(c.measure("2025-06-05T10:00:01Z"), 1)["initial_report_status"] == "no_report"


def test_a_report_stops_the_clock():
    c = third_party().comment(1, 1, "2025-06-04T10:00:00Z", "ca", kind="preliminary")
    assert only(items(c, "2025-06-10T00:00:00Z"), "initial_report_overdue").empty
    # the 14-day clock still runs (due 06-16 10:00): listed once it is within --due-within
    assert only(items(c, "2025-06-10T00:00:00Z"), "full_report_overdue").empty
    full = one(items(c, "2025-06-10T00:00:00Z", due_within_hours=160), "full_report_overdue")
    assert (full["state"], full["hours_overdue"]) == ("due_soon", -154.0)


def test_due_within_is_inclusive():
    c = third_party()
    # due 06-05 10:00: exactly 48 h ahead is due soon, a second more is not listed
    assert one(items(c, "2025-06-03T10:00:00Z"), "initial_report_overdue")["state"] == "due_soon"
    assert only(items(c, "2025-06-03T09:59:59Z"), "initial_report_overdue").empty
    wider = items(c, "2025-06-03T09:59:59Z", due_within_hours=72)
    assert one(wider, "initial_report_overdue")["hours_overdue"] == pytest.approx(-48 - 1 / 3600)


def test_awareness_unknown_runs_from_filing_and_says_so():
    c = Corpus().bug(2, "2025-06-02T10:00:00Z", self_filed=True)  # CA files, states nothing
    item = one(items(c, "2025-06-06T00:00:00Z"), "initial_report_overdue")
    assert item["state"] == "overdue"
    assert item["since_event"] == "bug filed (awareness unknown)"
    assert item["note"] == "awareness unknown: the clock runs from filing"
    assert item["due"] == ts("2025-06-05T10:00:00Z")


def test_no_72_hour_item_before_the_rule_existed():
    c = third_party("2023-10-16T23:59:00Z", bug=3)
    c.bug(4, "2023-10-17T00:00:00Z")
    found = items(c, "2023-10-25T00:00:00Z")
    reports = found.loc[found["kind"].str.endswith("report_overdue").to_numpy()]
    assert list(reports["bug_id"]) == [4]  # bug 3 is not_applicable: no item at all
    assert row(c.measure("2023-10-25T00:00:00Z"), 3)["initial_report_status"] == "not_applicable"


def test_full_report_14_days_from_awareness():
    c = third_party().comment(1, 1, "2025-06-03T10:00:00Z", "ca", kind="preliminary")
    assert one(items(c, "2025-06-16T10:00:00Z"), "full_report_overdue")["state"] == "due_soon"
    late = one(items(c, "2025-06-16T10:00:01Z"), "full_report_overdue")
    assert late["state"] == "overdue"
    assert late["rule"] == "ccadb-irg-3.0"
    c.comment(1, 2, "2025-06-10T10:00:00Z", "ca", kind="full")
    assert only(items(c, "2025-06-20T00:00:00Z"), "full_report_overdue").empty


# ------------------------------------------------------------------ questions

def asked(answer_at: str | None = None) -> Corpus:
    c = third_party().comment(1, 1, "2025-06-02T12:00:00Z", "ca", kind="full")
    c.comment(1, 2, "2025-06-10T08:00:00Z", "root_program", text="When will you revoke?")
    if answer_at:
        c.comment(1, 3, answer_at, "ca", text="We are on it.")
    return c


def test_question_exactly_7_days_is_due_then_overdue():
    at_limit = one(items(asked(), "2025-06-17T08:00:00Z"), "question_unanswered")
    assert (at_limit["state"], at_limit["hours_overdue"]) == ("due_soon", 0.0)
    assert at_limit["since_event"] == "question in comment 2 (root_program)"
    assert at_limit["evidence"] == f"{LINK}1#c2"
    late = one(items(asked(), "2025-06-17T08:01:00Z"), "question_unanswered")
    assert late["state"] == "overdue"


def test_question_answered_one_minute_before_the_limit():
    c = asked(answer_at="2025-06-17T07:59:00Z")
    found = items(c, "2025-06-20T00:00:00Z")
    assert only(found, "question_unanswered").empty
    assert row(c.measure("2025-06-20T00:00:00Z"), 1)["questions_late"] == 0


def test_questions_before_the_rule_and_later_ones():
    c = Corpus().bug(5, "2023-09-01T00:00:00Z").comment(5, 1, "2023-09-02T00:00:00Z", "ca")
    c.comment(5, 2, "2023-10-10T00:00:00Z", "community", text="Why?")  # before 2023-10-17
    assert only(items(c, "2023-10-30T00:00:00Z"), "question_unanswered").empty
    c.comment(5, 3, "2023-10-18T00:00:00Z", "community", text="And now?")
    c.comment(5, 4, "2023-10-19T00:00:00Z", "root_program", text="Any news?")
    item = one(items(c, "2023-10-30T00:00:00Z"), "question_unanswered")
    assert item["since"] == ts("2023-10-18T00:00:00Z")  # the oldest one under the rule
    assert item["note"] == "and 1 later unanswered question(s)"
    assert item["rule"] == "ccadb-irg-2.0"


# ------------------------------------------------------------------ Next update and cadence

def promised(day: str) -> Corpus:
    c = third_party().comment(1, 1, "2025-06-02T12:00:00Z", "ca", kind="full")
    return c.whiteboard(1, "2025-06-03T00:00:00Z", "[ca-compliance]",
                        f"[ca-compliance] Next update {day}")


def test_next_update_due_today_then_missed():
    c = promised("2025-06-20")
    today = items(c, "2025-06-20T09:00:00Z")
    item = one(today, "next_update_missed")
    assert (item["state"], item["due"]) == ("due_soon", ts("2025-06-21T00:00:00Z"))
    assert item["hours_overdue"] == -15.0
    assert item["since"] == ts("2025-06-03T00:00:00Z")
    assert item["since_event"] == "Next update 2025-06-20 set on the Whiteboard"
    assert only(today, "update_overdue").empty  # the date covers the CA's silence
    end_of_day = items(c, "2025-06-21T00:00:00Z")
    assert one(end_of_day, "next_update_missed")["state"] == "overdue"
    assert row(c.measure("2025-06-21T00:00:00Z"), 1)["next_updates_missed"] == 1
    # a gap ending exactly at the end of the promised day is still covered; a second later
    # the silence since 06-02 is not, and the update item joins (the table counts the gap)
    assert only(end_of_day, "update_overdue").empty
    later = one(items(c, "2025-06-21T00:00:01Z"), "update_overdue")
    assert (later["state"], later["due"]) == ("overdue", ts("2025-06-09T12:00:00Z"))
    assert len(c.measure("2025-06-21T00:00:01Z").update_gaps) == 1


def test_next_update_kept_or_commented_since():
    c = promised("2025-06-20").comment(1, 2, "2025-06-19T00:00:00Z", "ca")
    assert only(items(c, "2025-06-22T00:00:00Z"), "next_update_missed").empty
    late = promised("2025-06-20").comment(1, 2, "2025-06-21T06:00:00Z", "ca")
    # missed in the table, but the CA has spoken since it was set: nothing to chase
    assert row(late.measure("2025-06-22T00:00:00Z"), 1)["next_updates_missed"] == 1
    assert only(items(late, "2025-06-22T00:00:00Z"), "next_update_missed").empty


def test_update_overdue_after_exactly_7_days():
    c = third_party().comment(1, 1, "2025-06-02T12:00:00Z", "ca", kind="full")
    at_limit = one(items(c, "2025-06-09T12:00:00Z"), "update_overdue")
    assert (at_limit["state"], at_limit["hours_overdue"]) == ("due_soon", 0.0)
    assert at_limit["evidence"] == f"{LINK}1#c1"
    assert at_limit["since_event"] == "last CA comment, comment 1"
    late = one(items(c, "2025-06-09T12:00:01Z"), "update_overdue")
    assert late["state"] == "overdue"
    gaps = c.measure("2025-06-09T12:00:01Z").update_gaps
    assert len(gaps) == 1 and pd.isna(gaps.loc[0, "end_count"])  # the table counts it too
    assert only(items(c, "2025-06-09T12:00:00Z", due_within_hours=0), "update_overdue").shape[0]


def test_no_update_item_after_a_closure_summary_but_a_closure_item():
    c = third_party().comment(1, 1, "2025-06-02T12:00:00Z", "ca", kind="full")
    c.comment(1, 2, "2025-06-10T12:00:00Z", "ca", kind="closure")
    at_limit = items(c, "2025-06-17T12:00:00Z")
    assert only(at_limit, "update_overdue").empty
    closure = one(at_limit, "closure_pending")
    assert (closure["state"], closure["hours_overdue"]) == ("due_soon", 0.0)
    assert closure["evidence"] == f"{LINK}1#c2"
    assert one(items(c, "2025-06-17T12:00:01Z"), "closure_pending")["state"] == "overdue"


# ------------------------------------------------------------------ new bugs, order, resolved

def test_new_bug_window_and_resolved_bugs():
    c = third_party()
    assert one(items(c, "2025-06-09T10:00:00Z"), "new_bug")["state"] == "new"
    assert only(items(c, "2025-06-09T10:00:01Z"), "new_bug").empty
    assert one(items(c, "2025-06-04T10:00:00Z", new_days=2), "new_bug")["due"] == ts(
        "2025-06-04T10:00:00Z")
    closed = Corpus().bug(9, "2025-06-02T10:00:00Z", status="RESOLVED", resolution="FIXED",
                          resolved="2025-06-03T00:00:00Z")
    assert items(closed, "2025-06-09T00:00:00Z").empty


def test_most_urgent_first_and_counts_by_kind():
    c = third_party("2025-06-01T00:00:00Z", bug=1)  # initial report due 06-04 00:00
    c.bug(2, "2025-06-02T00:00:00Z")  # due 06-05 00:00
    c.bug(3, "2025-06-06T12:00:00Z")  # due 06-09 12:00
    found = items(c, "2025-06-07T12:00:00Z")
    assert list(zip(found["bug_id"], found["kind"], found["state"], strict=True)) == [
        (1, "initial_report_overdue", "overdue"), (2, "initial_report_overdue", "overdue"),
        (3, "initial_report_overdue", "due_soon"), (1, "new_bug", "new"),
        (2, "new_bug", "new"), (3, "new_bug", "new")]  # new: the first to leave the window first
    table = counts_by_kind(found)
    assert list(table.index) == [k.name for k in KINDS]
    assert table.loc["initial_report_overdue", "overdue"] == 2
    assert table.loc["new_bug", "new"] == 3
    assert table.to_numpy().sum() == len(found)
