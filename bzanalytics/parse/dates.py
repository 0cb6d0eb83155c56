"""Dates and times as CAs write them in reports, turned into UTC with the assumptions made.

Real timelines mix ISO dates, day-first and month-first numeric dates, month names, weekdays,
year-less dates and local zones; a report states its zone or day/month order once at most.
`DateContext` carries those report-level facts so each line can be read consistently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

MINUTE = "minute"
DAY = "day"

_MONTH_RE = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_WEEKDAYS = {d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}

# Zones written on a line or once per report. Fixed offsets in hours; region names use tzdata
# so that PT/ET follow daylight saving time on the day in question.
_FIXED = {
    "utc": 0, "gmt": 0, "z": 0, "ut": 0, "bst": 1, "cet": 1, "cest": 2, "met": 1, "mest": 2,
    "eet": 2, "eest": 3, "wet": 0, "west": 1, "pst": -8, "pdt": -7, "mst": -7, "mdt": -6,
    "cst": -6, "cdt": -5, "est": -5, "edt": -4, "jst": 9, "kst": 9, "hkt": 8, "sgt": 8,
    "ist": 5.5, "aest": 10, "aedt": 11, "trt": 3, "msk": 3,
}
_REGIONS = {
    "pt": "America/Los_Angeles", "pacific": "America/Los_Angeles",
    "et": "America/New_York", "eastern": "America/New_York",
    "ct": "America/Chicago", "central": "America/Chicago",
    "mt": "America/Denver", "mountain": "America/Denver",
}
_ZONE_WORD = (
    r"(?:utc|gmt|ut)\s?[+\-±]\s?\d{1,2}(?::?\d{2})?|(?:utc|gmt)|"
    + "|".join(sorted((k for k in _FIXED if k not in ("z", "ut", "utc", "gmt")), key=len,
                      reverse=True))
    + r"|pt|et|mt|ct|pacific|eastern|mountain|central"
)
_ZONE_RE = re.compile(rf"(?<![a-z0-9])({_ZONE_WORD})(?![a-z0-9])", re.I)
_OFFSET_RE = re.compile(r"(?:utc|gmt|ut)?\s?([+\-±])\s?(\d{1,2})(?::?(\d{2}))?$", re.I)

_REPORT_ZONE_RE = re.compile(
    rf"\b(?:all\s+)?(?:times?|timestamps?|hours)\b[^.\n]{{0,30}}?\b(?:are\s+|in\s+|:\s*)*"
    rf"(?:the\s+)?({_ZONE_WORD})\b",
    re.I,
)

_WD = r"(?:\b(?P<wd>mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DATE_RE = re.compile(
    _WD + r"(?:"
    r"(?P<iy>(?:19|20)\d{2})[-./](?P<im>\d{1,2})[-./](?P<id>\d{1,2})(?![\d])"
    rf"|(?P<ay>(?:19|20)\d{{2}})-(?P<amon>{_MONTH_RE})-(?P<ad>\d{{1,2}})(?!\d)"
    r"|(?<![\d.\-/])(?P<na>\d{1,2})(?P<nsep>[/.\-])(?P<nb>\d{1,2})(?P=nsep)"
    r"(?P<ny>(?:19|20)\d{2}|\d{2})(?!\d|:\d)"
    rf"|\b(?P<lmon>{_MONTH_RE})\.?\s+(?:the\s+)?(?P<ld>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
    r"(?:\s*[-–]\s*\d{1,2}(?:st|nd|rd|th)?(?![\d:]))?"
    r"(?:[,.]?\s*(?P<ly>(?:19|20)\d{2})(?!\d))?"
    rf"|(?<![\d.:])(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s\-]+(?P<dmon>{_MONTH_RE})\b\.?"
    r"(?:[,\s\-]+(?P<dy>(?:19|20)\d{2})(?!\d))?"
    r"|(?<![\d./\-])(?P<ya>\d{1,2})/(?P<yb>\d{1,2})(?![\d/])"
    r")",
    re.I,
)
_TIME_RE = re.compile(
    r"(?<![\d:.])(?P<h>\d{1,2})(?::(?P<m>\d{2})(?::\d{2}(?:\.\d+)?)?\s*(?P<ampm1>[ap]\.?m\b\.?)?"
    r"|\s?(?P<ampm2>[ap]\.?m\b\.?))"
    rf"(?:\s*\(?\s*(?P<zone>z\b|{_ZONE_WORD}|[+\-]\d{{2}}:?\d{{2}})\b\)?)?",
    re.I,
)
_DIGIT_RE = re.compile(r"\d")
_DATE_START_RE = re.compile(
    r"(?<!\d)\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)",
    re.I,
)
_TIME_GAP_RE = re.compile(
    r"^[\s,;\-–—T@(~]*(?:(?:at|around|approx(?:imately|\.)?|about)\s+|@\s*|ca\.\s*)*~?", re.I)
# A time right after a date: the gap matched as `_TIME_GAP_RE.match` would (atomic: never
# given back), then `_TIME_RE` where it ends; one match instead of two.
_GAP_THEN_TIME_RE = re.compile(rf"(?>{_TIME_GAP_RE.pattern})(?:{_TIME_RE.pattern})", re.I)


# What may sit between a time written before its date and that date: the end of a range
# ("8:36 PM – 9:30 PM on ..."), then "on"/"of" and separators.
_TIME_THEN_DATE_RE = re.compile(
    r"(?:\s*[–—\-]\s*\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?)?(?:\s*\(?[a-z]{1,4}\)?)??"
    r"[\s,]*(?:on|of)?[\s,]*",
    re.I,
)


@dataclass(frozen=True)
class DateContext:
    """What a report says once for all its dates: zone, day/month order, and the post date.

    The day/month order comes from `text` (the whole report) and is worked out only when an
    ambiguous numeric date needs it, unless `order` gives it."""

    zone: str | None = None
    ref: datetime | None = None
    text: str = ""
    order: dict[str, bool] | None = None

    @cached_property
    def dayfirst(self) -> dict[str, bool]:
        return self.order if self.order is not None else infer_dayfirst(self.text)


@dataclass(frozen=True)
class ParsedTime:
    """One date or date-time, in UTC, with how precise it is and what had to be assumed."""

    time: datetime
    precision: str
    assumptions: tuple[str, ...]
    start: int
    end: int


def report_zone(text: str, *, low: str | None = None) -> str | None:
    """The zone a report states once ("All times UTC", "times are Pacific"), lower-cased.
    `low`, if given, is `text.lower()` already computed by the caller."""
    low = text.lower() if low is None else low
    if "time" not in low and "hours" not in low:
        return None
    for line in low.splitlines():
        if "time" in line or "hours" in line:
            m = _REPORT_ZONE_RE.search(line)
            if m:
                return m.group(1).replace(" ", "")
    return None


def _month(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _weekday_ok(wd: str | None, y: int | None, mo: int, d: int) -> bool | None:
    if not wd or y is None:
        return None
    try:
        return date(y, mo, d).weekday() == _WEEKDAYS[wd[:3].lower()]
    except ValueError:
        return False


def _full_year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


_NUMERIC_RE = re.compile(
    r"(?<![\d.\-/])(\d{1,2})([/.\-])(\d{1,2})(?:\2((?:19|20)?\d{2}))?(?![\d/])")
_WEEKDAY_BEFORE_RE = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+$", re.I)


def infer_dayfirst(text: str) -> dict[str, bool]:
    """Day/month order per separator ("/", ".", "-") from the report's own numeric dates:
    a part above 12, or a weekday that fits only one reading."""
    votes: dict[str, int] = {}
    for m in _NUMERIC_RE.finditer(text):
        a, sep, b, year = m.groups()
        if sep != "/" and not year:
            continue
        wd_match = _WEEKDAY_BEFORE_RE.search(text, max(0, m.start() - 12), m.start())
        wd = wd_match.group(1) if wd_match else None
        a_i, b_i = int(a), int(b)
        vote = 0
        if a_i > 12 >= b_i:
            vote = 2
        elif b_i > 12 >= a_i:
            vote = -2
        elif year and wd:
            y = _full_year(year)
            vote = int(bool(_weekday_ok(wd, y, b_i, a_i))) - int(bool(_weekday_ok(wd, y, a_i,
                                                                                      b_i)))
        votes[sep] = votes.get(sep, 0) + vote
    return {sep: v > 0 for sep, v in votes.items() if v}


def context_for(text: str, posted: datetime | None = None,
                created: datetime | None = None, *, low: str | None = None) -> DateContext:
    """The report-level facts used to read each of its dates (`low`: `text.lower()`, if the
    caller has it)."""
    return DateContext(zone=report_zone(text, low=low), ref=posted or created, text=text)


def _zone_offset(zone: str, local: datetime) -> timedelta | None:
    z = zone.lower().replace(" ", "")
    if z in _REGIONS:
        return local.replace(tzinfo=ZoneInfo(_REGIONS[z])).utcoffset()
    return _fixed_offset(z)


@lru_cache(maxsize=1024)
def _fixed_offset(z: str) -> timedelta | None:
    """The offset of a zone that does not depend on the date (cached: reports repeat a few)."""
    if z in _FIXED:
        return timedelta(hours=_FIXED[z])
    m = _OFFSET_RE.match(z)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        return sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
    return None


def _ymd(m: re.Match[str], ctx: DateContext, notes: list[str]) -> tuple[int, int, int] | None:
    """Year, month, day of a date match, resolving order and missing years."""
    g = m.group
    year: int | None
    if g("iy"):
        return int(g("iy")), int(g("im")), int(g("id"))
    if g("ay"):
        return int(g("ay")), _month(g("amon")), int(g("ad"))
    if g("lmon"):
        year, mo, d = (int(g("ly")) if g("ly") else None), _month(g("lmon")), int(g("ld"))
    elif g("dmon"):
        year, mo, d = (int(g("dy")) if g("dy") else None), _month(g("dmon")), int(g("dd"))
    else:
        a, b = int(g("na") or g("ya")), int(g("nb") or g("yb"))
        year = _full_year(g("ny")) if g("ny") else None
        if a > 12 >= b:
            dayfirst = True
        elif b > 12 >= a:
            dayfirst = False
        elif (ok := _weekday_ok(g("wd"), year, b, a)) is not None and ok != bool(
                _weekday_ok(g("wd"), year, a, b)):
            dayfirst = ok
        elif (sep := g("nsep") or "/") in ctx.dayfirst:
            dayfirst = ctx.dayfirst[sep]
            notes.append("day/month order from other dates: " + ("day-first" if dayfirst
                                                                  else "month-first"))
        else:
            dayfirst = g("nsep") == "."
            notes.append("day/month order assumed: " + ("day-first" if dayfirst
                                                        else "month-first"))
        d, mo = (a, b) if dayfirst else (b, a)
    if year is None:
        if ctx.ref is None:
            return None
        year = _year_for(mo, d, g("wd"), ctx.ref.date(), notes)
        if year is None:
            return None
    return year, mo, d


def _year_for(mo: int, d: int, wd: str | None, ref: date, notes: list[str]) -> int | None:
    """The year of a year-less date: the latest one not after `ref` (the post or filing date)
    in which a written weekday fits, else the latest one not after `ref`."""
    try:
        latest = ref.year if date(ref.year, mo, d) <= ref else ref.year - 1
        if wd:
            for year in (latest, latest - 1):
                if _weekday_ok(wd, year, mo, d):
                    notes.append(f"year {year} from the weekday and the post date")
                    return year
        date(latest, mo, d)
    except ValueError:  # 29 February of a year that has none
        return None
    notes.append(f"year {latest} from the post date")
    return latest


def parse_datetime(line: str, ctx: DateContext = DateContext(), *,
                   start: int = 0) -> ParsedTime | None:
    """The first date on `line` (from `start`) with its time if one is next to it, in UTC."""
    if not _DIGIT_RE.search(line, start):
        return None
    # What `_DATE_RE.finditer` yields, trying the big pattern only where a date can start (a
    # number, a month or weekday name): several times faster on long lines.
    end = start
    for c in _DATE_START_RE.finditer(line, start):
        if c.start() < end:
            continue
        m = _DATE_RE.match(line, c.start())
        if m is None:
            continue
        end = m.end()
        notes: list[str] = []
        ymd = _ymd(m, ctx, notes)
        if ymd is None:
            continue
        try:
            day = datetime(*ymd)
        except ValueError:
            continue
        if not 1990 <= day.year <= 2100:
            continue
        return _with_time(line, m, day, ctx, notes)
    return None


def _with_time(line: str, m: re.Match[str], day: datetime, ctx: DateContext,
               notes: list[str]) -> ParsedTime:
    tm = _GAP_THEN_TIME_RE.match(line[m.end():m.end() + 40])
    if tm is None or not _valid_time(tm):
        before = line[max(0, m.start() - 40):m.start()]
        tm = next((t for t in _TIME_RE.finditer(before)
                   if _valid_time(t) and _TIME_THEN_DATE_RE.fullmatch(before, t.end())),
                  None) if _DIGIT_RE.search(before) else None
    if tm is None:
        zone = _zone_on_line(line) or ctx.zone
        if zone and _zone_offset(zone, day) not in (None, timedelta(0)):
            notes.append("date without time: zone ignored")
        return ParsedTime(day.replace(tzinfo=UTC), DAY, tuple(notes), m.start(), m.end())
    h, mi, ampm1, ampm2, zone = tm.group("h", "m", "ampm1", "ampm2", "zone")
    hour = int(h)
    minute = int(mi or 0)
    ampm = (ampm1 or ampm2 or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    local = day + timedelta(hours=hour, minutes=minute)  # 24:00 is the next day's 00:00
    zone = zone or _zone_on_line(line)
    source = "line"
    if zone is None and ctx.zone:
        zone, source = ctx.zone, "report"
    offset = _zone_offset(zone, local) if zone else None
    if offset is None:
        notes.append("zone assumed UTC")
        offset = timedelta(0)
    elif source == "report":
        notes.append(f"zone {zone.upper()} stated for the report")
    utc = (local - offset).replace(tzinfo=UTC)
    return ParsedTime(utc, MINUTE, tuple(notes), m.start(), m.end() + tm.end())


def _valid_time(t: re.Match[str]) -> bool:
    h = int(t.group("h"))
    if t.group("m") is None:
        return 1 <= h <= 12
    return h <= 24 and int(t.group("m")) < 60


def _zone_on_line(line: str) -> str | None:
    m = _ZONE_RE.search(line)
    if m is None:
        return None
    z = m.group(1).lower().replace(" ", "")
    # "ET"/"PT" are also ordinary words or abbreviations; only trust them in capitals
    if z in ("et", "pt", "mt", "ct", "ist", "met", "cst", "est", "msk", "trt", "sgt", "wet") and (
            not m.group(1).isupper()):
        return None
    if z in ("mountain", "central") and not m.group(1)[0].isupper():
        return None
    return z


def parse_time_only(line: str, day: date, ctx: DateContext) -> ParsedTime | None:
    """A line with a time but no date ("- 14:05 deployed fix") under a date heading."""
    m = re.match(r"^[\s\-*•]*", line)
    tm = _TIME_RE.match(line, m.end() if m else 0)
    if tm is None or not _valid_time(tm) or (tm.group("m") is None and not tm.group("ampm2")):
        return None
    base = datetime(day.year, day.month, day.day)
    notes: list[str] = ["date from the heading above"]
    hour = int(tm.group("h"))
    ampm = (tm.group("ampm1") or tm.group("ampm2") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    local = base + timedelta(hours=hour, minutes=int(tm.group("m") or 0))  # 24:00: next day
    zone = tm.group("zone") or _zone_on_line(line) or ctx.zone
    offset = _zone_offset(zone, local) if zone else None
    if offset is None:
        notes.append("zone assumed UTC")
        offset = timedelta(0)
    return ParsedTime((local - offset).replace(tzinfo=UTC), MINUTE, tuple(notes), tm.start(),
                      tm.end())


def as_utc(value: datetime | None) -> datetime | None:
    """A naive or aware datetime as aware UTC (pandas Timestamps included)."""
    if value is None or value.tzinfo is UTC:
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


