"""Timeline entries of a report: each dated line as a UTC time with its precision and assumptions.

Handles one-line entries ("2025-10-13 – 08:01 UTC: revoked"), the v2 template's day headings
followed by time-only bullets ("2023-10-23:" then "- 14:05 deployed"), table rows, and relative
lines ("the following day") that inherit the previous entry's day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bzanalytics.parse.dates import DAY, DateContext, parse_datetime, parse_time_only

_WORDS_RE = re.compile(r"[A-Za-z]{3,}")
_RELATIVE_RE = re.compile(r"\b(?:the )?(?:following|next) (?:day|morning|afternoon|evening)\b",
                          re.I)
_TABLE_RULE_RE = re.compile(r"^\s*\|?[\s:\-|]+\|?\s*$")
_BULLET_RE = re.compile(r"^[\s\-*+•·|>]*")
# Real timelines have tens of lines, a long one a few hundred; past this a "timeline" is a pasted
# log, and reading it all would let one comment take seconds.
MAX_LINES = 1000
_NOT_EVENT_WORDS_RE = re.compile(r"\b(?:utc|gmt|am|pm|on|at)\b", re.I)


@dataclass(frozen=True)
class TimelineEntry:
    """One dated line of a timeline; `time` is UTC (None if only the text is kept)."""

    time: datetime | None
    precision: str | None
    raw: str
    assumptions: tuple[str, ...]


def has_event_text(line: str, start: int, end: int) -> bool:
    """Does `line` say what happened, besides its date (`start`:`end`) and time words?"""
    rest = line[:start] + " " + line[end:]
    rest = _NOT_EVENT_WORDS_RE.sub(" ", rest)
    return bool(_WORDS_RE.search(rest))


def extract_timeline(lines: Iterable[str], ctx: DateContext) -> tuple[TimelineEntry, ...]:
    """The dated entries among `lines` (a timeline section's text), in order."""
    entries: list[TimelineEntry] = []
    day: date | None = None
    pending_header: TimelineEntry | None = None
    seen = 0
    for line in lines:
        stripped = line.strip()
        if not stripped or _TABLE_RULE_RE.match(stripped):
            continue
        seen += 1
        if seen > MAX_LINES:
            break
        parsed = parse_datetime(stripped, ctx)
        if parsed is not None:
            if pending_header is not None:
                entries.append(pending_header)
            day = parsed.time.date()
            entry = TimelineEntry(parsed.time, parsed.precision, stripped, parsed.assumptions)
            if parsed.precision == DAY and not has_event_text(stripped, parsed.start,
                                                               parsed.end):
                pending_header = entry
            else:
                pending_header = None
                entries.append(entry)
            continue
        if day is not None:
            body = stripped[_BULLET_RE.match(stripped).end():]  # type: ignore[union-attr]
            timed = parse_time_only(body, day, ctx)
            if timed is not None:
                pending_header = None
                entries.append(TimelineEntry(timed.time, timed.precision, stripped,
                                             timed.assumptions))
                continue
            if entries and _RELATIVE_RE.search(stripped) and entries[-1].time is not None:
                prev = entries[-1].time.replace(hour=0, minute=0)
                nxt = prev + timedelta(days=1)
                day = nxt.date()
                entries.append(TimelineEntry(nxt, DAY, stripped,
                                             ("day relative to the previous entry",)))
    if pending_header is not None:
        entries.append(pending_header)
    return tuple(entries)
