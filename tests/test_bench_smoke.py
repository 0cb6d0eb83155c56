"""Smoke run of the sync benchmark on a tiny corpus, plus its arithmetic on hand-made inputs.

The real benchmark (bench/sync.py, minutes long) is not part of the suite; this runs the same
code path on 20 bugs with no added latency. Peers are benchmark-only packages, never project
dependencies: they live in their own venv (`make .venv-bench/.installed`, which .ci/run does) and
run when importable by `BZA_BENCH_PEER_PYTHON` (default: `.venv-bench/bin/python` when present,
else this interpreter); otherwise they are skipped, unless `BZA_BENCH_PEERS_REQUIRED=1` (set by
.ci/run once the peers are installed) makes a missing peer a failure.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import sys
from pathlib import Path

import pytest
import requests

from bzanalytics.testing import minicorpus
from bzanalytics.testing.fakebmo import FakeBMO

REPO = Path(__file__).resolve().parents[1]
_BENCH_VENV_PYTHON = REPO / ".venv-bench" / "bin" / "python"
PEER_PYTHON = os.environ.get("BZA_BENCH_PEER_PYTHON") or (
    str(_BENCH_VENV_PYTHON) if _BENCH_VENV_PYTHON.exists() else sys.executable)
PEERS_REQUIRED = os.environ.get("BZA_BENCH_PEERS_REQUIRED") == "1"
SAMPLE = 5


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_sync", REPO / "bench" / "sync.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while decorating
    spec.loader.exec_module(module)
    return module


bench = load_bench()


def write_corpus(directory: Path, bugs: list[dict]) -> Path:
    directory.mkdir()
    (directory / "bugs.jsonl").write_text("".join(json.dumps(b) + "\n" for b in bugs))
    return directory


def test_visible_counts_leave_out_what_an_anonymous_caller_cannot_see(tmp_path):
    comment = {"is_private": False}
    bugs = [
        {"id": 1, "groups": [], "comments": [comment, {"is_private": True}, comment],
         "history": [{"changes": [{}, {}]}, {"changes": [{}]}]},
        {"id": 2, "groups": ["ca-secret"], "comments": [comment], "history": [{"changes": [{}]}]},
        {"id": 3, "comments": [], "history": []},
    ]
    seen = bench.visible_counts(write_corpus(tmp_path / "c", bugs))
    assert seen.bugs == 2
    assert seen.comments == {1: 2, 3: 0}
    assert seen.changesets == {1: 2, 3: 0}
    assert seen.changes == {1: 3, 3: 0}


def test_extrapolation_scales_only_the_per_bug_phase():
    entries = [
        {"path": "/rest/version", "bytes": 50},
        {"path": "/rest/bug", "query": "limit=1000", "bytes": 150},
        {"path": "/rest/bug/7/comment", "bytes": 30},
        {"path": "/rest/bug/7/history", "bytes": 10},
        {"path": "/rest/bug/9/comment", "bytes": 40},
        {"path": "/rest/bug/9/history", "bytes": 20},
    ]
    # 2 sampled bugs of 10: listing 2 requests / 200 B kept, detail 4 requests / 100 B × 5;
    # wall 3 s of which 2 s per-bug phase → 3 + 2 × (5 − 1).
    assert bench.extrapolate(entries, 3.0, 2.0, 5.0) == (22.0, 700.0, 11.0)


def test_ratio_table_divides_by_our_full_sync_of_the_same_size():
    runs = [
        bench.Run(100, "bzanalytics full sync", 4, 2_000_000, 2.0, "ok"),
        bench.Run(100, "peer", 206, 3_000_000, 9.0, "ok", note="extrapolated from 10 bugs"),
        bench.Run(200, "bzanalytics full sync", 5, 1_000_000, 1.0, "ok"),
        bench.Run(200, "peer", 10, 1_500_000, 0.5, "ok"),
    ]
    rows = bench.ratio_table(runs).splitlines()
    assert rows[3] == "| 100 | peer * | 206 | 3.00 | 9.0 | 51.50 | 1.50 | 4.50 | ok |"
    assert rows[5] == "| 200 | peer | 10 | 1.50 | 0.5 | 2.00 | 1.50 | 0.50 | ok |"
    assert rows[-1] == "\\* peer, 100 bugs: extrapolated from 10 bugs"


def test_fake_takes_an_empty_key_header_as_anonymous_like_bmo(tmp_path):
    """libmozdata sends `X-Bugzilla-API-Key: ""` on every request; BMO trims the key and only
    checks a non-empty one (Bugzilla/Auth/Login/APIKey.pm), so the fake must answer it."""
    minicorpus.build(tmp_path / "c", bugs=10, comments=20, big_bugs=0, hidden=2)
    public = sum(not bug.get("groups") for bug in minicorpus.read_bugs(tmp_path / "c"))
    with FakeBMO(tmp_path / "c", api_key="fake-key") as fake:
        url = fake.url + "/rest/bug?count_only=1"
        empty = requests.get(url, headers={"X-Bugzilla-API-Key": ""}, timeout=10)
        wrong = requests.get(url, headers={"X-Bugzilla-API-Key": "nope"}, timeout=10)
    assert empty.status_code == 200 and empty.json()["bug_count"] == public > 0
    assert wrong.status_code == 400  # error 306 has no status of its own on BMO
    assert [e["authenticated"] for e in fake.requests] == [False, False]


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    """One benchmark run: 20 bugs, no latency, every peer importable here, python-bugzilla
    sampled on 5 bugs so the extrapolation path runs too."""
    workdir = tmp_path_factory.mktemp("bench")
    peers = [name for name, peer in bench.PEERS.items()
             if bench.peer_available(PEER_PYTHON, peer.module)]
    result = bench.main(["--sizes", "20", "--latency-ms", "0", "--peer-sample", str(SAMPLE),
                         "--peers", ",".join(peers), "--peer-python", PEER_PYTHON,
                         "--workdir", str(workdir), "--json", str(workdir / "out.json")])
    corpus = next(workdir.glob("corpus-20-*"))
    return result, bench.visible_counts(corpus), workdir


def skip_or_fail(reason: str) -> None:
    """A peer that is not there: skipped, or a failure where CI installed the peers."""
    if PEERS_REQUIRED:
        pytest.fail(f"{reason} (BZA_BENCH_PEERS_REQUIRED=1)")
    pytest.skip(reason)


def test_the_peers_are_there_when_required() -> None:
    """CI installs the peers: then each must import in the peer interpreter, or this fails."""
    for peer in bench.PEERS.values():
        if not bench.peer_available(PEER_PYTHON, peer.module):
            skip_or_fail(f"{peer.module} is not importable by {PEER_PYTHON}")


def run_of(result: dict, prefix: str) -> dict:
    (run,) = [r for r in result["runs"] if r["client"].startswith(prefix)]
    return run


@pytest.mark.slow  # end to end in child processes: ~4 s on an idle machine, 30 s+ under load
def test_smoke_our_syncs_fetch_everything_and_the_noop_sync_is_cheap(smoke):
    result, seen, workdir = smoke
    full, noop = run_of(result, "bzanalytics full"), run_of(result, "bzanalytics no-op")
    assert full["fetched"].startswith(f"{seen.bugs:,} bugs, {sum(seen.comments.values()):,} ")
    # at 20 bugs both cost 3 requests: time, one page, one batch; time, listing, count
    assert 0 < noop["requests"] <= full["requests"] == 3
    assert noop["bytes"] < full["bytes"] / 5
    assert json.loads((workdir / "out.json").read_text())["runs"] == result["runs"]


@pytest.mark.slow  # end to end in child processes: ~4 s on an idle machine, 30 s+ under load
def test_smoke_python_bugzilla_sends_two_requests_per_bug(smoke):
    result, seen, _ = smoke
    if not any(r["client"].startswith("python-bugzilla ") for r in result["runs"]):
        skip_or_fail(f"python-bugzilla is not importable by {PEER_PYTHON}")
    run = run_of(result, "python-bugzilla ")
    # /rest/version + one short search page + comment and history per visible bug; the sample
    # of 5 scaled ×V/5 must land exactly on the same count because each bug costs exactly 2.
    assert run["requests"] == pytest.approx(2 + 2 * seen.bugs)
    assert f"sample of {SAMPLE} of {seen.bugs} bugs" in run["note"]
    assert f"(details for {SAMPLE})" in run["fetched"]


@pytest.mark.slow  # end to end in child processes: ~4 s on an idle machine, 30 s+ under load
def test_smoke_libmozdata_batches_by_hundred(smoke):
    result, seen, _ = smoke
    if not any(r["client"].startswith("libmozdata") for r in result["runs"]):
        skip_or_fail(f"libmozdata is not importable by {PEER_PYTHON}")
    run = run_of(result, "libmozdata")
    # count_only + per 100 bugs: search page, private-bug check, history, comments.
    assert run["requests"] == 1 + 4 * math.ceil(seen.bugs / 100)
    assert run["note"] == ""


@pytest.mark.slow  # end to end in child processes: ~4 s on an idle machine, 30 s+ under load
def test_smoke_python_bugzilla_getbugs_batches_by_hundred_without_sampling(smoke):
    result, seen, _ = smoke
    if not any(r["client"].startswith("python-bugzilla-getbugs") for r in result["runs"]):
        skip_or_fail(f"python-bugzilla is not importable by {PEER_PYTHON}")
    run = run_of(result, "python-bugzilla-getbugs")
    # /rest/version + one short search page + one getbugs call per 100 bugs; all bugs detailed.
    assert run["requests"] == 2 + math.ceil(seen.bugs / 100)
    assert run["note"] == "" and "details for" not in run["fetched"]
