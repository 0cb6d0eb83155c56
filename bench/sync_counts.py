"""Request counts and wall times of full, no-op, incremental, moved-out and --full syncs.

Builds a `bzanalytics.testing.minicorpus` corpus (default 2,000 bugs, 40,000 comments), serves it
with the in-process fake BMO, and runs the library sync five times: into an empty snapshot
(full), again with nothing changed (no-op), after touching a handful of bugs (incremental), after
moving three bugs to another component and hiding two in a security group (moved-out), and with
`full=True` after editing a comment, which BMO does without touching `last_change_time`
(--full); then the same with a fraction of faulty answers. Each round's final snapshot is
compared with a fresh sync of the final corpus. Request counts come from the fake's log. The
client waits no minimum interval (`--min-interval`, default 0) but keeps its real retry backoff,
so faults cost the wall time they would cost against BMO.

    .venv/bin/python bench/sync_counts.py                      # the figures in the report
    .venv/bin/python bench/sync_counts.py --bugs 200 --comments 4000 --faults all:0.1
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bzanalytics.bmo.client import BMOClient
from bzanalytics.bmo.sync import sync
from bzanalytics.snapshot.store import Store
from bzanalytics.testing import minicorpus
from bzanalytics.testing.fakebmo import FakeBMO


def run_round(corpus: Path, db: Path, faults: str | None, seed: int, touched: list[int],
              min_interval: float) -> tuple[list[tuple[str, int, int, float, int]], str, str]:
    """Rows (phase, requests, bugs stored, seconds, faulty answers) for each phase, the final
    snapshot's content hash and that of a fresh sync of the final corpus."""
    rows = []
    with FakeBMO(corpus, faults=faults, fault_seed=seed) as fake:
        client = BMOClient(fake.url, min_interval=min_interval)
        for phase in ("full", "no-op", "incremental", "moved-out", "--full"):
            if phase == "incremental":
                for kind, ids in zip(minicorpus.TOUCH_KINDS, _split(touched, 4), strict=True):
                    minicorpus.touch(corpus, ids, kind)
            if phase == "moved-out":
                for bug_id in touched[:3]:
                    minicorpus.move(corpus, bug_id, minicorpus.PRODUCT,
                                    "CA Certificate Root Program")
                for bug_id in touched[3:5]:
                    minicorpus.set_groups(corpus, bug_id, [minicorpus.SECURITY_GROUP])
            if phase == "--full":
                minicorpus.edit_comment(corpus, touched[5], 0, "edited incident report")
            before = len(fake.requests)
            started = time.perf_counter()
            with Store.open(db) as store:
                result = sync(client, store, full=phase == "--full")
            seconds = time.perf_counter() - started
            log = fake.requests[before:]
            rows.append((phase, len(log), result.bugs_stored, seconds,
                         sum(1 for e in log if "fault" in e)))
        fresh = db.with_name(db.stem + "-fresh.sqlite")
        with Store.open(fresh) as store:
            sync(BMOClient(fake.url, min_interval=min_interval), store)
            fresh_hash = store.content_hash()
    with Store.open(db) as store:
        return rows, store.content_hash(), fresh_hash


def _split(items: list[int], parts: int) -> list[list[int]]:
    return [items[i::parts] for i in range(parts)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bugs", type=int, default=2000)
    parser.add_argument("--comments", type=int, default=40_000)
    parser.add_argument("--touch", type=int, default=8, help="bugs changed before incremental")
    parser.add_argument("--faults", default="all:0.1", help="fault spec of the faulty round")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-interval", type=float, default=0.0)
    args = parser.parse_args()
    hashes = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, faults in (("no faults", None), (f"faults {args.faults}", args.faults)):
            corpus = minicorpus.build(Path(tmp) / label, bugs=args.bugs, comments=args.comments,
                                      seed=args.seed)
            visible = [b["id"] for b in minicorpus.read_bugs(corpus) if not b["groups"]]
            touched = visible[:: max(len(visible) // args.touch, 1)][: args.touch]
            print(f"{label}: {args.bugs:,} bugs ({len(visible):,} visible), "
                  f"{args.comments:,} comments, {len(touched)} bugs changed before incremental")
            rows, content_hash, fresh_hash = run_round(
                corpus, Path(tmp) / f"{label}.sqlite", faults, args.seed, touched,
                args.min_interval)
            for phase, requests, stored, seconds, faulty in rows:
                print(f"  {phase:<12} {requests:>4} requests ({faulty} faulty) "
                      f"{stored:>6,} bugs stored {seconds:7.2f} s")
            print("  snapshot equals a fresh sync of the final corpus:",
                  content_hash == fresh_hash)
            hashes.append(content_hash)
    print("final snapshots identical with and without faults:", hashes[0] == hashes[1])

if __name__ == "__main__":
    main()
