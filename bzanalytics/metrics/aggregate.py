"""Per-CA scorecard and per-year trends: the incidents table reduced to rates with their intervals.

Every rate keeps its numerator and denominator beside it, and a group with fewer than
`SMALL_SAMPLE` measured incidents (a 72-hour status of met or missed) is flagged, so a 1/1
"100 %" is never read as a track record.
"""

from __future__ import annotations

import difflib
import re
from datetime import date

import numpy as np
import pandas as pd

from bzanalytics.errors import UsageError
from bzanalytics.metrics.stats import bootstrap_median_ci, wilson_interval
from bzanalytics.parse.ca import distrust_label

SMALL_SAMPLE = 5
UNATTRIBUTED = "(unattributed)"
# Two legitimate answers to "which CA": the owner named at filing (who handled the incident; the
# default) or today's owner after recorded transfers. Tables keep the column name `ca` for both
# and say which one they use. docs/methodology.md, "Attribution", explains the choice.
GROUPINGS = {"owner": "ca", "current-owner": "ca_current"}
GROUPING_LABELS = {
    "owner": "CA owner at filing",
    "current-owner": "today's CA owner (recorded transfers applied)",
}
DISTRUSTED_CHOICES = ("mark", "exclude")

SCORECARD_COLUMNS = [
    "incidents", "open", "response_n", "response_median_hours", "response_ci_low",
    "response_ci_high", "initial_met", "initial_n", "initial_met_rate", "initial_ci_low",
    "initial_ci_high", "initial_no_report", "full_met", "full_n", "full_met_rate", "full_ci_low",
    "full_ci_high", "full_no_report",
    "questions", "questions_late", "next_updates_set", "next_updates_missed",
    "action_items", "action_items_overdue", "action_items_due", "action_items_on_time",
    "action_items_on_time_rate", "action_items_ci_low", "action_items_ci_high",
    "reports_template_outdated", "revocation_delay_bugs", "revocation_gaps_over_3d",
    "revocation_gaps_over_7d", "close_n",
    "median_days_to_close", "not_fetched", "small_sample",
]


def _rate(group: pd.DataFrame, column: str, prefix: str) -> dict[str, object]:
    status = group[column]
    met = int((status == "met").sum())
    n = met + int((status == "missed").sum())
    low, high = wilson_interval(met, n)
    return {
        f"{prefix}_met": met,
        f"{prefix}_n": n,
        f"{prefix}_met_rate": met / n if n else np.nan,
        f"{prefix}_ci_low": low,
        f"{prefix}_ci_high": high,
        f"{prefix}_no_report": int((status == "no_report").sum()),
    }


def _total(group: pd.DataFrame, column: str) -> int:
    """Sum of a count column; 0 for a frame built before the column existed."""
    return int(group[column].sum()) if column in group else 0


def _action_items(group: pd.DataFrame) -> dict[str, object]:
    """Share of due Action Items completed by their first due date (methodology.md)."""
    due = _total(group, "action_items_due")
    on_time = _total(group, "action_items_on_time")
    low, high = wilson_interval(on_time, due)
    return {
        "action_items": _total(group, "action_items"),
        "action_items_overdue": _total(group, "action_items_overdue"),
        "action_items_due": due,
        "action_items_on_time": on_time,
        "action_items_on_time_rate": on_time / due if due else np.nan,
        "action_items_ci_low": low,
        "action_items_ci_high": high,
    }


def _revocation(group: pd.DataFrame) -> dict[str, int]:
    """Revocation-delay bugs (those the IRG 3.0 3-day SHOULD applies to: `cadence_gaps_over_3d`
    known) and their update gaps over 3 days beside their gaps over 7 days (the MUST)."""
    if "cadence_gaps_over_3d" not in group:
        return {"revocation_delay_bugs": 0, "revocation_gaps_over_3d": 0,
                "revocation_gaps_over_7d": 0}
    three = group["cadence_gaps_over_3d"]
    on = three.notna().to_numpy()
    return {
        "revocation_delay_bugs": int(on.sum()),
        "revocation_gaps_over_3d": int(three[on].sum()),
        "revocation_gaps_over_7d": int(group.loc[on, "cadence_gaps_over_7d"].fillna(0).sum()),
    }


def _open(group: pd.DataFrame) -> pd.Series:
    """Open by status (the incidents table derives it when BMO's `is_open` is missing)."""
    resolved = group["t_resolved"].isna()
    if "is_open" not in group:
        return resolved
    return group["is_open"].astype("boolean").fillna(resolved).astype(bool)


def _fetched(group: pd.DataFrame) -> pd.Series:
    if "comments_fetched" not in group:
        return pd.Series(True, index=group.index)
    return group["comments_fetched"].astype("boolean").fillna(True).astype(bool)


def _summarise(group: pd.DataFrame) -> dict[str, object]:
    response = group["response_hours"].astype("float64").dropna().to_numpy()
    low, high = bootstrap_median_ci(response)
    close = group["days_to_close"].astype("float64").dropna()
    row: dict[str, object] = {
        "incidents": int(group["bug_id"].nunique()),
        "open": int(_open(group).sum()),
        "response_n": int(response.size),
        "response_median_hours": float(np.median(response)) if response.size else np.nan,
        "response_ci_low": low,
        "response_ci_high": high,
    }
    row |= _rate(group, "initial_report_status", "initial")
    row |= _rate(group, "full_report_status", "full")
    row |= {
        "questions": int(group["questions"].sum()),
        "questions_late": int(group["questions_late"].sum()),
        "next_updates_set": int(group["next_updates_set"].sum()),
        "next_updates_missed": int(group["next_updates_missed"].sum()),
        **_action_items(group),
        "reports_template_outdated": _total(group, "reports_template_outdated"),
        **_revocation(group),
        "close_n": int(close.size),
        "median_days_to_close": float(close.median()) if close.size else np.nan,
        "not_fetched": int((~_fetched(group)).sum()),
    }
    row["small_sample"] = row["initial_n"] < SMALL_SAMPLE
    return row


def _table(incidents: pd.DataFrame, key: pd.Series, name: str) -> pd.DataFrame:
    rows = {label: _summarise(group) for label, group in incidents.groupby(key, sort=True)}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=SCORECARD_COLUMNS)
    table = table.rename_axis(name).reset_index()
    floats = [c for c in SCORECARD_COLUMNS if table[c].dtype.kind == "f" or "rate" in c]
    return table.astype({c: "Float64" for c in floats} | {"small_sample": "boolean"})


def group_column(group_by: str) -> str:
    """The incidents column behind a grouping (`owner` -> `ca`, `current-owner` -> `ca_current`)."""
    if group_by not in GROUPINGS:
        raise UsageError(f"unknown grouping {group_by!r}; use one of {', '.join(GROUPINGS)}")
    return GROUPINGS[group_by]


def regroup(incidents: pd.DataFrame, group_by: str) -> pd.DataFrame:
    """The incidents with `ca` holding the grouping's owner, for tables and figures by CA.

    With `current-owner` the owner at filing stays in `ca_at_filing`, so nothing is lost.
    """
    column = group_column(group_by)
    if column == "ca":
        return incidents
    return incidents.assign(ca_at_filing=incidents["ca"], ca=incidents[column])


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def match_ca(incidents: pd.DataFrame, name: str, column: str = "ca") -> str:
    """The CA `name` means (methodology.md, Choosing a CA): the name in any case; else the one
    CA whose name starts with it; else the one whose words each start with one of its words
    ("qt" no, "quill trust" yes); `unattributed` is the bugs without a CA. Several matches or
    none: a UsageError listing the candidates."""
    if name.strip().casefold().strip("()") == UNATTRIBUTED.strip("()"):
        return UNATTRIBUTED
    names = sorted(set(incidents[column].dropna().astype("str")))
    by_folded = {n.casefold(): n for n in names}
    folded = name.strip().casefold()
    if folded in by_folded:
        return by_folded[folded]
    wanted = _words(name)
    for rule in (lambda f: f.startswith(folded),
                 lambda f: bool(wanted) and all(any(w.startswith(q) for w in _words(f))
                                                for q in wanted)):
        found = [n for f, n in by_folded.items() if rule(f)]
        if len(found) == 1:
            return found[0]
        if found:
            shown = ", ".join(found[:8]) + (f" and {len(found) - 8} more" if len(found) > 8
                                            else "")
            raise UsageError(f"--ca {name!r} matches {len(found)} CAs: {shown}; "
                             "give more of the name")
    close = difflib.get_close_matches(folded, list(by_folded), n=3, cutoff=0.5)
    hint = ", ".join(by_folded[c] for c in close) if close else "none; see the scorecard"
    raise UsageError(f"no CA named {name!r} in this snapshot; close matches: {hint}")


def since_start(since: object, as_of: pd.Timestamp | None = None) -> pd.Timestamp:
    """`--since` as the moment it names: ISO 8601 only (YYYY-MM-DD, the UTC midnight, or a full
    YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]), so 01/02/2024 is never guessed as January or February; a
    moment after the snapshot's as-of time is refused (no bug can have been filed then)."""
    text = str(since).strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?",
                            text):
            raise ValueError(text)
        date.fromisoformat(text[:10])  # a real day: 2025-02-30 is refused
        start = pd.Timestamp(text)
        start = start.tz_localize("UTC") if start.tzinfo is None else start.tz_convert("UTC")
    except ValueError:
        raise UsageError(f"--since {since!r} is not a date: use the ISO form YYYY-MM-DD "
                         "(2024-02-01 is 1 February 2024)") from None
    if as_of is not None and not pd.isna(as_of) and start > as_of:
        raise UsageError(f"--since {text} is in the future: this snapshot is as of "
                         f"{as_of:%Y-%m-%d}, so no bug was filed on or after it")
    return start


def select(
    incidents: pd.DataFrame, *, since: object = None, ca: str | None = None,
    group_by: str = "owner", as_of: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """The incidents created on or after `since` (a date) and belonging to `ca`, if given.

    `ca` is matched in the grouping's column: the owner at filing, or today's owner.
    """
    column = group_column(group_by)
    rows = incidents
    if since is not None:
        start = since_start(since, as_of)
        rows = rows.loc[(rows["t_create"] >= start).to_numpy()]
    if ca is not None:
        canonical = match_ca(incidents, ca, column)
        mine = (rows[column].isna() if canonical == UNATTRIBUTED
                else rows[column].eq(canonical).fillna(False))
        rows = rows.loc[mine.to_numpy()]
    return rows


def scorecard(
    incidents: pd.DataFrame, *, since: object = None, ca: str | None = None,
    group_by: str = "owner", distrusted: str = "mark", as_of: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """One row per CA (`(unattributed)` for bugs without one), sorted by CA name.

    `group_by` picks the owner at filing (`owner`) or today's owner (`current-owner`); the
    `distrusted` column names the root programs' distrust decisions recorded for the owner, and
    `distrusted="exclude"` leaves those owners out.
    """
    if distrusted not in DISTRUSTED_CHOICES:
        raise UsageError(f"--distrusted takes {' or '.join(DISTRUSTED_CHOICES)}")
    column = group_column(group_by)
    rows = select(incidents, since=since, ca=ca, group_by=group_by, as_of=as_of)
    key = rows[column].astype("str").fillna(UNATTRIBUTED).rename("ca")
    table = _table(rows, key, "ca")
    marks = table["ca"].map(lambda name: distrust_label(name)).astype("str")
    table.insert(1, "distrusted", marks)
    if distrusted == "exclude":
        table = table.loc[table["distrusted"].isna().to_numpy()].reset_index(drop=True)
    return table


def yearly_trends(incidents: pd.DataFrame) -> pd.DataFrame:
    """The scorecard's columns per year of T_create, over all CAs."""
    key = incidents["t_create"].dt.year.rename("year")
    return _table(incidents, key, "year")
