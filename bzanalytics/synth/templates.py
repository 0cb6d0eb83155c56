"""Report text per template era, in the renderings real comments show.

Every renderer returns the text together with what a careful reader recovers from it (kind,
template, sections, the awareness it states), so the truth file describes the text by
construction. Renderers never write awareness phrases ("became aware", "identified",
"discovered", "notified", "received the report") except in the one awareness statement, and
non-report comments never start with a report heading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from random import Random

from bzanalytics.synth.actions import render_rows
from bzanalytics.synth.cas import Owner
from bzanalytics.synth.dates import DAY_FORMS, STYLE_BY_NAME, TimeStyle, day_text
from bzanalytics.synth.issues import Issue

LEGACY_QUESTIONS = (
    "How your CA first became aware of the problem (e.g. via a problem report submitted to your "
    "Problem Reporting Mechanism, a discussion in mozilla.dev.security.policy, a Bugzilla bug, or "
    "internal self-audit), and the time and date.",
    "A timeline of the actions your CA took in response. A timeline is a date-and-time-stamped "
    "sequence of all relevant events.",
    "Whether your CA has stopped, or has not yet stopped, certificate issuance or the process "
    "giving rise to the problem or incident.",
    "In a case involving certificates, a summary of the problematic certificates. For each "
    "problem: the number of certificates, and the date the first and last certificates with that "
    "problem were issued.",
    "In a case involving TLS server certificates, the complete certificate data for the "
    "problematic certificates.",
    "Explanation about how and why the mistakes were made or bugs introduced, and how they avoided "
    "detection until now.",
    "List of steps your CA is taking to resolve the situation and ensure that such situation or "
    "incident will not be repeated in the future, accompanied with a binding timeline of when your "
    "CA expects to accomplish each of these remediation steps.",
)
OLD_WORDING = {
    2: "Whether your CA has stopped issuing certificates with the problem.",
    3: "A summary of the problematic certificates.",
    4: "The complete certificate data for the problematic certificates.",
}
SHORT_LABELS = ("How we became aware", "Timeline", "Whether issuance has stopped",
                "Summary of the problematic certificates", "Certificate data", "Root cause",
                "Remediation steps")
LEGACY_SECTIONS = ("how_aware", "timeline", "stopped_issuance", "certificate_summary",
                   "certificate_data", "root_cause", "remediation")
AWARE_SELF = ("our internal compliance review identified the problem",
              "we became aware of the problem during a scheduled certificate profile check",
              "our quality assurance team discovered the issue")
AWARE_THIRD = ("we were notified of the issue by a third party through our problem "
               "reporting mechanism",
               "we received the report via our problem reporting mechanism",
               "we became aware of the issue through this Bugzilla bug")
AWARE_AUDIT = ("we became aware of the finding when our auditor shared the draft report",)
DIDNT = ("What didn’t go well", "What didn't go well")
# When the CCADB templates were first drafted and took effect (incident-reporting-rules.md §1):
# before these, their titles are plain phrases.
V2_FIRST_DRAFT = datetime(2023, 8, 11, tzinfo=UTC)
V3_IN_FORCE = datetime(2025, 3, 1, tzinfo=UTC)
NOT_AWARE_ANSWER = ("Through this bug, which points to a requirement in force since {day}.",
                    "Through the forum thread about the rule that took effect on {day}.")


@dataclass(frozen=True)
class Awareness:
    time: datetime
    precision: str  # "minute" | "day"


@dataclass
class ReportInput:
    """Everything one report needs; `events` are the non-awareness timeline entries (UTC)."""

    rng: Random
    owner: Owner
    issue: Issue
    post: datetime
    aware: Awareness | None
    source: str  # "self" | "third_party" | "audit"
    events: list[tuple[datetime, str]]
    style: TimeStyle
    markdown: bool
    n_certs: int
    heading_mode: str = "md"  # md | plain | caps | numbered
    extras: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Rendered:
    text: str
    kind: str | None = None
    template: str | None = None
    sections: tuple[str, ...] = ()
    aware: Awareness | None = None
    #: the planted "full report by" promise: the promised moment (a UTC midnight for a day)
    #: and its precision
    full_by: tuple[datetime, str] | None = None


# ---------------------------------------------------------------- small pieces

def _aware_phrase(inp: ReportInput) -> str:
    pool = {"self": AWARE_SELF, "third_party": AWARE_THIRD, "audit": AWARE_AUDIT}[inp.source]
    return inp.rng.choice(pool)


def _day(inp: ReportInput, d: date, allow_yearless: bool = False) -> str:
    forms = DAY_FORMS if allow_yearless else DAY_FORMS[:-1]
    form = inp.rng.choice(forms)
    if form == "weekday-us" and d.day <= 12 and d.day != d.month \
            and date(d.year, d.day, d.month).weekday() == d.weekday():
        form = "iso"  # the weekday would fit both readings
    return day_text(d, form)


def _stamp(inp: ReportInput, t: datetime, precision: str = "minute") -> str:
    if precision == "day":
        return _day(inp, t.date())
    return inp.style.render(t)


def _sep(inp: ReportInput) -> str:
    return " " if inp.style.name in ("iso-note", "long-dot") else ": "


def awareness_sentence(inp: ReportInput, allow_yearless: bool = False) -> str:
    """The one sentence that states awareness, at the precision the plan says."""
    a = inp.aware
    assert a is not None
    phrase = _aware_phrase(inp)
    if a.precision == "day":
        when = _day(inp, a.time.date(), allow_yearless)
        return f"On {when} {phrase}."
    style = inp.style if inp.style.evident(a.time) else STYLE_BY_NAME["iso-utc"]
    return f"On {style.render(a.time)} {phrase}."


def timeline_lines(inp: ReportInput, with_awareness: bool = True) -> list[str]:
    entries = [(t, text, "minute") for t, text in inp.events]
    if with_awareness and inp.aware is not None:
        phrase = _aware_phrase(inp)
        entries.append((inp.aware.time, phrase[0].upper() + phrase[1:] + ".", inp.aware.precision))
    entries.sort(key=lambda e: e[0])
    lines = [f"{_stamp(inp, t, p)}{_sep(inp)}{text}" for t, text, p in entries]
    if inp.style.ambiguous and not any(inp.style.evident(t) for t, _, p in entries
                                       if p == "minute"):
        first = entries[0][0] if entries else inp.post
        d = (first - timedelta(days=45)).date().replace(day=inp.rng.randint(13, 28))
        lines.insert(0, f"{inp.style.render_date(d)}{_sep(inp)}Last annual review of the "
                        "certificate profile completed.")
    bullet = "- " if inp.markdown else inp.rng.choice(("", "• "))
    head = [inp.style.note] if inp.style.note else []
    if inp.style.name in STAMP_ABOVE_STYLES and inp.rng.random() < 0.15:
        # each time stamp alone on a bullet, its event on a nested bullet below
        return head + [f"{bullet}{_stamp(inp, t, p)}\n    {bullet or '• '}{text}"
                       for t, text, p in entries]
    return head + [bullet + line for line in lines]


STAMP_ABOVE_STYLES = ("iso-utc", "iso-endash", "iso-z", "dotted-iso")


def _heading(inp: ReportInput, title: str, level: int, number: int | None = None) -> str:
    mode = inp.heading_mode
    if mode == "md":
        return "#" * level + " " + title
    if mode == "caps":
        return title.upper() + inp.extras.setdefault("caps_tail", inp.rng.choice(("", ":", " -")))
    if mode == "numbered" and number is not None:
        return f"{number}. {title}"
    return title


def _field(inp: ReportInput, label: str, value: str) -> str:
    if inp.markdown:
        return f"- **{label}:** {value}"
    if inp.extras.setdefault("field_split", inp.rng.random() < 0.4):
        return f"{label}:\n{value}\n-"
    return f"• {label}: {value}"


def _crt_lines(inp: ReportInput, k: int) -> list[str]:
    return [f"https://crt.sh/?sha256={inp.rng.getrandbits(256):064X}" for _ in range(k)]


def _due(inp: ReportInput, days: int) -> str:
    return (inp.post + timedelta(days=days)).date().isoformat()


PROMISES = (
    "We are investigating the scope and will post a full incident report by {when}.",
    "A full incident report will follow no later than {when}.",
    "Our full report is planned for publication on or before {when}.",
    "We expect to publish the complete incident report at the latest on {when}.",
)
NO_DATE_PROMISES = (
    "We are investigating the scope and will follow up with a full incident report.",
    "A full incident report will follow once the analysis is complete.",
    "We will post the full report within 14 days.",
)


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def promise_sentence(inp: ReportInput, low: int, high: int,
                     dated: float = 0.8) -> tuple[str, tuple[datetime, str] | None]:
    """The date a preliminary report promises the full report by, `low` to `high` days after
    posting, in the wordings and date forms CAs use; with 1 - `dated` no date at all.
    A planner may fix it: `extras["promise"]` a date, or None for a promise without one."""
    rng = inp.rng
    planned = inp.extras.get("promise", "random")
    if planned is None or (planned == "random" and rng.random() >= dated):
        return rng.choice(NO_DATE_PROMISES), None
    if planned == "random":
        planned = (inp.post + timedelta(days=rng.randint(low, high))).date()
    return dated_promise(rng, planned)


def dated_promise(rng: Random, day: date) -> tuple[str, tuple[datetime, str]]:
    """A sentence promising the full report by `day` (sometimes by a time of day on it)."""
    midnight = datetime.combine(day, datetime.min.time(), UTC)
    if rng.random() < 0.15:  # a stated time of day
        hour = rng.choice((9, 12, 15, 17))
        return (f"The full incident report will be posted by {hour:02d}:00 UTC on "
                f"{day.isoformat()}.", (midnight + timedelta(hours=hour), "minute"))
    shown = rng.choice((
        day.isoformat(), f"{day:%A}, {day.day} {day:%B} {day.year}",
        f"{day:%B} {day.day}, {day.year}", f"the {_ordinal(day.day)} of {day:%B} {day.year}",
    ))
    return rng.choice(PROMISES).format(when=shown), (midnight, "day")


def _impact_sentence(inp: ReportInput) -> str:
    if inp.issue.involves_certs:
        return f"{inp.n_certs} {inp.issue.cert_type} certificates were affected."
    return f"No certificates were affected; {inp.issue.what}."


def _join(blocks: list[str]) -> str:
    return "\n\n".join(b for b in blocks if b)


# ---------------------------------------------------------------- legacy era

def legacy_report(inp: ReportInput, split: bool = False) -> list[Rendered]:
    """The 7-topic report (wiki 2017-2023, IRG 1.0); optionally split across two comments."""
    rng = inp.rng
    style = rng.choice(("full", "plain1", "short", "old", "bullets")) if inp.post.year < 2021 \
        else rng.choice(("full", "plain1", "short", "bullets"))
    merged = rng.random() < 0.12 and inp.issue.involves_certs
    omit = set()
    if not inp.issue.involves_certs and rng.random() < 0.5:
        omit.add(4)
    elif rng.random() < 0.08:
        omit.add(2)
    bodies = _legacy_bodies(inp)
    blocks: list[tuple[int, str]] = []
    for i in range(7):
        if i in omit or (merged and i == 4):
            continue
        if merged and i == 3:
            head = "4 & 5. Summary and complete certificate data"
            body = bodies[3] + "\n" + bodies[4]
        else:
            number = 1 if style == "plain1" else i + 1
            if style == "short":
                head = f"{i + 1}. {SHORT_LABELS[i]}" if rng.random() < 0.5 else SHORT_LABELS[i]
            elif style == "old" and i in OLD_WORDING:
                head = f"{number}. {OLD_WORDING[i]}"
            elif style == "bullets":  # a rendered page turns the numbered list into bullets
                head = f"- {LEGACY_QUESTIONS[i]}"
            else:
                head = f"{number}. {LEGACY_QUESTIONS[i]}"
            if inp.markdown and style != "bullets" and rng.random() < 0.4:
                head = f"**{head}**"
            body = bodies[i]
        blocks.append((i, head + "\n\n" + body))
    intro = "Here are our answers to the questions." if rng.random() < 0.3 else ""
    if inp.post < V2_FIRST_DRAFT and rng.random() < 0.15:  # a title no legacy template has
        intro = _join([f"Incident Report – {inp.issue.title}", intro])
    groups = [blocks] if not split else [[b for b in blocks if b[0] < 3],
                                         [b for b in blocks if b[0] >= 3]]
    out = []
    for n, group in enumerate(groups):
        sections = []
        for i, _ in group:
            sections.append(LEGACY_SECTIONS[i])
            if merged and i == 3:
                sections.append("certificate_data")
        lead = intro if n == 0 else "(continued from the previous comment)"
        text = _join([lead, *[b for _, b in group]])
        aware = inp.aware if any(i < 2 for i, _ in group) else None
        out.append(Rendered(text, "legacy", "legacy", tuple(sections), aware))
    return out


def _legacy_bodies(inp: ReportInput) -> list[str]:
    rng, issue = inp.rng, inp.issue
    if inp.aware is not None:
        how = awareness_sentence(inp)
    elif inp.source == "third_party" and rng.random() < 0.3:  # a date that is not awareness
        how = rng.choice(NOT_AWARE_ANSWER).format(
            day=_day(inp, (inp.post - timedelta(days=rng.randint(60, 300))).date()))
    else:
        how = {"self": "Through an internal compliance review of issued certificates.",
               "third_party": "Through a message to our problem reporting address.",
               "audit": "Through our annual audit."}[inp.source]
    first = inp.post - timedelta(days=rng.randint(40, 400))
    if issue.involves_certs:
        summary = (f"{inp.n_certs} certificates. The first was issued on "
                   f"{first.date().isoformat()} and the last on "
                   f"{(inp.post - timedelta(days=rng.randint(2, 30))).date().isoformat()}.")
        data = "\n".join(_crt_lines(inp, rng.randint(1, 3))) if rng.random() < 0.7 else \
            "The complete list is in the attached spreadsheet."
    else:
        summary = f"Not applicable: {issue.what}."
        data = "Not applicable."
    stopped = rng.choice((
        "Issuance with the affected profile was stopped while the fix was prepared.",
        "We have not stopped issuance, because the corrected check was deployed the same day.",
    ))
    steps = "\n".join(f"- {s} (done by {_due(inp, rng.randint(5, 60))})" for s in (
        issue.fix, "Add a regression test", "Train the validation team"))
    return [how, "\n".join(timeline_lines(inp, with_awareness=False)), stopped, summary, data,
            f"{issue.cause}. It avoided detection because our linting did not cover this field.",
            steps]


def audit_v1(inp: ReportInput) -> Rendered:
    """IRG 1.0 audit incident report: 4 numbered items per issue, no awareness statement."""
    rng = inp.rng
    blocks = ["Audit Incident Report"] if rng.random() < 0.6 else []
    for n in range(1, rng.randint(1, 3) + 1):
        blocks.append("\n".join([
            f"1. **Issue #{n}**" if inp.markdown else f"1. Issue #{n}",
            f"2. Issue Description: Finding {n}: {inp.issue.what}.",
            f"3. Root Cause of Issue: {inp.issue.cause}.",
            f"4. Remediation Plan for this Issue: {inp.issue.fix}, "
            f"complete by {_due(inp, rng.randint(20, 90))}.",
        ]))
    return Rendered(_join(blocks), "audit", "legacy",
                    ("issue_number", "issue_description", "root_cause", "remediation_plan"))


def freeform_preliminary(inp: ReportInput) -> Rendered:
    """A first notice that calls itself a preliminary report (legacy and v2 eras)."""
    rng = inp.rng
    openers = ["This is a preliminary report.", "Preliminary report:",
               "We are posting this preliminary report while the analysis continues."]
    if inp.post < V3_IN_FORCE:  # before v3, CAs wrote these titles over free text
        openers += ["Preliminary Incident Report\n", "Initial Incident Report\n"]
    if inp.aware is not None:  # a notice that only says when we learnt of it
        openers += ["", ""]
    opener = rng.choice(openers)
    parts = [opener] if opener else []
    if inp.aware is not None:
        parts.append(awareness_sentence(inp, allow_yearless=True))
    promise, full_by = promise_sentence(inp, 5, 16)
    parts.append(f"In short, {inp.issue.what}. {promise}")
    return Rendered(" ".join(parts) if rng.random() < 0.5 else "\n\n".join(parts),
                    "preliminary", None, (), inp.aware, full_by)


# ---------------------------------------------------------------- CCADB v2

def v2_full(inp: ReportInput) -> Rendered:
    rng, issue = inp.rng, inp.issue
    didnt = rng.choice(DIDNT)
    num = iter(range(1, 20))
    h = lambda title, level: _heading(inp, title, level, next(num))  # noqa: E731
    blocks = [_heading(inp, "Incident Report", 2)]
    sections = ["summary", "impact", "timeline", "root_cause_analysis", "lessons_learned",
                "what_went_well", "what_didnt_go_well", "where_we_got_lucky", "action_items"]
    blocks += [h("Summary", 3), f"{issue.what[0].upper()}{issue.what[1:]}. The requirement is "
               f"{issue.policy}.",
               h("Impact", 3), _impact_sentence(inp),
               h("Timeline", 3), "\n".join(timeline_lines(inp)),
               h("Root Cause Analysis", 3), f"{issue.cause}.",
               h("Lessons Learned", 3),
               _heading(inp, "What went well", 4), "The fix was deployed within a day.",
               _heading(inp, didnt, 4), "Our linting did not cover the field.",
               _heading(inp, inp.extras.get("lucky", "Where we got lucky"), 4),
               "Few subscribers were affected.",
               h("Action Items", 3), _action_table(inp)]
    if issue.involves_certs or rng.random() < 0.5:
        blocks += [h("Appendix", 3), _heading(inp, "Details of affected certificates", 4),
                   "\n".join(_crt_lines(inp, rng.randint(1, 3)))]
        sections.append("appendix")
    return Rendered("\n\n".join(blocks), "full", "ccadb-v2", tuple(sections), inp.aware)


def _action_table(inp: ReportInput, block: int = 0) -> str:
    """The Action Items block the planner prepared (`extras["action_blocks"]`)."""
    items, form = inp.extras["action_blocks"][block]
    return render_rows(items, form)


def audit_v2(inp: ReportInput) -> Rendered:
    """IRG 2.0 Audit Incident Report, one Finding block per finding."""
    blocks = [_heading(inp, "Audit Incident Report", 2)]
    findings = len(inp.extras["action_blocks"])
    for n in range(1, findings + 1):
        text = f"Finding {n}: {inp.issue.what}."
        if n == 1 and inp.aware is not None:
            text += " " + awareness_sentence(inp)
        blocks += [_heading(inp, f"Finding #{n}", 3), text,
                   _heading(inp, "Root Cause Analysis", 3), f"{inp.issue.cause}.",
                   _heading(inp, "Action Items", 3), _action_table(inp, n - 1)]
    return Rendered("\n\n".join(blocks), "audit", "ccadb-v2",
                    ("finding", "root_cause_analysis", "action_items") * findings, inp.aware)


# ---------------------------------------------------------------- CCADB v3

def _source_label(inp: ReportInput) -> str:
    label = {"self": "Self Reported", "third_party": "Third Party Reported",
             "audit": "Audit"}[inp.source]
    return label if inp.rng.random() < 0.8 else label.replace(" ", "-").capitalize() + "."


def v3_preliminary(inp: ReportInput) -> Rendered:
    rng = inp.rng
    head = _heading(inp, "Preliminary Incident Report", 2)
    desc = f"{inp.issue.what[0].upper()}{inp.issue.what[1:]}."
    if inp.aware is not None:
        desc += " " + awareness_sentence(inp)
    promise, full_by = promise_sentence(inp, 4, 16, dated=0.5)
    if rng.random() < 0.15:  # free text under the heading, no bullet fields
        body = f"{desc} {promise}"
    else:
        body = "\n".join([_field(inp, "Incident description", desc),
                          _field(inp, "Relevant policies", inp.issue.policy),
                          _field(inp, "Source of incident disclosure", _source_label(inp))])
        if full_by is not None:  # a promise after the fields, or none
            body += f"\n\n{promise}"
    return Rendered(_join([head, _heading(inp, "Summary", 3), body]), "preliminary", "ccadb-v3",
                    ("summary",), inp.aware, full_by)


def _identified(inp: ReportInput) -> str:
    a = inp.aware
    if a is None:  # a report that cannot say (the plan has no awareness for it)
        return "N/A"
    if a.precision == "day":
        return a.time.date().isoformat()
    return inp.rng.choice((f"{a.time:%Y-%m-%d} at {a.time:%H:%M} UTC",
                           f"{a.time:%Y-%m-%d %H:%M} UTC",
                           f"{a.time:%Y-%m-%d} (~{a.time:%H:%M} UTC)"))


def v3_full(inp: ReportInput) -> Rendered:
    rng, issue = inp.rng, inp.issue
    start = min(t for t, _ in inp.events) if inp.events else inp.post - timedelta(days=30)
    f = lambda label, value: _field(inp, label, value)  # noqa: E731
    ind = "   " if inp.markdown else ""
    summary = "\n".join([
        f("CA Owner CCADB unique ID", inp.owner.ccadb_id),
        f("Incident description", f"{issue.what[0].upper()}{issue.what[1:]}."),
        f("Timeline summary", ""),
        ind + f("Non-compliance start date", start.date().isoformat()),
        ind + f("Non-compliance identified date", _identified(inp)),
        ind + f("Non-compliance end date", (inp.post - timedelta(hours=rng.randint(1, 48)))
                .date().isoformat()),
        f("Relevant policies", issue.policy),
        f("Source of incident disclosure", _source_label(inp)),
    ])
    impact = "\n".join([
        f("Total number of certificates", str(inp.n_certs) if issue.involves_certs else "N/A"),
        f('Total number of "remaining valid" certificates',
          str(rng.randint(0, inp.n_certs)) if issue.involves_certs else "N/A"),
        f("Affected certificate types", issue.cert_type),
        f("Incident heuristic", "N/A"),
        f("Was issuance stopped in response to this incident, and why or why not?",
          "Yes, until the fix was deployed."),
        f("Analysis", "N/A"),
        f("Additional considerations", "None."),
    ])
    related = "| Bug | Date | Description |\n|---|---|---|\n| N/A | N/A | None found |" \
        if inp.markdown else "Bug Date Description\nN/A N/A None found"
    rca = "\n".join([
        "**Contributing Factor #1: configuration**" if inp.markdown
        else "Contributing Factor #1: configuration",
        f("Description", f"{issue.cause}."),
        f("Timeline", "The factor existed since the last change to the profile."),
        f("Detection", "A scheduled check."),
        f("Interaction with other factors", "None."),
        f("Root Cause Analysis methodology used", "5 Whys"),
    ])
    lessons = "\n".join([f("What went well", "The fix was quick."),
                         f(rng.choice(DIDNT), "Our linting did not cover the field."),
                         f(inp.extras.get("lucky", "Where we got lucky"),
                           "Few subscribers were affected."),
                         f("Additional", "None.")])
    appendix = "\n".join(_crt_lines(inp, rng.randint(1, 3))) if issue.involves_certs else "N/A"
    blocks = [_heading(inp, "Full Incident Report", 2),
              _heading(inp, "Summary", 3), summary, _heading(inp, "Impact", 3), impact,
              _heading(inp, "Timeline", 3), "\n".join(timeline_lines(inp)),
              _heading(inp, "Related Incidents", 3), related,
              _heading(inp, "Root Cause Analysis", 3), rca,
              _heading(inp, "Lessons Learned", 3), lessons,
              _heading(inp, "Action Items", 3), _action_table(inp),
              _heading(inp, "Appendix", 3), appendix]
    sections = ("summary", "impact", "timeline", "related_incidents", "root_cause_analysis",
                "lessons_learned", "action_items", "appendix")
    return Rendered("\n\n".join(blocks), "full", "ccadb-v3", sections, inp.aware)


def v3_closure(inp: ReportInput) -> Rendered:
    rng = inp.rng
    title = "Report Closure Summary" if rng.random() < 0.75 else "Incident Report Closure Summary"
    body = "\n".join([
        _field(inp, "Incident description", f"{inp.issue.what[0].upper()}{inp.issue.what[1:]}."),
        _field(inp, "Incident Root Cause(s)", f"{inp.issue.cause}."),
        _field(inp, "Remediation description", f"{inp.issue.fix}."),
        _field(inp, "Commitment summary", "We will keep the new checks in place."),
    ])
    text = _join([_heading(inp, title, 3), body, "All Action Items disclosed in this report have "
                  "been completed as described, and we request its closure."])
    return Rendered(text, "closure", "ccadb-v3", ("closure_summary",), None)


# ---------------------------------------------------------------- other comments

UPDATE_HEADS = ("Update", "Weekly update", "Update – completed analysis", "Status update",
                "## Update", "Update – action items")
UPDATE_BODIES = ("The remaining action items are on track.",
                 "Revocation of the affected certificates is complete.",
                 "The new linting rule is deployed in production.",
                 "We finished the review of similar profiles and found no further cases.",
                 "The training for the validation team took place this week.")


def action_item_update(items_text: str) -> Rendered:
    """An update that restates Action Items (a changed one, or the whole table)."""
    return Rendered(f"Update – action items\n\n{items_text}", "update", None, ())


def update(rng: Random) -> Rendered:
    body = rng.choice(UPDATE_BODIES)
    return Rendered(f"{rng.choice(UPDATE_HEADS)}\n\n{body}", "update", None, ())


def ca_ack(rng: Random) -> str:
    return rng.choice((
        "Thank you for raising this. We are investigating and will follow up with our findings.",
        "We acknowledge this bug and are looking into it. More details will follow shortly.",
        "Acknowledged. Our compliance team is reviewing the certificates in question.",
    ))


def ca_answer(rng: Random, name: str) -> str:
    thanks = f"Thank you, {name}. " if name else rng.choice(("Thank you. ", "Thanks for asking. "))
    return thanks + rng.choice((
        "The linter did not cover this field because the rule was introduced later.",
        "The same profile is used by two other issuing CAs; they are not affected.",
        "We have checked the full population and the count in the report is complete.",
        "Issuance was paused for about four hours while the fix was tested.",
        "We will add the serial numbers to the appendix in our next update.",
    ))


QUESTIONS = (
    "Can you explain why the linter did not catch this before issuance?",
    "When will the remaining certificates be revoked?",
    "Which other profiles use the same template, and have you checked them?",
    "Why was issuance not stopped while the fix was prepared?",
    "Could you please provide the serial numbers of the affected certificates?",
    "Is the same validation code used for your S/MIME hierarchy?",
    "What is the expected completion date of the second action item?",
)


def question(rng: Random, by_root_program: bool) -> str:
    q = rng.choice(QUESTIONS)
    if by_root_program:
        return rng.choice(("Thank you for the report. ", "", "A follow-up question. ")) + q
    return rng.choice(("", "I looked at the certificates in CT. ")) + q


def community_remark(rng: Random) -> str:
    """A community comment that is not a question: a '?' only in a quote or a URL."""
    return rng.choice((
        "For reference, another affected certificate: "
        f"https://crt.sh/?id={rng.randint(10**8, 10**9)}",
        "> Why did the linter not flag this?\n\nThe same gap appears in older bug reports too.",
        "Thanks for the detailed write-up, this is helpful.",
    ))


def legacy_request(owner_name: str, due: date) -> str:
    """A root program's request listing the questions: it uses the template's words, but it is
    a question, not a report."""
    items = "\n".join(f"{n}) {q}" for n, q in enumerate(LEGACY_QUESTIONS, start=1))
    return (f"{owner_name}: to continue inclusion, you must respond in this bug to provide the "
            f"following information:\n{items}\nCan you please provide this information by "
            f"{due.isoformat()}?")


def third_party_opening(rng: Random, owner_name: str, issue: Issue, style: TimeStyle,
                        times: list[datetime]) -> str:
    """A reporter's comment 0, often full of its own timestamps; never a report of the CA."""
    lines = [f"I noticed a problem with certificates from {owner_name}: {issue.what}."]
    if times:
        lines.append("My own notes:")
        lines += [f"{style.render(t)} - checked the certificates again" for t in times]
    lines.append("Please see the linked certificates on crt.sh.")
    return "\n".join(lines)


def third_party_preliminary(owner_name: str, issue: Issue) -> Rendered:
    """A reporter's own Preliminary Incident Report (IRG 3.x): a report, but not the CA's."""
    body = "\n".join([
        f"- **Incident description:** Certificates from {owner_name} show a problem: "
        f"{issue.what}.",
        f"- **Relevant policies:** {issue.policy}",
        "- **Source of incident disclosure:** Third Party Reported",
    ])
    return Rendered(_join(["## Preliminary Incident Report", "### Summary", body]),
                    "preliminary", "ccadb-v3", ("summary",))


def closing_notice(rng: Random, when: date) -> str:
    return rng.choice((
        f"I intend to close this bug on or about {when.isoformat()}.",
        f"Thank you for the closure summary. Unless there are further comments, I will close "
        f"this bug on {when.isoformat()}.",
        f"It appears that remediation is complete. I plan to close this on {when.isoformat()}.",
    ))


def next_update_notice(when: date) -> str:
    return f"I have set the Next update to {when.isoformat()}, matching the next action item."


PRIVATE_NOTES = ("Hiding the previous attachment because it contained personal data.",
                 "Internal note: follow up with the CA by e-mail.")

FORM_HEAD = ("User Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 "
             "Firefox/128.0\n\nSteps to reproduce:\n\n")
FORM_TAIL = "\n\nActual results:\n\nSee above.\n\nExpected results:\n\nSee above."
