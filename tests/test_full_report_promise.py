"""The date a CA promises its full report by: read from the text (fictional wordings modelled on
the forms real preliminary reports use, bench/real), measured in the incidents table, and the
attention list's `full_report_overdue` due at the earlier of that date and the 14-day limit.
Every boundary is worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from bzanalytics.metrics.attention import attention
from bzanalytics.parse.dates import context_for
from bzanalytics.parse.full_report_promise import GAP, full_report_promise
from bzanalytics.parse.reports import parse_report
from bzanalytics.parse.tables import analyze
from tests.metrics_helpers import BUG_URL, Corpus, row, ts
from tests.parse_helpers import bugs_frame, comments_frame

POSTED = datetime(2025, 6, 2, 15, 30, tzinfo=UTC)


def promise(text: str, posted: datetime | None = POSTED):
    return full_report_promise(text, context_for(text, posted), posted)


# ------------------------------------------------------------------ reading the promise

@pytest.mark.parametrize(("text", "day"), [
    ("A full incident report will be posted no later than 9 June 2025.", 9),
    ("We expect to publish the full report by Monday, 9 June 2025.", 9),
    ("Our complete incident report will follow on or before 2025-06-10.", 10),
    ("The final report is planned at the latest on the 11th of June 2025.", 11),
    ("The full incident report is expected on June 12, 2025, after our review.", 12),
    ("By 2025-06-13 we will post the full report.", 13),  # the date before the report's name
    ("Full Incident Report will be shared not later than Friday, June 13th 2025.", 13),
])
def test_day_promises_in_the_forms_cas_write(text, day):
    got = promise(text)
    assert got is not None
    assert (got.time, got.precision) == (datetime(2025, 6, day, tzinfo=UTC), "day")


def test_a_stated_time_of_day_is_kept_to_the_minute():
    got = promise("The full incident report will be disclosed at the latest by 13:00 (UTC) "
                  "on 2025-06-09.")
    assert (got.time, got.precision) == (datetime(2025, 6, 9, 13, 0, tzinfo=UTC), "minute")


@pytest.mark.parametrize("text", [
    "We will follow up with a full incident report.",
    "A full incident report will be posted within 14 days.",
    "The full report will come within two weeks of the incident.",
    "Our full report covers certificates issued on 2025-05-20.",  # a date, but no deadline
    "We revoked the certificates by 2025-06-05 and will post an update.",  # no full report
    "The preliminary report was reviewed by our team on 2025-06-09.",
])
def test_no_promise_without_a_dated_deadline_for_the_full_report(text):
    assert promise(text) is None


def test_a_deadline_already_past_when_written_is_no_promise():
    text = "A full incident report will be posted by 2025-06-01."
    assert promise(text) is None  # posted 06-02 15:30
    # the day itself still allows the rest of it: posted on 06-01, or exactly at its end
    assert promise(text, datetime(2025, 6, 1, 23, 59, tzinfo=UTC)) is not None
    assert promise(text, datetime(2025, 6, 2, 0, 0, tzinfo=UTC)) is None
    minute = "The full report will be posted by 09:00 UTC on 2025-06-03."
    assert promise(minute, datetime(2025, 6, 3, 8, 59, tzinfo=UTC)) is not None
    assert promise(minute, datetime(2025, 6, 3, 9, 0, tzinfo=UTC)) is None


def test_the_date_must_follow_the_deadline_word_closely():
    # GAP characters between the cue and the date are allowed, one more are not
    near = "The full report will be posted by " + "z" * (GAP - 2) + " 2025-06-20."
    far = "The full report will be posted by " + "z" * (GAP - 1) + " 2025-06-20."
    assert promise(near) is not None
    assert promise(far) is None


def test_the_first_promise_of_a_comment_counts():
    text = ("We will post the full incident report no later than 2025-06-09. If the audit "
            "takes longer, the final report will follow by 2025-06-20.")
    assert promise(text).time == datetime(2025, 6, 9, tzinfo=UTC)


def test_parse_report_carries_it_for_reports_and_plain_comments():
    prelim = ("## Preliminary Incident Report\n### Summary\n- **Incident description:** "
              "Example Trust issued two certificates with a wrong OID.\n\n"
              "The full incident report will be posted no later than 2025-06-09.")
    p = parse_report(prelim, posted=POSTED)
    assert p.kind == "preliminary" and p.full_report_promise is not None
    plain = parse_report("Thanks. A full report will follow no later than 2025-06-09.",
                         posted=POSTED)
    assert plain.kind is None  # no report, but the promise is read
    assert plain.full_report_promise.time == datetime(2025, 6, 9, tzinfo=UTC)


def test_a_v2_titled_text_calling_itself_preliminary_is_no_full_report():
    text = ("Incident Report\n\nThis is a preliminary report.\n\nSummary\n\nExample Trust "
            "issued certificates with an unregistered domain.\n\nA full incident report will "
            "be provided no later than Friday June 13th 2025.")
    p = parse_report(text, posted=POSTED)
    assert (p.kind, p.template) == ("preliminary", "ccadb-v2")
    assert p.full_report_promise.time == datetime(2025, 6, 13, tzinfo=UTC)


def test_only_the_cas_first_public_promise_is_the_bugs():
    """A root program asking for a date is no promise; a private comment is not read; the
    CA's first public promise wins over a later one."""
    ca = "incident-desk@quarrystone.example.com"
    bugs = bugs_frame([{"bug_id": 5, "summary": "Example Trust: wrong OID",
                        "creator": ca, "assigned_to": ca,
                        "creation_time": ts("2025-06-01T08:00:00Z"),
                        "whiteboard": "[ca-compliance]"}])

    def c(count, author, time, text, private=False):
        return {"bug_id": 5, "comment_id": 500 + count, "count": count, "author": author,
                "time": ts(time), "is_private": private, "text": text, "attachment_id": None}

    comments = comments_frame([
        c(0, ca, "2025-06-01T08:00:00Z", "We are filing this bug to track a wrong OID."),
        c(1, "reviewer@rootprogram.example.org", "2025-06-01T09:00:00Z",
          "Please post your full report no later than 2025-06-05."),
        c(2, ca, "2025-06-01T10:00:00Z",
          "Internal: the full report will be posted by 2025-06-06.", private=True),
        c(3, ca, "2025-06-01T11:00:00Z",
          "A full incident report will follow no later than 2025-06-08."),
        c(4, ca, "2025-06-03T11:00:00Z",
          "The full incident report will now follow no later than 2025-06-12."),
    ])
    inc = analyze(bugs, comments).incidents.iloc[0]
    assert inc["full_report_promised"] == ts("2025-06-08T00:00:00Z")
    assert inc["full_report_promised_precision"] == "day"
    assert inc["full_report_promise_count"] == 3
    assert inc["full_report_promise_posted"] == ts("2025-06-01T11:00:00Z")


# ------------------------------------------------------------------ the incidents table

def promised(full_at: str | None = None, created: str = "2025-06-02T10:00:00Z",
             promised_day: str = "2025-06-09") -> Corpus:
    """A third-party bug; the CA's preliminary report (comment 1) promises the full report by
    a day (due at its end, 06-10 00:00 by default); comment 2 is the full report if given."""
    c = Corpus().bug(1, created).promise(1, 1, "2025-06-03T09:00:00Z", promised_day)
    if full_at:
        c.comment(1, 2, full_at, "ca", kind="full")
    return c


@pytest.mark.parametrize(("full_at", "status"), [
    ("2025-06-09T23:59:59Z", "met"),
    ("2025-06-10T00:00:00Z", "met"),  # exactly at the end of the promised day: on time
    ("2025-06-10T00:00:01Z", "missed"),
])
def test_promise_met_up_to_the_end_of_the_promised_day(full_at, status):
    r = row(promised(full_at).measure("2025-07-01T00:00:00Z"), 1)
    assert r["full_report_promise_status"] == status
    assert r["full_report_promise_due"] == ts("2025-06-10T00:00:00Z")
    assert r["full_report_promise_rule"] == "ccadb-irg-2.0"
    assert r["full_report_promise_evidence"] == f"{BUG_URL}1#c1"
    assert r["full_report_status"] == "met"  # the 14-day rule is a separate verdict


def test_no_full_report_pending_until_the_due_moment_then_no_report():
    c = promised()
    assert row(c.measure("2025-06-10T00:00:00Z"), 1)["full_report_promise_status"] == "pending"
    assert row(c.measure("2025-06-10T00:00:01Z"), 1)["full_report_promise_status"] \
        == "no_report"


def test_a_stated_time_is_due_at_that_minute():
    c = Corpus().bug(1, "2025-06-02T10:00:00Z").promise(
        1, 1, "2025-06-03T09:00:00Z", "2025-06-09T13:00:00Z", precision="minute")
    c.comment(1, 2, "2025-06-09T13:00:01Z", "ca", kind="full")
    r = row(c.measure("2025-07-01T00:00:00Z"), 1)
    assert (r["full_report_promise_due"], r["full_report_promise_status"]) == (
        ts("2025-06-09T13:00:00Z"), "missed")


def test_a_promise_after_the_full_report_or_none_has_no_status():
    c = Corpus().bug(1, "2025-06-02T10:00:00Z").comment(1, 1, "2025-06-03T09:00:00Z", "ca",
                                                         kind="full")
    c.promise(1, 2, "2025-06-04T09:00:00Z", "2025-06-20", kind=None)
    r = row(c.measure("2025-07-01T00:00:00Z"), 1)
    assert pd.isna(r["full_report_promise_status"])
    assert r["full_report_promise_reason"] == "promised after the full report"
    assert pd.isna(r["full_report_promise_due"])
    bare = row(Corpus().bug(2, "2025-06-02T10:00:00Z").measure("2025-07-01T00:00:00Z"), 2)
    assert pd.isna(bare["full_report_promise_status"])
    assert bare["full_report_promise_reason"] == "no date promised"


def test_the_promise_rule_starts_with_irg_2_0():
    before = row(promised(created="2023-10-16T23:59:00Z", promised_day="2023-10-20")
                 .measure("2023-11-30T00:00:00Z"), 1)
    assert before["full_report_promise_status"] == "not_applicable"
    assert before["full_report_promise_rule"] == "none"
    c = Corpus().bug(1, "2023-10-17T00:00:00Z").promise(1, 1, "2023-10-18T09:00:00Z",
                                                         "2023-10-20")
    on = row(c.measure("2023-11-30T00:00:00Z"), 1)
    assert (on["full_report_promise_status"], on["full_report_promise_rule"]) == (
        "no_report", "ccadb-irg-2.0")


# ------------------------------------------------------------------ the attention list

def items(c: Corpus, as_of: str, **kw):
    m = c.measure(as_of)
    found = attention(m.obligations, m.incidents, ts(as_of), **kw)
    return found.loc[(found["kind"] == "full_report_overdue").to_numpy()].reset_index(drop=True)


def test_an_earlier_promised_date_makes_the_full_report_due_then():
    c = promised()  # 14-day limit: 06-16 10:00; promised: end of 06-09
    at_due = items(c, "2025-06-10T00:00:00Z")
    assert len(at_due) == 1
    item = at_due.iloc[0]
    assert (item["state"], item["due"], item["hours_overdue"]) == (
        "due_soon", ts("2025-06-10T00:00:00Z"), 0.0)
    assert item["since"] == ts("2025-06-03T09:00:00Z")
    assert item["since_event"] == "full report date promised by the CA"
    assert item["evidence"] == f"{BUG_URL}1#c1"
    assert item["rule"] == "ccadb-irg-2.0"
    assert "2025-06-16 10:00" in item["note"]
    late = items(c, "2025-06-10T00:00:01Z").iloc[0]
    assert late["state"] == "overdue"
    # the item and the incidents table agree at both moments
    assert row(c.measure("2025-06-10T00:00:00Z"), 1)["full_report_promise_status"] == "pending"
    assert row(c.measure("2025-06-10T00:00:01Z"), 1)["full_report_promise_status"] \
        == "no_report"


def test_a_promise_beyond_the_14_days_does_not_move_the_limit():
    c = promised(promised_day="2025-06-25")
    item = items(c, "2025-06-16T10:00:01Z").iloc[0]
    assert (item["state"], item["due"]) == ("overdue", ts("2025-06-16T10:00:00Z"))
    assert item["since_event"] == "bug filed"


def test_the_full_report_ends_both_clocks():
    assert items(promised("2025-06-12T00:00:00Z"), "2025-06-20T00:00:00Z").empty

