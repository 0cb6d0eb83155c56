"""Scorecard, trends, counts, exclusion rules and the interval estimates, checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bzanalytics.errors import UsageError
from bzanalytics.metrics import counts, rules, scorecard, yearly_trends
from bzanalytics.metrics.stats import bootstrap_median_ci, wilson_interval
from tests.metrics_helpers import Corpus, incidents_frame, ts


def test_wilson_interval_hand_values():
    # 8/10: p = .8, z^2 = 3.8415; centre = (.8 + .19207) / 1.38415 = .71674,
    # half = 1.96 * sqrt(.016 + .0096037) / 1.38415 = .22658
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.49016, abs=1e-5)
    assert high == pytest.approx(0.94332, abs=1e-5)
    # 0/5: centre = half = .38415 / 1.7683 = .21724 -> (0, .43449)
    low, high = wilson_interval(0, 5)
    assert low == pytest.approx(0.0, abs=1e-12)
    assert high == pytest.approx(0.43449, abs=1e-5)
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


def test_bootstrap_median_interval():
    values = np.array([1.0, 2.0, 3.0, 4.0, 50.0])
    low, high = bootstrap_median_ci(values)
    assert (low, high) == bootstrap_median_ci(values[::-1].copy())  # order-free, seeded
    assert 1.0 <= low <= 3.0 <= high <= 50.0
    assert low < high
    assert bootstrap_median_ci(np.array([7.0, 7.0, 7.0])) == (7.0, 7.0)
    assert bootstrap_median_ci(np.array([7.0])) == (7.0, 7.0)
    assert all(math.isnan(x) for x in bootstrap_median_ci(np.array([np.nan])))


def test_version_at_boundaries():
    times = pd.Series([ts("2023-05-01T23:59:59"), ts("2023-05-02"), ts("2023-10-17"),
                       ts("2025-02-28T23:59:59"), ts("2025-03-01"), pd.NaT])
    got = rules.version_at(rules.CADENCE, times)
    assert list(got[:5]) == ["none", "ccadb-irg-1.0", "ccadb-irg-2.0", "ccadb-irg-2.0",
                             "ccadb-irg-3.0"]
    assert pd.isna(got.iloc[5])


def test_scorecard_per_ca():
    card = scorecard(incidents_frame()).set_index("ca")
    assert list(card.index) == ["(unattributed)", "Alpha CA", "Beta CA"]
    alpha = card.loc["Alpha CA"]
    assert (alpha["incidents"], alpha["open"]) == (6, 3)
    assert alpha["response_n"] == 5
    assert alpha["response_median_hours"] == 3.0  # median of 1, 2, 3, 4, 10
    assert alpha["response_ci_low"] <= 3.0 <= alpha["response_ci_high"]
    assert (alpha["initial_met"], alpha["initial_n"]) == (4, 5)
    assert alpha["initial_met_rate"] == 0.8
    assert (alpha["initial_ci_low"], alpha["initial_ci_high"]) == pytest.approx(
        wilson_interval(4, 5)
    )
    assert (alpha["full_met"], alpha["full_n"]) == (2, 3)  # pending/no_report/unknown not counted
    assert (alpha["initial_no_report"], alpha["full_no_report"]) == (0, 1)
    assert (alpha["questions"], alpha["questions_late"]) == (6, 3)
    assert (alpha["next_updates_set"], alpha["next_updates_missed"]) == (4, 2)
    assert alpha["close_n"] == 3
    assert alpha["median_days_to_close"] == 20.0  # 30, 10, 20 days
    assert bool(alpha["small_sample"]) is False  # 5 measured incidents
    beta = card.loc["Beta CA"]
    assert (beta["initial_met"], beta["initial_n"], beta["initial_met_rate"]) == (0, 1, 0.0)
    assert bool(beta["small_sample"]) is True
    assert pd.isna(card.loc["(unattributed)", "initial_met_rate"])


def test_scorecard_filters():
    frame = incidents_frame()
    since = scorecard(frame, since="2025-01-01").set_index("ca")
    assert since.loc["Alpha CA", "incidents"] == 4
    one = scorecard(frame, ca="alpha ca")
    assert list(one["ca"]) == ["Alpha CA"]
    with pytest.raises(UsageError, match="close matches: Alpha CA"):
        scorecard(frame, ca="Alpah")
    with pytest.raises(UsageError, match="not a date"):
        scorecard(frame, since="last tuesday")


def test_yearly_trends():
    trends = yearly_trends(incidents_frame()).set_index("year")
    assert list(trends.index) == [2024, 2025]
    assert trends.loc[2024, "incidents"] == 2
    assert (trends.loc[2025, "initial_met"], trends.loc[2025, "initial_n"]) == (2, 4)
    assert trends.loc[2025, "median_days_to_close"] == 25.0  # 20 and 30 days


def test_counts():
    frame = incidents_frame()
    by_ca = counts(frame, by="ca")
    assert dict(zip(by_ca["ca"].fillna("?"), by_ca["incidents"], strict=True)) == {
        "Alpha CA": 6, "Beta CA": 1, "?": 1}
    by_two = counts(frame, by=["year", "category"])
    assert by_two.to_dict("records") == [
        {"year": 2024, "category": "a", "incidents": 2},
        {"year": 2025, "category": "a", "incidents": 2},
        {"year": 2025, "category": "b", "incidents": 3},
        {"year": 2025, "category": "uncategorized", "incidents": 1},
    ]
    by_resolution = counts(frame, by="resolution")
    assert by_resolution["incidents"].sum() == 8
    with pytest.raises(UsageError, match="cannot count by colour"):
        counts(frame, by="colour")


def test_excluded_bugs():
    c = Corpus()
    c.bug(1, "2025-04-01T00:00:00Z")
    c.bug(2, "2025-04-01T00:00:00Z", status="RESOLVED", resolution="INVALID",
          resolved="2025-04-02T00:00:00Z")
    c.bug(3, "2025-04-01T00:00:00Z", status="RESOLVED", resolution="DUPLICATE",
          resolved="2025-04-02T00:00:00Z")
    c.bug(4, "2025-04-01T00:00:00Z", is_meta=True, status="RESOLVED", resolution="DUPLICATE",
          resolved="2025-04-02T00:00:00Z")
    c.comment(2, 1, "2025-04-01T01:00:00Z", "root_program", text="Is this real?")
    default = c.measure("2025-09-01T00:00:00Z")
    assert list(default.incidents["bug_id"]) == [1]
    assert default.questions.empty
    everything = c.measure("2025-09-01T00:00:00Z", include_excluded=True)
    assert list(everything.incidents["excluded"].fillna("-")) == ["-", "invalid", "duplicate",
                                                                  "meta"]
    assert list(everything.questions["bug_id"]) == [2]


@given(st.integers(min_value=1, max_value=500), st.data())
def test_wilson_interval_contains_the_rate(n, data):
    k = data.draw(st.integers(min_value=0, max_value=n))
    low, high = wilson_interval(k, n)
    assert 0.0 <= low <= k / n + 1e-12
    assert k / n - 1e-12 <= high <= 1.0
    wider_low, wider_high = wilson_interval(k, n, z=2.576)  # 99 %: never narrower
    assert wider_low <= low + 1e-12 and high <= wider_high + 1e-12


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1e4), min_size=2, max_size=40))
def test_bootstrap_interval_lies_within_the_data(values):
    data = np.array(values)
    low, high = bootstrap_median_ci(data)
    assert data.min() <= low <= high <= data.max()
