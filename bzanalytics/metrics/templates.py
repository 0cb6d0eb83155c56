"""Template currency (CCADB Policy 2.0 §6.1, from 2025-07-15): a report must not use a template
superseded more than 30 days before it was posted."""

from __future__ import annotations

import pandas as pd

from bzanalytics.metrics import rules
from bzanalytics.metrics.common import ca_only


def currency(reports: pd.DataFrame) -> pd.DataFrame:
    """`template_current` and `template_rule` for each report row (same index).

    `<NA>` when the rule was not in force at the post time or the report follows no template
    (an update, a free-form first notice); a v3 template has not been superseded.
    """
    time = pd.to_datetime(reports["time"], utc=True)
    superseded = pd.to_datetime(reports["template"].map(rules.TEMPLATE_SUPERSEDED), utc=True)
    rule = rules.version_at(rules.TEMPLATE_CURRENCY, time).fillna(rules.NONE)
    applies = (rule != rules.NONE) & reports["template"].notna()
    current = ~(time > superseded + rules.TEMPLATE_GRACE).fillna(False)
    return pd.DataFrame({
        "template_current": current.astype("boolean").where(applies.to_numpy()),
        "template_rule": rule.where(applies.to_numpy(), rules.NONE).astype("str"),
    }, index=reports.index)


def per_bug(reports: pd.DataFrame, comments: pd.DataFrame) -> pd.DataFrame:
    """`reports_template_outdated` per bug: the CA's reports flagged by `currency`."""
    marked = reports[["bug_id", "count"]].astype("int64").join(currency(reports))
    ca = ca_only(comments)[["bug_id", "count"]]
    mine = marked.merge(ca, on=["bug_id", "count"])
    outdated = mine["template_current"].eq(False).fillna(False).astype("int64")
    return outdated.groupby(mine["bug_id"]).sum().rename("reports_template_outdated").to_frame()
