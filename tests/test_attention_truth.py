"""The attention list of the bundled sample equals the items the generator planted and computed
from its events (bench/attention.py does the same at 20,000 bugs); every kind occurs in every
state it can have."""

from __future__ import annotations

import pandas as pd
import pytest

from bzanalytics.metrics.attention import KINDS
from tests.truth_helpers import REPO, SAMPLE, bench, sample_truth

ATTENTION_BENCH = REPO / "bench" / "attention.py"


@pytest.fixture(scope="module")
def truth():
    return sample_truth()


@pytest.fixture(scope="module")
def items(truth, tmp_path_factory):
    from bzanalytics.snapshot.frames import open_snapshot

    db = bench.snapshot_of(SAMPLE, tmp_path_factory.mktemp("attention") / "sample.sqlite")
    with open_snapshot(db) as snapshot:
        return snapshot.attention()


def _attention_bench():
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("bench_attention", ATTENTION_BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_sample_items_equal_the_planted_truth(items, truth):
    diff = _attention_bench().differences(items, truth)
    assert diff == {"missing": [], "extra": []}
    assert len(items) == sum(len(b["attention"]) for b in truth["bugs"].values())


def test_every_kind_occurs_in_each_of_its_states(truth):
    found = {(i["kind"], i["state"]) for b in truth["bugs"].values() for i in b["attention"]}
    expected = {(k.name, s) for k in KINDS if k.build is not None for s in ("overdue", "due_soon")}
    assert expected | {("new_bug", "new")} <= found


def test_the_bench_script_runs_and_can_fail(items, truth, tmp_path, capsys):
    module = _attention_bench()
    assert module.main(["--corpus", str(SAMPLE), "--repeat", "1", "--workdir", str(tmp_path)]) == 0
    assert '"missing": 0' in capsys.readouterr().out
    moved = items.assign(due=items["due"] + pd.Timedelta(seconds=1))
    diff = module.differences(moved.head(1), truth)
    assert len(diff["extra"]) == 1 and len(diff["missing"]) == len(items)


def test_planted_redated_action_items_are_listed_in_both_states(items, truth):
    # synth/attention.py re-dates an Action Item by an update, to a day that has ended or to
    # today/tomorrow; the list shows that update as the start of the clock
    planted = items.loc[(items["kind"].eq("action_item_overdue")
                         & items["since_event"].str.contains("re-dated")).to_numpy()]
    assert set(planted["state"]) == {"overdue", "due_soon"}
    for r in planted.itertuples():
        assert r.evidence.endswith(f"id={r.bug_id}#c{r.since_event.rsplit(' ', 1)[1]}")
        expected = {(i["kind"], i["state"], i["due"]) for i in truth["bugs"][str(r.bug_id)][
            "attention"]}
        assert ("action_item_overdue", r.state, f"{r.due:%Y-%m-%dT%H:%M:%SZ}") in expected
