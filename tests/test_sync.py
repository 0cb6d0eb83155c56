"""The sync recipe against the fake BMO: exact requests, batching, resume, faults, rate limits."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bzanalytics.bmo import sync as sync_module
from bzanalytics.bmo.sync import Listed, SyncResult, describe, plan_batches, sync
from bzanalytics.cli import main
from bzanalytics.errors import RateLimited, UsageError
from bzanalytics.progress import ProgressBar, render
from bzanalytics.snapshot.store import Store
from bzanalytics.testing import minicorpus
from bzanalytics.testing.fakebmo import FakeBMO
from tests.sync_helpers import (
    client_for,
    detail_ids,
    run_sync,
    small_bug,
    snapshot_hash,
    state,
    stored_ids,
    write_corpus,
)

LIST = ("/rest/bug", "product=CA+Program&component=CA+Certificate+Compliance"
        "{since}&include_fields=id%2Clast_change_time%2Ccomment_count&order=bug_id&limit=3"
        "&offset={offset}")
DETAIL = "id={ids}&include_fields=_default%2Ccomments%2Chistory%2Cattachments" \
         "&exclude_fields=attachments.data"


def listing(offset: int, since: str = "") -> tuple[str, str]:
    since = f"&last_change_time={since.replace(':', '%3A')}" if since else ""
    return LIST[0], LIST[1].format(since=since, offset=offset)


COUNT = ("/rest/bug", "product=CA+Program&component=CA+Certificate+Compliance&count_only=1")


def detail(*ids: int) -> tuple[str, str]:
    return "/rest/bug", DETAIL.format(ids="%2C".join(map(str, ids)))


def sent(fake: FakeBMO) -> list[tuple[str, str]]:
    return [(e["path"], e["query"]) for e in fake.requests]


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of 3 ids and batches of at most 3 bugs / 10 comments, so a tiny corpus shows it all."""
    monkeypatch.setattr(sync_module, "PAGE_SIZE", 3)
    monkeypatch.setattr(sync_module, "MAX_BATCH_BUGS", 3)
    monkeypatch.setattr(sync_module, "MAX_BATCH_COMMENTS", 10)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """Seven visible bugs and one hidden (14); 17 and 18 changed in BMO's last five minutes."""
    comments = {11: 2, 12: 2, 13: 2, 14: 2, 15: 9, 16: 2, 17: 2, 18: 11}
    times = {17: "2026-03-01T09:56:00Z", 18: "2026-03-01T10:00:00Z"}
    return write_corpus(tmp_path / "tiny", [
        small_bug(i, times.get(i, f"2026-02-{i:02d}T00:00:00Z"), comments=n,
                  private=(3, 4) if i == 15 else (), groups=("core-security",) if i == 14 else (),
                  attachments=1 if i == 11 else 0)
        for i, n in comments.items()], now="2026-01-01T00:00:00Z")


@pytest.mark.usefixtures("small_limits")
def test_exact_requests_of_full_noop_and_incremental_syncs(tiny: Path, tmp_path: Path) -> None:
    db = tmp_path / "snap.sqlite"
    with FakeBMO(tiny) as fake:
        full = run_sync(fake.url, db)
        assert sent(fake) == [
            ("/rest/time", ""), listing(0), listing(3), listing(6),
            # 3 bugs at most; 15 has 9 comments (2 private, still counted); 18 has 11 > 10 alone
            detail(11, 12, 13), detail(15), detail(16, 17), detail(18)]
        assert (full.requests, full.bugs_listed, full.bugs_stored, full.incremental) == (
            8, 7, 7, False)
        assert full.db_time == "2026-03-01T10:00:00Z"

        fake.clear_requests()
        noop = run_sync(fake.url, db)
        # db_time minus an hour: 17 and 18 changed inside that window and are refetched; BMO's
        # count of the component equals the snapshot's, so nobody left
        assert sent(fake) == [("/rest/time", ""), listing(0, since="2026-03-01T09:00:00Z"),
                              COUNT, detail(17), detail(18)]
        assert (noop.requests, noop.bugs_listed, noop.incremental) == (5, 2, True)

        minicorpus.touch(tiny, [12], "comment", at="2026-03-02T00:00:00Z")
        fake.clear_requests()
        run_sync(fake.url, db)
        # three changed bugs fill a page of three, so a second (empty) page ends the listing
        assert sent(fake) == [("/rest/time", ""), listing(0, since="2026-03-01T09:00:00Z"),
                              listing(3, since="2026-03-01T09:00:00Z"), COUNT, detail(12, 17),
                              detail(18)]
        assert state(db)["db_time"] == "2026-03-02T00:00:00Z"
        fresh = tmp_path / "fresh.sqlite"
        run_sync(fake.url, fresh)
    assert snapshot_hash(db) == snapshot_hash(fresh)
    with Store.open(db, create=False) as store:
        rows = store.query("SELECT count(*), sum(is_private) FROM comments WHERE bug_id = 15")
        assert tuple(rows.fetchone()) == (7, 0)  # the two private comments never arrive
        assert store.query("SELECT count(*) FROM comments WHERE bug_id = 12").fetchone()[0] == 3
        assert store.counts()["attachments"] == 1
        assert 14 not in store.change_times()


@pytest.mark.usefixtures("small_limits")
def test_an_interrupted_sync_resumes_without_refetching(tiny: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "snap.sqlite"
    real_save = Store.save_bugs
    calls = []

    def crash_after_two(self: Store, bugs: list, **kwargs: object) -> int:
        calls.append(1)
        if len(calls) > 2:
            raise KeyboardInterrupt  # the process dies between two batches
        return real_save(self, bugs, **kwargs)  # type: ignore[arg-type]

    with FakeBMO(tiny) as fake:
        monkeypatch.setattr(Store, "save_bugs", crash_after_two)
        with pytest.raises(KeyboardInterrupt):
            run_sync(fake.url, db)
        monkeypatch.setattr(Store, "save_bugs", real_save)
        assert stored_ids(db) == {11, 12, 13, 15}
        assert "db_time" not in state(db)
        fake.clear_requests()
        result = run_sync(fake.url, db)
        assert sent(fake) == [("/rest/time", ""), listing(0, since="2026-03-01T09:00:00Z"),
                              COUNT, detail(16, 17), detail(18)]
        assert (result.resumed, result.bugs_stored) == (3, 3)
        assert state(db)["pending"] == ""
        fresh = tmp_path / "fresh.sqlite"
        run_sync(fake.url, fresh)
    assert snapshot_hash(db) == snapshot_hash(fresh)


def test_uri_too_long_splits_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bzanalytics.testing import fakebmo
    corpus = minicorpus.build(tmp_path / "c", bugs=20, comments=40, big_bugs=0, hidden=0)
    monkeypatch.setattr(fakebmo, "MAX_TARGET", 250)  # 20 seven-digit ids do not fit, 10 do
    with FakeBMO(corpus) as fake:
        run_sync(fake.url, tmp_path / "snap.sqlite")
        statuses = [e["status"] for e in fake.requests if e["query"].startswith("id=")]
        batches = detail_ids(fake.requests)
    ids = sorted(stored_ids(tmp_path / "snap.sqlite"))
    assert len(ids) == 20
    assert list(zip(statuses, batches, strict=True)) == [(414, ids), (200, ids[:10]),
                                                         (200, ids[10:])]


def test_bugs_that_turn_invisible_between_listing_and_fetch_are_set_aside(
        tiny: Path, tmp_path: Path) -> None:
    db = tmp_path / "snap.sqlite"
    with FakeBMO(tiny) as fake:
        run_sync(fake.url, db)
        minicorpus.touch(tiny, [16], "comment", at="2026-03-05T00:00:00Z")

        def hide_16_after_listing(stage: str, done: int, total: int) -> None:
            if stage == "fetching" and done == 0:
                minicorpus.set_groups(tiny, 16, ["core-security"], at="2026-03-05T00:00:00Z")

        with Store.open(db) as store:
            result = sync(client_for(fake.url), store, progress=hide_16_after_listing)
            assert store.aside() == {16: ("not visible", "2026-03-05T00:00:00Z")}
        fresh = tmp_path / "fresh.sqlite"
        run_sync(fake.url, fresh)
    assert (result.bugs_listed, result.not_visible, result.set_aside) == (3, 1, 1)
    assert 16 not in stored_ids(db)  # out of the analysed snapshot, as a fresh sync has it
    assert snapshot_hash(db) == snapshot_hash(fresh)


def test_rate_limit_stops_keeps_progress_and_resumes(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture) -> None:
    """BMO never counts searches, so the sync meets a block another program on the same
    address tripped: an HTML 429 for every request until the hour is over."""
    monkeypatch.setattr(sync_module, "MAX_BATCH_BUGS", 10)
    corpus = minicorpus.build(tmp_path / "c", bugs=60, comments=600, big_bugs=0, hidden=0)
    db = tmp_path / "snap.sqlite"
    with FakeBMO(corpus, block_after=4) as fake:
        code = main(["sync", "--url", fake.url, "--db", str(db), "--min-interval", "0"])
        out, err = capsys.readouterr()
        # time, one id page, two batches; the fifth request is refused and nothing follows
        assert [e["status"] for e in fake.requests] == [200, 200, 200, 200, 429]
        assert code == 3
        assert err == ("bzanalytics: BMO blocked this address for about an hour (BMO answered "
                       "429 Too Many Requests: this address is blocked). 20 bugs are stored "
                       "and nothing is lost; wait an hour, then run `bzanalytics sync` again "
                       "to resume.\n")
        assert out == ""
        # still blocked: the next run sees an HTML 429 and stops after one request
        with pytest.raises(RateLimited, match="20 bugs are stored"):
            run_sync(fake.url, db)
        assert fake.requests[-1]["status"] == 429
        first_two = [i for ids in detail_ids([e for e in fake.requests if e["status"] == 200])
                     for i in ids]
        fake.gate.block_after = None
        fake.unblock()
        fake.clear_requests()
        result = run_sync(fake.url, db)
        resumed = [i for ids in detail_ids(fake.requests) for i in ids]
        assert len(first_two) == 20 and set(resumed).isdisjoint(first_two)
        # time, page, count, four batches
        assert (result.resumed, result.requests) == (40, 7)
        fresh = tmp_path / "fresh.sqlite"
        run_sync(fake.url, fresh)
    assert snapshot_hash(db) == snapshot_hash(fresh)


def test_ten_percent_faults_give_the_same_snapshot(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_module, "MAX_BATCH_BUGS", 4)  # ~85 requests, ~9 of them faulty
    corpus = minicorpus.build(tmp_path / "c", bugs=300, comments=1500, big_bugs=1, hidden=3)
    with FakeBMO(corpus) as fake:
        clean = run_sync(fake.url, tmp_path / "clean.sqlite")
    with FakeBMO(corpus, faults="all:0.1", fault_seed=3) as fake:
        flaky = run_sync(fake.url, tmp_path / "flaky.sqlite")
        faults = {e["fault"] for e in fake.requests if "fault" in e}
    assert faults == {"500", "502", "503", "drop", "truncate"}
    assert flaky.requests > clean.requests
    assert snapshot_hash(tmp_path / "flaky.sqlite") == snapshot_hash(tmp_path / "clean.sqlite")


def test_a_snapshot_keeps_its_product_and_component(tiny: Path, tmp_path: Path) -> None:
    db = tmp_path / "snap.sqlite"
    with FakeBMO(tiny) as fake:
        run_sync(fake.url, db)
        with Store.open(db) as store, pytest.raises(UsageError, match="use another --db"):
            sync(client_for(fake.url), store, product="NSS")


def test_plan_batches_by_bug_count_and_comment_volume() -> None:
    wanted = {1: Listed("t", 10), 2: Listed("t", 1995), 3: Listed("t", 5),
              4: Listed("t", 2500), 5: Listed("t", 1)}
    assert plan_batches(wanted) == [[1], [2, 3], [4], [5]]
    ones = {i: Listed("t", 1) for i in range(250)}
    assert [len(b) for b in plan_batches(ones)] == [100, 100, 50]
    assert plan_batches({}) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=5000), max_size=400))
def test_batches_respect_both_bounds_and_keep_every_id_in_order(counts: list[int]) -> None:
    wanted = {1000 + i: Listed("t", n) for i, n in enumerate(counts)}
    batches = plan_batches(wanted)
    assert [i for batch in batches for i in batch] == list(wanted)
    for batch in batches:
        assert 1 <= len(batch) <= 100
        assert len(batch) == 1 or sum(wanted[i].comment_count for i in batch) <= 2000
    for before, after in pairwise(batches):  # no batch is cut too early
        total = sum(wanted[i].comment_count for i in before)
        assert len(before) == 100 or total + wanted[after[0]].comment_count > 2000


def test_choose_refetches_equal_times_and_keeps_pending() -> None:
    listed = {1: Listed("2026-01-02T00:00:00Z", 1), 2: Listed("2026-01-02T00:00:00Z", 1),
              3: Listed("2026-01-01T00:00:00Z", 1), 4: Listed("2026-01-03T00:00:00Z", 1)}
    stored = {1: "2026-01-02T00:00:00Z", 2: "2026-01-01T00:00:00Z", 3: "2026-01-02T00:00:00Z"}
    pending = {9: Listed("2025-01-01T00:00:00Z", 4)}
    assert list(sync_module.choose(listed, stored, pending)) == [1, 2, 4, 9]


def test_summary_line() -> None:
    result = SyncResult(requests=24, bugs_listed=1990, bugs_fetched=1989, bugs_stored=1989,
                        not_visible=1, elapsed=4.04, db_time="2026-11-01T00:00:00Z",
                        incremental=False, resumed=0)
    assert describe(result, "ca.sqlite") == (
        "full sync: 1,990 bugs listed, 1,989 stored, 1 not visible; 24 requests in 4.0 s; "
        "ca.sqlite is current as of 2026-11-01T00:00:00Z")


def test_progress_bar_text_and_silence() -> None:
    assert render("fetching", 500, 2000, width=10) == \
        "fetching  [##........]     500/2,000 bugs  25%"
    assert render("listing", 1000, 0) == "listing     1,000 bugs"

    class Tty:
        def __init__(self) -> None:
            self.text = ""

        def write(self, text: str) -> None:
            self.text += text

        def flush(self) -> None:
            pass

        def isatty(self) -> bool:
            return True

    tty = Tty()
    bar = ProgressBar(tty, clock=lambda: 0.0)
    bar("listing", 1000, 0)
    bar("fetching", 0, 10)
    bar("fetching", 5, 10)  # same instant: skipped, redraws are throttled
    bar("fetching", 10, 10)  # the end is always drawn
    bar.close()
    assert tty.text.split("\n") == [
        "\rlisting     1,000 bugs",
        "\r" + render("fetching", 0, 10) + "\r" + render("fetching", 10, 10), ""]
    piped = Tty()
    piped.isatty = lambda: False  # type: ignore[method-assign]
    quiet = ProgressBar(piped)
    quiet("fetching", 1, 2)
    quiet.close()
    assert piped.text == ""
