"""Request budgets on a realistic volume: 2,000 bugs with 40,000 comments (bmo-rest-api.md §4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bzanalytics.bmo.sync import sync
from bzanalytics.snapshot.store import Store
from bzanalytics.testing import minicorpus
from bzanalytics.testing.fakebmo import FakeBMO
from tests.sync_helpers import (
    client_for,
    detail_ids,
    run_sync,
    snapshot_hash,
    stored_ids,
    visible_ids,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return minicorpus.build(tmp_path / "corpus", bugs=2000,
                            comments=40_000, big_bugs=4, big_comments=300, hidden=10, seed=1)


def test_full_noop_and_incremental_budgets(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "snap.sqlite"
    bugs = minicorpus.read_bugs(corpus)
    visible = [b for b in bugs if not b["groups"]]
    with FakeBMO(corpus) as fake:
        full = run_sync(fake.url, db)
        assert len(fake.requests) == full.requests <= 30
        assert stored_ids(db) == set(visible_ids(corpus))
        with Store.open(db, create=False) as store:
            assert store.counts()["comments"] == sum(
                1 for b in visible for c in b["comments"] if not c["is_private"])
        assert max(len(ids) for ids in detail_ids(fake.requests)) <= 100

        fake.clear_requests()
        noop = run_sync(fake.url, db)
        assert len(fake.requests) == noop.requests == 3  # time, listing, count
        assert noop.bugs_stored == 0

        changed = {"comment": visible[3:6], "private_comment": visible[10:11],
                   "whiteboard": visible[500:502], "status": visible[1500:1502]}
        for kind, picked in changed.items():
            minicorpus.touch(corpus, [b["id"] for b in picked], kind)
        new = minicorpus.add_bugs(corpus, 2)
        fake.clear_requests()
        incremental = run_sync(fake.url, db)
        expected = {b["id"] for picked in changed.values() for b in picked} | set(new)
        assert [set(ids) for ids in detail_ids(fake.requests)] == [expected]
        assert len(fake.requests) == incremental.requests == 4  # time, listing, count, batch

        # a comment edit leaves last_change_time alone: only `--full` sees it, within budget
        minicorpus.edit_comment(corpus, visible[7]["id"], 0, "rewritten incident report")
        fake.clear_requests()
        with Store.open(db) as store:
            again = sync(client_for(fake.url), store, full=True)
        assert len(fake.requests) == again.requests == full.requests <= 30
        fresh = tmp_path / "fresh.sqlite"
        run_sync(fake.url, fresh)
    assert snapshot_hash(db) == snapshot_hash(fresh)
