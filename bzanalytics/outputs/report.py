"""The HTML report: one self-contained folder (figures as data URIs) with a page per CA.

The main page opens with what needs attention now; its incidents table can be filtered by a
small inline script, and shows every row without it.

`render_html` is pure (frames and metadata in, text out), so tests check the page without disk
or browser; `write_report` does the I/O for a snapshot. Output is deterministic for a given
snapshot and matplotlib version: the SVG hash salt is fixed and no dates are embedded.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from bzanalytics import __version__
from bzanalytics.errors import UsageError
from bzanalytics.metrics.aggregate import GROUPING_LABELS, regroup
from bzanalytics.metrics.common import BMO, bug_url
from bzanalytics.outputs import plots
from bzanalytics.outputs.html import (
    DASH,
    css,
    data_uri,
    esc,
    link,
    missing,
    num,
    pct,
    slug,
    table,
    whole,
)
from bzanalytics.parse.ca import distrust_label
from bzanalytics.snapshot.outdir import replaced_whole

SVG_SALT = "bzanalytics"
PNG_DPI = 150


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the report: its file name, the section it belongs to and its caption."""

    name: str
    section: str
    caption: str
    draw: Callable[..., Figure]
    per_year: bool = False  # drawn with the snapshot's as_of, so the partial year is marked


SECTIONS = (
    ("counts", "Incident counts"),
    ("response", "Response speed"),
    ("initial", "Initial report within 72 hours"),
    ("full", "Full report within 14 days"),
    ("close", "Time to close"),
)

FIGURES = (
    FigureSpec("incidents_per_year", "counts",
               "Distinct incidents per year of filing, stacked by Whiteboard category; * marks "
               "the partial current year.",
               plots.incidents_per_year, per_year=True),
    FigureSpec("incidents_per_ca", "counts",
               "Incidents per CA owner (top 15, then all others). Counts are not a quality "
               "ranking: CAs that report their own problems have more bugs.",
               plots.incidents_per_ca),
    FigureSpec("response_time_ecdf", "response",
               "Time from a third-party bug being filed to the CA's first comment. Self-filed "
               "bugs have no response time.",
               plots.response_time_ecdf),
    FigureSpec("response_time_by_year", "response",
               "The same response times per year of filing; * marks the partial current year.",
               plots.response_time_by_year, per_year=True),
    FigureSpec("median_response_per_ca", "response",
               "Median response time per CA with a 95 % bootstrap interval; CAs with at least "
               "3 measured responses. The dotted line marks 72 hours.",
               plots.median_response_per_ca),
    FigureSpec("initial_report_status_by_year", "initial",
               "Status of the 72-hour initial-report rule (IRG 2.0 from 2023-10-17, IRG 3.0 "
               "from 2025-03-01) per year of filing; bugs filed before the rule are left out; "
               "* marks the partial current year.",
               plots.status_by_year, per_year=True),
    FigureSpec("initial_report_met_rate_per_ca", "initial",
               "72-hour met rate per CA with a 95 % Wilson interval; incidents whose status is "
               "unknown, pending or without a report are not in the rate.",
               plots.met_rate_per_ca),
    FigureSpec("full_report_status_by_year", "full",
               "Status of the 14-day full-report rule per year of filing; * marks the partial "
               "current year.",
               lambda frame, as_of=None: plots.status_by_year(
                   frame, "full_report_status", "Full report within 14 days of awareness",
                   as_of=as_of), per_year=True),
    FigureSpec("days_to_close", "close",
               "Days from filing to resolution, for resolved incidents.", plots.days_to_close),
)


@dataclass(frozen=True)
class ReportMeta:
    """What the report says about its input, so a reader can cite and reproduce it."""

    as_of: pd.Timestamp
    content_hash: str
    synthetic: bool
    source: str
    comments: int | None = None  # public comments in the snapshot; 0 means metadata only
    site: str = BMO  # the Bugzilla the bugs came from: the only site the page links to
    warnings: tuple[str, ...] = ()  # an unfinished sync, skipped data (`Snapshot.warnings`)
    version: str = __version__
    grouping: str = GROUPING_LABELS["owner"]
    corrections_file: str | None = None
    corrections_sha256: str | None = None


@dataclass(frozen=True)
class ReportResult:
    html_path: Path
    figure_paths: tuple[Path, ...]
    incidents: int
    cas: int
    ca_pages: tuple[Path, ...] = ()


class SnapshotLike(Protocol):
    """The part of `bzanalytics.snapshot.frames.Snapshot` the report reads."""

    as_of: Any
    is_synthetic: bool
    site: str

    def warnings(self) -> list[str]: ...

    def incidents(self) -> pd.DataFrame: ...
    def comments(self) -> pd.DataFrame: ...
    def scorecard(self, *, group_by: str = ..., distrusted: str = ...) -> pd.DataFrame: ...
    def trends(self) -> pd.DataFrame: ...
    def attention(self) -> pd.DataFrame: ...
    def content_hash(self) -> str: ...


# --------------------------------------------------------------------------- figures


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """PNG (150 dpi) or SVG (text as paths) bytes that do not change between runs."""
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": SVG_SALT, "svg.fonttype": "path"}):
        fig.savefig(buffer, format=fmt, metadata=metadata, dpi=PNG_DPI)
    return buffer.getvalue()


def draw_figures(incidents: pd.DataFrame, as_of: Any = None) -> dict[str, Figure]:
    return {spec.name: spec.draw(incidents, as_of=as_of) if spec.per_year else
            spec.draw(incidents) for spec in FIGURES}


# --------------------------------------------------------------------------- html pieces

_missing, _num, _int, _pct, _link, _table = missing, num, whole, pct, link, table


def ca_cell(name: Any, ca_href: Callable[[str], str] | None) -> str:
    """A CA name, linked to its page when `ca_href` is given (escaped)."""
    if not isinstance(name, str):
        return esc(str(name))
    if ca_href is None:
        return esc(name)
    return f'<a href="{esc(ca_href(name))}">{esc(name)}</a>'


def _rate_cell(row: pd.Series, prefix: str) -> str:
    """"33 % (5/15)" with its Wilson interval and, when any, the incidents without a report."""
    n, no_report = row[f"{prefix}_n"], row.get(f"{prefix}_no_report")
    if _missing(n) or int(n) == 0:
        cell = DASH
    else:
        low, high = row[f"{prefix}_ci_low"], row[f"{prefix}_ci_high"]
        cell = (f"{_pct(row[f'{prefix}_met_rate'])} ({_int(row[f'{prefix}_met'])}/{_int(n)})"
                f'<span class="reason">95 % CI {_pct(low).removesuffix(" %")}–{_pct(high)}'
                "</span>")
    if not _missing(no_report) and int(no_report) > 0:
        cell += f'<span class="reason">{_int(no_report)} no report</span>'
    return cell


def _median_cell(row: pd.Series) -> str:
    if _missing(row["response_median_hours"]):
        return DASH
    return (f"{_num(row['response_median_hours'])} h (n={_int(row['response_n'])})"
            f'<span class="reason">95 % CI {_num(row["response_ci_low"])}–'
            f"{_num(row['response_ci_high'])} h</span>")


def _share_cell(row: pd.Series) -> str:
    """"80 % (12/15)": Action Items completed by their first due date / items due, with the
    Wilson interval, and the open items past their due date."""
    due, overdue = row.get("action_items_due"), row.get("action_items_overdue")
    if _missing(due) or int(due) == 0:
        cell = DASH
    else:
        low, high = row["action_items_ci_low"], row["action_items_ci_high"]
        cell = (f"{_pct(row['action_items_on_time_rate'])} ({_int(row['action_items_on_time'])}"
                f"/{_int(due)})<span class=\"reason\">95 % CI "
                f"{_pct(low).removesuffix(' %')}–{_pct(high)}</span>")
    if not _missing(overdue) and int(overdue) > 0:
        cell += f'<span class="reason">{_int(overdue)} overdue</span>'
    return cell


def _revocation_cell(row: pd.Series) -> str:
    """Revocation-delay bugs' update gaps over 3 days / over 7 days, and how many bugs."""
    bugs = row.get("revocation_delay_bugs")
    if _missing(bugs) or int(bugs) == 0:
        return DASH
    return (f"{_int(row['revocation_gaps_over_3d'])} / {_int(row['revocation_gaps_over_7d'])}"
            f'<span class="reason">{_int(bugs)} bug{"s" if int(bugs) != 1 else ""}</span>')


AGGREGATE_HEADERS = [
    ("incidents", True), ("open", True), ("median response", True), ("72-hour met", True),
    ("14-day met", True), ("questions late / asked", True), ("Next updates missed / set", True),
    ("Action Items on time / due", True), ("outdated templates", True),
    ("revocation delay: gaps > 3 d / > 7 d", True), ("median days to close", True),
]


def _aggregate_cells(row: pd.Series) -> list[str]:
    return [
        _int(row["incidents"]), _int(row["open"]), _median_cell(row),
        _rate_cell(row, "initial"), _rate_cell(row, "full"),
        f"{_int(row['questions_late'])} / {_int(row['questions'])}",
        f"{_int(row['next_updates_missed'])} / {_int(row['next_updates_set'])}",
        _share_cell(row), _int(row.get("reports_template_outdated")), _revocation_cell(row),
        _num(row["median_days_to_close"]),
    ]


def scorecard_table(scorecard: pd.DataFrame, ca_href: Callable[[str], str] | None = None) -> str:
    """Per-CA rates with counts and Wilson/bootstrap intervals; small samples flagged; each CA
    linked to its page when `ca_href` is given."""
    rows = []
    for _, row in scorecard.iterrows():
        small = not _missing(row["small_sample"]) and bool(row["small_sample"])
        flag = ' <span class="small">small sample</span>' if small else ""
        mark = row.get("distrusted")
        if not _missing(mark):
            flag += f' <span class="small">distrusted: {esc(str(mark))}</span>'
        name = row["ca"] if row["ca"] != "(unattributed)" else None
        cell = ca_cell(name, ca_href) if name else esc(str(row["ca"]))
        rows.append([cell + flag, *_aggregate_cells(row)])
    return _table([("CA owner", False), *AGGREGATE_HEADERS], rows)


def year_cell(year: Any, as_of: Any) -> str:
    """The year, and "partial: to <as_of date>" for the year the snapshot ends in."""
    if not _missing(year) and int(year) == plots.partial_year(as_of):
        return (f'{esc(str(year))}<span class="reason partial">partial: to '
                f"{pd.Timestamp(as_of):%Y-%m-%d}</span>")
    return esc(str(year))


def trends_table(trends: pd.DataFrame, as_of: Any = None) -> str:
    """The aggregates per year of filing; the partial current year says so."""
    rows = [[year_cell(row["year"], as_of), *_aggregate_cells(row)]
            for _, row in trends.iterrows()]
    return _table([("year", False), *AGGREGATE_HEADERS], rows)


# the hand-correctable fields a status depends on (methodology.md, Corrections)
_DEPENDS_ON = {
    "initial_report": ("awareness_time", "initial_report", "self_filed"),
    "full_report": ("awareness_time", "full_report", "self_filed"),
}


def _corrected_mark(row: pd.Series, name: str) -> str:
    fields = [f for f in _DEPENDS_ON.get(name, ()) if row.get(f"{f}_source") == "corrected"]
    if not fields:
        return ""
    note = row.get("correction_notes")
    title = f' title="{esc(str(note))}"' if not _missing(note) else ""
    return f' <span class="corrected"{title}>corrected: {esc(", ".join(fields))}</span>'


def _status_cell(row: pd.Series, name: str, site: str) -> str:
    status = row[f"{name}_status"]
    if _missing(status):
        return DASH
    text = _link(row.get(f"{name}_evidence"), str(status), site)
    reason = row.get(f"{name}_reason")
    note = "" if _missing(reason) else f'<span class="reason">{esc(str(reason))}</span>'
    return f'<span class="{esc(str(status))}">{text}</span>{note}{_corrected_mark(row, name)}'


def corrections_table(corrections: pd.DataFrame, site: str = BMO) -> str:
    """Every hand correction applied, with its evidence link, note and author."""
    rows = [[_link(f"{bug_url(site)}{int(r['bug_id'])}", str(int(r["bug_id"])), site),
             esc(str(r["field"])), esc(str(r["value"])), _link(r["evidence"], "evidence", site),
             esc("" if _missing(r["note"]) else str(r["note"])),
             esc("" if _missing(r["by"]) else str(r["by"]))]
            for _, r in corrections.iterrows()]
    return _table([("bug", False), ("field", False), ("value", False), ("evidence", False),
                   ("note", False), ("by", False)], rows)


def _bug_state(row: pd.Series) -> str:
    if _missing(row.get("t_resolved")):
        return "open"
    resolution = row.get("resolution")
    return f"resolved {resolution}" if not _missing(resolution) else "resolved"


def incidents_table(incidents: pd.DataFrame, ca_href: Callable[[str], str] | None = None,
                    table_id: str | None = None, site: str = BMO) -> str:
    """One row per bug, newest first, with its title; each status links to the comment that
    decided it (its evidence). Rows carry `data-ca`, `data-status` and `data-year` for the
    report's filter script (`|` separates a row's several status values)."""
    ordered = incidents.assign(_t=incidents["t_create"]).sort_values(
        ["_t", "bug_id"], ascending=False, kind="stable")
    rows, attrs = [], []
    for _, row in ordered.iterrows():
        bug = int(row["bug_id"])
        response = _num(row["response_hours"])
        if _missing(row["response_hours"]) and not _missing(row.get("response_reason")):
            response = f'<span class="reason">{esc(str(row["response_reason"]))}</span>'
        elif not _missing(row["response_hours"]):
            response = _link(row.get("response_evidence"), response, site)
        ca, raw = row["ca"], row.get("ca_raw")
        name = None if _missing(ca) else str(ca)
        if name is None:
            ca_text = esc("(unattributed)" if _missing(raw) else f"(unattributed: {raw})")
        else:
            ca_text = ca_cell(name, ca_href)
        state = _bug_state(row)
        statuses = [state, *(f"{label}: {row[f'{key}_status']}" for label, key in
                             (("72h", "initial_report"), ("14d", "full_report"))
                             if not _missing(row.get(f"{key}_status")))]
        title = row.get("summary")
        rows.append([
            _link(f"{bug_url(site)}{bug}", str(bug), site),
            esc("" if _missing(title) else str(title)),
            ca_text, esc(str(row["year"])), esc(state), esc(str(row["category"])), response,
            _status_cell(row, "initial_report", site), _status_cell(row, "full_report", site),
            _num(row["days_to_close"]),
        ])
        attrs.append(f'data-ca="{esc(name or "(unattributed)")}" '
                     f'data-status="{esc("|".join(statuses))}" data-year="{esc(str(row["year"]))}"')
    return _table([("bug", False), ("title", False), ("CA owner", False), ("year", False),
                   ("status", False), ("category", False), ("response (h)", True),
                   ("72-hour report", False), ("14-day report", False),
                   ("days to close", True)], rows, scroll=True, row_attrs=attrs,
                  table_id=table_id)


#: Filters for the incidents table, built by the script itself so a page read without scripts
#: shows no dead controls, only every row. A filter can be preset by the address:
#: report.html#ca=Name&status=open&year=2025.
FILTER_SCRIPT = """<script>
(() => {
  const table = document.getElementById("incidents-table");
  if (!table) return;
  const rows = [...table.tBodies[0].rows];
  const keys = ["ca", "status", "year"];
  const form = document.createElement("form");
  form.className = "filters";
  form.setAttribute("aria-label", "filter the incidents");
  const chosen = new URLSearchParams(location.hash.slice(1));
  const selects = {};
  for (const key of keys) {
    const values = new Set();
    rows.forEach(r => (r.dataset[key] || "").split("|").forEach(v => v && values.add(v)));
    const label = document.createElement("label");
    label.append(key + " ");
    const select = document.createElement("select");
    select.name = key;
    select.add(new Option("all", ""));
    [...values].sort().forEach(v => select.add(new Option(v, v)));
    if (values.has(chosen.get(key))) select.value = chosen.get(key);
    label.append(select);
    form.append(label, " ");
    selects[key] = select;
  }
  const shown = document.createElement("output");
  form.append(shown);
  const apply = () => {
    let n = 0;
    for (const r of rows) {
      const keep = keys.every(k => !selects[k].value ||
        (r.dataset[k] || "").split("|").includes(selects[k].value));
      r.hidden = !keep;
      n += keep;
    }
    shown.textContent = `${n} of ${rows.length} incidents`;
    document.body.dataset.shownIncidents = n;
  };
  form.addEventListener("change", apply);
  table.closest(".scroll").before(form);
  apply();
})();
</script>"""


def _banners(meta: ReportMeta) -> str:
    parts = []
    if meta.synthetic:
        parts.append('<div class="banner" role="alert"><strong>Synthetic sample — fictional '
                     "CAs.</strong> Every CA, person and bug in this report was generated by "
                     "bzanalytics' synthetic corpus; the numbers describe no real certificate "
                     "authority.</div>")
    if meta.comments == 0:
        parts.append('<div class="banner" role="alert"><strong>No comments in this '
                     "snapshot.</strong> It holds bug metadata only, so response times and "
                     "report deadlines cannot be measured: they show as unknown (comments not "
                     "fetched), never as missed. Sync with comments to measure them.</div>")
    for note in meta.warnings:
        head, _, rest = note.partition(": ")
        parts.append(f'<div class="banner" role="alert"><strong>{esc(head.capitalize())}'
                     f"{':' if rest else '.'}</strong> {esc(rest)}</div>")
    return "\n".join(parts)


_data_uri = data_uri


def ca_pages_href(incidents: pd.DataFrame, prefix: str = "ca/") -> Callable[[str], str]:
    """The link to each CA's page (`ca/<slug>.html`); `prefix` "" from inside `ca/`."""
    return lambda name: f"{prefix}{slug(name)}.html"


def attention_section(attention: pd.DataFrame, as_of: pd.Timestamp,
                      ca_href: Callable[[str], str] | None, site: str = BMO) -> list[str]:
    """The "Attention now" section: the list of `bzanalytics attention` at the snapshot's as-of."""
    from bzanalytics.outputs.attention import attention_table, summary_line

    line = summary_line(attention, {"as_of": as_of, "due_within_hours": 48, "new_days": 7})
    return [
        '<h2 id="attention">Attention now</h2>',
        f"<p>{esc(line)}. Each open bug and obligation whose deadline has passed or comes within "
        "48 hours, most urgent first; <em>since</em> links to the comment that started the "
        "clock. Rules: <code>docs/methodology.md</code>, “Attention”; the same list is "
        "<code>bzanalytics attention</code>.</p>",
        attention_table(attention, ca_href, site),
    ]


def render_html(incidents: pd.DataFrame, scorecard: pd.DataFrame, trends: pd.DataFrame,
                meta: ReportMeta, svgs: dict[str, bytes],
                corrections: pd.DataFrame | None = None, attention: pd.DataFrame | None = None,
                ca_pages: bool = False) -> str:
    """The whole page. `svgs` maps each FIGURES name to its SVG bytes; `corrections` lists
    the hand corrections applied (None when there are none); `attention` (the snapshot's
    attention list) opens the page; with `ca_pages`, CA names link to `ca/`."""
    cas = incidents["ca"].dropna().nunique()
    as_of = pd.Timestamp(meta.as_of).tz_convert("UTC")
    href = ca_pages_href(incidents) if ca_pages else None
    year = plots.partial_year(as_of)
    partial = (f" {year} is a partial year (to {as_of:%Y-%m-%d}): its counts and rates cover "
               "only part of it, and are marked so in every per-year table and figure."
               if year is not None else "")
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>bzanalytics report — {esc(as_of.strftime('%Y-%m-%d'))}</title>",
        f"<style>{css()}</style></head><body>",
        "<h1>How CAs handle incidents: Bugzilla CA compliance bugs</h1>",
        _banners(meta),
        '<dl class="meta">',
        f"<dt>Snapshot as of</dt><dd>{esc(as_of.strftime('%Y-%m-%d %H:%M'))} UTC</dd>",
        f"<dt>Content hash</dt><dd><code>{esc(meta.content_hash)}</code></dd>",
        f"<dt>Source</dt><dd>{esc(meta.source)}</dd>",
        f"<dt>CA grouping</dt><dd>{esc(meta.grouping)}</dd>",
        "" if meta.corrections_sha256 is None else
        f"<dt>Corrections</dt><dd><code>{esc(str(meta.corrections_file))}</code>, SHA-256 "
        f"<code>{esc(meta.corrections_sha256)}</code> (applied before every metric; listed "
        'under <a href="#corrections">Corrections</a>)</dd>',
        f"<dt>Incidents</dt><dd>{len(incidents):,} bugs, {cas:,} CA owners "
        "(invalid, duplicate and [meta] bugs excluded)</dd>",
        "" if meta.comments is None else f"<dt>Comments</dt><dd>{meta.comments:,} public</dd>",
        f"<dt>Tool</dt><dd>bzanalytics {esc(meta.version)}</dd>",
        "</dl>",
        "<p>Definitions of every number are in the project's <code>docs/methodology.md</code>. "
        f"Rules apply by the bug's creation date; counts are of distinct bugs.{esc(partial)}</p>",
    ]
    if attention is not None:
        parts += attention_section(attention, as_of, href, meta.site)
    for key, title in SECTIONS:
        parts.append(f'<h2 id="{key}">{esc(title)}</h2>')
        for spec in FIGURES:
            if spec.section == key:
                parts.append(
                    f'<figure id="fig-{spec.name}"><img src="{_data_uri(svgs[spec.name])}" '
                    f'alt="{esc(spec.caption)}"><figcaption>{esc(spec.caption)} '
                    f'Files: <code>figures/{spec.name}.png</code>, '
                    f"<code>figures/{spec.name}.svg</code>.</figcaption></figure>")
    parts += [
        '<h2 id="trends">Per year</h2>', trends_table(trends, as_of),
        '<h2 id="scorecard">Scorecard per CA owner</h2>',
        "<p>Rates are met / (met + missed) with 95 % Wilson intervals; medians with 95 % "
        "bootstrap intervals. <span class=\"small\">small sample</span> marks CAs with fewer "
        "than 5 scored 72-hour incidents."
        + (" Each CA name opens its own page." if ca_pages else "") + "</p>",
        scorecard_table(scorecard, href),
        '<h2 id="incidents">Incidents and their evidence</h2>',
        "<p>Newest first. Each status links to the comment it was measured from; the bug number "
        f"links to the bug on {esc(meta.site)}. With scripts on, the table can be filtered "
        "by CA, status and year (or by the address: <code>report.html#ca=…&amp;status=open"
        "&amp;year=…</code>); without them every incident is listed.</p>",
        incidents_table(incidents, href, table_id="incidents-table", site=meta.site),
        FILTER_SCRIPT,
        "" if corrections is None else '<h2 id="corrections">Corrections</h2>'
        f"<p>{len(corrections)} hand correction(s) from <code>{esc(str(meta.corrections_file))}"
        f"</code> (SHA-256 <code>{esc(str(meta.corrections_sha256))}</code>) were applied before "
        "any metric was computed; statuses that depend on one are marked "
        '<span class="corrected">corrected</span>.</p>' + corrections_table(corrections, meta.site),
        f"<footer>Generated by bzanalytics {esc(meta.version)} from snapshot "
        f"<code>{esc(meta.content_hash[:16])}</code>"
        + ("" if meta.corrections_sha256 is None else
           f" with corrections <code>{esc(meta.corrections_sha256[:16])}</code>") + ".</footer>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


# --------------------------------------------------------------------------- I/O


def write_report(snapshot: SnapshotLike, out_dir: Path, *, source: str, group_by: str = "owner",
                 distrusted: str = "mark") -> ReportResult:
    """Write `out_dir/report.html`, one page per CA under `out_dir/ca/`, and every figure as
    PNG and SVG under `out_dir/figures/`.

    `group_by` (`owner` or `current-owner`) decides which owner every per-CA table and figure
    uses; `distrusted="exclude"` leaves owners distrusted by a root program out. The folder is
    written whole (`snapshot.outdir`): a failed or interrupted run leaves an earlier report as
    it was.
    """
    from bzanalytics.outputs.ca_pages import write_ca_pages

    out_dir = Path(out_dir)
    if pd.isna(snapshot.as_of):
        raise UsageError(f"{source} holds no bugs yet: run `bzanalytics sync` or "
                         "`bzanalytics import` first")
    fixes = getattr(snapshot, "corrections", None)
    incidents = regroup(snapshot.incidents(), group_by)
    if distrusted == "exclude":
        marked = incidents["ca"].map(lambda name: distrust_label(name) is not None)
        incidents = incidents.loc[~marked.astype(bool).to_numpy()]
    as_of = pd.Timestamp(snapshot.as_of)
    meta = ReportMeta(as_of=as_of, content_hash=snapshot.content_hash(),
                      synthetic=bool(snapshot.is_synthetic), source=source, site=snapshot.site,
                      warnings=tuple(snapshot.warnings()),
                      comments=len(snapshot.comments()), grouping=GROUPING_LABELS[group_by],
                      corrections_file=None if fixes is None else fixes.path.name,
                      corrections_sha256=None if fixes is None else fixes.sha256)
    svgs: dict[str, bytes] = {}
    paths: list[Path] = []
    card = snapshot.scorecard(group_by=group_by, distrusted=distrusted)
    attention = snapshot.attention()
    with replaced_whole(out_dir, "report.html") as tmp:
        (tmp / "figures").mkdir()
        (tmp / "ca").mkdir()
        for name, fig in draw_figures(incidents, as_of).items():
            svgs[name] = figure_bytes(fig, "svg")
            for fmt, data in (("png", figure_bytes(fig, "png")), ("svg", svgs[name])):
                (tmp / "figures" / f"{name}.{fmt}").write_bytes(data)
                paths.append(out_dir / "figures" / f"{name}.{fmt}")
        page = render_html(incidents, card, snapshot.trends(), meta, svgs,
                           None if fixes is None else fixes.frame(), attention=attention,
                           ca_pages=True)
        (tmp / "report.html").write_text(page, encoding="utf-8")
        written = write_ca_pages(tmp / "ca", incidents, attention, card, meta)
        ca_paths = [out_dir / "ca" / Path(p).name for p in written]
    html_path = out_dir / "report.html"
    return ReportResult(html_path=html_path, figure_paths=tuple(paths),
                        incidents=len(incidents), cas=int(incidents["ca"].dropna().nunique()),
                        ca_pages=tuple(ca_paths))
