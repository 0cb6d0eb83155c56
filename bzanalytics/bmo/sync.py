"""The incremental sync: BMO's recipe (integration.rst, docs bmo-rest-api.md §1.10 and §4).

1. Read `db_time` first. 2. List ids with `order=bug_id` pages of 1,000 (stop on a short page),
restricted to `last_change_time >= previous db_time - OVERLAP` when a previous sync finished.
3. Fetch details by id in batches of at most 100 bugs and about 2,000 comments, comments, history
and attachment metadata in one request. 4. Save the new `db_time` only when everything is stored.

Convergence: the snapshot must end up as a fresh sync would make it.
* BMO changes some things without touching `last_change_time` (comment edits, comment tags,
  comments hidden as spam), which no incremental listing can see. So a **full pass** (every
  listed bug refetched) runs on `full=True` and by itself when the last one is older than
  `refresh_days` (default 7).
* A bug that leaves the component (moved, or hidden in a security group) drops out of the
  listing. A plain sync compares BMO's `count_only` for the component with what the snapshot
  holds; on a mismatch (and on every full pass) it lists every id, asks the stored ids the
  listing lacks for by id (hundreds per request), and sets aside those that now belong
  elsewhere or are invisible: out of `bugs()`, the metrics and the content hash, kept in the
  store's `aside_*` tables, and back when the bug returns.

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
from bzanalytics.errors import BMOError, RateLimited, TransportError, UsageError
from bzanalytics.snapshot.store import Store

DEFAULT_PRODUCT = "CA Program"
DEFAULT_COMPONENT = "CA Certificate Compliance"
PAGE_SIZE = 1000
MAX_BATCH_BUGS = 100
MAX_BATCH_COMMENTS = 2000
ASK_BATCH = 500  # stored-but-unlisted ids asked per request: ~5 KB of URL, under BMO's 8 KiB
# How far before the previous db_time the listing starts. BMO answers searches from a replica
# (Bugzilla->switch_to_shadow_db) and /rest/time from the primary, so a change made just before
# the previous db_time may not have reached the replica when that sync listed. integration.rst
# suggests 5 minutes; an hour covers replica hiccups too and costs next to nothing here (it only
# refetches the few bugs changed in that hour). Anything later still is caught by the full pass.
OVERLAP = timedelta(hours=1)
REFRESH_DAYS = 7.0  # a full pass when the last one is at least this old (BMO's db_time)
LIST_FIELDS = "id,last_change_time,comment_count"
ASK_FIELDS = "id,product,component,last_change_time,comment_count"
DETAIL_FIELDS = "_default,comments,history,attachments"
DETAIL_EXCLUDE = "attachments.data"  # attachment bodies are base64 and never wanted
NOT_VISIBLE = "not visible"  # the reason a bug BMO no longer shows is set aside
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
    not_visible: int  # requested ids BMO left out (invisible now: set aside)
    elapsed: float  # seconds
    db_time: str  # BMO's clock at the start of this run: the snapshot is current as of it
    incremental: bool  # False for a full pass (every listed bug refetched)
    resumed: int  # ids carried over from an interrupted sync
    set_aside: int = 0  # bugs that left the component or became invisible, moved aside
    full_reason: str = ""  # why this run was a full pass ("first sync", "--full", ...)


@dataclass(frozen=True)
class Listed:
    """One line of an id page."""

    last_change_time: str
    comment_count: int


def sync(client: BMOClient, store: Store, *, product: str = DEFAULT_PRODUCT,
         component: str = DEFAULT_COMPONENT, progress: Progress | None = None,
         clock: Callable[[], float] = time.monotonic, full: bool = False,
         refresh_days: float = REFRESH_DAYS) -> SyncResult:
    """Bring `store` up to date with BMO's bugs of product/component; see the module docstring.

    `full` refetches every bug; otherwise a full pass happens when the last one is at least
    `refresh_days` old. A rate limit stops at once with `RateLimited` (nothing stored is lost;
    run again later).
    """
    if not refresh_days >= 0:
        raise UsageError(f"the refresh interval must be a number of days >= 0, not "
                         f"{refresh_days!r}")
    started, sent_before = clock(), client.requests_sent
    scope = json.dumps([product, component])
    known_scope = store.get_state("scope")
    if known_scope and known_scope != scope:
        raise UsageError(f"{store.path} holds {' :: '.join(json.loads(known_scope))}; "
                         f"use another --db for {product} :: {component}")
    try:
        outcome = _run(client, store, (product, component), scope, progress or _silent,
                       full, refresh_days)
    except RateLimited as exc:
        stored = store.counts()["bugs"]
        raise RateLimited(
            f"BMO blocked this address for about an hour ({exc}). {stored:,} bugs are stored "
            "and nothing is lost; wait an hour, then run `bzanalytics sync` again to resume.",
            status=exc.status, code=exc.code) from None
    except TransportError as exc:
        stored = store.counts()["bugs"]
        if not stored:
            raise
        raise TransportError(f"{exc}. {stored:,} bugs are stored and nothing is lost; run "
                             "`bzanalytics sync` again to resume.", status=exc.status) from None
    return SyncResult(requests=client.requests_sent - sent_before, elapsed=clock() - started,
                      **outcome)


def _silent(stage: str, done: int, total: int) -> None:
    """The default progress callback: the library prints nothing."""


def full_pass_reason(store: Store, now: str, full: bool, refresh_days: float) -> str:
    """Why this run must refetch everything, or "" for an incremental run."""
    if full:
        return "--full"
    if not store.get_state("db_time"):
        return "first sync"
    last = store.get_state("last_full_sync")
    if not last:
        return "no full pass recorded"
    if _parse(now) - _parse(last) >= timedelta(days=refresh_days):
        return f"last full pass {last} is over {refresh_days:g} days old"
    return ""


def _run(client: BMOClient, store: Store, where: tuple[str, str], scope: str,
         progress: Progress, full: bool, refresh_days: float) -> dict:
    started_at = _utc_now()
    pending_time, pending, pending_full = load_pending(store)
    previous = pending_time or store.get_state("db_time")
    now = client.db_time()
    reason = "resumed full pass" if pending_full else full_pass_reason(store, now, full,
                                                                        refresh_days)
    full_pass = bool(reason)
    fresh_full = full_pass and not pending_full  # a resumed one has its rest in `pending`
    listed = list_ids(client, *where, None if fresh_full or not previous
                      else overlap_start(previous), progress)
    stored = store.bug_ids()
    if not listed and not stored and not pending and not previous:
        check_scope(client, *where)  # nothing anywhere: most often a mistyped name
    if fresh_full:  # refetch every listed bug
        wanted = dict(sorted({**listed, **pending}.items()))
        complete: dict[int, Listed] | None = listed
    else:
        wanted = choose(listed, store.change_times(), pending)
        complete = None
        expected = len(stored | listed.keys() | pending.keys())
        if client.count([("product", where[0]), ("component", where[1])]) != expected:
            log.info("BMO's count for the component differs from the snapshot's: listing "
                     "every id")
            complete = list_ids(client, *where, None, progress)
            wanted = dict(sorted({**wanted, **{i: item for i, item in complete.items()
                                                if i not in stored}}.items()))
    leaving: dict[int, str] = {}
    if complete is not None:
        unlisted = sorted(stored - complete.keys() - wanted.keys())
        found, leaving = ask_unlisted(client, unlisted, where)
        wanted = dict(sorted({**wanted, **found}.items()))
    if pending:
        log.info("resuming an interrupted sync: %d bugs were still to fetch", len(pending))
    fetched = saved = missing = 0
    batches = plan_batches(wanted)
    first_time = pending_time if pending_full else now

    def final() -> dict[str, str]:
        state = {"db_time": now, "pending": "", "scope": scope, "last_sync_started": started_at,
                 "last_sync_finished": _utc_now()}
        if full_pass:
            state["last_full_sync"] = first_time or now
        return state

    progress("fetching", 0, len(wanted))
    for number, batch in enumerate(batches):
        requested = set(batch)
        bugs = []
        for bug in fetch_batch(client, batch):
            if bug.get("id") not in requested:
                continue
            if (bug.get("product"), bug.get("component")) != where:
                leaving[bug["id"]] = moved_to(bug)
            else:
                bugs.append(bug)
        returned = {bug["id"] for bug in bugs} | leaving.keys()
        invisible = [bug_id for bug_id in batch if bug_id not in returned]
        if invisible:
            log.info("%d bugs not visible to this account (set aside): %s",
                     len(invisible), invisible)
            leaving.update(dict.fromkeys(invisible, NOT_VISIBLE))
        left = [b for later in batches[number + 1:] for b in later]
        state = final() if not left else {
            "pending": dump_pending(now if not pending_full else first_time,
                                    {i: wanted[i] for i in left}, full_pass),
            "scope": scope, "last_sync_started": started_at}
        if not left and leaving:  # set aside before the final state is written
            store.set_aside(leaving, noticed=now)
        saved += store.save_bugs(bugs, origin=client.url, fetched_at=_utc_now(), state=state)
        fetched, missing = fetched + len(bugs), missing + len(invisible)
        progress("fetching", sum(len(b) for b in batches[: number + 1]), len(wanted))
    if not batches:
        if leaving:
            store.set_aside(leaving, noticed=now)
        store.save_bugs([], origin=client.url, fetched_at=_utc_now(), state=final())
    aside = sum(1 for bug_id in leaving if bug_id in stored)
    return {"bugs_listed": len(listed), "bugs_fetched": fetched, "bugs_stored": saved,
            "not_visible": missing, "db_time": now, "incremental": not full_pass,
            "resumed": len(pending), "set_aside": aside, "full_reason": reason}


def moved_to(bug: dict) -> str:
    return f"moved to {bug.get('product')} :: {bug.get('component')}"


def ask_unlisted(client: BMOClient, ids: list[int], where: tuple[str, str]
                 ) -> tuple[dict[int, Listed], dict[int, str]]:
    """Ask BMO by id about stored bugs the listing lacks, `ASK_BATCH` ids a request. Returns
    the ones still in the component (to refetch) and the reasons the others left."""
    found: dict[int, Listed] = {}
    leaving: dict[int, str] = {}
    for start in range(0, len(ids), ASK_BATCH):
        batch = ids[start:start + ASK_BATCH]
        answer = _search_split(client, batch, ASK_FIELDS, None)
        seen = {bug.get("id"): bug for bug in answer}
        for bug_id in batch:
            bug = seen.get(bug_id)
            if bug is None:
                leaving[bug_id] = NOT_VISIBLE
            elif (bug.get("product"), bug.get("component")) != where:
                leaving[bug_id] = moved_to(bug)
            else:
                found[bug_id] = Listed(str(bug.get("last_change_time") or ""),
                                       int(bug.get("comment_count") or 0))
    if leaving:
        log.info("%d stored bugs left %s :: %s or became invisible: %s", len(leaving),
                 *where, sorted(leaving))
    return found, leaving


def check_scope(client: BMOClient, product: str, component: str) -> None:
    """Raise `UsageError` when BMO has no such product or component (an empty first listing is
    most often a typo). BMO answers `/rest/product?names=` case-insensitively, with an empty list
    for a product that does not exist or that this account cannot see."""
    answer = client.get("/rest/product", [("names", product),
                                          ("include_fields", "name,components.name")])
    products = answer.get("products") if isinstance(answer, dict) else None
    if not isinstance(products, list):
        raise BMOError("BMO's /rest/product answer has no products list")
    if not products:
        raise UsageError(f"BMO has no product {product!r} (none visible to this account); "
                         f"check --product (the default is {DEFAULT_PRODUCT!r})")
    name = str(products[0].get("name"))
    components = [str(c.get("name")) for c in products[0].get("components") or []
                  if isinstance(c, dict)]
    if name != product:
        raise UsageError(f"BMO spells the product {name!r}, not {product!r}: use --product "
                         f"{name!r}")
    if component not in components:
        close = [c for c in components if c.lower() == component.lower()]
        hint = (f"; did you mean {close[0]!r}?" if close else
                f" (check --component; the default is {DEFAULT_COMPONENT!r})")
        raise UsageError(f"BMO's product {name!r} has no component {component!r}{hint}")


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
            except (AttributeError, KeyError, TypeError, ValueError):  # not an object, no id
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
    return _search_split(client, ids, DETAIL_FIELDS, DETAIL_EXCLUDE)


def _search_split(client: BMOClient, ids: list[int], fields: str,
                  exclude: str | None) -> list[dict]:
    params = [("id", ",".join(map(str, ids))), ("include_fields", fields)]
    if exclude:
        params.append(("exclude_fields", exclude))
    try:
        return client.search(params)
    except RequestTooLong:
        if len(ids) == 1:
            raise
        half = len(ids) // 2
        log.info("request too long for %d ids; splitting the batch", len(ids))
        return (_search_split(client, ids[:half], fields, exclude)
                + _search_split(client, ids[half:], fields, exclude))


def dump_pending(db_time: str, items: dict[int, Listed], full: bool = False) -> str:
    return json.dumps({"db_time": db_time, "full": full,
                       "ids": [[i, item.last_change_time, item.comment_count]
                               for i, item in items.items()]})


def load_pending(store: Store) -> tuple[str | None, dict[int, Listed], bool]:
    """The interrupted run's db_time, the ids it had not fetched yet, and whether it was a
    full pass (or None, {}, False)."""
    text = store.get_state("pending")
    if not text:
        return None, {}, False
    try:
        data = json.loads(text)
        return (str(data["db_time"]),
                {int(i): Listed(str(t), int(c)) for i, t, c in data["ids"]},
                bool(data.get("full")))
    except (ValueError, KeyError, TypeError):
        log.warning("ignoring unreadable pending sync state; listing everything changed since "
                    "the last finished sync")
        return None, {}, False


def _parse(text: str) -> datetime:
    return datetime.strptime(text, _FMT).replace(tzinfo=UTC)


def _utc_now() -> str:
    return datetime.now(UTC).strftime(_FMT)


def describe(result: SyncResult, db_path: object) -> str:
    """The one-line summary the CLI prints."""
    extra = f", {result.not_visible:,} not visible" if result.not_visible else ""
    if result.set_aside:
        extra += f", {result.set_aside:,} left the component or became invisible (set aside)"
    if result.resumed:
        what = (f"resumed an interrupted sync: {result.resumed:,} bugs were left to fetch and "
                f"{result.bugs_listed:,} changed since it started; {result.bugs_stored:,} "
                "stored")
    else:
        kind = "incremental" if result.incremental else "full"
        if result.full_reason and result.full_reason not in ("first sync", "--full"):
            kind += f" ({result.full_reason})"
        what = (f"{kind} sync: {result.bugs_listed:,} bugs listed, {result.bugs_stored:,} "
                "stored")
    return (f"{what}{extra}; {result.requests} requests in {result.elapsed:.1f} s; {db_path} is "
            f"current as of {result.db_time}")
