"""Frames in, frames out: roles, reports, timelines and per-bug base columns of a snapshot.

Pure: no I/O. Comments are parsed with a list comprehension (no per-row `apply`) and only after
a cheap keyword pre-filter inside `parse_report`, so ~400k comments parse in well under a minute.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from bzanalytics.parse import roles
from bzanalytics.parse.ca import ca_from_summary, current_owner, owner_for_ccadb_id
from bzanalytics.parse.reports import ReportParse, parse_report
from bzanalytics.parse.whiteboard import category, parse_whiteboard

_UTC = "datetime64[us, UTC]"
REPORT_COLUMNS = (
    "bug_id", "comment_id", "count", "author", "time", "kind", "template", "sections",
    "n_sections", "completeness", "missing_sections", "ccadb_id", "disclosure_source",
    "awareness_time", "awareness_precision", "awareness_evidence",
)
TIMELINE_COLUMNS = ("bug_id", "comment_id", "count", "entry", "time", "precision", "raw",
                    "assumptions")
INCIDENT_COLUMNS = (
    "bug_id", "ca", "ca_raw", "ca_source", "ca_current", "year", "tags", "category",
    "next_update", "self_filed", "template", "aware_time", "aware_precision", "aware_source",
    "aware_count", "full_report_promised", "full_report_promised_precision",
    "full_report_promise_count", "full_report_promise_posted", "is_meta",
)


@dataclass(frozen=True)
class Parsed:
    """The parse layer's view of a snapshot (see architecture.md, Parse)."""

    comments: pd.DataFrame
    reports: pd.DataFrame
    timeline: pd.DataFrame
    incidents: pd.DataFrame


def _py_times(values: pd.Series) -> list[datetime | None]:
    """Plain UTC datetimes (None for NaT) of a `datetime64[us, UTC]` column, converted in bulk:
    comparing pandas Timestamps one by one costs more than parsing."""
    naive = pd.to_datetime(values, utc=True).dt.tz_localize(None).to_numpy("datetime64[us]")
    return [None if d is None else d.replace(tzinfo=UTC) for d in naive.tolist()]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def analyze(bugs: pd.DataFrame, comments: pd.DataFrame) -> Parsed:
    """Roles and report kinds per comment, report and timeline rows, base columns per bug."""
    with _collector_paused():
        return _analyze(bugs, comments)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Parsing allocates millions of small objects that form no reference cycles; the cyclic
    collector's full passes rescan all of them and find nothing, about a tenth of the time
    at 20,000 bugs. Reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _analyze(bugs: pd.DataFrame, comments: pd.DataFrame) -> Parsed:
    comments = comments.sort_values(["bug_id", "count"], kind="stable").reset_index(drop=True)
    created = dict(zip((int(b) for b in bugs["bug_id"].tolist()),
                       _py_times(bugs["creation_time"]), strict=True))
    bug_ids = [int(b) for b in comments["bug_id"].tolist()]
    parses: list[ReportParse] = [
        parse_report(_text(text), time, created.get(bug))
        for text, time, bug in zip(comments["text"].tolist(), _py_times(comments["time"]),
                                   bug_ids, strict=True)
    ]
    wb = {int(b): parse_whiteboard(_text(w)) for b, w in zip(bugs["bug_id"], bugs["whiteboard"],
                                                            strict=True)}
    summary_ca = {int(b): ca_from_summary(_text(s)) for b, s in zip(bugs["bug_id"],
                                                                   bugs["summary"], strict=True)}
    authors = [_text(a) for a in comments["author"].tolist()]
    ca_of = _bug_cas(bugs, summary_ca, wb, bug_ids, parses, authors)

    # Reports count only when not posted by a bot or a root program other than the bug's CA.
    # (A comment that is no report needs no role here.)
    people_base = {b: roles.BugPeople(ca_of[b][0]) for b in ca_of}
    nobody = roles.BugPeople(None)
    kinds = [
        p.kind if p.kind is not None and roles.role_of(a, people_base.get(b, nobody)) not in (
            roles.BOT, roles.ROOT_PROGRAM) else None
        for p, a, b in zip(parses, authors, bug_ids, strict=True)
    ]
    assignee = dict(zip((int(b) for b in bugs["bug_id"]), [_text(v) for v in bugs["assigned_to"]],
                        strict=True)) if "assigned_to" in bugs else {}
    creator = dict(zip((int(b) for b in bugs["bug_id"]), [_text(v) for v in bugs["creator"]],
                       strict=True)) if "creator" in bugs else {}
    counts = comments["count"].tolist()
    by_bug_authors: dict[int, set[str]] = {}
    for i, (a, k, b) in enumerate(zip(authors, kinds, bug_ids, strict=True)):
        if k is not None and a and not _third_party_preliminary(
                parses[i], counts[i], a, creator.get(b), assignee.get(b)):
            by_bug_authors.setdefault(b, set()).add(a.lower())
    people = {b: roles.BugPeople(ca_of[b][0], assignee.get(b),
                                 frozenset(by_bug_authors.get(b, ()))) for b in ca_of}
    # role_of is pure and the same people comment many times on a bug: once per (author, bug).
    role_by: dict[tuple[str | None, int], str] = {}
    for a, b in zip(authors, bug_ids, strict=True):
        if (a, b) not in role_by:
            role_by[a, b] = roles.role_of(a, people.get(b, nobody))
    role = [role_by[a, b] for a, b in zip(authors, bug_ids, strict=True)]
    out_comments = comments.assign(
        role=pd.Series(role, dtype="str"),
        report_kind=pd.Series(kinds, dtype="str"),
    )
    return Parsed(
        comments=out_comments,
        reports=_reports(comments, parses, kinds),
        timeline=_timeline(comments, parses, kinds),
        incidents=_incidents(bugs, comments, parses, kinds, role, people, ca_of, wb, created),
    )


def _third_party_preliminary(p: ReportParse, count: Any, author: str, creator: str | None,
                             assignee: str | None) -> bool:
    """A third party's Preliminary Incident Report (IRG 3.x lets a reporter file one): comment 0,
    by the bug's creator, saying "Third Party Reported", from someone who is not the assignee.
    Posting it does not make its author the CA."""
    return (p.kind == "preliminary" and p.disclosure_source == "third_party" and count == 0
            and author.lower() == (creator or "").lower()
            and author.lower() != (assignee or "").lower())


def _bug_cas(bugs: pd.DataFrame, summary_ca: dict, wb: dict, bug_ids: list[int],
             parses: list[ReportParse], authors: list[str | None]
             ) -> dict[int, tuple[str | None, str, str]]:
    """(ca, ca_raw, ca_source) per bug: auditor tag, v3 CCADB id, summary prefix."""
    ccadb: dict[int, str] = {}
    for b, p, a in zip(bug_ids, parses, authors, strict=True):
        if p.ccadb_id and b not in ccadb and not roles.is_bot(a) and (
                roles.root_program_org(a) is None):
            owner = owner_for_ccadb_id(p.ccadb_id)
            if owner:
                ccadb[b] = owner
    out: dict[int, tuple[str | None, str, str]] = {}
    for b in (int(x) for x in bugs["bug_id"]):
        match = summary_ca[b]
        if "auditor-compliance" in wb[b].tags:
            out[b] = (match.raw or None, match.raw, "auditor")
        elif b in ccadb:
            out[b] = (ccadb[b], match.raw, "ccadb_id")
        elif match.owner:
            out[b] = (match.owner, match.raw, "summary")
        else:
            out[b] = (None, match.raw, "unattributed")
    return out


def _columns(comments: pd.DataFrame, names: tuple[str, ...]) -> list[list[Any]]:
    """Plain lists of some columns: row access on lists is ~100x cheaper than `iloc`."""
    return [comments[n].tolist() for n in names]


def _reports(comments: pd.DataFrame, parses: list[ReportParse],
             kinds: list[str | None]) -> pd.DataFrame:
    keep = [i for i, k in enumerate(kinds) if k is not None]
    # Column lists, not one dict per row: the frame is built column by column anyway.
    base = {n: [col[i] for i in keep] for n, col in zip(
        ("bug_id", "comment_id", "count", "author", "time"),
        _columns(comments, ("bug_id", "comment_id", "count", "author", "time")), strict=True)}
    ps = [parses[i] for i in keep]
    aws = [p.awareness for p in ps]
    frame = pd.DataFrame({
        **base, "kind": [p.kind for p in ps], "template": [p.template for p in ps],
        "sections": [";".join(p.section_names) or None for p in ps],  # none: missing, not ""
        "n_sections": [len(p.sections) for p in ps],
        "completeness": [p.completeness for p in ps],
        "missing_sections": [";".join(p.missing_sections) or None for p in ps],
        "ccadb_id": [p.ccadb_id for p in ps],
        "disclosure_source": [p.disclosure_source for p in ps],
        "awareness_time": [aw.time if aw else None for aw in aws],
        "awareness_precision": [aw.precision if aw else None for aw in aws],
        "awareness_evidence": [aw.evidence if aw else None for aw in aws],
    }, columns=list(REPORT_COLUMNS))
    return frame.astype({
        "bug_id": "Int64", "comment_id": "Int64", "count": "Int64", "author": "str",
        "time": _UTC, "kind": "str", "template": "str", "sections": "str", "n_sections": "Int64",
        "completeness": "Float64", "missing_sections": "str", "ccadb_id": "str",
        "disclosure_source": "str", "awareness_time": _UTC, "awareness_precision": "str",
        "awareness_evidence": "str",
    })


def _timeline(comments: pd.DataFrame, parses: list[ReportParse],
              kinds: list[str | None]) -> pd.DataFrame:
    bug, cid, count = _columns(comments, ("bug_id", "comment_id", "count"))
    rows = []
    for i, (p, k) in enumerate(zip(parses, kinds, strict=True)):
        if k is None or not p.timeline:
            continue
        for n, e in enumerate(p.timeline):
            rows.append({"bug_id": bug[i], "comment_id": cid[i],
                         "count": count[i], "entry": n, "time": e.time,
                         "precision": e.precision, "raw": e.raw,
                         "assumptions": "; ".join(e.assumptions) or None})
    frame = pd.DataFrame(rows, columns=list(TIMELINE_COLUMNS))
    return frame.astype({"bug_id": "Int64", "comment_id": "Int64", "count": "Int64",
                         "entry": "Int64", "time": _UTC, "precision": "str", "raw": "str",
                         "assumptions": "str"})


def _incidents(bugs: pd.DataFrame, comments: pd.DataFrame, parses: list[ReportParse],
               kinds: list[str | None], role: list[str], people: dict, ca_of: dict,
               wb: dict, created: dict) -> pd.DataFrame:
    first_template: dict[int, str] = {}
    minute: dict[int, tuple[Any, str, Any]] = {}
    day: dict[int, tuple[Any, str, Any]] = {}
    promised: dict[int, tuple[Any, Any, Any]] = {}
    bug_ids, counts = _columns(comments, ("bug_id", "count"))
    private = (comments["is_private"].fillna(False).astype(bool).tolist()
               if "is_private" in comments else [False] * len(comments))
    for i, (p, k, r) in enumerate(zip(parses, kinds, role, strict=True)):
        if r != roles.CA:
            continue
        b = int(bug_ids[i])
        if p.full_report_promise is not None and not private[i]:
            # the first public promise (metrics drop one posted after the full report)
            promised.setdefault(b, (p.full_report_promise, counts[i], i))
        if k is None:
            continue
        if p.template and b not in first_template:
            first_template[b] = p.template
        aw = p.awareness
        if aw is not None:
            target = minute if aw.precision == "minute" else day
            target.setdefault(b, (aw, counts[i], i))
    rows = []
    creators = dict(zip((int(b) for b in bugs["bug_id"]), [_text(v) for v in bugs["creator"]],
                        strict=True)) if "creator" in bugs else {}
    for b, summary in zip((int(x) for x in bugs["bug_id"]), bugs["summary"], strict=True):
        ca, ca_raw, ca_source = ca_of[b]
        w = wb[b]
        t_create = created.get(b)
        self_filed = roles.role_of(creators.get(b), people[b]) == roles.CA
        stated = minute.get(b) or day.get(b)
        aware_time, precision, source, ev = _awareness(b, stated, self_filed, t_create)
        promise, promise_count, row = promised.get(b, (None, None, None))
        promise_posted = comments["time"].iat[row] if row is not None else None
        rows.append({
            "bug_id": b, "ca": ca, "ca_raw": ca_raw or None, "ca_source": ca_source,
            # an auditor bug names no CA owner, so there is no transfer to follow
            "ca_current": ca if ca_source == "auditor" else current_owner(ca),
            "year": t_create.year if t_create else None, "tags": " ".join(w.tags) or None,
            "category": category(w.tags), "next_update": w.next_update,
            "self_filed": self_filed, "template": first_template.get(b),
            "aware_time": aware_time, "aware_precision": precision, "aware_source": source,
            "aware_count": ev,
            "full_report_promised": promise.time if promise else None,
            "full_report_promised_precision": promise.precision if promise else None,
            "full_report_promise_count": _count(promise_count),
            "full_report_promise_posted": promise_posted,
            "is_meta": "[meta]" in (_text(summary) or "").lower() or "meta" in w.tags,
        })
    frame = pd.DataFrame(rows, columns=list(INCIDENT_COLUMNS))
    frame["next_update"] = pd.to_datetime(frame["next_update"]).dt.as_unit("us") \
        .dt.tz_localize("UTC") if len(frame) else pd.Series(dtype=_UTC)
    return frame.astype({
        "bug_id": "Int64", "ca": "str", "ca_current": "str", "ca_raw": "str", "ca_source": "str",
        "year": "Int64",
        "tags": "str", "category": "str", "next_update": _UTC, "self_filed": "boolean",
        "template": "str", "aware_time": _UTC, "aware_precision": "str", "aware_source": "str",
        "aware_count": "Int64", "full_report_promised": _UTC,
        "full_report_promised_precision": "str", "full_report_promise_count": "Int64",
        "full_report_promise_posted": _UTC, "is_meta": "boolean",
    })


def _awareness(bug: int, stated: tuple[Any, str, Any] | None, self_filed: bool,
               t_create: datetime | None) -> tuple[Any, str | None, str, int | None]:
    """T_aware per methodology.md: the stated time, capped by T_create for third-party bugs.

    The last value is the number of the comment it was read from (metrics link it).
    """
    if self_filed:
        if stated is None:
            return None, None, "unknown", None
        aw, count, _ = stated
        return aw.time, aw.precision, "report", _count(count)
    if stated is not None and (t_create is None or stated[0].time <= t_create):
        aw, count, _ = stated
        return aw.time, aw.precision, "report", _count(count)
    if t_create is None:
        return None, None, "unknown", None
    return t_create, "minute", "bug_created", 0


def _count(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


__all__ = ["Parsed", "analyze"]
