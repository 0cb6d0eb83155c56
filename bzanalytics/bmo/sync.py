"""The incremental sync: BMO's recipe (integration.rst, docs bmo-rest-api.md §1.10 and §4).

1. Read `db_time` first. 2. List ids with `order=bug_id` pages of 1,000 (stop on a short page),
restricted to `last_change_time >= previous db_time - 5 min` when a previous sync finished.
3. Fetch details by id in batches of at most 100 bugs and about 2,000 comments, comments, history
and attachment metadata in one request. 4. Save the new `db_time` only when everything is stored.

Each batch is saved in one transaction together with the list of ids still to fetch (`pending`),
so a killed sync resumes where it stopped: the next run fetches the pending ids plus whatever
changed since the interrupted run read its `db_time`, and refetches nothing else.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bzanalytics.bmo.client import BMOClient, RequestTooLong
from bzanalytics.errors import BMOError, RateLimited, UsageError
from bzanalytics.snapshot.store import Store

DEFAULT_PRODUCT = "CA Program"
DEFAULT_COMPONENT = "CA Certificate Compliance"
PAGE_SIZE = 1000
MAX_BATCH_BUGS = 100
MAX_BATCH_COMMENTS = 2000
OVERLAP = timedelta(minutes=5)  # replica lag and one-second timestamps (§1.10 step 2)
LIST_FIELDS = "id,last_change_time,comment_count"
DETAIL_FIELDS = "_default,comments,history,attachments"
DETAIL_EXCLUDE = "attachments.data"  # attachment bodies are base64 and never wanted
_FMT = "%Y-%m-%dT%H:%M:%SZ"

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): stage "listing" (total 0 = unknown) or "fetching"."""


@dataclass(frozen=True)
class SyncResult:
    requests: int  # HTTP requests sent, retries included
    bugs_listed: int  # ids the search returned
    bugs_fetched: int  # bug objects the detail batches returned
    bugs_stored: int  # bugs written to the snapshot
    not_visible: int  # requested ids BMO left out (invisible now; kept, not deleted)
    elapsed: float  # seconds
    db_time: str  # BMO's clock at the start of this run: the snapshot is current as of it
    incremental: bool  # False when every id was listed (first sync)
    resumed: int  # ids carried over from an interrupted sync


@dataclass(frozen=True)
class Listed:
    """One line of an id page."""

    last_change_time: str
    comment_count: int


def sync(client: BMOClient, store: Store, *, product: str = DEFAULT_PRODUCT,
         component: str = DEFAULT_COMPONENT, progress: Progress | None = None,
         clock: Callable[[], float] = time.monotonic) -> SyncResult:
    """Bring `store` up to date with BMO's bugs of product/component; see the module docstring.

    A rate limit stops at once with `RateLimited` (nothing stored is lost; run again later).
    """
    started, sent_before = clock(), client.requests_sent
    scope = json.dumps([product, component])
    known_scope = store.get_state("scope")
    if known_scope and known_scope != scope:
        raise UsageError(f"{store.path} holds {' :: '.join(json.loads(known_scope))}; "
                         f"use another --db for {product} :: {component}")
    try:
        outcome = _run(client, store, product, component, scope, progress or _silent)
    except RateLimited as exc:
        stored = store.counts()["bugs"]
        raise RateLimited(
            f"BMO blocked this address for about an hour ({exc}). {stored:,} bugs are stored "
            "and nothing is lost; wait an hour, then run `bzanalytics sync` again to resume.",
            status=exc.status, code=exc.code) from None
    return SyncResult(requests=client.requests_sent - sent_before, elapsed=clock() - started,
                      **outcome)


def _silent(stage: str, done: int, total: int) -> None:
    """The default progress callback: the library prints nothing."""


def _run(client: BMOClient, store: Store, product: str, component: str, scope: str,
         progress: Progress) -> dict:
    started_at = _utc_now()
    pending_time, pending = load_pending(store)
    previous = pending_time or store.get_state("db_time")
    now = client.db_time()
    since = overlap_start(previous) if previous else None
    listed = list_ids(client, product, component, since, progress)
    wanted = choose(listed, store.change_times(), pending)
    if pending:
        log.info("resuming an interrupted sync: %d bugs were still to fetch", len(pending))
    fetched = stored = missing = 0
    batches = plan_batches(wanted)

    def final() -> dict[str, str]:
        return {"db_time": now, "pending": "", "scope": scope, "last_sync_started": started_at,
                "last_sync_finished": _utc_now()}

    progress("fetching", 0, len(wanted))
    for number, batch in enumerate(batches):
        requested = set(batch)
        bugs = [bug for bug in fetch_batch(client, batch) if bug.get("id") in requested]
        returned = {bug["id"] for bug in bugs}
        invisible = [bug_id for bug_id in batch if bug_id not in returned]
        if invisible:
            log.info("%d bugs not visible to this account (kept as stored): %s",
                     len(invisible), invisible)
        left = [b for later in batches[number + 1:] for b in later]
        state = final() if not left else {
            "pending": dump_pending(now, {i: wanted[i] for i in left}), "scope": scope,
            "last_sync_started": started_at}
        stored += store.save_bugs(bugs, origin=client.url, fetched_at=_utc_now(), state=state)
        fetched, missing = fetched + len(bugs), missing + len(invisible)
        progress("fetching", sum(len(b) for b in batches[: number + 1]), len(wanted))
    if not batches:
        store.save_bugs([], origin=client.url, fetched_at=_utc_now(), state=final())
    return {"bugs_listed": len(listed), "bugs_fetched": fetched, "bugs_stored": stored,
            "not_visible": missing, "db_time": now, "incremental": since is not None,
            "resumed": len(pending)}


def overlap_start(db_time: str) -> str:
    """`db_time` minus the five-minute overlap, in BMO's timestamp format."""
    return (_parse(db_time) - OVERLAP).strftime(_FMT)


def list_ids(client: BMOClient, product: str, component: str, since: str | None,
             progress: Progress) -> dict[int, Listed]:
    """Page through the search by `order=bug_id`, 1,000 at a time, until a short page."""
    listed: dict[int, Listed] = {}
    offset = 0
    while True:
        params = [("product", product), ("component", component)]
        if since:
            params.append(("last_change_time", since))
        params += [("include_fields", LIST_FIELDS), ("order", "bug_id"),
                   ("limit", str(PAGE_SIZE)), ("offset", str(offset))]
        page = client.search(params)
        for bug in page:
            try:
                listed[int(bug["id"])] = Listed(str(bug.get("last_change_time") or ""),
                                                int(bug.get("comment_count") or 0))
            except (KeyError, TypeError, ValueError):
                raise BMOError(f"BMO's search returned a malformed bug: {bug!r:.200}") from None
        progress("listing", len(listed), 0)
        if len(page) < PAGE_SIZE:
            return listed
        offset += PAGE_SIZE


def choose(listed: dict[int, Listed], stored: dict[int, str],
           pending: dict[int, Listed]) -> dict[int, Listed]:
    """Ids to fetch: everything pending, plus listed bugs not stored or changed at or after the
    stored time (equal times are refetched: several changes can share one second)."""
    wanted = dict(pending)
    for bug_id, item in listed.items():
        if bug_id not in stored or item.last_change_time >= stored[bug_id]:
            wanted[bug_id] = item
    return dict(sorted(wanted.items()))


def plan_batches(wanted: dict[int, Listed], max_bugs: int | None = None,
                 max_comments: int | None = None) -> list[list[int]]:
    """Consecutive ids, cut before a batch would pass `max_bugs` bugs or `max_comments`
    comments (a bug with more comments than that gets a batch of its own)."""
    max_bugs = max_bugs or MAX_BATCH_BUGS
    max_comments = max_comments or MAX_BATCH_COMMENTS
    batches: list[list[int]] = []
    batch: list[int] = []
    comments = 0
    for bug_id, item in wanted.items():
        if batch and (len(batch) >= max_bugs or comments + item.comment_count > max_comments):
            batches.append(batch)
            batch, comments = [], 0
        batch.append(bug_id)
        comments += item.comment_count
    if batch:
        batches.append(batch)
    return batches


def fetch_batch(client: BMOClient, ids: list[int]) -> list[dict]:
    """Details for `ids` in one request; halves the batch when BMO says the URL is too long."""
    try:
        return client.search([("id", ",".join(map(str, ids))),
                              ("include_fields", DETAIL_FIELDS),
                              ("exclude_fields", DETAIL_EXCLUDE)])
    except RequestTooLong:
        if len(ids) == 1:
            raise
        half = len(ids) // 2
        log.info("request too long for %d ids; splitting the batch", len(ids))
        return fetch_batch(client, ids[:half]) + fetch_batch(client, ids[half:])


def dump_pending(db_time: str, items: dict[int, Listed]) -> str:
    return json.dumps({"db_time": db_time,
                       "ids": [[i, item.last_change_time, item.comment_count]
                               for i, item in items.items()]})


def load_pending(store: Store) -> tuple[str | None, dict[int, Listed]]:
    """The interrupted run's db_time and the ids it had not fetched yet (or None, {})."""
    text = store.get_state("pending")
    if not text:
        return None, {}
    try:
        data = json.loads(text)
        return str(data["db_time"]), {int(i): Listed(str(t), int(c)) for i, t, c in data["ids"]}
    except (ValueError, KeyError, TypeError):
        log.warning("ignoring unreadable pending sync state; listing everything changed since "
                    "the last finished sync")
        return None, {}


def _parse(text: str) -> datetime:
    return datetime.strptime(text, _FMT).replace(tzinfo=UTC)


def _utc_now() -> str:
    return datetime.now(UTC).strftime(_FMT)


def describe(result: SyncResult, db_path: object) -> str:
    """The one-line summary the CLI prints."""
    kind = "incremental" if result.incremental else "full"
    extra = f", {result.not_visible:,} not visible" if result.not_visible else ""
    if result.resumed:
        extra += f", {result.resumed:,} resumed"
    return (f"{kind} sync: {result.bugs_listed:,} bugs listed, {result.bugs_stored:,} stored"
            f"{extra}; {result.requests} requests in {result.elapsed:.1f} s; {db_path} is "
            f"current as of {result.db_time}")

