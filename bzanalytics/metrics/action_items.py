"""Action Items tracked to their due dates: one row per item per comment, linked across comments.

A later report or update that restates an item (same wording, or the same row in a later Full
report or Closure Summary) is linked to it; from the chain of statements come the first
completion, whether a due date passed while it stood (`slipped`), whether each change was
reported within 3 days (IRG 3.1), and the item's outcome. Definitions: methodology.md,
"Action Items".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import pandas as pd

from bzanalytics.metrics import rules
from bzanalytics.metrics.common import BMO, DAY, ca_only, evidence
from bzanalytics.parse.action_items import ActionItem, extract_action_items, says_all_complete

_UTC = "datetime64[us, UTC]"
#: report kinds whose rows may be matched by position (the template repeats the table)
POSITION_KINDS = ("full", "closure")
ITEM_COLUMNS = [
    "bug_id", "count", "report_kind", "item", "row", "form", "text", "kind", "root_cause",
    "criteria", "due_raw", "due", "due_precision", "status", "status_date", "match",
    "match_uncertain", "change", "change_time", "change_reported_within_3d", "change_rule",
    "evidence", "first_deadline", "latest_deadline", "completed_at", "completed_evidence",
    "canceled_at", "slipped", "on_time", "outcome", "item_change_reported_within_3d",
]
OUTCOMES = ("completed_on_time", "completed_late", "completed", "canceled", "overdue", "open")


@dataclass
class _Statement:
    """One row of one comment about one item, in comment order."""

    count: int
    time: pd.Timestamp
    kind: str | None
    item: ActionItem
    match: str
    change: str = "new"
    change_time: pd.Timestamp | None = None
    change_day: bool = False  # change_time is the start of a day, not an instant
    within: bool | None = None
    rule: str = rules.NONE


@dataclass
class _Item:
    number: int
    statements: list[_Statement] = field(default_factory=list)
    closed_by: tuple[pd.Timestamp, int] | None = None  # a closure statement (time, count)


def _deadline(day: date | None) -> pd.Timestamp | None:
    """The end of the last day a due date allows (its next UTC midnight)."""
    return None if day is None else pd.Timestamp(day, tz="UTC") + DAY


def _start(day: date | None) -> pd.Timestamp | None:
    return None if day is None else pd.Timestamp(day, tz="UTC")


def _link(items: list[_Item], comment: list[ActionItem], count: int, time: Any,
          kind: str | None, last_rows: dict[int, _Item]) -> dict[int, _Item]:
    """Attach each row of one comment to a known item (wording, then position) or a new one."""
    taken: set[int] = set()
    placed: dict[int, _Item] = {}
    for it in comment:
        match = next((x for x in items if x.number not in taken
                      and any(s.item.key == it.key for s in x.statements)), None)
        if match is not None:
            taken.add(match.number)
            placed[it.row] = match
            match.statements.append(_Statement(count, time, kind, it, "wording"))
    for it in comment:
        if it.row in placed:
            continue
        prior = last_rows.get(it.row) if kind in POSITION_KINDS else None
        if prior is not None and prior.number not in taken:
            taken.add(prior.number)
            placed[it.row] = prior
            prior.statements.append(_Statement(count, time, kind, it, "position"))
            continue
        new = _Item(len(items) + 1, [_Statement(count, time, kind, it, "origin")])
        items.append(new)
        placed[it.row] = new
    return placed


def _same_words_same_date(item: _Item) -> None:
    """A restatement that writes the due date in the same words as the last one means the same
    date: a year-less "May 28" restated months later is not next year's."""
    last: ActionItem | None = None
    for s in item.statements:
        it = s.item
        if last is not None and it.due_raw is not None and it.due_raw == last.due_raw:
            s.item = replace(it, due=last.due, due_precision=last.due_precision)
        if s.item.due_raw is not None:
            last = s.item


def _changes(item: _Item) -> None:
    """What each restatement changed, when the change happened if the text tells, and whether
    it was reported within 3 days (IRG 3.1)."""
    _same_words_same_date(item)
    standing_due: date | None = None
    status: str | None = None
    previous: _Statement | None = None
    for s in item.statements:
        it = s.item
        if previous is None:
            standing_due, status, previous = it.due, it.status, s
            continue
        # a status written for the first time as "Ongoing" (a v2 table has none) is no change
        new_status = it.status is not None and it.status != status and not (
            status is None and it.status == "Ongoing")
        new_date = it.due is not None and it.due != standing_due
        s.change = ("status+date" if new_status and new_date else "status" if new_status
                    else "date" if new_date else "none")
        if s.change != "none":
            deadline = _deadline(standing_due)
            if new_status and it.status == "Complete" and it.status_date is not None:
                s.change_time, s.change_day = _start(it.status_date), True
            elif (it.status not in ("Complete", "Canceled") and deadline is not None
                  and previous.time < deadline < s.time):
                s.change_time = deadline  # the standing due date passed: the item slipped then
            if s.change_time is not None and s.change_time >= rules.IRG_3_1:
                s.rule = rules.label_at(rules.ACTION_ITEM_CHANGES, s.change_time)
                late_from = s.change_time + (DAY if s.change_day else pd.Timedelta(0))
                if s.time - s.change_time <= rules.ACTION_ITEM_CHANGE_LIMIT:
                    s.within = True
                elif s.time - late_from > rules.ACTION_ITEM_CHANGE_LIMIT:
                    s.within = False
        if it.status is not None:
            status = it.status
        if it.due is not None:
            standing_due = it.due
        previous = s


def _item_facts(item: _Item, end: pd.Timestamp) -> dict[str, Any]:
    """completed_at, canceled_at, first/latest due, slipped, on_time and outcome of one item,
    observed up to `end` (T_resolved, or as_of for an open bug)."""
    sts = item.statements
    done = next((s for s in sts if s.item.status == "Complete"), None)
    completed_at = done.time if done is not None else None
    completed_count = done.count if done is not None else None
    if item.closed_by is not None and (completed_at is None or item.closed_by[0] < completed_at):
        completed_at, completed_count = item.closed_by
        done = None
    cancel = next((s for s in sts if s.item.status == "Canceled"
                   and (completed_at is None or s.time < completed_at)), None)
    canceled_at = cancel.time if cancel is not None else None
    if canceled_at is not None and item.closed_by is not None and done is None \
            and completed_at is not None and completed_at > canceled_at:
        completed_at = completed_count = None  # the closure statement does not revive it
    # when the work was done: the stated completion date, else the comment that says so
    finished = _start(done.item.status_date) if done is not None and \
        done.item.status_date is not None else completed_at
    dues = [(s.time, _deadline(s.item.due)) for s in sts if s.item.due is not None]
    first_due = dues[0][1] if dues else None
    latest_due = dues[-1][1] if dues else None
    unknowable = (done is sts[0] and done.item.status_date is None and first_due is not None
                  and first_due < done.time)
    stops = [t for t in (finished, canceled_at, end) if t is not None]
    slipped: bool | None = None
    if not unknowable:
        slipped = False
        for n, (_, deadline) in enumerate(dues):
            replaced = next((t for t, d in dues[n + 1:] if d != deadline), None)
            until = min([*stops, *([replaced] if replaced is not None else [])])
            if deadline < until and deadline < end:
                slipped = True
                break
    on_time: bool | None = None
    if first_due is not None and not unknowable and canceled_at is None:
        if finished is not None:
            on_time = finished <= first_due
        elif first_due < end:
            on_time = False
    if completed_at is not None:
        outcome = ("completed_on_time" if on_time else "completed" if on_time is None
                   else "completed_late")
    elif canceled_at is not None:
        outcome = "canceled"
    elif latest_due is not None and latest_due < end:
        outcome = "overdue"
    else:
        outcome = "open"
    return {"first_deadline": first_due, "latest_deadline": latest_due,
            "completed_at": completed_at,
            "completed_count": completed_count, "canceled_at": canceled_at,
            "slipped": slipped, "on_time": on_time, "outcome": outcome}


def find_items(comments: pd.DataFrame, t_resolved: pd.Series, as_of: pd.Timestamp,
               site: str = BMO) -> pd.DataFrame:
    """One row per Action Item per CA comment that states it (`ITEM_COLUMNS`).

    `comments` are public and in order (`common.public_comments`) with `role` and
    `report_kind`; `t_resolved` is indexed by bug_id.
    """
    ca = ca_only(comments)
    ca = ca.loc[ca["text"].str.contains("action item", case=False, regex=False)
                .fillna(False).to_numpy()]
    resolved = {int(b): t for b, t in t_resolved.dropna().items()}
    rows: list[dict[str, Any]] = []
    by_bug: dict[int, list[tuple[int, pd.Timestamp, str | None, str]]] = {}
    for b, c, t, k, text in zip(ca["bug_id"].tolist(), ca["count"].tolist(),
                                ca["time"].tolist(), ca["report_kind"].tolist(),
                                ca["text"].tolist(), strict=True):
        by_bug.setdefault(int(b), []).append((int(c), t, k if isinstance(k, str) else None, text))
    for bug, posts in by_bug.items():
        items: list[_Item] = []
        last_rows: dict[int, _Item] = {}
        for count, time, kind, text in posts:
            found = extract_action_items(text, time.to_pydatetime())
            if found:
                last_rows = _link(items, list(found), count, time, kind, last_rows)
            if says_all_complete(text):
                for item in items:
                    if item.closed_by is None:
                        item.closed_by = (time, count)
        end = min(resolved.get(bug, as_of), as_of)
        for item in items:
            _changes(item)
            facts = _item_facts(item, end)
            within = [s.within for s in item.statements if s.within is not None]
            for s in item.statements:
                rows.append(_row(bug, item, s, facts, within))
    return _frame(rows, site)


def _row(bug: int, item: _Item, s: _Statement, facts: dict[str, Any],
         within: list[bool]) -> dict[str, Any]:
    it = s.item
    return {
        "bug_id": bug, "count": s.count, "report_kind": s.kind, "item": item.number,
        "row": it.row, "form": it.form, "text": it.text, "kind": it.kind,
        "root_cause": it.root_cause, "criteria": it.criteria, "due_raw": it.due_raw,
        "due": _start(it.due), "due_precision": it.due_precision, "status": it.status,
        "status_date": _start(it.status_date), "match": s.match,
        "match_uncertain": s.match == "position", "change": s.change,
        "change_time": s.change_time, "change_reported_within_3d": s.within,
        "change_rule": s.rule, "first_deadline": facts["first_deadline"],
        "latest_deadline": facts["latest_deadline"],
        "completed_at": facts["completed_at"], "completed_count": facts["completed_count"],
        "canceled_at": facts["canceled_at"], "slipped": facts["slipped"],
        "on_time": facts["on_time"], "outcome": facts["outcome"],
        "item_change_reported_within_3d": (False if False in within else True if within
                                           else None),
    }


def _frame(rows: list[dict[str, Any]], site: str) -> pd.DataFrame:
    names = [n for n in ITEM_COLUMNS if n not in ("evidence", "completed_evidence")]
    frame = pd.DataFrame({n: [r[n] for r in rows] for n in [*names, "completed_count"]})
    frame["evidence"] = evidence(frame["bug_id"], frame["count"], site)
    frame["completed_evidence"] = evidence(frame["bug_id"], frame["completed_count"], site)
    times = ("due", "status_date", "change_time", "first_deadline", "latest_deadline",
             "completed_at", "canceled_at")
    for name in times:
        frame[name] = pd.to_datetime(frame[name], utc=True)
    types = {n: _UTC for n in times} | {
        "bug_id": "Int64", "count": "Int64", "report_kind": "str", "item": "Int64",
        "row": "Int64", "form": "str", "text": "str", "kind": "str", "root_cause": "str",
        "criteria": "str", "due_raw": "str", "due_precision": "str", "status": "str",
        "match": "str", "match_uncertain": "boolean", "change": "str",
        "change_reported_within_3d": "boolean", "change_rule": "str", "evidence": "str",
        "completed_evidence": "str", "slipped": "boolean", "on_time": "boolean",
        "outcome": "str", "item_change_reported_within_3d": "boolean",
    }
    return frame.astype(types)[ITEM_COLUMNS].reset_index(drop=True)


def per_bug(items: pd.DataFrame) -> pd.DataFrame:
    """Per-bug counts, indexed by bug_id: items, done, overdue, due (decided) and on time."""
    first = items.loc[items["match"].eq("origin").fillna(False).to_numpy()]
    flags = pd.DataFrame({
        "bug_id": first["bug_id"].astype("int64"),
        "action_items": 1,
        "action_items_done": first["completed_at"].notna().astype("int64"),
        "action_items_overdue": first["outcome"].eq("overdue").astype("int64"),
        "action_items_due": first["on_time"].notna().astype("int64"),
        "action_items_on_time": first["on_time"].fillna(False).astype("int64"),
    })
    return flags.groupby("bug_id").sum()


def waiting_on_ca(items: pd.DataFrame, comments: pd.DataFrame, open_bugs: pd.Index,
                  as_of: pd.Timestamp) -> pd.DataFrame:
    """The open Action Items of open bugs with no later word from the CA: one row per item
    whose outcome here is `open` or `overdue` (so completed and canceled items never appear),
    whose latest due date names a period (`latest_deadline`; "TBD" has none) and after whose
    deadline the CA has not commented. `overdue` is the outcome's own test (deadline before
    `as_of`), so this and the table cannot disagree. The attention list's
    `action_item_overdue` reads this.

    Columns: `bug_id`, `item`, `text`, `due_raw`, `due_precision` and `change` of the
    statement that set the standing due date, `due` (its deadline), `overdue`, `count`,
    `since` (that statement's time) and `evidence`; ordered by bug, due and item."""
    cols = ["bug_id", "item", "text", "due_raw", "due_precision", "change", "due", "overdue",
            "count", "since", "evidence"]
    last = items.drop_duplicates(["bug_id", "item"], keep="last")
    last = last.loc[last["outcome"].isin(("open", "overdue")).to_numpy()
                    & last["latest_deadline"].notna().to_numpy()
                    & last["bug_id"].astype("int64").isin(open_bugs).to_numpy()]
    ca = ca_only(comments)
    latest = ca.drop_duplicates("bug_id", keep="last").set_index("bug_id")["time"]
    spoke = pd.Series(latest.reindex(last["bug_id"].astype("int64")).to_numpy(),
                      index=last.index)
    last = last.loc[~(spoke > last["latest_deadline"]).fillna(False).to_numpy()]
    # the statement that set the standing date: the first of the trailing run with that date
    dated = items.loc[items["due"].notna().to_numpy()]
    dated = dated.loc[pd.MultiIndex.from_frame(dated[["bug_id", "item"]]).isin(
        pd.MultiIndex.from_frame(last[["bug_id", "item"]]))]
    shifted = dated.groupby(["bug_id", "item"])["due"].shift()
    setter = dated.loc[dated["due"].ne(shifted).fillna(True).to_numpy()]
    setter = setter.drop_duplicates(["bug_id", "item"], keep="last")
    times = ca.set_index(["bug_id", "count"])["time"]
    stated = times.reindex(pd.MultiIndex.from_arrays(
        [setter["bug_id"].astype("int64"), setter["count"].astype("int64")])).to_numpy()
    out = setter.assign(
        bug_id=setter["bug_id"].astype("int64"), due=setter["latest_deadline"],
        overdue=(setter["latest_deadline"] < as_of).to_numpy(dtype=bool),
        since=pd.to_datetime(pd.Series(stated, index=setter.index), utc=True))
    out = out.sort_values(["bug_id", "due", "item"], kind="stable")
    return out[cols].reset_index(drop=True)
