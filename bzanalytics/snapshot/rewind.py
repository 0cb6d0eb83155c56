"""The snapshot as it stood at an earlier moment: what a reviewer would have seen then.

Bugs filed later are dropped, comments and history changes made later are dropped, and each bug
field that changed later gets back the value it had (the `removed` side of its first later
change). Pure: frames in, frames out.
"""

from __future__ import annotations

import pandas as pd

RESOLVED_STATUSES = ("RESOLVED", "VERIFIED", "CLOSED")
#: history field name -> bugs column it changes
FIELDS = {
    "status": "status", "resolution": "resolution", "whiteboard": "whiteboard",
    "status_whiteboard": "whiteboard", "assigned_to": "assigned_to", "summary": "summary",
    "keywords": "keywords",
}


def rewind_bugs(bugs: pd.DataFrame, history: pd.DataFrame, when: pd.Timestamp) -> pd.DataFrame:
    """The bugs filed by `when`, each field as it was at `when` (changes at `when` included)."""
    out = bugs.loc[(bugs["creation_time"] <= when).fillna(False).to_numpy()].copy()
    later = history.loc[((history["when"] > when) & history["field_name"].isin(FIELDS))
                        .fillna(False).to_numpy()]
    later = later.sort_values("when", kind="stable").drop_duplicates(
        ["bug_id", "field_name"], keep="first")
    position = pd.Series(range(len(out)), index=out["bug_id"].astype("int64").to_numpy())
    for field, column in FIELDS.items():
        change = later.loc[(later["field_name"] == field).to_numpy()]
        change = change.loc[change["bug_id"].astype("int64").isin(position.index).to_numpy()]
        if change.empty:
            continue
        rows = position.loc[change["bug_id"].astype("int64").to_numpy()].to_numpy()
        values = out[column].to_numpy(copy=True)
        values[rows] = change["removed"].to_numpy()
        out[column] = pd.Series(values, index=out.index, dtype=out[column].dtype)
    resolved = out["status"].isin(RESOLVED_STATUSES).fillna(False)
    out["is_open"] = (~resolved).astype("boolean")
    out["resolution"] = out["resolution"].where(resolved.to_numpy())
    out["last_resolved"] = out["last_resolved"].where(
        (resolved & (out["last_resolved"] <= when)).fillna(False).to_numpy())
    out["last_change_time"] = out["last_change_time"].clip(upper=when)
    if "dupe_of" in out:
        out["dupe_of"] = out["dupe_of"].where(out["resolution"].eq("DUPLICATE").fillna(False))
    return out.reset_index(drop=True)


def rewind_events(frame: pd.DataFrame, column: str, when: pd.Timestamp) -> pd.DataFrame:
    """The rows of a comments or history frame made by `when`."""
    return frame.loc[(frame[column] <= when).fillna(False).to_numpy()].reset_index(drop=True)
