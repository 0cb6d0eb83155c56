"""The IRG 3.x rules on hand-built bugs, each on both sides of its limit and its effective date:
the CA's response to a third party's Preliminary Incident Report (from 2025-03-01), template
currency (CCADB Policy 2.0, from 2025-07-15), the 3-day SHOULD of revocation-delay bugs beside
the 7-day MUST, and a "Next update" date that a new comment does not void but a root program's
clearing ends."""

from __future__ import annotations

import pandas as pd

from bzanalytics.metrics.templates import currency
from bzanalytics.parse.tables import analyze
from tests.metrics_helpers import Corpus, row, ts
from tests.parse_helpers import bugs_frame, comments_frame

AS_OF = "2025-12-01T00:00:00Z"
PRELIM = ("## Preliminary Incident Report\n### Summary\n- **Incident description:** x\n"
          "- **Relevant policies:** TLS BR 7.1\n- **Source of incident disclosure:** "
          "Third Party Reported\n")


def third_party_bug(c: Corpus, bug: int, created: str, ack_hours: float,
                    report_hours: float) -> None:
    c.bug(bug, created)
    c.comments[-1].update(report_kind="preliminary", text=PRELIM)  # comment 0, the reporter's
    t0 = ts(created)
    c.comment(bug, 1, str(t0 + pd.Timedelta(hours=ack_hours)), "ca", text="We are looking.")
    c.comment(bug, 2, str(t0 + pd.Timedelta(hours=report_hours)), "ca", kind="preliminary")


def test_response_to_a_third_party_preliminary_report_is_the_initial_report():
    c = Corpus()
    third_party_bug(c, 1, "2025-03-01T00:00:00Z", 20, 100)  # first day of IRG 3.0
    third_party_bug(c, 2, "2025-02-28T23:00:00Z", 20, 100)  # an hour before: IRG 2.0
    third_party_bug(c, 3, "2025-03-05T00:00:00Z", 80, 90)  # the response is 8 h too late
    c.bug(4, "2025-03-05T00:00:00Z")  # an ordinary third-party bug
    c.comment(4, 1, "2025-03-05T05:00:00Z", "ca", text="Looking.")
    c.comment(4, 2, "2025-03-06T00:00:00Z", "ca", kind="preliminary")
    m = c.measure(AS_OF)
    one, two, three, four = (row(m, b) for b in (1, 2, 3, 4))
    assert (one["initial_report_via"], one["initial_report_hours"],
            one["initial_report_status"]) == ("third_party_response", 20.0, "met")
    assert one["initial_report_evidence"].endswith("id=1#c1")
    assert (two["initial_report_via"], two["initial_report_hours"],
            two["initial_report_status"]) == ("ca_report", 100.0, "missed")
    assert (three["initial_report_via"], three["initial_report_status"]) == (
        "third_party_response", "missed")
    assert (four["initial_report_via"], four["initial_report_hours"]) == ("ca_report", 24.0)


def test_the_reporter_of_a_preliminary_report_is_not_made_the_ca():
    bugs = bugs_frame([{"bug_id": 7, "summary": "Nowhere CA: bad OU",
                        "creator": "reporter@example.net", "assigned_to": "desk@example.org",
                        "creation_time": pd.Timestamp("2025-04-01", tz="UTC"),
                        "whiteboard": "[ca-compliance]"}])
    comments = comments_frame([
        {"bug_id": 7, "comment_id": 70, "count": 0, "author": "reporter@example.net",
         "time": pd.Timestamp("2025-04-01", tz="UTC"), "is_private": False, "text": PRELIM},
        {"bug_id": 7, "comment_id": 71, "count": 1, "author": "desk@example.org",
         "time": pd.Timestamp("2025-04-02", tz="UTC"), "is_private": False,
         "text": PRELIM.replace("Third Party Reported", "Self Reported")},
    ])
    parsed = analyze(bugs, comments)
    assert list(parsed.comments["role"]) == ["community", "ca"]
    assert list(parsed.comments["report_kind"]) == ["preliminary", "preliminary"]
    assert not bool(parsed.incidents["self_filed"].iloc[0])


def test_template_currency_from_2025_07_15():
    reports = pd.DataFrame({
        "template": ["legacy", "legacy", "ccadb-v2", "ccadb-v2", "ccadb-v3", None],
        "time": pd.to_datetime(["2025-07-14T23:59:59Z", "2025-07-15T00:00:00Z",
                                "2025-03-31T00:00:00Z", "2025-07-20T00:00:00Z",
                                "2025-08-01T00:00:00Z", "2025-08-01T00:00:00Z"], utc=True),
    }).astype({"template": "str"})
    got = currency(reports)
    assert list(got["template_current"].astype("object").fillna("?")) == [
        "?", False, "?", False, True, "?"]
    assert list(got["template_rule"]) == ["none", "ccadb-policy-2.0", "none",
                                          "ccadb-policy-2.0", "ccadb-policy-2.0", "none"]


def revocation_bug(c: Corpus, bug: int, created: str, days: list[str], tags: str,
                   **kw) -> None:
    c.bug(bug, created, **kw)
    c.incidents[-1]["tags"] = tags
    for n, day in enumerate(days, 1):
        c.comment(bug, n, day, "ca")


def test_revocation_delay_three_day_should_beside_the_seven_day_must():
    c = Corpus()
    days = ["2025-04-02T00:00:00Z", "2025-04-05T00:00:00Z",  # exactly 3 days: in time
            "2025-04-09T00:00:01Z",  # 4 days and a second: late for the SHOULD
            "2025-04-20T00:00:00Z"]  # 11 days: late for both
    kw = {"status": "RESOLVED", "resolution": "FIXED", "resolved": "2025-04-21T00:00:00Z"}
    revocation_bug(c, 1, "2025-04-01T00:00:00Z", days, "ca-compliance leaf-revocation-delay",
                   **kw)
    revocation_bug(c, 2, "2025-04-01T00:00:00Z", days, "ca-compliance ov-misissuance", **kw)
    revocation_bug(c, 3, "2025-01-01T00:00:00Z",
                   ["2025-01-02T00:00:00Z", "2025-01-09T00:00:00Z"],
                   "ca-compliance ca-revocation-delay", status="RESOLVED", resolution="FIXED",
                   resolved="2025-02-01T00:00:00Z")  # before IRG 3.0
    m = c.measure(AS_OF)
    one, two, three = (row(m, b) for b in (1, 2, 3))
    assert (one["cadence_gaps_over_3d"], one["cadence_3d_rule"],
            one["cadence_gaps_over_7d"]) == (2, "ccadb-irg-3.0", 1)
    assert pd.isna(two["cadence_gaps_over_3d"]) and two["cadence_3d_rule"] == "none"
    assert two["cadence_gaps_over_7d"] == 1
    assert pd.isna(three["cadence_gaps_over_3d"]) and three["cadence_3d_rule"] == "none"


def test_next_update_survives_new_comments_and_clearing_restores_seven_days():
    c = Corpus()
    c.bug(1, "2025-05-01T00:00:00Z", whiteboard="[ca-compliance]")
    c.whiteboard(1, "2025-05-01T12:00:00Z", "[ca-compliance]",
                 "[ca-compliance] Next update 2025-06-30")
    for n, day in enumerate(["05-02", "05-20", "06-10", "06-25", "07-10"], 1):
        c.comment(1, n, f"2025-{day}T00:00:00Z", "ca")
    # the root program clears the date on 06-12
    c.whiteboard(1, "2025-06-12T00:00:00Z", "[ca-compliance] Next update 2025-06-30",
                 "[ca-compliance]")
    c.comment(1, 6, "2025-07-12T00:00:00Z", "ca", kind="closure")
    m = c.measure(AS_OF)
    # 05-02 -> 05-20 (18 d) and 05-20 -> 06-10 (21 d): covered, the comment on 05-20 does not
    # void the date; 06-10 -> 06-25 (15 d) began while the date stood and ended before it:
    # covered; 06-25 -> 07-10 (15 d) began after the clearing: the 7-day default applies
    assert list(m.update_gaps["start_count"]) == [4]
    assert row(m, 1)["cadence_gaps_over_7d"] == 1
