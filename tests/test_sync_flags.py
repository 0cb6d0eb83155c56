"""`sync` flags a user gets wrong: credentials in --url, a mistyped product or component, a zero
timeout; and the summary of a resumed sync."""

from __future__ import annotations

from pathlib import Path

import pytest

from bzanalytics.bmo.sync import SyncResult, describe
from bzanalytics.cli import build_parser, main
from bzanalytics.snapshot.store import Store
from bzanalytics.testing.fakebmo import FakeBMO
from tests.sync_helpers import small_bug, write_corpus

KEY = "leak-canary-51f0e2"


@pytest.fixture(autouse=True)
def no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BUGZILLA_API_KEY", raising=False)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", [small_bug(31, "2026-01-01T00:00:00Z"),
                                              small_bug(32, "2026-01-02T00:00:00Z")])


@pytest.mark.parametrize(("url", "says"), [
    ("http://user:{key}@127.0.0.1:{port}", "must not contain credentials (user:password@host)"),
    ("http://{key}@127.0.0.1:{port}", "must not contain credentials"),
    ("http://127.0.0.1:{port}/?api_key={key}", "without an API key or login"),
    ("http://127.0.0.1:{port}?Bugzilla_api_key={key}", "without an API key or login"),
    ("http://127.0.0.1:{port}/?Bugzilla_login=me&Bugzilla_password={key}",
     "without an API key or login"),
    ("user:{key}@127.0.0.1", "must not contain credentials"),
])
def test_credentials_in_the_url_are_refused_and_never_shown(
        corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture, url: str, says: str) -> None:
    db = tmp_path / "s.sqlite"
    with FakeBMO(corpus) as fake:
        port = fake.url.rsplit(":", 1)[1]
        assert main(["sync", "--url", url.format(key=KEY, port=port), "--db", str(db),
                     "--min-interval", "0"]) == 2
        assert fake.requests == []  # refused before any request
    err = capsys.readouterr().err
    assert says in err and "BUGZILLA_API_KEY" in err and "--api-key-file" in err
    assert KEY not in err and err.count("\n") == 1
    assert not db.exists()


def test_a_plain_base_url_is_still_accepted(corpus: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture) -> None:
    with FakeBMO(corpus) as fake:
        assert main(["sync", "--url", fake.url + "/", "--db", str(tmp_path / "s.sqlite"),
                     "--min-interval", "0"]) == 0
    assert "2 stored" in capsys.readouterr().out


def test_status_hides_credentials_an_older_version_stored(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "s.sqlite"
    with Store.open(db) as store:
        store.save_bugs([small_bug(31, "2026-01-01T00:00:00Z")],
                        origin=f"https://me:{KEY}@bmo.example.com", fetched_at="t")
    assert main(["status", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert KEY not in out
    assert "https://bmo.example.com [credentials removed] (1 bugs)" in out


@pytest.mark.parametrize(("flags", "message"), [
    (["--product", "CA Progam"], "BMO has no product 'CA Progam' (none visible to this account); "
                                 "check --product (the default is 'CA Program')"),
    (["--product", "ca program"], "BMO spells the product 'CA Program', not 'ca program': use "
                                  "--product 'CA Program'"),
    (["--component", "CA Certificate Complaince"],
     "BMO's product 'CA Program' has no component 'CA Certificate Complaince' (check "
     "--component; the default is 'CA Certificate Compliance')"),
    (["--component", "ca certificate compliance"],
     "BMO's product 'CA Program' has no component 'ca certificate compliance'; did you mean "
     "'CA Certificate Compliance'?"),
])
def test_an_unknown_product_or_component_is_named(corpus: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture,
                                                  flags: list[str], message: str) -> None:
    db = tmp_path / "new.sqlite"
    with FakeBMO(corpus) as fake:
        assert main(["sync", "--url", fake.url, "--db", str(db), "--min-interval", "0",
                     *flags]) == 2
        paths = [r["path"] for r in fake.requests]
    assert capsys.readouterr().err == f"bzanalytics: {message}\n"
    assert paths == ["/rest/time", "/rest/bug", "/rest/product"]
    assert not db.exists()  # no empty snapshot left behind


def test_an_existing_but_empty_component_syncs_without_a_complaint(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    corpus = write_corpus(tmp_path / "empty", [])
    db = tmp_path / "s.sqlite"
    with FakeBMO(corpus) as fake:
        assert main(["sync", "--url", fake.url, "--db", str(db), "--min-interval", "0"]) == 0
        assert [r["path"] for r in fake.requests][-1] == "/rest/product"
        fake.clear_requests()
        assert main(["sync", "--url", fake.url, "--db", str(db), "--min-interval", "0"]) == 0
        assert "/rest/product" not in [r["path"] for r in fake.requests]  # incremental: no check
    assert "full sync: 0 bugs listed, 0 stored" in capsys.readouterr().out


def test_a_listing_with_bugs_needs_no_product_lookup(corpus: Path, tmp_path: Path) -> None:
    with FakeBMO(corpus) as fake:
        assert main(["sync", "--url", fake.url, "--db", str(tmp_path / "s.sqlite"),
                     "--min-interval", "0", "--quiet"]) == 0
        assert "/rest/product" not in [r["path"] for r in fake.requests]


@pytest.mark.parametrize(("value", "ok"), [("0", False), ("-1", False), ("inf", False),
                                           ("0.001", True), ("120", True)])
def test_timeout_must_be_more_than_zero(value: str, ok: bool,
                                        capsys: pytest.CaptureFixture) -> None:
    parser = build_parser()
    if ok:
        assert parser.parse_args(["sync", "--db", "x", "--timeout", value]).timeout == float(value)
        return
    with pytest.raises(SystemExit) as caught:
        parser.parse_args(["sync", "--db", "x", "--timeout", value])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("bzanalytics: error: argument --timeout: ") and err.count("\n") == 1
    assert "more than 0" in err or "not a number" in err
    assert "more than 0" in parser._subparsers._group_actions[0].choices["sync"].format_help()


@pytest.mark.parametrize(("value", "ok"), [("0", False), ("1", True), ("20", True),
                                           ("21", False), ("x", False)])
def test_max_tries_bounds(value: str, ok: bool) -> None:
    parser = build_parser()
    if ok:
        args = parser.parse_args(["sync", "--db", "x", "--max-tries", value])
        assert args.max_tries == int(value)
    else:
        with pytest.raises(SystemExit):
            parser.parse_args(["sync", "--db", "x", "--max-tries", value])


def test_the_resumed_summary_says_what_happened() -> None:
    resumed = SyncResult(requests=16, bugs_listed=3, bugs_fetched=1403, bugs_stored=1403,
                         not_visible=0, elapsed=3.14, db_time="2026-11-01T00:00:00Z",
                         incremental=True, resumed=1400)
    assert describe(resumed, "ca.sqlite") == (
        "resumed an interrupted sync: 1,400 bugs were left to fetch and 3 changed since it "
        "started; 1,403 stored; 16 requests in 3.1 s; ca.sqlite is current as of "
        "2026-11-01T00:00:00Z")
    fresh = SyncResult(requests=2, bugs_listed=0, bugs_fetched=0, bugs_stored=0, not_visible=0,
                       elapsed=0.5, db_time="2026-11-01T00:00:00Z", incremental=True, resumed=0)
    assert describe(fresh, "ca.sqlite").startswith("incremental sync: 0 bugs listed, 0 stored;")
