"""Time the attention list on a synthetic corpus and compare it item by item with the truth.

    .venv/bin/python bench/attention.py --bugs 20000            # generate, import, time, compare
    .venv/bin/python bench/attention.py --corpus data/sample     # an existing corpus dir

The snapshot is opened first (not timed); then `snapshot.attention()` is timed on it, nothing
cached: reading the bugs, the recent history and the open bugs' comments and history, parsing
and measuring those bugs, and building the list. `--repeat` runs, each on a freshly opened
snapshot; wall and CPU seconds are printed (best and median). The truth's items (`truth.json`,
computed by the generator from the events it planted) must equal ours exactly as (bug, kind,
state, due) tuples; exit status 1 when any differs. Counts per kind and state are printed for
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metrics_truth import add_corpus_arguments, corpus_from, load_truth, snapshot_of


def truth_items(truth: dict[str, Any]) -> set[tuple[int, str, str, str]]:
    return {(int(bug), i["kind"], i["state"], i["due"])
            for bug, entry in truth["bugs"].items() for i in entry.get("attention", [])}


def our_items(items: pd.DataFrame) -> set[tuple[int, str, str, str]]:
    due = items["due"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return set(zip(items["bug_id"].astype(int), items["kind"], items["state"], due,
                   strict=True))


def differences(items: pd.DataFrame, truth: dict[str, Any]) -> dict[str, list]:
    ours, theirs = our_items(items), truth_items(truth)
    return {"missing": sorted(theirs - ours), "extra": sorted(ours - theirs)}


def timed(db: Path, repeat: int) -> tuple[list[float], list[float], pd.DataFrame]:
    """Wall and CPU seconds of `attention()` per run (CPU time says more on a busy machine)."""
    from bzanalytics.snapshot.frames import open_snapshot

    wall, cpu, items = [], [], None
    for _ in range(repeat):
        with open_snapshot(db) as snapshot:
            start, start_cpu = time.perf_counter(), time.process_time()
            items = snapshot.attention()
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    return wall, cpu, items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_corpus_arguments(parser)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    corpus = corpus_from(args, "attention")
    truth = load_truth(corpus)
    db = snapshot_of(corpus, args.workdir / f"{corpus.name}.sqlite")
    seconds, cpu, items = timed(db, args.repeat)
    from bzanalytics.metrics.attention import counts_by_kind

    diff = differences(items, truth)
    result = {
        "corpus": str(corpus), "bugs": len(truth["bugs"]), "items": len(items),
        "seconds_best": round(min(seconds), 2),
        "seconds_median": round(statistics.median(seconds), 2),
        "runs": [round(s, 2) for s in seconds],
        "cpu_seconds_best": round(min(cpu), 2), "cpu_runs": [round(s, 2) for s in cpu],
        "bugs_with_items": int(items["bug_id"].nunique()) if len(items) else 0,
        "missing": len(diff["missing"]), "extra": len(diff["extra"]),
        "by_kind": {kind: {s: int(n) for s, n in row.items()}
                    for kind, row in counts_by_kind(items).iterrows()},
    }
    print(json.dumps(result, indent=1))
    for name, rows in diff.items():
        for row in rows[:10]:
            print(name, row)
    return 1 if diff["missing"] or diff["extra"] else 0


if __name__ == "__main__":
    sys.exit(main())
