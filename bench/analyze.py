"""Time and memory of the analysis path: open a snapshot, build the incidents table, the scorecard.

    .venv/bin/python bench/analyze.py                      # 500, 2,000 and 20,000 bugs
    .venv/bin/python bench/analyze.py --sizes 500 --repeat 1

For each size a synthetic corpus is generated and imported once (not timed); then a fresh
Python process opens the snapshot and computes `incidents()` (parse + metrics) and `scorecard()`,
reporting wall time per phase and peak resident memory (`getrusage` maxrss, which includes
the interpreter and pandas, ~100 MiB). The best of `--repeat` runs is kept. The scaling exponent
is the slope of log(time) against log(bugs) between consecutive sizes (1 = linear).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

BUDGET_SECONDS = {2000: 3.0, 20000: 30.0}
BUDGET_MIB = 1024

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from bzanalytics.snapshot.frames import open_snapshot
t1 = time.perf_counter()
with open_snapshot(sys.argv[1]) as snap:
    bugs = snap.bugs(); snap.comments(roles=False); snap.history()
    t2 = time.perf_counter()
    incidents = snap.incidents()
    t3 = time.perf_counter()
    card = snap.scorecard()
    t4 = time.perf_counter()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"bugs": len(bugs), "incidents": len(incidents), "cas": len(card),
                  "import_s": t1 - t0, "load_s": t2 - t1, "incidents_s": t3 - t2,
                  "scorecard_s": t4 - t3, "total_s": t4 - t1, "peak_mib": rss}))
"""


def prepare(size: int, seed: int, workdir: Path) -> Path:
    """Generate and import a corpus of `size` bugs once; return the snapshot path."""
    from bzanalytics.snapshot.dumps import import_dumps
    from bzanalytics.snapshot.store import Store
    from bzanalytics.synth.corpus import write_corpus

    corpus = workdir / f"truth-{size}-s{seed}"
    if not (corpus / "truth.json").exists():
        write_corpus(corpus, size, seed)
    db = workdir / f"{corpus.name}.sqlite"
    if not db.exists():
        with Store.open(db) as store:
            import_dumps(store, [corpus])
    return db


def measure(db: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(db)], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


def exponents(rows: list[dict[str, float]]) -> list[float]:
    return [math.log(b["total_s"] / a["total_s"]) / math.log(b["bugs"] / a["bugs"])
            for a, b in pairwise(rows)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,2000,20000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("out/bench"))
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        db = prepare(size, args.seed, args.workdir)
        runs = [measure(db) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r["total_s"])
        best["peak_mib"] = max(r["peak_mib"] for r in runs)
        rows.append(best)
    print(f"{'bugs':>7} {'load s':>7} {'incidents s':>12} {'scorecard s':>12} {'total s':>8} "
          f"{'peak MiB':>9}  budget")
    ok = True
    for r in rows:
        budget = BUDGET_SECONDS.get(int(r["bugs"]))
        within = (budget is None or r["total_s"] <= budget) and r["peak_mib"] < BUDGET_MIB
        ok &= within
        note = f"{budget:.0f} s, 1 GiB: {'ok' if within else 'OVER'}" if budget else ""
        print(f"{r['bugs']:>7} {r['load_s']:>7.2f} {r['incidents_s']:>12.2f} "
              f"{r['scorecard_s']:>12.2f} {r['total_s']:>8.2f} {r['peak_mib']:>9.0f}  {note}")
    slopes = exponents(rows)
    if slopes:
        print("scaling exponent (time vs bugs): " + ", ".join(f"{s:.2f}" for s in slopes))
    if args.json:
        args.json.write_text(json.dumps({"runs": rows, "exponents": slopes}, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
