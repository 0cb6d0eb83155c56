"""Open bugs planted in each attention state at the corpus's "now" (methodology.md, "Attention"),
so every kind of item, overdue and due soon, occurs in every corpus.

`corpus._plan_args` reserves `planted_count(n)` bugs, gives the j-th the scenario
`SCENARIOS[j % len]` and a creation time that fits it (`age`); `plant` then writes that bug's
comments and Whiteboard promises relative to now. The expected items are computed from the
planted events by `synth.truth` like every other bug's (`attention_truth`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from random import Random
from typing import TYPE_CHECKING

from bzanalytics.synth import templates as T
from bzanalytics.synth.actions import render_rows, rows_of
from bzanalytics.synth.people import community, root_program

if TYPE_CHECKING:
    from bzanalytics.synth.scenario import Planner

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
WEEK = timedelta(days=7)

SCENARIOS = (
    "initial_overdue", "initial_due_soon", "full_overdue", "full_due_soon", "question_overdue",
    "question_due_soon", "next_update_overdue", "next_update_due_soon", "update_overdue",
    "update_due_soon", "closure_overdue", "closure_due_soon", "new_bug",
    "full_promise_overdue", "full_promise_due_soon", "action_item_overdue", "action_item_due_soon",
)
#: share of a corpus planted this way (at least one bug per scenario in corpora of 68 or more)
SHARE = 0.02
#: creation age at now, in hours, per scenario (the others: 30 to 120 days)
AGES = {
    "initial_overdue": (84, 156), "initial_due_soon": (27, 69),
    "full_overdue": (15 * 24, 40 * 24), "full_due_soon": (14 * 24 - 44, 14 * 24 - 4),
    "new_bug": (3, 150),
    # the promised day lies before the 14-day limit: 2 to 6 days after the preliminary report
    "full_promise_overdue": (8 * 24, 12 * 24), "full_promise_due_soon": (3 * 24, 6 * 24),
}


def planted_count(n: int) -> int:
    """SHARE of `n` bugs, at least one per scenario, never more than a quarter of the corpus."""
    return min(n // 4, max(len(SCENARIOS), round(n * SHARE)))


def age(scenario: str, rng: Random) -> timedelta:
    low, high = AGES.get(scenario, (30 * 24, 120 * 24))
    return timedelta(hours=rng.uniform(low, high))


def _updates(p: Planner, t: datetime, last: datetime) -> None:
    """CA updates every 2 to 6 days after `t`, the last one at `last`."""
    while t + 6 * DAY < last:
        t += timedelta(days=p.rng.uniform(2, 6))
        p._add(t, p._ca_person(), "ca", T.update(p.rng).text, kind="update")
    if last > t:
        p._add(last, p._ca_person(), "ca", T.update(p.rng).text, kind="update")


def _render(p: Planner, t: datetime, report: str, promise: date | None = None
            ) -> list[T.Rendered]:
    """The CA's first report; a preliminary one promises the full report by `promise` (a day)
    or by no date at all, so the 14-day clock alone decides the other scenarios."""
    if report == "preliminary":  # a third party's awareness is the filing: none stated
        aware = p.aware if p.bug.self_filed else None
        inp = p._input(t, aware, p.source, True, free_style=True)
        inp.extras["promise"] = promise
        return [T.v3_preliminary(inp)]
    return p._report(t, "full", "v3", False)


def _promised_day(p: Planner, scenario: str) -> date | None:
    """The promised day of a `full_promise_*` bug: passed a day or more ago (overdue), or
    ending within the next 48 hours (due soon); both before the 14-day limit."""
    now = p.as_of
    if scenario == "full_promise_overdue":
        return (now - timedelta(hours=p.rng.uniform(30, 60))).date()
    if scenario == "full_promise_due_soon":
        return (now + timedelta(hours=p.rng.uniform(2, 20))).date()
    return None


def _opening(p: Planner, report: str | None, promise: date | None = None) -> datetime:
    """Comment 0 and, when asked, the CA's first report (preliminary or full); its time."""
    bug, t = p.bug, p.created
    if bug.self_filed:
        if report is None:
            p._add(t, bug.creator, "ca", f"We are filing this bug to track {bug.issue.what}. "
                   "Details will follow.")
        else:
            p._post_reports(t, _render(p, t, report, promise), True)
        return t
    p._opening_third_party()
    if report is not None:
        t += timedelta(hours=p.rng.uniform(2, 20))
        p._post_reports(t, _render(p, t, report, promise), False)
    return t


def plant(p: Planner, scenario: str) -> None:
    """Write the comments and Whiteboard promises of one planted open bug."""
    rng, now, bug = p.rng, p.as_of, p.bug
    p.source = "self" if bug.self_filed else "third_party"
    # a self-filed bug states awareness (at filing, to the minute) once it has a report
    known = bug.self_filed and not scenario.startswith("initial")
    aware = p.created.replace(second=0, microsecond=0) if known else None
    p.aware = T.Awareness(aware, "minute") if aware else None
    p.events = p._events(aware)
    p.n_certs = rng.randint(1, 400)
    if scenario.startswith("initial"):
        _opening(p, None)
        if not bug.self_filed and rng.random() < 0.5:
            p._add(p.created + (now - p.created) * rng.uniform(0.2, 0.6), p._ca_person(), "ca",
                   T.ca_ack(rng))
        return
    if scenario.startswith("full") or scenario == "new_bug":
        t = _opening(p, "preliminary", _promised_day(p, scenario))
        if scenario != "new_bug":
            _updates(p, t, now - timedelta(hours=rng.uniform(12, 100)))
        return
    p.first_item_open = scenario.startswith("action_item")
    t = _opening(p, "full")
    if scenario.startswith("action_item"):
        _redate(p, t, scenario.endswith("overdue"))
        return
    if scenario.endswith("overdue"):
        past = WEEK + timedelta(hours=rng.uniform(3, 120))
    else:
        past = WEEK - timedelta(hours=rng.uniform(4, 44))
    if scenario.startswith("question"):
        asked = now - past
        _updates(p, t, asked - timedelta(minutes=rng.uniform(20, 180)))
        by_rp = rng.random() < 0.6
        who = root_program(rng) if by_rp else community(rng)
        p._add(asked, who, "root_program" if by_rp else "community", T.question(rng, by_rp),
               is_question=True)
    elif scenario.startswith("next_update"):
        if scenario.endswith("overdue"):
            day = (now - timedelta(hours=rng.uniform(30, 120))).date()
        else:  # "Next update" today (tomorrow when today is nearly over)
            day = now.date() if now.hour < 22 else (now + DAY).date()
        end = datetime.combine(day, datetime.min.time(), now.tzinfo) + DAY
        set_at = end - timedelta(days=rng.uniform(8, 20))
        _updates(p, t, set_at - timedelta(hours=rng.uniform(1, 24)))
        p.promises.append((set_at, day))
    elif scenario.startswith("update"):
        _updates(p, t, now - past)
    else:  # closure: the CA's closure summary, then the root program's silence
        closed = now - past
        _updates(p, t, closed - timedelta(days=rng.uniform(1, 4)))
        p._post_reports(closed, p._report(closed, "closure", "v3", False), False)


def _redate(p: Planner, t: datetime, overdue: bool) -> None:
    """The CA re-dates the report's first Action Item in an update and says nothing after it:
    to a day whose end has passed (overdue) or to today or tomorrow (due within 48 hours)."""
    rng, now = p.rng, p.as_of
    if overdue:
        day = (now - timedelta(days=rng.uniform(1.1, 6))).date()
        end = datetime.combine(day, datetime.min.time(), now.tzinfo) + DAY
        told = end - timedelta(days=rng.uniform(1, 10))
    else:
        day = (now + DAY * rng.randint(0, 1)).date()
        told = now - timedelta(days=rng.uniform(1, 5))
    _updates(p, t, told - timedelta(hours=rng.uniform(6, 48)))
    item = p.items[0]
    item.status, item.status_date = "Delayed", None
    item.due, item.precision, item.due_text = day, "day", day.isoformat()
    c = p._add(told, p._ca_person(), "ca",
               T.action_item_update(render_rows([item], "update-list")).text, kind="update")
    c.items = tuple(rows_of([item], "update-list"))
