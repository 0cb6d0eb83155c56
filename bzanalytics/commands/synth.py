"""`bzanalytics synth`: write a synthetic corpus with planted ground truth."""

from __future__ import annotations

import argparse
from pathlib import Path

from bzanalytics.errors import UsageError

MAX_BUGS = 1_000_000
CORPUS_FILES = ("corpus.json", "bugs.jsonl", "truth.json")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "synth", help="write a synthetic corpus (fictional CAs) and its truth file",
        description="Write DIR/corpus.json, DIR/bugs.jsonl and DIR/truth.json. Same seed and "
                    "count give the same bytes. Every CA and person in it is fictional.")
    p.add_argument("--bugs", type=int, default=300, help="number of bugs (default 300)")
    p.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    p.add_argument("--out", required=True, type=Path, help="output directory")
    p.add_argument("--force", action="store_true",
                   help="replace a corpus already in DIR (otherwise it is refused)")
    p.add_argument("--jobs", type=int, default=1,
                   help="worker processes (default 1); the output does not depend on it")
    p.set_defaults(func=run, interrupted="{out} may hold an incomplete corpus; run synth "
                   "again with --force")


def run(args: argparse.Namespace) -> int:
    from bzanalytics.synth.corpus import write_corpus

    if not 1 <= args.bugs <= MAX_BUGS:
        raise UsageError(f"--bugs must be between 1 and {MAX_BUGS}, got {args.bugs}")
    if not 1 <= args.jobs <= 64:
        raise UsageError(f"--jobs must be between 1 and 64, got {args.jobs}")
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out} exists and is not a directory")
    existing = [name for name in CORPUS_FILES if (args.out / name).exists()]
    if existing and not args.force:
        raise UsageError(f"{args.out} already holds a corpus ({', '.join(existing)}); pass "
                         "--force to replace it, or choose another --out")
    try:
        n = write_corpus(args.out, args.bugs, args.seed, jobs=args.jobs)
    except OSError as exc:
        raise UsageError(f"cannot write to {args.out}: {exc.strerror or exc}") from None
    print(f"wrote {n} synthetic bugs to {args.out}")
    return 0
