"""Plan one bug: who files it, what the CA posts when, what the root programs ask, how the
Whiteboard and status change. The plan is the ground truth; text is rendered from it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from random import Random

from bzanalytics.synth import templates as T
from bzanalytics.synth.actions import (
    EXTRA_ITEMS,
    ItemRow,
    PItem,
    plan_events,
    plan_items,
    render_rows,
    rows_of,
)
from bzanalytics.synth.attention import plant
from bzanalytics.synth.cas import Owner, pick_owner, summary_prefix
from bzanalytics.synth.dates import MODERN_STYLES, STYLE_BY_NAME, STYLES, TimeStyle
from bzanalytics.synth.issues import Issue, audit_issue, delay_issue, pick_issue
from bzanalytics.synth.people import (
    NOBODY,
    Person,
    anonymous_ca,
    bot,
    ca_staff,
    community,
    root_program,
)
from bzanalytics.synth.whiteboard import compose, next_update_text, render_tags, tag_spelling

V2_START = datetime(2023, 10, 17, tzinfo=UTC)
V3_START = datetime(2025, 3, 1, tzinfo=UTC)
IRG1_START = datetime(2023, 2, 15, tzinfo=UTC)
CADENCE_START = datetime(2023, 5, 2, tzinfo=UTC)
TAGS_DAY = datetime(2023, 1, 11, tzinfo=UTC)
PRODUCT_MOVE = datetime(2022, 11, 14, 22, 22, 57, tzinfo=UTC)
GRACE = timedelta(days=30)
POLICY_2_0 = datetime(2025, 7, 15, tzinfo=UTC)  # CCADB Policy 2.0: template currency
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass
class PComment:
    time: datetime
    author: Person
    role: str  # ca | root_program | community | bot
    text: str
    kind: str | None = None
    template: str | None = None
    sections: tuple[str, ...] = ()
    aware: T.Awareness | None = None
    is_private: bool = False
    attachment: str | None = None  # file name of an attachment created with the comment
    is_question: bool = False  # planted as a question (a public non-CA comment with a "?")
    items: tuple[ItemRow, ...] = ()  # the Action Item rows the comment states
    full_by: tuple[datetime, str] | None = None  # a promised full-report date (T.Rendered)


@dataclass(frozen=True)
class WB:
    """One Whiteboard value from `time` on, with what it means (so truth never re-parses it)."""

    time: datetime
    who: str
    value: str
    tags: tuple[str, ...]  # canonical tag names
    next_update: date | None = None
    close_on: date | None = None


@dataclass
class BugPlan:
    bug_id: int
    created: datetime
    owner: Owner
    summary: str
    ca_raw: str
    self_filed: bool
    creator: Person
    issue: Issue
    tags: list[str]
    comments: list[PComment] = field(default_factory=list)
    whiteboard: list[WB] = field(default_factory=list)
    assignee: str = NOBODY
    assigned_at: datetime | None = None
    assigner: str = ""
    status: str = "NEW"
    initial_status: str = "NEW"
    resolution: str = ""
    resolved: datetime | None = None
    resolver: str = ""
    dupe_of: int | None = None
    meta: bool = False
    ccadb_id: str | None = None


def _lognormal(rng: Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0.0, sigma))


def era(t: datetime, rng: Random) -> str:
    """The template a CA uses for a report posted at t, with the 30-day grace overlap."""
    if t < V2_START:
        return "legacy"
    if t < V2_START + GRACE:
        return "legacy" if rng.random() < 0.3 else "v2"
    if t < V3_START:
        return "v2"
    if t < V3_START + GRACE:
        return "v2" if rng.random() < 0.3 else "v3"
    if t >= POLICY_2_0 and rng.random() < 0.04:
        return "v2"  # a stale template, flagged by CCADB Policy 2.0
    return "v3"


def _self_share(year: int) -> float:
    return 0.4 if year < 2020 else 0.55 if year < 2023 else 0.7


class Planner:
    """Builds one BugPlan; all randomness comes from the bug's own Random."""

    def __init__(self, rng: Random, bug_id: int, created: datetime, as_of: datetime,
                 earlier_id: int | None, scenario: str | None = None):
        self.rng, self.bug_id, self.created, self.as_of = rng, bug_id, created, as_of
        self.earlier_id = earlier_id
        self.scenario = scenario  # an open bug planted in an attention state (synth/attention.py)
        self.owner = pick_owner(rng)
        self.staff = [ca_staff(self.owner, rng) for _ in range(3)]
        self.rp = root_program(rng, "Mozilla")
        # Whiteboard events the plan decides before the Whiteboard is written
        self.promises: list[tuple[datetime, date | None]] = []  # (time set, date or removal)
        self.close_on: tuple[datetime, date] | None = None
        self.clear_whiteboard: str | None = None
        # Action Items: planted with the first report that has a table, changed by updates
        self.items: list[PItem] = []
        self.items_posted: datetime | None = None
        self.items_form = ""
        self.pending_rows: list[ItemRow] = []
        self.first_item_open = False  # the first planned item starts Ongoing (synth/attention)

    # ------------------------------------------------------------ entry point
    def plan(self) -> BugPlan:
        rng = self.rng
        roll = rng.random()
        year = self.created.year
        if roll < 0.004:
            kind = "meta"
        elif roll < 0.044:
            kind = "invalid"
        elif roll < 0.062:
            kind = "duplicate"
        elif roll < 0.077:
            kind = "audit-delay"
        elif roll < 0.14 and year >= 2019:
            kind = "audit"
        else:
            kind = "incident"
        if self.scenario is not None:
            kind = "incident"
        if kind == "audit":
            issue = audit_issue(year - (1 if self.created.month < 4 else 0), rng)
        elif kind == "audit-delay":
            issue = delay_issue(year - 1)
        else:
            issue = pick_issue(rng)
        prefix = summary_prefix(self.owner, self.created, rng)
        title = issue.title if rng.random() < 0.9 else issue.title.lower()
        summary = f"{prefix}: {title}"
        if kind == "meta":
            summary = f"[meta] {prefix}: Tracking bug for {issue.title.lower()}"
        self_filed = {"incident": rng.random() < _self_share(year), "audit": rng.random() < 0.95,
                      "duplicate": rng.random() < 0.4, "invalid": rng.random() < 0.1}.get(kind,
                                                                                          False)
        if self_filed:
            creator = anonymous_ca(rng) if (self.created >= V3_START and rng.random() < 0.1) \
                else self.staff[0]
        else:
            creator = self.rp if kind in ("meta", "audit-delay") or rng.random() < 0.2 \
                else community(rng)
        tags = ["ca-compliance", issue.category]
        if rng.random() < 0.03 and issue.category.endswith("misissuance"):
            tags.append("leaf-revocation-delay")
        if not self_filed and rng.random() < 0.05:
            tags.append("external")
        if rng.random() < 0.03:  # handling tags, sometimes written before the category
            tags.insert(1 if rng.random() < 0.5 else len(tags),
                        rng.choice(("remediation-accepted", "ca-onecrl", "external")))
        bug = BugPlan(self.bug_id, self.created, self.owner, summary, prefix, self_filed, creator,
                      issue, tags, meta=kind == "meta")
        self.bug = bug
        if self.scenario is not None:
            plant(self, self.scenario)
        elif kind in ("meta", "invalid", "duplicate"):
            self._minor(kind)
        else:
            self._incident(kind == "audit")
        self._whiteboard_base()
        self._finish()
        return bug

    # ------------------------------------------------------------ helpers
    def _add(self, t: datetime, who: Person, role: str, text: str, **kw) -> PComment:
        c = PComment(t, who, role, text, **kw)
        self.bug.comments.append(c)
        return c

    def _ca_person(self) -> Person:
        if self.bug.self_filed and self.bug.creator.email.startswith("incident-desk"):
            return self.bug.creator
        return self.rng.choice(self.staff)

    def _opening_third_party(self) -> None:
        bug, rng = self.bug, self.rng
        if bug.creator is self.rp:
            if self.created < IRG1_START and rng.random() < 0.5:
                text = T.legacy_request(bug.ca_raw, (self.created + 14 * DAY).date())
            else:
                text = (f"This bug tracks the following issue at {bug.ca_raw}: {bug.issue.what}. "
                        "Please provide an incident report in this bug.")
        elif self.created >= V3_START and rng.random() < 0.3:
            r = T.third_party_preliminary(bug.ca_raw, bug.issue)
            self._add(self.created, bug.creator, "community", r.text, kind=r.kind,
                      template=r.template, sections=r.sections)
            return
        else:
            style = STYLE_BY_NAME[rng.choice(("iso-utc", "iso-endash", "long-us"))]
            times = [self.created - timedelta(hours=rng.uniform(2, 200))
                     for _ in range(rng.choice((0, 0, 2, 3)))]
            text = T.third_party_opening(rng, bug.ca_raw, bug.issue, style, sorted(times))
        self._add(self.created, bug.creator, "root_program" if bug.creator is self.rp
                  else "community", text)

    # ------------------------------------------------------------ minor bug kinds
    def _minor(self, kind: str) -> None:
        bug, rng = self.bug, self.rng
        if bug.self_filed:
            self._add(self.created, bug.creator, "ca", "We are filing this bug to track "
                      f"{bug.issue.what}. Details will follow.")
        else:
            self._opening_third_party()
        t = self.created + timedelta(hours=rng.uniform(4, 120))
        if kind != "meta" and not bug.self_filed and rng.random() < 0.5:
            self._add(t, self._ca_person(), "ca", T.ca_ack(rng))
            t += timedelta(hours=rng.uniform(2, 72))
        if kind == "meta":
            if rng.random() < 0.6:
                self._resolve(t + 200 * DAY, "FIXED")
            return
        if kind == "invalid":
            self._add(t, self.rp, "root_program", "This is not a compliance issue under the "
                      "current requirements, so I am resolving it as invalid.")
            self._resolve(t + timedelta(minutes=2), "INVALID")
        else:
            bug.dupe_of = self.earlier_id
            note = f"Duplicate of bug {self.earlier_id}." if self.earlier_id else "Duplicate."
            self._add(t, self.rp, "root_program", note)
            self._resolve(t + timedelta(minutes=2), "DUPLICATE")

    def _resolve(self, t: datetime, resolution: str, who: Person | None = None) -> None:
        self.bug.resolved, self.bug.resolution = t, resolution
        self.bug.resolver = (who or self.rp).email

    # ------------------------------------------------------------ incidents
    def _awareness(self, audit: bool) -> tuple[datetime | None, str | None, str]:
        rng, created = self.rng, self.created
        if audit:
            t = created - timedelta(days=rng.uniform(1, 7))
            return t, ("day" if rng.random() < 0.7 else "minute"), "audit"
        if self.bug.self_filed:
            t = created - timedelta(hours=min(0.5 + _lognormal(rng, 20, 1.0), 480))
            roll = rng.random()
            if roll < 0.1 and created < V3_START:
                return None, None, "self"
            return t, ("day" if roll < 0.3 else "minute"), "self"
        roll = rng.random()
        if roll < 0.2 and created < V3_START:
            return None, None, "third_party"
        if roll < 0.4:  # a problem report by e-mail before the public bug
            t = created - timedelta(days=min(0.2 + _lognormal(rng, 1.5, 0.9), 30))
        else:
            # the bug itself tells the CA, within the BRs' 24 hours for a problem report
            t = created + timedelta(hours=rng.uniform(0.3, 23.5))
        precision = "day" if rng.random() < 0.2 else "minute"
        if precision == "day" and t.date() == created.date():
            t += DAY if t > created else -DAY
        return t, precision, "third_party"

    def _events(self, aware: datetime | None) -> list[tuple[datetime, str]]:
        rng = self.rng
        anchor = aware or self.created - DAY
        ev = [(anchor - timedelta(days=rng.uniform(3, 200)),
               "Certificate profile change deployed, which introduced the problem."),
              (anchor - timedelta(days=rng.uniform(0.5, 2.5)),
               "First affected certificate issued.")]
        t = anchor
        # "notified" here is the CA telling others, not its awareness: a trap real timelines set
        for text in ("Investigation confirmed the scope of the problem.",
                     "Issuance with the affected profile halted.",
                     "Affected subscribers were notified of the coming revocation.",
                     "Fix deployed to production.", "Last affected certificate revoked."):
            t += timedelta(hours=rng.uniform(1, 30))
            ev.append((t, text))
        return [(x.replace(second=0, microsecond=0), text) for x, text in ev]

    def _input(self, t: datetime, aware: T.Awareness | None, source: str, modern: bool,
               free_style: bool = False) -> T.ReportInput:
        rng = self.rng
        if free_style:
            style = STYLE_BY_NAME[rng.choice(("iso-utc", "iso-endash", "uk-weekday", "cet",
                                              "weekday-pacific-pm"))]
        elif modern:
            style = STYLE_BY_NAME[rng.choice(MODERN_STYLES)]
        else:
            style: TimeStyle = rng.choice(STYLES)
        markdown = rng.random() < (0.8 if modern else 0.35)
        mode = "md" if markdown else rng.choice(("plain", "caps", "numbered", "plain"))
        events = [e for e in self.events if e[0] < t - timedelta(minutes=5)]
        return T.ReportInput(rng, self.owner, self.bug.issue, t, aware, source, events, style,
                             markdown, self.n_certs, mode)

    def _report(self, t: datetime, which: str, era_: str, audit: bool, split: bool = False
                ) -> list[T.Rendered]:
        """Render one report of `which` (initial|full|closure) in the template of `era_`."""
        rng = self.rng
        aware = self.aware
        # some first notices give the date only (self-filed: no clash with the creation day)
        if aware is not None and which == "initial" and aware.precision == "minute" \
                and self.bug.self_filed and rng.random() < 0.2:
            aware = T.Awareness(aware.time, "day")
        if aware is not None and aware.time > t:
            aware = None
        source = self.source
        if which == "closure":
            return [T.v3_closure(self._input(t, None, source, True))]
        if which == "initial":
            if era_ == "v3":
                stated = aware if rng.random() < 0.6 else None
                return [T.v3_preliminary(self._input(t, stated, source, True, free_style=True))]
            stated = aware if rng.random() < 0.7 else None
            return [T.freeform_preliminary(self._input(t, stated, source, False,
                                                       free_style=True))]
        if era_ == "v3":
            self.bug.ccadb_id = self.bug.ccadb_id or self.owner.ccadb_id
            inp = self._with_items(self._input(t, aware, source, True), True, 1)
            return [T.v3_full(inp)]
        if audit and era_ == "v2":
            inp = self._with_items(self._input(t, aware, source, True), False,
                                   rng.randint(1, 3))
            return [T.audit_v2(inp)]
        if audit and t >= IRG1_START and era_ == "legacy":
            return [T.audit_v1(self._input(t, None, source, False))]
        if era_ == "v2":
            return [T.v2_full(self._with_items(self._input(t, aware, source, True), False, 1))]
        return T.legacy_report(self._input(t, aware, source, False), split=split)

    def _with_items(self, inp: T.ReportInput, v3: bool, blocks: int) -> T.ReportInput:
        """Plan this report's Action Items (one block per audit finding) into `inp.extras`."""
        rng = inp.rng
        if rng.random() < 0.1:
            inp.extras["lucky"] = "Fortuitous circumstances"  # the proposed new heading
        if rng.random() < 0.15:
            form = "list-v3" if v3 else "list-v2"
        else:
            form = ("table-" if inp.markdown else "flat-") + ("v3" if v3 else "v2")
        out = []
        for b in range(blocks):
            texts = [(self.bug.issue.fix, "Prevent"),
                     *rng.sample(EXTRA_ITEMS, rng.randint(0, 3))]
            if blocks > 1:
                texts = [(f"{text} for finding {b + 1}", kind) for text, kind in texts]
            items = plan_items(rng, len(self.items) + 1, texts, inp.post, v3)
            if self.first_item_open and not self.items:
                items[0].status = "Ongoing" if v3 else None
                items[0].status_date = None
            self.items.extend(items)
            out.append((items, form))
        inp.extras["action_blocks"] = out
        self.items_form = form
        self.pending_rows = [r for items, f in out for r in rows_of(items, f)]
        return inp

    def _post_reports(self, t: datetime, rendered: list[T.Rendered], first_in_c0: bool) -> None:
        who = self.bug.creator if first_in_c0 else self._ca_person()
        for n, r in enumerate(rendered):
            text, attach = r.text, None
            if first_in_c0 and n == 0 and self.rng.random() < 0.4:
                text = T.FORM_HEAD + text + T.FORM_TAIL
                if self.rng.random() < 0.15:
                    attach = "report.xlsx"
            c = self._add(t + timedelta(minutes=7 * n), who, "ca", text, kind=r.kind,
                          template=r.template, sections=r.sections, aware=r.aware,
                          attachment=attach, full_by=r.full_by)
            if self.pending_rows:
                # rows numbered through the comment (audit findings hold one table each)
                c.items = tuple(replace(row, row=k) for k, row in
                                enumerate(self.pending_rows, start=1))
                self.pending_rows = []
                self.items_posted = c.time

    def _incident(self, audit: bool) -> None:
        bug, rng = self.bug, self.rng
        a_time, precision, self.source = self._awareness(audit)
        if a_time is not None and precision == "minute":
            a_time = a_time.replace(second=0, microsecond=0)
        self.aware = T.Awareness(a_time, precision) if a_time else None
        self.events = self._events(a_time)
        self.n_certs = int(_lognormal(rng, 40, 1.8)) + 1
        silent = rng.random() < 0.04  # the CA never posts a report
        # comment 0
        t_init: datetime | None = None
        if bug.self_filed:
            era0 = era(self.created, rng)
            roll = rng.random()
            if silent or roll < 0.2:
                self._add(self.created, bug.creator, "ca", "We are filing this bug to track "
                          f"{bug.issue.what}. Details will follow.")
            elif roll < 0.6 and not (audit and era0 != "v3"):
                self._post_reports(self.created, self._report(self.created, "initial", era0,
                                                              audit), True)
                t_init = self.created
            else:
                split = era0 == "legacy" and rng.random() < 0.1
                self._post_reports(self.created, self._report(self.created, "full", era0, audit,
                                                              split), True)
                t_init = self.created
        else:
            self._opening_third_party()
        start = max(self.created, self.aware.time if self.aware else self.created)
        if not bug.self_filed:
            first = max(self.created + timedelta(hours=_lognormal(rng, 18, 1.1)),
                        start + timedelta(minutes=10))
            if silent or rng.random() < 0.4:
                self._add(first, self._ca_person(), "ca", T.ca_ack(rng))
                start = first
        t_full = t_init if t_init is not None and bug.comments[0].kind != "preliminary" else None
        if not silent:
            if t_init is None:
                slow = 4 if rng.random() < 0.12 else 1
                t_init = start + timedelta(hours=_lognormal(rng, 30, 0.9) * slow)
                e = era(t_init, rng)
                if e == "v3" or (not audit and rng.random() < 0.35):
                    self._post_reports(t_init, self._report(t_init, "initial", e, audit), False)
                else:
                    split = e == "legacy" and rng.random() < 0.1
                    self._post_reports(t_init, self._report(t_init, "full", e, audit, split),
                                       False)
                    t_full = t_init
            if t_full is None:
                t_full = t_init + timedelta(days=_lognormal(rng, 7, 0.6))
                self._post_reports(t_full, self._report(t_full, "full", era(t_full, rng), audit),
                                   False)
        last = t_full or self.created
        end = last + timedelta(days=_lognormal(rng, 30, 0.8))
        self._follow_up(last, end, silent, audit)

    def _follow_up(self, since: datetime, end: datetime, silent: bool, audit: bool) -> None:
        """Updates, promises, questions, closure and resolution after the reports."""
        rng = self.rng
        t = since
        if not silent:
            t = self._updates(since, end)
            self._item_updates(end)
        questions = rng.choices((0, 1, 2, 3, 4), weights=(35, 30, 20, 10, 5))[0]
        for _ in range(questions):
            q_time = self.created + (t - self.created) * rng.uniform(0.05, 1.0) + HOUR
            by_rp = rng.random() < 0.6
            who = root_program(rng) if by_rp else community(rng)
            self._add(q_time, who, "root_program" if by_rp else "community",
                      T.question(rng, by_rp), is_question=True)
            if not silent and rng.random() < 0.93:
                delay = timedelta(days=_lognormal(rng, 1.5, 1.1))
                self._add(q_time + delay, self._ca_person(), "ca",
                          T.ca_answer(rng, who.real_name.split(" ")[0] if not by_rp else ""))
                t = max(t, q_time + delay)
        if rng.random() < 0.2:
            self._add(self.created + (t - self.created) * rng.uniform(0.1, 1) + HOUR,
                      community(rng), "community", T.community_remark(rng))
        if rng.random() < 0.03:
            self._add(self.created + (t - self.created) * rng.uniform(0.1, 1) + 2 * HOUR,
                      self.rp, "root_program", rng.choice(T.PRIVATE_NOTES), is_private=True)
        if rng.random() < 0.02:
            self._add(self.created + (t - self.created) * rng.uniform(0.1, 1) + 3 * HOUR, bot(),
                      "bot", "Automated reminder: this bug has an open needinfo request.")
        # closure
        t += timedelta(days=rng.uniform(1, 10))
        if not silent and t >= V3_START and era(t, rng) == "v3":
            self._post_reports(t, self._report(t, "closure", "v3", audit), False)
        close_day = (t + timedelta(days=rng.uniform(2, 8))).date()
        t_notice = t + timedelta(hours=rng.uniform(2, 48))
        if rng.random() < 0.6:
            self._add(t_notice, self.rp, "root_program", T.closing_notice(rng, close_day))
            if t_notice >= TAGS_DAY and rng.random() < 0.6:
                self.close_on = (t_notice + timedelta(minutes=1), close_day)
        resolved = datetime.combine(close_day, datetime.min.time(), UTC) + \
            timedelta(hours=rng.uniform(8, 20))
        if resolved < t_notice:
            resolved = t_notice + HOUR
        self._resolve(resolved, rng.choices(("FIXED", "WONTFIX", "WORKSFORME", "INCOMPLETE"),
                                            weights=(98, 1.2, 0.3, 0.15))[0])

    def _item_updates(self, until: datetime) -> None:
        """Updates announcing Action Item completions, delays and cancellations."""
        if not self.items or self.items_posted is None:
            return
        rng = self.rng
        by_number = {it.number: it for it in self.items}
        for e in plan_events(rng, self.items, self.items_posted, until):
            item = by_number[e.item]
            item.status, item.status_date = e.status, e.status_date
            if e.new_due is not None:
                item.due, item.precision, item.due_text = e.new_due, "day", e.new_due.isoformat()
            if self.items_form.endswith("v3") and rng.random() < 0.4:
                form = ("table-v3" if rng.random() < 0.7 else "flat-v3")
                shown = self.items
            else:
                form, shown = "update-list", [item]
            r = T.action_item_update(render_rows(shown, form))
            c = self._add(e.time, self._ca_person(), "ca", r.text, kind="update")
            c.items = tuple(rows_of(shown, form))

    def _updates(self, since: datetime, end: datetime) -> datetime:
        """CA updates between reports and closure; weekly from 2023-05, with Next-update promises
        set on the Whiteboard (kept, missed or withdrawn by the plan)."""
        rng = self.rng
        t = since
        if end < CADENCE_START:
            for _ in range(rng.choice((0, 0, 1, 2))):
                t += timedelta(days=rng.uniform(3, 25))
                self._add(t, self._ca_person(), "ca", T.update(rng).text, kind="update")
            return t
        while t < end:
            if t >= datetime(2022, 6, 1, tzinfo=UTC) and rng.random() < 0.15:
                s = t + timedelta(hours=rng.uniform(1, 24))
                d = (s + timedelta(days=rng.uniform(10, 35))).date()
                self.promises.append((s, d))
                if rng.random() < 0.3:
                    self._add(s, self.rp, "root_program", T.next_update_notice(d))
                eod = datetime.combine(d, datetime.min.time(), UTC) + DAY
                roll = rng.random()
                if roll < 0.7:
                    nxt = s + (eod - s) * rng.uniform(0.3, 0.97)
                elif roll < 0.85:
                    nxt = eod + timedelta(days=rng.uniform(0.2, 6))
                else:  # withdrawn: the root program moves or removes the date first
                    w = s + (eod - s) * rng.uniform(0.2, 0.8)
                    new = None if rng.random() < 0.5 else (eod + timedelta(days=rng.uniform(5, 20))
                                                           ).date()
                    self.promises.append((w, new))
                    nxt = eod + timedelta(days=rng.uniform(0.2, 4))
            else:
                gap = rng.uniform(3, 7) if rng.random() < 0.7 else rng.uniform(8, 20)
                nxt = t + timedelta(days=gap)
            t = nxt
            r = T.update(rng)
            self._add(t, self._ca_person(), "ca", r.text, kind="update")
        return t

    # ------------------------------------------------------------ whiteboard and finish
    def _whiteboard_base(self) -> None:
        bug, rng = self.bug, self.rng
        created = self.created
        canonical = tuple(bug.tags)
        full = render_tags([tag_spelling(t, created.date(), rng) for t in bug.tags], rng)
        if created >= TAGS_DAY and rng.random() < 0.5:
            bug.whiteboard.append(WB(created, bug.creator.email, full, canonical))
        else:
            base = "[ca-compliance]" if rng.random() < 0.7 else ""
            bug.whiteboard.append(WB(created, bug.creator.email, base,
                                     ("ca-compliance",) if base else ()))
            when = created + timedelta(hours=rng.uniform(2, 120))
            if created < TAGS_DAY and rng.random() < 0.4:  # retro-tagged in January 2023
                when = max(when, TAGS_DAY + timedelta(days=rng.uniform(0, 20)))
            bug.whiteboard.append(WB(when, self.rp.email, full, canonical))
        events: list[tuple[datetime, date | None, date | None]] = [
            (s, d, None) for s, d in self.promises]
        close_on = self.close_on
        if close_on:
            events.append((close_on[0], None, close_on[1]))
        last = bug.whiteboard[-1].time
        for s, d, c in sorted(events, key=lambda e: e[0]):
            s = max(s, last + timedelta(minutes=1))
            if c is not None:
                extra = f"[close on {c.isoformat()}]"
            else:
                extra = next_update_text(d, rng) if d else ""
            bug.whiteboard.append(WB(s, self.rp.email, compose(full, extra), canonical, d, c))
            last = s
        if bug.whiteboard[-1].value != full and rng.random() < 0.9:
            self.clear_whiteboard = full  # the root program tidies it when resolving

    def _finish(self) -> None:
        """Cut everything after as_of, order comments, set assignee and status."""
        bug, rng = self.bug, self.rng
        if bug.resolved and bug.resolved > self.as_of:
            bug.resolved, bug.resolution = None, ""
        for c in bug.comments:  # BMO carries whole seconds; so does the truth
            c.time = c.time.replace(microsecond=0)
        bug.whiteboard = [replace(w, time=w.time.replace(microsecond=0)) for w in bug.whiteboard]
        if bug.resolved is not None:
            bug.resolved = bug.resolved.replace(microsecond=0)
        bug.comments = sorted((c for c in bug.comments if c.time < self.as_of),
                              key=lambda c: c.time)
        # keep comment times distinct and after creation, comment 0 at creation
        for prev, c in pairwise(bug.comments):
            if c.time <= prev.time:
                c.time = prev.time + timedelta(seconds=rng.randint(30, 300))
        bug.comments = [c for c in bug.comments if c.time < self.as_of]
        if bug.resolved is not None:
            last = bug.comments[-1].time
            if bug.resolved <= last:
                bug.resolved = last + timedelta(minutes=rng.randint(5, 90))
            if bug.resolved >= self.as_of:
                bug.resolved, bug.resolution = None, ""
        bug.whiteboard = [w for w in bug.whiteboard if w.time < self.as_of]
        if bug.resolved is not None:
            # tags may be added to closed bugs (retro-tagging); promises and notices may not
            bug.whiteboard = [w for w in bug.whiteboard if w.time < bug.resolved
                              or (w.next_update is None and w.close_on is None)]
            clear, last = self.clear_whiteboard, bug.whiteboard[-1]
            when = max(bug.resolved, last.time + timedelta(seconds=1))
            if clear is not None and last.value != clear and when < self.as_of:
                bug.whiteboard.append(WB(when, bug.resolver, clear, last.tags))
        ca_comments = [c for c in bug.comments if c.role == "ca"]
        bug.initial_status = "NEW" if bug.self_filed or rng.random() < 0.5 else "UNCONFIRMED"
        if bug.self_filed:
            bug.assignee, bug.assigned_at = bug.creator.email, bug.created + timedelta(
                minutes=1 if bug.creator.email.startswith("incident-desk") else rng.randint(5, 600))
            bug.assigner = self.rp.email
        elif ca_comments and rng.random() < 0.9:
            bug.assignee = ca_comments[0].author.email
            bug.assigned_at = ca_comments[0].time + timedelta(minutes=rng.randint(1, 300))
            bug.assigner = self.rp.email
        if bug.assigned_at is not None and bug.assigned_at >= self.as_of:
            bug.assignee, bug.assigned_at = NOBODY, None
        if bug.resolved is not None and bug.assigned_at is not None \
                and bug.assigned_at >= bug.resolved:
            bug.assigned_at = bug.resolved - timedelta(seconds=30)
        if bug.resolved is not None:
            bug.status = "RESOLVED"
        elif bug.assigned_at is not None:
            bug.status = "ASSIGNED"
        else:
            bug.status = bug.initial_status


def plan_bug(rng: Random, bug_id: int, created: datetime, as_of: datetime,
             earlier_id: int | None, scenario: str | None = None) -> BugPlan:
    return Planner(rng, bug_id, created, as_of, earlier_id, scenario).plan()
