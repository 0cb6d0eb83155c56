"""Update cadence: uncovered gaps over 7 days between CA comments, on hand-built bugs."""

from __future__ import annotations

import pandas as pd

from tests.metrics_helpers import Corpus, row

AS_OF = "2025-09-01T00:00:00Z"
LINK = "https://bugzilla.mozilla.org/show_bug.cgi?id="
WB = "[ca-compliance]"


def closed_bug(c: Corpus, bug_id: int, created: str, resolved: str) -> Corpus:
    return c.bug(bug_id, created, status="RESOLVED", resolution="FIXED", resolved=resolved)


def test_gaps_between_ca_comments():
    c = closed_bug(Corpus(), 1, "2025-04-01T00:00:00Z", "2025-06-01T00:00:00Z")
    # CA comments 04-02, 04-05 (3 d), 04-15 (10 d), 04-22 (7 d exactly: not > 7), 05-02 (10.5 d)
    for n, day in enumerate(["04-02T00", "04-05T00", "04-15T00", "04-22T00", "05-02T12"], 1):
        c.comment(1, n, f"2025-{day}:00:00Z", "ca")
    m = c.measure(AS_OF)
    gaps = m.update_gaps
    assert list(gaps["days"]) == [10.0, 10.5]
    assert list(gaps["end_count"]) == [3, 5]
    assert list(gaps["rule"]) == ["ccadb-irg-3.0"] * 2
    r = row(m, 1)
    assert r["cadence_gaps_over_7d"] == 2
    assert r["cadence_worst_gap_days"] == 10.5
    assert r["cadence_evidence"] == f"{LINK}1#c5"
    # resolved bug: no trailing interval after 05-02 although resolution is 30 days later


def test_trailing_gap_on_open_bug_but_not_after_closure_summary():
    c = Corpus()
    c.bug(2, "2025-08-01T00:00:00Z").comment(2, 1, "2025-08-02T00:00:00Z", "ca")
    # open, last CA comment 08-02: trailing 30 days to as_of 09-01
    c.bug(3, "2025-08-01T00:00:00Z").comment(3, 1, "2025-08-02T00:00:00Z", "ca", kind="closure")
    # open but a closure summary was posted: no update owed after it
    m = c.measure(AS_OF)
    assert row(m, 2)["cadence_gaps_over_7d"] == 1
    assert row(m, 2)["cadence_worst_gap_days"] == 30.0
    assert row(m, 2)["cadence_evidence"] == f"{LINK}2#c1"  # no ending comment: its start
    assert pd.isna(m.update_gaps.loc[0, "end_count"])
    assert row(m, 3)["cadence_gaps_over_7d"] == 0
    assert pd.isna(row(m, 3)["cadence_worst_gap_days"])


def test_comments_after_closure_summary_are_not_observed():
    c = Corpus().bug(4, "2025-04-01T00:00:00Z")
    c.comment(4, 1, "2025-04-02T00:00:00Z", "ca", kind="closure")
    c.comment(4, 2, "2025-05-02T00:00:00Z", "ca", text="Answering a late question.")
    assert row(c.measure(AS_OF), 4)["cadence_gaps_over_7d"] == 0


def test_gaps_before_may_2023_do_not_count():
    c = closed_bug(Corpus(), 5, "2023-03-01T00:00:00Z", "2023-07-01T00:00:00Z")
    c.comment(5, 1, "2023-03-02T00:00:00Z", "ca")
    c.comment(5, 2, "2023-04-30T00:00:00Z", "ca")  # 59 d gap, starts before 2023-05-02
    c.comment(5, 3, "2023-05-02T00:00:00Z", "ca")
    c.comment(5, 4, "2023-05-12T00:00:00Z", "ca")  # 10 d gap from 05-02: IRG 1.0 weekly rule
    m = c.measure(AS_OF)
    assert list(m.update_gaps["days"]) == [10.0]
    assert list(m.update_gaps["rule"]) == ["ccadb-irg-1.0"]
    assert row(m, 5)["cadence_rule"] == "ccadb-irg-1.0"  # in force when observation ended


def test_gap_covered_by_next_update_date():
    c = Corpus()
    # gap 04-02 -> 04-20; at 04-05 the Whiteboard says Next update 2025-04-20: the update at
    # 04-20 10:00 is no later than the end of that day, so the gap is covered
    c.bug(6, "2025-04-01T00:00:00Z", status="RESOLVED", resolution="FIXED",
          resolved="2025-05-01T00:00:00Z", whiteboard=f"{WB} Next update 2025-04-20")
    c.whiteboard(6, "2025-04-05T00:00:00Z", WB, f"{WB} Next update 2025-04-20")
    c.comment(6, 1, "2025-04-02T00:00:00Z", "ca").comment(6, 2, "2025-04-20T10:00:00Z", "ca")
    # same, but the date was 04-18 and the update came 04-20: not covered
    c.bug(7, "2025-04-01T00:00:00Z", status="RESOLVED", resolution="FIXED",
          resolved="2025-05-01T00:00:00Z", whiteboard=f"{WB} Next update 2025-04-18")
    c.whiteboard(7, "2025-04-05T00:00:00Z", WB, f"{WB} Next update 2025-04-18")
    c.comment(7, 1, "2025-04-02T00:00:00Z", "ca").comment(7, 2, "2025-04-20T10:00:00Z", "ca")
    # the Whiteboard held the date only before the gap (removed 04-01 12:00): not covered
    c.bug(8, "2025-04-01T00:00:00Z", status="RESOLVED", resolution="FIXED",
          resolved="2025-05-01T00:00:00Z")
    c.whiteboard(8, "2025-04-01T12:00:00Z", f"{WB} Next update 2025-04-30", WB)
    c.comment(8, 1, "2025-04-02T00:00:00Z", "ca").comment(8, 2, "2025-04-20T10:00:00Z", "ca")
    m = c.measure(AS_OF)
    assert row(m, 6)["cadence_gaps_over_7d"] == 0
    assert row(m, 7)["cadence_gaps_over_7d"] == 1
    assert row(m, 7)["cadence_worst_gap_days"] == 18 + 10 / 24
    assert row(m, 8)["cadence_gaps_over_7d"] == 1


def test_gap_covered_by_close_on_notice():
    c = Corpus().bug(9, "2025-04-01T00:00:00Z", whiteboard=f"{WB} [close on 2025-04-25]")
    c.whiteboard(9, "2025-04-18T00:00:00Z", WB, f"{WB} [close on 2025-04-25]")
    c.comment(9, 1, "2025-04-02T00:00:00Z", "ca")
    # trailing gap 04-02 -> as_of; the notice appeared during it
    assert row(c.measure(AS_OF), 9)["cadence_gaps_over_7d"] == 0
