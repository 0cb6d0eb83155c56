"""`analyze` on a hand-built snapshot: roles, report rows, timeline rows and per-bug base columns
(self-filed, CA source, awareness per methodology.md). Owners and accounts are fictional."""

from __future__ import annotations

import pandas as pd
import pytest

from bzanalytics.parse import roles
from bzanalytics.parse.tables import analyze
from bzanalytics.parse.tables_data import ca_owners, root_programs
from tests.parse_helpers import bugs_frame, comments_frame, ts

FULL = """## Full Incident Report
### Summary
- **CA Owner CCADB unique ID:** {ccadb}
- **Incident description:** bad OU
- **Timeline summary:**
   - **Non-compliance identified date:** 2025-03-04 at 08:30 UTC
- **Source of incident disclosure:** Third Party Reported
### Impact
x
### Timeline
- 2025-03-04 08:30 UTC: we received the report via our problem reporting mechanism
- 2025-03-04 10:00 UTC: issuance stopped
### Related Incidents
none
### Root Cause Analysis
y
### Lessons Learned
z
### Action Items
a
"""
REQUEST = ("You must respond in this bug to provide the following information:\n"
           "1) How your CA first became aware of the problems\n2) A timeline of the actions your "
           "CA took in response.\n3) A summary of the problematic certificates.")


@pytest.fixture(scope="module")
def world() -> dict:
    owners = [o for o in ca_owners() if o.get("ccadb_id") and o["domains"]
              and o["domains"][0].endswith("example.com")]
    rp = [a for a in root_programs()["accounts"] if a["login"].endswith("example.org")]
    bots = [b for b in root_programs()["bots"] if b["login"].endswith("example.org")]
    if len(owners) < 2 or not rp or not bots:
        pytest.skip("the synthetic alias and root-program tables are not available")
    return {"owner": owners[0], "other": owners[1], "rp": rp[0]["login"],
            "bot": bots[0]["login"]}


@pytest.fixture(scope="module")
def parsed(world: dict):
    owner, other = world["owner"], world["other"]
    staff = f"responder@{owner['domains'][0]}"
    bugs = bugs_frame([
        # third-party bug; the summary names the *other* owner, the v3 CCADB id wins
        {"bug_id": 101, "summary": f"{other['name']}: Bad OU", "creator": "reporter@example.net",
         "assigned_to": staff, "creation_time": ts("2025-03-05T09:00:00"),
         "whiteboard": "[ca-compliance] [ov-misissuance] Next update 2025-04-01"},
        # self-filed by a CA-domain account, no awareness stated
        {"bug_id": 102, "summary": f"[meta] {owner['name']}: Tracking",
         "creator": f"other.staff@{owner['domains'][0]}", "assigned_to": "nobody@mozilla.org",
         "creation_time": ts("2025-06-01T00:00:00"), "whiteboard": "[ca compliance]"},
        # an auditor's bug
        {"bug_id": 103, "summary": "Example Audit Partners: missed findings",
         "creator": world["rp"], "assigned_to": None,
         "creation_time": ts("2025-07-01T00:00:00"), "whiteboard": "[auditor-compliance]"},
    ])
    comments = comments_frame([
        {"bug_id": 101, "comment_id": 1, "count": 0, "author": "reporter@example.net",
         "time": ts("2025-03-05T09:00:00"),
         "text": "I found bad certificates.\n2025-03-01 10:00 UTC - checked again"},
        {"bug_id": 101, "comment_id": 2, "count": 1, "author": world["rp"],
         "time": ts("2025-03-05T10:00:00"), "text": REQUEST},
        {"bug_id": 101, "comment_id": 3, "count": 2, "author": staff,
         "time": ts("2025-03-05T12:00:00"),
         "text": "## Preliminary Incident Report\n### Summary\n- **Incident description:** On "
                 "2025-03-04 we became aware of a bad OU.\n- **Relevant policies:** BR"},
        {"bug_id": 101, "comment_id": 4, "count": 3, "author": "anon123@example.net",
         "time": ts("2025-03-10T12:00:00"), "text": FULL.format(ccadb=owner["ccadb_id"])},
        {"bug_id": 101, "comment_id": 5, "count": 4, "author": world["bot"],
         "time": ts("2025-03-11T00:00:00"), "text": "Update: the Whiteboard changed."},
        {"bug_id": 101, "comment_id": 6, "count": 5, "author": "reporter@example.net",
         "time": ts("2025-03-12T00:00:00"), "text": "Why was issuance not stopped?"},
        {"bug_id": 102, "comment_id": 7, "count": 0, "author": f"other.staff@{owner['domains'][0]}",
         "time": ts("2025-06-01T00:00:00"), "text": "Tracking bug."},
        {"bug_id": 103, "comment_id": 8, "count": 0, "author": world["rp"],
         "time": ts("2025-07-01T00:00:00"), "text": "Auditor bug."},
    ])
    return analyze(bugs, comments)


def test_roles_and_report_kinds(parsed) -> None:
    c = parsed.comments
    assert c["role"].tolist() == ["community", "root_program", "ca", "ca", "bot", "community",
                                  "ca", "root_program"]
    assert [None if pd.isna(k) else k for k in c["report_kind"]] == [
        None, None, "preliminary", "full", None, None, None, None]


def test_report_rows(parsed, world: dict) -> None:
    r = parsed.reports
    assert r["count"].tolist() == [2, 3]
    full = r.iloc[1]
    assert (full["kind"], full["template"], full["ccadb_id"]) == (
        "full", "ccadb-v3", world["owner"]["ccadb_id"])
    assert full["sections"] == ("summary;impact;timeline;related_incidents;root_cause_analysis;"
                                "lessons_learned;action_items")
    assert (full["n_sections"], full["completeness"], full["missing_sections"]) == (
        7, 7 / 8, "appendix")
    assert full["disclosure_source"] == "third_party"
    assert full["awareness_time"] == ts("2025-03-04T08:30:00")
    assert str(r["awareness_time"].dtype) == "datetime64[us, UTC]"


def test_timeline_rows(parsed) -> None:
    t = parsed.timeline
    assert t["count"].tolist() == [3, 3]
    assert t["time"].tolist() == [ts("2025-03-04T08:30:00"), ts("2025-03-04T10:00:00")]
    assert t["precision"].tolist() == ["minute", "minute"]


def test_incident_base_columns(parsed, world: dict) -> None:
    inc = parsed.incidents.set_index("bug_id")
    a = inc.loc[101]
    assert (a["ca"], a["ca_source"], a["ca_raw"]) == (
        world["owner"]["name"], "ccadb_id", world["other"]["name"])
    assert (a["self_filed"], a["template"], a["category"]) == (False, "ccadb-v3", "ov-misissuance")
    assert a["tags"] == "ca-compliance ov-misissuance"
    assert a["next_update"] == ts("2025-04-01")
    # the first minute-precise statement (c3) beats the earlier day-precise one (c2)
    assert (a["aware_time"], a["aware_precision"], a["aware_source"]) == (
        ts("2025-03-04T08:30:00"), "minute", "report")
    assert a["aware_count"] == 3  # metrics turn it into the evidence link
    b = inc.loc[102]
    assert (b["ca"], b["ca_source"], b["self_filed"], b["is_meta"]) == (
        world["owner"]["name"], "summary", True, True)
    assert (pd.isna(b["aware_time"]), b["aware_source"]) == (True, "unknown")
    assert b["tags"] == "ca-compliance" and b["category"] == "uncategorized"
    c = inc.loc[103]
    assert (c["ca"], c["ca_source"], c["self_filed"]) == ("Example Audit Partners", "auditor",
                                                          False)
    # third-party bug without a stated awareness: T_aware = T_create
    assert (c["aware_time"], c["aware_source"]) == (ts("2025-07-01T00:00:00"), "bug_created")


def test_stated_awareness_after_creation_is_capped_for_third_party_bugs(world: dict) -> None:
    bugs = bugs_frame([{"bug_id": 7, "summary": f"{world['owner']['name']}: x",
                        "creator": "reporter@example.net", "assigned_to": None,
                        "creation_time": ts("2025-03-01T00:00:00"), "whiteboard": ""}])
    comments = comments_frame([{"bug_id": 7, "comment_id": 1, "count": 1,
                                "author": "someone@example.net",
                                "time": ts("2025-03-05T00:00:00"),
                                "text": FULL.format(ccadb="A999999")}])
    inc = analyze(bugs, comments).incidents.iloc[0]
    assert (inc["aware_time"], inc["aware_source"]) == (ts("2025-03-01T00:00:00"), "bug_created")
    assert inc["aware_count"] == 0


def test_root_program_of_the_bugs_own_company() -> None:
    assert roles.org_is_ca("Chrome", "Google Trust Services LLC")
    assert roles.org_is_ca("Apple", "Apple")
    assert not roles.org_is_ca("Mozilla", "Example Trust")


def test_empty_frames() -> None:
    parsed = analyze(bugs_frame([]), comments_frame([]))
    assert parsed.reports.empty and parsed.timeline.empty and parsed.incidents.empty
    assert list(parsed.incidents.columns)[:3] == ["bug_id", "ca", "ca_raw"]


def test_bug_without_assignee_or_creator() -> None:
    """A missing assignee or creator (NaN in a `str` column) means "nobody", not a crash."""
    bugs = bugs_frame([{"bug_id": 7, "summary": "Some CA: a problem", "creator": None,
                        "assigned_to": None, "creation_time": ts("2024-01-02T00:00:00Z"),
                        "whiteboard": "[ca-compliance]"}])
    comments = comments_frame([{"bug_id": 7, "comment_id": 70, "count": 0,
                                "author": "reporter@example.com",
                                "time": ts("2024-01-02T00:00:00Z"), "is_private": False,
                                "text": "Certificates with a bad extension?",
                                "attachment_id": None}])
    result = analyze(bugs, comments)
    assert list(result.comments["role"]) == ["community"]
    assert result.incidents["self_filed"].tolist() == [False]
