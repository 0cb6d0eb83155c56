"""`action_item_overdue` on hand-built bugs: an Action Item due 2025-11-20 (its deadline the end
of that day, 2025-11-21 00:00 UTC) on each side of the deadline and of --due-within, a CA
comment on each side of the deadline, completion and cancellation, a re-dating, due dates that
name a month, a quarter or nothing, one item per Action Item, the rule version on each side of
IRG 3.1, and the agreement with the action_items table's outcome. Values worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from bzanalytics.metrics.attention import attention
from tests.metrics_helpers import Corpus, ts
from tests.metrics_helpers import action_items_update as update
from tests.metrics_helpers import v3_action_items as v3

LINK = "https://bugzilla.mozilla.org/show_bug.cgi?id="
KIND = "action_item_overdue"


def reported(*rows: tuple[str, str, str], bug: int = 1) -> Corpus:
    """A bug filed 2025-08-01 whose Full report (comment 1, 2025-08-02) lists `rows`."""
    c = Corpus().bug(bug, "2025-08-01T00:00:00Z")
    return c.comment(bug, 1, "2025-08-02T00:00:00Z", "ca", kind="full", text=v3(*rows))


def form_due(c: Corpus | None = None) -> Corpus:
    return c or reported(("Fix the form", "2025-11-20", "Ongoing"))


def found(c: Corpus, as_of: str, **kw) -> pd.DataFrame:
    m = c.measure(as_of)
    got = attention(m.obligations, m.incidents, ts(as_of), **kw)
    return got.loc[got["kind"].eq(KIND).to_numpy()].reset_index(drop=True)


def outcome(c: Corpus, as_of: str, item: int = 1, bug: int = 1) -> str:
    rows = c.measure(as_of).action_items
    rows = rows.loc[(rows["bug_id"].eq(bug) & rows["item"].eq(item)).to_numpy()]
    return rows["outcome"].iloc[-1]


def test_due_yesterday_without_a_later_ca_comment_is_overdue():
    item = found(form_due(), "2025-11-22T00:00:00Z").iloc[0]
    assert (item["state"], item["due"], item["hours_overdue"]) == (
        "overdue", ts("2025-11-21T00:00:00Z"), 24.0)
    assert item["since"] == ts("2025-08-02T00:00:00Z")
    assert item["since_event"] == "Action Item 1 stated in comment 1"
    assert item["evidence"] == f"{LINK}1#c1"
    assert item["note"] == '"Fix the form", due 2025-11-20'
    assert item["rule"] == "ccadb-irg-3.1"
    assert "3.1" in item["source"] and "Action Item" in item["source"]
    assert outcome(form_due(), "2025-11-22T00:00:00Z") == "overdue"


def test_the_deadline_is_the_end_of_the_due_day_on_each_side():
    at = found(form_due(), "2025-11-21T00:00:00Z")
    assert list(zip(at["state"], at["hours_overdue"], strict=True)) == [("due_soon", 0.0)]
    assert outcome(form_due(), "2025-11-21T00:00:00Z") == "open"
    after = found(form_due(), "2025-11-21T00:00:01Z")
    assert list(after["state"]) == ["overdue"]
    assert after["hours_overdue"].iloc[0] == pytest.approx(1 / 3600)
    assert outcome(form_due(), "2025-11-21T00:00:01Z") == "overdue"


def test_due_within_on_each_side():
    # deadline 11-21 00:00: exactly 48 hours ahead is due soon, a second earlier it is not
    assert list(found(form_due(), "2025-11-19T00:00:00Z")["state"]) == ["due_soon"]
    assert found(form_due(), "2025-11-18T23:59:59Z").empty
    wider = found(form_due(), "2025-11-18T23:59:59Z", due_within_hours=49)
    assert wider["hours_overdue"].iloc[0] == pytest.approx(-48 - 1 / 3600)


def test_a_ca_comment_after_the_deadline_removes_the_item_one_at_or_before_does_not():
    after = form_due().comment(1, 2, "2025-11-21T00:00:01Z", "ca", text="Still working on it.")
    assert found(after, "2025-11-25T00:00:00Z").empty
    assert outcome(after, "2025-11-25T00:00:00Z") == "overdue"  # the table still says so
    at = form_due().comment(1, 2, "2025-11-21T00:00:00Z", "ca", text="Still working on it.")
    assert list(found(at, "2025-11-25T00:00:00Z")["state"]) == ["overdue"]
    before = form_due().comment(1, 2, "2025-11-20T12:00:00Z", "ca", text="On track.")
    assert list(found(before, "2025-11-25T00:00:00Z")["state"]) == ["overdue"]
    # only the CA's word counts
    other = form_due().comment(1, 2, "2025-11-22T00:00:00Z", "root_program", text="Status?")
    assert list(found(other, "2025-11-25T00:00:00Z")["state"]) == ["overdue"]


@pytest.mark.parametrize("status", ["Complete", "Canceled"])
def test_complete_or_canceled_leaves_no_item(status):
    c = form_due().comment(1, 2, "2025-11-10T00:00:00Z", "ca", kind="update",
                           text=update(f"Fix the form – Status: {status}"))
    assert found(c, "2025-11-19T00:00:00Z").empty  # not even due soon
    assert found(c, "2025-11-25T00:00:00Z").empty
    assert outcome(c, "2025-11-25T00:00:00Z") == (
        "completed_on_time" if status == "Complete" else "canceled")
    stated = reported(("Fix the form", "2025-11-20", status))
    assert found(stated, "2025-11-25T00:00:00Z").empty


def test_a_redated_item_is_due_at_its_new_date():
    c = form_due().comment(1, 2, "2025-11-18T00:00:00Z", "ca", kind="update", text=update(
        "Fix the form – Status: Delayed – new due date 2025-12-10"))
    assert found(c, "2025-11-25T00:00:00Z").empty  # the old date no longer stands
    assert outcome(c, "2025-11-25T00:00:00Z") == "open"
    item = found(c, "2025-12-12T00:00:00Z").iloc[0]
    assert (item["state"], item["due"], item["hours_overdue"]) == (
        "overdue", ts("2025-12-11T00:00:00Z"), 24.0)
    assert item["since"] == ts("2025-11-18T00:00:00Z")
    assert item["since_event"] == "Action Item 1 re-dated in comment 2"
    assert item["evidence"] == f"{LINK}1#c2"
    assert outcome(c, "2025-12-12T00:00:00Z") == "overdue"


def test_a_restatement_with_the_same_date_keeps_the_statement_that_set_it():
    c = form_due().comment(1, 2, "2025-10-01T00:00:00Z", "ca", kind="update", text=update(
        "Fix the form – Status: Ongoing – due 2025-11-20"))
    item = found(c, "2025-11-22T00:00:00Z").iloc[0]
    assert (item["since_event"], item["evidence"]) == (
        "Action Item 1 stated in comment 1", f"{LINK}1#c1")


def test_periods_run_to_their_last_day_and_tbd_has_no_item():
    c = reported(("Fix the form", "end of November 2025", "Ongoing"),
                 ("Add monitoring", "Q4 2025", "Ongoing"), ("Train the staff", "TBD", "Ongoing"))
    month = found(c, "2025-12-01T00:00:01Z")
    assert list(zip(month["due"], month["state"], strict=True)) == [
        (ts("2025-12-01T00:00:00Z"), "overdue")]
    assert month["note"].iloc[0] == (
        '"Fix the form", due end of November 2025; a month: its last day counts')
    assert found(c, "2025-11-30T23:59:59Z")["state"].tolist() == ["due_soon"]
    both = found(c, "2026-01-01T00:00:01Z")  # most overdue first
    assert list(zip(both["due"], both["note"].str.contains("quarter"), strict=True)) == [
        (ts("2025-12-01T00:00:00Z"), False), (ts("2026-01-01T00:00:00Z"), True)]
    # TBD names no date: the table cannot call it overdue, so no item, however late
    assert outcome(c, "2027-01-01T00:00:00Z", item=3) == "open"
    assert len(found(c, "2027-01-01T00:00:00Z")) == 2


def test_one_item_per_action_item_most_overdue_first():
    c = reported(("Fix the form", "2025-11-20", "Ongoing"),
                 ("Add monitoring", "2025-11-10", "Ongoing"),
                 ("Train the staff", "2025-11-23", "Ongoing"),
                 ("Write the runbook", "2026-01-15", "Ongoing"))
    got = found(c, "2025-11-22T00:00:00Z")
    assert list(zip(got["state"], got["due"], got["since_event"], strict=True)) == [
        ("overdue", ts("2025-11-11"), "Action Item 2 stated in comment 1"),
        ("overdue", ts("2025-11-21"), "Action Item 1 stated in comment 1"),
        ("due_soon", ts("2025-11-24"), "Action Item 3 stated in comment 1")]
    m = c.measure("2025-11-22T00:00:00Z")
    assert int(m.incidents["action_items_overdue"].iloc[0]) == 2  # the incidents count agrees


def test_rule_version_by_the_deadline_on_each_side_of_irg_3_1():
    c = Corpus().bug(1, "2025-06-01T00:00:00Z")
    c.comment(1, 1, "2025-06-02T00:00:00Z", "ca", kind="full", text=v3(
        ("Fix the form", "2025-07-13", "Ongoing"), ("Add monitoring", "2025-07-14", "Ongoing")))
    got = found(c, "2025-07-16T00:00:00Z")
    assert list(zip(got["due"], got["rule"], strict=True)) == [
        (ts("2025-07-14"), "ccadb-irg-3.0"), (ts("2025-07-15"), "ccadb-irg-3.1")]


def test_resolved_bugs_have_no_item():
    c = Corpus().bug(1, "2025-08-01T00:00:00Z", status="RESOLVED", resolution="FIXED",
                     resolved="2025-11-30T00:00:00Z")
    c.comment(1, 1, "2025-08-02T00:00:00Z", "ca", kind="full",
              text=v3(("Fix the form", "2025-11-20", "Ongoing")))
    assert found(c, "2025-12-05T00:00:00Z").empty
    assert outcome(c, "2025-12-05T00:00:00Z") == "overdue"  # overdue when it was resolved
