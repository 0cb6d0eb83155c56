"""Whiteboard "Next update" promises: kept, missed, withdrawn, pending, on hand-built bugs."""

from __future__ import annotations

import pandas as pd

from bzanalytics.metrics.promises import whiteboard_states
from tests.metrics_helpers import Corpus, row, ts

AS_OF = "2025-09-01T00:00:00Z"
LINK = "https://bugzilla.mozilla.org/show_bug.cgi?id="
WB = "[ca-compliance]"


def nu(date: str) -> str:
    return f"{WB} Next update {date}"


def test_whiteboard_states_start_from_the_first_removed_value():
    c = Corpus().bug(1, "2025-04-01T00:00:00Z", whiteboard=nu("2025-05-01"))
    c.whiteboard(1, "2025-04-10T00:00:00Z", nu("2025-04-15"), nu("2025-05-01"))
    c.bug(2, "2025-04-01T00:00:00Z", whiteboard=nu("2025-04-03"))  # never changed
    _, bugs, history = c.frames()
    states = whiteboard_states(bugs, history)
    assert list(states["bug_id"]) == [1, 1, 2]
    assert list(states["start"]) == [ts("2025-04-01"), ts("2025-04-10"), ts("2025-04-01")]
    assert list(states["next_update"]) == [ts("2025-04-15"), ts("2025-05-01"), ts("2025-04-03")]
    assert states["end"].iloc[0] == ts("2025-04-10")


def test_each_promise_status():
    c = Corpus()
    # kept: set 04-10 for 04-15, CA comment 04-15 23:00 (before the end of the day)
    c.bug(1, "2025-04-01T00:00:00Z", whiteboard=nu("2025-04-15"))
    c.whiteboard(1, "2025-04-10T00:00:00Z", WB, nu("2025-04-15"))
    c.comment(1, 1, "2025-04-15T23:00:00Z", "ca")
    # missed: set 04-10 for 04-15, next CA comment 04-16 00:00 (after the end of the day)
    c.bug(2, "2025-04-01T00:00:00Z", whiteboard=nu("2025-04-15"))
    c.whiteboard(2, "2025-04-10T00:00:00Z", WB, nu("2025-04-15"))
    c.comment(2, 1, "2025-04-16T00:00:00Z", "ca")
    # withdrawn: set for 04-15, moved at 04-14 to 04-30, then kept by a comment on 04-29
    c.bug(3, "2025-04-01T00:00:00Z", whiteboard=nu("2025-04-30"))
    c.whiteboard(3, "2025-04-10T00:00:00Z", WB, nu("2025-04-15"))
    c.whiteboard(3, "2025-04-14T00:00:00Z", nu("2025-04-15"), nu("2025-04-30"))
    c.comment(3, 1, "2025-04-29T00:00:00Z", "ca")
    # pending: set 08-25 for 09-05, after as_of 09-01
    c.bug(4, "2025-08-20T00:00:00Z", whiteboard=nu("2025-09-05"))
    c.whiteboard(4, "2025-08-25T00:00:00Z", WB, nu("2025-09-05"))
    # withdrawn by resolution: set for 05-10, bug resolved 05-05
    c.bug(5, "2025-04-01T00:00:00Z", status="RESOLVED", resolution="FIXED",
          resolved="2025-05-05T00:00:00Z", whiteboard=nu("2025-05-10"))
    c.whiteboard(5, "2025-05-01T00:00:00Z", WB, nu("2025-05-10"))
    m = c.measure(AS_OF)
    p = m.promises
    assert list(zip(p["bug_id"], p["status"], strict=True)) == [
        (1, "kept"), (2, "missed"), (3, "withdrawn"), (3, "kept"), (4, "pending"),
        (5, "withdrawn"),
    ]
    assert p.loc[0, "evidence"] == f"{LINK}1#c1"
    assert pd.isna(p.loc[1, "evidence"])
    assert p.loc[0, "due"] == ts("2025-04-16")
    three = row(m, 3)
    assert (three["next_updates_set"], three["next_updates_kept"],
            three["next_updates_withdrawn"], three["next_updates_missed"]) == (2, 1, 1, 0)
    assert row(m, 2)["next_updates_missed"] == 1
    assert row(m, 4)["next_updates_pending"] == 1


def test_a_comment_before_the_promise_does_not_keep_it():
    c = Corpus().bug(6, "2025-04-01T00:00:00Z", whiteboard=nu("2025-04-15"))
    c.comment(6, 1, "2025-04-09T00:00:00Z", "ca")
    c.whiteboard(6, "2025-04-10T00:00:00Z", WB, nu("2025-04-15"))
    c.comment(6, 2, "2025-04-20T00:00:00Z", "ca")
    c.comment(6, 3, "2025-04-12T00:00:00Z", "community", text="Thanks.")  # not the CA
    assert row(c.measure(AS_OF), 6)["next_updates_missed"] == 1


def test_unchanged_date_is_one_promise():
    # the Whiteboard gains a tag but keeps the same date: still one promise
    c = Corpus().bug(7, "2025-04-01T00:00:00Z", whiteboard=f"[x] {nu('2025-04-15')}")
    c.whiteboard(7, "2025-04-10T00:00:00Z", WB, nu("2025-04-15"))
    c.whiteboard(7, "2025-04-11T00:00:00Z", nu("2025-04-15"), f"[x] {nu('2025-04-15')}")
    c.comment(7, 1, "2025-04-12T00:00:00Z", "ca")
    r = row(c.measure(AS_OF), 7)
    assert (r["next_updates_set"], r["next_updates_kept"]) == (1, 1)
