"""`bzanalytics sync --db FILE`: fetch new and changed bugs from BMO into a snapshot."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from bzanalytics.bmo.client import DEFAULT_URL, BMOClient
from bzanalytics.bmo.sync import (
    DEFAULT_COMPONENT,
    DEFAULT_PRODUCT,
    REFRESH_DAYS,
    describe,
    sync,
)
from bzanalytics.commands.common import integer, positive_seconds, seconds
from bzanalytics.errors import UsageError
from bzanalytics.progress import ProgressBar
from bzanalytics.snapshot.lock import writing

KEY_ENV = "BUGZILLA_API_KEY"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sync",
        help="fetch new and changed bugs from BMO into a snapshot (resumable)",
        description="Bring a snapshot up to date with BMO: the first run fetches every bug of "
        "the component (about 25 requests for 2,000 bugs), later runs only what changed "
        "(3-4 requests), and every --refresh-days a full pass refetches everything, since BMO "
        "changes comment edits and tags without touching a bug's last change time. Bugs that "
        "left the component or became invisible are set aside. An interrupted or rate-limited "
        "run resumes where it stopped. An API "
        f"key is optional: it is read from ${KEY_ENV} or --api-key-file and sent only in the "
        "X-BUGZILLA-API-KEY header. Exit codes: 3 rate-limited (wait an hour), 4 key refused, "
        "8 BMO unreachable.",
    )
    parser.add_argument("--db", required=True, metavar="FILE",
                        help="snapshot file (created when missing)")
    parser.add_argument("--url", default=DEFAULT_URL, help=f"BMO base URL (default {DEFAULT_URL})")
    parser.add_argument("--product", default=DEFAULT_PRODUCT,
                        help=f"product (default {DEFAULT_PRODUCT!r})")
    parser.add_argument("--component", default=DEFAULT_COMPONENT,
                        help=f"component (default {DEFAULT_COMPONENT!r})")
    parser.add_argument("--min-interval", type=seconds, default=1.0, metavar="S",
                        help="seconds between request starts (default 1; be kind to BMO)")
    parser.add_argument("--api-key-file", type=Path, metavar="F",
                        help=f"file holding a BMO API key (default: ${KEY_ENV} if set)")
    parser.add_argument("--contact", metavar="EMAIL",
                        help="contact address added to the User-Agent, so BMO admins can reach you")
    parser.add_argument("--timeout", type=positive_seconds, default=120.0, metavar="S",
                        help="seconds to wait for one answer, more than 0 (default 120)")
    parser.add_argument("--max-tries", type=integer(1, 20), default=4, metavar="N",
                        help="tries per request on transient faults, 1 to 20 (default 4)")
    parser.add_argument("--full", action="store_true",
                        help="refetch every bug (catches comment edits and tags, which BMO "
                        "makes without changing a bug's last change time; ~25 requests for "
                        "2,000 bugs)")
    parser.add_argument("--refresh-days", type=days, default=REFRESH_DAYS, metavar="D",
                        help=f"do a full pass by itself when the last one is at least D days "
                        f"old (default {REFRESH_DAYS:g}; 0 = every time)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    parser.set_defaults(func=run, interrupted="every batch stored so far is kept; run "
                        "`bzanalytics sync` again to resume")


def days(text: str) -> float:
    """argparse type: a finite number of days >= 0."""
    return seconds(text, unit="days")


def read_api_key(key_file: Path | None) -> str | None:
    """The key from --api-key-file, else from the environment; None means anonymous."""
    if key_file is not None:
        try:
            key = key_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise UsageError(f"cannot read the API key file {key_file}: "
                             f"{exc.strerror or exc}") from None
        if not key:
            raise UsageError(f"the API key file {key_file} is empty")
        return key
    return os.environ.get(KEY_ENV, "").strip() or None


def run(args: argparse.Namespace) -> int:
    client = BMOClient(args.url, api_key=read_api_key(args.api_key_file),
                       min_interval=args.min_interval, timeout=(min(10.0, args.timeout),
                                                                args.timeout),
                       max_tries=args.max_tries, contact=args.contact)
    bar = ProgressBar(enabled=False if args.quiet else None)
    try:
        with writing(args.db, "sync") as store:
            result = sync(client, store, product=args.product, component=args.component,
                          progress=bar, full=args.full, refresh_days=args.refresh_days)
    finally:
        bar.close()
    if not args.quiet:
        print(describe(result, args.db))
    return 0
