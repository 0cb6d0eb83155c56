"""Small shared pieces of the metrics: evidence links, the CA's public comments, day arithmetic."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

import pandas as pd

BMO = "https://bugzilla.mozilla.org"
#: where evidence links of a synthetic snapshot that was not synced from a server point: a
#: reserved example domain (RFC 2606), so no link of a fictional CA can open a real bug
SYNTHETIC_SITE = "https://bugzilla.example.com"
DAY = pd.Timedelta(days=1)
HOUR = pd.Timedelta(hours=1)
#: stands for "no end yet" in interval arithmetic (a Whiteboard value still current)
FOREVER = pd.Timestamp("2200-01-01", tz="UTC")

#: report kinds that satisfy the initial (72-hour) and the full (14-day) report rules
INITIAL_KINDS = ("preliminary", "full", "legacy", "audit")
FULL_KINDS = ("full", "legacy", "audit")


def site_of(origins: Mapping[str, int], synthetic: bool) -> str:
    """The Bugzilla a snapshot's bugs came from, for its links (methodology.md, Evidence links).

    `origins` counts bugs per stored origin (a sync URL, `dump:<file>`, `corpus:<dir>`). The URL
    most bugs were synced from wins (user name, password, query and fragment dropped); without
    one, an import of real data links to bugzilla.mozilla.org and a synthetic one to
    `SYNTHETIC_SITE`.
    """
    synced = sorted(((-n, o) for o, n in origins.items()
                     if o.startswith(("http://", "https://"))))
    if synced:
        parts = urlsplit(synced[0][1])
        host = parts.hostname or ""
        netloc = f"[{host}]" if ":" in host else host
        if parts.port is not None:
            netloc += f":{parts.port}"
        return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
    return SYNTHETIC_SITE if synthetic else BMO


def bug_url(site: str = BMO) -> str:
    """The prefix of a bug's page on `site`: append the bug number."""
    return f"{site.rstrip('/')}/show_bug.cgi?id="


def evidence(bug_id: pd.Series, count: pd.Series, site: str = BMO) -> pd.Series:
    """`<site>/show_bug.cgi?id=<bug>#c<count>`, `<NA>` without a count."""
    num = pd.Series(count, copy=False).astype("Int64")
    prefix = bug_url(site)
    links = [
        None if c is pd.NA else f"{prefix}{b}#c{c}"
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
