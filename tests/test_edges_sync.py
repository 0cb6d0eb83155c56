"""Sync and store paths that had no test: an interrupted *incremental* sync resumed, a malformed
search row, a single id still too long, unreadable pending state, a commit that fails (full disk,
integrity error) rolled back whole, an unreadable corpus.json; and a sync checked against the
corpus it was served from, not against another sync."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest

from bzanalytics.bmo import sync as sync_module
from bzanalytics.bmo.client import RequestTooLong
from bzanalytics.bmo.sync import Listed, fetch_batch, list_ids, load_pending, sync
from bzanalytics.cli import main
from bzanalytics.errors import BMOError, DiskFull, DumpError
from bzanalytics.snapshot.store import Store
from bzanalytics.testing import minicorpus
from bzanalytics.testing.fakebmo import FakeBMO
from tests.store_helpers import bug_1001, bug_1002
from tests.sync_helpers import client_for, integrity, run_sync, snapshot_hash, state, stored_ids

HIDDEN = {"spam", "deleted"}  # comment tags BMO hides from everyone but insiders


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """40 bugs (3 in a security group), private comments, attachments, history."""
    return minicorpus.build(tmp_path / "c", bugs=40, comments=160, big_bugs=1,
                            big_comments=30, hidden=3)


def _seen(item: dict) -> bool:
    return not item.get("is_private") and not HIDDEN & set(item.get("tags") or ())


def test_a_sync_holds_exactly_what_the_corpus_shows_an_anonymous_caller(corpus: Path,
                                                                         tmp_path: Path):
    """Row counts and ids of bugs, comments, history and attachments, from the corpus files."""
    bugs = [b for b in minicorpus.read_bugs(corpus) if not b.get("groups")]
    expected = {
        "bugs": sorted(b["id"] for b in bugs),
        "comments": sorted((b["id"], c["id"]) for b in bugs for c in b["comments"] if _seen(c)),
        "history": sum(len(h["changes"]) for b in bugs for h in b["history"]),
        "attachments": sorted((b["id"], a["id"]) for b in bugs for a in b["attachments"]
                              if _seen(a)),
    }
    assert len(expected["bugs"]) == 37 and expected["attachments"] and expected["history"]
    assert len(expected["comments"]) < sum(len(b["comments"]) for b in bugs)  # private exist
    db = tmp_path / "s.sqlite"
    with FakeBMO(corpus) as fake:
        result = run_sync(fake.url, db)
    assert (result.bugs_listed, result.bugs_stored) == (37, 37)
    with Store.open(db, create=False) as store:
        got = {
            "bugs": [r[0] for r in store.query("SELECT id FROM bugs ORDER BY id")],
            "comments": [tuple(r) for r in store.query(
                "SELECT bug_id, id FROM comments ORDER BY bug_id, id")],
            "history": store.query("SELECT count(*) FROM history").fetchone()[0],
            "attachments": [tuple(r) for r in store.query(
                "SELECT bug_id, id FROM attachments ORDER BY bug_id, id")],
        }
        assert store.counts()["comments"] == len(expected["comments"])
    assert got == expected


def test_an_interrupted_incremental_sync_resumes(corpus: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "s.sqlite"
    visible = [b["id"] for b in minicorpus.read_bugs(corpus) if not b.get("groups")]
    changed = visible[:6]
    monkeypatch.setattr(sync_module, "MAX_BATCH_BUGS", 2)
    with FakeBMO(corpus) as fake:
        first = run_sync(fake.url, db)
        before = state(db)["db_time"]
        when = minicorpus.touch(corpus, changed, "comment")
        real_save, calls = Store.save_bugs, []

        def crash_after_one(self: Store, bugs: list, **kwargs: object) -> int:
            calls.append(1)
            if len(calls) > 1:
                raise KeyboardInterrupt  # killed between two batches
            return real_save(self, bugs, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Store, "save_bugs", crash_after_one)
        with pytest.raises(KeyboardInterrupt):
            run_sync(fake.url, db)
        monkeypatch.setattr(Store, "save_bugs", real_save)
        interrupted = state(db)
        # the finished sync's db_time stays; the 4 changed bugs not yet fetched are pending
        assert interrupted["db_time"] == before
        pending_time, pending, full = load_pending(Store.open(db, create=False))
        assert (pending_time, sorted(pending), full) == (when, changed[2:], False)
        fake.clear_requests()
        resumed = run_sync(fake.url, db)
        asked = [e["query"] for e in fake.requests if e["query"].startswith("id=")]
    assert first.incremental is False and resumed.incremental is True
    assert resumed.resumed == 4
    # the 4 pending ids, plus the 2 stored before the kill: they changed within the hour before
    # the interrupted run's db_time, which the listing overlaps (sync.OVERLAP); each once
    fetched = sorted(int(i) for q in asked for i in q.split("&")[0][3:].split("%2C"))
    assert fetched == changed
    assert state(db)["pending"] == "" and state(db)["db_time"] == when
    fresh = tmp_path / "fresh.sqlite"
    with FakeBMO(corpus) as fake:
        run_sync(fake.url, fresh)
    assert snapshot_hash(db) == snapshot_hash(fresh)


class _Pages:
    """A client whose search answers the given pages in turn (for the listing)."""

    def __init__(self, *pages: list[dict]):
        self.pages = list(pages)

    def search(self, params: list[tuple[str, str]]) -> list[dict]:
        return self.pages.pop(0)


def _quiet(*_: object) -> None:
    pass


@pytest.mark.parametrize("row", [
    {"last_change_time": "2026-01-01T00:00:00Z", "comment_count": 2},  # no id
    {"id": "12a", "last_change_time": "2026-01-01T00:00:00Z"},
    {"id": None},
    {"id": 12, "comment_count": "many"},
    "12",
])
def test_a_malformed_search_row_is_a_clear_bmo_error(row: object) -> None:
    with pytest.raises(BMOError, match="BMO's search returned a malformed bug"):
        list_ids(_Pages([{"id": 11}, row]), "P", "C", None, _quiet)  # type: ignore[arg-type]


def test_missing_optional_fields_of_a_search_row_are_not_malformed() -> None:
    got = list_ids(_Pages([{"id": 11}, {"id": "12", "comment_count": None}]),  # type: ignore[arg-type]
                   "P", "C", None, _quiet)
    assert got == {11: Listed("", 0), 12: Listed("", 0)}


def test_a_malformed_search_row_stops_the_sync_and_stores_nothing(corpus: Path, tmp_path: Path):
    db = tmp_path / "s.sqlite"
    with FakeBMO(corpus) as fake:
        client = client_for(fake.url)
        real = client.search

        def broken(params: list[tuple[str, str]]) -> list[dict]:
            page = real(params)
            return [*page[:3], {"id": "x"}, *page[3:]] if ("order", "bug_id") in params else page

        client.search = broken  # type: ignore[method-assign]
        with Store.open(db) as store, pytest.raises(BMOError, match="malformed bug"):
            sync(client, store)
    assert stored_ids(db) == set() and "db_time" not in state(db)


class _TooLong:
    def __init__(self, limit: int):
        self.limit, self.asked = limit, []

    def search(self, params: list[tuple[str, str]]) -> list[dict]:
        ids = [int(i) for i in dict(params)["id"].split(",")]
        self.asked.append(ids)
        if len(ids) > self.limit:
            raise RequestTooLong("HTTP 414", status=414)
        return [{"id": i} for i in ids]


def test_a_batch_is_halved_until_it_fits() -> None:
    client = _TooLong(limit=1)
    assert [b["id"] for b in fetch_batch(client, [1, 2, 3, 4, 5])] == [1, 2, 3, 4, 5]  # type: ignore[arg-type]
    assert client.asked == [[1, 2, 3, 4, 5], [1, 2], [1], [2], [3, 4, 5], [3], [4, 5], [4], [5]]


def test_a_single_id_still_too_long_is_an_error_not_a_loop() -> None:
    client = _TooLong(limit=0)
    with pytest.raises(RequestTooLong):
        fetch_batch(client, [1, 2])  # type: ignore[arg-type]
    assert client.asked == [[1, 2], [1]]


def test_a_single_id_too_long_for_bmo_exits_with_its_error(corpus: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture) -> None:
    from bzanalytics.testing import fakebmo

    monkeypatch.setattr(fakebmo, "MAX_TARGET", 40)  # not even one id's detail request fits
    with FakeBMO(corpus) as fake:
        code = main(["sync", "--db", str(tmp_path / "s.sqlite"), "--url", fake.url])
    err = capsys.readouterr().err
    assert code == RequestTooLong.exit_code and err.startswith("bzanalytics: ")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize("text", [
    "{not json", "[]", '{"db_time": "2026-01-01T00:00:00Z"}',
    '{"db_time": "2026-01-01T00:00:00Z", "ids": [[1, "t"]]}',
    '{"db_time": "2026-01-01T00:00:00Z", "ids": [["x", "t", 1]]}',
])
def test_unreadable_pending_state_is_ignored_with_a_warning(tmp_path: Path, text: str,
                                                            caplog: pytest.LogCaptureFixture):
    with Store.open(tmp_path / "s.sqlite") as store:
        store.set_state("pending", text)
        with caplog.at_level(logging.WARNING):
            assert load_pending(store) == (None, {}, False)
    assert "ignoring unreadable pending sync state" in caplog.text


def test_readable_pending_state_is_loaded(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.sqlite") as store:
        store.set_state("pending", '{"db_time": "2026-01-01T00:00:00Z", "full": true, '
                                   '"ids": [[7, "2025-12-31T00:00:00Z", 3]]}')
        assert load_pending(store) == ("2026-01-01T00:00:00Z",
                                       {7: Listed("2025-12-31T00:00:00Z", 3)}, True)


def test_a_sync_over_unreadable_pending_state_lists_since_the_last_finished_one(
        corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    with FakeBMO(corpus) as fake:
        run_sync(fake.url, db)
        with Store.open(db, create=False) as store:
            store.set_state("pending", "{garbage")
        touched = [b["id"] for b in minicorpus.read_bugs(corpus) if not b.get("groups")][:2]
        minicorpus.touch(corpus, touched, "comment")
        result = run_sync(fake.url, db)
        fresh = tmp_path / "fresh.sqlite"
        run_sync(fake.url, fresh)
    assert result.incremental and result.resumed == 0
    assert snapshot_hash(db) == snapshot_hash(fresh)


def _store_with_one_bug(path: Path) -> Store:
    store = Store.open(path)
    store.save_bugs([bug_1002()], origin="test", fetched_at="t", state={"db_time": "old"})
    return store


def _contents(store: Store) -> tuple:
    return (store.counts(), store.state(), store.content_hash())


def test_a_full_disk_rolls_the_whole_batch_back(tmp_path: Path) -> None:
    store = _store_with_one_bug(tmp_path / "s.sqlite")
    before = _contents(store)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages + 1}")  # the file cannot grow further
    big = [dict(bug_1001(), id=5000 + n, comments=[
        dict(c, id=50_000 + 10 * n + i, text="x" * 4000)
        for i, c in enumerate(bug_1001()["comments"])]) for n in range(5)]
    with pytest.raises(DiskFull, match=r"full.*nothing of this batch was stored") as caught:
        store.save_bugs(big, origin="test", fetched_at="t", state={"db_time": "new"})
    assert caught.value.exit_code == 11  # its own exit code, not "bad snapshot" (5)
    assert _contents(store) == before
    store.close()
    assert integrity(tmp_path / "s.sqlite") == "ok"


def test_an_integrity_error_mid_batch_rolls_the_whole_batch_back(tmp_path: Path) -> None:
    store = _store_with_one_bug(tmp_path / "s.sqlite")
    before = _contents(store)
    # SQLite refuses the third bug's comments, after two bugs of the batch were written
    store._conn.execute("CREATE TEMP TRIGGER refuse BEFORE INSERT ON comments "
                        "WHEN NEW.bug_id = 6002 BEGIN SELECT RAISE(ABORT, 'refused'); END")
    batch = [dict(bug_1001(), id=6000 + n, comments=[dict(c, id=60_000 + 10 * n + i) for i, c
                                                    in enumerate(bug_1001()["comments"])])
             for n in range(4)]
    with pytest.raises(ValueError, match="duplicate or inconsistent record"):
        store.save_bugs(batch, origin="test", fetched_at="t", state={"db_time": "new"})
    assert _contents(store) == before
    assert not store._conn.in_transaction
    store._conn.execute("DROP TRIGGER refuse")
    assert store.save_bugs(batch, origin="test", fetched_at="t") == 4  # the store still works
    store.close()
    assert integrity(tmp_path / "s.sqlite") == "ok"


def test_an_error_raised_while_reading_the_batch_rolls_back_too(tmp_path: Path) -> None:
    store = _store_with_one_bug(tmp_path / "s.sqlite")
    before = _contents(store)

    def batch():
        yield dict(bug_1001(), id=7001)
        raise sqlite3.DatabaseError("the source went away")

    with pytest.raises(sqlite3.DatabaseError):
        store.save_bugs(batch(), origin="test", fetched_at="t")
    assert _contents(store) == before
    store.close()


@pytest.mark.parametrize(("content", "message"), [
    (b"{", "not JSON"),
    (b"\xff\xfe{}", "cannot read"),
])
def test_an_unreadable_corpus_json_is_a_one_line_error(tmp_path: Path, content: bytes,
                                                       message: str,
                                                       capsys: pytest.CaptureFixture) -> None:
    corpus = minicorpus.build(tmp_path / "c", bugs=3, comments=6, big_bugs=0, hidden=0)
    (corpus / "corpus.json").write_bytes(content)
    with pytest.raises(DumpError, match=r"corpus\.json"):
        FakeBMO(corpus)
    assert main(["fake-bmo", "--corpus", str(corpus)]) == DumpError.exit_code
    assert main(["import", "--db", str(tmp_path / "s.sqlite"), str(corpus)]) == 6
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("bzanalytics: ") for line in err)
    assert "corpus.json" in err[0] and message in err[1]
    assert not (tmp_path / "s.sqlite").exists() or stored_ids(tmp_path / "s.sqlite") == set()


def test_an_unreadable_bugs_jsonl_is_a_one_line_error_for_the_fake(tmp_path: Path) -> None:
    corpus = minicorpus.build(tmp_path / "c", bugs=3, comments=6, big_bugs=0, hidden=0)
    (corpus / "bugs.jsonl").write_text('{"id": 1}\n{"summary": "no id"}\n')
    with pytest.raises(DumpError, match=r"bugs\.jsonl: cannot read the corpus \('id'\)"):
        FakeBMO(corpus)
    json.loads((corpus / "corpus.json").read_text())  # corpus.json itself is fine
