"""Ground truth per bug, computed from the planted events exactly as methodology.md defines
each quantity. Nothing here reads comment text: roles, kinds, questions, awareness and
Whiteboard meanings come from the plan.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from bzanalytics.synth.actions import ItemRow
from bzanalytics.synth.dates import bmo_time
from bzanalytics.synth.scenario import (
    CADENCE_START,
    GRACE,
    POLICY_2_0,
    V2_START,
    V3_START,
    BugPlan,
    PComment,
)

INITIAL_KINDS = ("preliminary", "full", "legacy", "audit")
FULL_KINDS = ("full", "legacy", "audit")
DAY = timedelta(days=1)
SUPERSEDED = {"legacy": V2_START, "ccadb-v2": V3_START}  # when each template was replaced
HANDLING_TAGS = ("ca-compliance", "external", "remediation-accepted", "ca-onecrl")
TAG_ALIASES = {"delayed-revocation-leaf": "leaf-revocation-delay",
               "delayed-revocation-ca": "ca-revocation-delay",
               "disclosure failure": "disclosure-failure"}


def _hours(d: timedelta) -> float:
    return round(d.total_seconds() / 3600, 6)


def _days(d: timedelta) -> float:
    return round(d.total_seconds() / 86400, 6)


def _ts(t: datetime | None) -> str | None:
    return bmo_time(t) if t is not None else None


def _eod(d) -> datetime:
    return datetime.combine(d, datetime.min.time(), UTC) + DAY


def _status(delay: timedelta, limit: timedelta, day_span: timedelta | None) -> str:
    """met / missed, or unknown_awareness when a day-precision awareness straddles the limit.

    `day_span` is how long the awareness day lasts for this bug (a day, or less when a
    third-party bug was filed that day), None for minute precision.
    """
    if delay <= limit:
        return "met"
    if day_span is not None and delay - day_span <= limit:
        return "unknown_awareness"
    return "missed"


def _deadline_status(applies: bool, t_report: datetime | None, t_aware: datetime | None,
                     day_span: timedelta | None, t_create: datetime, limit: timedelta,
                     as_of: datetime) -> tuple[float | None, str]:
    value = _hours(t_report - t_aware) if t_report and t_aware else None
    if t_report is None:
        due = (t_aware or t_create) + limit
        status = "no_report" if due < as_of else "pending"
    elif t_aware is None:
        status = "unknown_awareness"
    else:
        status = _status(t_report - t_aware, limit, day_span)
    return value, (status if applies else "not_applicable")


def _full_report_promise(ca: list[PComment], t_full: datetime | None, applies: bool,
                         as_of: datetime) -> dict:
    """The first public CA comment promising the full report by a date: its due moment (the end
    of a promised day) and status; a promise made after the full report counts as none."""
    first = next((c for c in ca if c.full_by is not None), None)
    if first is None or (t_full is not None and first.time >= t_full):
        return {"status": "not_applicable" if not applies else None, "due": None}
    when, precision = first.full_by
    due = when + DAY if precision == "day" else when
    if not applies:
        status = "not_applicable"
    elif t_full is None:
        status = "no_report" if due < as_of else "pending"
    else:
        status = "met" if t_full <= due else "missed"
    return {"status": status, "due": due if applies and t_full is None else None}


def stated_awareness(reports: list[PComment], t_create: datetime) -> tuple[datetime, str] | None:
    """A: the first report stating awareness to the minute, else the first stating a day."""
    candidates = []
    for c in reports:
        if c.aware is None:
            continue
        t = c.aware.time if c.aware.precision == "minute" else datetime.combine(
            c.aware.time.date(), datetime.min.time(), UTC)
        if t > c.time or t < t_create - timedelta(days=730):
            continue
        candidates.append((t, c.aware.precision))
    minute = [c for c in candidates if c[1] == "minute"]
    return (minute or candidates or [None])[0]


def tags_now(plan: BugPlan) -> list[str]:
    return [TAG_ALIASES.get(t, t) for t in plan.whiteboard[-1].tags]


def bug_truth(plan: BugPlan, as_of: datetime) -> dict:
    comments = plan.comments
    public = [c for c in comments if not c.is_private]
    ca = [c for c in public if c.role == "ca"]
    reports = [c for c in ca if c.kind is not None]

    def first(kinds: tuple[str, ...]) -> datetime | None:
        return next((c.time for c in reports if c.kind in kinds), None)

    t_create = plan.created
    t_first_ca = ca[0].time if ca else None
    t_initial, t_full, t_closure = first(INITIAL_KINDS), first(FULL_KINDS), first(("closure",))
    # IRG 3.0: the CA's response to a third party's Preliminary Incident Report
    third = next((c for c in public if c.role != "ca" and c.kind == "preliminary"), None)
    response = next((c.time for c in ca if third and c.time > third.time), None)
    via = "ca_report" if t_initial else None
    if t_create >= V3_START and response and (t_initial is None or response < t_initial):
        t_initial, via = response, "third_party_response"
    t_resolved = plan.resolved if plan.status == "RESOLVED" else None

    stated = stated_awareness(reports, t_create)
    if plan.self_filed:
        t_aware, precision = stated if stated else (None, None)
        source = "report" if stated else "unknown"
    elif stated and stated[0] < t_create:
        (t_aware, precision), source = stated, "report"
    else:
        t_aware, precision, source = t_create, "minute", "bug_created"

    day_span = None
    if precision == "day" and t_aware is not None:
        day_span = DAY if plan.self_filed else min(DAY, t_create - t_aware)
    applies = t_create >= V2_START
    m: dict = {"ca": plan.owner.name, "year": t_create.year, "self_filed": plan.self_filed}
    m["initial_report_via"] = via
    m["response_hours"] = (_hours(t_first_ca - t_create)
                           if t_first_ca and not plan.self_filed else None)
    m["initial_report_hours"], m["initial_report_status"] = _deadline_status(
        applies, t_initial, t_aware, day_span, t_create, timedelta(hours=72), as_of)
    hours, m["full_report_status"] = _deadline_status(
        applies, t_full, t_aware, day_span, t_create, timedelta(days=14), as_of)
    m["full_report_days"] = round(hours / 24, 6) if hours is not None else None
    promise = _full_report_promise(ca, t_full, applies, as_of)
    m["full_report_promise_status"] = promise["status"]
    m["legacy_full_report_days"] = _days(t_full - t_create) if t_full else None
    if applies:
        m["legacy_full_report_status"] = "not_applicable"
    elif t_full:
        m["legacy_full_report_status"] = "met" if t_full - t_create <= 14 * DAY else "missed"
    else:
        m["legacy_full_report_status"] = ("no_report" if t_create + 14 * DAY < as_of
                                          else "pending")
    questions = _questions(plan, public, ca, t_resolved, as_of)
    m["questions"] = len(questions)
    m["questions_late"] = sum(q["late"] for q in questions)
    m["questions_unanswered"] = sum(q["answer_count"] is None for q in questions)
    m["question_worst_gap_days"] = max((q["gap_days"] for q in questions), default=None)
    gaps = _gaps(plan, ca, t_first_ca, t_closure, t_resolved, as_of)
    counted = [g for g in gaps if g["counts"]]
    m["cadence_gaps_over_7d"] = len(counted)
    m["cadence_worst_gap_days"] = max((g["days"] for g in counted), default=None)
    if {"leaf-revocation-delay", "ca-revocation-delay"} & set(tags_now(plan)):
        stop = min(t for t in (t_closure, t_resolved, as_of) if t is not None)
        m["cadence_3d_rule"] = "ccadb-irg-3.0" if stop >= V3_START else "none"
        short = _gaps(plan, ca, t_first_ca, t_closure, t_resolved, as_of, 3 * DAY, V3_START)
        m["cadence_gaps_over_3d"] = (sum(g["counts"] for g in short)
                                     if m["cadence_3d_rule"] != "none" else None)
    else:
        m["cadence_3d_rule"], m["cadence_gaps_over_3d"] = "none", None
    promises = _promises(plan, ca, t_resolved, as_of)
    m["next_updates_set"] = len(promises)
    for status in ("kept", "missed", "pending", "withdrawn"):
        m[f"next_updates_{status}"] = sum(p["status"] == status for p in promises)
    m["reports_template_outdated"] = sum(
        c.template in SUPERSEDED and c.time >= POLICY_2_0
        and c.time > SUPERSEDED[c.template] + GRACE for c in reports)
    item_rows, items = action_items(plan, ca, t_resolved, as_of)
    m["action_items"] = len(items)
    m["action_items_done"] = sum(i["completed_at"] is not None for i in items)
    m["action_items_overdue"] = sum(i["outcome"] == "overdue" for i in items)
    m["action_items_due"] = sum(i["on_time"] is not None for i in items)
    m["action_items_on_time"] = sum(bool(i["on_time"]) for i in items)
    m["days_to_close"] = _days(t_resolved - t_create) if t_resolved else None
    m["closure_to_close_days"] = (_days(t_resolved - t_closure)
                                  if t_resolved and t_closure else None)
    m["excluded"] = ("meta" if plan.meta else "duplicate" if plan.resolution == "DUPLICATE"
                     else "invalid" if plan.resolution == "INVALID" else None)
    tags = tags_now(plan)
    m["category"] = next((t for t in tags if t not in HANDLING_TAGS), "uncategorized")
    m["aware_source"] = source
    full_v3 = any(c.kind == "full" and c.template == "ccadb-v3" for c in reports)
    attention = [] if t_resolved is not None or m["excluded"] else _attention(
        plan, public, ca, t_aware or t_create, t_initial, t_full, t_closure, items, as_of,
        promise["due"])
    return {
        "ca": plan.owner.name, "ca_raw": plan.ca_raw,
        "ccadb_id": plan.owner.ccadb_id if full_v3 else None,
        "self_filed": plan.self_filed, "excluded": m["excluded"], "tags": tags,
        "comments": {str(n): {"role": c.role, "kind": c.kind, "template": c.template,
                              "sections": list(c.sections), "is_private": c.is_private,
                              "question": c.is_question}
                     for n, c in enumerate(comments)},
        "awareness": {"time": _ts(t_aware), "precision": precision, "source": source},
        "times": {"T_create": _ts(t_create), "T_aware": _ts(t_aware),
                  "T_first_ca": _ts(t_first_ca), "T_initial": _ts(t_initial),
                  "T_full": _ts(t_full), "T_closure": _ts(t_closure),
                  "T_resolved": _ts(t_resolved)},
        "metrics": m,
        "questions": questions,
        "promises": promises,
        "gaps": gaps,
        "action_item_rows": item_rows,
        "action_items": items,
        "attention": attention,
    }


def _questions(plan: BugPlan, public: list[PComment], ca: list[PComment],
               t_resolved: datetime | None, as_of: datetime) -> list[dict]:
    index = {id(c): n for n, c in enumerate(plan.comments)}
    out = []
    for c in public:
        if not c.is_question or index[id(c)] == 0:
            continue
        answer = next((a for a in ca if a.time > c.time), None)
        end = answer.time if answer else (t_resolved or as_of)
        gap = max(0.0, _days(end - c.time))
        out.append({"count": index[id(c)], "answer_count": index[id(answer)] if answer else None,
                    "gap_days": gap, "late": c.time >= V2_START and gap > 7})
    return out


def _covered(plan: BugPlan, start: datetime, end: datetime) -> bool:
    """Did the Whiteboard, at some moment inside the gap, excuse it?"""
    wb = plan.whiteboard
    for n, w in enumerate(wb):
        until = wb[n + 1].time if n + 1 < len(wb) else datetime.max.replace(tzinfo=UTC)
        if until <= start or w.time >= end:
            continue
        if w.close_on is not None:
            return True
        if w.next_update is not None and end <= _eod(w.next_update):
            return True
    return False


def _gaps(plan: BugPlan, ca: list[PComment], t_first_ca: datetime | None,
          t_closure: datetime | None, t_resolved: datetime | None, as_of: datetime,
          limit: timedelta = 7 * DAY, since: datetime = CADENCE_START) -> list[dict]:
    if t_first_ca is None:
        return []
    stop = min(t for t in (t_closure, t_resolved, as_of) if t is not None)
    index = {id(c): n for n, c in enumerate(plan.comments)}
    seen = [c for c in ca if c.time <= stop]
    spans = [(a.time, b.time, index[id(b)]) for a, b in pairwise(seen)]
    if t_resolved is None and t_closure is None:
        spans.append((seen[-1].time, as_of, None))
    out = []
    for start, end, count in spans:
        days = _days(end - start)
        long = start >= since and end - start > limit
        covered = long and _covered(plan, start, end)
        out.append({"start": bmo_time(start), "end": bmo_time(end), "end_count": count,
                    "days": days, "covered": covered, "counts": long and not covered})
    return [g for g in out if g["days"] > limit / DAY]


def _promises(plan: BugPlan, ca: list[PComment], t_resolved: datetime | None,
              as_of: datetime) -> list[dict]:
    out = []
    wb = plan.whiteboard
    previous = None
    for n, w in enumerate(wb):
        if w.next_update is None or w.next_update == previous:
            previous = w.next_update
            continue
        previous = w.next_update
        s, eod = w.time, _eod(w.next_update)
        if any(s < c.time < eod for c in ca):
            status = "kept"
        elif any(later.time < eod and later.next_update != w.next_update for later in wb[n + 1:]) \
                or (t_resolved is not None and t_resolved < eod):
            status = "withdrawn"
        elif eod > as_of:
            status = "pending"
        else:
            status = "missed"
        out.append({"date": w.next_update.isoformat(), "set": bmo_time(s), "status": status})
    return out


IRG_3_1 = datetime(2025, 7, 15, tzinfo=UTC)
POSITION_KINDS = ("full", "closure")


def _day_start(d) -> datetime | None:
    return None if d is None else datetime.combine(d, datetime.min.time(), UTC)


def _changes(statements: list[tuple[PComment, ItemRow]]) -> list[dict]:
    """Per statement: change, change time, within 3 days, rule (methodology.md)."""
    out = []
    standing = status = None
    prev_time = None
    for n, (c, r) in enumerate(statements):
        entry = {"change": "new", "change_time": None, "within": None, "rule": "none"}
        if n:
            new_status = r.status is not None and r.status != status and not (
                status is None and r.status == "Ongoing")
            new_date = r.due is not None and r.due != standing
            entry["change"] = ("status+date" if new_status and new_date else "status"
                               if new_status else "date" if new_date else "none")
            if entry["change"] != "none":
                deadline = _eod(standing) if standing is not None else None
                change, day = None, False
                if new_status and r.status == "Complete" and r.status_date is not None:
                    change, day = _day_start(r.status_date), True
                elif r.status not in ("Complete", "Canceled") and deadline is not None \
                        and prev_time < deadline < c.time:
                    change = deadline
                entry["change_time"] = change
                if change is not None and change >= IRG_3_1:
                    entry["rule"] = "ccadb-irg-3.1"
                    if c.time - change <= 3 * DAY:
                        entry["within"] = True
                    elif c.time - (change + (DAY if day else timedelta(0))) > 3 * DAY:
                        entry["within"] = False
        if r.status is not None:
            status = r.status
        if r.due is not None:
            standing = r.due
        prev_time = c.time
        out.append(entry)
    return out


def _item_facts(statements: list[tuple[PComment, ItemRow]], closed: datetime | None,
                end: datetime) -> dict:
    done = next(((c, r) for c, r in statements if r.status == "Complete"), None)
    completed = done[0].time if done else None
    by_closure = closed is not None and (completed is None or closed < completed)
    if by_closure:
        completed, done = closed, None
    cancel = next((c.time for c, r in statements if r.status == "Canceled"
                   and (completed is None or c.time < completed)), None)
    if cancel is not None and by_closure and completed > cancel:
        completed = None
    finished = _day_start(done[1].status_date) if done and done[1].status_date else completed
    dues = [(c.time, _eod(r.due)) for c, r in statements if r.due is not None]
    first_due = dues[0][1] if dues else None
    latest_due = dues[-1][1] if dues else None
    unknowable = (done is not None and done[0] is statements[0][0] and done[1].status_date is None
                  and first_due is not None and first_due < done[0].time)
    stops = [t for t in (finished, cancel, end) if t is not None]
    slipped = None
    if not unknowable:
        slipped = False
        for n, (_, deadline) in enumerate(dues):
            replaced = [t for t, d in dues[n + 1:] if d != deadline][:1]
            if deadline < min(stops + replaced) and deadline < end:
                slipped = True
                break
    on_time = None
    if first_due is not None and not unknowable and cancel is None:
        if finished is not None:
            on_time = finished <= first_due
        elif first_due < end:
            on_time = False
    if completed is not None:
        outcome = ("completed_on_time" if on_time else "completed" if on_time is None
                   else "completed_late")
    elif cancel is not None:
        outcome = "canceled"
    elif latest_due is not None and latest_due < end:
        outcome = "overdue"
    else:
        outcome = "open"
    return {"completed_at": _ts(completed), "slipped": slipped, "on_time": on_time,
            "outcome": outcome, "latest_deadline": _ts(latest_due)}


def action_items(plan: BugPlan, ca: list[PComment], t_resolved: datetime | None,
                 as_of: datetime) -> tuple[list[dict], list[dict]]:
    """(rows, items): one row per planted Action Item row of a public CA comment, and one
    entry per item with its completion, slip and outcome."""
    index = {id(c): n for n, c in enumerate(plan.comments)}
    statements: dict[int, list[tuple[PComment, ItemRow]]] = {}
    closed: dict[int, datetime] = {}
    for c in ca:
        for r in c.items:
            statements.setdefault(r.item, []).append((c, r))
        if c.kind == "closure":
            for number in statements:
                closed.setdefault(number, c.time)
    end = min(t_resolved or as_of, as_of)
    rows, items = [], []
    for number in sorted(statements):
        sts = statements[number]
        changes = _changes(sts)
        facts = _item_facts(sts, closed.get(number), end)
        within = [ch["within"] for ch in changes if ch["within"] is not None]
        items.append({"item": number, "origin_count": index[id(sts[0][0])], **facts,
                      "change_reported_within_3d": (False if False in within else True
                                                    if within else None)})
        for (c, r), ch in zip(sts, changes, strict=True):
            rows.append({"count": index[id(c)], "row": r.row, "item": number, "form": r.form,
                         "text": r.text, "kind": r.kind,
                         "due": r.due.isoformat() if r.due else None,
                         "due_precision": r.precision, "status": r.status,
                         "status_date": r.status_date.isoformat() if r.status_date else None,
                         "match": "origin" if ch["change"] == "new" else "wording",
                         "change": ch["change"], "change_time": _ts(ch["change_time"]),
                         "within": ch["within"], "rule": ch["rule"]})
    return rows, items
DUE_WITHIN = timedelta(hours=48)
NEW_DAYS = timedelta(days=7)
WEEK = timedelta(days=7)


def _attention(plan: BugPlan, public: list[PComment], ca: list[PComment], clock: datetime,
               t_initial: datetime | None, t_full: datetime | None, t_closure: datetime | None,
               action: list[dict], as_of: datetime, promised: datetime | None = None
               ) -> list[dict]:
    """The attention items of an open bug at as_of (due soon = within 48 h, new = 7 days), as
    methodology.md ("Attention") defines them; `clock` is T_aware, else T_create; `action` the
    bug's Action Items (`action_items`); `promised` the end of the date the CA promised the
    full report by."""
    items: list[dict] = []

    def add(kind: str, due: datetime, overdue: bool) -> None:
        if overdue or due - as_of <= DUE_WITHIN:
            items.append({"kind": kind, "state": "overdue" if overdue else "due_soon",
                          "due": bmo_time(due)})

    if plan.created >= V2_START:
        for kind, done, limit in (("initial_report_overdue", t_initial, timedelta(hours=72)),
                                  ("full_report_overdue", t_full, 14 * DAY)):
            if done is None:
                due = clock + limit
                if kind == "full_report_overdue" and promised is not None:
                    due = min(due, promised)
                add(kind, due, due < as_of)
    index = {id(c): n for n, c in enumerate(plan.comments)}
    waiting = [c for c in public if c.is_question and index[id(c)] != 0
               and c.time >= V2_START and not any(a.time > c.time for a in ca)]
    if waiting:
        add("question_unanswered", waiting[0].time + WEEK, as_of - waiting[0].time > WEEK)
    wb = plan.whiteboard
    shown = wb[-1].next_update
    if shown is not None:
        run = len(wb) - 1
        while run > 0 and wb[run - 1].next_update == shown:
            run -= 1
        set_at = wb[run].time
        if not any(c.time > set_at for c in ca):
            add("next_update_missed", _eod(shown), _eod(shown) <= as_of)
    if t_closure is None and ca and ca[-1].time >= CADENCE_START:
        last = ca[-1].time
        if as_of - last > WEEK:
            if not _covered(plan, last, as_of):
                add("update_overdue", last + WEEK, True)
        elif not _covered(plan, last, last + WEEK):
            add("update_overdue", last + WEEK, False)
    if t_closure is not None:
        add("closure_pending", t_closure + WEEK, as_of - t_closure > WEEK)
    for i in action:  # open items whose standing due date no CA comment came after
        if i["outcome"] in ("open", "overdue") and i["latest_deadline"] is not None:
            due = datetime.fromisoformat(i["latest_deadline"].replace("Z", "+00:00"))
            if not any(c.time > due for c in ca):
                add("action_item_overdue", due, due < as_of)
    if as_of - plan.created <= NEW_DAYS:
        items.append({"kind": "new_bug", "state": "new", "due": bmo_time(plan.created + NEW_DAYS)})
    return items
