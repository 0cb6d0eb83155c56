"""Absent comments or history mean unknown, never "the CA did nothing" (methodology.md, Absent
data); a missing `is_open` comes from the status."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from bzanalytics.cli import main
from bzanalytics.snapshot.dumps import import_dumps
from bzanalytics.snapshot.frames import open_snapshot
from bzanalytics.snapshot.store import Store

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "bmo-ca-compliance-bugs.json"
CA = "ops@bramblegate.example.com"


def bug(bug_id: int, created: str, *, status: str = "ASSIGNED", comments: list | None = None,
        history: list | None = None, whiteboard: str = "[ca-compliance]") -> dict:
    """A bug as a dump holds it: `comments`/`history` keys only when they were fetched."""
    out = {"id": bug_id, "summary": "Bramblegate PKI Ltd: late CRL", "status": status,
           "resolution": "FIXED" if status == "RESOLVED" else "", "creation_time": created,
           "creator": "reporter@example.net", "whiteboard": whiteboard}
    if comments is not None:
        out["comments"] = [
            {"id": bug_id * 10 + n, "bug_id": bug_id, "count": n, "text": text, "creator": who,
             "time": when, "is_private": private}
            for n, (when, who, text, private) in enumerate(comments)]
    if history is not None:
        out["history"] = history
    return out


@pytest.fixture()
def snapshot(tmp_path):
    nu = "[ca-compliance] Next update 2025-03-10"
    filed = ("2025-03-01T00:00:00Z", "reporter@example.net", "Late CRL?", False)
    bugs = [
        # metadata only: resolved, rule applies, a Next update date long past
        bug(1, "2025-03-01T00:00:00Z", status="RESOLVED", whiteboard=nu),
        # metadata only, open, filed before the 72-hour rule existed
        bug(2, "2020-03-01T00:00:00Z"),
        # comments fetched (no CA ever answered), history sent with them: measured as before
        bug(3, "2025-03-01T00:00:00Z", whiteboard=nu, history=[], comments=[
            filed, ("2025-03-02T00:00:00Z", "someone@example.net", "Any news?", False)]),
        # comments fetched but only a private one: still fetched (BMO sent comment 0)
        bug(4, "2025-03-01T00:00:00Z", comments=[(*filed[:3], True)]),
    ]
    path = tmp_path / "dump.json"
    path.write_text(json.dumps({"bugs": bugs}), encoding="utf-8")
    db = tmp_path / "s.sqlite"
    with Store.open(db) as store:
        import_dumps(store, [path])
        store.set_state("db_time", "2025-09-01T00:00:00Z")
    with open_snapshot(db) as snap:
        yield snap


def test_metadata_only_bugs_are_unknown_never_no_report(snapshot):
    inc = snapshot.incidents().set_index("bug_id")
    one, two, three = inc.loc[1], inc.loc[2], inc.loc[3]
    assert (one["comments_fetched"], one["history_fetched"]) == (False, False)
    assert (three["comments_fetched"], three["history_fetched"]) == (True, True)
    assert inc.loc[4, "comments_fetched"]
    for col in ("initial_report", "full_report"):
        assert (one[f"{col}_status"], one[f"{col}_reason"]) == (
            "unknown_data", "comments not fetched")
        # the same bug with its comments: the CA posted nothing, the deadline passed
        assert (three[f"{col}_status"], three[f"{col}_reason"]) == ("no_report", "no CA report")
        assert inc.loc[4, f"{col}_status"] == "no_report"  # private comments count as nothing
        # filed before the rule: not_applicable either way, with the reason it is unknown
        assert (two[f"{col}_status"], two[f"{col}_reason"]) == (
            "not_applicable", "comments not fetched")
    assert (two["legacy_full_report_status"], one["legacy_full_report_status"]) == (
        "unknown_data", "not_applicable")
    assert pd.isna(one["response_hours"]) and one["response_reason"] == "comments not fetched"
    assert three["response_reason"] == "no CA comment"
    for col in ("questions", "questions_late", "cadence_gaps_over_7d", "next_updates_set",
                "next_updates_missed"):
        assert pd.isna(one[col]) and pd.isna(two[col]), col
    # with comments and history: the question is unanswered and late, the promise missed
    assert (three["questions_late"], three["next_updates_missed"]) == (1, 1)
    assert set(snapshot.promises()["bug_id"]) == {3}
    assert set(snapshot.questions()["bug_id"]) == {3}
    # is_open missing from the dump: taken from the status
    assert inc["is_open"].tolist() == [False, True, True, True]


def test_scorecard_counts_them_apart(snapshot, capsys):
    card = snapshot.scorecard().iloc[0]
    assert (card["incidents"], card["open"], card["not_fetched"]) == (4, 3, 2)
    assert (card["initial_no_report"], card["next_updates_missed"], card["questions"]) == (2, 1, 1)
    assert main(["scorecard", "--db", str(snapshot.path)]) == 0
    out = capsys.readouterr().out
    assert "2 incidents have no comments in this snapshot" in out


@pytest.mark.skipif(not REAL.exists(), reason="../shared/data is not present")
def test_the_real_metadata_accuses_no_ca(tmp_path, capsys):
    bugs = json.loads(REAL.read_text(encoding="utf-8"))
    by_status = sum(b["status"] not in ("RESOLVED", "VERIFIED", "CLOSED") for b in bugs)
    assert by_status == 80 and all("is_open" not in b for b in bugs)
    db = tmp_path / "real.sqlite"
    assert main(["import", "--db", str(db), str(REAL)]) == 0
    capsys.readouterr()
    assert main(["scorecard", "--db", str(db), "--include-excluded", "--format", "json"]) == 0
    card = json.loads(capsys.readouterr().out)["scorecard"]
    total = {k: sum(r[k] for r in card) for k in card[0] if isinstance(card[0][k], int)}
    assert total["incidents"] == len(bugs) == total["not_fetched"]
    assert total["open"] == 80
    assert total["initial_no_report"] == total["full_no_report"] == 0
    assert total["next_updates_missed"] == total["questions_late"] == 0
    assert total["initial_n"] == total["full_n"] == 0  # nothing met, nothing missed
    with open_snapshot(db) as snap:
        inc = snap.incidents(include_excluded=True)
    statuses = pd.concat([inc[c] for c in inc.columns if c.endswith("_status")])
    assert not statuses.isin(["no_report", "missed", "pending"]).any()
    assert int(inc["is_open"].sum()) == 80
