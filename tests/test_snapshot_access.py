"""Who may touch a snapshot when: read-only folders, locks held by others, one writer at a time,
and no empty snapshot left behind by a failed first run."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bzanalytics.cli import main
from bzanalytics.errors import DiskFull, SnapshotBusy
from bzanalytics.snapshot import store as store_module
from bzanalytics.snapshot.lock import exclusive, lock_path
from bzanalytics.snapshot.store import Store
from bzanalytics.testing.fakebmo import FakeBMO
from tests.store_helpers import bug_1001, bug_1002
from tests.sync_helpers import small_bug, write_corpus

BZA = [sys.executable, "-m", "bzanalytics"]


def _snapshot(path: Path) -> Path:
    with Store.open(path) as store:
        store.save_bugs([bug_1001(), bug_1002()], origin="t", fetched_at="t")
    return path


def _dump(tmp_path: Path) -> Path:
    dump = tmp_path / "dump.json"
    dump.write_text(json.dumps([bug_1002()]))
    return dump


def _in_read_only_folder(folder: Path, argv: list[str]) -> subprocess.CompletedProcess:
    """Run the CLI with `folder` read-only: a private read-only bind mount when root (root
    ignores file modes), else the folder's write bits taken away."""
    if os.geteuid() == 0:
        if shutil.which("unshare") is None:
            pytest.skip("needs unshare to make a read-only folder as root")
        script = ('mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && shift && '
                  'exec "$@"')
        cmd = ["unshare", "-m", "sh", "-c", script, "sh", str(folder), *BZA, *argv]
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
        if "mount" in run.stderr and ("denied" in run.stderr or "not permitted" in run.stderr):
            pytest.skip("mount namespaces are not available here")
        return run
    folder.chmod(0o555)
    try:
        return subprocess.run([*BZA, *argv], capture_output=True, text=True, timeout=300,
                              check=False)
    finally:
        folder.chmod(0o755)


def test_a_snapshot_in_a_read_only_folder_is_read_and_not_written(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = _snapshot(folder / "s.sqlite")
    before = sorted(p.name for p in folder.iterdir())
    run = _in_read_only_folder(folder, ["status", "--db", str(db)])
    assert run.returncode == 0, run.stderr
    assert "bugs          2" in run.stdout
    run = _in_read_only_folder(folder, ["scorecard", "--db", str(db), "--format", "json"])
    assert run.returncode == 0, run.stderr
    run = _in_read_only_folder(folder, ["import", "--db", str(db), str(_dump(tmp_path))])
    assert run.returncode == 10, run.stderr
    assert run.stderr == (f"bzanalytics: cannot write {db}: {folder} is read-only or not "
                          "writable by this user (reading it needs no write access)\n")
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_file_locked_by_another_process_is_busy_not_foreign(
        tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    db = _snapshot(tmp_path / "s.sqlite")
    holder = subprocess.Popen([sys.executable, "-c", f"""
import sqlite3, sys, time
conn = sqlite3.connect({str(db)!r}, isolation_level=None)
conn.execute("PRAGMA locking_mode = EXCLUSIVE")
conn.execute("BEGIN EXCLUSIVE")
conn.execute("INSERT INTO sync_state VALUES ('held', 'yes')")
print("locked", flush=True)
sys.stdin.read()
"""], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 100)
        for argv in (["status", "--db", str(db)], ["scorecard", "--db", str(db)]):
            assert main(argv) == 9
            err = capsys.readouterr().err
            assert err == (f"bzanalytics: {db} is busy: another process holds a lock on it "
                           "(database is locked); try again when it has finished\n")
    finally:
        holder.communicate("", timeout=30)
    assert main(["status", "--db", str(db)]) == 0  # the lock is gone: readable again


def test_a_second_writer_stops_at_once(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = _snapshot(tmp_path / "s.sqlite")
    with exclusive(db, "sync"):
        assert lock_path(db).read_text().startswith(f"sync (pid {os.getpid()}, since ")
        started = time.monotonic()
        assert main(["import", "--db", str(db), str(_dump(tmp_path))]) == 9
        assert time.monotonic() - started < 5
        err = capsys.readouterr().err
        assert err.startswith(f"bzanalytics: {db} is busy: another bzanalytics sync (pid "
                              f"{os.getpid()}, since ")
        assert err.endswith("is writing to it; wait until it has finished (or use another "
                            "--db)\n")
        with pytest.raises(SnapshotBusy), exclusive(db, "import"):
            pass
    assert not lock_path(db).exists()  # released and tidied
    assert main(["import", "--db", str(db), str(_dump(tmp_path))]) == 0
    assert not lock_path(db).exists()


def test_two_syncs_at_once_fetch_once(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    corpus = write_corpus(tmp_path / "corpus", [
        small_bug(i, f"2026-01-0{i}T00:00:00Z") for i in range(1, 4)])
    db = tmp_path / "s.sqlite"
    with FakeBMO(corpus, latency_ms=1500) as fake:  # the first sync takes 3 x 1.5 s
        first = subprocess.Popen([*BZA, "sync", "--url", fake.url, "--db", str(db),
                                  "--min-interval", "0", "--quiet"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not lock_path(db).exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert main(["sync", "--url", fake.url, "--db", str(db), "--min-interval", "0"]) == 9
        assert "is busy: another bzanalytics sync (pid" in capsys.readouterr().err
        _, err = first.communicate(timeout=120)
        times = [r for r in fake.requests if r["path"] == "/rest/time"]
    assert (first.returncode, err) == (0, "")
    assert len(times) == 1  # BMO saw one sync, not two
    with Store.open(db, readonly=True) as store:
        assert store.counts()["bugs"] == 3


def test_a_failed_first_sync_leaves_no_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "new.sqlite"
    argv = ["sync", "--url", "http://127.0.0.1:9", "--db", str(db), "--max-tries", "1",
            "--quiet"]
    assert main(argv) == 8
    assert "after 1 try" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_after_exit_8_the_message_says_progress_is_kept(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture) -> None:
    db = _snapshot(tmp_path / "s.sqlite")
    assert main(["sync", "--url", "http://127.0.0.1:9", "--db", str(db), "--max-tries", "1",
                 "--quiet"]) == 8
    err = capsys.readouterr().err
    assert err.endswith("check --url or try again later. 2 bugs are stored and nothing is "
                        "lost; run `bzanalytics sync` again to resume.\n")
    assert err.count("\n") == 1
    with Store.open(db, readonly=True) as store:
        assert store.counts()["bugs"] == 2


def test_a_failed_import_leaves_no_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[{broken")
    db = tmp_path / "new.sqlite"
    assert main(["import", "--db", str(db), str(bad)]) == 6
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_a_full_disk_during_a_write_is_its_own_error(tmp_path: Path) -> None:
    db = _snapshot(tmp_path / "s.sqlite")
    with Store.open(db) as store:
        pages = store.query("PRAGMA page_count").fetchone()[0]
        store.query(f"PRAGMA max_page_count = {pages + 1}")  # SQLite's "disk is full"
        big = [dict(bug_1001(), id=5000 + i, summary="x" * 20_000) for i in range(20)]
        with pytest.raises(DiskFull, match=r"the disk is full .*nothing of this batch was stored"):
            store.save_bugs(big, origin="t", fetched_at="t")
        assert store.counts()["bugs"] == 2


def test_foreign_and_damaged_files_are_still_bad_snapshots(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture) -> None:
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all" * 100)
    foreign = tmp_path / "foreign.sqlite"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    for path in (garbage, foreign):
        assert main(["status", "--db", str(path)]) == 5
        assert "not a bzanalytics snapshot" in capsys.readouterr().err
