"""What needs a reviewer's attention now: one item per open bug and obligation, most urgent first.

Every clock is one the other tables already run (methodology.md, "Attention"): the 72-hour and
14-day deadlines are the incidents table's `*_due` and `*_status`, an unanswered question is the
questions table's `late`, a Next update the promises table's `missed`, a silent CA the counted
trailing gap of `update_gaps`. So an item and the incident's status cannot disagree.
`obligations` runs inside `metrics.measure` (it reads comments and the Whiteboard's past values);
`attention` then keeps what is overdue or due soon and adds the new bugs.

Kinds are the rows of `KINDS`: a new kind is one `Kind` with a builder reading the `Context`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from bzanalytics.metrics import action_items, cadence, rules
from bzanalytics.metrics.common import BMO, FOREVER, HOUR, ca_only, evidence

OBLIGATION_COLUMNS = [
    "bug_id", "kind", "due", "overdue", "since", "since_event", "evidence", "rule", "note",
]
ITEM_COLUMNS = [
    "bug_id", "summary", "ca", "kind", "state", "due", "hours_overdue", "since", "since_event",
    "evidence", "rule", "source", "note",
]
#: in order of urgency; `new` is only for `new_bug`, which has no deadline
STATES = ("overdue", "due_soon", "new")
DUE_WITHIN_HOURS = 48.0
NEW_DAYS = 7.0
#: the root program's turn after a closure summary, before the bug is flagged (methodology.md)
CLOSURE_LIMIT = pd.Timedelta(days=7)


@dataclass(frozen=True)
class Context:
    """What a builder reads. `bugs` is indexed by bug_id with every incidents column and the
    `t_*` times; `comments` are the public comments with roles in comment order; `questions`,
    `promises`, `gaps` and `action_items` are the tables of the same names; `states` the
    Whiteboard's values over time (`promises.whiteboard_states`); `parsed` the parse layer's
    result."""

    bugs: pd.DataFrame
    comments: pd.DataFrame
    questions: pd.DataFrame
    promises: pd.DataFrame
    gaps: pd.DataFrame
    action_items: pd.DataFrame
    states: pd.DataFrame
    parsed: Any
    as_of: pd.Timestamp
    site: str = BMO  # the Bugzilla evidence links point to (`common.site_of`)

    @property
    def open_bugs(self) -> pd.DataFrame:
        """Bugs not resolved at as_of (T_resolved missing), the only ones with items."""
        return self.bugs.loc[self.bugs["t_resolved"].isna().to_numpy()]

    def last_ca(self) -> pd.DataFrame:
        """The CA's latest public comment per bug (`time`, `count`), indexed by bug_id."""
        ca = ca_only(self.comments)
        last = ca.drop_duplicates("bug_id", keep="last").set_index("bug_id")[["time", "count"]]
        # typed even when empty (a snapshot without comments): times stay UTC-aware
        return last.assign(time=pd.to_datetime(last["time"], utc=True))


@dataclass(frozen=True)
class Kind:
    """One item kind: its name, what it means, the duty it checks (for `source`), and the
    builder of its obligations (None for `new_bug`, which is added by `attention`)."""

    name: str
    meaning: str
    duty: str
    build: Callable[[Context], pd.DataFrame] | None


def obligation_frame(bug_id: Any, due: Any, overdue: Any, since: Any, since_event: Any,
                     link: Any, rule: Any, note: Any = None) -> pd.DataFrame:
    """A builder's result (every column but `kind`), typed; aligned on position, not index."""
    def values(x: Any) -> Any:
        return x.to_numpy() if isinstance(x, pd.Series | pd.Index) else x

    n = len(bug_id)
    out = pd.DataFrame({
        "bug_id": values(bug_id), "due": values(due), "overdue": values(overdue),
        "since": values(since), "since_event": values(since_event), "evidence": values(link),
        "rule": values(rule), "note": values(note) if note is not None else [None] * n,
    }, index=pd.RangeIndex(n))
    out["due"] = pd.to_datetime(out["due"], utc=True).dt.as_unit("us")
    out["since"] = pd.to_datetime(out["since"], utc=True).dt.as_unit("us")
    return out.astype({"bug_id": "int64", "overdue": "bool", "since_event": "str",
                       "evidence": "str", "rule": "str", "note": "str"})


def bug_link(bug_id: Any, site: str = BMO) -> pd.Series:
    """The link to a bug's comment 0 (its filing), for items whose clock no comment started."""
    bug = pd.Series(bug_id).reset_index(drop=True)
    return evidence(bug, pd.Series(0, index=bug.index), site)


def _report(name: str) -> Callable[[Context], pd.DataFrame]:
    """initial_report / full_report: the incidents table's `pending` and `no_report` rows."""

    def build(ctx: Context) -> pd.DataFrame:
        b = ctx.open_bugs
        b = b.loc[b[f"{name}_status"].isin(("pending", "no_report")).fillna(False).to_numpy()]
        source = b["aware_source"].fillna("unknown")
        unknown = source.eq("unknown").to_numpy()
        stated = source.eq("report").to_numpy()
        event = pd.Series("bug filed", index=b.index, dtype="str")
        event = event.mask(unknown, "bug filed (awareness unknown)")
        event = event.mask(stated, "awareness stated by the CA")
        note = pd.Series(pd.NA, index=b.index, dtype="str")
        note = note.mask(unknown, "awareness unknown: the clock runs from filing")
        day = b["aware_precision"].eq("day").fillna(False).to_numpy()
        note = note.mask(day & stated, "awareness known to the day: the clock runs from its start")
        link = b["aware_evidence"].where(stated, bug_link(b.index, ctx.site).to_numpy())
        since = b[f"{name}_due"] - (rules.INITIAL_REPORT_LIMIT if name == "initial_report"
                                    else rules.FULL_REPORT_LIMIT)
        frame = obligation_frame(b.index, b[f"{name}_due"], b[f"{name}_status"].eq("no_report"),
                                 since, event, link, b[f"{name}_rule"], note)
        return _earlier_promise(frame, b) if name == "full_report" else frame

    return build


def _earlier_promise(frame: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """A full report the CA promised by a date before the 14-day limit is due at that date: the
    incidents table's `full_report_promise_*` columns, so the item is overdue exactly when one
    of the two statuses is `no_report`."""
    running = b["full_report_promise_status"].isin(("pending", "no_report")).fillna(False)
    due = b["full_report_promise_due"]
    use = (running & (due < b["full_report_due"]).fillna(False)).to_numpy()
    if not use.any():
        return frame
    posted = pd.to_datetime(b["full_report_promise_posted"], utc=True).dt.as_unit("us")
    values = {
        "due": due.to_numpy(), "since": posted.to_numpy(),
        "overdue": b["full_report_promise_status"].eq("no_report").fillna(False).to_numpy(),
        "since_event": "full report date promised by the CA",
        "evidence": b["full_report_promise_evidence"].to_numpy(),
        "rule": b["full_report_promise_rule"].to_numpy(),
        "note": ("the CA's own date, earlier than the 14-day limit ("
                 + b["full_report_due"].dt.strftime("%Y-%m-%d %H:%M") + " UTC)").to_numpy(),
    }
    out = frame.copy()
    for column, value in values.items():
        out[column] = out[column].mask(use, pd.Series(value, index=out.index))
    return out


def _questions(ctx: Context) -> pd.DataFrame:
    """The oldest unanswered question under the 7-day rule, per open bug."""
    q = ctx.questions
    q = q.loc[(~q["answered"].astype(bool) & q["rule"].ne(rules.NONE)).to_numpy()]
    q = q.loc[q["bug_id"].astype("int64").isin(ctx.open_bugs.index).to_numpy()]
    later = q.groupby("bug_id")["count"].transform("size") - 1
    first = ~q.duplicated("bug_id").to_numpy()
    q, later = q.loc[first], later.loc[first]
    note = ("and " + later.astype("str") + " later unanswered question(s)").where(later > 0)
    event = "question in comment " + q["count"].astype("str") + " (" + q["role"] + ")"
    return obligation_frame(q["bug_id"], q["time"] + rules.QUESTION_LIMIT, q["late"].astype(bool),
                            q["time"], event, q["evidence"], q["rule"], note)


def _next_update(ctx: Context) -> pd.DataFrame:
    """The Whiteboard's current Next update date, with no CA comment since it was set."""
    p = ctx.promises
    current = ctx.states.loc[(ctx.states["end"] == FOREVER).to_numpy()].set_index("bug_id")
    bug = p["bug_id"].astype("int64")
    latest = p.groupby(bug)["set_time"].transform("max")
    shown = current["next_update"].reindex(bug).to_numpy()
    is_current = (p["set_time"] == latest).to_numpy() & (p["next_update"].to_numpy() == shown)
    last = ctx.last_ca()["time"].reindex(bug.to_numpy()).set_axis(p.index)
    silent = (last.isna() | (last <= p["set_time"])).to_numpy(dtype=bool)
    keep = (is_current & silent & p["status"].isin(("pending", "missed")).to_numpy()
            & bug.isin(ctx.open_bugs.index).to_numpy())
    p = p.loc[keep]
    event = "Next update " + p["next_update"].dt.strftime("%Y-%m-%d") + " set on the Whiteboard"
    return obligation_frame(p["bug_id"], p["due"], p["status"].eq("missed"), p["set_time"],
                            event, bug_link(p["bug_id"], ctx.site), p["rule"])


def _updates(ctx: Context) -> pd.DataFrame:
    """The interval since the CA's last comment: a counted trailing gap, or one due soon."""
    b = ctx.open_bugs
    b = b.loc[b["t_closure"].isna().to_numpy()]
    last = ctx.last_ca().reindex(b.index).dropna(subset=["time"])
    last = last.loc[(last["time"] >= rules.IRG_1_0_UPDATES).to_numpy()]
    bug = pd.Series(last.index, index=last.index)
    due = last["time"] + rules.CADENCE_LIMIT
    trailing = ctx.gaps.loc[ctx.gaps["end_count"].isna().to_numpy(), "bug_id"].astype("int64")
    overdue = bug.isin(trailing).to_numpy()
    # not yet 7 days: owed unless the Whiteboard already excuses a gap ending at the deadline
    ahead = pd.DataFrame({"bug_id": bug.to_numpy(), "start": last["time"].to_numpy(),
                          "end": due.to_numpy()})
    excused = cadence.covered(ahead, ctx.states).to_numpy(dtype=bool)
    keep = overdue | ((due >= ctx.as_of).to_numpy() & ~excused)
    last, bug = last.loc[keep], bug.loc[keep]
    event = "last CA comment, comment " + last["count"].astype("int64").astype("str")
    return obligation_frame(bug, due.loc[keep], overdue[keep], last["time"], event,
                            evidence(bug, last["count"], ctx.site),
                            rules.version_at(rules.CADENCE, last["time"]))


def _closure(ctx: Context) -> pd.DataFrame:
    """A closure summary posted and the bug still open: the root program's turn."""
    b = ctx.open_bugs
    b = b.loc[b["t_closure"].notna().to_numpy()]
    due = b["t_closure"] + CLOSURE_LIMIT
    event = "closure summary in comment " + b["closure_count"].astype("str")
    return obligation_frame(b.index, due, (due < ctx.as_of).to_numpy(), b["t_closure"], event,
                            b["closure_evidence"],
                            rules.version_at(rules.REPORT_TIMING, b["t_closure"]))


def _action_items(ctx: Context) -> pd.DataFrame:
    """One per open Action Item with no later word from the CA (`action_items.waiting_on_ca`:
    the action_items table's own deadline and outcome), due at its standing date's end."""
    w = action_items.waiting_on_ca(ctx.action_items, ctx.comments, ctx.open_bugs.index,
                                   ctx.as_of)
    said = w["change"].map(lambda c: "stated" if c in ("new", "none") else "re-dated")
    event = ("Action Item " + w["item"].astype("str") + " " + said.astype("str")
             + " in comment " + w["count"].astype("int64").astype("str"))
    period = w["due_precision"].where(w["due_precision"].ne("day").fillna(False).to_numpy())
    note = ('"' + w["text"] + '", due ' + w["due_raw"]
            + ("; a " + period + ": its last day counts").fillna(""))
    return obligation_frame(w["bug_id"], w["due"], w["overdue"], w["since"], event,
                            w["evidence"], rules.version_at(rules.ACTION_ITEM_DUE, w["due"]),
                            note)


KINDS: tuple[Kind, ...] = (
    Kind("initial_report_overdue",
         "no initial report 72 hours after awareness (after filing when awareness is unknown)",
         "initial report within 72 hours of awareness", _report("initial_report")),
    Kind("full_report_overdue",
         "no full report 14 days after awareness, or by the earlier date the CA promised",
         "full report within 14 days of awareness (and by a preliminary report's promised date)",
         _report("full_report")),
    Kind("question_unanswered",
         "a root-program or community question with no CA comment for more than 7 days",
         "respond to questions within 7 days", _questions),
    Kind("next_update_missed",
         "the Whiteboard's Next update date passed with no CA comment since it was set",
         "update by the Whiteboard's Next update date", _next_update),
    Kind("update_overdue",
         "no CA comment for more than 7 days and no Next update date covering the gap",
         "update at least every 7 days unless a Next update date is set", _updates),
    Kind("closure_pending",
         "a closure summary posted and the bug still open after 7 days (the root program's turn)",
         "closure after the final call for comments (flagged after 7 days)", _closure),
    Kind("action_item_overdue",
         "an open Action Item past its due date with no later word from the CA",
         "update when an Action Item is completed, changed or delayed (IRG 3.1: within 3 days)",
         _action_items),
    Kind("new_bug", "an open bug filed within --new-days (default 7)", "triage of new bugs", None),
)
KIND_ORDER = {k.name: n for n, k in enumerate(KINDS)}


def obligations(ctx: Context) -> pd.DataFrame:
    """Every running clock of every open bug, overdue or not (new bugs are not obligations)."""
    parts = [k.build(ctx).assign(kind=k.name) for k in KINDS if k.build is not None]
    out = pd.concat(parts, ignore_index=True)
    return out[OBLIGATION_COLUMNS].astype({"bug_id": "Int64", "kind": "str"})


def _new_bugs(incidents: pd.DataFrame, as_of: pd.Timestamp, new_days: float,
              site: str) -> pd.DataFrame:
    window = pd.Timedelta(days=new_days)
    b = incidents.loc[(incidents["t_resolved"].isna() & (incidents["t_create"] <= as_of)
                       & (as_of - incidents["t_create"] <= window)).to_numpy()]
    return obligation_frame(b["bug_id"], b["t_create"] + window, False, b["t_create"],
                            "bug filed", bug_link(b["bug_id"], site), rules.NONE).assign(
                                kind="new_bug")


def attention(
    obligations: pd.DataFrame,
    incidents: pd.DataFrame,
    as_of: pd.Timestamp,
    *,
    due_within_hours: float = DUE_WITHIN_HOURS,
    new_days: float = NEW_DAYS,
    site: str = BMO,
) -> pd.DataFrame:
    """The items: obligations overdue or due within `due_within_hours`, and bugs filed within
    `new_days`; most urgent first (overdue by hours overdue, then due soon by due time, then
    new bugs). Columns `ITEM_COLUMNS`; new bugs link to `site`."""
    limit = as_of + pd.Timedelta(hours=due_within_hours)
    ob = obligations.assign(bug_id=obligations["bug_id"].astype("int64"))
    soon = ~ob["overdue"] & (ob["due"] <= limit).fillna(False)
    ob = ob.loc[(ob["overdue"] | soon).to_numpy()]
    ob = ob.assign(state=ob["overdue"].map({True: "overdue", False: "due_soon"}).astype("str"))
    new = _new_bugs(incidents, as_of, new_days, site).assign(state="new")
    items = pd.concat([ob, new], ignore_index=True)
    bugs = incidents.assign(bug_id=incidents["bug_id"].astype("int64")).set_index("bug_id")
    items["summary"] = bugs["summary"].reindex(items["bug_id"]).to_numpy()
    items["ca"] = bugs["ca"].reindex(items["bug_id"]).to_numpy()
    duty = {k.name: k.duty for k in KINDS}
    items["source"] = [f"{rules.SOURCES.get(r, r)}: {duty[k]}"
                       for r, k in zip(items["rule"], items["kind"], strict=True)]
    items["hours_overdue"] = ((as_of - items["due"]) / HOUR).astype("Float64")
    order = pd.DataFrame({
        "state": items["state"].map({s: n for n, s in enumerate(STATES)}),
        "urgency": -items["hours_overdue"].astype("float64"),
        "bug": items["bug_id"], "kind": items["kind"].map(KIND_ORDER)})
    items = items.loc[order.sort_values(["state", "urgency", "bug", "kind"],
                                        kind="stable").index]
    items = items.reset_index(drop=True)[ITEM_COLUMNS]
    return items.astype({"bug_id": "Int64", "summary": "str", "ca": "str", "kind": "str",
                         "state": "str", "source": "str"})


def counts_by_kind(items: pd.DataFrame) -> pd.DataFrame:
    """Items per kind and state (every kind listed, zeros included), for summaries and docs."""
    table = pd.crosstab(items["kind"], items["state"]).reindex(
        index=[k.name for k in KINDS], columns=list(STATES), fill_value=0)
    return table.rename_axis(index="kind", columns=None).astype("int64")
