"""`bzanalytics sync` as users meet it: exit codes, one-line messages, a key that never leaks."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bzanalytics.cli import main
from bzanalytics.snapshot.store import Store
from bzanalytics.testing.fakebmo import FakeBMO
from tests.sync_helpers import small_bug, write_corpus

KEY = "leak-canary-7c2d9a41e0"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", [
        small_bug(21, "2026-01-01T00:00:00Z", comments=3, private=(1,)),
        small_bug(22, "2026-01-02T00:00:00Z", groups=("core-security",)),
        small_bug(23, "2026-01-03T00:00:00Z")])


@pytest.fixture(autouse=True)
def no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BUGZILLA_API_KEY", raising=False)


def sync_args(url: str, db: Path, *extra: str) -> list[str]:
    return ["sync", "--url", url, "--db", str(db), "--min-interval", "0", *extra]


def test_summary_and_quiet(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with FakeBMO(corpus) as fake:
        assert main(sync_args(fake.url, tmp_path / "a.sqlite")) == 0
        out, err = capsys.readouterr()
        assert out.startswith("full sync: 2 bugs listed, 2 stored; 3 requests in ")
        assert out.endswith(f"{tmp_path / 'a.sqlite'} is current as of 2026-11-01T00:00:00Z\n")
        assert err == ""  # not a terminal: no progress bar
        assert main(sync_args(fake.url, tmp_path / "a.sqlite", "--quiet")) == 0
        assert capsys.readouterr() == ("", "")


def test_the_api_key_never_leaks(corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                 capsys: pytest.CaptureFixture,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    db, log_file = tmp_path / "snap.sqlite", tmp_path / "requests.jsonl"
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("BUGZILLA_API_KEY", KEY)
    with FakeBMO(corpus, insider_key=KEY, request_log=log_file) as fake:
        assert main(["-v", *sync_args(fake.url, db)]) == 0
        logged = list(fake.requests)
    key_file = tmp_path / "key.txt"
    key_file.write_text(KEY + "x\n")
    with FakeBMO(corpus, insider_key=KEY) as fake:  # a wrong key, from a file this time
        assert main(["-v", *sync_args(fake.url, tmp_path / "other.sqlite", "--api-key-file",
                                      str(key_file))]) == 4
        assert len(fake.requests) == 1  # auth errors are never retried
    export_dir = tmp_path / "export"
    assert main(["export", "--db", str(db), "--out", str(export_dir), "--include-private"]) == 0
    out, err = capsys.readouterr()
    assert "/rest/time -> 200" in caplog.text  # debug logging really was on
    assert err.startswith("bzanalytics: BMO refused the credentials (code 306)")
    assert all(e["authenticated"] and "key_in_query" not in e for e in logged)
    with Store.open(db, create=False) as store:  # the key was used: insiders see everything
        counts = store.counts()
        assert (counts["bugs"], counts["comments"], counts["private_comments"]) == (3, 7, 1)
    texts = {"stdout": out, "stderr": err, "log records": caplog.text,
             "request log": log_file.read_text(), "requests": json.dumps(logged)}
    files = [*tmp_path.glob("*.sqlite*"), *(f for f in export_dir.rglob("*") if f.is_file())]
    texts |= {str(f): f.read_bytes().decode("latin-1") for f in files}
    assert any("comments" in name for name in texts)  # the export wrote its tables
    assert len(texts) > 8
    assert [name for name, text in texts.items() if KEY in text] == []


def test_auth_error_exit_code_and_message(corpus: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUGZILLA_API_KEY", "wrong-key")
    with FakeBMO(corpus, api_key=KEY) as fake:
        assert main(sync_args(fake.url, tmp_path / "a.sqlite")) == 4
    assert capsys.readouterr().err == (
        "bzanalytics: BMO refused the credentials (code 306): The API key you specified is "
        "invalid. Please check that you typed it correctly. Check BUGZILLA_API_KEY or "
        "--api-key-file before running again: every refused key counts toward BMO's block of "
        "this address (five in a minute block it for an hour), and retrying with a wrong key "
        "extends a block.\n")


@pytest.mark.parametrize(("extra", "message"), [
    (["--api-key-file", "{tmp}/missing.txt"],
     "bzanalytics: cannot read the API key file {tmp}/missing.txt: No such file or directory\n"),
    (["--api-key-file", "{tmp}/empty.txt"], "bzanalytics: the API key file {tmp}/empty.txt is "
                                            "empty\n"),
    (["--url", "http://bmo.example.com", "--api-key-file", "{tmp}/key.txt"],
     "bzanalytics: refusing to send an API key over plain http to bmo.example.com; use https\n"),
    (["--url", "bugzilla.mozilla.org"], "bzanalytics: --url must be an http(s) URL such as "
                                        "https://bugzilla.mozilla.org, not "
                                        "'bugzilla.mozilla.org'\n"),
])
def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture, extra: list[str],
                      message: str) -> None:
    (tmp_path / "empty.txt").write_text("\n")
    (tmp_path / "key.txt").write_text(KEY)
    args = ["sync", "--db", str(tmp_path / "a.sqlite"), *[e.format(tmp=tmp_path) for e in extra]]
    assert main(args) == 2
    assert capsys.readouterr().err == message.format(tmp=tmp_path)


@pytest.mark.parametrize("value", ["-1", "nan", "soon"])
def test_bad_min_interval(tmp_path: Path, capsys: pytest.CaptureFixture, value: str) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["sync", "--db", str(tmp_path / "a.sqlite"), "--min-interval", value])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("bzanalytics: error: argument --min-interval: ")
    assert err.count("\n") == 1


def test_unreachable_url_is_one_line_without_traceback(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bzanalytics.cli", "sync", "--url", "http://127.0.0.1:9",
         "--db", str(tmp_path / "a.sqlite"), "--max-tries", "1", "--quiet"],
        capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 8
    assert run.stderr == ("bzanalytics: http://127.0.0.1:9 did not answer properly after 1 try "
                          "(last: connection refused); check --url or try again later\n")
    assert run.stdout == ""
