"""The Whiteboard over time, and each "Next update" date as a promise kept, missed or withdrawn.

The Whiteboard's history gives its value over time: before the first change it held that
change's `removed` value, and a bug never changed holds its current Whiteboard since T_create.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from bzanalytics.metrics import rules
from bzanalytics.metrics.common import BMO, DAY, FOREVER, ca_only, evidence

WHITEBOARD_FIELDS = ("whiteboard", "status_whiteboard")

PROMISE_COLUMNS = [
    "bug_id", "set_time", "next_update", "due", "status", "rule", "kept_count", "evidence",
]


def _to_day(value: object) -> pd.Timestamp | None:
    """A parsed Whiteboard date (date, datetime or ISO text) as the UTC midnight starting it."""
    if value is None:
        return None
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.normalize()


def whiteboard_states(
    bugs: pd.DataFrame,
    history: pd.DataFrame,
    parse: Callable[[str], object] | None = None,
) -> pd.DataFrame:
    """One row per Whiteboard value a bug held: bug_id, start, end, next_update, close_on.

    `end` is the start of the next value (`FOREVER` for the current one); `next_update` is the
    UTC midnight of the parsed "Next update" date, `close_on` whether a closure notice was there.
    """
    if parse is None:
        from bzanalytics.parse.whiteboard import parse_whiteboard as parse
    changes = history.loc[history["field_name"].isin(WHITEBOARD_FIELDS).fillna(False).to_numpy()]
    changes = changes.assign(
        bug_id=changes["bug_id"].astype("int64"), when=pd.to_datetime(changes["when"], utc=True)
    ).sort_values(["bug_id", "when"], kind="stable")
    created = bugs.assign(
        bug_id=bugs["bug_id"].astype("int64"), start=pd.to_datetime(bugs["creation_time"], utc=True)
    ).set_index("bug_id")
    first_removed = changes.drop_duplicates("bug_id").set_index("bug_id")["removed"]
    initial_value = created["whiteboard"].astype("object").copy()
    initial_value.loc[first_removed.index.intersection(initial_value.index)] = first_removed
    initial = pd.DataFrame(
        {"bug_id": created.index, "start": created["start"].to_numpy(),
         "value": initial_value.to_numpy(), "order": 0}
    )
    later = pd.DataFrame(
        {"bug_id": changes["bug_id"].to_numpy(), "start": changes["when"].to_numpy(),
         "value": changes["added"].astype("object").to_numpy(), "order": 1}
    )
    states = pd.concat([initial, later], ignore_index=True)
    states = states.sort_values(["bug_id", "start", "order"], kind="stable").reset_index(drop=True)
    states["start"] = pd.to_datetime(states["start"], utc=True).dt.as_unit("us")
    states["value"] = states["value"].where(states["value"].notna(), "").astype("str")
    nxt = states.groupby("bug_id")["start"].shift(-1)
    states["end"] = pd.to_datetime(nxt, utc=True).fillna(FOREVER).dt.as_unit("us")
    # only a value mentioning "next" or "clos" can hold either notice: parse just those
    texts = pd.Series(states["value"].unique(), dtype="str")
    notice = texts.str.contains(r"next|clos", case=False, regex=True).to_numpy(dtype=bool)
    parsed = {text: parse(text) for text in texts[notice]}
    next_update = {t: _to_day(getattr(p, "next_update", None)) for t, p in parsed.items()}
    close_on = {t for t, p in parsed.items() if getattr(p, "close_on", None) is not None}
    states["next_update"] = pd.to_datetime(
        states["value"].map(next_update), utc=True
    ).dt.as_unit("us")
    states["close_on"] = states["value"].isin(close_on).to_numpy(dtype=bool)
    return states[["bug_id", "start", "end", "value", "next_update", "close_on"]]


def find_promises(
    states: pd.DataFrame,
    comments: pd.DataFrame,
    t_resolved: pd.Series,
    as_of: pd.Timestamp,
    site: str = BMO,
) -> pd.DataFrame:
    """One row per "Next update" date set, with its status (methodology.md, "Next update kept")."""
    prev = states.groupby("bug_id")["next_update"].shift(1)
    same = (states["next_update"] == prev) | (states["next_update"].isna() & prev.isna())
    changes = states.loc[~same.fillna(False).to_numpy()].copy()
    changes["until"] = pd.to_datetime(
        changes.groupby("bug_id")["start"].shift(-1), utc=True
    ).fillna(FOREVER)
    promises = changes.loc[changes["next_update"].notna().to_numpy()]
    promises = promises.rename(columns={"start": "set_time"})
    promises = promises.assign(due=promises["next_update"] + DAY)
    ca = ca_only(comments)[["bug_id", "count", "time"]].rename(
        columns={"time": "kept_time", "count": "kept_count"}
    )
    merged = pd.merge_asof(
        promises.sort_values("set_time", kind="stable"),
        ca.sort_values("kept_time", kind="stable"),
        left_on="set_time",
        right_on="kept_time",
        by="bug_id",
        direction="forward",
        allow_exact_matches=False,
    ).sort_values(["bug_id", "set_time"], kind="stable").reset_index(drop=True)
    kept = (merged["kept_time"] < merged["due"]).fillna(False)
    resolved = pd.to_datetime(
        pd.Series(t_resolved.reindex(merged["bug_id"]).to_numpy(), index=merged.index), utc=True
    )
    replaced = merged["until"] < merged["due"]
    withdrawn = ~kept & (replaced | (resolved < merged["due"]).fillna(False))
    pending = ~kept & ~withdrawn & (merged["due"] > as_of)
    status = pd.Series("missed", index=merged.index, dtype="str")
    status = status.mask(pending, "pending").mask(withdrawn, "withdrawn").mask(kept, "kept")
    kept_count = merged["kept_count"].astype("Int64").where(kept.to_numpy())
    out = merged.assign(
        bug_id=merged["bug_id"].astype("Int64"),
        status=status,
        rule=rules.version_at(rules.CADENCE, merged["set_time"]),
        kept_count=kept_count,
        evidence=evidence(merged["bug_id"], kept_count, site),
    )
    return out[PROMISE_COLUMNS]


def per_bug(promises: pd.DataFrame) -> pd.DataFrame:
    """Per-bug counts of promises by status, indexed by bug_id (bugs without any are absent)."""
    counts = promises.groupby(["bug_id", "status"]).size().unstack(fill_value=0)
    out = pd.DataFrame(index=counts.index)
    out["next_updates_set"] = counts.sum(axis=1)
    for status in ("kept", "missed", "pending", "withdrawn"):
        out[f"next_updates_{status}"] = counts.get(status, 0)
    return out
