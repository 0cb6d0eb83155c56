"""`bzanalytics fake-bmo --corpus DIR`: serve a corpus directory as a local BMO (demos, tests)."""

from __future__ import annotations

import argparse

from bzanalytics.commands.common import integer, seconds
from bzanalytics.errors import UsageError
from bzanalytics.testing.fakebmo import FakeBMO, serve_forever


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "fake-bmo",
        help="serve a corpus directory as a local fake BMO REST API on 127.0.0.1",
        description="Serve DIR (corpus.json + bugs.jsonl) on 127.0.0.1 the way BMO's REST API "
        "answers: search, comments, history, attachments, time, error envelopes, 414 over 8 KiB, "
        "keys with roles, and on demand faults and a rate-limit block. bugs.jsonl is re-read "
        "when it changes. Prints the URL, then serves until Ctrl-C. See docs/fake-bmo.md.",
    )
    parser.add_argument("--corpus", required=True, metavar="DIR", help="corpus directory")
    parser.add_argument("--port", type=integer(0, 65535), default=0,
                        help="port (default 0: any free one)")
    parser.add_argument("--latency-ms", type=milliseconds, default=0, metavar="L",
                        help="delay every answer by L milliseconds")
    parser.add_argument("--faults", metavar="SPEC",
                        help="e.g. 'all:0.1' or '503:0.05,drop:0.02,truncate:0.02,slow:0.1@500'")
    parser.add_argument("--fault-seed", type=integer(0), default=0, metavar="N",
                        help="seed for the fault draws (default 0)")
    parser.add_argument("--request-log", metavar="FILE",
                        help="append one JSON line per request (never the API key)")
    parser.add_argument("--limit-cap", type=integer(1), default=10_000, metavar="N",
                        help="the server's max_search_results (default 10000)")
    parser.add_argument("--rate-limit-after", type=integer(0), metavar="K",
                        help="block the address after K anonymous bug, comment or attachment "
                        "reads, which BMO counts (400 code 32000, then 429 for an hour)")
    parser.add_argument("--api-key", metavar="KEY",
                        help="a normal account's key: sees what BMO shows a logged-in user "
                        "without special groups (a made-up key, never a real one)")
    parser.add_argument("--insider-key", metavar="KEY",
                        help="an insider's key: also sees private comments, private "
                        "attachments and bugs in security groups")
    parser.add_argument("--require-key", action="store_true",
                        help="refuse anonymous requests (401, code 410)")
    parser.set_defaults(func=run)


def milliseconds(text: str) -> float:
    """argparse type: a finite number of milliseconds >= 0."""
    return seconds(text, unit="milliseconds")


def run(args: argparse.Namespace) -> int:
    if args.request_log:  # checked here, or the failure would read as a port problem
        try:
            with open(args.request_log, "a", encoding="utf-8"):
                pass
        except OSError as exc:
            raise UsageError(f"cannot write the request log {args.request_log}: "
                             f"{exc.strerror or exc}") from None
    fake = FakeBMO(args.corpus, port=args.port, latency_ms=args.latency_ms, faults=args.faults,
                   fault_seed=args.fault_seed, limit_cap=args.limit_cap,
                   rate_limit_after=args.rate_limit_after, api_key=args.api_key,
                   insider_key=args.insider_key,
                   require_key=args.require_key, request_log=args.request_log)
    try:
        serve_forever(fake, lambda url: print(f"fake BMO serving {args.corpus} at {url} "
                                              "(Ctrl-C to stop)", flush=True))
    except OSError as exc:
        raise UsageError(f"cannot serve on port {args.port}: {exc.strerror or exc}") from None
    return 0
