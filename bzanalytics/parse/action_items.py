"""Action Items as data: every row of a report's or update's Action Items, in each written form.

CAs write them as the IRG 2.0 table (`Action Item | Kind | Due Date`), the IRG 3.x table (six
columns, with Status), either table flattened into plain text (a header line, then one line per
row with the cells run together), or a list under an "Action Items" heading. Due dates are read
with the report date parser; coarse ones ("Q3 2025", "end of June") keep their precision and
"TBD" stays unknown: nothing is guessed. Pure, never raises.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bzanalytics.parse.dates import DateContext, as_utc, parse_datetime
from bzanalytics.parse.sections import match_heading, may_be_heading

#: canonical Kind and Status spellings of the templates (IRG 2.0 and 3.x)
KINDS = ("Prevent", "Mitigate", "Detect")
STATUSES = ("Ongoing", "Complete", "Delayed", "Canceled")
FORMS = ("table-v2", "table-v3", "flat-v2", "flat-v3", "list")
PRECISIONS = ("day", "month", "quarter", "half", "year", "unknown")

_KIND_WORDS = {"prevent": "Prevent", "prevention": "Prevent", "preventive": "Prevent",
               "preventative": "Prevent", "mitigate": "Mitigate", "mitigation": "Mitigate",
               "detect": "Detect", "detection": "Detect", "detective": "Detect"}
_STATUS_WORDS = {"ongoing": "Ongoing", "in progress": "Ongoing", "complete": "Complete",
                 "completed": "Complete", "done": "Complete", "delayed": "Delayed",
                 "canceled": "Canceled", "cancelled": "Canceled"}
_KIND_RE = "|".join(sorted(_KIND_WORDS, key=len, reverse=True))
_STATUS_RE = "|".join(sorted(_STATUS_WORDS, key=len, reverse=True))
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

# Header cells, by what they start with once lower-cased.
_COLUMNS = (("action item", "text"), ("kind", "kind"), ("corresponding root", "root_cause"),
            ("root cause", "root_cause"), ("evaluation", "criteria"), ("due", "due"),
            ("status", "status"))
_FLAT_V2_RE = re.compile(r"^\W*action items?\W+kind\W+due(?: date)?\W*$", re.I)
_FLAT_V3_RE = re.compile(r"^\W*action items?\W+kind\W+corresponding root causes?(?:\W*s\W*)?\W+"
                         r"evaluation criteria\W+due(?: date)?\W+status\W*$", re.I)
_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-{2,}")
_LIST_RE = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+(?P<body>\S.*)$")
_LIST_INTRO_RE = re.compile(r"action items?\b[^|]{0,40}$", re.I)
_UNKNOWN_DUE_RE = re.compile(r"^\W*(?:tbd|tba|tbc|n/?a|unknown|to be (?:determined|confirmed)|"
                             r"ongoing|continuous|-+|—|–)?\W*$", re.I)
_QUARTER_RE = re.compile(r"\b(?:q([1-4])\s*[/\- ]?\s*((?:19|20)\d{2})|((?:19|20)\d{2})\s*[/\- ]?"
                         r"\s*q([1-4]))\b", re.I)
_HALF_RE = re.compile(r"\b(?:h([12])\s*[/\- ]?\s*((?:19|20)\d{2})|((?:19|20)\d{2})\s*[/\- ]?"
                      r"\s*h([12]))\b", re.I)
_MONTH_YEAR_RE = re.compile(rf"^\W*(?:(?:by|before)\s+)?(?:(?:the\s+)?(?:end|middle|mid|"
                            rf"beginning|start)(?:\s+of)?[\s\-]+)?({_MONTH_RE})\.?"
                            r"(?:,?\s+((?:19|20)\d{2}))?\W*$", re.I)
_YEAR_RE = re.compile(r"^\W*(?:(?:by|before)\s+)?(?:(?:the\s+)?end of\s+)?((?:19|20)\d{2})\W*$",
                      re.I)
_LIST_KIND_RE = re.compile(rf"(?:\bkind\s*[:=]\s*|\(|\[)\s*({_KIND_RE})\b\s*[)\]]?", re.I)
_LIST_STATUS_RE = re.compile(rf"(?:\bstatus\s*[:=]\s*|\(|\[)\s*({_STATUS_RE})\b\s*[)\]]?", re.I)
_LIST_DUE_RE = re.compile(r"\b(?:due(?: date)?|target(?: date)?|eta|deadline|new due date)\s*"
                          r"(?:by|on)?\s*[:=]?\s*(?P<due>[^;|\[\]()]+?)\s*(?=$|[;|\[\]()]|\s[–—-]\s|"
                          r",\s*(?:kind|status)|\.\s)", re.I)
_TEXT_END_RE = re.compile(r"\s+[–—-]\s+|\s*;\s*|\s*\(|\s*\[|\.\s+(?=(?:kind|status|due)\b)|,\s*"
                          r"(?=(?:kind|status|due)\b)|\s*:\s*(?=(?:" + _STATUS_RE + r")\b)", re.I)
_CLOSURE_RE = re.compile(r"(?<!not )\ball (?:of the |of our |the )?action items\b[^.\n]{0,60}?"
                         r"\b(?:have been|were|are)\s+(?:\w+\s+)?completed?\b(?!\s+yet)", re.I)
_NORM_RE = re.compile(r"[\W_]+")
# Year-less due dates lie ahead of the report: read them in a window from two months before
# the post to ten months after (the date parser picks the latest date not after `ref`).
_DUE_AHEAD = timedelta(days=304)
_NO_CONTEXT = DateContext()


@dataclass(frozen=True)
class ActionItem:
    """One Action Item row as the CA wrote it, with its due date read and its form named."""

    row: int  # 1-based position in the comment
    text: str
    kind: str | None
    root_cause: str | None
    criteria: str | None
    due_raw: str | None
    due: date | None  # the last day the stated due date allows ("Q3 2025" -> 2025-09-30)
    due_precision: str | None  # day | month | quarter | half | year | unknown; None: not stated
    status: str | None  # Ongoing | Complete | Delayed | Canceled, or the CA's own word
    status_date: date | None  # a date written with the status ("Complete (2025-08-02)")
    form: str

    @property
    def key(self) -> str:
        """The wording compared across comments: lower case, punctuation and spaces dropped."""
        return normalise(self.text)


def normalise(text: str) -> str:
    return _NORM_RE.sub(" ", text.lower()).strip()


def canonical_kind(word: str | None) -> str | None:
    if not word or not word.strip():
        return None
    w = word.strip().strip("*_ ")
    return _KIND_WORDS.get(w.lower(), w) or None


def canonical_status(word: str | None) -> str | None:
    if not word or not word.strip():
        return None
    w = " ".join(word.strip().strip("*_ ").split())
    return _STATUS_WORDS.get(w.lower(), w) or None


def says_all_complete(text: str | None) -> bool:
    """The closure template's statement that every Action Item has been completed."""
    return bool(text) and "action item" in text.lower() and _CLOSURE_RE.search(text) is not None


def _context(text: str, posted: datetime | None) -> DateContext:
    ref = as_utc(posted)
    return DateContext(ref=ref + _DUE_AHEAD if ref is not None else None, text=text)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _yearless_month(month: int, ctx: DateContext) -> int | None:
    if ctx.ref is None:
        return None
    year = ctx.ref.year
    return year if month <= ctx.ref.month else year - 1


def parse_due(raw: str | None,
              ctx: DateContext = _NO_CONTEXT) -> tuple[date | None, str | None]:
    """(last day allowed, precision) of a due-date cell: (None, "unknown") when it names no
    date ("TBD"), (None, None) when nothing is written."""
    if raw is None or not raw.strip():
        return None, None
    if _UNKNOWN_DUE_RE.match(raw):
        return None, "unknown"
    s = raw.strip()
    if m := _QUARTER_RE.search(s):
        q, year = int(m.group(1) or m.group(4)), int(m.group(2) or m.group(3))
        return _month_end(year, 3 * q), "quarter"
    if m := _HALF_RE.search(s):
        h, year = int(m.group(1) or m.group(4)), int(m.group(2) or m.group(3))
        return _month_end(year, 6 * h), "half"
    if m := _MONTH_YEAR_RE.match(s):
        month = _MONTHS[m.group(1).lower().rstrip(".")]
        year = int(m.group(2)) if m.group(2) else _yearless_month(month, ctx)
        return (_month_end(year, month), "month") if year else (None, "unknown")
    if m := _YEAR_RE.match(s):
        return date(int(m.group(1)), 12, 31), "year"
    parsed = parse_datetime(s, ctx)
    if parsed is None or parsed.start > 12:
        return None, "unknown"
    return parsed.time.date(), "day"


def _status_and_date(cell: str | None, ctx: DateContext) -> tuple[str | None, date | None]:
    """A status cell's word and a date written with it ("Complete (completed 2025-08-02)")."""
    if not cell or not cell.strip():
        return None, None
    m = re.match(rf"^\W*({_STATUS_RE})\b(.*)$", cell.strip(), re.I)
    if m is None:
        return canonical_status(cell), None
    rest = m.group(2)
    parsed = parse_datetime(rest, ctx) if rest.strip() else None
    return canonical_status(m.group(1)), parsed.time.date() if parsed else None


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [c.strip().strip("*").strip() for c in inner.split("|")]


def _header_columns(line: str) -> list[str | None] | None:
    """Column roles of a Markdown table header that starts with "Action Item", else None."""
    if "|" not in line:
        return None
    cells = [c.lower() for c in _cells(line)]
    if not cells or not cells[0].startswith("action item"):
        return None
    roles = [next((role for start, role in _COLUMNS if c.startswith(start)), None)
             for c in cells]
    return roles if "due" in roles else None


def _item(row: int, form: str, ctx: DateContext, *, text: str, kind: str | None = None,
          root_cause: str | None = None, criteria: str | None = None, due: str | None = None,
          status: str | None = None) -> ActionItem | None:
    text = " ".join(text.replace("**", "").split()).strip(" -–—:;,.")
    if not text:
        return None
    due_raw = " ".join(due.split()) if due and due.strip() else None
    day, precision = parse_due(due_raw, ctx)
    word, status_day = _status_and_date(status, ctx)
    return ActionItem(row, text, canonical_kind(kind), root_cause or None, criteria or None,
                      due_raw, day, precision, word, status_day, form)


def _table(lines: list[str], start: int, roles: list[str | None], ctx: DateContext,
           first_row: int) -> tuple[list[ActionItem], int]:
    items: list[ActionItem] = []
    form = "table-v3" if "status" in roles else "table-v2"
    i = start + 1
    while i < len(lines) and lines[i].strip().startswith("|"):
        line = lines[i]
        i += 1
        if _SEPARATOR_RE.match(line):
            continue
        cells = _cells(line)
        fields = {role: cells[n] for n, role in enumerate(roles) if role and n < len(cells)}
        item = _item(first_row + len(items), form, ctx, text=fields.get("text", ""),
                     kind=fields.get("kind"), root_cause=fields.get("root_cause"),
                     criteria=fields.get("criteria"), due=fields.get("due"),
                     status=fields.get("status"))
        if item is not None:
            items.append(item)
    return items, i


_FLAT_V2_ROW = re.compile(rf"^(?P<text>.+)\s(?P<kind>{_KIND_RE})\s+(?P<due>\S.*?)\s*$", re.I)
_FLAT_V3_ROW = re.compile(rf"^(?P<text>.+)\s(?P<kind>{_KIND_RE})\s+(?P<mid>.*?)\s*"
                          rf"(?P<status>\b(?:{_STATUS_RE})\b(?:.*?))\s*$", re.I)
_DUE_TAIL_RE = re.compile(
    r"(?<!\w)(?P<due>(?:tbd|tba|n/a|unknown|q[1-4]\s*(?:19|20)\d{2}|h[12]\s*(?:19|20)\d{2}"
    r"|(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:19|20)?\d{2}"
    rf"|(?:(?:end|middle|mid|beginning|start)(?:\s+of)?\s+)?(?:{_MONTH_RE})\.?"
    r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?(?:,?\s+(?:19|20)\d{2})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH_RE})\.?(?:,?\s+(?:19|20)\d{{2}})?))\s*$", re.I)
_ROOT_CAUSE_LEAD_RE = re.compile(r"^(?P<rc>(?:root cause|contributing factor|rc|cf)\s*#?\s*\d+"
                                 r"(?:\s*(?:,|&|and|/)\s*(?:(?:root cause|contributing factor|rc"
                                 r"|cf)\s*)?#?\s*\d+)*)\s*(?P<rest>.*)$", re.I)


def _flat_row(line: str, v3: bool, row: int, ctx: DateContext) -> ActionItem | None:
    s = " ".join(line.replace("|", " ").split())
    form = "flat-v3" if v3 else "flat-v2"
    if not v3:
        m = _FLAT_V2_ROW.match(s)
        if m is None:
            tail = _DUE_TAIL_RE.search(s)
            if tail is None:
                return None
            return _item(row, form, ctx, text=s[:tail.start()], due=tail.group("due"))
        return _item(row, form, ctx, text=m.group("text"), kind=m.group("kind"),
                     due=m.group("due"))
    m = _FLAT_V3_ROW.match(s)
    if m is None:
        return None
    mid = m.group("mid")
    tail = _DUE_TAIL_RE.search(mid)
    due, rest = (tail.group("due"), mid[:tail.start()].strip()) if tail else (None, mid)
    lead = _ROOT_CAUSE_LEAD_RE.match(rest)
    root, criteria = (lead.group("rc"), lead.group("rest")) if lead else (rest, None)
    return _item(row, form, ctx, text=m.group("text"), kind=m.group("kind"), root_cause=root,
                 criteria=criteria, due=due, status=m.group("status"))


def _flat(lines: list[str], start: int, v3: bool, ctx: DateContext,
          first_row: int) -> tuple[list[ActionItem], int]:
    items: list[ActionItem] = []
    i = start + 1
    while i < len(lines) and lines[i].strip():
        line = lines[i]
        if may_be_heading(line) and match_heading(line.strip()) is not None:
            break
        item = _flat_row(line.strip().lstrip("•-* "), v3, first_row + len(items), ctx)
        if item is None:
            break
        items.append(item)
        i += 1
    return items, i


def _list_item(body: str, row: int, ctx: DateContext) -> ActionItem | None:
    kind = _LIST_KIND_RE.search(body)
    status = _LIST_STATUS_RE.search(body)
    due = _LIST_DUE_RE.search(body)
    end = _TEXT_END_RE.search(body)
    text = body[:end.start()] if end else body
    status_text = None
    if status is not None:
        status_text = body[status.start(1):]
        status_text = re.split(r"[;|\]]|\s[–—-]\s|\)\s", status_text)[0]
    return _item(row, "list", ctx, text=text, kind=kind.group(1) if kind else None,
                 due=due.group("due") if due else None, status=status_text)


def _list(lines: list[str], start: int, ctx: DateContext,
          first_row: int) -> tuple[list[ActionItem], int]:
    items: list[ActionItem] = []
    i = start + 1
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            if items:
                # a blank line inside a list is fine; a paragraph after it ends the list
                nxt = next((x for x in lines[i:] if x.strip()), "")
                if not _LIST_RE.match(nxt):
                    break
            continue
        m = _LIST_RE.match(line)
        if m is None or (may_be_heading(line) and match_heading(line.strip()) is not None):
            break  # "7. Appendix" is the next numbered heading
        item = _list_item(m.group("body"), first_row + len(items), ctx)
        if item is not None:
            items.append(item)
        i += 1
    return items, i


def _is_list_intro(line: str) -> bool:
    s = line.strip()
    if not s or s.startswith("|"):
        return False
    if may_be_heading(s):  # "6. Action Items" is a numbered heading, not a list line
        h = match_heading(s)
        if h is not None:
            return h.name == "action_items" and not h.inline
    if _LIST_RE.match(s):
        return False
    return len(s) <= 80 and _LIST_INTRO_RE.search(s) is not None and (
        s.endswith(":") or s.lstrip().startswith("#") or s.startswith("**") or "update" in
        s.lower())


def extract_action_items(text: str | None, posted: datetime | None = None
                         ) -> tuple[ActionItem, ...]:
    """Every Action Item of one comment, in order (tables, flattened tables, lists)."""
    if not isinstance(text, str) or "action item" not in text.lower():
        return ()
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = ["" if line.lstrip().startswith(">") else line for line in text.split("\n")]
    ctx = _context(text, posted)
    items: list[ActionItem] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        low = line.lower()
        found: list[ActionItem] = []
        end = i + 1
        if "action item" in low:
            roles = _header_columns(line)
            if roles is not None:
                found, end = _table(lines, i, roles, ctx, len(items) + 1)
            elif _FLAT_V3_RE.match(line):
                found, end = _flat(lines, i, True, ctx, len(items) + 1)
            elif _FLAT_V2_RE.match(line):
                found, end = _flat(lines, i, False, ctx, len(items) + 1)
            elif _is_list_intro(line):
                j = i + 1
                while j < len(lines) and not lines[j].strip():
                    j += 1
                if j < len(lines) and _header_columns(lines[j]) is None and not (
                        _FLAT_V2_RE.match(lines[j]) or _FLAT_V3_RE.match(lines[j])):
                    found, end = _list(lines, j - 1, ctx, len(items) + 1)
        items.extend(found)
        i = max(end, i + 1)
    return tuple(items)


__all__ = ["FORMS", "KINDS", "PRECISIONS", "STATUSES", "ActionItem", "canonical_kind",
           "canonical_status", "extract_action_items", "normalise", "parse_due",
           "says_all_complete"]
