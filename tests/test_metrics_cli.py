"""`bzanalytics scorecard` end to end: a hand-made snapshot file through the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from bzanalytics.cli import main
from bzanalytics.snapshot.store import Store

PRELIMINARY = """## Preliminary Incident Report

### Summary

- **Incident description:** We issued certificates with a bad field.
- **Timeline summary:**
  - Non-compliance identified date: {aware}
"""
FULL = """## Full Incident Report

### Summary

Bad field.

### Impact

Ten certificates.

### Timeline

All times are UTC.

### Root Cause Analysis

A template change.
"""
LINK = "https://bugzilla.mozilla.org/show_bug.cgi?id="


def bmo_bug(bug_id: int, summary: str, created: str, comments: list[tuple[str, str, str]],
            *, status: str = "ASSIGNED", resolution: str = "", resolved: str | None = None,
            creator: str = "reporter@example.com", assignee: str) -> dict:
    """A BMO REST bug; `comments` are (time, author, text), comment 0 first."""
    return {
        "id": bug_id, "summary": summary, "status": status, "resolution": resolution,
        "product": "CA Program", "component": "CA Certificate Compliance",
        "creator": creator, "assigned_to": assignee, "creation_time": created,
        "last_change_time": comments[-1][0], "cf_last_resolved": resolved,
        "whiteboard": "[ca-compliance] [ov-misissuance]", "keywords": [],
        "is_open": resolved is None, "comment_count": len(comments), "dupe_of": None,
        "groups": [],
        "comments": [
            {"id": bug_id * 100 + n, "bug_id": bug_id, "count": n, "text": text,
             "raw_text": text, "creator": who, "author": who, "time": when,
             "creation_time": when, "is_private": False, "attachment_id": None}
            for n, (when, who, text) in enumerate(comments)
        ],
        "history": [], "attachments": [],
    }


def make_snapshot(path: Path, *, synthetic: bool) -> Path:
    bramble = "ops@bramblegate.example.com"
    bugs = [
        # third-party bug, CA answers with a preliminary report 5 h later (response 5 h) that
        # states awareness at 09:00, before filing: 72 h met (6 h); full 10 d after: 14 d met
        bmo_bug(1900001, "Bramblegate PKI Ltd: bad field", "2025-04-01T10:00:00Z",
                [("2025-04-01T10:00:00Z", "reporter@example.com", "Found a bad field."),
                 ("2025-04-01T15:00:00Z", bramble,
                  PRELIMINARY.format(aware="2025-04-01 09:00 UTC")),
                 ("2025-04-11T10:00:00Z", bramble, FULL)],
                assignee=bramble),
        # self-filed, awareness 2025-05-01 00:00, preliminary 5 days later (120 h): 72 h missed
        bmo_bug(1900002, "Bramblegate PKI Ltd: late CRL", "2025-05-05T00:00:00Z",
                [("2025-05-05T00:00:00Z", bramble, "We found late CRLs."),
                 ("2025-05-06T00:00:00Z", bramble,
                  PRELIMINARY.format(aware="2025-05-01 00:00 UTC"))],
                creator=bramble, assignee=bramble, status="RESOLVED", resolution="FIXED",
                resolved="2025-06-05T00:00:00Z"),
        bmo_bug(1900003, "Quillfeather Trust Services: OCSP outage", "2025-06-01T00:00:00Z",
                [("2025-06-01T00:00:00Z", "reporter@example.com", "OCSP is down?")],
                assignee="ops@quillfeather.example.com"),
    ]
    with Store.open(path) as store:
        state = {"db_time": "2025-09-01T00:00:00Z"}
        if synthetic:
            state["synthetic"] = "bzanalytics.synth (test)"
        store.save_bugs(bugs, origin="import", fetched_at="2025-09-01T00:00:00Z", state=state)
    return path


@pytest.fixture(scope="module")
def real_db(tmp_path_factory) -> Path:
    return make_snapshot(tmp_path_factory.mktemp("cli") / "real.db", synthetic=False)


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory) -> Path:
    return make_snapshot(tmp_path_factory.mktemp("cli") / "synth.db", synthetic=True)


def test_text_table(real_db, capsys):
    assert main(["scorecard", "--db", str(real_db)]) == 0
    out = capsys.readouterr().out
    assert "SYNTHETIC" not in out
    assert all(len(line) <= 100 for line in out.splitlines())
    row = next(line for line in out.splitlines() if "Bramblegate PKI Ltd" in line)
    # 2 bugs, 1 open; response 5 h (only bug 1 is third-party); 72 h: 1 met of 2;
    # 14 d: bug 1 met (aware 09:00 -> full 04-11 10:00 = 10.04 d), bug 2 no_report -> 1/1
    assert row.split()[:6] == ["*", "Bramblegate", "PKI", "Ltd", "2", "1"]
    assert "5.0 [5.0-5.0]" in row
    assert "1/2 50%" in row
    assert "1/1 100%" in row


def test_synthetic_banner(synthetic_db, capsys):
    assert main(["scorecard", "--db", str(synthetic_db)]) == 0
    assert capsys.readouterr().out.startswith("SYNTHETIC SAMPLE")
    assert main(["scorecard", "--db", str(synthetic_db), "--format", "csv"]) == 0
    assert "SYNTHETIC" in capsys.readouterr().err


def test_one_ca_with_evidence(real_db, capsys):
    assert main(["scorecard", "--db", str(real_db), "--ca", "bramblegate pki ltd"]) == 0
    out = capsys.readouterr().out
    assert "Quillfeather" not in out
    assert "Incidents (2):" in out
    assert f"72h: {LINK}1900001#c1" in out
    # aware 05-01 00:00 (stated) -> preliminary 05-06 00:00 = 120 h
    assert "1900002  2025-05-05  FIXED      72h missed (120 h)  14d no_report" in out
    assert "1900001  2025-04-01  ASSIGNED   72h met (6.0 h)  14d met (10 d)" in out


def test_unknown_ca_names_close_matches(real_db, capsys):
    assert main(["scorecard", "--db", str(real_db), "--ca", "Bramblgate Ltd"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "close matches: Bramblegate PKI Ltd" in err


def test_json_and_csv(real_db, capsys):
    assert main(["scorecard", "--db", str(real_db), "--format", "json", "--ca",
                 "Bramblegate PKI Ltd"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["synthetic"] is False
    assert [r["ca"] for r in data["scorecard"]] == ["Bramblegate PKI Ltd"]
    assert data["scorecard"][0]["initial_met"] == 1
    by_bug = {r["bug_id"]: r for r in data["incidents"]}
    assert by_bug[1900002]["initial_report_status"] == "missed"
    assert by_bug[1900001]["response_hours"] == 5.0
    assert by_bug[1900002]["response_hours"] is None
    assert main(["scorecard", "--db", str(real_db), "--format", "csv",
                 "--since", "2025-05-01"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["ca"]: r["incidents"] for r in rows} == {"Bramblegate PKI Ltd": "1",
                                                       "Quillfeather Trust Services": "1"}


def test_bad_input(real_db, tmp_path, capsys):
    assert main(["scorecard", "--db", str(real_db), "--since", "someday"]) == 2
    assert "not a date" in capsys.readouterr().err
    assert main(["scorecard", "--db", str(tmp_path / "missing.db")]) != 0
    assert capsys.readouterr().err.startswith("bzanalytics: ")


def test_empty_snapshot(tmp_path, capsys):
    from bzanalytics.metrics import scorecard, yearly_trends
    from bzanalytics.snapshot.frames import open_snapshot

    path = tmp_path / "empty.db"
    Store.open(path).close()
    with open_snapshot(path) as snapshot:
        assert snapshot.incidents().empty
        assert snapshot.questions().empty and snapshot.update_gaps().empty
        assert scorecard(snapshot.incidents()).empty
        assert yearly_trends(snapshot.incidents()).empty
    assert main(["scorecard", "--db", str(path)]) == 2
    assert "holds no bugs yet" in capsys.readouterr().err
