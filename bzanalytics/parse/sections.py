"""Headings of every template era, recognised with or without their Markdown markers.

A heading may be `### Timeline`, `**Timeline**`, `TIMELINE -`, `1. Timeline`, a bare `Timeline`
line, or (legacy) the whole question echoed from the wiki. `heading_key` reduces a line to a
comparable key; `match_heading` says which canonical heading it is, if any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Titles: name the report kind; some are also the report's only section.
TITLES = {
    "incident report": ("full", "ccadb-v2"),
    "full incident report": ("full", "ccadb-v3"),
    "preliminary incident report": ("preliminary", "ccadb-v3"),
    # titles CAs wrote that no template has: the era then comes from the fields (v3 or not)
    "initial incident report": ("preliminary", None),
    "interim incident report": ("preliminary", None),
    "preliminary report": ("preliminary", None),  # a title only over v3 fields (FIELD_TITLES)
    "draft incident report": ("full", "ccadb-v2"),
    "final incident report": ("full", "ccadb-v2"),
    "audit incident report": ("audit", "ccadb-v2"),
    "report closure summary": ("closure", "ccadb-v3"),
    "incident report closure summary": ("closure", "ccadb-v3"),
    "incident closure summary": ("closure", "ccadb-v3"),
    "closure summary": ("closure", "ccadb-v3"),
    "closure report": ("closure", "ccadb-v3"),
    "report closure": ("closure", "ccadb-v3"),
}

# Titles that name a report only over the v3 fields: CAs also wrote "Preliminary report" as a
# plain heading over legacy answers, where the answers decide.
FIELD_TITLES = frozenset({"preliminary report"})

# Exact (normalised) headings of the CCADB v2/v3 templates.
MODERN = {
    "summary": "summary",
    "executive summary": "summary",
    "impact": "impact",
    "timeline": "timeline",
    "timeline of events": "timeline",
    "related incidents": "related_incidents",
    "root cause analysis": "root_cause_analysis",
    "root cause analyses": "root_cause_analysis",
    "lessons learned": "lessons_learned",
    "lessons learnt": "lessons_learned",
    "what went well": "what_went_well",
    "what didn't go well": "what_didnt_go_well",
    "what did not go well": "what_didnt_go_well",
    "where we got lucky": "where_we_got_lucky",
    "fortuitous circumstances": "where_we_got_lucky",  # proposed rename of the heading
    "action items": "action_items",
    "action item": "action_items",
    "appendix": "appendix",
}
SUBSECTIONS = frozenset({"what_went_well", "what_didnt_go_well", "where_we_got_lucky"})

# Legacy 7 topics: lead phrases of the wiki questions, and the short labels CAs used instead.
LEGACY = (
    ("how_aware", re.compile(
        r"^(?:how (?:your|the|our) ca (?:first )?became aware|how (?:we|the ca|ca) (?:first )?"
        r"became aware|how (?:we|you) (?:first )?(?:became|were made) aware|how aware"
        r"|(?:problem )?awareness$|how the (?:problem|issue) was (?:discovered|detected|found))")),
    ("timeline", re.compile(
        r"^(?:a )?timeline(?: of (?:the )?(?:actions|events)| of actions your ca took|$)")),
    ("stopped_issuance", re.compile(
        r"^(?:whether (?:your|the|our) ca has stopped|whether .{0,40}stopped|"
        r"(?:stopped|stop|halt(?:ed)?|ceas(?:ed|e)) (?:of )?issu|issuance (?:stopped|halted|"
        r"status|cessation)|stopping issuance|has the ca stopped)")),
    ("certificate_summary", re.compile(
        r"^(?:in a case involving certificates, )?(?:a )?summary of (?:the )?(?:problematic|"
        r"affected|mis-?issued) certificates|^(?:problematic |affected )?certificates? summary")),
    ("certificate_data", re.compile(
        r"^(?:in a case involving tls server certificates, )?(?:the )?complete certificate data|"
        r"^(?:problematic |affected )?certificates? data|^(?:the )?certificate details")),
    ("root_cause", re.compile(
        r"^explanation (?:about|of) how and why|^(?:explanation|root cause|root causes|"
        r"why the mistakes? (?:was|were) made)$|^how and why the mistakes")),
    ("remediation", re.compile(
        r"^(?:a )?list of steps (?:your|the|our) ca is taking|^(?:remediation(?: steps| plan)?|"
        r"steps taken|steps|next steps|resolution)$|^steps (?:your|the|our) ca is taking")),
)
MERGED_4_5 = re.compile(r"^(?:a )?summary and (?:the )?complete certificate data")

AUDIT_V1 = (
    ("issue_number", re.compile(r"^issue\s*(?:#|number|no\.?)\s*\d*$")),
    ("issue_description", re.compile(r"^issue description$")),
    ("root_cause", re.compile(r"^root cause of (?:the )?issue$")),
    ("remediation_plan", re.compile(r"^remediation plan(?: for this issue)?$")),
)
FINDING_RE = re.compile(r"^(?:audit )?finding\s*#?\s*\d+$")

_LEAD_RE = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:[*_]{1,3}\s*)?(?:\(?(?:\d{1,2}|[a-g])\s*(?:&|and|\+|,)\s*\d{1,2}[.)]"
    r"|\(?\d{1,2}[.)]|[Qq]\s?\d{1,2}\s*[.):]|[a-g][.)](?=\s)|[ivx]{1,4}\.(?=\s))?\s*"
    r"(?:#{1,6}\s*)?(?:[*_]{1,3})?\s*")
_TRAIL_RE = re.compile(r"[\s*_:.\-–—=?]+$")
_PAREN_RE = re.compile(r"\s*\([^()]*\)\s*$")
_BULLET_RE = re.compile(r"^\s*(?:[-*+•·]\s+|[-*+•·](?=\*\*))")
# A rendered page turns the numbered wiki questions into bullets ("- How your CA first became
# aware of the problem (e.g. ...)"); a bullet line that echoes a question's wording (not a short
# label such as "Timeline", which is a field) is still that question's heading.
_QUESTION_LEAD_RE = re.compile(
    r"^(?:how your ca (?:first )?became aware|a timeline of the actions your ca|whether your ca "
    r"has stopped|(?:in a case involving certificates, )?a summary of the problematic|"
    r"(?:in a case involving tls server certificates, )?the complete certificate data|"
    r"explanation about how and why|list of steps your ca is taking)")


@dataclass(frozen=True)
class Heading:
    """A recognised heading line: which heading, its family, and inline text after a label."""

    name: str
    family: str  # title | modern | legacy | audit_v1 | finding | merged
    inline: str
    markdown: bool
    #: a legacy heading that echoes the wiki question's own wording (not a short label)
    echo: bool = False


def heading_key(line: str) -> str:
    """Lower-case text of a heading-like line without markers, numbering or trailing marks."""
    s = _LEAD_RE.sub("", line.replace("’", "'").replace("‘", "'"))
    s = s.replace("**", "").replace("__", "").lower()
    s = _TRAIL_RE.sub("", s)
    s = _PAREN_RE.sub("", s)
    s = _TRAIL_RE.sub("", s)
    return " ".join(s.split())


def _split_inline(line: str) -> tuple[str, str]:
    """A "Label: value" line split at the label's colon (or dash), else ("", "")."""
    m = re.match(r"^(.{2,60}?)(?:\*\*)?\s*(?::|\s[-–—]\s)(?:\*\*)?\s*(\S.*)$", line)
    return (m.group(1), m.group(2)) if m else ("", "")


_LONG_OK_RE = re.compile(
    r"^[\s#*_\d.)&(]*(?:how|a timeline|whether|in a case|a summary|the complete|explanation|"
    r"list of steps|summary of|complete certificate)",
    re.I,
)


# The first word of every heading above: a cheap test that rejects most body lines.
_FIRST_WORDS = frozenset({
    "summary", "executive", "impact", "timeline", "related", "root", "lessons", "what", "where",
    "action", "appendix", "incident", "full", "preliminary", "audit", "initial", "interim",
    "draft", "final", "report", "closure",
    "finding", "issue", "how", "a", "whether", "in", "the", "complete", "explanation", "list",
    "steps", "next", "remediation", "resolution", "stopped", "stop", "halt", "halted", "ceased",
    "cease", "issuance", "stopping", "has", "problematic", "affected", "certificate",
    "certificates", "why", "awareness", "problem", "q", "fortuitous",
})
_FIRST_WORD_RE = re.compile(r"[\s#*_\d.)(&+,\-•·]*([A-Za-z]+)")
_LEAD_CHARS = " \t#*_0123456789.)(&+,-•·"


# Leading markers, then an ASCII word and the character after it (see `may_be_heading`).
_HEAD_WORD_RE = re.compile(r"[ \t#*_0-9.)(&+,\-]*([A-Za-z]*)(.?)", re.S)


def may_be_heading(line: str) -> bool:
    """Cheap first test: does the line start with a heading's first word once leading markers
    and numbering are set aside? One regex match decides lines whose word is followed by an
    ASCII character (nearly all); the rest (non-ASCII or unusual whitespace next, where
    `str.lower`/`str.split` semantics matter) take the exact string-method path."""
    word, nxt = _HEAD_WORD_RE.match(line).groups()  # type: ignore[union-attr]
    if nxt < "\x80":
        if word:
            return word.lower() in _FIRST_WORDS
        if nxt > " " or not nxt:
            return False
    return _may_be_heading_exact(line)


def _may_be_heading_exact(line: str) -> bool:
    words = line.lstrip(_LEAD_CHARS).split(None, 1)
    if not words:
        return False
    word = words[0].lower()
    end = 0
    while end < len(word) and "a" <= word[end] <= "z":
        end += 1
    return word[:end] in _FIRST_WORDS


@lru_cache(maxsize=8192)
def match_heading(line: str) -> Heading | None:
    """The heading `line` is, or None. Bullet lines are fields, never headings.

    Cached: reports repeat the same heading lines (the templates' own words)."""
    first = _FIRST_WORD_RE.match(line)
    if first is None or first.group(1).lower() not in _FIRST_WORDS:
        return None
    if len(line) > 400:
        return None
    bullet = _BULLET_RE.match(line)
    if bullet:
        return _bulleted_question(line[bullet.end():])
    markdown = line.lstrip().startswith("#")
    if len(line) <= 70 or _LONG_OK_RE.match(line):
        key = heading_key(line)
        found = _match_key(key, line) if key else None
        if found is not None:
            echo = found[1] == "legacy" and bool(_QUESTION_LEAD_RE.match(key))
            return Heading(found[0], found[1], "", markdown, echo)
    elif ":" not in line[:64] and " - " not in line[:64] and " – " not in line[:64]:
        return None
    label, value = _split_inline(line)
    if label:
        found = _match_key(heading_key(label), label)
        if found is not None and found[1] == "title" and not _BULLET_RE.match(line) and (
                re.search(r"\s[-–—]\s|:\s", line)):
            # "Full Incident Report - Finding #7 - Change management": a title with a subtitle
            return Heading(found[0], found[1], "", markdown)
        if found is not None and found[1] not in ("title", "finding"):
            return Heading(found[0], found[1], value, markdown)
    return None


def _bulleted_question(rest: str) -> Heading | None:
    """A legacy question echoed behind a bullet, or None (other bullet lines are fields)."""
    key = heading_key(rest)
    if not _QUESTION_LEAD_RE.match(key):
        return None
    found = _match_key(key, rest)
    return Heading(found[0], found[1], "", False, True) if found and found[1] == "legacy" \
        else None


def _match_key(key: str, line: str) -> tuple[str, str] | None:
    if key in TITLES:
        return key, "title"
    if key in MODERN:
        return MODERN[key], "modern"
    if FINDING_RE.match(key):
        return "finding", "finding"
    for name, rx in AUDIT_V1:
        if rx.match(key):
            return name, "audit_v1"
    if MERGED_4_5.match(key):
        return "certificate_summary", "merged"
    for name, rx in LEGACY:
        if rx.match(key):
            return name, "legacy"
    return None
