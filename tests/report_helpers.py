"""A small hand-built incidents frame (fictional CAs) whose counts the plot and report tests know.

The rows are written out so every expected number in the tests can be checked by eye:

Questions: 101 has 1, 103 has 2 (1 late), 106 has 1 (late); Next updates: 103 sets 1, 106 sets 2
(1 missed).

| bug | ca            | year | category         | response_h | 72-hour status    | days_to_close |
|-----|---------------|------|------------------|------------|-------------------|---------------|
| 101 | Alpha Trust   | 2022 | misissuance      | 5          | not_applicable    | 30            |
| 102 | Alpha Trust   | 2022 | misissuance      | <NA> self  | not_applicable    | 10            |
| 103 | Alpha Trust   | 2024 | revocation-delay | 50         | met               | <NA> (open)   |
| 104 | Beta Certs    | 2024 | misissuance      | 2          | missed            | 100           |
| 105 | Beta Certs    | 2024 | disclosure       | 0          | met               | 20            |
| 106 | Beta Certs    | 2025 | misissuance      | 200        | unknown_awareness | <NA> (open)   |
| 107 | Gamma PKI     | 2025 | revocation-delay | 10         | missed            | 40            |
| 108 | Gamma PKI     | 2025 | misissuance      | <NA> self  | met               | 60            |
| 109 | <NA>          | 2025 | uncategorized    | 1          | no_report         | <NA> (open)   |
| 110 | Alpha Trust   | 2026 | misissuance      | 24         | pending           | <NA> (open)   |
"""

from __future__ import annotations

import pandas as pd

from bzanalytics import metrics

BUG = "https://bugzilla.mozilla.org/show_bug.cgi?id="

ROWS = [
    (101, "Alpha Trust", 2022, "misissuance", 5.0, "not_applicable", 30.0),
    (102, "Alpha Trust", 2022, "misissuance", None, "not_applicable", 10.0),
    (103, "Alpha Trust", 2024, "revocation-delay", 50.0, "met", None),
    (104, "Beta Certs", 2024, "misissuance", 2.0, "missed", 100.0),
    (105, "Beta Certs", 2024, "disclosure", 0.0, "met", 20.0),
    (106, "Beta Certs", 2025, "misissuance", 200.0, "unknown_awareness", None),
    (107, "Gamma PKI", 2025, "revocation-delay", 10.0, "missed", 40.0),
    (108, "Gamma PKI", 2025, "misissuance", None, "met", 60.0),
    (109, None, 2025, "uncategorized", 1.0, "no_report", None),
    (110, "Alpha Trust", 2026, "misissuance", 24.0, "pending", None),
]


def incidents_frame() -> pd.DataFrame:
    """The table above with the dtypes `Snapshot.incidents()` uses (nullable, `str`, UTC)."""
    bug_id, ca, year, category, response, status, close = zip(*ROWS, strict=True)
    created = [pd.Timestamp(f"{y}-06-01T12:00:00Z") for y in year]
    self_filed = [r is None and c is not None for r, c in zip(response, ca, strict=True)]
    is_open = [d is None for d in close]
    frame = pd.DataFrame({
        "bug_id": pd.array(bug_id, dtype="Int64"),
        "ca": pd.array(ca, dtype="str"),
        "ca_raw": pd.array([c or "Zeta Unknown" for c in ca], dtype="str"),
        "summary": pd.array([f"{c or 'Zeta Unknown'}: issue {b}" for b, c in
                             zip(bug_id, ca, strict=True)], dtype="str"),
        "year": pd.array(year, dtype="Int64"),
        "creation_time": pd.to_datetime(created, utc=True),
        "category": pd.array(category, dtype="str"),
        "self_filed": pd.array(self_filed, dtype="boolean"),
        "is_open": pd.array(is_open, dtype="boolean"),
        "status": pd.array(["ASSIGNED" if o else "RESOLVED" for o in is_open], dtype="str"),
        "resolution": pd.array([None if o else "FIXED" for o in is_open], dtype="str"),
        "excluded": pd.array([None] * len(ROWS), dtype="str"),
        "response_hours": pd.array(response, dtype="Float64"),
        "initial_report_status": pd.array(status, dtype="str"),
        "initial_report_evidence": pd.array(
            [f"{BUG}{b}#c2" if s in ("met", "missed") else None
             for b, s in zip(bug_id, status, strict=True)], dtype="str"),
        "full_report_status": pd.array(status, dtype="str"),
        "days_to_close": pd.array(close, dtype="Float64"),
        "t_create": pd.to_datetime(created, utc=True),
        "t_resolved": pd.to_datetime(
            [None if d is None else t + pd.Timedelta(days=d) for t, d in
             zip(created, close, strict=True)], utc=True),
        "response_reason": pd.array([("self-filed" if r is None else None) for r in response],
                                    dtype="str"),
        "questions": pd.array([1, 0, 2, 0, 0, 1, 0, 0, 0, 0], dtype="int64"),
        "questions_late": pd.array([0, 0, 1, 0, 0, 1, 0, 0, 0, 0], dtype="int64"),
        "next_updates_set": pd.array([0, 0, 1, 0, 0, 2, 0, 0, 0, 0], dtype="int64"),
        "next_updates_missed": pd.array([0, 0, 0, 0, 0, 1, 0, 0, 0, 0], dtype="int64"),
    })
    return frame


class FrameSnapshot:
    """The part of a Snapshot the report reads, over the frame above; aggregates by the real
    `bzanalytics.metrics` functions."""

    def __init__(self, incidents: pd.DataFrame, synthetic: bool = True):
        self._incidents = incidents
        self.as_of = pd.Timestamp("2026-11-01T00:00:00Z")
        self.is_synthetic = synthetic
        self.site = "https://bugzilla.mozilla.org"

    def incidents(self) -> pd.DataFrame:
        return self._incidents

    def comments(self) -> pd.DataFrame:
        return pd.DataFrame({"bug_id": pd.array([101, 101, 104], dtype="Int64")})

    def scorecard(self, **grouping: str) -> pd.DataFrame:
        return metrics.scorecard(self._incidents, **grouping)

    def trends(self) -> pd.DataFrame:
        return metrics.yearly_trends(self._incidents)

    def content_hash(self) -> str:
        return "ab" * 32

    def attention(self) -> pd.DataFrame:
        """Two hand-made items: bug 110 (Alpha Trust) due soon, bug 109 (no CA) overdue."""
        due = pd.to_datetime(["2026-10-30T00:00:00Z", "2026-11-02T00:00:00Z"], utc=True)
        return pd.DataFrame({
            "bug_id": pd.array([109, 110], dtype="Int64"),
            "summary": pd.array(["Zeta Unknown: issue 109", "Alpha Trust: issue 110"],
                                dtype="str"),
            "ca": pd.array([None, "Alpha Trust"], dtype="str"),
            "kind": pd.array(["initial_report_overdue", "question_unanswered"], dtype="str"),
            "state": pd.array(["overdue", "due_soon"], dtype="str"),
            "due": due, "hours_overdue": pd.array([48.0, -24.0], dtype="Float64"),
            "since": due - pd.Timedelta(days=3),
            "since_event": pd.array(["bug filed", "question in comment 4 (root_program)"],
                                    dtype="str"),
            "evidence": pd.array([f"{BUG}109#c0", f"{BUG}110#c4"], dtype="str"),
            "rule": pd.array(["ccadb-irg-3.0"] * 2, dtype="str"),
            "source": pd.array(["CCADB IRG 3.0"] * 2, dtype="str"),
            "note": pd.array([None, None], dtype="str"),
        })

    def warnings(self) -> list[str]:
        return []
