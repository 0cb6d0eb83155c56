"""Is a comment an incident report, of which kind and template era, with which sections?

`parse_report` works on raw Markdown and on text whose markers are gone, and never raises.
Order of decisions: strip form boilerplate and quoted lines; find heading lines; a title
("Full Incident Report", "Report Closure Summary", ...) names the kind, otherwise the set of
headings does (7 legacy topics, v1 audit items, v2 findings, v2/v3 sections); then updates and
free-form preliminary notices; a root program's list of questions is not a report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from itertools import pairwise

from bzanalytics.parse.awareness import Awareness, awareness, field_value, first_notice
from bzanalytics.parse.dates import DateContext, as_utc, context_for
from bzanalytics.parse.eras import existed, in_force
from bzanalytics.parse.full_report_promise import FullReportPromise, full_report_promise
from bzanalytics.parse.sections import (
    FIELD_TITLES,
    SUBSECTIONS,
    TITLES,
    Heading,
    match_heading,
    may_be_heading,
)
from bzanalytics.parse.timeline import TimelineEntry, extract_timeline

EXPECTED: dict[tuple[str, str | None], tuple[str, ...]] = {
    ("legacy", "legacy"): ("how_aware", "timeline", "stopped_issuance", "certificate_summary",
                           "certificate_data", "root_cause", "remediation"),
    ("audit", "legacy"): ("issue_number", "issue_description", "root_cause", "remediation_plan"),
    ("full", "ccadb-v2"): ("summary", "impact", "timeline", "root_cause_analysis",
                           "lessons_learned", "action_items", "appendix"),
    ("audit", "ccadb-v2"): ("finding", "root_cause_analysis", "action_items"),
    ("preliminary", "ccadb-v3"): ("summary",),
    ("full", "ccadb-v3"): ("summary", "impact", "timeline", "related_incidents",
                           "root_cause_analysis", "lessons_learned", "action_items", "appendix"),
    ("closure", "ccadb-v3"): ("closure_summary",),
}


@dataclass(frozen=True)
class Section:
    name: str
    text: str


@dataclass(frozen=True)
class ReportParse:
    kind: str | None = None
    template: str | None = None
    sections: tuple[Section, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    awareness: Awareness | None = None
    ccadb_id: str | None = None
    disclosure_source: str | None = None
    #: why `awareness` is None in a report: "not stated", "month only", "relative",
    #: "identified date not applicable", "stated after the comment", "long before the bug
    #: was filed"; None when an awareness was found or the text is no report
    awareness_unknown: str | None = None
    #: the date the comment promises the full report by (metrics use it only in CA comments
    #: before the full report); a comment that is no report may carry one, `kind` staying None
    full_report_promise: FullReportPromise | None = None

    @cached_property
    def section_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sections)

    @property
    def completeness(self) -> float | None:
        """Share of the sections this kind/template expects that are present."""
        expected = EXPECTED.get((self.kind or "", self.template))
        if not expected:
            return None
        present = set(self.section_names)
        return sum(name in present for name in expected) / len(expected)

    @property
    def missing_sections(self) -> tuple[str, ...]:
        present = set(self.section_names)
        return tuple(n for n in EXPECTED.get((self.kind or "", self.template), ())
                     if n not in present)


NOT_A_REPORT = ReportParse()

# Every report holds one of these words; most comments hold none and stop here.
_KEYWORDS = ("report", "timeline", "aware", "summary", "update", "root cause", "issue #",
             "finding", "remediation", "impact", "lessons")
_V3_WORDS = ("ccadb unique id", "non-compliance identified date", "source of incident disclosure",
             "incident description", "relevant policies")
_FORM_WORDS = ("user agent:", "results:", "steps to reproduce", "attached file",
               "created attachment")
_BOILERPLATE_RE = re.compile(
    r"^\s*(?:user agent:.*|steps to reproduce:?|actual results:?|expected results:?|"
    r"attached file .*|created attachment \d+.*)\s*$",
    re.I,
)
_QUESTION_CUE_RE = re.compile(
    r"you must respond|please provide|provide the following information|"
    r"please (?:respond|reply|answer)|respond (?:in this bug )?(?:with|to) the following|"
    r"please (?:file|post|submit) (?:an?|your) (?:incident )?report",
)
_UPDATE_RE = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(?:weekly|bi-?weekly|monthly|status|progress|"
    r"(?:first|second|third|\w+th|\d+(?:st|nd|rd|th)?)|final|further|another|brief|short)?"
    r"\s*update\b(?!\s+(?:to|of|on) (?:the|our|this) (?:cps|cp|policy))",
    re.I,
)
_FREE_PRELIM_RE = re.compile(
    r"(?:^|\n)\s*(?:#{1,6}\s*)?(?:\*\*)?\s*preliminary (?:incident )?report\b", re.I)
# A text that calls itself a preliminary report may say so in its last paragraph.
_SELF_PRELIM_RE = re.compile(
    r"\bthis (?:comment )?(?:is|serves as|constitutes) (?:a|our|the) preliminary "
    r"(?:incident )?report|\b(?:here is|please find|posting) (?:a|our|this) preliminary "
    r"(?:incident )?report",
    re.I,
)
SELF_PRELIM_SPAN = 4000
# "We will upload the final report ...", "a full incident report will follow": the report that
# says so is not the full one (lower-cased text).
_FULL_LATER_RE = re.compile(
    r"\bwe will (?:\w+ ){0,3}?(?:upload|post|provide|publish|submit|share|file|deliver) "
    r"(?:the|a|our) (?:full|final|complete|detailed) (?:incident )?report\b|"
    r"\b(?:full|final|complete|detailed) (?:incident )?report (?:will|is going to) "
    r"(?:follow|be (?:posted|provided|published|submitted|shared|uploaded|filed))\b")
_CCADB_ID_RE = re.compile(r"ccadb (?:unique )?id\W{0,12}(A\d{6})\b", re.I)
_ANY_CCADB_ID_RE = re.compile(r"\bA\d{6}\b")
_SOURCE_RE = re.compile(r"source of (?:the )?incident disclosure", re.I)


def _clean_lines(text: str, low: str) -> list[str]:
    """Lines without form boilerplate and without quoted (">") lines."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    form = any(map(low.__contains__, _FORM_WORDS))
    if not form and ">" not in text:
        return lines
    return [
        "" if (line.lstrip().startswith(">") or (form and _BOILERPLATE_RE.match(line)))
        else line
        for line in lines
    ]


def _find_headings(lines: list[str]) -> list[tuple[int, Heading]]:
    """(line index, heading) of every heading line."""
    found = []
    for i, line in enumerate(lines):
        if line and may_be_heading(line):
            s = line.strip()
            h = match_heading(s) if len(s) <= 400 else None
            if h is not None:
                found.append((i, h))
    return found


def _classify(lines: list[str], text: str, low: str, heads: list[tuple[int, Heading]],
              when: datetime | None) -> tuple[str | None, str | None]:
    """Kind and template; `low` is `text` lower-cased, `when` the posting time (or the bug's
    filing time) that rules out templates not yet written (`eras`)."""
    v3 = (any(map(low.__contains__, _V3_WORDS)) or any(
        h.name == "related_incidents" for _, h in heads)) and existed("ccadb-v3", when)
    titles = [h for _, h in heads if h.family == "title" and (v3 or h.name not in FIELD_TITLES)]
    families: dict[str, set[str]] = {}
    for _, h in heads:
        families.setdefault(h.family, set()).add(h.name)
    if len(families.get("audit_v1", ())) >= 2:
        return "audit", "legacy"
    names = {h.name for _, h in heads}
    modern = families.get("modern", set()) - SUBSECTIONS
    v2_body = len(modern) >= 3 and bool(modern & {"root_cause_analysis", "lessons_learned",
                                                  "action_items", "impact"})
    if titles:
        kind, template = TITLES[titles[0].name]
        if v3 and (kind, template) in (("full", "ccadb-v2"), ("preliminary", None)):
            template = "ccadb-v3"
        if template == "ccadb-v3" and not v3 and not in_force("ccadb-v3", when):
            # "Preliminary Incident Report" was a plain phrase before v3: the body decides
            template = "ccadb-v2" if v2_body else None
        if kind == "full" and not v2_body and (
                _SELF_PRELIM_RE.search(text[:SELF_PRELIM_SPAN])
                or _FULL_LATER_RE.search(low[:SELF_PRELIM_SPAN])):
            # a v2 "Incident Report" title over a text that calls itself preliminary, or that
            # says the full report is still to come
            kind = "preliminary"
        if template is None or existed(template, when):
            return kind, template
    if "finding" in names and names & {"root_cause_analysis", "action_items"}:
        return "audit", "ccadb-v2"
    legacy = families.get("legacy", set()) | families.get("merged", set())
    if len(legacy | (names & {"timeline"})) >= 2 and legacy - {"timeline"}:
        return "legacy", "legacy"
    # one question echoed in the wiki's own words, answered (a report cut short, or split)
    if any(h.echo for _, h in heads) and not families.get("modern", set()) - {"timeline"}:
        return "legacy", "legacy"
    if v2_body:
        return "full", "ccadb-v3" if v3 else "ccadb-v2"
    first = next((line for line in lines if line.strip()), "")
    if _UPDATE_RE.match(first):
        return "update", None
    if v3 and "incident description" in low and ("relevant policies" in low
                                                  or "source of incident disclosure" in low):
        return "preliminary", "ccadb-v3"
    if "preliminary" in low[:SELF_PRELIM_SPAN] and (
            _FREE_PRELIM_RE.search(text[:600]) or _SELF_PRELIM_RE.search(text[:SELF_PRELIM_SPAN])):
        return "preliminary", None
    return None, None


def _allowed(kind: str, template: str | None, h: Heading) -> str | None:
    """The canonical section a heading opens in this kind of report, or None."""
    if template == "legacy" and kind == "legacy":
        if h.family in ("legacy", "merged"):
            return h.name
        if h.family == "audit_v1":
            return {"root_cause": "root_cause", "remediation_plan": "remediation"}.get(h.name)
        return {"timeline": "timeline", "root_cause_analysis": "root_cause"}.get(h.name) \
            if h.family == "modern" else None
    if template == "legacy":
        return h.name if h.family == "audit_v1" else None
    if kind == "audit":
        if h.family == "finding":
            return "finding"
        return h.name if h.name in ("root_cause_analysis", "action_items") else None
    if h.family != "modern":
        return None
    if template == "ccadb-v3" and h.name in SUBSECTIONS:
        return None
    return h.name


def _build_sections(kind: str, template: str | None, lines: list[str],
                    heads: list[tuple[int, Heading]]) -> list[tuple[str, list[str]]]:
    if template is None:
        return []
    sections: list[tuple[str, list[str]]] = []
    opened: set[str] = set()
    repeatable = {"finding", "root_cause_analysis", "action_items"} if kind == "audit" else set()
    starts: dict[int, tuple[str, ...]] = {}
    for i, h in heads:
        if kind == "closure":
            if h.family == "title" and TITLES[h.name][0] == "closure" and not opened:
                starts[i] = ("closure_summary",)
                opened.add("closure_summary")
            continue
        name = _allowed(kind, template, h)
        if name is None or (name in opened and name not in repeatable):
            continue
        names = ("certificate_summary", "certificate_data") if h.family == "merged" else (name,)
        opened.update(names)
        starts[i] = names
        if h.inline:
            lines[i] = h.inline
    # A section holds the lines up to the next start (slices: no per-line loop), led by the
    # heading line itself when that carried inline text.
    inline_at = {i for i, h in heads if h.inline}
    bounds = sorted(starts)
    for k, i in enumerate(bounds):
        end = bounds[k + 1] if k + 1 < len(bounds) else len(lines)
        lead = [lines[i]] if lines[i] and i in inline_at else []
        sections.extend((n, lead + lines[i + 1:end]) for n in starts[i])
    return sections


def _disclosure(lines: list[str], low: str) -> str | None:
    found = field_value(lines, low, _SOURCE_RE, "disclosure")
    if found is None:
        return None
    v = found[0].lower()
    if "third" in v or "external" in v:
        return "third_party"
    if "audit" in v:
        return "audit"
    if "self" in v or "internal" in v:
        return "self"
    return None


def parse_report(text: str | None, posted: datetime | None = None,
                 created: datetime | None = None) -> ReportParse:
    """Kind, template, sections, timeline, awareness, CCADB id and disclosure source."""
    return _parse(text, as_utc(posted), as_utc(created))


def _parse(text: str | None, posted: datetime | None, created: datetime | None) -> ReportParse:
    if not isinstance(text, str) or not text:
        return NOT_A_REPORT
    low = text.lower()
    if not any(map(low.__contains__, _KEYWORDS)):
        return NOT_A_REPORT
    lines = _clean_lines(text, low)
    body = "\n".join(lines)
    body_low = low if body == text else body.lower()  # most comments need no cleaning
    heads = _find_headings(lines)
    kind, template = _classify(lines, body, body_low, heads, posted or created)
    ctx: DateContext | None = None
    if kind is None:
        ctx = context_for(body, posted, created, low=body_low)
        if not first_notice(lines, body_low, ctx, posted, created):
            promise = full_report_promise(body, ctx, posted, low=body_low)
            return NOT_A_REPORT if promise is None else ReportParse(full_report_promise=promise)
        kind = "preliminary"
    if _is_question_list(kind, lines, heads, body_low):
        return NOT_A_REPORT
    raw_sections = _build_sections(kind, template, list(lines), heads)
    ctx = ctx or context_for(body, posted, created, low=body_low)
    timeline_lines = [line for name, buf in raw_sections if name == "timeline" for line in buf]
    timeline = extract_timeline(timeline_lines, ctx)
    sections = tuple(Section(name, "\n".join(buf).strip()) for name, buf in raw_sections)
    ccadb = _CCADB_ID_RE.search(body) if "ccadb" in low else None
    ccadb_id = ccadb.group(1) if ccadb else None
    if ccadb_id is None and template == "ccadb-v3":
        any_id = _ANY_CCADB_ID_RE.search(body)
        ccadb_id = any_id.group(0) if any_id else None
    aware, unknown = awareness(lines, body_low, raw_sections, timeline, ctx, posted, created)
    return ReportParse(
        kind=kind,
        template=template,
        sections=sections,
        timeline=timeline,
        awareness=aware,
        awareness_unknown=unknown,
        ccadb_id=ccadb_id,
        disclosure_source=_disclosure(lines, body_low),
        full_report_promise=full_report_promise(body, ctx, posted, low=body_low),
    )


def _is_question_list(kind: str, lines: list[str], heads: list[tuple[int, Heading]],
                      low: str) -> bool:
    """A root program's request listing the questions, not a CA's answers (`low`: the lines
    joined and lower-cased)."""
    if kind in ("update", "closure"):
        return False
    cue = _QUESTION_CUE_RE.search(low) if ("respond" in low or "please" in low
                                           or "provide" in low) else None
    if cue is None:
        return False
    if not heads:
        return True
    first_heading_pos = sum(len(line) + 1 for line in lines[:heads[0][0]])
    if cue.start() <= first_heading_pos:
        return True
    # Questions without answers: consecutive headings with no text between them.
    gaps = [any(line.strip() for line in lines[a + 1:b]) for (a, _), (b, _) in pairwise(heads)]
    return bool(gaps) and sum(not g for g in gaps) >= len(gaps) * 0.7
