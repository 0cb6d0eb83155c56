"""Hand-built frames for the metrics tests: a few bugs, comments and Whiteboard changes, typed as
`snapshot/frames.py` types them, fed to `metrics.measure` through a stand-in for
`parse.tables.Parsed`."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from bzanalytics.metrics import Measured, measure

BUG_URL = "https://bugzilla.mozilla.org/show_bug.cgi?id="


V3_ACTION_HEAD = ("| Action Item | Kind | Corresponding Root Cause(s) | Evaluation Criteria | "
                  "Due Date | Status |\n|---|---|---|---|---|---|\n")


def v3_action_items(*rows: tuple[str, ...]) -> str:
    """A v3 Action Items section; a row is (item, kind, due, status), or (item, due, status)
    for a Prevent item."""
    full = [r if len(r) == 4 else (r[0], "Prevent", *r[1:]) for r in rows]
    body = "".join(f"| {t} | {k} | Root Cause #1 | Tested | {d} | {s} |\n" for t, k, d, s in full)
    return "### Action Items\n" + V3_ACTION_HEAD + body


def action_items_update(*lines: str) -> str:
    """A CA update restating Action Items, one per line."""
    return "Update – action items\n\n" + "\n".join(f"- {line}" for line in lines)


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


@dataclass(frozen=True)
class FakeParsed:
    comments: pd.DataFrame
    incidents: pd.DataFrame


@dataclass
class Corpus:
    """Add bugs and their events, then `measure(as_of)`; column names follow architecture.md."""

    bugs: list[dict] = field(default_factory=list)
    incidents: list[dict] = field(default_factory=list)
    comments: list[dict] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)

    def bug(
        self,
        bug_id: int,
        created: str,
        *,
        ca: str | None = "Example CA",
        self_filed: bool = False,
        status: str = "NEW",
        resolution: str | None = None,
        resolved: str | None = None,
        whiteboard: str = "[ca-compliance]",
        summary: str | None = None,
        aware: str | None = None,
        precision: str | None = None,
        category: str = "uncategorized",
        is_meta: bool = False,
    ) -> Corpus:
        """A bug with comment 0 by its creator; a third-party bug defaults to aware = created."""
        if aware is None and not self_filed:
            aware, precision, source = created, "minute", "bug_created"
        else:
            source = "report" if aware else "unknown"
        self.bugs.append(
            {"bug_id": bug_id, "summary": summary or f"{ca}: incident {bug_id}",
             "status": status, "resolution": resolution,
             "is_open": status not in ("RESOLVED", "VERIFIED", "CLOSED"),
             "creation_time": ts(created), "last_resolved": ts(resolved) if resolved else None,
             "whiteboard": whiteboard}
        )
        self.incidents.append(
            {"bug_id": bug_id, "ca": ca, "ca_raw": ca, "ca_current": ca,
             "ca_source": "summary" if ca else "unattributed", "self_filed": self_filed,
             "year": ts(created).year, "category": category, "is_meta": is_meta,
             "aware_time": ts(aware) if aware else None, "aware_precision": precision,
             "aware_source": source,
             "aware_evidence": f"{BUG_URL}{bug_id}#c0" if source == "report" else None,
             "full_report_promised": None, "full_report_promised_precision": None,
             "full_report_promise_evidence": None, "full_report_promise_posted": None}
        )
        role = "ca" if self_filed else "community"
        return self.comment(bug_id, 0, created, role, text="Filed.")

    def comment(
        self,
        bug_id: int,
        count: int,
        time: str,
        role: str,
        *,
        kind: str | None = None,
        text: str = "Update.",
        private: bool = False,
    ) -> Corpus:
        self.comments.append(
            {"bug_id": bug_id, "comment_id": bug_id * 1000 + count, "count": count,
             "author": f"{role}@example.com", "time": ts(time), "is_private": private,
             "text": text, "role": role, "report_kind": kind}
        )
        return self

    def promise(self, bug_id: int, count: int, posted: str, promised: str,
                precision: str = "day", kind: str | None = "preliminary") -> Corpus:
        """A CA comment promising the full report by `promised` (as the parse layer reads it)."""
        self.comment(bug_id, count, posted, "ca", kind=kind,
                     text=f"The full incident report will be posted by {promised}.")
        inc = next(i for i in self.incidents if i["bug_id"] == bug_id)
        inc.update({"full_report_promised": ts(promised),
                    "full_report_promised_precision": precision,
                    "full_report_promise_evidence": f"{BUG_URL}{bug_id}#c{count}",
                    "full_report_promise_posted": ts(posted)})
        return self

    def whiteboard(self, bug_id: int, when: str, removed: str, added: str) -> Corpus:
        self.history.append(
            {"bug_id": bug_id, "when": ts(when), "who": "admin@example.com",
             "field_name": "whiteboard", "removed": removed, "added": added}
        )
        return self

    def frames(self) -> tuple[FakeParsed, pd.DataFrame, pd.DataFrame]:
        bugs = pd.DataFrame(self.bugs).astype(
            {"bug_id": "Int64", "summary": "str", "status": "str", "resolution": "str",
             "is_open": "boolean", "whiteboard": "str"}
        )
        bugs["last_resolved"] = pd.to_datetime(bugs["last_resolved"], utc=True)
        incidents = pd.DataFrame(self.incidents).astype(
            {"bug_id": "Int64", "ca": "str", "ca_current": "str", "ca_source": "str",
             "self_filed": "boolean",
             "is_meta": "boolean", "aware_precision": "str", "aware_source": "str",
             "aware_evidence": "str", "full_report_promised_precision": "str",
             "full_report_promise_evidence": "str"}
        )
        for column in ("aware_time", "full_report_promised", "full_report_promise_posted"):
            incidents[column] = pd.to_datetime(incidents[column], utc=True)
        comments = pd.DataFrame(self.comments).astype(
            {"bug_id": "Int64", "count": "Int64", "is_private": "boolean", "role": "str",
             "report_kind": "str", "text": "str"}
        )
        history = pd.DataFrame(
            self.history,
            columns=["bug_id", "when", "who", "field_name", "removed", "added"],
        ).astype({"bug_id": "Int64", "field_name": "str", "removed": "str", "added": "str"})
        history["when"] = pd.to_datetime(history["when"], utc=True)
        return FakeParsed(comments=comments, incidents=incidents), bugs, history

    def measure(self, as_of: str, include_excluded: bool = False) -> Measured:
        parsed, bugs, history = self.frames()
        return measure(parsed, bugs, history, ts(as_of), include_excluded=include_excluded)


def row(measured: Measured, bug_id: int) -> pd.Series:
    """The incidents row of one bug."""
    frame = measured.incidents
    return frame.loc[(frame["bug_id"] == bug_id).to_numpy()].iloc[0]


def incidents_frame() -> pd.DataFrame:
    """Alpha CA: 6 incidents (4 met, 1 missed, 1 unknown at 72 h), Beta CA: 1, one unattributed."""
    rows = [
        # ca, created, resolved, response h, 72 h, 14 d, questions, late, NU set, NU missed
        ("Alpha CA", "2024-01-05", "2024-02-04", 1.0, "met", "met", 2, 1, 1, 0),
        ("Alpha CA", "2024-03-01", "2024-03-11", 2.0, "met", "missed", 0, 0, 2, 1),
        ("Alpha CA", "2025-04-01", None, 3.0, "met", "met", 1, 0, 0, 0),
        ("Alpha CA", "2025-05-01", None, 4.0, "met", "no_report", 0, 0, 1, 1),
        ("Alpha CA", "2025-06-01", "2025-06-21", 10.0, "missed", "pending", 3, 2, 0, 0),
        ("Alpha CA", "2025-07-01", None, None, "unknown_awareness", "unknown_awareness",
         0, 0, 0, 0),
        ("Beta CA", "2025-02-01", "2025-03-03", 48.0, "missed", "missed", 1, 1, 0, 0),
        (None, "2025-03-01", None, None, "pending", "pending", 0, 0, 0, 0),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["ca", "created", "resolved", "response_hours", "initial_report_status",
                 "full_report_status", "questions", "questions_late", "next_updates_set",
                 "next_updates_missed"],
    )
    frame.insert(0, "bug_id", pd.array(range(1, len(rows) + 1), dtype="Int64"))
    frame["ca"] = frame["ca"].astype("str")
    frame["t_create"] = pd.to_datetime(frame.pop("created"), utc=True)
    frame["t_resolved"] = pd.to_datetime(frame.pop("resolved"), utc=True)
    frame["response_hours"] = frame["response_hours"].astype("Float64")
    frame["days_to_close"] = ((frame["t_resolved"] - frame["t_create"]) / pd.Timedelta(days=1))
    frame["year"] = frame["t_create"].dt.year
    frame["category"] = ["a", "a", "b", "b", "b", "a", "a", "uncategorized"]
    frame["resolution"] = ["FIXED", "FIXED", None, None, "FIXED", None, "FIXED", None]
    for col in ("action_items", "action_items_overdue", "action_items_due",
                "action_items_on_time"):
        frame[col] = 0
    return frame
