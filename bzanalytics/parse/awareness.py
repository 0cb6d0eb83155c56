"""When did the CA become aware? The statements of one report, ranked, checked against context.

Ranking (methodology.md): the v3 "Non-compliance identified date", the answer to the legacy
"How your CA first became aware" question, then a timeline line, then any sentence, that says
the CA became aware / identified / discovered / was notified / received a report. The first two
are *stated* answers; the others are *inferred* from words and get a narrower window, because
real timelines also log earlier, unrelated detections (another incident, a ballot's date).

Context decides what cannot be: an awareness after the comment that states it, or long before
the bug was filed. When the text does not settle a value, the result is unknown with the reason
(`Unknown`): a wrong awareness makes a wrong 72-hour verdict, which is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from bzanalytics.parse.dates import DAY, DateContext, ParsedTime, parse_datetime
from bzanalytics.parse.timeline import TimelineEntry, has_event_text

# A stated answer may lie up to two years before the bug (late disclosure happens); an inferred
# one at most this long before it. Real timelines reach back a year and more for events that
# are not this incident's awareness; a CA's own awareness before a bug is days to weeks.
STATED_WINDOW = timedelta(days=730)
INFERRED_WINDOW = timedelta(days=90)
# After the bug was filed, an inferred awareness may follow by a day at most: the bug itself
# tells the CA (the BRs give a CA 24 hours to act on a problem report, §4.9.5); a timeline
# "identified" days later is the CA's own analysis, not its awareness.
INFERRED_AFTER_FILING = timedelta(hours=24)

AWARE_RE = re.compile(
    r"\b(?:bec(?:a|o)m(?:e|ing) (?:\w+ )?aware|been made aware|were made aware|was made "
    r"aware|made us aware|identified|identifying|discovered|notified|received (?:a|an"
    r"|the|our)\b|received (?:\w+ ){0,2}(?:message|e-?mail|report|notification|alert)|"
    r"was reported to us|were alerted|was alerted|detected|first learned|learnt|learned of|"
    r"(?:were|was) informed|informed us|noticed|flagged|(?:brought|came) to (?:our|my) "
    r"attention|(?:surprised|shocked|alarmed) to (?:discover|find|learn|see))",
)
# The CA telling others ("affected customers were notified", "we informed our auditor") is no
# awareness, though it uses the same words.
_OUTWARD_RE = re.compile(
    r"\b(?:customers?|subscribers?|users?|clients?|applicants?|owners?|auditors?|mozilla|ccadb|"
    r"root (?:programs?|stores?)|browsers?|partners?|contacts?|parties) (?:were|was|have been|has "
    r"been|had been|are|is|being) (?:\w+ )?(?:notified|informed)|\b(?:we|ca) (?:\w+ )?"
    r"(?:notified|informed) (?:the |all |our |affected |impacted |each )*(?:customers?|"
    r"subscribers?|users?|clients?|auditors?|mozilla|ccadb|root|browsers?|partners?|owners?)")


def says_aware(text: str) -> bool:
    """Does `text` (lower-cased) say the CA learnt of something, not that it told others?"""
    return AWARE_RE.search(text) is not None and _OUTWARD_RE.search(text) is None
# In the answer to "how did you become aware", looser words also say it ("the certificate was
# found", "an e-mail was received").
_ANSWER_RE = re.compile(AWARE_RE.pattern[:-1] + r"|found|received|reported|learn(?:ed|t))")
_SENTENCE_END_RE = re.compile(r"(?<=[a-z0-9)\]\"”'])[.!?](?=\s+[A-Z(\"“])")
_IDENTIFIED_RE = re.compile(r"non-compliance identified date", re.I)
_EMPTY_VALUE_RE = re.compile(r"^[\s\-–—*•:]*$")
_NOT_STATED_RE = re.compile(r"^\W*(?:n/?a|none|not applicable|unknown|tbd|-)\b", re.I)
_LOOK_BACK = 3  # lines above an undated awareness line searched for its bare time stamp
# A report states its awareness once, early; past these many lines (of an answer) or awareness
# lines (of the whole text) there is only noise, and a megabyte of it must still parse in well
# under a second.
MAX_ANSWER_LINES = 40
MAX_AWARE_LINES = 100


@dataclass(frozen=True)
class Awareness:
    """When the CA says it became aware, how precisely, and the words that say so."""

    time: datetime
    precision: str
    evidence: str


def field_value(lines: list[str], low: str, rx: re.Pattern[str],
                needle: str) -> tuple[str, int] | None:
    """The value of a "Label: value" field, on the same line or the next non-empty one;
    `needle` is a lower-case word of the label, checked first in `low` (the lines joined and
    lower-cased) because it is cheap."""
    if needle not in low:
        return None
    for i, line in enumerate(lines):
        m = rx.search(line)
        if not m:
            continue
        value = re.sub(r"^[\s*_:\-–—]+", "", line[m.end():]).strip()
        if value:
            return value, i
        for nxt in lines[i + 1:i + 4]:
            if not _EMPTY_VALUE_RE.match(nxt):
                return nxt.strip(), i
        return None
    return None


def sentences(line: str) -> list[str]:
    """A line cut into sentences (a date such as "July 29. 2024" is not an end)."""
    if "." not in line and "!" not in line and "?" not in line:
        return [line]
    out, start = [], 0
    for m in _SENTENCE_END_RE.finditer(line):
        out.append(line[start:m.end()])
        start = m.end()
    out.append(line[start:])
    return out


@dataclass(frozen=True)
class _Candidate:
    time: datetime
    precision: str
    evidence: str
    stated: bool


def _answer(text: list[str], ctx: DateContext, undated: list[str]) -> Iterator[_Candidate]:
    """The dated sentence of a "how did you become aware" answer that says so (undated ones
    go to `undated`)."""
    for line in text[:MAX_ANSWER_LINES]:
        if not line.strip():
            continue
        for sentence in sentences(line):
            s_low = sentence.lower()
            if _ANSWER_RE.search(s_low) is None or _OUTWARD_RE.search(s_low):
                continue
            p = parse_datetime(sentence, ctx)
            if p is not None:
                yield _Candidate(p.time, p.precision, line.strip(), True)
                return
            undated.append(sentence)


def _stamp_above(lines: list[str], i: int, ctx: DateContext) -> ParsedTime | None:
    """The time of the timeline entry a few lines above line `i`: a bare time stamp ("2025-05-08
    20:58" with its event on the bullet lines below) as it is; an entry with its own event text
    ("2020-04-21 16:54: issued", then "the content check identified the error") gives its day
    only. None when no line starting with a date comes first."""
    for j in range(i - 1, max(-1, i - 1 - _LOOK_BACK), -1):
        above = lines[j].strip()
        if not above:
            continue
        p = parse_datetime(above, ctx)
        if p is None:
            continue
        if p.start > 4:
            return None
        if not has_event_text(above, p.start, p.end):
            return p
        day = p.time.replace(hour=0, minute=0) if p.precision != DAY else p.time
        return ParsedTime(day, DAY, (*p.assumptions, "day of the timeline entry above"),
                          p.start, p.end)
    return None


class _NotApplicable(Exception):
    """The v3 identified-date field says N/A: the CA states there is no such moment."""


def candidates(lines: list[str], low: str, sections: list[tuple[str, list[str]]],
               timeline: tuple[TimelineEntry, ...], ctx: DateContext,
               notes: list[str]) -> Iterator[_Candidate]:
    """Awareness statements in rank order (lazily: most reports settle on the first). `low`
    is the lines joined with newlines and lower-cased; `notes` collects why an awareness-like
    line gave no date (month only, relative), for the unknown's reason."""
    found = field_value(lines, low, _IDENTIFIED_RE, "identified date")
    if found is not None:
        value, i = found
        if _NOT_STATED_RE.match(value):
            raise _NotApplicable
        p = parse_datetime(value, ctx)
        if p is not None:
            evidence = lines[i].strip()
            yield _Candidate(p.time, p.precision,
                             evidence if value in evidence else f"{evidence} {value}", True)
    undated: list[str] = []
    for name, text in sections:
        if name == "how_aware":
            yield from _answer(text, ctx, undated)
            break
    for entry in timeline:
        if entry.time is not None and says_aware(entry.raw.lower()):
            yield _Candidate(entry.time, entry.precision or DAY, entry.raw, False)
    # Lines holding an awareness phrase, in order, from one pass over `low` (the phrases never
    # span lines, so this is the set of lines a per-line search would pick); the date is taken
    # from the sentence that says it, else from a bare time stamp just above the line.
    i, pos, done, tried = 0, 0, -1, 0
    for m in AWARE_RE.finditer(low):
        i += low.count("\n", pos, m.start())
        pos = m.start()
        if i == done:
            continue
        done, tried = i, tried + 1
        if tried > MAX_AWARE_LINES:
            break
        line = lines[i]
        said = [x for x in sentences(line) if says_aware(x.lower())]
        if not said:
            continue
        p = next((q for q in map(lambda x: parse_datetime(x, ctx), said) if q is not None),
                 None) or (_stamp_above(lines, i, ctx) if parse_datetime(line, ctx) is None
                           else None)
        if p is not None:
            yield _Candidate(p.time, p.precision, line.strip(), False)
            continue
        undated.extend(said[:2])
        if len(notes) < 4:
            notes.append(_vague(line.lower()))
    yield from _by_words(undated[:MAX_UNDATED], timeline, lines, ctx)


MAX_UNDATED = 6
MAX_DATED_LINES = 300
_WORD_RE = re.compile(r"[a-z][a-z'-]{2,}")
_STOP = frozenset((
    "the", "and", "for", "with", "that", "this", "was", "were", "our", "from", "has", "have",
    "had", "are", "via", "its", "into", "been", "which", "about", "after", "before", "when",
    "then", "than", "their", "they", "them", "there", "these", "those", "also", "not", "all",
    "any", "but", "can", "could", "would", "should", "will", "may", "might", "issue",
    "problem", "incident", "certificate", "certificates", "report", "reported", "notified",
    "received", "informed", "became", "aware", "first", "attention", "brought"))


def _words(text: str) -> set[str]:
    return {w.strip("'-") for w in _WORD_RE.findall(text.lower())} - _STOP


def _by_words(undated: list[str], timeline: tuple[TimelineEntry, ...], lines: list[str],
              ctx: DateContext) -> Iterator[_Candidate]:
    """A sentence says how the CA learnt of it without a date ("we were notified by an e-mail
    from <researcher>"); the dated line that shares most of its words (two at least) says
    when ("<date> <researcher> sends an e-mail to our problem-report address")."""
    if not undated:
        return
    said = set().union(*map(_words, undated))
    if len(said) < 2:
        return
    dated: list[tuple[datetime, str, str]] = [
        (e.time, e.precision or DAY, e.raw) for e in timeline if e.time is not None]
    if not dated:
        for line in lines[:MAX_DATED_LINES * 10]:
            stripped = line.strip()
            p = parse_datetime(stripped[:40], ctx) if stripped[:1].isalnum() else None
            if p is not None and p.start <= 12:
                full = parse_datetime(stripped, ctx)
                if full is not None:
                    dated.append((full.time, full.precision, stripped))
                    if len(dated) >= MAX_DATED_LINES:
                        break
    best, best_n = None, 1
    for t, precision, raw in dated:
        n = len(said & _words(raw))
        if n > best_n:
            best, best_n = (t, precision, raw), n
    if best is not None:
        yield _Candidate(best[0], best[1], best[2], False)


_MONTH_ONLY_RE = re.compile(
    r"\b(?:in|during|early|mid|late|end of|beginning of)\s+(?:jan|feb|mar|apr|may|jun|jul|aug"
    r"|sep|oct|nov|dec)[a-z]*\b")
_RELATIVE_RE = re.compile(
    r"\b(?:yesterday|today|this morning|last (?:week|night|month)|(?:the )?(?:following|next|"
    r"previous) (?:day|morning|evening|week)|(?:\w+ )?(?:days?|weeks?|months?) ago|"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?: (?:morning|evening|"
    r"night))?)\b")


def _vague(line: str) -> str:
    if _MONTH_ONLY_RE.search(line):
        return "month only"
    if _RELATIVE_RE.search(line):
        return "relative"
    return "no date"


def plausible(c: _Candidate, posted: datetime | None, created: datetime | None) -> bool:
    """Not after the comment stating it; not long before the bug (or, without a filing time,
    the comment): two years for a stated answer, `INFERRED_WINDOW` for one read from words,
    which also may not follow the filing by more than `INFERRED_AFTER_FILING`."""
    if posted is not None and c.time > posted:
        return False
    if not c.stated and created is not None and c.time > created + INFERRED_AFTER_FILING:
        return False
    anchor = created or posted
    if anchor is None:
        return True
    return c.time >= anchor - (STATED_WINDOW if c.stated else INFERRED_WINDOW)


def awareness(lines: list[str], low: str, sections: list[tuple[str, list[str]]],
              timeline: tuple[TimelineEntry, ...], ctx: DateContext, posted: datetime | None,
              created: datetime | None) -> tuple[Awareness | None, str | None]:
    """The first plausible statement, or None and why; a day-precision one is sharpened by a
    statement of the same day with minutes (a v3 date field next to its timeline line)."""
    chosen: Awareness | None = None
    notes: list[str] = []
    rejected = ""
    try:
        for c in candidates(lines, low, sections, timeline, ctx, notes):
            if not plausible(c, posted, created):
                rejected = rejected or (
                    "stated after the comment" if posted is not None and c.time > posted
                    else "after the bug was filed" if created is not None and c.time > created
                    else "long before the bug was filed")
                continue
            if chosen is None:
                chosen = Awareness(c.time, c.precision, c.evidence[:300])
                if c.precision != DAY:
                    return chosen, None
            elif c.precision != DAY and c.time.date() == chosen.time.date():
                return Awareness(c.time, c.precision, c.evidence[:300]), None
    except _NotApplicable:
        return None, "identified date not applicable"
    if chosen is not None:
        return chosen, None
    vague = next((n for n in notes if n != "no date"), None)
    return None, rejected or vague or "not stated"


_WE_RE = re.compile(r"\b(?:we|our)\b")
FIRST_NOTICE_SPAN = 800  # a first notice says when it learnt of the problem near its start


def first_notice(lines: list[str], low: str, ctx: DateContext, posted: datetime | None,
                 created: datetime | None) -> bool:
    """Does a text without report headings open as a CA's first notice: a sentence near its
    start in which "we" say when we became aware (a date with the day)? Such a notice is the
    CA's initial disclosure, and often its only statement of awareness."""
    head = low[:FIRST_NOTICE_SPAN]
    if AWARE_RE.search(head) is None or _WE_RE.search(head) is None:
        return False
    seen = 0
    for line in lines:
        seen += len(line) + 1
        for sentence in sentences(line):
            s_low = sentence.lower()
            if says_aware(s_low) and _WE_RE.search(s_low):
                p = parse_datetime(sentence, ctx)
                if p is not None and plausible(_Candidate(p.time, p.precision, "", True),
                                               posted, created):
                    return True
        if seen > FIRST_NOTICE_SPAN:
            return False
    return False
