"""A small hand-built incidents frame (fictional CAs) whose counts the plot and report tests know.

The rows are written out so every expected number in the tests can be checked by eye:

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
    })
    return frame


def scorecard_frame() -> pd.DataFrame:
    """A scorecard-shaped frame for the three CAs above (values computed from the table)."""
    return pd.DataFrame({
        "ca": pd.array(["Alpha Trust", "Beta Certs", "Gamma PKI"], dtype="str"),
        "incidents": pd.array([4, 3, 2], dtype="Int64"),
        "open_incidents": pd.array([2, 1, 0], dtype="Int64"),
        "initial_met": pd.array([1, 1, 1], dtype="Int64"),
        "initial_scored": pd.array([1, 2, 2], dtype="Int64"),
        "initial_met_rate": pd.array([1.0, 0.5, 0.5], dtype="Float64"),
        "small_sample": pd.array([True, True, True], dtype="boolean"),
    })
