"""Rule versions and their effective dates, kept as data so a new IRG version is one line here.

Each rule is a list of (effective from, version label) pairs in date order; before the first
date the rule is not in force (`none`). Dates are UTC midnights, as the CCADB pages state them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

NONE = "none"

IRG_2_0 = pd.Timestamp("2023-10-17", tz="UTC")
IRG_1_0_UPDATES = pd.Timestamp("2023-05-02", tz="UTC")

#: the 72-hour initial report and the 14-day full report, by bug creation time
REPORT_TIMING = (
    (IRG_2_0, "ccadb-irg-2.0"),
    (pd.Timestamp("2025-03-01", tz="UTC"), "ccadb-irg-3.0"),
)
#: the wiki's "within two weeks of the initial issue report", for bugs created before IRG 2.0
LEGACY_FULL_REPORT = (
    (pd.Timestamp("2017-01-01", tz="UTC"), "wiki-2017"),
    (IRG_2_0, NONE),
)
#: "no question unanswered for more than a week / respond within 7 days", by question time
QUESTIONS = REPORT_TIMING
#: weekly updates (IRG 1.0 from 2023-05-02), by the start of each gap
CADENCE = (
    (IRG_1_0_UPDATES, "ccadb-irg-1.0"),
    *REPORT_TIMING,
)

INITIAL_REPORT_LIMIT = pd.Timedelta(hours=72)
FULL_REPORT_LIMIT = pd.Timedelta(days=14)
QUESTION_LIMIT = pd.Timedelta(days=7)
CADENCE_LIMIT = pd.Timedelta(days=7)

def version_at(rule: tuple[tuple[pd.Timestamp, str], ...], times: pd.Series) -> pd.Series:
    """The version label of `rule` in force at each time (`none` before it, `<NA>` for NaT)."""
    starts = np.array([start.as_unit("ns").value for start, _ in rule])
    labels = np.array([NONE, *(label for _, label in rule)], dtype=object)
    values = pd.to_datetime(times, utc=True).dt.as_unit("ns")
    idx = np.searchsorted(starts, values.to_numpy(dtype="int64", na_value=0), side="right")
    out = pd.Series(labels[idx], index=times.index, dtype="str")
    return out.mask(values.isna())
