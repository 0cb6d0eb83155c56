"""The bundled synthetic sample: every metric and every question, promise and counted gap
equals the generator's planted truth (bench/metrics_truth.py does the same at 20,000 bugs)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_metrics_truth",
                                                  REPO / "bench" / "metrics_truth.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    if not (SAMPLE / "truth.json").exists():
        pytest.skip("data/sample/truth.json not present")
    bench = load_bench()
    # durations may differ by under a second: the truth computes them from planted times with
    # microseconds, while BMO's JSON (the corpus) carries whole seconds
    return bench.run(SAMPLE, tmp_path_factory.mktemp("truth") / "sample.sqlite", 1.0)


def test_sample_matches_truth(result):
    assert result["bugs"] == result["rows_compared"]["incidents"]
    shown = result["diff"].head(20).to_string()
    assert result["mismatches"] == 0, shown


def test_only_sub_second_durations_differ_exactly(result):
    # without slack, only duration columns may differ (by the truth's sub-second rounding)
    assert all("hours" in c or "days" in c for c in result["exact_mismatches_by_column"])
