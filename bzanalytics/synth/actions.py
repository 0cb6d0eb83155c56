"""Planted Action Items: what a report promises, how each promise ends, and the rows that say so.

The planner decides each item's due date (in the written forms CAs use), then its fate:
completed on time or late, re-dated (before or after the date passed), canceled, or left
silent. Every comment that states items carries `ItemRow`s, so the truth describes the text by
construction; `render_rows` writes them as a table, a flattened table or a list.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from random import Random

from bzanalytics.synth.dates import MONTHS

EXTRA_ITEMS = (
    ("Add monitoring for this condition", "Detect"),
    ("Revoke and replace affected certificates", "Mitigate"),
    ("Add a regression test for the certificate profile", "Prevent"),
    ("Train the validation team on the revised procedure", "Prevent"),
    ("Review all other certificate profiles for the same gap", "Detect"),
)
CRITERIA = ("Verified by a test", "Checked by the compliance team", "Confirmed in production",
            "Reviewed by a second person")
V2_HEAD = "| Action Item | Kind | Due Date |"
V3_HEAD = ("| Action Item | Kind | Corresponding Root Cause(s) | Evaluation Criteria | Due Date "
           "| Status |")


@dataclass
class PItem:
    """One planted Action Item and its current state (changed as the plan posts updates)."""

    number: int
    text: str
    kind: str
    root_cause: str
    criteria: str
    due: date | None
    precision: str | None
    due_text: str
    status: str | None = None
    status_date: date | None = None


@dataclass(frozen=True)
class ItemRow:
    """One row of one comment: which item, how it is written, and what it states."""

    item: int
    row: int
    form: str
    text: str
    kind: str | None
    due: date | None
    precision: str | None
    due_text: str | None
    status: str | None
    status_date: date | None


@dataclass
class ItemEvent:
    """A planned change: at `time` the CA posts an update saying so."""

    time: datetime
    item: int
    status: str
    new_due: date | None = None
    status_date: date | None = None
    restate_all: bool = False
    extra: dict = field(default_factory=dict)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def due_form(rng: Random, d: date, post: datetime) -> tuple[date | None, str | None, str]:
    """(due as a reader takes it, precision, text) for a planned due date."""
    roll = rng.random()
    if roll < 0.68:
        return d, "day", d.isoformat()
    if roll < 0.74:
        return d, "day", f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    if roll < 0.80:
        return d, "day", f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if roll < 0.86:
        return _month_end(d.year, d.month), "month", f"end of {MONTHS[d.month - 1]} {d.year}"
    if roll < 0.91:
        q = (d.month - 1) // 3 + 1
        return _month_end(d.year, 3 * q), "quarter", f"Q{q} {d.year}"
    if roll < 0.95:
        return None, "unknown", "TBD"
    if post.date() < d <= post.date() + timedelta(days=200):
        return d, "day", f"{MONTHS[d.month - 1]} {d.day}"
    return d, "day", d.isoformat()


def plan_items(rng: Random, first_number: int, texts: list[tuple[str, str]], post: datetime,
               with_status: bool) -> list[PItem]:
    """Items of one report posted at `post`; v3 tables carry a status from the start."""
    out = []
    for n, (text, kind) in enumerate(texts):
        offset = rng.randint(-10, -1) if rng.random() < 0.08 else rng.randint(3, 60)
        planned = (post + timedelta(days=offset)).date()
        due, precision, due_text = due_form(rng, planned, post)
        item = PItem(first_number + n, text, kind, f"Root Cause #{rng.randint(1, 2)}"
                     if rng.random() < 0.7 else f"Contributing Factor #{rng.randint(1, 2)}",
                     rng.choice(CRITERIA), due, precision, due_text)
        if with_status:
            item.status = "Ongoing"
            if due is not None and due < post.date() and rng.random() < 0.5:
                item.status = "Complete"
                item.status_date = due + timedelta(days=rng.randint(-4, 3))
                if item.status_date >= post.date():
                    item.status_date = post.date() - timedelta(days=1)
            elif rng.random() < 0.12:
                item.status = "Complete"
                if due is None or due >= post.date() or rng.random() < 0.7:
                    item.status_date = post.date() - timedelta(days=rng.randint(1, 5))
        out.append(item)
    return out


def _deadline(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=UTC) + timedelta(days=1)


def plan_events(rng: Random, items: list[PItem], post: datetime, until: datetime
                ) -> list[ItemEvent]:
    """Completions, slips, re-datings and cancellations announced before `until`."""
    events: list[ItemEvent] = []
    earliest = post + timedelta(hours=2)
    for item in items:
        if item.status == "Complete":
            continue
        roll = rng.random()
        if item.due is None:
            if roll < 0.5:
                events += _completion(rng, item.number, post + timedelta(
                    days=rng.uniform(5, 40)))
            continue
        deadline = _deadline(item.due)
        if roll < 0.40:
            done = max(earliest, deadline - timedelta(days=rng.uniform(0.2, 10)))
            events += _completion(rng, item.number, done)
        elif roll < 0.55:
            events += _completion(rng, item.number, deadline + timedelta(days=rng.uniform(0.5, 20)))
        elif roll < 0.70:
            new_due = item.due + timedelta(days=rng.randint(10, 40))
            if rng.random() < 0.5:
                told = max(earliest, deadline - timedelta(days=rng.uniform(0.5, 5)))
            else:
                told = max(earliest, deadline + timedelta(days=rng.uniform(0.1, 7)))
            events.append(ItemEvent(told, item.number, "Delayed", new_due=new_due))
            if rng.random() < 0.6:
                done = max(told + timedelta(hours=2),
                           _deadline(new_due) - timedelta(days=rng.uniform(0.2, 5)))
                events += _completion(rng, item.number, done)
        elif roll < 0.75:
            events.append(ItemEvent(post + timedelta(days=rng.uniform(3, 30)), item.number,
                                    "Canceled"))
    # an item's events stand up to the first one that falls after `until`
    out: list[ItemEvent] = []
    cut: set[int] = set()
    for e in events:  # per item in time order
        if e.item in cut or not earliest <= e.time < until:
            cut.add(e.item)
            continue
        out.append(e)
    return sorted(out, key=lambda e: e.time)


def _completion(rng: Random, number: int, done: datetime) -> list[ItemEvent]:
    told = done + timedelta(days=rng.uniform(0, 6))
    stated = done.date() if rng.random() < 0.7 else None
    return [ItemEvent(told, number, "Complete", status_date=stated)]


def status_text(status: str | None, status_date: date | None) -> str:
    if status is None:
        return ""
    if status_date is not None:
        return f"{status} (completed {status_date.isoformat()})"
    return status


def rows_of(items: list[PItem], form: str) -> list[ItemRow]:
    """The rows a comment states for `items` in their current state (`form` as `render_rows`)."""
    v3 = form.endswith("v3")
    update = form == "update-list"
    name = "list" if form.startswith(("list", "update")) else form
    return [ItemRow(it.number, n, name, it.text, None if update else it.kind,
                    it.due if not update or it.status == "Delayed" else None,
                    it.precision if not update or it.status == "Delayed" else None,
                    it.due_text if not update or it.status == "Delayed" else None,
                    it.status if v3 or update else None,
                    it.status_date if v3 or update else None)
            for n, it in enumerate(items, start=1)]


def render_rows(items: list[PItem], form: str) -> str:
    """Text of one Action Items block: `table-v2`, `table-v3`, `flat-v2`, `flat-v3`, `list-v2`,
    `list-v3` (a report's list) or `update-list` (an update's list of changes)."""
    if form in ("table-v2", "flat-v2"):
        head, sep = V2_HEAD, "|---|---|---|"
        body = [f"| {it.text} | {it.kind} | {it.due_text} |" for it in items]
    elif form in ("table-v3", "flat-v3"):
        head, sep = V3_HEAD, "|---|---|---|---|---|---|"
        body = [f"| {it.text} | {it.kind} | {it.root_cause} | {it.criteria} | {it.due_text} | "
                f"{status_text(it.status, it.status_date)} |" for it in items]
    elif form == "list-v2":
        return "\n".join(f"- {it.text} ({it.kind}) – due {it.due_text}" for it in items)
    elif form == "list-v3":
        return "\n".join(f"- {it.text} ({it.kind}) – due {it.due_text} – Status: "
                         f"{status_text(it.status, it.status_date)}" for it in items)
    else:  # update-list
        lines = []
        for it in items:
            line = f"- {it.text} – Status: {status_text(it.status, it.status_date)}"
            if it.status == "Delayed":
                line += f" – new due date {it.due_text}"
            lines.append(line)
        return "\n".join(lines)
    if form.startswith("flat"):
        return "\n".join(line.strip("|").replace(" | ", " ").strip() for line in [head, *body])
    return "\n".join([head, sep, *body])
