"""Time `snapshot.action_items()` (the Action Items rows and their history) on a generated corpus.

    .venv/bin/python bench/action_items.py --bugs 20000 --seed 7
    .venv/bin/python bench/action_items.py --corpus data/sample

Parsing the snapshot (`analyze`) is done first and not counted: the figure is the cost of finding,
reading and linking the items of every public CA comment and working out each item's outcome
(`metrics.action_items.find_items`), CPU and wall time, best of `--repeat` runs. Also prints the
counts of items by form, status and outcome.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.metrics_truth import add_corpus_arguments, corpus_from, snapshot_of


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_corpus_arguments(parser)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    corpus = corpus_from(args)
    from bzanalytics.metrics import action_items
    from bzanalytics.metrics.common import public_comments
    from bzanalytics.metrics.incidents import resolved_times
    from bzanalytics.snapshot.frames import open_snapshot

    db = snapshot_of(corpus, args.workdir / f"{corpus.name}.sqlite")
    with open_snapshot(db) as snap:
        parsed = snap._require_parsed()
        comments = public_comments(parsed.comments)
        resolved = resolved_times(snap.bugs(), snap.history())
        as_of = snap.as_of
        bugs = len(snap.bugs())
        best_cpu = best_wall = float("inf")
        for _ in range(args.repeat):
            cpu, wall = time.process_time(), time.perf_counter()
            items = action_items.find_items(comments, resolved, as_of)
            best_cpu = min(best_cpu, time.process_time() - cpu)
            best_wall = min(best_wall, time.perf_counter() - wall)
    origin = items.loc[items["match"].eq("origin").to_numpy()]
    print(json.dumps({
        "corpus": str(corpus), "bugs": bugs,
        "comments": len(comments), "rows": len(items), "items": len(origin),
        "cpu_seconds": round(best_cpu, 2), "wall_seconds": round(best_wall, 2),
        "rows_by_form": items["form"].value_counts().to_dict(),
        "rows_by_status": items["status"].fillna("(none)").value_counts().to_dict(),
        "items_by_outcome": origin["outcome"].value_counts().to_dict(),
        "items_slipped": int(origin["slipped"].fillna(False).sum()),
    }, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
