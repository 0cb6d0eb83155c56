"""Exact values of the deterministic statistics and the edges of the scorecard, by hand.

The bootstrap's percentiles can be worked out for small samples: resampling n values with
replacement, the median of a resample of 5 is the 3rd smallest pick, so P(median <= x_(j)) is
the chance that at least 3 of 5 picks are among the j smallest values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bzanalytics.metrics import scorecard
from bzanalytics.metrics.stats import BOOTSTRAP_SEED, bootstrap_median_ci, wilson_interval
from tests.metrics_helpers import incidents_frame


def at_least_3_of_5(p: float) -> float:
    return 10 * p**3 * (1 - p) ** 2 + 5 * p**4 * (1 - p) + p**5


def test_bootstrap_percentiles_of_five_values_worked_out_by_hand():
    # P(median = smallest) = P(>= 3 of 5 picks are it) = 0.0579 > 0.025: the 2.5 % point is the
    # smallest value, and likewise the 97.5 % point the largest
    assert at_least_3_of_5(0.2) == pytest.approx(0.05792)
    assert bootstrap_median_ci(np.array([1.0, 2.0, 3.0, 4.0, 50.0])) == (1.0, 50.0)
    # 50 % level: quantiles 0.25 and 0.75. P(median <= 1) = .058, P(<= 2) = .317, so the 25 %
    # point is 2; P(<= 3) = .683, P(<= 4) = .942, so the 75 % point is 4
    assert (at_least_3_of_5(0.4), at_least_3_of_5(0.6)) == pytest.approx((0.31744, 0.68256))
    assert bootstrap_median_ci(np.array([1.0, 2.0, 3.0, 4.0, 50.0]), level=0.5) == (2.0, 4.0)


def test_bootstrap_of_two_values_and_the_level():
    # a resample of [1, 3] has median 1 (p 1/4), 2 (p 1/2) or 3 (p 1/4)
    assert bootstrap_median_ci(np.array([1.0, 3.0])) == (1.0, 3.0)  # 2.5 % and 97.5 % points
    assert bootstrap_median_ci(np.array([1.0, 3.0]), level=0.4) == (2.0, 2.0)  # 30 % and 70 %


def test_bootstrap_is_seeded_and_fresh_per_call():
    values = np.array([0.5, 1.25, 2.0, 8.0, 9.5, 30.0, 31.0])
    first = bootstrap_median_ci(values)
    assert bootstrap_median_ci(values) == first  # a fresh generator each call
    assert bootstrap_median_ci(values, seed=BOOTSTRAP_SEED) == first
    assert BOOTSTRAP_SEED == 20231017
    # 7 values: the median is the 4th smallest of 7 picks; P(>= 4 of 7 picks are the smallest)
    # = .010 < .025 < P(>= 4 are among the 2 smallest) = .108: the 2.5 % point is the 2nd value,
    # and by symmetry the 97.5 % point the 6th
    assert first == (1.25, 30.0)
    assert bootstrap_median_ci(np.array([2.0, np.nan, 4.0, 6.0, np.nan])) == \
        bootstrap_median_ci(np.array([2.0, 4.0, 6.0]))  # NaNs are dropped first


def test_wilson_at_the_ends_of_the_sample_size():
    # 1/1: p = 1, z^2 = 3.84146; centre = (1 + 1.92073) / 4.84146 = .60327, half = 1.95996 *
    # sqrt(0 + .96037) / 4.84146 = .39673: (.20655, 1.0)
    assert wilson_interval(1, 1) == pytest.approx((0.20655, 1.0), abs=1e-5)
    assert all(np.isnan(wilson_interval(0, 0))) and all(np.isnan(wilson_interval(3, -1)))


def _with(frame: pd.DataFrame, ca: str, statuses: list[str]) -> pd.DataFrame:
    extra = frame.iloc[[0] * len(statuses)].copy()
    extra["bug_id"] = pd.array(range(100, 100 + len(statuses)), dtype="Int64")
    extra["ca"] = pd.Series([ca] * len(statuses), dtype="str", index=extra.index)
    extra["initial_report_status"] = pd.Series(statuses, dtype="str", index=extra.index)
    return pd.concat([frame, extra], ignore_index=True)


def test_small_sample_below_five_measured_incidents():
    frame = _with(incidents_frame(), "Gamma CA", ["met", "missed", "met", "met", "pending"])
    card = scorecard(frame).set_index("ca")
    assert card.loc["Gamma CA", "initial_n"] == 4  # pending is not measured
    assert bool(card.loc["Gamma CA", "small_sample"]) is True
    assert (card.loc["Alpha CA", "initial_n"], bool(card.loc["Alpha CA", "small_sample"])) == (
        5, False)


def test_since_includes_a_bug_filed_at_that_very_instant():
    frame = incidents_frame()  # Beta CA's bug was filed 2025-02-01 00:00 UTC
    assert "Beta CA" in set(scorecard(frame, since="2025-02-01")["ca"])
    assert "Beta CA" not in set(scorecard(frame, since="2025-02-01T00:00:01Z")["ca"])


def test_scorecard_interval_is_the_seeded_bootstrap_of_that_cas_values():
    card = scorecard(incidents_frame()).set_index("ca")
    # Alpha CA's response times 1, 2, 3, 4, 10 h: the five-value case above
    assert (card.loc["Alpha CA", "response_ci_low"], card.loc["Alpha CA", "response_ci_high"]) \
        == (1.0, 10.0)
    # Beta CA has one value: a zero-width interval
    assert (card.loc["Beta CA", "response_ci_low"], card.loc["Beta CA", "response_ci_high"]) == (
        48.0, 48.0)
