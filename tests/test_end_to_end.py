"""The whole chain over the network: the bundled sample served by the fake BMO, pulled by `sync`,
then parsed and measured. The result must equal both the imported corpus (same content hash) and
the generator's planted truth, so nothing is lost or bent between client, store, parse and metrics.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bzanalytics.snapshot.frames import open_snapshot
from bzanalytics.testing.fakebmo import FakeBMO
from tests.sync_helpers import run_sync, snapshot_hash
from tests.truth_helpers import SAMPLE, bench, differences, sample_truth

KEY = "e2e-test-key-0123456789"


@pytest.fixture(scope="module")
def truth():
    return sample_truth()


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    return bench.snapshot_of(SAMPLE, tmp_path_factory.mktemp("import") / "imported.sqlite")


def test_authenticated_sync_equals_import_and_truth(truth, imported, tmp_path) -> None:
    db = tmp_path / "synced.sqlite"
    with FakeBMO(SAMPLE, insider_key=KEY, faults="all:0.1", fault_seed=3) as fake:
        result = run_sync(fake.url, db, api_key=KEY)
    assert result.bugs_stored == 300
    assert snapshot_hash(db) == snapshot_hash(imported)
    with open_snapshot(db) as synced, open_snapshot(imported) as loaded:
        assert synced.as_of == loaded.as_of
    measured = bench.measured_frames(db)
    diff = differences(measured, truth)
    assert diff.empty, diff.head(20).to_string()


def test_anonymous_sync_misses_private_comments_but_not_a_metric(truth, tmp_path) -> None:
    """Metrics read public comments only, so what an anonymous caller sees is enough."""
    db = tmp_path / "anonymous.sqlite"
    with FakeBMO(SAMPLE) as fake:
        run_sync(fake.url, db)
    with open_snapshot(db) as snapshot:
        stored = snapshot.comments(include_private=True)
    planted_private = sum(c["is_private"] for bug in truth["bugs"].values()
                          for c in bug["comments"].values())
    assert planted_private > 0
    assert not stored["is_private"].any()
    planted_total = sum(len(bug["comments"]) for bug in truth["bugs"].values())
    assert len(stored) == planted_total - planted_private
    measured = bench.measured_frames(db)
    diff = differences(measured, truth)
    assert diff.empty, diff.head(20).to_string()
