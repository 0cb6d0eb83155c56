"""`export` and `report` write their folder whole: interrupted, failed or disk-full runs leave the
previous output exactly as it was, and nothing partial."""

from __future__ import annotations

import errno
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bzanalytics.cli import main
from bzanalytics.snapshot import export as export_module
from bzanalytics.snapshot.store import Store
from tests.store_helpers import bug_1001, bug_1002


def _snapshot(path: Path, bugs: list[dict]) -> Path:
    with Store.open(path) as store:
        store.save_bugs(bugs, origin="t", fetched_at="t",
                        state={"db_time": "2026-11-01T00:00:00Z"})
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_an_interrupted_export_leaves_the_old_one_whole(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    old_db = _snapshot(tmp_path / "old.sqlite", [bug_1001()])
    new_db = _snapshot(tmp_path / "new.sqlite", [bug_1001(), bug_1002()])
    out = tmp_path / "tables"
    assert main(["export", "--db", str(old_db), "--out", str(out)]) == 0
    before = _files(out)
    real_write = export_module.write_csv
    written = []

    def write_then_stop(frame, path):  # type: ignore[no-untyped-def]
        written.append(path.name)
        if len(written) == 3:
            raise KeyboardInterrupt
        real_write(frame, path)

    monkeypatch.setattr(export_module, "write_csv", write_then_stop)
    capsys.readouterr()
    assert main(["export", "--db", str(new_db), "--out", str(out)]) == 130
    assert "was left as it was" in capsys.readouterr().err
    assert _files(out) == before  # the old manifest with the old files, nothing new beside them
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.sqlite", "old.sqlite", "tables"]
    monkeypatch.setattr(export_module, "write_csv", real_write)
    assert main(["export", "--db", str(new_db), "--out", str(out), "--tables", "bugs"]) == 0
    assert sorted(_files(out)) == ["bugs.csv", "manifest.json"]  # replaced whole, no stale table
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tables"]["bugs"]["rows"] == 2


def test_a_folder_that_is_not_an_earlier_output_is_left_alone(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture) -> None:
    db = _snapshot(tmp_path / "s.sqlite", [bug_1001()])
    mine = tmp_path / "papers"
    mine.mkdir()
    (mine / "draft.tex").write_text("my work")
    assert main(["export", "--db", str(db), "--out", str(mine)]) == 2
    assert "is not empty and holds no manifest.json" in capsys.readouterr().err
    assert main(["report", "--db", str(db), "--out", str(mine)]) == 2
    assert "is not empty and holds no report.html" in capsys.readouterr().err
    assert _files(mine) == {"draft.tex": b"my work"}
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["export", "--db", str(db), "--out", str(empty), "--tables", "bugs"]) == 0


def test_report_on_a_full_disk_is_one_line_and_leaves_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    db = _snapshot(tmp_path / "s.sqlite", [bug_1001(), bug_1002()])
    out = tmp_path / "report"
    real = Path.write_bytes
    calls = []

    def fill_up(self: Path, data: bytes) -> int:
        calls.append(self.name)
        if len(calls) == 4:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", fill_up)
    assert main(["report", "--db", str(db), "--out", str(out)]) == 11
    err = capsys.readouterr().err
    assert err == (f"bzanalytics: cannot write {out}: No space left on device; nothing partial "
                   "was left behind\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.sqlite"]


@pytest.mark.slow  # a real report into a tiny filesystem in a child process
def test_report_into_a_really_full_filesystem(tmp_path: Path) -> None:
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare for a private tmpfs")
    db = _snapshot(tmp_path / "s.sqlite", [bug_1001(), bug_1002()])
    small = tmp_path / "small"
    small.mkdir()
    script = ('mount -t tmpfs -o size=64k tmpfs "$1" && shift && "$@"; code=$?; '
              'ls -A "$0"; exit $code')
    run = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, str(small), str(small), sys.executable, "-m",
         "bzanalytics", "report", "--db", str(db), "--out", str(small / "report")],
        capture_output=True, text=True, timeout=300, check=False)
    if "mount" in run.stderr and ("denied" in run.stderr or "not permitted" in run.stderr):
        pytest.skip("mount namespaces are not available here")
    assert run.returncode == 11, run.stderr
    assert run.stderr.count("\n") == 1 and "No space left on device" in run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""  # `ls -A` of the full filesystem: no report, no temporary folder


def test_report_on_an_empty_snapshot_refuses_like_scorecard(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "empty.sqlite"
    with Store.open(db) as store:  # what a sync of an empty component leaves: a db_time, no bug
        store.save_bugs([], origin="t", fetched_at="t", state={"db_time": "2026-11-01T00:00:00Z"})
    messages = []
    for command in (["report", "--out", str(tmp_path / "out")], ["scorecard"]):
        assert main([*command[:1], "--db", str(db), *command[1:]]) == 2
        messages.append(capsys.readouterr().err)
    assert messages[0] == messages[1] == (f"bzanalytics: {db} holds no bugs yet; run "
                                          "`bzanalytics sync` or `bzanalytics import` first\n")
    assert not (tmp_path / "out").exists()
