"""`bzanalytics scorecard --db FILE`: per-CA response and compliance figures, or one CA's bugs."""

from __future__ import annotations

import argparse
import json
import sys

from bzanalytics.commands import warn
from bzanalytics.commands.common import (
    READ_ONLY_INTERRUPTED,
    add_corrections_argument,
    add_grouping_arguments,
    require_bugs,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "scorecard",
        help="per-CA incidents, response times and deadline compliance",
        description="Print one row per CA owner: incidents, open incidents, median response "
        "time to third-party bugs (95 % bootstrap interval), 72-hour initial-report and "
        "14-day full-report met rates (met / (met + missed)), questions answered late, Next "
        "update dates missed and median days to close. With --ca, that CA's incidents with "
        "their statuses and evidence links. Definitions: docs/methodology.md.",
    )
    parser.add_argument("--db", required=True, metavar="FILE", help="snapshot file")
    parser.add_argument("--ca", metavar="NAME",
                        help="one CA owner: its name in any case, the start of it, or the start "
                        "of its words; 'unattributed' lists the bugs without a CA")
    parser.add_argument("--since", metavar="YYYY-MM-DD",
                        help="only bugs filed on or after this ISO date")
    parser.add_argument("--include-excluded", action="store_true",
                        help="count INVALID, DUPLICATE and [meta] bugs too")
    parser.add_argument("--format", choices=("text", "csv", "json"), default="text",
                        help="output format (default: aligned text)")
    add_grouping_arguments(parser)
    add_corrections_argument(parser)
    parser.set_defaults(func=run, interrupted=READ_ONLY_INTERRUPTED)


def run(args: argparse.Namespace) -> int:
    # Imported here: every command module is loaded to build the parser, and pandas is slow.
    from bzanalytics.metrics import scorecard
    from bzanalytics.metrics.aggregate import GROUPING_LABELS, select
    from bzanalytics.outputs.scorecard_format import (
        INCIDENT_COLUMNS,
        SYNTHETIC_NOTE,
        as_json,
        format_text,
    )
    from bzanalytics.snapshot.frames import open_snapshot

    with open_snapshot(args.db, corrections=args.corrections) as snapshot:
        require_bugs(snapshot, args.db)
        warn(snapshot)
        incidents = snapshot.incidents(include_excluded=args.include_excluded)
        card = scorecard(incidents, since=args.since, ca=args.ca, group_by=args.group_by,
                         distrusted=args.distrusted, as_of=snapshot.as_of)
        rows = select(incidents, since=args.since, ca=args.ca, group_by=args.group_by,
                      as_of=snapshot.as_of) if args.ca else None
        meta = {"as_of": snapshot.as_of.isoformat(), "synthetic": snapshot.is_synthetic,
                "since": args.since, "ca": args.ca, "include_excluded": args.include_excluded,
                "group_by": args.group_by, "grouping": GROUPING_LABELS[args.group_by],
                "distrusted": args.distrusted, "corrections": _corrections_meta(snapshot),
                "incomplete": None if snapshot.pending is None else {"pending": snapshot.pending},
                "warnings": snapshot.warnings()}
        warn_corrections(snapshot)
    if args.format == "json":
        print(json.dumps(as_json(card, rows, meta), indent=1, ensure_ascii=False))
    elif args.format == "csv":
        if meta["synthetic"]:
            print(SYNTHETIC_NOTE, file=sys.stderr)
        print(f"grouped by {meta['grouping']}", file=sys.stderr)
        table = card if rows is None else rows[INCIDENT_COLUMNS]
        print(table.to_csv(index=False, date_format="%Y-%m-%dT%H:%M:%SZ"), end="")
    else:
        print(format_text(card, rows, meta))
    return 0




def _corrections_meta(snapshot) -> dict | None:
    corrections = snapshot.corrections
    if corrections is None:
        return None
    return {"file": corrections.path.name, "sha256": corrections.sha256,
            "rows": len(corrections.rows)}


def warn_corrections(snapshot) -> None:
    """Corrections that change nothing, on stderr (after the metrics were computed)."""
    for warning in snapshot.correction_warnings:
        print(f"bzanalytics: warning: {warning}", file=sys.stderr)
