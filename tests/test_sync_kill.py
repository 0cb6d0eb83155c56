"""SIGKILL the sync CLI at random moments, change the corpus in between, then finish: the
snapshot must equal a fresh uninterrupted sync and pass SQLite's integrity check."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bzanalytics.testing import minicorpus
from bzanalytics.testing.fakebmo import FakeBMO
from tests.sync_helpers import integrity, run_sync, snapshot_hash, state, visible_ids

pytestmark = pytest.mark.slow


def _change_corpus(corpus: Path, rng: random.Random) -> None:
    ids = visible_ids(corpus)
    picked = rng.sample(ids, rng.randint(1, 250))  # up to three batches
    minicorpus.touch(corpus, picked, rng.choice(minicorpus.TOUCH_KINDS))
    if rng.random() < 0.3:
        minicorpus.add_bugs(corpus, rng.randint(1, 3), seed=rng.randrange(1000))


def test_killed_syncs_converge_to_an_uninterrupted_one(tmp_path: Path) -> None:
    corpus = minicorpus.build(tmp_path / "corpus", bugs=400, comments=6000, big_bugs=2,
                              hidden=4, seed=5)
    db = tmp_path / "snap.sqlite"
    rng = random.Random(20261127)
    kills = interrupted_with_pending = 0
    with FakeBMO(corpus, latency_ms=20) as fake:
        command = [sys.executable, "-m", "bzanalytics.cli", "sync", "--url", fake.url,
                   "--db", str(db), "--min-interval", "0", "--quiet"]
        for attempt in range(40):
            if kills >= 10:
                break
            if attempt and rng.random() < 0.6:
                _change_corpus(corpus, rng)
            seen = len(fake.requests)
            wanted = rng.randint(0, 6)  # kill once the fake has answered this many requests...
            proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    env={**os.environ, "BUGZILLA_API_KEY": ""})
            deadline = time.monotonic() + 60
            while (proc.poll() is None and len(fake.requests) - seen < wanted
                   and time.monotonic() < deadline):
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.2))  # ...plus a random moment within the work after it
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
            _, err = proc.communicate(timeout=60)
            assert proc.returncode in (0, -signal.SIGKILL), err
            if db.exists() and state(db).get("pending"):
                interrupted_with_pending += 1
        final = subprocess.run(command, capture_output=True, text=True, timeout=300,
                               check=False)
        assert final.returncode == 0, final.stderr
        fresh = tmp_path / "fresh.sqlite"
        run_sync(fake.url, fresh)
    assert kills >= 10
    assert interrupted_with_pending >= 2  # kills landed between stored batches
    assert integrity(db) == "ok"
    assert state(db)["pending"] == ""
    assert snapshot_hash(db) == snapshot_hash(fresh)
