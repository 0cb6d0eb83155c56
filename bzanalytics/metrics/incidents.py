"""The incidents table: one row per bug with every metric of methodology.md, its rule and evidence.

`build` joins the parse layer's base columns with the times, statuses and per-bug summaries of
questions, update gaps and Next-update promises. Everything is vectorised over bugs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from bzanalytics.errors import UsageError
from bzanalytics.metrics import (
    action_items,
    attention,
    cadence,
    promises,
    questions,
    rules,
    templates,
)
from bzanalytics.metrics.common import (
    BMO,
    DAY,
    FULL_KINDS,
    INITIAL_KINDS,
    ca_only,
    days,
    evidence,
    first_per_bug,
    hours,
    public_comments,
)
from bzanalytics.metrics.corrections import OVERRIDE_COLUMNS, with_defaults
from bzanalytics.metrics.deadlines import deadline_status, promised_due

RESOLVED_STATUSES = ("RESOLVED", "VERIFIED", "CLOSED")
#: the status and reason of a rule that needs comments a snapshot does not hold for the bug
UNKNOWN_DATA = "unknown_data"
NO_COMMENTS = "comments not fetched"
NO_HISTORY = "history not fetched"
BUG_COLUMNS = ("summary", "status", "resolution", "is_open", "creation_time", "whiteboard")


@dataclass(frozen=True)
class Measured:
    """The metrics of one snapshot: per bug, per question, per promise and per counted gap, and
    every running clock of the open bugs (`attention.obligations`)."""

    incidents: pd.DataFrame
    questions: pd.DataFrame
    promises: pd.DataFrame
    update_gaps: pd.DataFrame
    action_items: pd.DataFrame
    obligations: pd.DataFrame


def fetched_parts(bugs: pd.DataFrame, stored: pd.DataFrame | None) -> pd.DataFrame:
    """Per bug_id: whether its comments and its history were fetched (methodology.md, Absent data).

    `stored` counts the rows the snapshot holds per bug (`bug_id`, `comments`, `history`); None
    means everything was fetched. Every BMO bug has a comment 0, so a bug without any stored
    comment (public or private) had its comments not fetched. BMO sends comments and history
    together (a sync, a full dump) or neither (a metadata dump), so history counts as fetched
    when the bug has history rows or its comments were fetched.
    """
    index = pd.Index(bugs["bug_id"].astype("int64"), name=None)
    if stored is None:
        return pd.DataFrame({"comments": True, "history": True}, index=index)
    rows = stored.assign(bug_id=stored["bug_id"].astype("int64")).set_index("bug_id")
    rows = rows.reindex(index).fillna(0)
    comments = (rows["comments"] > 0).to_numpy(dtype=bool)
    history = comments | (rows["history"] > 0).to_numpy(dtype=bool)
    return pd.DataFrame({"comments": comments, "history": history}, index=index)


def open_by_status(is_open: pd.Series, status: pd.Series) -> pd.Series:
    """BMO's `is_open`, else derived from the status (a dump without the field)."""
    derived = ~status.isin(RESOLVED_STATUSES).fillna(False)
    return is_open.astype("boolean").fillna(derived.where(status.notna().to_numpy()))


def resolved_times(bugs: pd.DataFrame, history: pd.DataFrame) -> pd.Series:
    """T_resolved by bug_id: `cf_last_resolved`, else the last status change to RESOLVED.

    Only for bugs whose status is RESOLVED, VERIFIED or CLOSED now; others are NaT.
    """
    frame = bugs.assign(bug_id=bugs["bug_id"].astype("int64")).set_index("bug_id")
    closed = frame["status"].isin(RESOLVED_STATUSES).fillna(False)
    status = history.loc[
        ((history["field_name"] == "status") & (history["added"] == "RESOLVED")).fillna(False)
    ]
    last = pd.to_datetime(status["when"], utc=True).groupby(status["bug_id"].astype("int64")).max()
    resolved = pd.to_datetime(frame["last_resolved"], utc=True).fillna(last.reindex(frame.index))
    return pd.to_datetime(resolved.where(closed.to_numpy()), utc=True).dt.as_unit("us")


def excluded_reason(frame: pd.DataFrame) -> pd.Series:
    """`meta`, `duplicate`, `invalid` (in that precedence) or `<NA>` for a counted bug.

    A hand correction (`excluded_override`: a reason, or "no") takes precedence over all three.
    """
    meta = frame["is_meta"].astype("boolean").fillna(False) if "is_meta" in frame else None
    if meta is None:
        meta = frame["summary"].str.contains("[meta]", case=False, regex=False).fillna(False)
    out = pd.Series(pd.NA, index=frame.index, dtype="str")
    out = out.mask(frame["resolution"].eq("INVALID").fillna(False).to_numpy(), "invalid")
    out = out.mask(frame["resolution"].eq("DUPLICATE").fillna(False).to_numpy(), "duplicate")
    out = out.mask(meta.to_numpy(dtype=bool), "meta")
    if "excluded_override" in frame:
        override = frame["excluded_override"]
        out = out.mask(override.notna().to_numpy(), override.astype("str"))
        out = out.mask(override.eq("no").fillna(False).to_numpy(), pd.NA)
    return out


def _times(base: pd.DataFrame, comments: pd.DataFrame) -> pd.DataFrame:
    """T_first_ca, T_initial, T_full, T_closure and their comment numbers, by bug_id."""
    ca = ca_only(comments)
    kind = ca["report_kind"]
    picks = {
        "first_ca": ca,
        "initial": ca.loc[kind.isin(INITIAL_KINDS).fillna(False).to_numpy()],
        "full": ca.loc[kind.isin(FULL_KINDS).fillna(False).to_numpy()],
        "closure": ca.loc[kind.eq("closure").fillna(False).to_numpy()],
    }
    out = pd.DataFrame(index=base.index)
    for name, rows in picks.items():
        first = first_per_bug(rows).reindex(base.index)
        out[f"t_{name}"] = pd.to_datetime(first["time"], utc=True)
        out[f"{name}_count"] = first["count"].astype("Int64")
    out = _third_party_response(base, comments, out)
    # hand corrections name the report comment (by number) or say there is none
    when = comments.set_index(["bug_id", "count"])["time"]
    for name in ("initial", "full"):
        override = base[f"{name}_report_override"]
        none = override.eq("none").fillna(False).to_numpy()
        numbered = override.str.fullmatch(r"\d+").fillna(False).to_numpy()
        out.loc[none, [f"t_{name}", f"{name}_count"]] = [pd.NaT, pd.NA]
        if numbered.any():
            counts = override[numbered].astype("int64")
            keys = pd.MultiIndex.from_arrays([counts.index.astype("int64"), counts.to_numpy()])
            out.loc[numbered, f"t_{name}"] = when.reindex(keys).to_numpy()
            out.loc[numbered, f"{name}_count"] = counts.to_numpy()
    corrected = base["initial_report_override"].notna().to_numpy()
    if "initial_report_via" in out:
        out.loc[corrected, "initial_report_via"] = "corrected"
    return out


def _third_party_response(base: pd.DataFrame, comments: pd.DataFrame,
                          out: pd.DataFrame) -> pd.DataFrame:
    """IRG 3.0 (bugs from 2025-03-01): where a third party filed a Preliminary Incident Report,
    the CA's first comment after it meets the initial-report duty when it comes before the CA's
    own first report. `initial_report_via` says which one T_initial is."""
    kind = comments["report_kind"]
    third = comments.loc[(kind.eq("preliminary") & comments["role"].ne("ca")).fillna(False)
                         .to_numpy()]
    filed = first_per_bug(third).rename(columns={"time": "tp_time", "count": "tp_count"})
    ca = ca_only(comments)[["bug_id", "time", "count"]]
    answers = pd.merge_asof(
        filed.reset_index().sort_values("tp_time", kind="stable"),
        ca.rename(columns={"time": "r_time", "count": "r_count"}).sort_values(
            "r_time", kind="stable"),
        left_on="tp_time", right_on="r_time", by="bug_id", direction="forward",
        allow_exact_matches=False,
    ).set_index("bug_id").reindex(base.index)
    applies = rules.version_at(rules.THIRD_PARTY_PRELIMINARY, base["t_create"]) != rules.NONE
    response = pd.to_datetime(answers["r_time"], utc=True)
    use = (applies & response.notna() & ~(out["t_initial"] <= response).fillna(False)).to_numpy()
    via = pd.Series(pd.NA, index=base.index, dtype="str").mask(out["t_initial"].notna(),
                                                               "ca_report")
    out["t_initial"] = out["t_initial"].mask(use, response)
    out["initial_count"] = out["initial_count"].mask(use, answers["r_count"].astype("Int64"))
    out["initial_report_via"] = via.mask(use, "third_party_response")
    return out


def _report_metrics(f: pd.DataFrame, as_of: pd.Timestamp, site: str) -> dict[str, Any]:
    """Response time, the 72-hour and 14-day rules, and the legacy two-week measure."""
    bug = pd.Series(f.index, index=f.index)

    def link(count: pd.Series) -> pd.Series:
        return evidence(bug, count, site)

    self_filed = f["self_filed"].astype("boolean").fillna(False)
    response = hours(f["t_first_ca"] - f["t_create"]).mask(self_filed.to_numpy())
    response_reason = pd.Series(pd.NA, index=f.index, dtype="str")
    response_reason = response_reason.mask(f["t_first_ca"].isna(), "no CA comment")
    response_reason = response_reason.mask(self_filed.to_numpy(), "self-filed")
    unknown = ~f["comments_fetched"].to_numpy(dtype=bool)
    response_reason = response_reason.mask(unknown, NO_COMMENTS)

    aware = pd.to_datetime(f["aware_time"], utc=True)
    day = f["aware_precision"].eq("day").fillna(False)
    latest = aware.where(~day.to_numpy(), aware + DAY)
    third_party = ~self_filed
    latest = latest.mask((third_party & (latest > f["t_create"])).to_numpy(), f["t_create"])
    version = rules.version_at(rules.REPORT_TIMING, f["t_create"])
    applies = version != rules.NONE

    out: dict[str, Any] = {
        "response_hours": response,
        "response_evidence": link(f["first_ca_count"].mask(self_filed.to_numpy())),
        "response_reason": response_reason,
    }
    for name, done_col, count_col, limit, unit in (
        ("initial_report", "t_initial", "initial_count", rules.INITIAL_REPORT_LIMIT, hours),
        ("full_report", "t_full", "full_count", rules.FULL_REPORT_LIMIT, days),
    ):
        status, reason, due = deadline_status(
            aware, latest, f[done_col], f["t_create"], applies, limit, as_of
        )
        status, reason = _unknown_without_comments(status, reason, unknown)
        value_col = f"{name}_hours" if unit is hours else f"{name}_days"
        out[value_col] = unit(f[done_col] - aware)
        out[f"{name}_status"] = status
        out[f"{name}_due"] = due
        out[f"{name}_rule"] = version
        out[f"{name}_evidence"] = link(f[count_col])
        out[f"{name}_reason"] = reason

    out |= _promise_metrics(f, as_of, unknown)
    legacy_version = rules.version_at(rules.LEGACY_FULL_REPORT, f["t_create"])
    legacy_status, legacy_reason, _ = deadline_status(
        f["t_create"], f["t_create"], f["t_full"], f["t_create"],
        legacy_version != rules.NONE, rules.FULL_REPORT_LIMIT, as_of,
    )
    legacy_status, legacy_reason = _unknown_without_comments(legacy_status, legacy_reason,
                                                             unknown)
    out |= {
        "legacy_full_report_days": days(f["t_full"] - f["t_create"]),
        "legacy_full_report_status": legacy_status,
        "legacy_full_report_rule": legacy_version,
        "legacy_full_report_evidence": link(f["full_count"]),
        "legacy_full_report_reason": legacy_reason,
    }
    return out


def _promise_metrics(f: pd.DataFrame, as_of: pd.Timestamp, unknown: Any) -> dict[str, Any]:
    """The full report against the date the CA promised it by (IRG 2.0's preliminary report
    "date by which the full report will be posted"): the first promise in a CA comment posted
    before the full report, due at its end (`promised_due`); a bug without one has no status."""
    promised = pd.to_datetime(f["full_report_promised"], utc=True)
    posted = pd.to_datetime(f["full_report_promise_posted"], utc=True)
    before_full = (f["t_full"].isna() | (posted < f["t_full"])).fillna(False).to_numpy()
    due = promised_due(promised, f["full_report_promised_precision"]).where(before_full)
    version = rules.version_at(rules.FULL_REPORT_PROMISE, f["t_create"])
    status, reason, due = deadline_status(due, due, f["t_full"], due, version != rules.NONE,
                                          pd.Timedelta(0), as_of)
    none = due.isna().to_numpy() & (version != rules.NONE).to_numpy()
    status = status.mask(none, pd.NA)
    reason = reason.mask(none, "no date promised")
    late = (promised.notna() & ~pd.Series(before_full, index=f.index)).to_numpy()
    reason = reason.mask(late, "promised after the full report")
    status, reason = _unknown_without_comments(status, reason, unknown)
    return {"full_report_promise_due": due, "full_report_promise_status": status,
            "full_report_promise_rule": version, "full_report_promise_reason": reason}


def _unknown_without_comments(status: pd.Series, reason: pd.Series,
                              unknown: Any) -> tuple[pd.Series, pd.Series]:
    """Without the bug's comments no deadline can be judged: `unknown_data` (a rule that does
    not apply stays `not_applicable`), with the reason, never `no_report` or `missed`."""
    status = status.mask(unknown & (status != "not_applicable").to_numpy(), UNKNOWN_DATA)
    return status, reason.mask(unknown, NO_COMMENTS)


def _base(parsed: Any, bugs: pd.DataFrame, history: pd.DataFrame, site: str,
          fetched: pd.DataFrame) -> pd.DataFrame:
    """The parse layer's per-bug columns plus the bug fields, T_create, T_resolved, exclusion."""
    base = with_defaults(parsed.incidents)
    base = base.assign(bug_id=base["bug_id"].astype("int64"))
    base = base.set_index("bug_id", drop=False).rename_axis(None)
    # the parse layer gives comment numbers; links are ours
    for count, link in (("aware_count", "aware_evidence"),
                        ("full_report_promise_count", "full_report_promise_evidence")):
        if count in base:
            position = base.columns.get_loc(count)
            base.insert(position, link, evidence(base["bug_id"], base.pop(count), site))
    extra = [c for c in BUG_COLUMNS if c not in base.columns]
    bug_frame = bugs.assign(bug_id=bugs["bug_id"].astype("int64")).set_index("bug_id")
    base = base.join(bug_frame[extra])
    base["is_open"] = open_by_status(base["is_open"], base["status"])
    base["comments_fetched"] = fetched["comments"].reindex(base.index).astype("boolean")
    base["history_fetched"] = fetched["history"].reindex(base.index).astype("boolean")
    base["t_create"] = pd.to_datetime(base["creation_time"], utc=True)
    base["t_resolved"] = resolved_times(bugs, history).reindex(base.index)
    base["excluded"] = excluded_reason(base)
    return base


def _window(f: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Per bug: E = min(T_closure, T_resolved, as_of), and whether a trailing update is owed."""
    observe_until = pd.concat(
        [f["t_closure"], f["t_resolved"], pd.Series(as_of, index=f.index)], axis=1
    ).min(axis=1)
    is_open = f["is_open"].fillna(f["t_resolved"].isna())
    return pd.DataFrame(
        {"observe_until": observe_until, "owes_trailing": is_open & f["t_closure"].isna()}
    )


def _template_summary(parsed: Any, comments: pd.DataFrame) -> list[pd.DataFrame]:
    reports = getattr(parsed, "reports", None)
    return [] if reports is None else [templates.per_bug(reports, comments)]


def _revocation_cadence(f: pd.DataFrame, comments: pd.DataFrame, window: pd.DataFrame,
                        states: pd.DataFrame, as_of: pd.Timestamp, site: str) -> pd.DataFrame:
    """IRG 3.0: revocation-delay bugs SHOULD update every 3 days (beside the 7-day MUST)."""
    tags = f["tags"] if "tags" in f else pd.Series("", index=f.index, dtype="str")
    revocation = cadence.revocation_delay_bugs(tags)
    gaps = cadence.find_gaps(comments, window, states, as_of, site,
                             limit=rules.REVOCATION_DELAY_SHOULD,
                             rule=rules.REVOCATION_DELAY_UPDATES, only=revocation)
    applies = rules.version_at(rules.REVOCATION_DELAY_UPDATES, window["observe_until"])
    applies = applies.where(f.index.isin(revocation), rules.NONE)
    return cadence.per_bug_3d(gaps, applies)


def measure(
    parsed: Any,
    bugs: pd.DataFrame,
    history: pd.DataFrame,
    as_of: pd.Timestamp,
    include_excluded: bool = False,
    site: str = BMO,
    stored: pd.DataFrame | None = None,
) -> Measured:
    """Every metric of methodology.md for one snapshot; excluded bugs dropped unless asked for.

    `site` is the Bugzilla the bugs came from (`common.site_of`): every evidence link points there.
    `stored` counts the comment and history rows held per bug (`fetched_parts`): a bug whose
    comments or history were not fetched gets unknown values, not "the CA did nothing".
    """
    as_of = pd.Timestamp(as_of)
    as_of = as_of.tz_localize("UTC") if as_of.tzinfo is None else as_of.tz_convert("UTC")
    fetched = fetched_parts(bugs, stored)
    base = _base(parsed, bugs, history, site, fetched)
    public = public_comments(parsed.comments)
    comments = questions.mark_questions(public)
    f = base.join(_times(base, comments))
    window = _window(f, as_of)
    states = promises.whiteboard_states(bugs, history)
    rows = {
        "questions": questions.find_questions(comments, f["t_resolved"], as_of, site),
        "promises": promises.find_promises(states, comments, f["t_resolved"], as_of, site),
        "update_gaps": cadence.find_gaps(comments, window, states, as_of, site),
        "action_items": action_items.find_items(public, f["t_resolved"], as_of, site),
    }
    known = {"questions": fetched["comments"], "update_gaps": fetched["comments"],
             "promises": fetched["comments"] & fetched["history"],
             "action_items": fetched["comments"]}
    rows = {name: frame.loc[known[name].reindex(frame["bug_id"].astype("int64")).to_numpy(bool)]
            for name, frame in rows.items()}
    result = f.assign(**_report_metrics(f, as_of, site))
    for summary in (questions.per_bug(rows["questions"]), cadence.per_bug(rows["update_gaps"]),
                    promises.per_bug(rows["promises"]),
                    action_items.per_bug(rows["action_items"]),
                    *_template_summary(parsed, public)):
        result = result.join(summary.set_axis(summary.index.astype("int64")))
    result = _fill_counts(result, fetched.reindex(result.index))
    result["questions_rule"] = result["questions_rule"].fillna(rules.NONE)
    result["cadence_rule"] = rules.version_at(rules.CADENCE, window["observe_until"])
    result = result.join(_revocation_cadence(f, comments, window, states, as_of, site))
    result["days_to_close"] = days(f["t_resolved"] - f["t_create"])
    result["closure_to_close_days"] = days(f["t_resolved"] - f["t_closure"])
    result["closure_evidence"] = evidence(pd.Series(f.index, index=f.index), f["closure_count"],
                                          site)
    rows["obligations"] = attention.obligations(attention.Context(
        bugs=result, comments=comments, questions=rows["questions"], promises=rows["promises"],
        gaps=rows["update_gaps"], action_items=rows["action_items"], states=states,
        parsed=parsed, as_of=as_of, site=site))

    if not include_excluded:
        result = result.loc[result["excluded"].isna().to_numpy()]
        rows = {name: frame.loc[frame["bug_id"].isin(result.index).to_numpy()]
                for name, frame in rows.items()}
    result = result.drop(columns=list(OVERRIDE_COLUMNS))
    result = result.assign(bug_id=result["bug_id"].astype("Int64")).reset_index(drop=True)
    return Measured(
        incidents=result, **{name: frame.reset_index(drop=True) for name, frame in rows.items()}
    )


COUNT_COLUMNS = (
    "questions", "questions_late", "questions_unanswered", "cadence_gaps_over_7d",
    "next_updates_set", "next_updates_kept", "next_updates_missed", "next_updates_pending",
    "next_updates_withdrawn", "action_items", "action_items_done", "action_items_overdue",
    "action_items_due", "action_items_on_time", "reports_template_outdated",
)
FLOAT_COLUMNS = ("question_worst_gap_days", "cadence_worst_gap_days")
TEXT_COLUMNS = ("question_worst_evidence", "cadence_evidence", "questions_rule")


def _fill_counts(frame: pd.DataFrame, fetched: pd.DataFrame) -> pd.DataFrame:
    """Zero counts for bugs with no question, gap or promise, `<NA>` where the comments (or, for
    promises, the history) were not fetched; typed columns even when empty."""
    comments, history = fetched["comments"].to_numpy(bool), fetched["history"].to_numpy(bool)
    for col in COUNT_COLUMNS:
        values = frame[col] if col in frame else pd.Series(0, index=frame.index)
        known = comments & history if col.startswith("next_updates") else comments
        frame[col] = values.fillna(0).astype("Int64").where(known)
    for col in FLOAT_COLUMNS:
        frame[col] = (frame[col] if col in frame else pd.Series(pd.NA, index=frame.index)).astype(
            "Float64"
        )
    for col in TEXT_COLUMNS:
        frame[col] = (frame[col] if col in frame else pd.Series(pd.NA, index=frame.index)).astype(
            "str"
        )
    return frame


def counts(incidents: pd.DataFrame, by: str | list[str] = "ca") -> pd.DataFrame:
    """Distinct bugs per group (`ca`, `year`, `category`, `resolution` or a list of them).

    Missing values form their own group (an unattributed CA, an open bug's resolution).
    """
    keys = [by] if isinstance(by, str) else list(by)
    unknown = [k for k in keys if k not in incidents.columns]
    if unknown:
        names = ", ".join(unknown)
        raise UsageError(f"cannot count by {names}; use ca, year, category or resolution")
    grouped = incidents.groupby(keys, dropna=False, sort=True)["bug_id"].nunique()
    return grouped.rename("incidents").reset_index()
