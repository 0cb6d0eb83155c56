"""Update cadence: gaps over 7 days between the CA's comments that no Whiteboard note excused.

Observation runs from the CA's first comment to E = min(T_closure, T_resolved, as_of); a bug
still open at as_of without a closure summary also owes an update for the trailing interval.
"""

from __future__ import annotations

import pandas as pd

from bzanalytics.metrics import rules
from bzanalytics.metrics.common import BMO, DAY, ca_only, days, evidence

GAP_COLUMNS = ["bug_id", "start", "end", "start_count", "end_count", "days", "rule", "evidence"]


def _all_gaps(ca: pd.DataFrame, bugs: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Every interval between consecutive observed CA comments, plus the trailing ones."""
    ca = ca.merge(bugs[["observe_until", "owes_trailing"]], left_on="bug_id", right_index=True)
    ca = ca.loc[(ca["time"] <= ca["observe_until"]).to_numpy()]
    following = ca.groupby("bug_id")[["time", "count"]].shift(-1)
    inner = pd.DataFrame(
        {"bug_id": ca["bug_id"], "start": ca["time"], "end": following["time"],
         "start_count": ca["count"], "end_count": following["count"]}
    ).dropna(subset=["end"])
    last = ca.drop_duplicates("bug_id", keep="last")
    last = last.loc[last["owes_trailing"].to_numpy()]
    trailing = pd.DataFrame(
        {"bug_id": last["bug_id"], "start": last["time"], "end": as_of,
         "start_count": last["count"], "end_count": pd.NA}
    )
    gaps = pd.concat([inner, trailing], ignore_index=True)
    gaps["end"] = pd.to_datetime(gaps["end"], utc=True)
    gaps["start_count"] = gaps["start_count"].astype("Int64")
    gaps["end_count"] = gaps["end_count"].astype("Int64")
    return gaps


def covered(gaps: pd.DataFrame, states: pd.DataFrame) -> pd.Series:
    """True for a gap the Whiteboard excused at some moment (Next update date or close-on)."""
    pairs = gaps.reset_index(names="gap").merge(
        states[["bug_id", "start", "end", "next_update", "close_on"]],
        on="bug_id",
        suffixes=("", "_wb"),
    )
    overlaps = (pairs["start_wb"] < pairs["end"]) & (pairs["end_wb"] > pairs["start"])
    excuses = pairs["close_on"] | (pairs["end"] <= pairs["next_update"] + DAY).fillna(False)
    hit = pairs.loc[(overlaps & excuses).to_numpy(), "gap"].unique()
    return pd.Series(gaps.index.isin(hit), index=gaps.index)


def find_gaps(
    comments: pd.DataFrame,
    bugs: pd.DataFrame,
    states: pd.DataFrame,
    as_of: pd.Timestamp,
    site: str = BMO,
    *,
    limit: pd.Timedelta = rules.CADENCE_LIMIT,
    rule: tuple[tuple[pd.Timestamp, str], ...] = rules.CADENCE,
    only: pd.Index | None = None,
) -> pd.DataFrame:
    """One row per counted gap: started once `rule` was in force, longer than `limit`, not
    covered. The defaults are the weekly cadence (from 2023-05-02, 7 days); `only` limits the
    bugs (the 3-day SHOULD of revocation-delay bugs).

    `bugs` is indexed by bug_id with `observe_until` (E) and `owes_trailing` (open at as_of
    without a closure summary); `states` comes from `promises.whiteboard_states`.
    """
    ca = ca_only(comments)[["bug_id", "count", "time"]]
    if only is not None:
        ca = ca.loc[ca["bug_id"].isin(only).to_numpy()]
    gaps = _all_gaps(ca, bugs, as_of)
    long = (gaps["start"] >= rule[0][0]) & (gaps["end"] - gaps["start"] > limit)
    gaps = gaps.loc[long.to_numpy()].reset_index(drop=True)
    gaps = gaps.loc[~covered(gaps, states).to_numpy()].reset_index(drop=True)
    ending = gaps["end_count"].fillna(gaps["start_count"])
    out = gaps.assign(
        bug_id=gaps["bug_id"].astype("Int64"),
        days=days(gaps["end"] - gaps["start"]),
        rule=rules.version_at(rule, gaps["start"]),
        evidence=evidence(gaps["bug_id"], ending, site),
    )
    return out[GAP_COLUMNS]


def revocation_delay_bugs(tags: pd.Series) -> pd.Index:
    """Bugs whose (current) Whiteboard tags hold a revocation-delay tag, from `tags` (canonical
    tags joined with spaces, indexed by bug_id)."""
    hit = tags.fillna("").str.contains(r"(?:^|\s)(?:leaf|ca)-revocation-delay(?:\s|$)",
                                       regex=True)
    return tags.index[hit.to_numpy(dtype=bool)]


def per_bug_3d(gaps: pd.DataFrame, applies: pd.Series) -> pd.DataFrame:
    """`cadence_gaps_over_3d` (uncovered gaps over 3 days, revocation-delay bugs only; `<NA>`
    where the SHOULD does not apply) and `cadence_3d_rule`, indexed like `applies` (the rule
    version in force at the end of observation for revocation-delay bugs, else `none`)."""
    counts = gaps.groupby("bug_id").size().reindex(applies.index, fill_value=0)
    on = applies != rules.NONE
    return pd.DataFrame({
        "cadence_gaps_over_3d": counts.astype("Int64").where(on.to_numpy()),
        "cadence_3d_rule": applies,
    })


def per_bug(gaps: pd.DataFrame) -> pd.DataFrame:
    """Per-bug cadence columns, indexed by bug_id (bugs without counted gaps are absent)."""
    if gaps.empty:
        return pd.DataFrame(
            columns=["cadence_gaps_over_7d", "cadence_worst_gap_days", "cadence_evidence"]
        )
    worst = gaps.loc[gaps["days"].astype("float64").groupby(gaps["bug_id"]).idxmax()]
    worst = worst.set_index("bug_id")
    return pd.DataFrame(
        {
            "cadence_gaps_over_7d": gaps.groupby("bug_id").size(),
            "cadence_worst_gap_days": worst["days"],
            "cadence_evidence": worst["evidence"],
        }
    )
