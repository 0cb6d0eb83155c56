"""Small shared pieces of the metrics: evidence links, the CA's public comments, day arithmetic."""

from __future__ import annotations

import pandas as pd

BUG_URL = "https://bugzilla.mozilla.org/show_bug.cgi?id="
DAY = pd.Timedelta(days=1)
HOUR = pd.Timedelta(hours=1)
#: stands for "no end yet" in interval arithmetic (a Whiteboard value still current)
FOREVER = pd.Timestamp("2200-01-01", tz="UTC")

#: report kinds that satisfy the initial (72-hour) and the full (14-day) report rules
INITIAL_KINDS = ("preliminary", "full", "legacy", "audit")
FULL_KINDS = ("full", "legacy", "audit")


def evidence(bug_id: pd.Series, count: pd.Series) -> pd.Series:
    """`https://bugzilla.mozilla.org/show_bug.cgi?id=<bug>#c<count>`, `<NA>` without a count."""
    num = pd.Series(count, copy=False).astype("Int64")
    links = [
        None if c is pd.NA else f"{BUG_URL}{b}#c{c}"
        for b, c in zip(pd.Series(bug_id, copy=False).astype("int64"), num, strict=True)
    ]
    return pd.Series(links, index=num.index, dtype="str")


COMMENT_COLUMNS = ["bug_id", "count", "time", "author", "role", "report_kind", "text"]


def public_comments(comments: pd.DataFrame) -> pd.DataFrame:
    """Public comments in comment order; metrics ignore private ones (see methodology.md)."""
    private = comments["is_private"].fillna(False).astype(bool)
    out = comments.loc[~private.to_numpy(), COMMENT_COLUMNS]
    out = out.assign(
        bug_id=out["bug_id"].astype("int64"),
        count=out["count"].astype("int64"),
        time=pd.to_datetime(out["time"], utc=True).dt.as_unit("us"),
    )
    return out.sort_values(["bug_id", "count"], kind="stable").reset_index(drop=True)


def ca_only(comments: pd.DataFrame) -> pd.DataFrame:
    """The rows of `comments` (already public and ordered) whose role is `ca`."""
    return comments.loc[(comments["role"] == "ca").fillna(False).to_numpy()]


def first_per_bug(comments: pd.DataFrame) -> pd.DataFrame:
    """First comment per bug: index bug_id, columns time and count."""
    first = comments.drop_duplicates("bug_id", keep="first")
    return first.set_index("bug_id")[["time", "count"]]


def days(delta: pd.Series) -> pd.Series:
    """A timedelta Series in float days, `<NA>` for NaT."""
    return (delta / DAY).astype("Float64")


def hours(delta: pd.Series) -> pd.Series:
    """A timedelta Series in float hours, `<NA>` for NaT."""
    return (delta / HOUR).astype("Float64")
