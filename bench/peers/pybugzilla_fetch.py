"""Fetch every bug of a component with comments and history the way python-bugzilla does it.

Run by `bench/sync.py` under an interpreter that has python-bugzilla installed (it is a
benchmark peer, not a project dependency), so this file imports nothing from bzanalytics.

Through python-bugzilla's public API (3.3.0, REST backend) that means:
  * `Bugzilla(url, force_rest=True)`: one `GET /rest/version` at connect time;
  * `query(build_query(product, component, limit))` with `order`/`offset` added, paged until a
    short page (without paging BMO silently caps a search at 10,000 bugs);
  * `get_comments([id])` and `bugs_history_raw([id])` per bug: its REST backend loops and sends
    one `GET /rest/bug/{id}/comment` and one `GET /rest/bug/{id}/history` per id even when handed
    a list ("XMLRPC supported multiple fetch at once, but not REST").

`--batch N` is the other way its public API allows: `getbugs(ids, include_fields=["_default",
"comments", "history"])` on N ids at a time, one `GET /rest/bug?id=…&id=…` per batch, since BMO
returns comments and history as extra fields of Bug.get. Its documentation does not present this
as the way to get comments and history; the benchmark runs it to separate the usage pattern from
the library.

`--sample N` fetches comments and history for a seeded random sample of N of the listed bugs
only, so the caller can extrapolate the per-bug phase linearly; the listing is always complete.
Prints one JSON object: the seconds of each phase (listing, per-bug detail), what was fetched
and which bugs were detailed, so the caller can check it against the corpus and scale the
per-bug phase; requests and bytes come from the server's request log.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time

import bugzilla


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="base URL, e.g. http://127.0.0.1:8080")
    parser.add_argument("--product", default="CA Program")
    parser.add_argument("--component", default="CA Certificate Compliance")
    parser.add_argument("--page", type=int, default=1000, help="search page size")
    parser.add_argument("--sample", type=int, default=None, help="bugs to fetch details for")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=0,
                        help="fetch details with getbugs() on this many ids at a time")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    bz = bugzilla.Bugzilla(args.url.rstrip("/") + "/rest/", force_rest=True, use_creds=False)
    ids: list[int] = []
    while True:
        query = bz.build_query(product=args.product, component=args.component, limit=args.page)
        query["order"] = "bug_id"
        query["offset"] = len(ids)
        page = bz.query(query)
        ids.extend(bug.id for bug in page)
        if len(page) < args.page:
            break
    list_seconds = time.perf_counter() - start

    chosen = ids if args.sample is None or args.sample >= len(ids) else sorted(
        random.Random(args.seed).sample(ids, args.sample)
    )
    start = time.perf_counter()
    comments = history = 0
    if args.batch:
        for at in range(0, len(chosen), args.batch):
            fields = ["_default", "comments", "history"]
            for bug in bz.getbugs(chosen[at:at + args.batch], include_fields=fields):
                raw = bug.get_raw_data()
                comments += len(raw["comments"])
                history += len(raw["history"])
    else:
        for bug_id in chosen:
            answer = bz.get_comments([bug_id])
            comments += sum(len(b["comments"]) for b in answer["bugs"].values())
            changes = bz.bugs_history_raw([bug_id])
            history += sum(len(b["history"]) for b in changes["bugs"])
    detail_seconds = time.perf_counter() - start

    json.dump(
        {
            "peer": "python-bugzilla" + (f" getbugs×{args.batch}" if args.batch else ""),
            "version": bugzilla.__version__,
            "listed": len(ids),
            "detailed": chosen,
            "comments": comments,
            "history": history,
            "seconds": {"list": list_seconds, "detail": detail_seconds},
        },
        sys.stdout,
    )
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
