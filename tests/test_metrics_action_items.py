"""Action Items tracked to their due dates, on hand-built bugs: linking restatements (wording,
row position, a reworded update), completion (a row, or the closure statement), slips,
re-datings, cancellations, the IRG 3.1 three-day rule on each side of its limit and of its
effective date, the per-bug counts and the scorecard share. Values worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from bzanalytics.metrics import scorecard
from tests.metrics_helpers import Corpus, row, ts
from tests.metrics_helpers import action_items_update as update
from tests.metrics_helpers import v3_action_items as v3

AS_OF = "2025-12-01T00:00:00Z"
LINK = "https://bugzilla.mozilla.org/show_bug.cgi?id="


@pytest.fixture(scope="module")
def measured():
    c = Corpus()
    # bug 1 (IRG 3.1 in force): a completion, two re-datings after the date passed (one exactly
    # 3 days late, one a second more), a late completion, an item never mentioned again
    c.bug(1, "2025-08-01T00:00:00Z")
    c.comment(1, 1, "2025-08-02T10:00:00Z", "ca", kind="full", text=v3(
        ("Enforce the length", "Prevent", "2025-08-10", "Ongoing"),
        ("Alert on drift", "Detect", "2025-08-20", "Ongoing"),
        ("Replace the certificates", "Mitigate", "2025-08-15", "Ongoing"),
        ("Write the runbook", "Prevent", "2025-09-30", "Ongoing"),
        ("Train the staff", "Prevent", "TBD", "Ongoing")))
    c.comment(1, 2, "2025-08-11T12:00:00Z", "ca", kind="update",
              text=update("Enforce the length – Status: Complete (completed 2025-08-09)"))
    c.comment(1, 3, "2025-08-18T00:00:00Z", "ca", kind="update", text=update(
        "Replace the certificates – Status: Delayed – new due date 2025-09-15"))
    c.comment(1, 4, "2025-08-24T00:00:01Z", "ca", kind="update", text=update(
        "Alert on drift – Status: Delayed – new due date 2025-10-01"))
    c.comment(1, 5, "2025-09-20T00:00:00Z", "ca", kind="update",
              text=update("Replace the certificates – Status: Complete"))
    c.comment(1, 6, "2025-10-04T00:00:00Z", "ca", kind="update", text=update(
        "Write the runbook – Status: Delayed – new due date 2025-10-31"))
    c.comment(1, 7, "2025-10-05T00:00:00Z", "community", text=update(
        "Train the staff – Status: Complete"))  # not the CA: no statement
    # bug 2 (before IRG 3.1): a revised Full report rewords row 1 (linked by position), cancels
    # row 3; the closure summary completes the rest
    c.bug(2, "2025-03-01T00:00:00Z", status="RESOLVED", resolution="FIXED",
          resolved="2025-04-20T00:00:00Z")
    c.comment(2, 1, "2025-03-05T00:00:00Z", "ca", kind="full", text=(
        "## Action Items\n| Action Item | Kind | Due Date |\n|---|---|---|\n"
        "| Fix the form | Prevent | 2025-04-01 |\n| Add monitoring | Detect | 2025-04-15 |\n"
        "| Retire the old profile | Mitigate | 2025-03-01 |\n"))
    c.comment(2, 2, "2025-03-20T00:00:00Z", "ca", kind="full", text=v3(
        ("Fix the enrolment form", "Prevent", "2025-04-01", "Ongoing"),
        ("Add monitoring", "Detect", "2025-04-15", "Ongoing"),
        ("Retire the old profile", "Mitigate", "2025-03-01", "Canceled")))
    c.comment(2, 3, "2025-04-10T00:00:00Z", "ca", kind="closure", text=(
        "### Report Closure Summary\n- **Incident description:** x\nAll Action Items disclosed "
        "in this report have been completed as described, and we request its closure."))
    # bug 3 (resolved 2025-10-01): complete from the start with a past date and no completion
    # date (cannot tell); a completion day straddling the 3-day limit; a due date after
    # resolution
    c.bug(3, "2025-08-25T00:00:00Z", status="RESOLVED", resolution="FIXED",
          resolved="2025-10-01T00:00:00Z")
    c.comment(3, 1, "2025-09-01T00:00:00Z", "ca", kind="full", text=v3(
        ("Done already", "Prevent", "2025-08-01", "Complete"),
        ("Future work", "Detect", "2026-01-15", "Ongoing"),
        ("Later work", "Prevent", "2026-02-01", "Ongoing")))
    c.comment(3, 2, "2025-09-10T12:00:00Z", "ca", kind="update",
              text=update("Future work – Status: Complete (completed 2025-09-07)"))
    # bug 4: an update that rewords an item starts a new one; same wording links
    c.bug(4, "2025-08-01T00:00:00Z")
    c.comment(4, 1, "2025-08-02T00:00:00Z", "ca", kind="full", text=v3(
        ("Fix the form", "Prevent", "2025-12-15", "Ongoing")))
    c.comment(4, 2, "2025-08-09T00:00:00Z", "ca", kind="update",
              text=update("Fix the enrolment form – Status: Ongoing"))
    return c.measure(AS_OF)


def items_of(measured, bug: int) -> pd.DataFrame:
    frame = measured.action_items
    return frame.loc[(frame["bug_id"] == bug).to_numpy()].reset_index(drop=True)


def item(measured, bug: int, number: int) -> pd.Series:
    frame = items_of(measured, bug)
    return frame.loc[(frame["item"] == number).to_numpy()].iloc[-1]


def test_rows_one_per_item_per_comment_in_order(measured):
    one = items_of(measured, 1)
    assert list(zip(one["count"], one["item"], one["match"], strict=True)) == [
        (1, 1, "origin"), (2, 1, "wording"), (1, 2, "origin"), (4, 2, "wording"),
        (1, 3, "origin"), (3, 3, "wording"), (5, 3, "wording"), (1, 4, "origin"),
        (6, 4, "wording"), (1, 5, "origin")]  # the community comment states nothing
    assert one["evidence"].iloc[1] == f"{LINK}1#c2"
    assert list(one["form"].unique()) == ["table-v3", "list"]


def test_completion_on_time_with_a_stated_day_inside_three_days(measured):
    r = item(measured, 1, 1)
    assert r["completed_at"] == ts("2025-08-11T12:00:00") and r["completed_evidence"] == \
        f"{LINK}1#c2"
    assert r["status_date"] == ts("2025-08-09")
    assert r["change"] == "status" and r["change_time"] == ts("2025-08-09")
    # 2.5 days from the start of the stated day: within 3 days at every moment of that day
    assert r["change_reported_within_3d"] and r["change_rule"] == "ccadb-irg-3.1"
    assert (r["slipped"], r["on_time"], r["outcome"]) == (False, True, "completed_on_time")


def test_redated_after_the_date_passed_exactly_three_days_and_one_second_later(measured):
    late = item(measured, 1, 2)  # due 08-20 passed 08-21 00:00, announced 08-24 00:00:01
    assert late["change"] == "status+date" and late["change_time"] == ts("2025-08-21")
    assert not late["change_reported_within_3d"]
    assert late["latest_deadline"] == ts("2025-10-02") and late["outcome"] == "overdue"
    assert late["slipped"] and not late["on_time"]
    exact = item(measured, 1, 4)  # due 09-30 passed 10-01 00:00, announced 10-04 00:00
    assert exact["change_reported_within_3d"]
    assert exact["outcome"] == "overdue" and exact["slipped"]


def test_slipped_then_completed_late_without_a_completion_date(measured):
    frame = items_of(measured, 1)
    rows = frame.loc[(frame["item"] == 3).to_numpy()]
    assert list(rows["change"]) == ["new", "status+date", "status"]
    assert list(rows["change_reported_within_3d"].astype("object").fillna("?")) == \
        ["?", True, "?"]  # the completion says no day: when it happened is unknown
    r = rows.iloc[-1]
    assert r["first_deadline"] == ts("2025-08-16") and r["completed_at"] == ts("2025-09-20")
    assert r["slipped"] and (r["on_time"], r["outcome"]) == (False, "completed_late")
    assert r["item_change_reported_within_3d"]  # its one known change was reported in time


def test_an_item_without_a_due_date_is_open_and_outside_the_share(measured):
    r = item(measured, 1, 5)
    assert (r["due_precision"], r["due_raw"]) == ("unknown", "TBD")
    assert r["outcome"] == "open" and not r["slipped"] and pd.isna(r["on_time"])


def test_position_match_cancellation_and_the_closure_statement(measured):
    two = items_of(measured, 2)
    revised = two.loc[(two["count"] == 2).to_numpy()]
    assert list(revised["match"]) == ["position", "wording", "wording"]
    assert list(revised["match_uncertain"]) == [True, False, False]
    assert revised["text"].iloc[0] == "Fix the enrolment form"
    fix, monitor, retire = (item(measured, 2, n) for n in (1, 2, 3))
    assert fix["completed_at"] == ts("2025-04-10") and fix["completed_evidence"] == \
        f"{LINK}2#c3"
    assert fix["outcome"] == "completed_late" and fix["slipped"]
    assert monitor["outcome"] == "completed_on_time" and not monitor["slipped"]
    assert retire["outcome"] == "canceled" and pd.isna(retire["completed_at"])
    assert retire["canceled_at"] == ts("2025-03-20")
    assert retire["slipped"]  # its date had already passed when it was first listed
    assert (retire["change_rule"], pd.isna(retire["change_reported_within_3d"])) == \
        ("none", True)  # before 2025-07-15 the 3-day rule is not in force


def test_what_the_text_cannot_tell_and_dates_after_resolution(measured):
    done, future, later = (item(measured, 3, n) for n in (1, 2, 3))
    assert done["outcome"] == "completed" and pd.isna(done["slipped"]) and pd.isna(
        done["on_time"])
    # stated day 09-07, posted 09-10 12:00: 3.5 days from its start, 2.5 from its end
    assert future["change_time"] == ts("2025-09-07")
    assert pd.isna(future["change_reported_within_3d"])
    assert future["outcome"] == "completed_on_time"
    assert later["outcome"] == "open" and not later["slipped"]  # due after T_resolved


def test_a_reworded_update_starts_a_new_item(measured):
    four = items_of(measured, 4)
    assert list(four["item"]) == [1, 2] and list(four["match"]) == ["origin", "origin"]


def test_incident_counts(measured):
    one, two, three = (row(measured, b) for b in (1, 2, 3))
    assert (one["action_items"], one["action_items_done"], one["action_items_overdue"],
            one["action_items_due"], one["action_items_on_time"]) == (5, 2, 2, 4, 1)
    assert (two["action_items"], two["action_items_done"], two["action_items_due"],
            two["action_items_on_time"]) == (3, 2, 2, 1)
    assert (three["action_items_done"], three["action_items_due"],
            three["action_items_on_time"]) == (2, 1, 1)
    assert row(measured, 4)["action_items"] == 2


def test_scorecard_share_with_wilson_interval(measured):
    card = scorecard(measured.incidents).set_index("ca").loc["Example CA"]
    # bugs 1-4: due 4 + 2 + 1 + 0 = 7, on time 1 + 1 + 1 = 3
    assert (card["action_items_due"], card["action_items_on_time"]) == (7, 3)
    assert card["action_items_on_time_rate"] == pytest.approx(3 / 7)
    # Wilson 95 % for 3/7, worked out by hand: centre 0.4539, half-width 0.2957
    assert card["action_items_ci_low"] == pytest.approx(0.1582, abs=1e-4)
    assert card["action_items_ci_high"] == pytest.approx(0.7495, abs=1e-4)


def test_a_yearless_due_date_restated_in_the_same_words_keeps_its_year():
    c = Corpus()
    c.bug(1, "2025-05-01T00:00:00Z")
    c.comment(1, 1, "2025-05-02T00:00:00Z", "ca", kind="full",
              text=v3(("Fix the form", "Prevent", "May 28", "Ongoing")))
    # restated three months later: read alone, "May 28" would be 2026-05-28
    c.comment(1, 2, "2025-08-20T00:00:00Z", "ca", kind="update", text=update(
        "Fix the form – Status: Ongoing – due May 28"))
    rows = items_of(c.measure(AS_OF), 1)
    assert list(rows["due"]) == [ts("2025-05-28")] * 2
    assert list(rows["change"]) == ["new", "none"]
    assert rows["outcome"].iloc[-1] == "overdue"


def test_waiting_on_ca_one_row_per_open_item_with_no_later_word():
    from bzanalytics.metrics.action_items import waiting_on_ca
    from bzanalytics.metrics.common import public_comments

    c = Corpus()
    c.bug(5, "2025-08-01T00:00:00Z")
    c.comment(5, 1, "2025-08-02T00:00:00Z", "ca", kind="full", text=v3(
        ("Fix the form", "Prevent", "2025-11-25", "Ongoing"),
        ("Add monitoring", "Detect", "2025-11-20", "Ongoing"),
        ("Train the staff", "Prevent", "2025-12-02", "Ongoing"),
        ("Write the runbook", "Prevent", "TBD", "Ongoing"),
        ("Retire the profile", "Mitigate", "2025-11-10", "Complete")))
    c.bug(6, "2025-08-01T00:00:00Z")  # the CA spoke after the date passed: not waiting
    c.comment(6, 1, "2025-08-02T00:00:00Z", "ca", kind="full",
              text=v3(("Fix the form", "Prevent", "2025-11-20", "Ongoing")))
    c.comment(6, 2, "2025-11-25T00:00:00Z", "ca", text="We are still working on it.")
    m = c.measure(AS_OF)
    parsed, _, _ = c.frames()
    got = waiting_on_ca(m.action_items, public_comments(parsed.comments),
                        pd.Index([5, 6]), ts(AS_OF))
    # by due date; TBD names no date, a complete item is done: neither waits
    assert list(zip(got["bug_id"], got["item"], got["due"], got["overdue"], strict=True)) == [
        (5, 2, ts("2025-11-21"), True), (5, 1, ts("2025-11-26"), True),
        (5, 3, ts("2025-12-03"), False)]
    assert set(got["since"]) == {ts("2025-08-02")}
    assert got["evidence"].str.endswith("id=5#c1").all()
    assert list(got["due_raw"]) == ["2025-11-20", "2025-11-25", "2025-12-02"]
    # the same verdict as the table's outcome
    outcome = m.action_items.drop_duplicates(["bug_id", "item"], keep="last").set_index(
        ["bug_id", "item"])["outcome"]
    assert [outcome[(5, i)] for i in got["item"]] == ["overdue", "overdue", "open"]
    assert outcome[(6, 1)] == "overdue"  # overdue in the table, but the CA spoke since
