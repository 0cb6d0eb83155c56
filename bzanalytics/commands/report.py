"""`bzanalytics report [--db FILE] --out DIR`: the HTML report and its figures."""

from __future__ import annotations

import argparse

from bzanalytics.commands.common import (
    OUTPUT_INTERRUPTED,
    add_corrections_argument,
    add_grouping_arguments,
    require_bugs,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write a self-contained HTML report and its figures",
        description="Write DIR/report.html (what needs attention now, tables, embedded "
        "figures, evidence links, the snapshot's content hash and as-of date), one page per CA "
        "owner in DIR/ca/, and every figure as PNG and SVG in DIR/figures/. Without --db it "
        "reports on the bundled synthetic sample.",
    )
    parser.add_argument("--db", metavar="FILE",
                        help="snapshot file (default: the bundled synthetic sample)")
    parser.add_argument("--out", required=True, metavar="DIR", help="output directory")
    add_grouping_arguments(parser)
    add_corrections_argument(parser)
    parser.set_defaults(func=run, interrupted=OUTPUT_INTERRUPTED)


def run(args: argparse.Namespace) -> int:
    import matplotlib  # imported here so `bzanalytics --help` stays fast

    matplotlib.use("Agg")
    from bzanalytics.commands import warn
    from bzanalytics.outputs.report import write_report
    from bzanalytics.sample import sample_db
    from bzanalytics.snapshot.frames import open_snapshot

    if args.db:
        path, source = args.db, f"snapshot {args.db}"
    else:
        path, source = sample_db(), "bundled synthetic sample (data/sample/)"
    snapshot = open_snapshot(path, corrections=args.corrections)
    with snapshot:
        require_bugs(snapshot, args.db or source)
        warn(snapshot)
        result = write_report(snapshot, args.out, source=source, group_by=args.group_by,
                              distrusted=args.distrusted)
    print(f"wrote {result.html_path} ({result.incidents:,} incidents, {result.cas:,} CAs; "
          f"{len(result.figure_paths)} figure files in {result.html_path.parent / 'figures'}; "
          f"{len(result.ca_pages)} CA pages in {result.html_path.parent / 'ca'})")
    return 0
