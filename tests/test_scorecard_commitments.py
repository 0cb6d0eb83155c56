"""The scorecard's IRG 3.x columns, hand-built: the Action Items on-time share with its
denominator and Wilson interval, open items overdue, outdated templates, and revocation-delay
bugs' gaps over 3 days beside those over 7, in the scorecard table, the text view (aligned,
within 100 characters) and the HTML report's table. Values worked out by hand."""

from __future__ import annotations

import re

import pytest

from bzanalytics.metrics import scorecard
from bzanalytics.outputs import report
from bzanalytics.outputs.scorecard_format import WIDTH, commitment_lines, format_text
from tests.metrics_helpers import Corpus
from tests.metrics_helpers import v3_action_items as v3
from tests.test_metrics_irg3 import revocation_bug

AS_OF = "2025-12-01T00:00:00Z"


@pytest.fixture(scope="module")
def card():
    c = Corpus()
    # Example CA: two items due (one completed by its date, one overdue), one TBD (not due)
    c.bug(10, "2025-08-01T00:00:00Z")
    c.comment(10, 1, "2025-08-02T00:00:00Z", "ca", kind="full", text=v3(
        ("Fix the form", "2025-08-20", "Ongoing"), ("Add monitoring", "2025-09-30", "Ongoing"),
        ("Train the staff", "TBD", "Ongoing")))
    c.comment(10, 2, "2025-08-15T00:00:00Z", "ca", kind="update",
              text="Update – action items\n\n- Fix the form – Status: Complete")
    # a revocation-delay bug (gaps of 3 d, 4 d 1 s and 11 d: two over 3 days, one over 7) and
    # an ordinary one with the same gaps (its 11-day gap is not a revocation-delay gap)
    days = ["2025-04-02T00:00:00Z", "2025-04-05T00:00:00Z", "2025-04-09T00:00:01Z",
            "2025-04-20T00:00:00Z"]
    kw = {"status": "RESOLVED", "resolution": "FIXED", "resolved": "2025-04-21T00:00:00Z"}
    revocation_bug(c, 1, "2025-04-01T00:00:00Z", days, "ca-compliance leaf-revocation-delay",
                   **kw)
    revocation_bug(c, 2, "2025-04-01T00:00:00Z", days, "ca-compliance ov-misissuance", **kw)
    # Other CA: no item ever due, no revocation-delay bug
    c.bug(20, "2025-08-01T00:00:00Z", ca="Other CA")
    c.comment(20, 1, "2025-08-02T00:00:00Z", "ca", kind="full",
              text=v3(("Fix the form", "TBD", "Ongoing")))
    return scorecard(c.measure(AS_OF).incidents).set_index("ca", drop=False)


def test_the_scorecard_counts(card):
    ex = card.loc["Example CA"]
    assert (ex["action_items"], ex["action_items_due"], ex["action_items_on_time"],
            ex["action_items_overdue"]) == (3, 2, 1, 1)
    assert ex["action_items_ci_low"] == pytest.approx(0.0945, abs=1e-4)  # Wilson 1/2
    assert (ex["revocation_delay_bugs"], ex["revocation_gaps_over_3d"],
            ex["revocation_gaps_over_7d"]) == (1, 2, 1)
    other = card.loc["Other CA"]
    assert (other["action_items_due"], other["revocation_delay_bugs"]) == (0, 0)


def test_text_view_shows_the_share_with_its_denominator_aligned_within_width(card):
    lines = commitment_lines(card.reset_index(drop=True))
    header, ex, other = lines
    assert header.split("  ")[0] == "CA owner"
    assert "1/2 50% [9-91]" in ex
    assert ex.split()[-4:] == ["1", "0", "1", "2/1"]  # overdue, old tmpl, revoc bugs, gaps
    assert other.split()[-5:] == ["-", "0", "0", "0", "-"]
    # right-aligned columns end where their headings end
    for heading in ("AI on time [CI]", "AI overdue", "gaps >3d/>7d"):
        end = header.index(heading) + len(heading)
        assert ex[end - 1] != " " and (len(ex) == end or ex[end] == " ")
    meta = {"since": None, "include_excluded": False, "synthetic": False,
            "as_of": "2025-12-01T00:00:00Z"}
    text = format_text(card.reset_index(drop=True), None, meta)
    assert ex in text.splitlines()
    assert max(len(line) for line in text.splitlines()) <= WIDTH
    assert "AI on time: Action Items completed by their first due date / items due" in text


def test_html_table_shows_the_share_interval_and_revocation_gaps(card):
    table = report.scorecard_table(card.reset_index(drop=True))
    rows = re.findall(r"<tr>(.*?)</tr>", table)
    ex = next(r for r in rows if "Example CA" in r)
    assert "50 % (1/2)" in ex and "95 % CI 9–91 %" in ex
    assert '<span class="reason">1 overdue</span>' in ex
    assert '2 / 1<span class="reason">1 bug</span>' in ex
    other = next(r for r in rows if "Other CA" in r)
    assert "(0/0)" not in other and "/ 0<span" not in other
    assert "Action Items on time / due" in table and "gaps &gt; 3 d / &gt; 7 d" in table
