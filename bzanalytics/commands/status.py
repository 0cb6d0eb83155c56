"""`bzanalytics status --db FILE`: what a snapshot holds and where it came from."""

from __future__ import annotations

import argparse
import json
from typing import Any

from bzanalytics.bmo.client import redact_url
from bzanalytics.commands.common import READ_ONLY_INTERRUPTED
from bzanalytics.snapshot.store import SCHEMA_VERSION, Store


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "status",
        help="show what a snapshot holds: counts, last sync, BMO time, origins, content hash",
        description="Show the counts of bugs, comments, history changes and attachments, the "
        "last sync's start and finish, BMO's db_time, the last full pass, the bugs set aside, "
        "where the bugs came from and the snapshot's content hash (cite it to pin the data "
        "behind a figure).",
    )
    parser.add_argument("--db", required=True, metavar="FILE", help="snapshot file")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    parser.set_defaults(func=run, interrupted=READ_ONLY_INTERRUPTED)


def snapshot_status(store: Store) -> dict[str, Any]:
    """Everything `status` shows, as plain JSON-able values."""
    return {
        "path": str(store.path),
        "schema_version": SCHEMA_VERSION,
        "counts": store.counts(),
        "last_sync_started": store.get_state("last_sync_started"),
        "last_sync_finished": store.get_state("last_sync_finished"),
        "db_time": store.get_state("db_time"),
        "last_full_sync": store.get_state("last_full_sync"),
        "set_aside": {str(i): {"reason": r, "noticed": n} for i, (r, n) in store.aside().items()},
        "origins": {redact_url(origin): n for origin, n in store.origins().items()},
        "synthetic": store.synthetic_source(),
        "content_hash": store.content_hash(),
    }


def format_status(status: dict[str, Any]) -> str:
    counts = status["counts"]
    origins = ", ".join(f"{name} ({n:,} bugs)" for name, n in status["origins"].items())
    synthetic = status["synthetic"]
    lines = [
        ("snapshot", status["path"]),
        ("bugs", f"{counts['bugs']:,}"),
        ("comments", f"{counts['comments']:,} ({counts['private_comments']:,} private)"),
        ("history", f"{counts['history']:,} changes"),
        ("attachments", f"{counts['attachments']:,}"),
        ("last sync", _sync_line(status)),
        ("BMO db_time", status["db_time"] or "unknown"),
        ("last full pass", f"{status['last_full_sync']} (BMO time)"
         if status["last_full_sync"] else "never"),
        ("set aside", _aside_line(status["set_aside"])),
        ("origins", origins or "none"),
        ("synthetic", f"yes: {synthetic}" if synthetic else "no"),
        ("content hash", f"sha256:{status['content_hash']}"),
    ]
    return "\n".join(f"{label:<13} {value}" for label, value in lines)


def _aside_line(aside: dict[str, dict[str, str]]) -> str:
    if not aside:
        return "none"
    return (f"{len(aside):,} bugs that left the component or became invisible (kept, not "
            "analysed)")


def _sync_line(status: dict[str, Any]) -> str:
    started, finished = status["last_sync_started"], status["last_sync_finished"]
    if not started and not finished:
        return "never"
    text = f"started {started or 'unknown'}, "
    if finished and (not started or finished >= started):
        return text + f"finished {finished}"
    return text + "not finished (run `bzanalytics sync` again to resume)"


def run(args: argparse.Namespace) -> int:
    with Store.open(args.db, readonly=True) as store:
        status = snapshot_status(store)
    print(json.dumps(status, indent=2) if args.json else format_status(status))
    return 0
