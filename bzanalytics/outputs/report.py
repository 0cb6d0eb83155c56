"""The HTML report: one self-contained file (figures as data URIs, no scripts) plus figure files.

`render_html` is pure (frames and metadata in, text out), so tests check the page without disk
or browser; `write_report` does the I/O for a snapshot. Output is deterministic for a given
snapshot and matplotlib version: the SVG hash salt is fixed and no dates are embedded.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
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
from bzanalytics.parse.ca import distrust_label
from bzanalytics.snapshot.outdir import replaced_whole

SVG_SALT = "bzanalytics"
PNG_DPI = 150
DASH = "–"


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the report: its file name, the section it belongs to and its caption."""

    name: str
    section: str
    caption: str
    draw: Callable[[pd.DataFrame], Figure]


SECTIONS = (
    ("counts", "Incident counts"),
    ("response", "Response speed"),
    ("initial", "Initial report within 72 hours"),
    ("full", "Full report within 14 days"),
    ("close", "Time to close"),
)

FIGURES = (
    FigureSpec("incidents_per_year", "counts",
               "Distinct incidents per year of filing, stacked by Whiteboard category.",
               plots.incidents_per_year),
    FigureSpec("incidents_per_ca", "counts",
               "Incidents per CA owner (top 15, then all others). Counts are not a quality "
               "ranking: CAs that report their own problems have more bugs.",
               plots.incidents_per_ca),
    FigureSpec("response_time_ecdf", "response",
               "Time from a third-party bug being filed to the CA's first comment. Self-filed "
               "bugs have no response time.",
               plots.response_time_ecdf),
    FigureSpec("response_time_by_year", "response",
               "The same response times per year of filing.", plots.response_time_by_year),
    FigureSpec("median_response_per_ca", "response",
               "Median response time per CA with a 95 % bootstrap interval; CAs with at least "
               "3 measured responses. The dotted line marks 72 hours.",
               plots.median_response_per_ca),
    FigureSpec("initial_report_status_by_year", "initial",
               "Status of the 72-hour initial-report rule (IRG 2.0 from 2023-10-17, IRG 3.0 "
               "from 2025-03-01) per year of filing; bugs filed before the rule are left out.",
               plots.status_by_year),
    FigureSpec("initial_report_met_rate_per_ca", "initial",
               "72-hour met rate per CA with a 95 % Wilson interval; incidents whose status is "
               "unknown, pending or without a report are not in the rate.",
               plots.met_rate_per_ca),
    FigureSpec("full_report_status_by_year", "full",
               "Status of the 14-day full-report rule per year of filing.",
               lambda frame: plots.status_by_year(
                   frame, "full_report_status", "Full report within 14 days of awareness")),
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
    def content_hash(self) -> str: ...


# --------------------------------------------------------------------------- figures


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """PNG (150 dpi) or SVG (text as paths) bytes that do not change between runs."""
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": SVG_SALT, "svg.fonttype": "path"}):
        fig.savefig(buffer, format=fmt, metadata=metadata, dpi=PNG_DPI)
    return buffer.getvalue()


def draw_figures(incidents: pd.DataFrame) -> dict[str, Figure]:
    return {spec.name: spec.draw(incidents) for spec in FIGURES}


# --------------------------------------------------------------------------- html pieces

esc = html.escape


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and value != value)


def _num(value: Any, digits: int = 1) -> str:
    return DASH if _missing(value) else f"{float(value):,.{digits}f}"


def _int(value: Any) -> str:
    return DASH if _missing(value) else f"{int(value):,}"


def _pct(value: Any) -> str:
    return DASH if _missing(value) else f"{100 * float(value):.0f} %"


def _link(url: Any, text: str, site: str) -> str:
    """A link to the snapshot's own Bugzilla only: anything else is shown as plain text."""
    if isinstance(url, str) and url.startswith(bug_url(site)):
        return f'<a href="{esc(url)}">{esc(text)}</a>'
    return esc(text)


def _table(headers: Iterable[tuple[str, bool]], rows: Iterable[Iterable[str]],
           scroll: bool = False) -> str:
    """Rows are already-escaped HTML cells; headers are (label, numeric) pairs."""
    headers = list(headers)
    head = "".join(f'<th class="num">{esc(h)}</th>' if num else f"<th>{esc(h)}</th>"
                   for h, num in headers)
    body = []
    for row in rows:
        cells = "".join(f'<td class="num">{c}</td>' if num else f"<td>{c}</td>"
                        for c, (_, num) in zip(row, headers, strict=True))
        body.append(f"<tr>{cells}</tr>")
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    return f'<div class="scroll">{table}</div>' if scroll else table


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


AGGREGATE_HEADERS = [
    ("incidents", True), ("open", True), ("median response", True), ("72-hour met", True),
    ("14-day met", True), ("questions late / asked", True), ("Next updates missed / set", True),
    ("median days to close", True),
]


def _aggregate_cells(row: pd.Series) -> list[str]:
    return [
        _int(row["incidents"]), _int(row["open"]), _median_cell(row),
        _rate_cell(row, "initial"), _rate_cell(row, "full"),
        f"{_int(row['questions_late'])} / {_int(row['questions'])}",
        f"{_int(row['next_updates_missed'])} / {_int(row['next_updates_set'])}",
        _num(row["median_days_to_close"]),
    ]


def scorecard_table(scorecard: pd.DataFrame) -> str:
    """Per-CA rates with counts and Wilson/bootstrap intervals; small samples flagged."""
    rows = []
    for _, row in scorecard.iterrows():
        small = not _missing(row["small_sample"]) and bool(row["small_sample"])
        flag = ' <span class="small">small sample</span>' if small else ""
        mark = row.get("distrusted")
        if not _missing(mark):
            flag += f' <span class="small">distrusted: {esc(str(mark))}</span>'
        rows.append([esc(str(row["ca"])) + flag, *_aggregate_cells(row)])
    return _table([("CA owner", False), *AGGREGATE_HEADERS], rows)


def trends_table(trends: pd.DataFrame) -> str:
    rows = [[esc(str(row["year"])), *_aggregate_cells(row)] for _, row in trends.iterrows()]
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


def incidents_table(incidents: pd.DataFrame, site: str = BMO) -> str:
    """One row per bug; each status links to the comment that decided it (its evidence)."""
    ordered = incidents.sort_values("bug_id", ascending=False, kind="stable")
    rows = []
    for _, row in ordered.iterrows():
        bug = int(row["bug_id"])
        response = _num(row["response_hours"])
        if _missing(row["response_hours"]) and not _missing(row.get("response_reason")):
            response = f'<span class="reason">{esc(str(row["response_reason"]))}</span>'
        elif not _missing(row["response_hours"]):
            response = _link(row.get("response_evidence"), response, site)
        ca, raw = row["ca"], row.get("ca_raw")
        if _missing(ca):
            ca = "(unattributed)" if _missing(raw) else f"(unattributed: {raw})"
        rows.append([
            _link(f"{bug_url(site)}{bug}", str(bug), site), esc(str(ca)), esc(str(row["year"])),
            esc(str(row["category"])), response,
            _status_cell(row, "initial_report", site), _status_cell(row, "full_report", site),
            _num(row["days_to_close"]),
        ])
    return _table([("bug", False), ("CA owner", False), ("year", False), ("category", False),
                   ("response (h)", True), ("72-hour report", False),
                   ("14-day report", False), ("days to close", True)], rows, scroll=True)


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


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def render_html(incidents: pd.DataFrame, scorecard: pd.DataFrame, trends: pd.DataFrame,
                meta: ReportMeta, svgs: dict[str, bytes],
                corrections: pd.DataFrame | None = None) -> str:
    """The whole page. `svgs` maps each FIGURES name to its SVG bytes; `corrections` lists
    the hand corrections applied (None when there are none)."""
    assets = resources.files("bzanalytics.outputs").joinpath("report_assets")
    css = assets.joinpath("report.css").read_text("utf-8")
    cas = incidents["ca"].dropna().nunique()
    as_of = pd.Timestamp(meta.as_of).tz_convert("UTC")
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>bzanalytics report — {esc(as_of.strftime('%Y-%m-%d'))}</title>",
        f"<style>{css}</style></head><body>",
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
        "Rules apply by the bug's creation date; counts are of distinct bugs.</p>",
    ]
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
        '<h2 id="trends">Per year</h2>', trends_table(trends),
        '<h2 id="scorecard">Scorecard per CA owner</h2>',
        "<p>Rates are met / (met + missed) with 95 % Wilson intervals; medians with 95 % "
        "bootstrap intervals. <span class=\"small\">small sample</span> marks CAs with fewer "
        "than 5 scored 72-hour incidents.</p>",
        scorecard_table(scorecard),
        '<h2 id="incidents">Incidents and their evidence</h2>',
        "<p>Each status links to the comment it was measured from; the bug number links to the "
        f"bug on {esc(meta.site)}.</p>",
        incidents_table(incidents, meta.site),
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
    """Write `out_dir/report.html` and every figure as PNG and SVG under `out_dir/figures/`.

    `group_by` (`owner` or `current-owner`) decides which owner every per-CA table and figure
    uses; `distrusted="exclude"` leaves owners distrusted by a root program out. The folder is
    written whole (`snapshot.outdir`): a failed or interrupted run leaves an earlier report as
    it was.
    """
    out_dir = Path(out_dir)
    if pd.isna(snapshot.as_of):
        raise UsageError(f"{source} holds no bugs yet: run `bzanalytics sync` or "
                         "`bzanalytics import` first")
    fixes = getattr(snapshot, "corrections", None)
    incidents = regroup(snapshot.incidents(), group_by)
    if distrusted == "exclude":
        marked = incidents["ca"].map(lambda name: distrust_label(name) is not None)
        incidents = incidents.loc[~marked.astype(bool).to_numpy()]
    meta = ReportMeta(as_of=pd.Timestamp(snapshot.as_of), content_hash=snapshot.content_hash(),
                      synthetic=bool(snapshot.is_synthetic), source=source, site=snapshot.site,
                      warnings=tuple(snapshot.warnings()),
                      comments=len(snapshot.comments()), grouping=GROUPING_LABELS[group_by],
                      corrections_file=None if fixes is None else fixes.path.name,
                      corrections_sha256=None if fixes is None else fixes.sha256)
    svgs: dict[str, bytes] = {}
    paths: list[Path] = []
    card = snapshot.scorecard(group_by=group_by, distrusted=distrusted)
    with replaced_whole(out_dir, "report.html") as tmp:
        (tmp / "figures").mkdir()
        for name, fig in draw_figures(incidents).items():
            svgs[name] = figure_bytes(fig, "svg")
            for fmt, data in (("png", figure_bytes(fig, "png")), ("svg", svgs[name])):
                (tmp / "figures" / f"{name}.{fmt}").write_bytes(data)
                paths.append(out_dir / "figures" / f"{name}.{fmt}")
        page = render_html(incidents, card, snapshot.trends(), meta, svgs,
                           None if fixes is None else fixes.frame())
        (tmp / "report.html").write_text(page, encoding="utf-8")
    html_path = out_dir / "report.html"
    return ReportResult(html_path=html_path, figure_paths=tuple(paths),
                        incidents=len(incidents), cas=int(incidents["ca"].dropna().nunique()))
