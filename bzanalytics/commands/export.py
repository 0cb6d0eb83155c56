"""`bzanalytics export --db FILE --out DIR`: every table as CSV or Parquet, with a manifest."""

from __future__ import annotations

import argparse
import sys

from bzanalytics.commands.common import OUTPUT_INTERRUPTED, add_corrections_argument

# pandas is imported only when the command runs, so `bzanalytics --help` stays fast
TABLE_NAMES = ("bugs, comments, history, attachments, reports, timeline, incidents, questions, "
               "promises, update_gaps, action_items, scorecard, trends")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write the snapshot's tables as CSV or Parquet files plus manifest.json",
        description=f"Write one file per table ({TABLE_NAMES}) and manifest.json "
        "(content hash, as-of time, tool version, row counts). Two exports of one snapshot are "
        "byte-identical. Private comments are left out unless --include-private. Columns are "
        "described in docs/data-dictionary.md. Exit 1 when a derived table could not be built "
        "(the others are still written; the manifest says why).",
    )
    parser.add_argument("--db", required=True, metavar="FILE", help="snapshot file")
    parser.add_argument("--out", required=True, metavar="DIR", help="output directory")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv", dest="fmt",
                        help="file format (parquet needs the 'parquet' extra: pyarrow)")
    parser.add_argument("--include-private", action="store_true",
                        help="also export private comments, attachments and their reports")
    parser.add_argument("--tables", nargs="+", metavar="TABLE",
                        help="only these tables (names or comma lists; default: all)")
    add_corrections_argument(parser)
    parser.set_defaults(func=run, interrupted=OUTPUT_INTERRUPTED)


def run(args: argparse.Namespace) -> int:
    from bzanalytics.commands import warn
    from bzanalytics.snapshot.export import export_snapshot, parse_tables
    from bzanalytics.snapshot.frames import open_snapshot

    tables = parse_tables(args.tables)
    with open_snapshot(args.db, corrections=args.corrections) as snapshot:
        warn(snapshot)
        result = export_snapshot(snapshot, args.out, fmt=args.fmt,
                                 include_private=args.include_private, tables=tables)
        synthetic = snapshot.is_synthetic
    for table, rows in result.rows.items():
        print(f"{table:<12} {rows:>9,} rows  {result.out_dir / f'{table}.{args.fmt}'}")
    for table, reason in result.skipped.items():
        print(f"{table:<12}   skipped  ({reason})")
    print(f"manifest     {result.out_dir / 'manifest.json'}")
    if synthetic:
        print("note: this snapshot is SYNTHETIC (fictional CAs); the manifest says so")
    failed = [t for t in result.skipped if t in tables]  # not "comments.role": comments written
    if failed:
        print(f"error: {len(failed)} tables could not be built ({', '.join(failed)}); the other "
              "files and the manifest (which says why) are written", file=sys.stderr)
        return 1
    return 0
