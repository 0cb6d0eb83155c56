"""The planted truth of the bundled sample, and `bench/metrics_truth.py` (which compares a
snapshot's metrics with it) loaded as a module, for the tests that check metrics against truth."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_metrics_truth",
                                                  REPO / "bench" / "metrics_truth.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


def sample_truth() -> dict[str, Any]:
    """The sample's truth.json, or a clean skip when the sample is absent."""
    if not (SAMPLE / "truth.json").exists():
        pytest.skip("data/sample/truth.json not present")
    return bench.load_truth(SAMPLE)


def differences(measured: dict[str, pd.DataFrame], truth: dict[str, Any]) -> pd.DataFrame:
    """Every metric value and question/promise/gap row that differs from the truth."""
    return pd.concat([bench.compare(measured["incidents"], truth),
                      bench.compare_rows(measured, truth)])
