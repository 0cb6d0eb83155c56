"""The parser against the bundled synthetic sample's ground truth (issue 4's accuracy bar)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"


def _bench():
    spec = importlib.util.spec_from_file_location("parse_accuracy",
                                                  ROOT / "bench" / "parse_accuracy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_accuracy_on_the_sample() -> None:
    if not (SAMPLE / "truth.json").is_file():
        pytest.skip("data/sample has no truth.json")
    scores = _bench().measure(SAMPLE)
    rate = {name: ok / total for name, (ok, total) in scores.items()}
    assert all(total > 0 for _, total in scores.values())
    assert rate["kind+template"] == 1.0
    assert rate["ca"] == 1.0
    assert rate["sections"] >= 0.99
    assert rate["roles"] >= 0.99
    assert rate["awareness"] == 1.0
