"""Date and time writing styles seen in real incident timelines.

Each style turns a true UTC instant into the text a CA would have written, converting to the
style's zone, so the parser has to undo exactly what a human did. Ambiguous numeric styles are
only safe when the report elsewhere settles day/month order; `needs_context` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

PACIFIC = ZoneInfo("America/Los_Angeles")
LONDON = ZoneInfo("Europe/London")
BERLIN = ZoneInfo("Europe/Berlin")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _ord(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _ampm(t: datetime) -> str:
    hour = t.hour % 12 or 12
    return f"{hour}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def _with_offset(local: datetime) -> str:
    off = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} {off[:3]}:{off[3:]}"


def _labelled(local: datetime, zone: ZoneInfo) -> str:
    return f"{local:%Y-%m-%d %H:%M} {_zone_label(local, zone)}"


def _zone_label(t: datetime, zone: ZoneInfo) -> str:
    dst = bool(t.dst())
    if zone is LONDON:
        return "BST" if dst else "GMT"
    if zone is BERLIN:
        return "CEST" if dst else "CET"
    return "PDT" if dst else "PST"


@dataclass(frozen=True)
class TimeStyle:
    """How one report writes minute-precision times.

    `note` is the report-wide zone statement ("All times are UTC.") or "" when each line
    carries its zone; `ambiguous` marks numeric day/month forms that need a date with a part
    > 12 (or a weekday) elsewhere in the same report.
    """

    name: str
    note: str
    ambiguous: bool = False

    def evident(self, t: datetime) -> bool:
        """Does this one rendering settle day/month order by itself (a part > 12, equal parts,
        or a weekday that fits only one reading)?"""
        if not self.ambiguous:
            return True
        zone = {"uk-weekday": LONDON, "us-weekday-pacific": PACIFIC}.get(self.name)
        d = (t.astimezone(zone) if zone else t.astimezone(UTC)).date()
        if d.day > 12 or d.day == d.month:
            return True
        if self.name == "dotted-dmy":
            return False
        return date(d.year, d.day, d.month).weekday() != d.weekday()

    def render(self, t: datetime) -> str:
        return _RENDER[self.name](t.astimezone(UTC))

    def render_date(self, d: date) -> str:
        """A date alone in this style's numeric/word order (used for context lines)."""
        return _RENDER_DATE.get(self.name, lambda x: x.isoformat())(d)


def _pacific(t: datetime) -> datetime:
    return t.astimezone(PACIFIC)


def _fold_label(local: datetime) -> str:
    """" PDT"/" PST" when the local time occurs twice (the autumn change), so the reader can
    tell which one; "" otherwise (the report's "times are Pacific" note is enough)."""
    if local.replace(fold=1 - local.fold).utcoffset() == local.utcoffset():
        return ""
    return " " + _zone_label(local, PACIFIC)


def _weekday_pacific_pm(local: datetime) -> str:
    clock = _ampm(local).replace(" ", "").lower()
    return (f"{WEEKDAYS[local.weekday()]} {MONTHS[local.month - 1]} {local.day} at {clock} "
            f"Pacific{_fold_label(local)}")


_RENDER = {
    "iso-utc": lambda t: f"{t:%Y-%m-%d %H:%M} UTC",
    "iso-endash": lambda t: f"{t:%Y-%m-%d} – {t:%H:%M} UTC",
    "iso-note": lambda t: f"{t:%Y-%m-%d %H:%M} -",
    "iso-z": lambda t: f"{t:%Y-%m-%dT%H:%M}Z",
    "offset-berlin": lambda t: _with_offset(t.astimezone(BERLIN)),
    "cet": lambda t: _labelled(t.astimezone(BERLIN), BERLIN),
    "dotted-dmy": lambda t: f"{t:%d.%m.%Y %H:%M}",
    "us-weekday-pacific": lambda t: f"{_pacific(t):%a} {_pacific(t).month}/{_pacific(t).day}/"
    f"{_pacific(t).year} {_ampm(_pacific(t))}{_fold_label(_pacific(t))}",
    "uk-weekday": lambda t: f"{t.astimezone(LONDON):%a %d/%m/%Y %H:%M} "
    f"({_zone_label(t.astimezone(LONDON), LONDON)})",
    "long-pacific": lambda t: f"{_pacific(t).day} {MONTHS[_pacific(t).month - 1]} "
    f"{_pacific(t).year} at {_ampm(_pacific(t))}{_fold_label(_pacific(t))}",
    "yearless-gmt": lambda t: (f"{t.month}/{t.day} at {t:%H:%M} GMT" if t.day > 12
                               else f"{MONTHS[t.month - 1][:3]} {t.day} at {t:%H:%M} GMT"),
    "long-us": lambda t: f"{MONTHS[t.month - 1]} {t.day}, {t.year}, {t:%H:%M} UTC",
    "dotted-iso": lambda t: f"{t:%Y.%m.%d %H:%M} UTC",
    "long-dot": lambda t: f"{MONTHS[t.month - 1]} {t.day}. {t.year} {t:%H:%M}–",
    # a first notice's year-less weekday date, 12-hour clock without a space, zone as a word
    "weekday-pacific-pm": lambda t: _weekday_pacific_pm(_pacific(t)),
}

_RENDER_DATE = {
    "dotted-dmy": lambda d: f"{d:%d.%m.%Y}",
    "us-weekday-pacific": lambda d: f"{WEEKDAYS[d.weekday()]} {d.month}/{d.day}/{d.year}",
    "uk-weekday": lambda d: f"{d:%a %d/%m/%Y}",
    "long-pacific": lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    "long-us": lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    "dotted-iso": lambda d: f"{d:%Y.%m.%d}",
    "long-dot": lambda d: f"{MONTHS[d.month - 1]} {d.day}. {d.year}",
}

STYLES = (
    TimeStyle("iso-utc", ""),
    TimeStyle("iso-endash", ""),
    TimeStyle("iso-note", "All times are UTC."),
    TimeStyle("iso-z", ""),
    TimeStyle("offset-berlin", ""),
    TimeStyle("cet", ""),
    TimeStyle("dotted-dmy", "All times in UTC±00:00.", ambiguous=True),
    TimeStyle("us-weekday-pacific", "All times are Pacific (PT).", ambiguous=True),
    TimeStyle("uk-weekday", "", ambiguous=True),
    TimeStyle("long-pacific", "Times are Pacific."),
    TimeStyle("yearless-gmt", ""),
    TimeStyle("long-us", ""),
    TimeStyle("dotted-iso", ""),
    TimeStyle("long-dot", "All times UTC."),
)
# written only in free-form first notices (one sentence, no timeline)
NOTICE_STYLES = (TimeStyle("weekday-pacific-pm", ""),)
STYLE_BY_NAME = {s.name: s for s in (*STYLES, *NOTICE_STYLES)}
# v2/v3 templates ask for UTC with minute granularity; legacy reports show every habit.
MODERN_STYLES = ("iso-utc", "iso-endash", "iso-note", "iso-z", "offset-berlin", "dotted-iso")


def day_text(d: date, form: str) -> str:
    """A date without a time, in one of the forms CAs use for day-precision statements."""
    if form == "iso":
        return d.isoformat()
    if form == "dotted-iso":
        return f"{d:%Y.%m.%d}"
    if form == "long-us":
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    if form == "long-uk":
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if form == "weekday-us":
        return f"{WEEKDAYS[d.weekday()]} {d.month}/{d.day}/{d.year}"
    if form == "yearless":
        return f"{MONTHS[d.month - 1][:3]} {_ord(d.day)}"
    if form == "yearless-weekday":  # the weekday settles the year
        return f"{WEEKDAYS[d.weekday()]} {_ord(d.day)} {MONTHS[d.month - 1]}"
    raise ValueError(form)


DAY_FORMS = ("iso", "dotted-iso", "long-us", "long-uk", "weekday-us", "yearless",
             "yearless-weekday")
YEARLESS_FORMS = ("yearless", "yearless-weekday")


def bmo_time(t: datetime) -> str:
    """BMO's REST timestamp form, always UTC with a Z and whole seconds."""
    if t.utcoffset():
        t = t.astimezone(UTC)
    return t.isoformat(timespec="seconds")[:19] + "Z"
