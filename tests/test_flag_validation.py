"""Values the commands used to accept and then choke on (or silently misuse): each is refused in
one line with exit 2, and the nearest good value still works."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bzanalytics.cli import build_parser, main
from bzanalytics.snapshot.store import check_bug
from bzanalytics.testing.bmorest import Corpus, Handler
from tests.store_helpers import bug_1001
from tests.sync_helpers import small_bug, write_corpus


def _parse_fails(argv: list[str], capsys: pytest.CaptureFixture) -> str:
    with pytest.raises(SystemExit) as caught:
        build_parser().parse_args(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("bzanalytics: error: argument ")
    return err


@pytest.mark.parametrize(("flag", "bad", "good"), [
    ("--rate-limit-after", "-1", "0"),
    ("--limit-cap", "0", "1"),
    ("--port", "-1", "0"),
    ("--port", "65536", "65535"),
    ("--latency-ms", "-0.5", "0"),
    ("--fault-seed", "-3", "0"),
])
def test_fake_bmo_numbers(flag: str, bad: str, good: str, capsys: pytest.CaptureFixture) -> None:
    base = ["fake-bmo", "--corpus", "c"]
    assert flag.lstrip("-") in _parse_fails([*base, flag, bad], capsys)
    args = build_parser().parse_args([*base, flag, good])
    assert getattr(args, flag.lstrip("-").replace("-", "_")) == float(good)


def test_fake_bmo_with_an_unwritable_request_log_says_so(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture) -> None:
    corpus = write_corpus(tmp_path / "corpus", [small_bug(1, "2026-01-01T00:00:00Z")])
    log_file = tmp_path / "missing-folder" / "log.jsonl"
    assert main(["fake-bmo", "--corpus", str(corpus), "--request-log", str(log_file)]) == 2
    assert capsys.readouterr().err == (f"bzanalytics: cannot write the request log {log_file}: "
                                       "No such file or directory\n")


def test_the_fake_answers_product_lookups_as_bmo_does(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", [small_bug(1, "2026-01-01T00:00:00Z")])
    handler = Handler(Corpus(corpus))

    def lookup(query: str) -> dict:
        answer = handler.answer("/rest/product", query)
        assert answer.status == 200
        return json.loads(answer.body)

    want = "include_fields=name,components.name"
    found = {"products": [{"id": 1, "name": "CA Program",
                           "components": [{"name": "CA Certificate Compliance"}]}]}
    assert lookup(f"names=CA%20Program&{want}") == found
    assert lookup(f"names=ca%20PROGRAM&{want}") == found  # BMO compares names in lower case
    assert lookup(f"names=CA%20Programme&{want}") == {"products": []}  # unknown: empty, no error
    assert lookup(f"names=Other&names=CA%20Program&{want}") == found


def test_synth_refuses_to_overwrite_without_force(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "corpus"
    assert main(["synth", "--bugs", "2", "--seed", "1", "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()
    assert main(["synth", "--bugs", "3", "--seed", "2", "--out", str(out)]) == 2
    assert capsys.readouterr().err == (f"bzanalytics: {out} already holds a corpus (corpus.json,"
                                       " bugs.jsonl, truth.json); pass --force to replace it, or "
                                       "choose another --out\n")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert main(["synth", "--bugs", "3", "--seed", "2", "--out", str(out), "--force"]) == 0
    assert len((out / "bugs.jsonl").read_text().splitlines()) == 3
    other = tmp_path / "notes"
    other.mkdir()
    (other / "readme.txt").write_text("x")  # a folder without a corpus needs no --force
    assert main(["synth", "--bugs", "1", "--out", str(other)]) == 0


@pytest.mark.parametrize(("where", "value", "ok"), [
    ("bug", 0, False), ("bug", -5, False), ("bug", 1, True),
    ("comment", 0, False), ("comment", 1, True),
    ("attachment", -1, False), ("attachment", 1, True),
])
def test_ids_must_be_positive(where: str, value: int, ok: bool) -> None:
    bug = bug_1001()
    if where == "bug":
        bug["id"] = value
    else:
        bug[f"{where}s"][0]["id"] = value
    if ok:
        assert check_bug(bug) == bug["id"]
    else:
        with pytest.raises(ValueError, match=f"{where} id must be a positive integer, got"):
            check_bug(bug)


def test_import_refuses_a_negative_bug_id(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    dump = tmp_path / "dump.json"
    dump.write_text(json.dumps([dict(bug_1001(), id=-1001)]))
    assert main(["import", "--db", str(tmp_path / "s.sqlite"), str(dump)]) == 6
    assert "bug id must be a positive integer, got -1001" in capsys.readouterr().err
    assert not (tmp_path / "s.sqlite").exists()
