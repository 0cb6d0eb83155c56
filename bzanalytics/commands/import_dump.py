"""`bzanalytics import --db FILE DUMP...`: load BMO REST JSON dumps or corpus directories."""

from __future__ import annotations

import argparse

from bzanalytics.progress import ProgressBar
from bzanalytics.snapshot.dumps import import_dumps
from bzanalytics.snapshot.lock import writing


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="load BMO REST JSON dumps or corpus directories into a snapshot",
        description="Load bugs from BMO REST JSON: a search answer {\"bugs\": [...]}, a list of "
        "bug objects, a .jsonl file (one bug per line), a /comment, /history or /attachment "
        "answer, or a corpus directory (corpus.json + bugs.jsonl). Every file is checked before "
        "anything of it is stored. Each bug is merged into what is stored: a partial answer "
        "never blanks a field, and a copy older than the stored one (lower last_change_time) "
        "is kept out unless --force. One sync or import at a time per file.",
    )
    parser.add_argument("--db", required=True, metavar="FILE",
                        help="snapshot file (created when missing)")
    parser.add_argument("dumps", nargs="+", metavar="DUMP", help="JSON/JSONL file or corpus dir")
    parser.add_argument("--force", action="store_true",
                        help="let older copies replace newer stored ones")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run, interrupted="the batches imported so far are kept; run the "
                        "same import again to finish it")


def run(args: argparse.Namespace) -> int:
    bar = ProgressBar(enabled=False if args.quiet else None)
    try:
        with writing(args.db, "import") as store:
            results = import_dumps(store, args.dumps, progress=bar, force=args.force)
            total = store.counts()["bugs"]
    finally:
        bar.close()
    for result in results:
        note = " (synthetic corpus)" if result.source.generated_by else ""
        if result.note:
            note = f": {result.note}"
        print(f"imported {result.bugs:,} bugs from {result.source.path}{note}")
        if result.kept:
            print(f"kept {result.kept:,} stored bugs that are newer than the copies in "
                  f"{result.source.path} (--force replaces them)")
    print(f"{args.db} now holds {total:,} bugs")
    return 0
