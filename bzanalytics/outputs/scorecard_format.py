"""Text, CSV and JSON renderings of a scorecard and of one CA's incidents (no I/O)."""

from __future__ import annotations

import math
import textwrap
from typing import Any

import pandas as pd

from bzanalytics.metrics.aggregate import SMALL_SAMPLE

WIDTH = 100
SYNTHETIC_NOTE = "SYNTHETIC SAMPLE: fictional CAs and invented incidents, not real BMO data."
INCIDENT_COLUMNS = [
    "bug_id", "t_create", "status", "resolution", "excluded", "response_hours",
    "initial_report_hours", "initial_report_status", "initial_report_rule",
    "initial_report_evidence", "initial_report_reason", "full_report_days", "full_report_status",
    "full_report_rule", "full_report_evidence", "full_report_reason", "legacy_full_report_status",
    "questions", "questions_late", "question_worst_evidence", "cadence_gaps_over_7d",
    "cadence_evidence", "next_updates_set", "next_updates_missed", "days_to_close",
]


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in rec.items()} for rec in frame.to_dict("records")]


def as_json(card: pd.DataFrame, rows: pd.DataFrame | None, meta: dict[str, Any]) -> dict:
    """The scorecard (and one CA's incidents) as plain JSON values, nulls for missing."""
    out: dict[str, Any] = dict(meta) | {"scorecard": records(card)}
    if rows is not None:
        out["incidents"] = records(rows[INCIDENT_COLUMNS])
    return out


def _num(value: Any) -> str:
    """Whole numbers from 10 up, one decimal below: enough for hours and days at a glance."""
    if value is None or pd.isna(value):
        return "-"
    return f"{value:.0f}" if abs(value) >= 10 else f"{value:.1f}"


def _rate(met: int, n: int) -> str:
    return f"{met}/{n} {100 * met / n:.0f}%" if n else "-"


def _align(header: list[str], body: list[list[str]], first_max: int,
           width: int | None = WIDTH) -> list[str]:
    """Columns right-aligned except the first, which is cut to fit `width` characters."""
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    rest = sum(widths[1:]) + 2 * (len(widths) - 1)
    room = first_max if width is None else width - rest
    widths[0] = max(8, min(widths[0], first_max, room))

    def line(cells: list[str]) -> str:
        first = cells[0] if len(cells[0]) <= widths[0] else cells[0][: widths[0] - 1] + "…"
        parts = [first.ljust(widths[0])] + [c.rjust(w) for c, w in zip(cells[1:], widths[1:],
                                                                         strict=True)]
        return "  ".join(parts).rstrip()

    return [line(header), *(line(r) for r in body)]


def _ca_table(header: list[str], body: list[list[str]], full_names: bool) -> list[str]:
    """One CA per line: names cut to fit WIDTH, or whole (one CA asked for by --ca)."""
    if full_names:
        return _align(header, body, first_max=max((len(r[0]) for r in body), default=8),
                      width=None)
    return _align(header, body, first_max=40)


def scorecard_lines(card: pd.DataFrame, full_names: bool = False) -> list[str]:
    """The aligned scorecard table, one CA per line, `*` marking small samples; names are cut
    to fit 100 characters unless `full_names` (one CA asked for by --ca)."""
    header = ["CA owner", "bugs", "open", "resp h [CI]", "72h met", "no rep", "14d met",
              "Q late", "NU miss", "close"]
    body = []
    for r in card.to_dict("records"):
        unknown = r.get("not_fetched", 0) == r["incidents"]  # no comments: nothing observed
        ci = f"[{_num(r['response_ci_low'])}-{_num(r['response_ci_high'])}]"
        response = f"{_num(r['response_median_hours'])} {ci}" if r["response_n"] else "-"
        body.append([
            _name(r), str(r["incidents"]), str(r["open"]), response,
            _rate(r["initial_met"], r["initial_n"]), str(r["initial_no_report"]),
            _rate(r["full_met"], r["full_n"]),
            "-" if unknown else f"{r['questions_late']}/{r['questions']}",
            "-" if unknown else f"{r['next_updates_missed']}/{r['next_updates_set']}",
            _num(r["median_days_to_close"]),
        ])
    return _ca_table(header, body, full_names)


def _name(r: dict[str, Any]) -> str:
    return (("* " if r["small_sample"] else "") + str(r["ca"])
            + (" †" if isinstance(r.get("distrusted"), str) else ""))


def _share(r: dict[str, Any]) -> str:
    """"12/15 80% [55-93]": Action Items on time / due, the rate and its Wilson interval."""
    due = r.get("action_items_due", 0)
    if not due or pd.isna(due):
        return "-"
    low, high = r["action_items_ci_low"], r["action_items_ci_high"]
    return (f"{_rate(int(r['action_items_on_time']), int(due))} "
            f"[{100 * low:.0f}-{100 * high:.0f}]")


def commitment_lines(card: pd.DataFrame, full_names: bool = False) -> list[str]:
    """The second table (IRG 3.x): Action Items on time with the denominator and interval, open
    items overdue, outdated templates, and revocation-delay bugs' gaps over 3 and 7 days; one
    line per CA in the order of the first, aligned the same way."""
    header = ["CA owner", "AI on time [CI]", "AI overdue", "old tmpl", "revoc bugs",
              "gaps >3d/>7d"]
    body = []
    for r in card.to_dict("records"):
        unknown = r.get("not_fetched", 0) == r["incidents"]
        revoc = r.get("revocation_delay_bugs", 0)
        body.append([
            _name(r), "-" if unknown else _share(r),
            "-" if unknown else str(r.get("action_items_overdue", 0)),
            "-" if unknown else str(r.get("reports_template_outdated", 0)), str(revoc),
            f"{r['revocation_gaps_over_3d']}/{r['revocation_gaps_over_7d']}" if revoc else "-",
        ])
    return _ca_table(header, body, full_names)


def _status(status: str, value: Any, unit: str) -> str:
    return status if value is None or pd.isna(value) else f"{status} ({_num(value)} {unit})"


def _state(r: dict[str, Any]) -> str:
    return (r["resolution"] if isinstance(r["resolution"], str) else r["status"]) or "-"


def incident_lines(rows: pd.DataFrame) -> list[str]:
    """One CA's incidents, newest first: statuses on one line (the state column as wide as its
    longest value: WORKSFORME, UNCONFIRMED), the title, the raw prefix of an unattributed bug,
    then evidence links (or reasons)."""
    lines = []
    records = rows.sort_values(["t_create", "bug_id"], ascending=False).to_dict("records")
    state_width = max([9, *(len(_state(r)) for r in records)])
    for r in records:
        state = _state(r)
        lines.append(
            f"{r['bug_id']}  {r['t_create']:%Y-%m-%d}  {state:<{state_width}}  "
            f"72h {_status(r['initial_report_status'], r['initial_report_hours'], 'h')}  "
            f"14d {_status(r['full_report_status'], r['full_report_days'], 'd')}  "
            f"Q late {r['questions_late']}/{r['questions']}  "
            f"NU miss {r['next_updates_missed']}/{r['next_updates_set']}"
        )
        if isinstance(r.get("summary"), str):
            lines.append(f"    {r['summary']}")
        if not isinstance(r.get("ca"), str):
            raw = r.get("ca_raw")
            shown = raw if isinstance(raw, str) else "(none)"
            lines.append(f"    unattributed, summary prefix: {shown}")
        for label, key in (("72h", "initial_report"), ("14d", "full_report")):
            link, reason = r[f"{key}_evidence"], r[f"{key}_reason"]
            shown = link if isinstance(link, str) else reason
            if isinstance(shown, str):
                lines.append(f"    {label}: {shown}")
        for label, key in (("worst question", "question_worst_evidence"),
                           ("worst update gap", "cadence_evidence")):
            if isinstance(r[key], str):
                lines.append(f"    {label}: {r[key]}")
    return lines


def format_text(card: pd.DataFrame, rows: pd.DataFrame | None, meta: dict[str, Any]) -> str:
    """The whole text output: a synthetic banner when needed, the table, a legend, incidents."""
    scope = f"bugs filed since {meta['since']}" if meta["since"] else "all bugs"
    if not meta["include_excluded"]:
        scope += "; INVALID, DUPLICATE and [meta] bugs left out"
    lines = [SYNTHETIC_NOTE] if meta["synthetic"] else []
    lines += [f"Scorecard as of {meta['as_of'][:16].replace('T', ' ')} UTC ({scope})"]
    if meta.get("grouping"):
        lines.append(f"Grouped by {meta['grouping']}.")
    lines.append("")
    lines += scorecard_lines(card, full_names=rows is not None)
    lines += [
        "",
        *textwrap.wrap(
            "resp h: median hours to the CA's first comment on bugs others filed [95% bootstrap "
            "CI]. 72h/14d met: met/(met+missed) and rate. no rep: past the 72-hour deadline "
            "without any report (not in the rate). Q late: questions answered after 7 days / "
            "all. NU miss: Next update dates missed / set. close: median days to close. "
            f"* fewer than {SMALL_SAMPLE} incidents with a 72-hour status.", WIDTH),
        "",
        *commitment_lines(card, full_names=rows is not None),
        "",
        *textwrap.wrap(
            "AI on time: Action Items completed by their first due date / items due, rate [95% "
            "Wilson CI]. AI overdue: open items past their latest due date. old tmpl: reports on "
            "a template superseded more than 30 days before they were posted (from 2025-07-15). "
            "revoc bugs: revocation-delay bugs under the IRG 3.0 3-day SHOULD; gaps >3d/>7d: "
            "their uncovered update gaps over 3 days / over 7 days.", WIDTH),
    ]
    marked = [r for r in card.to_dict("records") if isinstance(r.get("distrusted"), str)]
    if marked:
        lines += textwrap.wrap("† distrusted by a root program (effective date): " + "; ".join(
            f"{r['ca']}: {r['distrusted']}" for r in marked), WIDTH)
    not_fetched = int(card["not_fetched"].sum()) if "not_fetched" in card else 0
    if not_fetched:
        lines += [f"{not_fetched:,} incidents have no comments in this snapshot (metadata only):",
                  "their response, deadlines, questions and updates are unknown, not counted."]
    if rows is not None:
        lines += ["", f"Incidents ({len(rows)}):", *incident_lines(rows)]
        if rows.empty:
            lines.append(f"    none: {_no_match(meta)}")
    return "\n".join(lines)


def _no_match(meta: dict[str, Any]) -> str:
    """Why a --ca listing is empty, in words (the CA exists; only its bugs are missing)."""
    if str(meta.get("ca") or "").strip("() ").casefold() == "unattributed":
        what = "every bug in this snapshot is attributed to a CA"
    else:
        what = "this CA has no bugs in this snapshot"
    if meta.get("since"):
        what = f"no bug of this selection was filed on or after {meta['since']}"
    return what
