"""`import`, `status`, `export` via `cli.main`: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bzanalytics.cli import main
from bzanalytics.snapshot.store import Store
from tests.store_helpers import all_bugs, bug_1001, bug_1002


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _corpus(tmp_path: Path, bugs: list[dict], **meta) -> Path:
    directory = tmp_path / "corpus"
    directory.mkdir()
    (directory / "corpus.json").write_text(json.dumps(
        {"format": "bzanalytics-corpus/1", "now": "2026-11-01T00:00:00Z", **meta}))
    (directory / "bugs.jsonl").write_text("".join(json.dumps(b) + "\n" for b in bugs))
    return directory


def test_import_then_status(tmp_path: Path, capsys) -> None:
    dump = tmp_path / "search.json"
    dump.write_text(json.dumps({"bugs": all_bugs()}))
    db = tmp_path / "s.sqlite"
    code, out, err = _run(capsys, "import", "--db", str(db), str(dump))
    assert (code, err) == (0, "")
    assert f"imported 3 bugs from {dump}" in out
    with Store.open(db) as store:
        store.set_state("last_sync_started", "2026-11-02T10:00:00Z")
        digest = store.content_hash()
    code, out, err = _run(capsys, "status", "--db", str(db))
    assert (code, err) == (0, "")
    lines = dict(line.split(None, 1) if " " in line else (line, "")
                 for line in out.replace("BMO db_time", "db_time").replace(
                     "last sync", "last_sync").replace("content hash", "hash").splitlines())
    assert lines["bugs"] == "3"
    assert lines["comments"] == "6 (1 private)"
    assert lines["history"] == "5 changes"
    assert lines["attachments"] == "1"
    assert lines["last_sync"].startswith("started 2026-11-02T10:00:00Z, not finished")
    assert lines["db_time"] == "unknown"
    assert lines["origins"] == "dump:search.json (3 bugs)"
    assert lines["synthetic"] == "no"
    assert lines["hash"] == f"sha256:{digest}"


def test_status_json_for_a_synthetic_corpus(tmp_path: Path, capsys) -> None:
    corpus = _corpus(tmp_path, [bug_1001(), bug_1002()], generated_by="bzanalytics synth -s 1")
    db = tmp_path / "s.sqlite"
    code, out, _ = _run(capsys, "import", "--db", str(db), str(corpus))
    assert code == 0 and "(synthetic corpus)" in out
    code, out, _ = _run(capsys, "status", "--db", str(db), "--json")
    status = json.loads(out)
    assert code == 0
    assert status["counts"] == {"bugs": 2, "comments": 6, "history": 5, "attachments": 1,
                                "private_comments": 1}
    assert status["db_time"] == "2026-11-01T00:00:00Z"
    assert status["synthetic"] == "bzanalytics synth -s 1"
    assert status["origins"] == {"corpus:corpus": 2}
    assert status["last_sync_started"] is None
    assert len(status["content_hash"]) == 64


def test_export_command(tmp_path: Path, capsys) -> None:
    db = tmp_path / "s.sqlite"
    with Store.open(db) as store:
        store.save_bugs([bug_1001(), bug_1002()], origin="t", fetched_at="t",
                        state={"synthetic": "bzanalytics synth"})
    out_dir = tmp_path / "out"
    code, out, err = _run(capsys, "export", "--db", str(db), "--out", str(out_dir),
                          "--tables", "bugs,comments", "history")
    assert (code, err) == (0, "")
    assert sorted(p.name for p in out_dir.iterdir()) == ["bugs.csv", "comments.csv",
                                                         "history.csv", "manifest.json"]
    assert "comments             5 rows" in out
    assert "SYNTHETIC" in out
    code, out, _ = _run(capsys, "export", "--db", str(db), "--out", str(tmp_path / "all"),
                        "--include-private", "--tables", "comments")
    assert code == 0 and "comments             6 rows" in out


def _non_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "notes.sqlite"
    path.write_text("not a database\n" * 100)
    return path


def _foreign(tmp_path: Path) -> Path:
    path = tmp_path / "foreign.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(("argv", "code", "message"), [
    (["export", "--db", "{db}", "--out", "{tmp}/o", "--format", "xml"], 2, "invalid choice"),
    (["status"], 2, "--db"),
    (["status", "--db", "{db}", "--bogus"], 2, "unrecognized arguments"),
    (["status", "--db", "{tmp}/missing.sqlite"], 5, "no such snapshot file"),
    (["status", "--db", "{nonsqlite}"], 5, "not a bzanalytics snapshot"),
    (["status", "--db", "{foreign}"], 5, "not a bzanalytics snapshot"),
    (["export", "--db", "{foreign}", "--out", "{tmp}/o"], 5, "not a bzanalytics snapshot"),
    (["export", "--db", "{db}", "--out", "{tmp}/o", "--tables", "bug"], 2, "unknown table 'bug'"),
    (["export", "--db", "{db}", "--out", "{db}"], 2, "is not a directory"),
    (["export", "--db", "{db}", "--out", "{db}/sub"], 2, "cannot write"),
    (["import", "--db", "{tmp}/new.sqlite", "{nonjson}"], 6, "not JSON at line 1 column 1"),
    (["import", "--db", "{tmp}/new.sqlite", "{tmp}/nope.json"], 6, "no such file"),
    (["import", "--db", "{nonsqlite}", "{tmp}/nope.json"], 5, "not a bzanalytics snapshot"),
])
def test_errors_are_one_line_with_an_exit_code(tmp_path: Path, capsys, argv: list[str],
                                               code: int, message: str) -> None:
    db = tmp_path / "s.sqlite"
    with Store.open(db) as store:
        store.save_bugs([bug_1001()], origin="t", fetched_at="t")
    nonjson = tmp_path / "dump.json"
    nonjson.write_text("<html>rate limited</html>")
    names = {"db": db, "tmp": tmp_path, "nonsqlite": _non_sqlite(tmp_path),
             "foreign": _foreign(tmp_path), "nonjson": nonjson}
    got, _, err = _run(capsys, *(a.format(**names) for a in argv))
    assert got == code
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert not (tmp_path / "missing.sqlite").exists()


def test_a_failed_import_leaves_no_half_file(tmp_path: Path, capsys) -> None:
    db = tmp_path / "s.sqlite"
    good, bad = tmp_path / "good.json", tmp_path / "bad.jsonl"
    good.write_text(json.dumps([bug_1001()]))
    bad.write_text(json.dumps(bug_1002()) + "\n{broken\n")
    code, _, err = _run(capsys, "import", "--db", str(db), str(good), str(bad))
    assert code == 6 and "bad.jsonl: not JSON at line 2 column 2" in err
    assert not db.exists()  # no empty snapshot left behind
    with Store.open(db) as store:  # into an existing snapshot: nothing of either file
        store.save_bugs([bug_1002()], origin="t", fetched_at="t")
    code, _, err = _run(capsys, "import", "--db", str(db), str(good), str(bad))
    assert code == 6
    with Store.open(db, readonly=True) as store:
        assert store.counts()["bugs"] == 1


def test_export_help_lists_every_table() -> None:
    from bzanalytics.commands.export import TABLE_NAMES
    from bzanalytics.snapshot.export import TABLES

    assert tuple(TABLE_NAMES.split(", ")) == TABLES
