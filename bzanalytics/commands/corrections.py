"""`bzanalytics corrections check FILE [--db FILE]`: is a corrections file safe to apply?"""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "corrections",
        help="check a file of hand corrections (awareness time, CA, exclusion, reports)",
        description="Hand corrections are a CSV with columns bug_id,field,value,evidence,note,by "
        "(fields: awareness_time, ca, excluded, initial_report, full_report, self_filed; see "
        "docs/methodology.md, Corrections). `check` reports every problem with its line number "
        "and exits 2 when there is one; with --db it also checks the bugs and comments against "
        "the snapshot and warns about corrections that change nothing.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="check a corrections file",
                               description="Check a corrections file; nothing is written.")
    check.add_argument("file", metavar="FILE", help="the corrections CSV")
    check.add_argument("--db", metavar="FILE", help="also check against this snapshot")
    check.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bzanalytics.snapshot.corrections import read_corrections

    corrections = read_corrections(args.file)
    warnings: list[str] = []
    if args.db:
        from bzanalytics.snapshot.frames import open_snapshot

        with open_snapshot(args.db, corrections=corrections) as snapshot:
            snapshot.incidents(include_excluded=True)  # applying them finds the no-op rows
            warnings = snapshot.correction_warnings
    for warning in warnings:
        print(f"bzanalytics: warning: {warning}", file=sys.stderr)
    where = f" against {args.db}" if args.db else ""
    print(f"{args.file}: {len(corrections.rows)} correction(s) OK{where}; "
          f"{len(warnings)} warning(s); SHA-256 {corrections.sha256}")
    return 0
