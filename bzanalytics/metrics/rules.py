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
#: IRG 2.0: a preliminary report gives "a date by which the full report will be posted"; the
#: CA is held to a date it states from then on (v3.x templates have no field for it), by bug
#: creation time
FULL_REPORT_PROMISE = ((IRG_2_0, "ccadb-irg-2.0"),)
#: "no question unanswered for more than a week / respond within 7 days", by question time
QUESTIONS = REPORT_TIMING
#: weekly updates (IRG 1.0 from 2023-05-02), by the start of each gap
CADENCE = (
    (IRG_1_0_UPDATES, "ccadb-irg-1.0"),
    *REPORT_TIMING,
)

IRG_3_0 = pd.Timestamp("2025-03-01", tz="UTC")
IRG_3_1 = pd.Timestamp("2025-07-15", tz="UTC")
CCADB_POLICY_2_0 = pd.Timestamp("2025-07-15", tz="UTC")

#: IRG 3.1: a change, completion or delay of an Action Item reported "within 3 days", by the
#: time of the change
ACTION_ITEM_CHANGES = ((IRG_3_1, "ccadb-irg-3.1"),)
#: an Action Item's due date passing unannounced: IRG 2.0 asks for an update when an item
#: changes, completes or slips; 3.1 within 3 days. By the due date's end (attention list)
ACTION_ITEM_DUE = (
    (IRG_2_0, "ccadb-irg-2.0"),
    (IRG_3_0, "ccadb-irg-3.0"),
    (IRG_3_1, "ccadb-irg-3.1"),
)
#: IRG 3.0: the CA may meet the 72-hour duty by responding to a third party's Preliminary
#: Incident Report, by bug creation time
THIRD_PARTY_PRELIMINARY = ((IRG_3_0, "ccadb-irg-3.0"),)
#: CCADB Policy 2.0 §6.1: no template superseded more than 30 days before the report is posted,
#: by the report's post time
TEMPLATE_CURRENCY = ((CCADB_POLICY_2_0, "ccadb-policy-2.0"),)
#: IRG 3.0: revocation-delay bugs SHOULD update every 3 days (and MUST every 7), by gap start
REVOCATION_DELAY_UPDATES = ((IRG_3_0, "ccadb-irg-3.0"),)
#: when each report template was superseded (the IRG version that replaced it took effect)
TEMPLATE_SUPERSEDED = {"legacy": IRG_2_0, "ccadb-v2": IRG_3_0}

INITIAL_REPORT_LIMIT = pd.Timedelta(hours=72)
FULL_REPORT_LIMIT = pd.Timedelta(days=14)
QUESTION_LIMIT = pd.Timedelta(days=7)
CADENCE_LIMIT = pd.Timedelta(days=7)
REVOCATION_DELAY_SHOULD = pd.Timedelta(days=3)
ACTION_ITEM_CHANGE_LIMIT = pd.Timedelta(days=3)
TEMPLATE_GRACE = pd.Timedelta(days=30)

def label_at(rule: tuple[tuple[pd.Timestamp, str], ...], time: pd.Timestamp) -> str:
    """The version label of `rule` in force at one time (`none` before it)."""
    label = NONE
    for start, name in rule:
        if time >= start:
            label = name
    return label



def version_at(rule: tuple[tuple[pd.Timestamp, str], ...], times: pd.Series) -> pd.Series:
    """The version label of `rule` in force at each time (`none` before it, `<NA>` for NaT)."""
    starts = np.array([start.as_unit("ns").value for start, _ in rule])
    labels = np.array([NONE, *(label for _, label in rule)], dtype=object)
    values = pd.to_datetime(times, utc=True).dt.as_unit("ns")
    idx = np.searchsorted(starts, values.to_numpy(dtype="int64", na_value=0), side="right")
    out = pd.Series(labels[idx], index=times.index, dtype="str")
    return out.mask(values.isna())


#: where each version label's rule is written (methodology.md, "Sources of the rules")
SOURCES = {
    NONE: "no rule in force",
    "wiki-2017": "Mozilla wiki CA/Responding To An Incident (2017 to 2023-10-16)",
    "ccadb-irg-1.0": "CCADB Incident Reporting Guidelines 1.0 (weekly updates from 2023-05-02)",
    "ccadb-irg-2.0": "CCADB Incident Reporting Guidelines 2.0 (from 2023-10-17)",
    "ccadb-irg-3.0": "CCADB Incident Reporting Guidelines 3.0 (from 2025-03-01)",
    "ccadb-irg-3.1": "CCADB Incident Reporting Guidelines 3.1 (from 2025-07-15)",
}
