"""The date a preliminary report promises the full report by ("a full incident report will be
posted no later than 5 June 2025").

IRG 2.0 asks a CA whose full report is not ready within 72 hours for a preliminary report with
"a date by which the full report will be posted"; CAs keep writing such dates in v3 preliminary
reports and in first notices. Only a sentence that names the full report *and* a deadline word
right before an absolute date counts: "we will follow up with a full report" or "within two
weeks" gives no date, and a date that lies before the comment was posted is no promise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bzanalytics.parse.dates import DAY, DateContext, parse_datetime

# "full report", "full incident report", "Full Incident Report", "final report"
_FULL_RE = re.compile(r"\b(?:full|final|complete|detailed)\s+(?:incident\s+)?report\b")
# The words that make a date a deadline, nearest the date last: "at the latest by", "by".
_CUE_RE = re.compile(
    r"\b(?:no|not)\s+later\s+than\b|\bat\s+(?:the\s+)?latest(?:\s+(?:by|on))?\b|"
    r"\blatest\s+by\b|\bon\s+or\s+before\b|\bby\b|\bbefore\b|\bdue\s+(?:on|by)?\b|"
    r"\b(?:expected|planned|scheduled)\s+(?:on|for)\b",
)
# Between the deadline word and the date: a weekday, "the", a time of day with its zone.
GAP = 32
ONE_DAY = timedelta(days=1)
# The end of a sentence: a stop followed by a space (or the text's end), or a line break.
_END_RE = re.compile(r"[.!?](?=\s|$)|\n")
_STOPS = (". ", "! ", "? ", ".\n", "!\n", "?\n", "\n")


@dataclass(frozen=True)
class FullReportPromise:
    """The promised moment in UTC (the start of the day for day precision)."""

    time: datetime
    precision: str


def full_report_promise(text: str, ctx: DateContext, posted: datetime | None, *,
                        low: str | None = None) -> FullReportPromise | None:
    """The first promised date of a full report in `text`, or None when none is stated.
    `low`, if given, is `text.lower()` already computed by the caller; only it is read."""
    text = text.lower() if low is None else low
    if "report" not in text:
        return None
    done = -1  # the end of the last sentence read: two mentions in one are read once
    for full in _FULL_RE.finditer(text):
        if full.start() < done:
            continue
        start, done = _sentence_around(text, full.start(), full.end(), max(done, 0))
        promise = _dated(text[start:done], ctx, posted)
        if promise is not None:
            return promise
    return None


def _sentence_around(text: str, start: int, end: int, floor: int) -> tuple[int, int]:
    """The bounds of the sentence holding `text[start:end]` (only the mentions are visited,
    not every sentence of a long report). `floor` is the end of the sentence read before: a
    sentence starts there at the latest, so the search back stops there (else every mention
    would scan back to the text's start: quadratic in a long report without stops)."""
    left = floor
    for stop in _STOPS:
        found = text.rfind(stop, floor, start)
        if found >= 0:
            left = max(left, found + len(stop))
    stop = _END_RE.search(text, end)
    return left, stop.end() if stop else len(text)


def _dated(sentence: str, ctx: DateContext,
           posted: datetime | None) -> FullReportPromise | None:
    """The date right after a deadline word anywhere in the sentence: the report may be named
    before the cue ("the full report will be posted by ...") or after it ("by 5 June we will
    post the full report")."""
    for cue in _CUE_RE.finditer(sentence):
        parsed = parse_datetime(sentence[cue.end():], ctx)
        if parsed is None or parsed.start > GAP:
            continue
        last_moment = parsed.time + ONE_DAY if parsed.precision == DAY else parsed.time
        if posted is not None and last_moment <= posted:
            continue  # a deadline already past when written is no promise (a misread date)
        return FullReportPromise(parsed.time, parsed.precision)
    return None
