"""Corrections through the snapshot and every output: incidents, scorecard, report, export, CLI.

The bundled sample has self-filed incidents whose awareness the reports never state (72-hour
status `unknown_awareness`); a correction placing awareness exactly 72 hours before the initial
report must turn one into `met`, and one minute earlier into `missed` (docs/methodology.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from bzanalytics import open_snapshot, sample
from bzanalytics.cli import main
from bzanalytics.snapshot.corrections import CorrectionsError

HEADER = "bug_id,field,value,evidence,note,by\n"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    return sample.sample_db(cache=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def unknown(sample_db) -> pd.Series:
    """A self-filed incident of the sample with no stated awareness, and its initial report."""
    with open_snapshot(sample_db) as snap:
        inc = snap.incidents()
    rows = inc.loc[(inc["initial_report_status"].eq("unknown_awareness")
                    & inc["aware_source"].eq("unknown") & inc["t_initial"].notna()).to_numpy()]
    assert len(rows), "the sample plants self-filed bugs without stated awareness"
    return rows.iloc[0]


def _corrections(tmp_path: Path, bug: int, aware: pd.Timestamp, name: str = "c.csv") -> Path:
    path = tmp_path / name
    link = f"https://bugzilla.mozilla.org/show_bug.cgi?id={bug}#c0"
    path.write_text(HEADER + f"{bug},awareness_time,{aware:%Y-%m-%dT%H:%MZ},{link},"
                    "read from the report's timeline,A. Reviewer\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("status", ["met", "missed"])
def test_awareness_correction_flows_into_incidents_and_scorecard(sample_db, unknown, tmp_path,
                                                                 status):
    bug = int(unknown["bug_id"])
    # corrections give whole minutes; the report was posted at T_initial (with seconds).
    # met: the first whole minute not before T_initial - 72 h (delay <= 72 h);
    # missed: a minute before the last whole minute before it (delay >= 72 h + 1 min).
    limit = pd.Timestamp(unknown["t_initial"]) - pd.Timedelta(hours=72)
    aware = limit.ceil("min") if status == "met" else limit.floor("min") - pd.Timedelta(minutes=1)
    path = _corrections(tmp_path, bug, aware)
    with open_snapshot(sample_db) as plain:
        before = plain.scorecard().set_index("ca").loc[unknown["ca"]]
    with open_snapshot(sample_db, corrections=path) as snap:
        inc = snap.incidents()
        got = inc.loc[inc["bug_id"].eq(bug).to_numpy()].iloc[0]
        after = snap.scorecard().set_index("ca").loc[unknown["ca"]]
        assert snap.corrections.sha256 and len(snap.corrections.rows) == 1
    delay = pd.Timestamp(unknown["t_initial"]) - aware
    expected = "met" if delay <= pd.Timedelta(hours=72) else "missed"
    assert got["initial_report_status"] == expected == status
    assert got["aware_source"] == "corrected" and got["awareness_time_source"] == "corrected"
    assert after["initial_n"] == before["initial_n"] + 1
    assert after["initial_met"] == before["initial_met"] + (status == "met")


def test_report_export_and_json_name_the_corrections(sample_db, unknown, tmp_path, capsys):
    bug = int(unknown["bug_id"])
    path = _corrections(tmp_path, bug, pd.Timestamp(unknown["t_initial"]).floor("min")
                        - pd.Timedelta(hours=48))
    import hashlib

    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert main(["report", "--db", str(sample_db), "--out", str(tmp_path / "r"),
                 "--corrections", str(path)]) == 0
    page = (tmp_path / "r" / "report.html").read_text("utf-8")
    assert sha in page and 'id="corrections"' in page
    assert "corrected: awareness_time" in page
    assert main(["export", "--db", str(sample_db), "--out", str(tmp_path / "e"),
                 "--tables", "incidents", "--corrections", str(path)]) == 0
    manifest = json.loads((tmp_path / "e" / "manifest.json").read_text("utf-8"))
    assert manifest["corrections"] == {"file": "c.csv", "sha256": sha, "rows": 1}
    assert manifest["content_hash"]
    exported = pd.read_csv(tmp_path / "e" / "incidents.csv")
    corrected = exported.loc[exported["bug_id"].eq(bug)].iloc[0]
    assert corrected["awareness_time_source"] == "corrected"
    assert corrected["initial_report_status"] == "met"
    capsys.readouterr()
    assert main(["scorecard", "--db", str(sample_db), "--format", "json",
                 "--corrections", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["corrections"]["sha256"] == sha
    assert main(["export", "--db", str(sample_db), "--out", str(tmp_path / "plain"),
                 "--tables", "incidents"]) == 0
    plain = json.loads((tmp_path / "plain" / "manifest.json").read_text("utf-8"))
    assert plain["corrections"] is None


def test_check_command(sample_db, unknown, tmp_path, capsys):
    bug = int(unknown["bug_id"])
    good = _corrections(tmp_path, bug, pd.Timestamp("2024-01-01T00:00Z"))
    assert main(["corrections", "check", str(good)]) == 0
    assert "1 correction(s) OK" in capsys.readouterr().out
    assert main(["corrections", "check", str(good), "--db", str(sample_db)]) == 0
    bad = tmp_path / "bad.csv"
    link = "https://bugzilla.mozilla.org/show_bug.cgi?id={}#c0"
    bad.write_text(HEADER + f"{bug},awareness_time,yesterday,{link.format(bug)},,\n"
                   f"{bug},ca,Example,{link.format(bug + 1)},,\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["corrections", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "line 2:" in err and "line 3:" in err and "nothing applied" in err
    assert "Traceback" not in err
    unknown_bug = tmp_path / "unknown.csv"
    unknown_bug.write_text(HEADER + f"99,ca,Example,{link.format(99)},,\n", encoding="utf-8")
    assert main(["corrections", "check", str(unknown_bug)]) == 0  # form only without --db
    assert main(["corrections", "check", str(unknown_bug), "--db", str(sample_db)]) == 2
    assert "bug 99 is not in this snapshot" in capsys.readouterr().err
    noop = tmp_path / "noop.csv"
    noop.write_text(HEADER + f"{bug},ca,{unknown['ca']},{link.format(bug)},,\n", encoding="utf-8")
    assert main(["corrections", "check", str(noop), "--db", str(sample_db)]) == 0
    out = capsys.readouterr()
    assert "changes nothing" in out.err and "1 warning(s)" in out.out


def test_bad_corrections_never_half_apply(sample_db, unknown, tmp_path):
    bug = int(unknown["bug_id"])
    link = f"https://bugzilla.mozilla.org/show_bug.cgi?id={bug}#c0"
    path = tmp_path / "half.csv"
    path.write_text(HEADER + f"{bug},ca,Some Other CA,{link},,\n"
                    f"{bug},initial_report,9999,{link},,\n", encoding="utf-8")
    with pytest.raises(CorrectionsError, match="has no comment 9999"):
        open_snapshot(sample_db, corrections=path)
    with open_snapshot(sample_db) as snap:
        snap_inc = snap.incidents()
        assert snap.corrections is None
        assert snap_inc.loc[snap_inc["bug_id"].eq(bug).to_numpy(), "ca"].iloc[0] == unknown["ca"]


def test_notebook_environment_applies_corrections(sample_db, unknown, tmp_path):
    bug = int(unknown["bug_id"])
    path = _corrections(tmp_path, bug, pd.Timestamp("2024-01-01T00:00Z"))
    env = {sample.DB_ENV: str(sample_db), sample.CORRECTIONS_ENV: str(path)}
    with sample.default_snapshot(env) as snap:
        assert snap.corrections is not None
        assert "1 hand corrections applied from `c.csv`" in sample.notice(snap, env)


def test_attention_follows_corrections_and_names_its_grouping(sample_db, tmp_path, capsys):
    """A correction naming the initial report removes that bug's initial_report_overdue item,
    and the incidents table under the same corrections agrees (one implementation)."""
    with open_snapshot(sample_db) as snap:
        items = snap.attention()
        plain = snap.incidents()
    overdue = items.loc[items["kind"].eq("initial_report_overdue").to_numpy()]
    assert len(overdue), "the sample plants an overdue initial report"
    bug = int(overdue["bug_id"].iloc[0])
    assert plain.loc[plain["bug_id"].eq(bug).to_numpy(), "initial_report_status"].iloc[0] \
        == "no_report"
    path = tmp_path / "report.csv"
    path.write_text(HEADER + f"{bug},initial_report,0,"
                    f"https://bugzilla.mozilla.org/show_bug.cgi?id={bug}#c0,"
                    "comment 0 is the report,A. Reviewer\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["attention", "--db", str(sample_db), "--format", "json"]) == 0
    before = {(i["bug_id"], i["kind"]) for i in json.loads(capsys.readouterr().out)}
    assert (bug, "initial_report_overdue") in before
    assert main(["attention", "--db", str(sample_db), "--format", "json",
                 "--corrections", str(path)]) == 0
    out = capsys.readouterr()
    after = {(i["bug_id"], i["kind"]) for i in json.loads(out.out)}
    assert after == before - {(bug, "initial_report_overdue")}  # nothing else moves
    assert "grouped by CA owner at filing" in out.err
    with open_snapshot(sample_db, corrections=path) as snap:
        inc = snap.incidents()
    status = inc.loc[inc["bug_id"].eq(bug).to_numpy(), "initial_report_status"].iloc[0]
    # the report now exists: no longer no_report/pending (awareness decides met or missed)
    assert status in ("met", "missed", "unknown_awareness")
    assert main(["attention", "--db", str(sample_db), "--group-by", "current-owner",
                 "--corrections", str(path)]) == 0
    text = capsys.readouterr().out
    assert "CAs grouped by today's CA owner" in text
    assert "hand corrections applied (SHA-256" in text
