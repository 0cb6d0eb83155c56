"""Hand corrections with citations: reading and checking a corrections file (CSV).

A reviewer who sees a wrong awareness time, CA or report fixes it once, with the link to the
comment that supports the value, and every output follows. The file is checked whole before
anything is applied: one bad row and nothing is applied (`CorrectionsError` lists every problem
with its line number). Applying the rows is `metrics.corrections.apply` (pure).

Columns: bug_id, field, value, evidence, note, by. Fields and values:

    awareness_time  ISO 8601 UTC time to the minute (2024-05-01T13:45Z) or a day (2024-05-01)
    ca              the CA owner's name (an alias finds its canonical owner)
    excluded        a reason to leave the bug out (e.g. "not an incident"), or `no` to count it
    initial_report  the number of the comment that is the initial report, or `none`
    full_report     the number of the comment that is the full report, or `none`
    self_filed      true or false
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from bzanalytics.errors import UsageError

COLUMNS = ("bug_id", "field", "value", "evidence", "note", "by")
FIELDS = ("awareness_time", "ca", "excluded", "initial_report", "full_report", "self_filed")
_LINK_RE = re.compile(r"show_bug\.cgi\?id=(\d+)(?:#c(\d+))?$")
_MINUTE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::00)?(?:Z|\+00:?00|UTC)?$")
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BOOLS = {"true": True, "false": False}


class CorrectionsError(UsageError):
    """A corrections file that cannot be applied; `problems` are "line N: what is wrong"."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{path}: {len(problems)} problem(s), nothing applied:\n  {shown}{more}")


@dataclass(frozen=True)
class Correction:
    """One row: `value` is typed (a UTC datetime, bool, comment number, text or None)."""

    line: int
    bug_id: int
    field: str
    value: Any
    precision: str | None  # awareness_time only: minute or day
    raw: str
    evidence: str
    evidence_count: int | None  # the comment number the evidence link points at (#cN)
    note: str
    by: str


@dataclass(frozen=True)
class Corrections:
    """A checked corrections file and its SHA-256, cited beside the snapshot's content hash."""

    path: Path
    sha256: str
    rows: tuple[Correction, ...] = field(default=())

    def frame(self) -> pd.DataFrame:
        """One row per correction, for the report's list and the export."""
        return pd.DataFrame(
            [{"line": r.line, "bug_id": r.bug_id, "field": r.field, "value": r.raw,
              "evidence": r.evidence, "note": r.note, "by": r.by} for r in self.rows],
            columns=["line", "bug_id", "field", "value", "evidence", "note", "by"],
        ).astype({"line": "int64", "bug_id": "Int64", "field": "str", "value": "str",
                  "evidence": "str", "note": "str", "by": "str"})


def read_corrections(path: str | Path) -> Corrections:
    """Read and check the file's own content (fields, values, links, duplicates)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read corrections file {path}: {exc.strerror}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorrectionsError(path, [f"not UTF-8 text ({exc.reason})"]) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise CorrectionsError(path, [f"line 1: missing column(s) {', '.join(missing)}; "
                                      f"the header is {','.join(COLUMNS)}"])
    problems: list[str] = []
    rows: list[Correction] = []
    seen: dict[tuple[int, str], int] = {}
    for number, raw in enumerate(reader, start=2):
        cells = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(cells.values()):
            continue
        try:
            row = _row(number, cells)
        except ValueError as exc:
            problems.append(f"line {number}: {exc}")
            continue
        first = seen.setdefault((row.bug_id, row.field), number)
        if first != number:
            problems.append(f"line {number}: a second {row.field} correction for bug "
                            f"{row.bug_id} (first on line {first})")
            continue
        rows.append(row)
    if problems:
        raise CorrectionsError(path, problems)
    return Corrections(path=path, sha256=hashlib.sha256(data).hexdigest(), rows=tuple(rows))


def _row(number: int, cells: dict[str, str]) -> Correction:
    bug_text, name, value = cells["bug_id"], cells["field"], cells["value"]
    if not bug_text.isdigit() or int(bug_text) <= 0:
        raise ValueError(f"bug_id {bug_text!r} is not a bug number")
    bug = int(bug_text)
    if name not in FIELDS:
        raise ValueError(f"unknown field {name!r}; use one of {', '.join(FIELDS)}")
    evidence = cells["evidence"]
    link = _LINK_RE.search(evidence)
    if not link:
        raise ValueError("evidence must link to the supporting comment "
                         f"(…/show_bug.cgi?id={bug}#cN), got {evidence!r}")
    if int(link.group(1)) != bug:
        raise ValueError(f"evidence links to bug {link.group(1)}, not to bug {bug}")
    typed, precision = _value(name, value)
    count = int(link.group(2)) if link.group(2) is not None else None
    return Correction(line=number, bug_id=bug, field=name, value=typed, precision=precision,
                      raw=value, evidence=evidence, evidence_count=count, note=cells["note"],
                      by=cells["by"])


def _value(name: str, value: str) -> tuple[Any, str | None]:
    if not value:
        raise ValueError(f"{name} needs a value")
    if name == "awareness_time":
        return _awareness(value)
    if name in ("initial_report", "full_report"):
        if value.lower() == "none":
            return None, None
        if not value.isdigit():
            raise ValueError(f"{name} takes a comment number or `none`, got {value!r}")
        return int(value), None
    if name == "self_filed":
        if value.lower() not in _BOOLS:
            raise ValueError(f"self_filed takes true or false, got {value!r}")
        return _BOOLS[value.lower()], None
    if name == "excluded":
        return (None if value.lower() == "no" else value), None
    return value, None  # ca


def _awareness(value: str) -> tuple[datetime, str]:
    minute = _MINUTE_RE.match(value)
    try:
        if minute:
            day, hh, mm = minute.groups()
            stamp = datetime.fromisoformat(f"{day}T{hh}:{mm}").replace(tzinfo=UTC)
            return stamp, "minute"
        if _DAY_RE.match(value):
            return datetime.fromisoformat(value).replace(tzinfo=UTC), "day"
    except ValueError as exc:
        raise ValueError(f"awareness_time {value!r} is not a real date ({exc})") from exc
    raise ValueError(f"awareness_time {value!r} is not an ISO UTC minute (2024-05-01T13:45Z) "
                     "or day (2024-05-01)")


def check_against(corrections: Corrections, bugs: pd.DataFrame,
                  comments: pd.DataFrame) -> None:
    """Every row names a bug of the snapshot, and a report correction a comment of that bug."""
    known = set(bugs["bug_id"].astype("int64").tolist())
    counts = set(zip(comments["bug_id"].astype("int64"), comments["count"].astype("int64"),
                     strict=True))
    problems = []
    for row in corrections.rows:
        if row.bug_id not in known:
            problems.append(f"line {row.line}: bug {row.bug_id} is not in this snapshot")
        elif (row.field in ("initial_report", "full_report") and row.value is not None
              and (row.bug_id, row.value) not in counts):
            problems.append(f"line {row.line}: bug {row.bug_id} has no comment {row.value}")
    if problems:
        raise CorrectionsError(corrections.path, problems)
