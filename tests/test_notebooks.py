"""Every notebook runs top to bottom (jupytext -> nbclient, kernel from this venv) on the sample,
says it is showing the synthetic sample, and draws its figures; one also runs on a real-style
snapshot given by BZA_DB, where the synthetic notice must not appear."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import jupytext
import pytest
from nbclient import NotebookClient

from bzanalytics import SYNTHETIC_IDS_FROM, sample
from bzanalytics.errors import UsageError
from bzanalytics.snapshot.dumps import import_dumps
from bzanalytics.snapshot.store import Store
from bzanalytics.testing import minicorpus

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.py"))
SYNTHETIC = "Synthetic sample — fictional CAs."


def _run(path: Path, cwd: Path) -> list[dict]:
    """Execute a notebook; return its code cells' outputs (a failing cell raises)."""
    notebook = jupytext.read(path)
    NotebookClient(notebook, kernel_name="python3", timeout=300,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]


def _markdown(outputs: list[dict]) -> str:
    return "\n".join(o.get("data", {}).get("text/markdown", "") for o in outputs)


@pytest.fixture(scope="module")
def sample_cache(tmp_path_factory) -> Path:
    """A private cache holding the imported sample, so all notebooks share one import."""
    cache = tmp_path_factory.mktemp("cache")
    sample.sample_db(cache=cache)
    return cache


def test_there_are_five_notebooks():
    assert [p.name for p in NOTEBOOKS] == [
        "01_incident_counts.py", "02_response_speed.py", "03_72h_compliance.py",
        "04_ca_scorecard.py", "05_attention.py"]


def _second_largest_ca() -> tuple[str, int]:
    """From the sample's truth: the CA with the second most incidents, and that count."""
    truth = json.loads((sample.sample_dir() / "truth.json").read_text(encoding="utf-8"))
    cas = Counter(bug["ca"] for bug in truth["bugs"].values()
                  if bug["excluded"] is None and bug["ca"])
    return sorted(cas.items(), key=lambda item: (-item[1], item[0]))[1]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_the_sample(path, sample_cache, tmp_path, monkeypatch):
    ca, count = _second_largest_ca()
    monkeypatch.delenv(sample.DB_ENV, raising=False)
    monkeypatch.setenv(sample.CACHE_ENV, str(sample_cache))
    monkeypatch.setenv("BZA_CA", ca.lower())  # only notebook 4 reads it; any case matches
    outputs = _run(path, tmp_path)
    assert SYNTHETIC in _markdown(outputs)
    if path.stem == "04_ca_scorecard":
        assert f"## {ca}: {count} incidents" in _markdown(outputs)
    if path.stem == "05_attention":
        with sample.sample_snapshot(cache=sample_cache) as snapshot:
            items = len(snapshot.attention())
        assert f"Attention as of 2026-11-01 00:00 UTC: {items} items" in _markdown(outputs)
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(figures) >= 2, "every notebook tells its story with figures"
    assert not [o for o in outputs if o.get("output_type") == "error"]


def _renumbered(source: Path, target: Path) -> None:
    """The sample's bugs moved below the synthetic id range, as a real-style dump would be."""
    shift = SYNTHETIC_IDS_FROM - 1_000_000
    with source.open(encoding="utf-8") as src, target.open("w", encoding="utf-8") as out:
        for line in src:
            bug = json.loads(line)
            bug["id"] -= shift
            if bug.get("dupe_of"):
                bug["dupe_of"] -= shift
            for part in ("comments", "attachments"):
                for item in bug[part]:
                    item["bug_id"] -= shift
            out.write(json.dumps(bug) + "\n")


@pytest.mark.parametrize("path", [NOTEBOOKS[0], NOTEBOOKS[4]], ids=lambda p: p.stem)
def test_notebook_runs_on_a_snapshot_from_bza_db(path, tmp_path, monkeypatch):
    """The sample's bugs renumbered into real ids and imported without corpus.json: a snapshot
    not marked synthetic."""
    db = tmp_path / "real.sqlite"
    _renumbered(sample.sample_dir() / "bugs.jsonl", tmp_path / "bugs.jsonl")
    with Store.open(db) as store:
        import_dumps(store, [tmp_path / "bugs.jsonl"])
    monkeypatch.setenv(sample.DB_ENV, str(db))
    outputs = _run(path, tmp_path)
    text = _markdown(outputs)
    assert SYNTHETIC not in text
    assert "> Showing snapshot as of" in text
    assert not [o for o in outputs if o.get("output_type") == "error"]


# --------------------------------------------------------------------------- bzanalytics.sample


@pytest.fixture()
def tiny_sample(tmp_path) -> Path:
    return minicorpus.build(tmp_path / "sample", bugs=12, comments=40, big_bugs=0, hidden=0)


def test_sample_is_imported_once_and_reused(tiny_sample, tmp_path):
    first = sample.sample_db(tiny_sample, tmp_path / "cache")
    built = first.stat().st_mtime_ns
    assert sample.sample_db(tiny_sample, tmp_path / "cache") == first
    assert first.stat().st_mtime_ns == built
    with Store.open(first, create=False) as store:
        assert store.counts()["bugs"] == 12
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [first.name]  # no leftovers


def test_a_changed_sample_builds_a_new_snapshot(tiny_sample, tmp_path):
    first = sample.sample_db(tiny_sample, tmp_path / "cache")
    minicorpus.add_bugs(tiny_sample, 3)
    second = sample.sample_db(tiny_sample, tmp_path / "cache")
    assert second != first
    with Store.open(second, create=False) as store:
        assert store.counts()["bugs"] == 15
    assert not first.exists()  # the stale build is removed


def test_a_missing_sample_is_a_clear_error(tmp_path):
    with pytest.raises(UsageError, match=r"bundled sample is missing: .*corpus\.json not found"):
        sample.sample_db(tmp_path / "nowhere", tmp_path / "cache")


def test_default_snapshot_prefers_bza_db(tiny_sample, tmp_path):
    db = sample.sample_db(tiny_sample, tmp_path / "cache")
    with sample.default_snapshot({sample.DB_ENV: str(db)}) as snapshot:
        assert len(snapshot.bugs()) == 12
        assert snapshot.is_synthetic  # minicorpus declares itself generated
        assert sample.notice(snapshot).startswith("> **⚠ Synthetic sample — fictional CAs.**")


def test_cache_dir_follows_the_environment(tmp_path):
    assert sample.cache_dir({sample.CACHE_ENV: str(tmp_path)}) == tmp_path
    assert sample.cache_dir({"XDG_CACHE_HOME": "/x"}) == Path("/x/bzanalytics")


def test_notebook_says_which_ca_grouping_it_uses(sample_cache, tmp_path, monkeypatch):
    monkeypatch.delenv(sample.DB_ENV, raising=False)
    monkeypatch.setenv(sample.CACHE_ENV, str(sample_cache))
    monkeypatch.setenv(sample.GROUP_ENV, "current-owner")
    outputs = _run(NOTEBOOKS[2], tmp_path)  # the one with a scorecard
    assert "grouped by today's CA owner (recorded transfers applied)" in _markdown(outputs)
    assert not [o for o in outputs if o.get("output_type") == "error"]


def test_grouping_from_the_environment():
    assert sample.grouping({}) == "owner"
    assert sample.grouping({sample.GROUP_ENV: "current-owner"}) == "current-owner"
    with pytest.raises(UsageError, match="owner, current-owner"):
        sample.grouping({sample.GROUP_ENV: "parent"})
