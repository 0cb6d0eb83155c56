"""The snapshot converges to what BMO serves: after each kind of server change, plain syncs (and
`--full` where the change leaves `last_change_time` alone) give the same bugs(), comments(),
history(), attachments() and content hash as a fresh sync into a new file."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from bzanalytics.bmo import sync as sync_module
from bzanalytics.bmo.sync import sync
from bzanalytics.cli import main
from bzanalytics.snapshot.frames import open_snapshot
from bzanalytics.snapshot.store import Store
from bzanalytics.testing import minicorpus
from bzanalytics.testing.fakebmo import FakeBMO
from tests.sync_helpers import client_for, small_bug, snapshot_hash, state, write_corpus

ROOT_PROGRAM = "CA Certificate Root Program"
T0 = "2026-03-01T10:00:00Z"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Six visible bugs (21..26) and one in a security group (27), all changed before T0."""
    return write_corpus(tmp_path / "corpus", [
        small_bug(i, f"2026-02-{i - 10:02d}T00:00:00Z", comments=3, attachments=1 if i == 21
                  else 0, groups=("core-security",) if i == 27 else ())
        for i in range(21, 28)], now=T0)


def run(url: str, db: Path, **kwargs: object) -> sync_module.SyncResult:
    with Store.open(db) as store:
        return sync(client_for(url), store, **kwargs)  # type: ignore[arg-type]


def frames(db: Path) -> dict[str, object]:
    with open_snapshot(db) as snap:
        return {"bugs": snap.bugs(), "comments": snap.comments(include_private=True,
                                                                roles=False),
                "history": snap.history(), "attachments": snap.attachments(),
                "hash": snap.content_hash()}


def same(db: Path, fresh: Path) -> bool:
    """Every frame and the content hash equal (a DataFrame mismatch raises with the diff)."""
    mine, theirs = frames(db), frames(fresh)
    for name in ("bugs", "comments", "history", "attachments"):
        pd.testing.assert_frame_equal(mine[name], theirs[name], obj=name)  # type: ignore[arg-type]
    return mine["hash"] == theirs["hash"]


def fresh_sync(url: str, tmp_path: Path, name: str = "fresh.sqlite") -> Path:
    db = tmp_path / name
    run(url, db)
    return db


def set_now(corpus: Path, now: str) -> None:
    """BMO's clock moves on (the fake's db_time is the corpus's "now" when later)."""
    meta = json.loads((corpus / "corpus.json").read_text())
    minicorpus.write_atomically(corpus / "corpus.json", json.dumps({**meta, "now": now}))


def paths(fake: FakeBMO) -> list[str]:
    """The request log as short names: time, list, count, ask (ids, few fields), detail."""
    names = []
    for entry in fake.requests:
        query = entry["query"]
        if entry["path"] == "/rest/time":
            names.append("time")
        elif "count_only=1" in query:
            names.append("count")
        elif query.startswith("id=") and "comments" in query:
            names.append("detail")
        elif query.startswith("id="):
            names.append("ask")
        else:
            names.append("list+since" if "last_change_time=" in query else "list")
    return names


def test_a_comment_edit_is_missed_by_a_plain_sync_and_fixed_by_full(corpus: Path,
                                                                    tmp_path: Path) -> None:
    db = tmp_path / "snap.sqlite"
    with FakeBMO(corpus) as fake:
        run(fake.url, db)
        set_now(corpus, "2026-03-02T10:00:00Z")
        # an editbugs member rewrites the incident report (comment 0): BMO's last_change_time
        # and history stay as they were
        minicorpus.edit_comment(corpus, 23, 0, "Fictive CA: corrected incident report")
        plain = run(fake.url, db)
        assert plain.incremental and plain.bugs_stored == 0
        fresh = fresh_sync(fake.url, tmp_path)
        with pytest.raises(AssertionError, match="comments"):
            same(db, fresh)
        fake.clear_requests()
        full = run(fake.url, db, full=True)
        assert (full.incremental, full.full_reason, full.bugs_stored) == (False, "--full", 6)
        assert paths(fake) == ["time", "list"] + ["detail"] * 1  # 6 bugs, 18 comments: 1 batch
    assert same(db, fresh)
    with open_snapshot(db) as snap:
        texts = snap.comments(roles=False)
    assert texts.loc[(texts["bug_id"] == 23) & (texts["count"] == 0), "text"].tolist() == [
        "Fictive CA: corrected incident report"]


def test_a_comment_tagged_spam_disappears_after_the_full_pass(corpus: Path,
                                                              tmp_path: Path) -> None:
    db = tmp_path / "snap.sqlite"
    with FakeBMO(corpus) as fake:
        run(fake.url, db)
        minicorpus.tag_comment(corpus, 24, 2, "spam", at="2026-03-01T11:00:00Z")
        run(fake.url, db)
        with Store.open(db) as store:
            assert store.query("SELECT count(*) FROM comments WHERE bug_id = 24").fetchone()[0] \
                == 3  # still there: nothing told the plain sync
        fresh = fresh_sync(fake.url, tmp_path)
        assert not same_hash(db, fresh)
        run(fake.url, db, full=True)
    assert same(db, fresh)
    with open_snapshot(db) as snap:
        history = snap.history()
        assert (snap.comments(roles=False)["bug_id"] == 24).sum() == 2
    assert "comment_tag" in set(history.loc[history["bug_id"] == 24, "field_name"])


def same_hash(db: Path, fresh: Path) -> bool:
    return snapshot_hash(db) == snapshot_hash(fresh)


@pytest.mark.parametrize(("later", "full"), [
    ("2026-03-08T09:59:59Z", False),  # one second short of seven days: incremental
    ("2026-03-08T10:00:00Z", True),  # seven days exactly: the full pass is due
])
def test_a_full_pass_runs_by_itself_after_refresh_days(corpus: Path, tmp_path: Path,
                                                       later: str, full: bool) -> None:
    db = tmp_path / "snap.sqlite"
    with FakeBMO(corpus) as fake:
        first = run(fake.url, db)
        assert (first.incremental, first.full_reason) == (False, "first sync")
        assert state(db)["last_full_sync"] == T0
        minicorpus.edit_comment(corpus, 22, 0, "edited")
        set_now(corpus, later)
        result = run(fake.url, db)
        fresh = fresh_sync(fake.url, tmp_path)
    assert result.incremental is not full
    assert state(db)["last_full_sync"] == (later if full else T0)
    assert same_hash(db, fresh) is full
    if full:
        assert result.full_reason == f"last full pass {T0} is over 7 days old"


def test_refresh_days_zero_makes_every_sync_full_and_large_values_never(corpus: Path,
                                                                       tmp_path: Path) -> None:
    with FakeBMO(corpus) as fake:
        run(fake.url, tmp_path / "a.sqlite")
        assert not run(fake.url, tmp_path / "a.sqlite", refresh_days=0).incremental
        set_now(corpus, "2027-03-01T10:00:00Z")
        assert run(fake.url, tmp_path / "a.sqlite", refresh_days=366).incremental
    with Store.open(tmp_path / "a.sqlite") as store, pytest.raises(Exception, match=">= 0"):
        sync(client_for("http://127.0.0.1:1"), store, refresh_days=-1)


def test_a_bug_moved_out_leaves_and_comes_back(corpus: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_module, "PAGE_SIZE", 4)
    db = tmp_path / "snap.sqlite"
    with FakeBMO(corpus) as fake:
        run(fake.url, db)
        minicorpus.move(corpus, 25, "CA Program", ROOT_PROGRAM, at="2026-03-01T12:00:00Z")
        fake.clear_requests()
        result = run(fake.url, db)
        # nothing listed as changed (25 changed, but elsewhere); BMO counts 5, we hold 6; so
        # every id is listed (two pages of 4) and the missing one asked for by id
        assert paths(fake) == ["time", "list+since", "count", "list", "list", "ask"]
        assert (result.set_aside, result.bugs_stored) == (1, 0)
        with Store.open(db) as store:
            assert store.aside() == {25: (f"moved to CA Program :: {ROOT_PROGRAM}",
                                          "2026-03-01T12:00:00Z")}
            assert 25 not in store.bug_ids()
        assert same(db, fresh_sync(fake.url, tmp_path, "fresh1.sqlite"))
        with open_snapshot(db) as snap:
            assert 25 not in set(snap.incidents()["bug_id"])  # the metrics leave it out too
        # a plain sync with nothing new stays quiet: counts agree again
        fake.clear_requests()
        run(fake.url, db)
        assert paths(fake) == ["time", "list+since", "count"]
        minicorpus.move(corpus, 25, "CA Program", minicorpus.COMPONENT,
                        at="2026-03-01T13:00:00Z")
        back = run(fake.url, db)
        with Store.open(db) as store:
            assert store.aside() == {} and 25 in store.bug_ids()
        assert back.bugs_stored == 1
        assert same(db, fresh_sync(fake.url, tmp_path, "fresh2.sqlite"))


def test_a_bug_hidden_in_a_security_group_leaves_and_comes_back(corpus: Path,
                                                                tmp_path: Path) -> None:
    db = tmp_path / "snap.sqlite"
    with FakeBMO(corpus) as fake:
        run(fake.url, db)
        minicorpus.set_groups(corpus, 26, ["core-security"], at="2026-03-01T12:00:00Z")
        result = run(fake.url, db)
        assert result.set_aside == 1
        with Store.open(db) as store:
            assert store.aside() == {26: ("not visible", "2026-03-01T12:00:00Z")}
        assert same(db, fresh_sync(fake.url, tmp_path, "fresh1.sqlite"))
        minicorpus.set_groups(corpus, 26, [], at="2026-03-01T13:00:00Z")
        run(fake.url, db)
        assert same(db, fresh_sync(fake.url, tmp_path, "fresh2.sqlite"))
    with Store.open(db) as store:
        assert store.aside() == {}


def test_an_insider_snapshot_synced_anonymously_sets_aside_what_it_cannot_see(
        corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "snap.sqlite"
    with FakeBMO(corpus, insider_key="fake-insider") as fake:
        with Store.open(db) as store:
            sync(client_for(fake.url, api_key="fake-insider"), store)
        assert 27 in state_ids(db)
        run(fake.url, db, full=True)  # anonymous now
        assert same(db, fresh_sync(fake.url, tmp_path))
    with Store.open(db) as store:
        assert set(store.aside()) == {27}


def state_ids(db: Path) -> set[int]:
    with Store.open(db, create=False) as store:
        return store.bug_ids()


def test_moves_and_hides_during_a_full_pass(corpus: Path, tmp_path: Path) -> None:
    """A full pass lists every id, so it needs no count: the unlisted are asked for at once."""
    db = tmp_path / "snap.sqlite"
    with FakeBMO(corpus) as fake:
        run(fake.url, db)
        minicorpus.move(corpus, 21, "NSS", minicorpus.COMPONENT, at="2026-03-01T12:00:00Z")
        minicorpus.set_groups(corpus, 22, ["core-security"], at="2026-03-01T12:00:00Z")
        fake.clear_requests()
        result = run(fake.url, db, full=True)
        assert paths(fake) == ["time", "list", "ask", "detail"]
        assert (result.set_aside, result.bugs_stored) == (2, 4)
        assert same(db, fresh_sync(fake.url, tmp_path))


def test_an_interrupted_full_pass_resumes_and_counts_as_done(corpus: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    monkeypatch.setattr(sync_module, "MAX_BATCH_BUGS", 2)
    db = tmp_path / "snap.sqlite"
    real_save = Store.save_bugs
    calls: list[int] = []

    def crash_on_second(self: Store, bugs: list, **kwargs: object) -> int:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_save(self, bugs, **kwargs)  # type: ignore[arg-type]

    with FakeBMO(corpus) as fake:
        run(fake.url, db)
        set_now(corpus, "2026-03-09T00:00:00Z")  # the weekly full pass is due
        monkeypatch.setattr(Store, "save_bugs", crash_on_second)
        with pytest.raises(KeyboardInterrupt):
            run(fake.url, db)
        monkeypatch.setattr(Store, "save_bugs", real_save)
        assert state(db)["last_full_sync"] == T0
        set_now(corpus, "2026-03-09T00:30:00Z")
        fake.clear_requests()
        resumed = run(fake.url, db)
        assert (resumed.full_reason, resumed.resumed) == ("resumed full pass", 2)
        assert paths(fake) == ["time", "list+since", "count", "detail"]  # only the two left
    assert state(db)["last_full_sync"] == "2026-03-09T00:00:00Z"


def test_cli_full_flag_refresh_days_and_status(corpus: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "snap.sqlite"
    with FakeBMO(corpus) as fake:
        args = ["sync", "--url", fake.url, "--db", str(db), "--min-interval", "0"]
        assert main(args) == 0
        assert main([*args, "--full"]) == 0
        out = capsys.readouterr().out
        assert out.splitlines()[1].startswith("full sync: 6 bugs listed, 6 stored;")
        set_now(corpus, "2026-03-05T10:00:00Z")
        assert main([*args, "--refresh-days", "3"]) == 0
        assert capsys.readouterr().out.startswith(
            f"full (last full pass {T0} is over 3 days old) sync: 6 bugs listed")
        for bad in ("-1", "soon", "nan"):
            with pytest.raises(SystemExit) as caught:
                main([*args, "--refresh-days", bad])
            assert caught.value.code == 2
            err = capsys.readouterr().err
            assert err.startswith("bzanalytics: error: argument --refresh-days: ")
            assert err.count("\n") == 1
    assert main(["status", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "last full pass 2026-03-05T10:00:00Z (BMO time)" in lines
    assert main(["status", "--db", str(db), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert (status["last_full_sync"], status["set_aside"]) == ("2026-03-05T10:00:00Z", {})
