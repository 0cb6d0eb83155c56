"""Hand corrections applied to the parse layer's per-bug columns, before any metric is computed.

Pure: the checked rows of `snapshot.corrections` and a `Parsed` in, a corrected `Parsed` and the
warnings (corrections that change nothing) out. Each corrected field says so in its `_source`
column; the notes travel in `correction_notes`. Only the named field changes: a corrected
`self_filed` does not re-derive awareness, for example (docs/methodology.md, Corrections).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import pandas as pd

from bzanalytics.metrics.common import FULL_KINDS, INITIAL_KINDS, ca_only, public_comments
from bzanalytics.parse.ca import current_owner, lookup

PARSED, CORRECTED = "parsed", "corrected"
# field -> its source column (`ca` already has `ca_source`, which becomes "corrected")
SOURCE_COLUMNS = {
    "awareness_time": "awareness_time_source",
    "excluded": "excluded_source",
    "initial_report": "initial_report_source",
    "full_report": "full_report_source",
    "self_filed": "self_filed_source",
}
# values the metrics read in place of what they would compute: "no"/reason, "none"/count
OVERRIDE_COLUMNS = ("excluded_override", "initial_report_override", "full_report_override")


def with_defaults(incidents: pd.DataFrame) -> pd.DataFrame:
    """The columns every incidents table has, corrected or not: sources `parsed`, no overrides."""
    add: dict[str, Any] = {}
    for column in SOURCE_COLUMNS.values():
        if column not in incidents:
            add[column] = pd.Series(PARSED, index=incidents.index, dtype="str")
    for column in (*OVERRIDE_COLUMNS, "correction_notes"):
        if column not in incidents:
            add[column] = pd.Series(pd.NA, index=incidents.index, dtype="str")
    return incidents.assign(**add) if add else incidents


def _first_reports(comments: pd.DataFrame) -> dict[str, dict[int, int]]:
    """The parser's initial and full report comment numbers per bug (for no-op warnings)."""
    ca = ca_only(public_comments(comments))
    out = {}
    for name, kinds in (("initial_report", INITIAL_KINDS), ("full_report", FULL_KINDS)):
        rows = ca.loc[ca["report_kind"].isin(kinds).fillna(False).to_numpy()]
        first = rows.drop_duplicates("bug_id", keep="first")
        out[name] = dict(zip(first["bug_id"].astype("int64"), first["count"].astype("int64"),
                             strict=True))
    return out


def apply(parsed: Any, bugs: pd.DataFrame, rows: Iterable[Any]) -> tuple[Any, list[str]]:
    """`parsed` with the corrections applied, and a warning for each one that changes nothing."""
    from bzanalytics.metrics.incidents import excluded_reason  # incidents imports this module

    rows = list(rows)
    incidents = with_defaults(parsed.incidents).copy()
    if not rows:
        return dataclasses.replace(parsed, incidents=incidents), []
    position = {int(b): i for i, b in enumerate(incidents["bug_id"])}
    bug_fields = bugs.assign(bug_id=bugs["bug_id"].astype("int64")).set_index("bug_id")
    joined = incidents.assign(
        resolution=incidents["bug_id"].astype("int64").map(bug_fields["resolution"]).astype("str"))
    parsed_excluded = excluded_reason(joined)
    reports = _first_reports(parsed.comments)
    notes: dict[int, list[str]] = {}
    warnings: list[str] = []
    columns = {c: incidents[c].tolist() for c in incidents.columns}

    def unchanged(row: Any) -> None:
        warnings.append(f"line {row.line}: bug {row.bug_id} {row.field} is already "
                        f"{row.raw!r}; the correction changes nothing")

    for row in rows:
        i = position[row.bug_id]
        if row.field == "awareness_time":
            same = (columns["aware_time"][i] == pd.Timestamp(row.value)
                    and columns["aware_precision"][i] == row.precision)
            columns["aware_time"][i] = pd.Timestamp(row.value)
            columns["aware_precision"][i] = row.precision
            columns["aware_source"][i] = CORRECTED
            # the parse layer gives the comment number (links are built from the snapshot's
            # site); the evidence link's comment is the one that supports the value
            if "aware_count" in columns:
                columns["aware_count"][i] = row.evidence_count
            else:
                columns["aware_evidence"][i] = row.evidence
        elif row.field == "ca":
            found = lookup(row.value)
            owner = found[0] if found else row.value
            same = columns["ca"][i] == owner
            columns["ca"][i] = owner
            if "ca_current" in columns:
                columns["ca_current"][i] = current_owner(owner)
            columns["ca_source"][i] = CORRECTED
        elif row.field == "self_filed":
            same = bool(columns["self_filed"][i]) == row.value
            columns["self_filed"][i] = row.value
        elif row.field == "excluded":
            before = parsed_excluded.iloc[i]
            same = (row.value is None and pd.isna(before)) or (row.value == before)
            columns["excluded_override"][i] = "no" if row.value is None else row.value
        else:  # initial_report, full_report
            before = reports[row.field].get(row.bug_id)
            same = before == row.value
            columns[f"{row.field}_override"][i] = "none" if row.value is None else str(row.value)
        if row.field in SOURCE_COLUMNS:
            columns[SOURCE_COLUMNS[row.field]][i] = CORRECTED
        if same:
            unchanged(row)
        by = f" ({row.by})" if row.by else ""
        notes.setdefault(i, []).append(f"{row.field}: {row.note or 'no note'}{by}")
    for i, texts in notes.items():
        columns["correction_notes"][i] = "; ".join(texts)
    corrected = pd.DataFrame({name: _typed(values, incidents[name].dtype, incidents.index)
                              for name, values in columns.items()}, index=incidents.index)
    return dataclasses.replace(parsed, incidents=corrected), warnings


def _typed(values: list[Any], dtype: Any, index: pd.Index) -> pd.Series:
    if isinstance(dtype, pd.DatetimeTZDtype):
        return pd.Series(pd.to_datetime(values, utc=True), index=index).astype(dtype)
    return pd.Series(values, index=index, dtype=dtype)
