"""Action Items read from every written form: the IRG 2.0 and 3.x tables in Markdown and
flattened to plain text, and the list forms; kinds, each status, and due dates in every date
form, coarse ones with their precision, unknown ones never guessed. Texts are written for the
tests, with fictional work."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bzanalytics.parse.action_items import (
    extract_action_items,
    parse_due,
    says_all_complete,
)
from bzanalytics.parse.dates import DateContext

POSTED = datetime(2025, 5, 10, 12, 0, tzinfo=UTC)

V3_MARKDOWN = """### Action Items
| Action Item | Kind | Corresponding Root Cause(s) | Evaluation Criteria | Due Date | Status |
|---|---|---|---|---|---|
|Enforce the field length in the linter|Prevent|Root Cause #1|A test rejects it|2025-06-01|Ongoing|
|Alert on drift|Detect|Root Cause #1, #2|Alert fires|Q3 2025|Complete (completed 2025-05-02)|
| Replace the affected certificates | Mitigate | Root Cause #2 | All replaced | TBD | Delayed |
| Rewrite the checklist | Training | Root Cause #3 | Reviewed | end of June | Canceled |
"""

V2_MARKDOWN = """## Action Items
| Action Item | Kind | Due Date |
|---|---|---|
| Fix the enrolment form | Prevent | 30 June 2025 |
| Detect stale CRLs | Detection | June 30, 2025 |
| Re-train the validation staff | Preventive | H2 2025 |
"""

V2_FLAT = """Action Items

Action Item Kind Due Date
Fix the enrolment form Prevent 2025-06-01
Add a Detect step to the review Detect end of June 2025
Write the runbook Documentation TBD

Appendix
"""

V3_FLAT = """ACTION ITEMS
Action Item Kind Corresponding Root Cause(s) Evaluation Criteria Due Date Status
Enforce the field length in the linter Prevent Root Cause #1 A test rejects it 2025-06-01 Ongoing
Alert on profile drift Detect Root Cause #1 The alert fires Q3 2025 Complete
Replace the affected certificates Mitigate Contributing Factor #2 All replaced TBD Canceled
Publish the review Detect The review is public 2025-07-01 Delayed
"""

LISTS = """### Action Items
- Enforce the field length in the linter (Prevent) – due 2025-06-01 – Status: Ongoing
- Alert on profile drift (Detect) – due Q3 2025 – Status: Complete (completed 2025-05-02)
1. Replace the affected certificates. Kind: Mitigate. Due: end of July 2025. Status: Delayed
2. Publish the review; kind: Detect; due date: July 15; status: Canceled

Thank you for reading.
"""


def fields(text: str, *names: str) -> list[tuple]:
    return [tuple(getattr(it, n) for n in names) for it in extract_action_items(text, POSTED)]


def test_v3_markdown_table_every_status_and_cell():
    items = extract_action_items(V3_MARKDOWN, POSTED)
    assert [it.form for it in items] == ["table-v3"] * 4
    assert [it.row for it in items] == [1, 2, 3, 4]
    assert [it.kind for it in items] == ["Prevent", "Detect", "Mitigate", "Training"]
    assert [it.status for it in items] == ["Ongoing", "Complete", "Delayed", "Canceled"]
    assert items[1].status_date == date(2025, 5, 2)
    assert items[0].status_date is None
    assert [it.root_cause for it in items[:2]] == ["Root Cause #1", "Root Cause #1, #2"]
    assert items[0].criteria == "A test rejects it"
    assert [(it.due, it.due_precision) for it in items] == [
        (date(2025, 6, 1), "day"), (date(2025, 9, 30), "quarter"), (None, "unknown"),
        (date(2025, 6, 30), "month")]  # "end of June" in a report of May 2025


def test_v2_markdown_table_kind_spellings_and_long_dates():
    assert fields(V2_MARKDOWN, "text", "kind", "due", "due_precision", "status", "form") == [
        ("Fix the enrolment form", "Prevent", date(2025, 6, 30), "day", None, "table-v2"),
        ("Detect stale CRLs", "Detect", date(2025, 6, 30), "day", None, "table-v2"),
        ("Re-train the validation staff", "Prevent", date(2025, 12, 31), "half", None,
         "table-v2"),
    ]


def test_v2_flattened_table_kind_is_the_last_kind_word_before_the_date():
    assert fields(V2_FLAT, "text", "kind", "due", "due_precision", "form") == [
        ("Fix the enrolment form", "Prevent", date(2025, 6, 1), "day", "flat-v2"),
        ("Add a Detect step to the review", "Detect", date(2025, 6, 30), "month", "flat-v2"),
        # an unknown kind word cannot be told from the item's text once the cells run together
        ("Write the runbook Documentation", None, None, "unknown", "flat-v2"),
    ]


def test_v3_flattened_table_splits_root_cause_from_criteria_when_it_is_numbered():
    got = fields(V3_FLAT, "text", "kind", "root_cause", "criteria", "due", "status", "form")
    assert got == [
        ("Enforce the field length in the linter", "Prevent", "Root Cause #1",
         "A test rejects it", date(2025, 6, 1), "Ongoing", "flat-v3"),
        ("Alert on profile drift", "Detect", "Root Cause #1", "The alert fires",
         date(2025, 9, 30), "Complete", "flat-v3"),
        ("Replace the affected certificates", "Mitigate", "Contributing Factor #2",
         "All replaced", None, "Canceled", "flat-v3"),
        # no numbered root cause: the two cells stay together as the root cause
        ("Publish the review", "Detect", "The review is public", None, date(2025, 7, 1),
         "Delayed", "flat-v3"),
    ]


def test_list_forms_under_the_heading_end_at_the_paragraph():
    got = fields(LISTS, "text", "kind", "due", "due_precision", "status", "status_date",
                 "form")
    assert got == [
        ("Enforce the field length in the linter", "Prevent", date(2025, 6, 1), "day",
         "Ongoing", None, "list"),
        ("Alert on profile drift", "Detect", date(2025, 9, 30), "quarter", "Complete",
         date(2025, 5, 2), "list"),
        ("Replace the affected certificates", "Mitigate", date(2025, 7, 31), "month",
         "Delayed", None, "list"),
        ("Publish the review", "Detect", date(2025, 7, 15), "day", "Canceled", None, "list"),
    ]


def test_update_list_and_numbered_headings_around_a_list():
    update = ("Update – action items\n\n- Enforce the field length in the linter: Complete "
              "(completed 2025-05-02)\n- Alert on profile drift – Status: Delayed – new due date "
              "2025-09-30\n")
    assert fields(update, "text", "kind", "due", "status", "status_date") == [
        ("Enforce the field length in the linter", None, None, "Complete", date(2025, 5, 2)),
        ("Alert on profile drift", None, date(2025, 9, 30), "Delayed", None),
    ]
    numbered = ("6. Action Items\n\n- Fix the enrolment form (Prevent) – due 2025-06-01\n"
                "7. Appendix\n\nNone.")
    assert fields(numbered, "text", "row") == [("Fix the enrolment form", 1)]


def test_not_action_items():
    assert extract_action_items("The remaining action items are on track.", POSTED) == ()
    assert extract_action_items("Update – action items\n\nAll on track.", POSTED) == ()
    assert extract_action_items(None) == ()
    assert extract_action_items("> | Action Item | Kind | Due Date |\n> | a | Prevent | "
                                "2025-01-01 |", POSTED) == ()  # quoted: someone else's words
    legacy = "7. List of steps\n\n- Add a regression test (done by 2024-03-01)"
    assert extract_action_items(legacy, POSTED) == ()


@pytest.mark.parametrize(("raw", "expected"), [
    ("2025-06-01", (date(2025, 6, 1), "day")),
    ("2025.06.01", (date(2025, 6, 1), "day")),
    ("June 1, 2025", (date(2025, 6, 1), "day")),
    ("1 June 2025", (date(2025, 6, 1), "day")),
    ("June 1", (date(2025, 6, 1), "day")),  # year-less: ahead of the post
    ("March 20", (date(2025, 3, 20), "day")),  # up to two months back stays this year
    ("February 1", (date(2026, 2, 1), "day")),  # earlier than that: next year
    ("end of June", (date(2025, 6, 30), "month")),
    ("June 2025", (date(2025, 6, 30), "month")),
    ("by the end of Feb 2026", (date(2026, 2, 28), "month")),
    ("Q3 2025", (date(2025, 9, 30), "quarter")),
    ("2025 Q4", (date(2025, 12, 31), "quarter")),
    ("H1 2026", (date(2026, 6, 30), "half")),
    ("end of 2025", (date(2025, 12, 31), "year")),
    ("TBD", (None, "unknown")),
    ("N/A", (None, "unknown")),
    ("to be determined", (None, "unknown")),
    ("when the vendor ships", (None, "unknown")),
    ("", (None, None)),
    (None, (None, None)),
])
def test_due_dates_keep_their_precision_and_are_never_guessed(raw, expected):
    ctx = DateContext(ref=datetime(2026, 3, 10, tzinfo=UTC), text="")  # post + ~10 months
    assert parse_due(raw, ctx) == expected


def test_a_yearless_due_date_without_a_post_date_is_unknown():
    assert parse_due("end of June") == (None, "unknown")


def test_closure_statement():
    assert says_all_complete("All Action Items disclosed in this report have been completed "
                             "as described, and we request its closure.")
    assert says_all_complete("All of our action items are now complete.")
    assert not says_all_complete("Not all action items have been completed yet? No: two remain.")
    assert not says_all_complete("The remaining action items are on track.")


@given(st.text(max_size=400))
def test_never_raises(text):
    extract_action_items("Action Items\n" + text, POSTED)
    extract_action_items("| Action Item | Kind | Due Date |\n" + text, POSTED)
