"""Synthetic data never links to a real bug, and stays labelled synthetic on every path in.

Synthetic bugs are numbered from `SYNTHETIC_IDS_FROM` (no real BMO bug has such an id), and every
evidence link is built from the snapshot's own origin: the URL it was synced from, BMO for an
import of real data, a reserved example domain for an import of a synthetic corpus.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bzanalytics import SYNTHETIC_IDS_FROM
from bzanalytics.cli import main
from bzanalytics.metrics.common import BMO, SYNTHETIC_SITE, site_of
from bzanalytics.sample import notice, sample_dir
from bzanalytics.snapshot.dumps import import_dumps
from bzanalytics.snapshot.frames import open_snapshot
from bzanalytics.snapshot.store import Store
from bzanalytics.synth.corpus import write_corpus
from bzanalytics.testing.fakebmo import FakeBMO
from tests.sync_helpers import run_sync

SAMPLE = sample_dir()
LINK = re.compile(r"(https?://[^\s\"'<>,]*?)/show_bug\.cgi\?id=(\d+)")


def links(text: str) -> list[tuple[str, int]]:
    return [(site, int(bug)) for site, bug in LINK.findall(text)]


def every_output(db: Path, out: Path, capsys) -> dict[str, str]:
    """The text of every output made from `db`: report page, every exported table and the
    manifest, scorecard JSON (all CAs, and one CA's incidents with their evidence), and status."""
    texts = {}
    assert main(["report", "--db", str(db), "--out", str(out / "report")]) == 0
    texts["report"] = (out / "report" / "report.html").read_text(encoding="utf-8")
    assert main(["export", "--db", str(db), "--out", str(out / "export")]) == 0
    for path in sorted((out / "export").iterdir()):
        texts[f"export/{path.name}"] = path.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["scorecard", "--db", str(db), "--format", "json"]) == 0
    texts["scorecard"] = capsys.readouterr().out
    ca = json.loads(texts["scorecard"])["scorecard"][0]["ca"]
    assert main(["scorecard", "--db", str(db), "--format", "json", "--ca", ca]) == 0
    texts["scorecard --ca"] = capsys.readouterr().out
    assert main(["status", "--db", str(db), "--json"]) == 0
    texts["status"] = capsys.readouterr().out
    return texts


def test_the_generator_numbers_bugs_where_no_real_bug_is(tmp_path):
    write_corpus(tmp_path, 40, 3)
    for corpus in (tmp_path, SAMPLE):
        ids = [json.loads(line)["id"] for line in (corpus / "bugs.jsonl").open()]
        assert min(ids) > SYNTHETIC_IDS_FROM, corpus


@pytest.fixture(scope="module")
def imported_sample(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("imported") / "sample.sqlite"
    with Store.open(db) as store:
        import_dumps(store, [SAMPLE])
    return db


def test_no_output_of_the_imported_sample_links_to_bmo(imported_sample, tmp_path, capsys):
    texts = every_output(imported_sample, tmp_path, capsys)
    for name, text in texts.items():
        assert "bugzilla.mozilla.org" not in text, name
    found = {name: links(text) for name, text in texts.items()}
    for name in ("report", "export/incidents.csv", "export/questions.csv", "scorecard --ca"):
        assert found[name], f"{name} has evidence links"
    for name, pairs in found.items():
        assert {site for site, _ in pairs} <= {SYNTHETIC_SITE}, name
        assert all(bug >= SYNTHETIC_IDS_FROM for _, bug in pairs), name
    manifest = json.loads(texts["export/manifest.json"])
    assert (manifest["synthetic"], manifest["site"]) == (True, SYNTHETIC_SITE)


def test_a_sync_from_the_fake_bmo_links_to_it_and_stays_synthetic(tmp_path, capsys):
    db = tmp_path / "synced.sqlite"
    with FakeBMO(SAMPLE) as fake:
        run_sync(fake.url, db)
        url = fake.url
    texts = every_output(db, tmp_path, capsys)
    for name, text in texts.items():
        assert "bugzilla.mozilla.org" not in text, name
        assert {site for site, _ in links(text)} <= {url}, name
    assert len(links(texts["report"])) > 300  # each bug number, plus the statuses' evidence
    # the synthetic label: status, scorecard JSON, manifest, report and the notebooks' notice
    assert "synthetic bug ids (300 bugs" in json.loads(texts["status"])["synthetic"]
    assert json.loads(texts["scorecard"])["synthetic"] is True
    assert json.loads(texts["export/manifest.json"])["synthetic"] is True
    assert "Synthetic sample — fictional CAs." in texts["report"]
    with open_snapshot(db) as snapshot:
        assert "Synthetic sample" in notice(snapshot)
    assert main(["status", "--db", str(db)]) == 0
    assert "synthetic     yes: synthetic bug ids" in capsys.readouterr().out


def test_bugs_jsonl_alone_is_still_synthetic(tmp_path):
    """Without corpus.json nothing states the generator, but the ids still say it."""
    db = tmp_path / "bare.sqlite"
    (tmp_path / "bugs.jsonl").write_bytes((SAMPLE / "bugs.jsonl").read_bytes())
    with Store.open(db) as store:
        import_dumps(store, [tmp_path / "bugs.jsonl"])
    with open_snapshot(db) as snapshot:
        assert snapshot.is_synthetic and snapshot.site == SYNTHETIC_SITE


def test_one_bug_below_the_range_is_real_one_in_it_is_synthetic(tmp_path):
    for bug_id, synthetic in ((SYNTHETIC_IDS_FROM - 1, False), (SYNTHETIC_IDS_FROM, True)):
        db = tmp_path / f"{bug_id}.sqlite"
        with Store.open(db) as store:
            store.save_bugs([{"id": bug_id, "summary": "Example CA: x"}], origin="dump:x.json",
                            fetched_at="2026-01-01T00:00:00Z")
        with open_snapshot(db) as snapshot:
            assert snapshot.is_synthetic is synthetic
            assert snapshot.site == (SYNTHETIC_SITE if synthetic else BMO)


@pytest.mark.parametrize(("origins", "synthetic", "site"), [
    ({"dump:bugs.json": 5}, False, BMO),
    ({"corpus:sample": 300}, True, SYNTHETIC_SITE),
    ({"http://127.0.0.1:8123": 3, "dump:a.json": 9}, True, "http://127.0.0.1:8123"),
    ({"https://bugzilla.mozilla.org": 10}, False, BMO),
    # the URL most bugs came from; credentials, query and a trailing slash never reach a link
    ({"https://a.example.org/": 2, "https://user:secret@b.example.org/bmo/?api_key=k": 7},
     False, "https://b.example.org/bmo"),
    ({"http://[::1]:9000": 1}, True, "http://[::1]:9000"),
])
def test_site_of(origins, synthetic, site):
    assert site_of(origins, synthetic) == site
