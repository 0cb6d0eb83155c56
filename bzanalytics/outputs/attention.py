"""The attention list as text, Markdown, JSON and HTML (pure: items in, text out)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from bzanalytics.metrics.attention import STATES
from bzanalytics.metrics.common import BMO, bug_url
from bzanalytics.outputs.html import css, esc, link, table
from bzanalytics.outputs.scorecard_format import SYNTHETIC_NOTE, records

DASH = "–"
STATE_LABELS = {"overdue": "overdue", "due_soon": "due soon", "new": "new"}


def as_json(items: pd.DataFrame) -> list[dict[str, Any]]:
    """A list of plain objects, one per item (times as ISO 8601 UTC, nulls for missing)."""
    return records(items)


def _when(value: Any) -> str:
    return DASH if pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d %H:%M}"


def _hours(value: Any) -> str:
    """"+12.5 h" overdue, "-3.0 h" still to go."""
    return DASH if pd.isna(value) else f"{float(value):+.1f} h"


def summary_line(items: pd.DataFrame, meta: dict[str, Any]) -> str:
    """"Attention as of …: N items (a overdue, b due soon, c new)"."""
    counts = items["state"].value_counts()
    parts = ", ".join(f"{int(counts.get(s, 0))} {STATE_LABELS[s]}" for s in STATES)
    scope = f" for {meta['ca']}" if meta.get("ca") else ""
    line = (f"Attention as of {_when(meta['as_of'])} UTC{scope}: {len(items)} items ({parts}); "
            f"due soon = within {meta['due_within_hours']:g} h, new = filed within "
            f"{meta['new_days']:g} days")
    if meta.get("grouping"):
        line += f"; CAs grouped by {meta['grouping']}"
    if meta.get("corrections"):
        line += f"; hand corrections applied (SHA-256 {meta['corrections'][:16]})"
    return line


def format_text(items: pd.DataFrame, meta: dict[str, Any]) -> str:
    """Two lines per item: state, hours, kind, bug, CA, due; then the summary and evidence."""
    lines = [SYNTHETIC_NOTE] if meta.get("synthetic") else []
    lines += [summary_line(items, meta), ""]
    for r in items.to_dict("records"):
        ca = r["ca"] if isinstance(r["ca"], str) else "(unattributed)"
        lines.append(f"{STATE_LABELS[r['state']]:<9} {_hours(r['hours_overdue']):>10}  "
                     f"{r['kind']:<22}  {r['bug_id']}  {ca}  due {_when(r['due'])}")
        note = f"; {r['note']}" if isinstance(r["note"], str) else ""
        lines.append(f"    {r['summary']}")
        lines.append(f"    since {_when(r['since'])}: {r['since_event']}{note}")
        lines.append(f"    {r['evidence']}  [{r['rule']}]")
    if items.empty:
        lines.append("Nothing needs attention.")
    return "\n".join(lines)


def _md(text: Any) -> str:
    return DASH if not isinstance(text, str) else text.replace("|", "\\|").replace("\n", " ")


def format_markdown(items: pd.DataFrame, meta: dict[str, Any]) -> str:
    """A Markdown table, bug numbers and starts of the clock linked to the snapshot's Bugzilla
    (`meta["site"]`)."""
    prefix = bug_url(meta.get("site", BMO))
    lines = [f"> **{SYNTHETIC_NOTE}**", ""] if meta.get("synthetic") else []
    lines += [f"**{summary_line(items, meta)}**", "",
              "| state | hours overdue | kind | bug | CA | summary | due (UTC) | since | rule |",
              "|---|---:|---|---|---|---|---|---|---|"]
    for r in items.to_dict("records"):
        since = f"[{_md(r['since_event'])}]({r['evidence']})" if isinstance(
            r["evidence"], str) else _md(r["since_event"])
        if isinstance(r["note"], str):
            since += f" ({_md(r['note'])})"
        lines.append(
            f"| {STATE_LABELS[r['state']]} | {_hours(r['hours_overdue'])} | `{r['kind']}` | "
            f"[{r['bug_id']}]({prefix}{r['bug_id']}) | {_md(r['ca'])} | {_md(r['summary'])} | "
            f"{_when(r['due'])} | {_when(r['since'])}: {since} | {_md(r['rule'])} |")
    return "\n".join(lines)


def attention_table(items: pd.DataFrame, ca_href: Any = None, site: str = BMO) -> str:
    """The items as an HTML table (already escaped); `ca_href(name)` links each CA name; only
    links to `site` are made."""
    def _link(url: Any, text: str) -> str:
        return link(url, text, site)

    rows = []
    for r in items.to_dict("records"):
        ca = r["ca"] if isinstance(r["ca"], str) else "(unattributed)"
        ca_cell = esc(ca)
        if ca_href is not None and isinstance(r["ca"], str):
            ca_cell = f'<a href="{esc(ca_href(ca))}">{esc(ca)}</a>'
        since = _link(r["evidence"], str(r["since_event"]))
        if isinstance(r["note"], str):
            since += f'<span class="reason">{esc(r["note"])}</span>'
        rows.append([
            f'<span class="state-{esc(r["state"])}">{esc(STATE_LABELS[r["state"]])}</span>',
            esc(_hours(r["hours_overdue"])), f"<code class=\"kind\">{esc(r['kind'])}</code>",
            _link(f"{bug_url(site)}{r['bug_id']}", str(r["bug_id"])), ca_cell,
            esc(str(r["summary"])),
            esc(_when(r["due"])), f"{esc(_when(r['since']))}: {since}",
            f'<span title="{esc(str(r["source"]))}">{esc(str(r["rule"]))}</span>',
        ])
    if not rows:
        return '<p class="empty">Nothing needs attention.</p>'
    return table([("state", False), ("hours overdue", True), ("kind", False), ("bug", False),
                   ("CA owner", False), ("summary", False), ("due (UTC)", False),
                   ("since", False), ("rule", False)], rows, scroll=True)


def render_page(items: pd.DataFrame, meta: dict[str, Any]) -> str:
    """A self-contained HTML page with the list (no scripts, no external files)."""
    banner = ('<div class="banner" role="alert"><strong>Synthetic sample — fictional CAs.'
              "</strong></div>") if meta.get("synthetic") else ""
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>bzanalytics attention — {esc(_when(meta['as_of']))} UTC</title>",
        f"<style>{css()}</style></head><body>", "<h1>What needs attention now</h1>", banner,
        f"<p>{esc(summary_line(items, meta))}</p>",
        attention_table(items, site=meta.get("site", BMO)),
        "<p>Rules and clocks: the project's <code>docs/methodology.md</code>, "
        "section “Attention”.</p>", "</body></html>", ""])
