"""The bundled synthetic sample: every metric and every question, promise and counted gap
equals the generator's planted truth (bench/metrics_truth.py does the same at 20,000 bugs);
and every metrics column has the type the data dictionary gives it."""

from __future__ import annotations

import re

import pytest

from tests.truth_helpers import REPO, SAMPLE, bench, differences, sample_truth

DICTIONARY = REPO / "docs" / "data-dictionary.md"
TYPE_NAMES = {"datetime64[us, UTC]": "datetime"}


@pytest.fixture(scope="module")
def truth():
    return sample_truth()


@pytest.fixture(scope="module")
def measured(truth, tmp_path_factory):
    db = bench.snapshot_of(SAMPLE, tmp_path_factory.mktemp("truth") / "sample.sqlite")
    return bench.measured_frames(db)


def test_sample_matches_truth(truth, measured):
    assert len(measured["incidents"]) == len(truth["bugs"])
    diff = differences(measured, truth)
    assert diff.empty, diff.head(20).to_string()


def documented_types() -> dict[str, dict[str, str]]:
    tables: dict[str, dict[str, str]] = {}
    for line in DICTIONARY.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            table = tables.setdefault(line[3:].strip(), {})
        elif match := re.match(r"\| `([^`]+)` \| (\S+) \|", line):
            table[match.group(1)] = match.group(2)
    return tables


def test_metrics_columns_have_the_documented_types(measured):
    if not DICTIONARY.exists():
        pytest.skip("docs/data-dictionary.md not present")
    from bzanalytics.metrics import scorecard, yearly_trends

    frames = dict(measured, scorecard=scorecard(measured["incidents"]),
                  trends=yearly_trends(measured["incidents"]))
    docs = documented_types()
    for name, frame in frames.items():
        got = {c: TYPE_NAMES.get(str(t), str(t)) for c, t in frame.dtypes.items()}
        assert got == docs[name], name
