"""The SQLite store: typed rows, whole-bug replacement, atomic batches, refusal of foreign files."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bzanalytics.errors import SnapshotBusy, SnapshotError
from bzanalytics.snapshot.store import SCHEMA_VERSION, Store
from tests.store_helpers import all_bugs, bug_1001, bug_1002, bug_1003

T0 = "2026-01-01T00:00:00Z"


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "s.sqlite") as s:
        yield s


def _save(store: Store, bugs, **kw) -> int:
    kw.setdefault("origin", "test")
    kw.setdefault("fetched_at", T0)
    return store.save_bugs(bugs, **kw)


def test_counts_after_saving_three_bugs(store: Store) -> None:
    assert _save(store, all_bugs()) == 3
    assert store.counts() == {"bugs": 3, "comments": 6, "history": 5, "attachments": 1,
                              "private_comments": 1}
    assert store.origins() == {"test": 3}


def test_typed_bug_columns(store: Store) -> None:
    _save(store, all_bugs())
    rows = {r[0]: r for r in store.canonical_rows("bugs")}
    assert rows[1002][:16] == (
        1002, "Inkwell CA: certificates with invalid SAN", "NEW", "", "CA Program",
        "CA Certificate Compliance", "carol@example.com", "nobody@example.com",
        "2025-06-10T14:00:00Z", "2025-06-12T16:45:30Z", None, "", "leave-open, sec-low", 1, 2,
        None,
    )
    assert rows[1003][:16] == (
        1003, "[meta] Tracking bug for Quillfeather Trust", "RESOLVED", "DUPLICATE", None, None,
        "bob.reviewer@example.com", None, "2023-01-02T03:04:05Z", None, None, "[ca-compliance]",
        None, None, None, 1001,
    )
    raw = json.loads(rows[1001][16])
    assert raw["creator_detail"]["nick"] == "alice"
    assert not {"comments", "history", "attachments"} & set(raw)


def test_comment_history_attachment_rows(store: Store) -> None:
    _save(store, [bug_1001()])
    comments = list(store.canonical_rows("comments"))
    assert [c[:9] for c in comments][3] == (
        1001, 504, 3, "alice@quillfeather.example.com", "2024-03-08T11:15:00Z", 0, 9001,
        "Created attachment 9001\nlog excerpt", "log excerpt")
    assert comments[2][5] == 1  # the private one
    assert "text" not in json.loads(comments[0][9])  # bodies live only in their columns
    history = list(store.canonical_rows("history"))
    assert history[2] == (1001, 2, "2024-03-07T09:05:00Z", "alice@quillfeather.example.com",
                          "comment_is_private", "0", "1",
                          '{"comment_count":2,"comment_id":503}')
    assert history[4][4:7] == ("resolution", "", "FIXED")
    (att,) = store.canonical_rows("attachments")
    assert att[:12] == (1001, 9001, "ocsp.log", "log excerpt", "text/plain", 2048,
                        "2024-03-08T11:15:00Z", "2024-03-08T11:15:00Z",
                        "alice@quillfeather.example.com", 0, 0, 0)
    assert "data" not in json.loads(att[12])  # attachment contents are never stored


def test_bug_is_replaced_whole(store: Store) -> None:
    _save(store, all_bugs())
    newer = bug_1001()
    newer["comments"] = newer["comments"][:2]
    newer["history"] = []
    newer["attachments"] = []
    _save(store, [newer])
    counts = store.counts()
    assert (counts["comments"], counts["history"], counts["attachments"]) == (4, 0, 0)


def test_absent_parts_keep_what_is_stored(store: Store) -> None:
    _save(store, [bug_1001()])
    meta_only = {k: v for k, v in bug_1001().items()
                 if k not in ("comments", "history", "attachments")}
    meta_only["summary"] = "Quillfeather Trust: renamed"
    meta_only["last_change_time"] = "2024-06-01T00:00:00Z"
    _save(store, [meta_only], fetched_at="2026-02-01T00:00:00Z")
    assert store.counts()["comments"] == 4
    assert store.counts()["history"] == 5
    assert next(store.canonical_rows("bugs"))[1] == "Quillfeather Trust: renamed"
    assert store.change_times() == {1001: "2024-06-01T00:00:00Z"}


def test_change_times_skip_bugs_without_one(store: Store) -> None:
    _save(store, all_bugs())
    assert store.change_times() == {1001: "2024-05-01T12:00:00Z", 1002: "2025-06-12T16:45:30Z"}


def test_state_is_saved_with_the_batch(store: Store) -> None:
    _save(store, [bug_1002()], state={"pending_ids": "1001", "db_time": T0})
    assert store.get_state("pending_ids") == "1001"
    assert store.get_state("nothing") is None
    store.set_state("pending_ids", "")
    assert store.state() == {"db_time": T0, "pending_ids": ""}


def test_a_bad_bug_rolls_back_the_whole_batch_and_its_state(store: Store) -> None:
    _save(store, [bug_1003()])
    broken = bug_1002()
    broken["comments"][1]["id"] = "six hundred"
    with pytest.raises(ValueError, match="comment id"):
        _save(store, [bug_1001(), broken], state={"db_time": T0})
    assert store.counts()["bugs"] == 1
    assert store.get_state("db_time") is None


def test_duplicate_comment_ids_are_a_value_error(store: Store) -> None:
    bug = bug_1002()
    bug["comments"][1]["id"] = 601
    with pytest.raises(ValueError, match="duplicate"):
        _save(store, [bug])
    assert store.counts()["bugs"] == 0


def test_hash_ignores_order_batches_and_bookkeeping(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.sqlite") as a, Store.open(tmp_path / "b.sqlite") as b:
        _save(a, all_bugs())
        for bug in reversed(all_bugs()):
            shuffled = dict(reversed(list(bug.items())))  # other key order too
            _save(b, [shuffled], origin="elsewhere", fetched_at="2030-01-01T00:00:00Z",
                  state={"db_time": "x"})
        assert a.content_hash() == b.content_hash()
        assert len(a.content_hash()) == 64


@pytest.mark.parametrize("change", ["private_text", "history", "attachment", "bug"])
def test_hash_changes_with_the_data(store: Store, change: str) -> None:
    _save(store, all_bugs())
    before = store.content_hash()
    bug = bug_1001()
    if change == "private_text":
        bug["comments"][2]["raw_text"] = "edited internal note"
    elif change == "history":
        bug["history"][0]["who"] = "carol@example.com"
    elif change == "attachment":
        bug["attachments"][0]["size"] = 2049
    else:
        bug["whiteboard"] += " "
    _save(store, [bug])
    assert store.content_hash() != before


def test_schema_version_wal_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with Store.open(path) as s:
        _save(s, [bug_1002()])
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    with Store.open(path, create=False) as s:
        assert s.counts()["bugs"] == 1


def test_refuses_a_missing_file_without_create(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="no such snapshot"):
        Store.open(tmp_path / "none.sqlite", create=False)
    assert not (tmp_path / "none.sqlite").exists()


def test_refuses_a_foreign_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE bugs (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(SnapshotError, match="not a bzanalytics snapshot"):
        Store.open(path)


def test_refuses_a_non_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are not the bugs you are looking for\n" * 50)
    with pytest.raises(SnapshotError) as info:
        Store.open(path)
    assert "not a bzanalytics snapshot" in str(info.value)
    assert "\n" not in str(info.value)


def test_refuses_an_empty_file_without_create(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.touch()
    with pytest.raises(SnapshotError, match="empty file"):
        Store.open(path, create=False)


def test_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(SnapshotError, match="newer bzanalytics"):
        Store.open(path)


_WRITER = textwrap.dedent("""
    import sys
    from bzanalytics.snapshot.store import Store
    from tests.store_helpers import bug_1001
    store = Store.open(sys.argv[1])
    n = 0
    while True:
        batch = []
        for _ in range(50):
            n += 1
            bug = bug_1001()
            bug["id"] = n
            batch.append(bug)
        store.save_bugs(batch, origin="kill-test", fetched_at="t", state={"done": str(n)})
        print(n, flush=True)
""")


def test_a_killed_writer_leaves_whole_batches(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite"
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], cwd=root,
                            stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(root)})
    assert proc.stdout is not None
    for _ in range(3):  # let a few batches commit, then kill mid-write
        proc.stdout.readline()
    time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store.open(path, create=False) as s:
        assert s.query("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = s.counts()
        done = int(s.get_state("done") or 0)
        assert done >= 150 and done % 50 == 0
        assert counts["bugs"] == done
        assert counts["comments"] == 4 * done


def test_content_hash_follows_the_documented_canonical_form(store: Store) -> None:
    """SHA-256 over, per table: a header line [table, columns], then one compact JSON array per
    row (keys sorted, non-ASCII as \\u escapes), each line ending in a newline."""
    store.save_bugs([bug_1003()], origin="test", fetched_at=T0)
    raw = ('{"creation_time":"2023-01-02T03:04:05Z","creator":"bob.reviewer@example.com",'
           '"dupe_of":1001,"id":1003,"resolution":"DUPLICATE","status":"RESOLVED",'
           '"summary":"[meta] Tracking bug for Quillfeather Trust","whiteboard":"[ca-compliance]"}')
    lines = [
        '["bugs",["id","summary","status","resolution","product","component","creator",'
        '"assigned_to","creation_time","last_change_time","last_resolved","whiteboard",'
        '"keywords","is_open","comment_count","dupe_of","raw"]]',
        '[1003,"[meta] Tracking bug for Quillfeather Trust","RESOLVED","DUPLICATE",null,null,'
        '"bob.reviewer@example.com",null,"2023-01-02T03:04:05Z",null,null,"[ca-compliance]",'
        'null,null,null,1001,' + json.dumps(raw) + "]",
        '["comments",["bug_id","id","count","author","time","is_private","attachment_id",'
        '"text","raw_text","raw"]]',
        '["history",["bug_id","seq","when","who","field_name","removed","added","extra"]]',
        '["attachments",["bug_id","id","file_name","summary","content_type","size",'
        '"creation_time","last_change_time","creator","is_private","is_obsolete","is_patch",'
        '"raw"]]',
    ]
    expected = hashlib.sha256("".join(line + "\n" for line in lines).encode()).hexdigest()
    assert store.content_hash() == expected


def test_a_locked_file_is_a_one_line_busy_error(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with Store.open(path) as store:
        store.query("PRAGMA busy_timeout = 50")
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        try:
            with pytest.raises(SnapshotBusy, match="is busy: another process holds a lock") as e:
                store.save_bugs([bug_1002()], origin="t", fetched_at=T0)
            assert e.value.exit_code == 9 and "\n" not in str(e.value)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert store.save_bugs([bug_1002()], origin="t", fetched_at=T0) == 1


def test_concurrent_creation_of_one_file(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "new.sqlite"

    def open_and_count(_: int) -> int:
        with Store.open(path) as store:
            return store.counts()["bugs"]

    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(open_and_count, range(12))) == [0] * 12
