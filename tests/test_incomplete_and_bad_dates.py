"""Outputs of an unfinished sync say so; bad dates stop at import, and older snapshots holding
them are analysed with those rows skipped and counted, never a crash (methodology.md, Bad
dates and Incomplete snapshots)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bzanalytics.bmo import sync as sync_module
from bzanalytics.cli import main
from bzanalytics.sample import notice, sample_dir
from bzanalytics.snapshot.export import DERIVED_TABLES
from bzanalytics.snapshot.frames import open_snapshot
from bzanalytics.snapshot.store import Store
from bzanalytics.testing.fakebmo import FakeBMO

SAMPLE = sample_dir()


def sample_bugs(n: int) -> list[dict]:
    with (SAMPLE / "bugs.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for _, line in zip(range(n), fh, strict=False)]


def outputs(db: Path, tmp: Path, capsys) -> dict[str, tuple[int, str, str]]:
    """(exit code, stdout, stderr) of scorecard (text and JSON), report and export."""
    runs = {"scorecard": ["scorecard", "--db", str(db)],
            "json": ["scorecard", "--db", str(db), "--format", "json"],
            "report": ["report", "--db", str(db), "--out", str(tmp / "report")],
            "export": ["export", "--db", str(db), "--out", str(tmp / "export")]}
    out = {}
    for name, argv in runs.items():
        code = main(argv)
        stdout, stderr = capsys.readouterr()
        out[name] = (code, stdout, stderr)
    return out


# --------------------------------------------------------------------------- incomplete


def test_a_rate_limited_sync_leaves_every_output_saying_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sync_module, "MAX_BATCH_BUGS", 20)
    db = tmp_path / "part.sqlite"
    with FakeBMO(SAMPLE, block_after=4) as fake:  # time, ids, two batches, then blocked
        assert main(["sync", "--url", fake.url, "--db", str(db), "--min-interval", "0"]) == 3
    capsys.readouterr()
    with open_snapshot(db) as snap:
        assert len(snap.bugs()) == 40 and snap.pending == 260
        assert "Incomplete snapshot: 260 bugs still pending" in notice(snap)  # notebooks
    warning = "warning: incomplete snapshot: 260 bugs still pending"
    got = outputs(db, tmp_path, capsys)
    for name, (code, _, stderr) in got.items():
        assert code == 0 and warning in stderr, name
    assert json.loads(got["json"][1])["incomplete"] == {"pending": 260}
    manifest = json.loads((tmp_path / "export" / "manifest.json").read_text())
    assert manifest["incomplete"] == {"pending": 260}
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert "<strong>Incomplete snapshot:</strong> 260 bugs still pending" in page


def test_a_finished_sync_or_an_import_is_complete(tmp_path, capsys):
    db = tmp_path / "whole.sqlite"
    with FakeBMO(SAMPLE) as fake:
        assert main(["sync", "--url", fake.url, "--db", str(db), "--min-interval", "0"]) == 0
    capsys.readouterr()
    got = outputs(db, tmp_path, capsys)
    for name, (code, _, stderr) in got.items():
        assert code == 0 and "incomplete" not in stderr, name
    assert json.loads(got["json"][1])["incomplete"] is None
    with open_snapshot(db) as snap:
        assert snap.pending is None and "ncomplete" not in notice(snap)


# --------------------------------------------------------------------------- bad dates at import

BAD_TIMES = [
    ("garbage", "is not a real date and time"),
    (None, "must be a date and time like 2024-02-03T10:00:00Z, got null"),
    (1700000000, "must be a date and time like 2024-02-03T10:00:00Z, got 1700000000"),
    ("2024-02-30T00:00:00Z", "is not a real date and time"),
    ("9999-01-01T00:00:00Z", "is outside 1998-2099"),
    ("1970-01-01T00:00:00Z", "is outside 1998-2099"),
]


@pytest.mark.parametrize(("value", "message"), BAD_TIMES)
def test_import_refuses_a_bad_creation_time_naming_bug_and_field(tmp_path, capsys, value,
                                                                 message):
    bugs = sample_bugs(3)
    bugs[2]["creation_time"] = value
    dump = tmp_path / "dump.json"
    dump.write_text(json.dumps(bugs), encoding="utf-8")
    db = tmp_path / "s.sqlite"
    assert main(["import", "--db", str(db), str(dump)]) == 6
    err = capsys.readouterr().err
    assert f"bug #3: bug {bugs[2]['id']}: creation_time {message}" in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    with Store.open(db) as store:
        assert store.counts()["bugs"] == 0  # nothing written, not even the good bugs


@pytest.mark.parametrize(("where", "field"), [
    (lambda b: b["comments"][1], "time"),
    (lambda b: b["history"][0], "when"),
    (lambda b: b, "cf_last_resolved"),
    (lambda b: b, "last_change_time"),
])
def test_import_checks_every_time_of_a_bug(tmp_path, capsys, where, field):
    bugs = sample_bugs(2)
    where(bugs[1])[field] = "2025-02-29T10:00:00Z"  # 2025 is no leap year
    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(json.dumps(b) + "\n" for b in bugs), encoding="utf-8")
    assert main(["import", "--db", str(tmp_path / "s.sqlite"), str(dump)]) == 6
    assert f"bug {bugs[1]['id']}:" in capsys.readouterr().err


def test_edges_of_a_usable_time_are_imported(tmp_path):
    """1998 and 2099 are inside, null is fine where BMO sends null, a missing creation_time
    is unknown (skipped by the analysis, not refused)."""
    bugs = sample_bugs(4)
    bugs[0]["creation_time"] = "1998-01-01T00:00:00Z"
    bugs[1]["last_change_time"] = "2099-12-31T23:59:59Z"
    bugs[2]["cf_last_resolved"] = None
    del bugs[3]["creation_time"]
    dump = tmp_path / "dump.json"
    dump.write_text(json.dumps(bugs), encoding="utf-8")
    assert main(["import", "--db", str(tmp_path / "s.sqlite"), str(dump)]) == 0
    with open_snapshot(tmp_path / "s.sqlite") as snap:
        assert snap.skipped() == {"bugs without a usable creation_time": [bugs[3]["id"]]}


# --------------------------------------------------------------------------- older snapshots


@pytest.fixture()
def old_snapshot(tmp_path) -> tuple[Path, list[dict]]:
    """A snapshot written before import checked dates: the store itself takes anything."""
    bugs = sample_bugs(60)
    for bug, (value, _) in zip(bugs, BAD_TIMES, strict=False):
        bug["creation_time"] = value
    bugs[10]["comments"][1]["time"] = "2024-13-01T00:00:00Z"
    bugs[11]["last_change_time"] = "9999-12-31T00:00:00Z"
    db = tmp_path / "old.sqlite"
    with Store.open(db) as store:
        store.save_bugs(bugs, origin="dump:old.json", fetched_at="2026-01-01T00:00:00Z")
    return db, bugs


def test_an_old_snapshot_with_bad_dates_is_analysed_skipping_and_counting(old_snapshot,
                                                                          tmp_path, capsys):
    db, bugs = old_snapshot
    with open_snapshot(db) as snap:
        skipped = snap.skipped()
        incidents = snap.incidents(include_excluded=True)
        as_of = snap.as_of
    # the year-9999 change time is not "now": the newest usable one is
    newest = max(b["last_change_time"] for i, b in enumerate(bugs) if i != 11)
    assert as_of.strftime("%Y-%m-%dT%H:%M:%SZ") == newest
    assert skipped == {
        "bugs without a usable creation_time": sorted(b["id"] for b in bugs[:6]),
        "comments without a usable time": [bugs[10]["id"]],
    }
    assert len(incidents) == 54 and not set(incidents["bug_id"]) & set(skipped[
        "bugs without a usable creation_time"])
    got = outputs(db, tmp_path, capsys)
    for name, (code, _, stderr) in got.items():
        assert code == 0, (name, stderr)
        assert "Traceback" not in stderr
        assert "warning: skipped 6 bugs without a usable creation_time" in stderr, name
        assert "warning: skipped 1 comments without a usable time" in stderr, name
    manifest = json.loads((tmp_path / "export" / "manifest.json").read_text())
    assert manifest["skipped"] == {}  # every table written
    assert len(manifest["warnings"]) == 2
    assert "Skipped 6 bugs without a usable creation_time" in (
        tmp_path / "report" / "report.html").read_text(encoding="utf-8")


def test_export_says_loudly_when_a_table_cannot_be_built(old_snapshot, tmp_path, capsys,
                                                         monkeypatch):
    db, _ = old_snapshot
    from bzanalytics.snapshot.frames import Snapshot

    def broken(self, include_excluded=False):
        raise RuntimeError("metrics broke")

    monkeypatch.setattr(Snapshot, "_measured", broken)
    assert main(["export", "--db", str(db), "--out", str(tmp_path / "x")]) == 1
    out, err = capsys.readouterr()
    derived = [t for t in DERIVED_TABLES if t not in ("reports", "timeline")]  # from metrics
    assert f"error: {len(derived)} tables could not be built ({', '.join(derived)})" in err
    assert "bugs.csv" in out  # the base tables are still written
