"""How long `parse.tables.analyze` takes on every comment of a large synthetic corpus.

    python bench/parse_speed.py [--bugs 20000] [--seed 7] [--corpus DIR]

Writes the corpus to a temporary directory with the synth generator (unless --corpus is given),
loads it into frames, and times `analyze` (wall clock and CPU), the number reported in
docs/parsing.md. Target: all comments of a 20,000-bug corpus in under 60 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from parse_accuracy import load_corpus

from bzanalytics.parse.tables import analyze


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bugs", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--corpus", type=Path, help="an existing corpus directory")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.corpus
        if directory is None:
            from bzanalytics.synth.corpus import write_corpus

            directory = Path(tmp)
            write_corpus(directory, args.bugs, args.seed)
        bugs, comments = load_corpus(directory)
        wall, cpu = time.perf_counter(), time.process_time()
        parsed = analyze(bugs, comments)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{len(bugs):,} bugs, {len(comments):,} public comments, "
          f"{len(parsed.reports):,} reports, {len(parsed.timeline):,} timeline rows")
    print(f"analyze: {wall:.1f} s wall, {cpu:.1f} s CPU "
          f"({len(comments) / max(cpu, 1e-9):,.0f} comments per CPU second)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
