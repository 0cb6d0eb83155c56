"""The report deadlines (72 hours, 14 days): one clock giving the status and the due time, used by
the incidents table and by the attention list, so the two can never disagree."""

from __future__ import annotations

import pandas as pd


def deadline_status(
    start: pd.Series,
    latest_start: pd.Series,
    done: pd.Series,
    fallback_start: pd.Series,
    applies: pd.Series,
    limit: pd.Timedelta,
    as_of: pd.Timestamp,
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Status, reason and due time for "`done` within `limit` of `start`".

    `start` is T_aware (start of the day for day precision), `latest_start` the latest moment
    awareness can have happened (equal to `start` for minute precision); a status is given only
    when it holds for every moment in between, else `unknown_awareness`. The clock runs from
    `fallback_start` (T_create) when awareness is unknown. `due` = clock + limit, `NaT` where
    the rule is not in force; without a report the status is `no_report` once `due` < as_of,
    `pending` before (a report exactly at the limit is on time).
    """
    index = start.index
    status = pd.Series("unknown_awareness", index=index, dtype="str")
    reason = pd.Series(pd.NA, index=index, dtype="str")
    has_done = done.notna()
    due = start.fillna(fallback_start) + limit
    late = (due < as_of).fillna(False)
    status = status.mask(~has_done & late, "no_report")
    status = status.mask(~has_done & ~late, "pending")
    reason = reason.mask(~has_done, "no CA report")
    known = has_done & start.notna()
    reason = reason.mask(has_done & start.isna(), "awareness unknown")
    met = known & (done - start <= limit)
    missed = known & ~met & (done - latest_start > limit)
    reason = reason.mask(known & ~met & ~missed, "awareness known to the day only")
    status = status.mask(met, "met").mask(missed, "missed")
    applies = pd.Series(applies, index=index).to_numpy(dtype=bool)
    status = status.mask(~applies, "not_applicable")
    due = pd.to_datetime(due, utc=True).dt.as_unit("us").where(applies)
    return status, reason, due


def promised_due(promised: pd.Series, precision: pd.Series) -> pd.Series:
    """The last moment a promised date allows: its next UTC midnight for a day (the CA's zone
    is rarely stated), the moment itself for a stated time."""
    day = precision.eq("day").fillna(False).to_numpy()
    promised = pd.to_datetime(promised, utc=True)
    return promised.mask(day, promised + pd.Timedelta(days=1)).dt.as_unit("us")
