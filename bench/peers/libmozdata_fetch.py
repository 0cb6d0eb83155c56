"""Fetch every bug of a component with comments and history through libmozdata's Bugzilla class.

Run by `bench/sync.py` under an interpreter that has libmozdata installed (a benchmark peer,
not a project dependency), so this file imports nothing from bzanalytics.

libmozdata (0.2.20) reads the server from its config when `libmozdata.bugzilla` is imported
(`BugzillaBase.URL = config.get("Bugzilla", "URL", ...)`), so the base URL is overridden the
supported way: `config.set_config(ConfigEnv())` with `LIBMOZDATA_CFG_BUGZILLA_URL` set, before
that import. `ConfigEnv` ignores values set with `set_default` when the caller passes a default,
hence the environment variables. A search query with comment and history handlers then sends:
  * one `GET /rest/bug?count_only=1` (plain `requests.get`),
  * ⌈B/100⌉ search pages (`limit=100&order=bug_id&offset=…`),
  * ⌈B/100⌉ `GET /rest/bug?id=…&include_fields=id` (its "remove private bugs" workaround),
  * ⌈B/100⌉ `GET /rest/bug/{first}/history?ids=…` and ⌈B/100⌉ `…/comment?ids=…`,
all through a `FuturesSession` with `cpu_count()` workers and `Connection: close`.
Prints one JSON object with the wall time and what was fetched; the caller counts requests and
bytes from the server's request log (some requests bypass the session, so no hook sees them all).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="base URL, e.g. http://127.0.0.1:8080")
    parser.add_argument("--product", default="CA Program")
    parser.add_argument("--component", default="CA Certificate Compliance")
    args = parser.parse_args(argv)

    os.environ["LIBMOZDATA_CFG_BUGZILLA_URL"] = args.url.rstrip("/")
    os.environ["LIBMOZDATA_CFG_USER-AGENT_NAME"] = "bzanalytics-bench/1 (benchmark peer)"
    from libmozdata import config

    config.set_config(config.ConfigEnv())
    from libmozdata.bugzilla import Bugzilla

    if not Bugzilla.API_URL.startswith(args.url.rstrip("/")):
        raise SystemExit(f"libmozdata still points at {Bugzilla.API_URL}")

    bugs: set[int] = set()
    counts = {"comments": 0, "history": 0}

    def on_bug(bug: dict) -> None:
        bugs.add(bug["id"])

    def on_comments(entry: dict, bug_id: str) -> None:
        counts["comments"] += len(entry["comments"])

    def on_history(entry: dict) -> None:
        counts["history"] += len(entry["history"])

    query = {"product": args.product, "component": args.component, "include_fields": "_default"}
    start = time.perf_counter()
    Bugzilla(
        bugids=[query],
        bughandler=on_bug,
        commenthandler=on_comments,
        historyhandler=on_history,
    ).get_data().wait()
    seconds = time.perf_counter() - start

    json.dump(
        {
            "peer": "libmozdata",
            "version": importlib.metadata.version("libmozdata"),
            "listed": len(bugs),
            "detailed": sorted(bugs),
            "comments": counts["comments"],
            "history": counts["history"],
            "seconds": {"all": seconds},
        },
        sys.stdout,
    )
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
