"""Figures for the report and the notebooks: each function takes frames and returns a Figure.

The figures are built with matplotlib's object-oriented API on a bare `Figure` (no pyplot, no
backend, no global state), so the library never decides how figures are shown; callers save or
display them. Every figure states its sample sizes (n=) and shows an interval wherever a number is
estimated: Wilson intervals for rates, bootstrap intervals for medians. Colours are the Okabe–Ito
palette, safe for colour-blind readers and in greyscale print.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from bzanalytics.metrics.aggregate import UNATTRIBUTED
from bzanalytics.metrics.stats import bootstrap_median_ci, wilson_interval

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
CATEGORY_COLOURS = tuple(
    OKABE_ITO[name]
    for name in ("blue", "orange", "bluish_green", "vermillion", "sky_blue", "reddish_purple")
)
OTHER_COLOUR = "#B0B0B0"

# Outcome order for stacked shares: good first, then bad, then the ones we cannot score.
STATUS_ORDER = ("met", "missed", "no_report", "unknown_awareness", "unknown_data", "pending")
STATUS_COLOURS = {
    "met": OKABE_ITO["bluish_green"],
    "missed": OKABE_ITO["vermillion"],
    "no_report": OKABE_ITO["reddish_purple"],
    "unknown_awareness": OKABE_ITO["sky_blue"],
    "unknown_data": OKABE_ITO["blue"],
    "pending": OTHER_COLOUR,
}
STATUS_LABELS = {
    "met": "met",
    "missed": "missed",
    "no_report": "no report",
    "unknown_awareness": "unknown (awareness)",
    "unknown_data": "unknown (no comments)",
    "pending": "pending",
}

# IRG 2.0 took effect for bugs created from this day; earlier bugs are `not_applicable`.
IRG2_EFFECTIVE = pd.Timestamp("2023-10-17", tz="UTC")

STYLE = {
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "figure.dpi": 100,
}
SIZE = (7.5, 4.5)
NOTE_SIZE = 8.5
NOTE_COLOUR = "#444444"

P = ParamSpec("P")


def _styled(func: Callable[P, Figure]) -> Callable[P, Figure]:
    """Create the figure under STYLE without leaving rcParams changed behind."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Figure:
        with matplotlib.rc_context(STYLE):
            return func(*args, **kwargs)

    return wrapper


def _new_figure(height: float = SIZE[1]) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(SIZE[0], height), layout="constrained")
    return fig, fig.add_subplot()


def _note(ax: Axes, text: str) -> None:
    """A small caption under the axes: sample sizes and what was left out."""
    ax.figure.supxlabel(text, x=0.01, ha="left", fontsize=NOTE_SIZE, color=NOTE_COLOUR)


def _no_data(ax: Axes, what: str) -> None:
    ax.text(0.5, 0.5, f"no {what} in this snapshot", transform=ax.transAxes,
            ha="center", va="center", color=NOTE_COLOUR)
    ax.set_xticks([])
    ax.set_yticks([])


def _floats(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _ca_names(incidents: pd.DataFrame) -> pd.Series:
    return incidents["ca"].astype("str").fillna(UNATTRIBUTED)


def _hours_axis(ax: Axes, axis: str) -> None:
    """Log-scaled hours with readable ticks (1 h, 1 day, 1 week, ...) inside the data's range."""
    ticks = [1 / 6, 1, 6, 24, 72, 168, 720, 8760]
    labels = ["10 min", "1 h", "6 h", "1 d", "3 d", "1 wk", "30 d", "1 yr"]
    set_scale, get_lim, set_lim, set_ticks = (
        (ax.set_xscale, ax.get_xlim, ax.set_xlim, ax.set_xticks) if axis == "x"
        else (ax.set_yscale, ax.get_ylim, ax.set_ylim, ax.set_yticks))
    set_scale("log")
    low, high = get_lim()
    inside = [(t, label) for t, label in zip(ticks, labels, strict=True) if low <= t <= high]
    set_ticks([t for t, _ in inside], [label for _, label in inside])
    set_lim(low, high)
    ax.minorticks_off()


def _clip_positive(values: np.ndarray, floor: float) -> tuple[np.ndarray, int]:
    """Log axes cannot show 0: raise values below `floor` to it and say how many."""
    low = values < floor
    return np.where(low, floor, values), int(low.sum())


def partial_year(as_of: pd.Timestamp | None) -> int | None:
    """The year of `as_of` when the snapshot ends before that year does (None at a year's
    first instant, or without as_of): its bars and rows hold only part of a year."""
    if as_of is None or pd.isna(as_of):
        return None
    stamp = pd.Timestamp(as_of)
    return None if (stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second,
                    stamp.microsecond) == (1, 1, 0, 0, 0, 0) else stamp.year


def year_label(year: int, as_of: pd.Timestamp | None) -> str:
    """"2026*" for the partial year, else "2026"."""
    return f"{year}*" if year == partial_year(as_of) else str(year)


def _partial_note(years: object, as_of: pd.Timestamp | None) -> str:
    """"; * 2026 is partial (to 2026-11-01)" when a shown year is the partial one."""
    year = partial_year(as_of)
    if year is None or year not in {int(y) for y in years}:  # type: ignore[attr-defined]
        return ""
    return f"; * {year} is partial (to {pd.Timestamp(as_of):%Y-%m-%d})"


# --------------------------------------------------------------------------- counts


def _top_with_other(labels: pd.Series, top: int) -> tuple[list[str], pd.Series]:
    """The `top` most frequent labels (ties by name); the rest become 'other'."""
    counts = labels.value_counts()
    counts = counts.sort_index().sort_values(ascending=False, kind="stable")
    keep = list(counts.index[:top])
    folded = labels.where(labels.isin(keep), "other")
    return keep, folded


@_styled
def incidents_per_year(incidents: pd.DataFrame, top_categories: int = 6,
                       as_of: pd.Timestamp | None = None) -> Figure:
    """Bars of distinct incidents per year of filing, stacked by category (top N + 'other');
    with `as_of`, the partial year is marked "*"."""
    fig, ax = _new_figure()
    ax.set_title("Incidents per year, by category")
    ax.set_xlabel("year the bug was filed")
    ax.set_ylabel("incidents (bugs)")
    if incidents.empty:
        _no_data(ax, "incidents")
        return fig
    categories = incidents["category"].astype("str").fillna("uncategorized")
    keep, folded = _top_with_other(categories, top_categories)
    order = keep + (["other"] if (folded == "other").any() else [])
    table = (
        pd.crosstab(incidents["year"].astype("int64"), folded)
        .reindex(columns=order, fill_value=0)
    )
    years = table.index.to_numpy()
    bottom = np.zeros(len(years))
    for i, category in enumerate(order):
        colour = OTHER_COLOUR if category == "other" else CATEGORY_COLOURS[i % 6]
        heights = table[category].to_numpy(dtype=float)
        ax.bar(years, heights, bottom=bottom, color=colour, label=category, width=0.8)
        bottom += heights
    for year, total in zip(years, bottom, strict=True):
        ax.text(year, total, f"{int(total)}", ha="center", va="bottom", fontsize=NOTE_SIZE)
    span = range(int(years.min()), int(years.max()) + 1)
    if len(span) <= 16:
        ax.set_xticks(list(span), [year_label(y, as_of) for y in span])
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, bottom.max() * 1.1)
    ax.legend(title="category", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _note(ax, f"n={len(incidents):,} incidents; totals above bars{_partial_note(years, as_of)}")
    return fig


@_styled
def incidents_per_ca(incidents: pd.DataFrame, top: int = 15) -> Figure:
    """Horizontal bars of incidents per CA owner: the top N, then one bar for all others."""
    names = _ca_names(incidents)
    keep, folded = _top_with_other(names, top)
    counts = folded.value_counts()
    rows = [(name, int(counts[name])) for name in keep]
    if (folded == "other").any():
        others = names[~names.isin(keep)].nunique()
        rows.append((f"other ({others} CAs)", int(counts["other"])))
    fig, ax = _new_figure(height=max(3.0, 0.28 * len(rows) + 1.6))
    ax.set_title("Incidents per CA owner")
    ax.set_xlabel("incidents (bugs)")
    if not rows:
        _no_data(ax, "incidents")
        return fig
    labels = [name for name, _ in rows][::-1]
    values = [count for _, count in rows][::-1]
    colours = [OTHER_COLOUR if name.startswith("other (") else OKABE_ITO["blue"]
               for name in labels]
    bars = ax.barh(labels, values, color=colours)
    ax.bar_label(bars, padding=2, fontsize=NOTE_SIZE)
    ax.set_xlim(0, max(values) * 1.12)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _note(ax, f"n={len(incidents):,} incidents, {names.nunique()} CA owners; "
              "counts are not a quality ranking")
    return fig


# --------------------------------------------------------------------------- response time

RESPONSE_FLOOR_HOURS = 1 / 60


def _response_values(incidents: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame({
        "year": incidents["year"].astype("Int64"),
        "ca": _ca_names(incidents),
        "hours": _floats(incidents["response_hours"]),
    })
    return frame[frame["hours"].notna()]


@_styled
def response_time_ecdf(incidents: pd.DataFrame) -> Figure:
    """Share of third-party-filed incidents whose CA had answered within a given time."""
    data = _response_values(incidents)
    fig, ax = _new_figure()
    ax.set_title("Time to the CA's first comment (third-party-filed bugs)")
    ax.set_xlabel("time from bug filed to first CA comment (log scale)")
    ax.set_ylabel("share of incidents answered")
    if data.empty:
        _no_data(ax, "measured response times")
        return fig
    values, clipped = _clip_positive(np.sort(data["hours"].to_numpy()), RESPONSE_FLOOR_HOURS)
    shares = np.arange(1, len(values) + 1) / len(values)
    ax.step(values, shares, where="post", color=OKABE_ITO["blue"], linewidth=1.8)
    median = float(np.median(data["hours"]))
    low, high = bootstrap_median_ci(data["hours"].to_numpy())
    ax.axvspan(max(low, RESPONSE_FLOOR_HOURS), max(high, RESPONSE_FLOOR_HOURS),
               color=OKABE_ITO["sky_blue"], alpha=0.3, linewidth=0, label="95 % CI of median")
    ax.axvline(max(median, RESPONSE_FLOOR_HOURS), color=OKABE_ITO["black"], linestyle="--",
               linewidth=1, label=f"median {_fmt_hours(median)}")
    _hours_axis(ax, "x")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower right")
    excluded = len(incidents) - len(data)
    note = (f"n={len(data):,} incidents with a measured response; {excluded:,} excluded "
            "(self-filed or no CA comment)")
    if clipped:
        note += f"; {clipped} under 1 min drawn at 1 min"
    _note(ax, note)
    return fig


@_styled
def response_time_by_year(incidents: pd.DataFrame, as_of: pd.Timestamp | None = None) -> Figure:
    """Box plot per filing year of the time to the first CA comment, on a log scale; with
    `as_of`, the partial year is marked "*"."""
    data = _response_values(incidents)
    fig, ax = _new_figure()
    ax.set_title("Time to the CA's first comment, by year")
    ax.set_xlabel("year the bug was filed")
    ax.set_ylabel("time to first CA comment (log scale)")
    if data.empty:
        _no_data(ax, "measured response times")
        return fig
    years = sorted(int(y) for y in data["year"].unique())
    groups = [_clip_positive(data.loc[data["year"] == y, "hours"].to_numpy(),
                             RESPONSE_FLOOR_HOURS)[0] for y in years]
    ax.boxplot(
        groups, positions=range(len(years)), widths=0.6, patch_artist=True,
        boxprops={"facecolor": OKABE_ITO["sky_blue"], "edgecolor": OKABE_ITO["black"]},
        medianprops={"color": OKABE_ITO["black"], "linewidth": 1.8},
        flierprops={"marker": ".", "markersize": 4, "markerfacecolor": NOTE_COLOUR,
                    "markeredgecolor": NOTE_COLOUR},
    )
    _hours_axis(ax, "y")
    ax.set_xticks(range(len(years)), [f"{year_label(y, as_of)}\nn={len(g)}" for y, g in
                                       zip(years, groups, strict=True)])
    _note(ax, f"n={len(data):,} third-party-filed incidents with a CA comment; boxes: quartiles, "
              f"whiskers: 1.5 IQR{_partial_note(years, as_of)}")
    return fig


def _fmt_hours(hours: float) -> str:
    if hours < 1:
        return f"{hours * 60:.0f} min"
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} d"


@_styled
def median_response_per_ca(incidents: pd.DataFrame, min_n: int = 3, top: int = 20) -> Figure:
    """Median response time per CA with a 95 % bootstrap interval (CAs with >= min_n values)."""
    data = _response_values(incidents)
    grouped = data.groupby("ca")["hours"]
    sizes = grouped.size()
    eligible = sizes[sizes >= min_n].sort_index().sort_values(ascending=False, kind="stable")
    chosen = list(eligible.index[:top])
    rows = []
    for ca in chosen:
        values = data.loc[data["ca"] == ca, "hours"].to_numpy()
        low, high = bootstrap_median_ci(values)
        rows.append((ca, len(values), float(np.median(values)), low, high))
    rows.sort(key=lambda row: (row[2], row[0]), reverse=True)
    fig, ax = _new_figure(height=max(3.0, 0.3 * len(rows) + 1.6))
    ax.set_title("Median time to the CA's first comment, per CA")
    ax.set_xlabel("median time to first CA comment, 95 % bootstrap CI (log scale)")
    if not rows:
        _no_data(ax, f"CA with at least {min_n} measured responses")
        return fig
    positions = np.arange(len(rows))
    medians = np.array([max(r[2], RESPONSE_FLOOR_HOURS) for r in rows])
    lows = np.array([max(r[3], RESPONSE_FLOOR_HOURS) for r in rows])
    highs = np.array([max(r[4], RESPONSE_FLOOR_HOURS) for r in rows])
    ax.errorbar(medians, positions, xerr=[medians - lows, highs - medians], fmt="o",
                color=OKABE_ITO["blue"], ecolor=OKABE_ITO["sky_blue"], elinewidth=2.5,
                capsize=0, markersize=5)
    ax.set_yticks(positions, [f"{r[0]} (n={r[1]})" for r in rows])
    _hours_axis(ax, "x")
    ax.axvline(72, color=NOTE_COLOUR, linestyle=":", linewidth=1)
    shown = sum(r[1] for r in rows)
    _note(ax, f"n={shown:,} incidents over {len(rows)} CAs with at least {min_n} measured "
              f"responses (of {len(data)} measured in all)")
    return fig


# --------------------------------------------------------------------------- deadlines


def _since_rule(incidents: pd.DataFrame, column: str) -> pd.Series:
    status = incidents[column].astype("str")
    return status[status.notna() & (status != "not_applicable")]


@_styled
def status_by_year(incidents: pd.DataFrame, column: str = "initial_report_status",
                   title: str = "Initial report within 72 hours of awareness",
                   as_of: pd.Timestamp | None = None) -> Figure:
    """100 % stacked bars of a deadline's statuses per year, counts written in each segment.

    Bugs for which the rule was not in force (`not_applicable`) are left out, so the first bar
    starts when the rule took effect. With `as_of`, the partial year is marked "*".
    """
    status = _since_rule(incidents, column)
    years = incidents.loc[status.index, "year"].astype("int64")
    fig, ax = _new_figure()
    ax.set_title(title)
    ax.set_xlabel("year the bug was filed")
    ax.set_ylabel("share of incidents")
    if status.empty:
        _no_data(ax, "incidents under this rule")
        return fig
    table = pd.crosstab(years, status)
    order = [s for s in STATUS_ORDER if s in table.columns]
    order += sorted(set(table.columns) - set(order))
    table = table[order]
    totals = table.sum(axis=1).to_numpy(dtype=float)
    positions = np.arange(len(table))
    bottom = np.zeros(len(table))
    for name in order:
        counts = table[name].to_numpy(dtype=float)
        shares = counts / totals
        ax.bar(positions, shares, bottom=bottom, width=0.7,
               color=STATUS_COLOURS.get(name, OKABE_ITO["yellow"]),
               label=STATUS_LABELS.get(name, name))
        for x, (count, share, base) in enumerate(zip(counts, shares, bottom, strict=True)):
            if count and share >= 0.06:
                ax.text(x, base + share / 2, f"{int(count)}", ha="center", va="center",
                        fontsize=NOTE_SIZE, color="white" if name in ("missed", "met",
                                                                    "no_report") else "black")
        bottom += shares
    ax.set_xticks(positions, [f"{year_label(y, as_of)}\nn={int(t)}" for y, t in
                              zip(table.index, totals, strict=True)])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _note(ax, f"n={int(totals.sum()):,} incidents filed since {IRG2_EFFECTIVE:%Y-%m-%d} "
              f"(IRG 2.0); numbers in bars are counts{_partial_note(table.index, as_of)}")
    return fig


@_styled
def met_rate_per_ca(incidents: pd.DataFrame, column: str = "initial_report_status",
                    title: str = "72-hour initial report: met rate per CA",
                    min_n: int = 1, top: int = 20) -> Figure:
    """met / (met + missed) per CA with a 95 % Wilson interval; unknowns are not in the rate."""
    status = _since_rule(incidents, column)
    scored = pd.DataFrame({"ca": _ca_names(incidents).loc[status.index], "status": status})
    scored = scored[scored["status"].isin(["met", "missed"])]
    table = pd.crosstab(scored["ca"], scored["status"]).reindex(
        columns=["met", "missed"], fill_value=0)
    table["n"] = table["met"] + table["missed"]
    table = table[table["n"] >= min_n]
    table = table.sort_index().sort_values("n", ascending=False, kind="stable").head(top)
    table["rate"] = table["met"] / table["n"]
    table = table.reset_index().sort_values(["rate", "ca"], ascending=[True, False])
    fig, ax = _new_figure(height=max(3.0, 0.3 * len(table) + 1.6))
    ax.set_title(title)
    ax.set_xlabel("met rate = met / (met + missed), 95 % Wilson CI")
    if table.empty:
        _no_data(ax, "scored incidents")
        return fig
    intervals = [wilson_interval(int(k), int(n))
                 for k, n in zip(table["met"], table["n"], strict=True)]
    rates = table["rate"].to_numpy(dtype=float)
    lows = np.array([lo for lo, _ in intervals])
    highs = np.array([hi for _, hi in intervals])
    positions = np.arange(len(table))
    ax.errorbar(rates, positions, xerr=[rates - lows, highs - rates], fmt="o",
                color=OKABE_ITO["bluish_green"], ecolor="#8fd3bf", elinewidth=2.5, capsize=0,
                markersize=5)
    ax.set_yticks(positions, [f"{ca} ({int(k)}/{int(n)})" for ca, k, n in
                              zip(table["ca"], table["met"], table["n"], strict=True)])
    ax.set_xlim(-0.02, 1.02)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    unscored = len(status) - len(scored)
    _note(ax, f"n={int(table['n'].sum()):,} scored incidents, labels show met/scored; "
              f"{unscored} not scored (no report, unknown, pending)")
    return fig


@_styled
def days_to_close(incidents: pd.DataFrame) -> Figure:
    """ECDF of days from filing to resolution for resolved bugs; open bugs counted in the note."""
    days = _floats(incidents["days_to_close"])
    resolved = np.sort(days[~np.isnan(days)])
    fig, ax = _new_figure()
    ax.set_title("Time from filing to resolution")
    ax.set_xlabel("days from bug filed to resolved (log scale)")
    ax.set_ylabel("share of resolved incidents")
    if resolved.size == 0:
        _no_data(ax, "resolved incidents")
        return fig
    values, clipped = _clip_positive(resolved, 0.1)
    shares = np.arange(1, values.size + 1) / values.size
    ax.step(values, shares, where="post", color=OKABE_ITO["orange"], linewidth=1.8)
    median = float(np.median(resolved))
    low, high = bootstrap_median_ci(resolved)
    ax.axvspan(max(low, 0.1), max(high, 0.1), color=OKABE_ITO["yellow"], alpha=0.4,
               linewidth=0, label="95 % CI of median")
    ax.axvline(max(median, 0.1), color=OKABE_ITO["black"], linestyle="--", linewidth=1,
               label=f"median {median:.0f} days")
    ax.set_xscale("log")
    low, high = ax.get_xlim()
    ticks = [t for t in (1, 3, 7, 14, 30, 90, 180, 365, 730, 1825) if low <= t <= high]
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.set_xlim(low, high)
    ax.minorticks_off()
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower right")
    still_open = len(incidents) - resolved.size
    note = f"n={resolved.size:,} resolved incidents; {still_open:,} not resolved (not shown)"
    if clipped:
        note += f"; {clipped} under 0.1 day drawn at 0.1"
    _note(ax, note)
    return fig


# --------------------------------------------------------------------------- one CA


def _against(ax: Axes, others: np.ndarray, value: float, low: float, high: float,
             colour: str) -> None:
    """The other CAs' values as grey dots (spread by rank) and a box; this CA above them."""
    others = np.sort(others[~np.isnan(others)])
    if others.size:
        spread = np.linspace(-0.18, 0.18, others.size) if others.size > 1 else np.zeros(1)
        ax.boxplot([others], positions=[0], orientation="horizontal", widths=0.5, showfliers=False,
                   boxprops={"color": OTHER_COLOUR}, whiskerprops={"color": OTHER_COLOUR},
                   capprops={"color": OTHER_COLOUR}, medianprops={"color": NOTE_COLOUR})
        ax.plot(others, spread, "o", color=OTHER_COLOUR, markersize=4)
    if not np.isnan(value):
        ax.errorbar([value], [1], xerr=[[value - low], [high - value]], fmt="o", color=colour,
                    ecolor=colour, elinewidth=2.5, capsize=0, markersize=7)
    else:
        ax.text(0.5, 0.8, "not measured", transform=ax.transAxes, ha="center",
                color=NOTE_COLOUR, fontsize=NOTE_SIZE)
    ax.set_ylim(-0.6, 1.6)


@_styled
def ca_against_others(scorecard: pd.DataFrame, ca: str) -> Figure:
    """One CA's median response time and 72-hour and 14-day met rates (with their 95 %
    intervals) above the distribution of every other CA's value (`metrics.scorecard` rows)."""
    fig = Figure(figsize=(SIZE[0], 3.0), layout="constrained")
    axes = fig.subplots(1, 3, sharey=True)
    fig.suptitle(f"{ca} against the other CAs", fontsize=12, fontweight="bold")
    row = scorecard.loc[scorecard["ca"] == ca]
    rest = scorecard.loc[(scorecard["ca"] != ca) & (scorecard["ca"] != UNATTRIBUTED)]
    mine = row.iloc[0] if len(row) else None

    def value(name: str, floor: float | None = None) -> float:
        if mine is None or pd.isna(mine[name]):
            return np.nan
        return float(mine[name]) if floor is None else max(float(mine[name]), floor)

    response = _floats(rest.loc[rest["response_n"] > 0, "response_median_hours"])
    _against(axes[0], np.maximum(response, RESPONSE_FLOOR_HOURS),
             *(value(f"response_{k}", RESPONSE_FLOOR_HOURS)
               for k in ("median_hours", "ci_low", "ci_high")), OKABE_ITO["blue"])
    _hours_axis(axes[0], "x")
    n = 0 if mine is None else int(mine["response_n"])
    axes[0].set_title(f"median response (n={n})", fontsize=9)
    for ax, prefix, label in ((axes[1], "initial", "72-hour met rate"),
                              (axes[2], "full", "14-day met rate")):
        rates = _floats(rest.loc[rest[f"{prefix}_n"] > 0, f"{prefix}_met_rate"])
        _against(ax, rates, value(f"{prefix}_met_rate"), value(f"{prefix}_ci_low"),
                 value(f"{prefix}_ci_high"), OKABE_ITO["bluish_green"])
        ax.set_xlim(-0.02, 1.02)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        met = 0 if mine is None else int(mine[f"{prefix}_met"])
        scored = 0 if mine is None else int(mine[f"{prefix}_n"])
        ax.set_title(f"{label} ({met}/{scored})", fontsize=9)
    axes[0].set_yticks([0, 1], [f"other CAs\n({len(rest)})", ca[:18]])
    fig.supxlabel("grey: one dot per other CA, box = their quartiles; colour: this CA with a 95 % "
                  "interval\n(bootstrap for the median, Wilson for rates)", x=0.01, ha="left",
                  fontsize=NOTE_SIZE, color=NOTE_COLOUR)
    return fig


# --------------------------------------------------------------------------- attention

STATE_COLOURS = {"overdue": OKABE_ITO["vermillion"], "due_soon": OKABE_ITO["orange"],
                 "new": OKABE_ITO["sky_blue"]}
STATE_LABELS = {"overdue": "overdue", "due_soon": "due soon", "new": "new"}


def _stacked_states(ax: Axes, table: pd.DataFrame) -> None:
    """Horizontal bars per row of `table` (columns: states), stacked, totals at the ends."""
    positions = np.arange(len(table))
    left = np.zeros(len(table))
    for state in ("overdue", "due_soon", "new"):
        if state not in table:
            continue
        widths = table[state].to_numpy(dtype=float)
        ax.barh(positions, widths, left=left, color=STATE_COLOURS[state],
                label=STATE_LABELS[state], height=0.7)
        left += widths
    for y, total in zip(positions, left, strict=True):
        ax.text(total, y, f" {int(total)}", va="center", fontsize=NOTE_SIZE)
    ax.set_yticks(positions, list(table.index))
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max(left.max(), 1) * 1.15)
    ax.legend(loc="lower right")


@_styled
def attention_by_kind(items: pd.DataFrame) -> Figure:
    """Attention items per kind, stacked by state (overdue, due soon, new)."""
    from bzanalytics.metrics.attention import KINDS

    fig, ax = _new_figure(height=3.6)
    ax.set_title("What needs attention, by kind")
    ax.set_xlabel("items (one per open bug and obligation)")
    if items.empty:
        _no_data(ax, "attention items")
        return fig
    table = pd.crosstab(items["kind"], items["state"]).reindex(
        index=[k.name for k in KINDS], fill_value=0)
    _stacked_states(ax, table)
    _note(ax, f"n={len(items):,} items on {items['bug_id'].nunique():,} open bugs")
    return fig


@_styled
def attention_per_ca(items: pd.DataFrame, top: int = 15) -> Figure:
    """Attention items per CA owner (the top N by items), stacked by state."""
    names = _ca_names(items) if len(items) else pd.Series([], dtype="str")
    fig, ax = _new_figure(height=max(3.0, 0.3 * min(top, names.nunique()) + 1.6))
    ax.set_title("What needs attention, per CA")
    ax.set_xlabel("items (one per open bug and obligation)")
    if items.empty:
        _no_data(ax, "attention items")
        return fig
    table = pd.crosstab(names, items["state"])
    order = table.sum(axis=1).sort_index().sort_values(ascending=False, kind="stable")
    table = table.loc[order.index[:top]]
    _stacked_states(ax, table)
    left_out = len(order) - len(table)
    _note(ax, f"n={len(items):,} items; {len(table)} CAs shown"
              + (f", {left_out} more not shown" if left_out else ""))
    return fig
