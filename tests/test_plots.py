"""Figures: the numbers drawn equal counts worked out by hand from `report_helpers.ROWS`."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from bzanalytics.outputs import plots
from tests.report_helpers import incidents_frame

matplotlib.use("Agg")


def _texts(fig: Figure) -> str:
    """Every piece of text on the figure (titles, labels, ticks, annotations, legend)."""
    return "\n".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


def _bars_by_label(ax) -> dict[str, list[float]]:
    return {c.get_label(): [p.get_height() for p in c.patches] for c in ax.containers}


def test_incidents_per_year_stacks_counts_by_category():
    fig = plots.incidents_per_year(incidents_frame(), top_categories=2)
    ax = fig.axes[0]
    bars = _bars_by_label(ax)
    # years 2022, 2024, 2025, 2026
    assert bars == {
        "misissuance": [2, 1, 2, 1],
        "revocation-delay": [0, 1, 1, 0],
        "other": [0, 1, 1, 0],
    }
    assert [p.get_x() + p.get_width() / 2 for p in ax.containers[0].patches] == [
        2022, 2024, 2025, 2026]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "2022", "2023", "2024", "2025", "2026"]  # an empty year keeps its tick
    assert ax.get_title() == "Incidents per year, by category"
    assert ax.get_ylabel() == "incidents (bugs)"
    assert "n=10 incidents" in _texts(fig)


def test_incidents_per_ca_folds_the_tail_into_other():
    fig = plots.incidents_per_ca(incidents_frame(), top=2)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    widths = [p.get_width() for p in ax.containers[0].patches]
    # drawn bottom-up: the tail first, the largest CA on top
    assert list(zip(labels, widths, strict=True)) == [
        ("other (2 CAs)", 3), ("Beta Certs", 3), ("Alpha Trust", 4)]
    assert "n=10 incidents, 4 CA owners" in _texts(fig)


def test_incidents_per_ca_names_missing_ca_unattributed():
    fig = plots.incidents_per_ca(incidents_frame(), top=10)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "(unattributed)" in labels
    assert not any(label.startswith("other") for label in labels)


def test_response_ecdf_plots_every_measured_value_with_median():
    fig = plots.response_time_ecdf(incidents_frame())
    ax = fig.axes[0]
    line = ax.lines[0]
    # 8 measured values; the 0 is drawn at the 1-minute floor of the log axis
    assert list(line.get_xdata()) == pytest.approx([1 / 60, 1, 2, 5, 10, 24, 50, 200])
    assert list(line.get_ydata()) == pytest.approx([k / 8 for k in range(1, 9)])
    assert ax.get_xscale() == "log"
    text = _texts(fig)
    assert "n=8 incidents with a measured response; 2 excluded" in text
    assert "1 under 1 min drawn at 1 min" in text
    assert "median 7.5 h" in text  # (5 + 10) / 2
    assert "time from bug filed to first CA comment" in ax.get_xlabel()


def test_response_by_year_boxes_have_the_right_members():
    fig = plots.response_time_by_year(incidents_frame())
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["2022\nn=1", "2024\nn=3", "2025\nn=3", "2026\nn=1"]
    medians = [line.get_ydata()[0] for line in ax.lines if line.get_linewidth() == 1.8]
    assert medians == pytest.approx([5, 2, 10, 24])
    assert ax.get_yscale() == "log"


def test_median_response_per_ca_keeps_cas_with_enough_values():
    fig = plots.median_response_per_ca(incidents_frame(), min_n=3)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Alpha Trust (n=3)", "Beta Certs (n=3)"]
    points = ax.lines[0].get_xdata()
    assert list(points) == pytest.approx([24, 2])  # medians of {5,50,24} and {2,0,200}
    # the bootstrap interval of a 3-value median lies within the sample's range
    bars = ax.collections[0].get_segments()
    assert bars[0][0][0] >= 5 and bars[0][1][0] <= 50
    assert "n=6 incidents over 2 CAs" in _texts(fig)


def test_status_by_year_counts_and_shares():
    fig = plots.status_by_year(incidents_frame())
    ax = fig.axes[0]
    bars = _bars_by_label(ax)
    # years 2024 (n=3), 2025 (n=4), 2026 (n=1); not_applicable (2022) left out
    assert bars["met"] == pytest.approx([2 / 3, 1 / 4, 0])
    assert bars["missed"] == pytest.approx([1 / 3, 1 / 4, 0])
    assert bars["no report"] == pytest.approx([0, 1 / 4, 0])
    assert bars["unknown (awareness)"] == pytest.approx([0, 1 / 4, 0])
    assert bars["pending"] == pytest.approx([0, 0, 1])
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["2024\nn=3", "2025\nn=4", "2026\nn=1"]
    assert "n=8 incidents filed since 2023-10-17" in _texts(fig)


def test_met_rate_per_ca_uses_wilson_intervals():
    fig = plots.met_rate_per_ca(incidents_frame())
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    rates = list(ax.lines[0].get_xdata())
    assert dict(zip(labels, rates, strict=True)) == {
        "Gamma PKI (1/2)": 0.5, "Beta Certs (1/2)": 0.5, "Alpha Trust (1/1)": 1.0}
    segments = ax.collections[0].get_segments()
    half = dict(zip(labels, segments, strict=True))["Beta Certs (1/2)"]
    # Wilson 95 % interval for 1 of 2, worked by hand: 0.0945 .. 0.9055
    assert half[0][0] == pytest.approx(0.0945, abs=1e-4)
    assert half[1][0] == pytest.approx(0.9055, abs=1e-4)
    assert "n=5 scored incidents" in _texts(fig)
    assert "3 not scored" in _texts(fig)


def test_days_to_close_ecdf_counts_open_bugs_apart():
    fig = plots.days_to_close(incidents_frame())
    ax = fig.axes[0]
    assert list(ax.lines[0].get_xdata()) == [10, 20, 30, 40, 60, 100]
    text = _texts(fig)
    assert "n=6 resolved incidents; 4 not resolved" in text
    assert "median 35 days" in text


@pytest.mark.parametrize("func", [
    plots.incidents_per_year, plots.incidents_per_ca, plots.response_time_ecdf,
    plots.response_time_by_year, plots.median_response_per_ca, plots.status_by_year,
    plots.met_rate_per_ca, plots.days_to_close,
])
def test_every_figure_survives_an_empty_frame(func):
    fig = func(incidents_frame().iloc[0:0])
    assert "in this snapshot" in _texts(fig)
    fig.savefig(io.BytesIO(), format="png")


def test_figures_leave_global_style_alone():
    before = dict(matplotlib.rcParams)
    plots.incidents_per_year(incidents_frame())
    assert dict(matplotlib.rcParams) == before


def test_palette_is_okabe_ito():
    fig = plots.status_by_year(incidents_frame())
    colours = {c.get_label(): matplotlib.colors.to_hex(c.patches[0].get_facecolor())
               for c in fig.axes[0].containers}
    assert colours["met"] == "#009e73"
    assert colours["missed"] == "#d55e00"
    assert np.all([c in {v.lower() for v in plots.OKABE_ITO.values()} | {"#b0b0b0"}
                   for c in colours.values()])
