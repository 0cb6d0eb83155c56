"""The fake BMO answers like BMO (bmo-rest-api.md §1 and §5), checked through real HTTP."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from bzanalytics.errors import UsageError
from bzanalytics.testing import minicorpus
from bzanalytics.testing.bmorest import Caller, limited_call
from bzanalytics.testing.fakebmo import FakeBMO, parse_faults
from tests.sync_helpers import small_bug, write_corpus

KEY = "fake-key-Zq81"
INSIDER_KEY = "fake-insider-Wm27"
MEMBER_KEY = "fake-member-Px44"
DOCS = "https://bmo.readthedocs.io/en/latest/api/"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", [
        small_bug(101, "2026-01-10T00:00:00Z", comments=3, private=(1,), attachments=2),
        small_bug(102, "2026-03-01T12:00:00Z", groups=("core-security",)),
        small_bug(103, "2026-02-01T00:00:00Z"),
        small_bug(104, "2026-05-05T05:05:05Z", product="NSS"),
        small_bug(105, "2025-12-31T23:59:59Z"),
    ], now="2026-04-01T00:00:00Z")


@pytest.fixture
def fake(corpus: Path):
    with FakeBMO(corpus, api_key=KEY, insider_key=INSIDER_KEY, keys={
            MEMBER_KEY: Caller(authenticated=True, groups=frozenset({"core-security"}))}) \
            as server:
        yield server


def get(fake: FakeBMO, path: str, params: object = None, **headers: str) -> requests.Response:
    return requests.get(fake.url + path, params=params, headers=headers, timeout=10)


def ids(response: requests.Response) -> list[int]:
    assert response.status_code == 200, response.text
    return [bug["id"] for bug in response.json()["bugs"]]


def test_time_is_the_newest_change_or_corpus_now(fake: FakeBMO, corpus: Path) -> None:
    now = "2026-05-05T05:05:05Z"  # BMO's keys (WebService/Bugzilla.pm `time`)
    assert get(fake, "/rest/time").json() == {
        "db_time": now, "web_time": now, "web_time_utc": now, "tz_name": "UTC",
        "tz_offset": "+0000", "tz_short_name": "UTC"}
    minicorpus.touch(corpus, [103], "comment", at="2026-06-01T00:00:00Z")
    assert get(fake, "/rest/time").json()["db_time"] == "2026-06-01T00:00:00Z"


def test_corpus_now_wins_when_later(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", [small_bug(7, "2020-01-01T00:00:00Z")],
                          now="2026-11-01T00:00:00Z")
    with FakeBMO(corpus) as server:
        assert get(server, "/rest/time").json()["db_time"] == "2026-11-01T00:00:00Z"


def test_search_filters_and_hides_invisible_bugs(fake: FakeBMO) -> None:
    base = {"order": "bug_id", "include_fields": "id"}
    assert ids(get(fake, "/rest/bug", base)) == [101, 103, 104, 105]
    assert ids(get(fake, "/rest/bug", {**base, "product": "CA Program"})) == [101, 103, 105]
    assert ids(get(fake, "/rest/bug", [("product", "NSS"), ("product", "CA Program"),
                                        ("order", "bug_id")])) == [101, 103, 104, 105]
    # a list of ids: the invisible 102 and the missing 999 are silently left out
    assert ids(get(fake, "/rest/bug", {**base, "id": "105,102,999,101"})) == [101, 105]
    # last_change_time means "at this time or later"
    assert ids(get(fake, "/rest/bug", {**base, "last_change_time": "2026-01-10T00:00:00Z"})) \
        == [101, 103, 104]
    assert get(fake, "/rest/bug", {"count_only": "1", "product": "CA Program"}).json() \
        == {"bug_count": 3}


def test_each_role_sees_what_bmo_shows_it(fake: FakeBMO) -> None:
    params = {"id": "101,102", "include_fields": "id,comments,attachments", "order": "bug_id",
              "exclude_fields": "attachments.data"}

    def seen(key: str | None) -> dict[int, tuple[list[int], list[int]]]:
        headers = {"X-BUGZILLA-API-KEY": key} if key else {}
        bugs = get(fake, "/rest/bug", params, **headers).json()["bugs"]
        return {b["id"]: ([c["count"] for c in b["comments"]],
                          [a["id"] for a in b["attachments"]]) for b in bugs}

    public = {101: ([0, 2], [1010])}
    assert seen(None) == public
    assert seen(KEY) == public  # a normal account: no insider group, no security group
    # a member of core-security sees bug 102, but still no private comment or attachment
    assert seen(MEMBER_KEY) == {**public, 102: ([0, 1], [])}
    assert seen(INSIDER_KEY) == {101: ([0, 1, 2], [1010, 1011]), 102: ([0, 1], [])}
    assert [e["authenticated"] for e in fake.requests] == [False, True, True, True]


def test_comments_carry_tags_and_spam_or_deleted_ones_are_hidden(fake: FakeBMO,
                                                                 corpus: Path) -> None:
    def counts(key: str | None = None) -> list[tuple[int, list[str]]]:
        headers = {"X-BUGZILLA-API-KEY": key} if key else {}
        answer = get(fake, "/rest/bug/103/comment", **headers).json()
        return [(c["count"], c["tags"]) for c in answer["bugs"]["103"]["comments"]]

    assert counts() == [(0, []), (1, [])]
    before = minicorpus.read_bugs(corpus)
    minicorpus.tag_comment(corpus, 103, 1, "spam", at="2026-06-01T00:00:00Z")
    minicorpus.tag_comment(corpus, 103, 0, "typo", at="2026-06-01T00:00:00Z")
    after = {b["id"]: b for b in minicorpus.read_bugs(corpus)}
    # tagging touches the comment tables (and the history), never last_change_time
    assert after[103]["last_change_time"] == before[2]["last_change_time"]
    assert [c["field_name"] for h in after[103]["history"] for c in h["changes"]][-2:] == [
        "comment_tag", "comment_tag"]
    assert counts() == counts(KEY) == [(0, ["typo"])]
    assert counts(INSIDER_KEY) == [(0, ["typo"]), (1, ["spam"])]
    search = get(fake, "/rest/bug", {"id": "103", "include_fields": "comments"}).json()
    assert [c["count"] for c in search["bugs"][0]["comments"]] == [0]


def test_edit_comment_keeps_last_change_time(fake: FakeBMO, corpus: Path) -> None:
    before = {b["id"]: b for b in minicorpus.read_bugs(corpus)}[101]
    minicorpus.edit_comment(corpus, 101, 0, "edited description")
    after = {b["id"]: b for b in minicorpus.read_bugs(corpus)}[101]
    assert after["last_change_time"] == before["last_change_time"]
    assert after["history"] == before["history"]
    answer = get(fake, "/rest/bug/101/comment").json()["bugs"]["101"]["comments"]
    assert (answer[0]["text"], answer[0]["raw_text"]) == ("edited description",) * 2
    with pytest.raises(KeyError, match="no comment 7"):
        minicorpus.edit_comment(corpus, 101, 7, "x")


def test_move_changes_product_and_bumps_the_change_time(fake: FakeBMO, corpus: Path) -> None:
    when = minicorpus.move(corpus, 103, "CA Program", "CA Certificate Root Program")
    bug = {b["id"]: b for b in minicorpus.read_bugs(corpus)}[103]
    assert (bug["component"], bug["last_change_time"]) == ("CA Certificate Root Program", when)
    assert bug["history"][-1]["changes"] == [{"field_name": "component", "removed":
                                              "CA Certificate Compliance",
                                              "added": "CA Certificate Root Program"}]
    listed = get(fake, "/rest/bug", {"component": "CA Certificate Compliance",
                                     "include_fields": "id", "order": "bug_id"})
    assert ids(listed) == [101, 104, 105]


def test_attachment_endpoints(fake: FakeBMO) -> None:
    answer = get(fake, "/rest/bug/101/attachment", {"ids": "103"}).json()
    assert set(answer) == {"bugs", "attachments"}
    assert {k: [a["id"] for a in v] for k, v in answer["bugs"].items()} == {
        "101": [1010], "103": []}
    assert "data" in answer["bugs"]["101"][0]  # as on BMO, unless excluded
    lean = get(fake, "/rest/bug/101/attachment", {"exclude_fields": "data"}).json()
    assert "data" not in lean["bugs"]["101"][0]
    one = get(fake, "/rest/bug/attachment/1010", {"include_fields": "id,file_name"}).json()
    assert one == {"bugs": {}, "attachments": {"1010": {"id": 1010, "file_name": "f0.txt"}}}
    private = get(fake, "/rest/bug/attachment/1011")
    assert private.status_code == 401
    insider = get(fake, "/rest/bug/attachment/1011", **{"X-BUGZILLA-API-KEY": INSIDER_KEY})
    assert list(insider.json()["attachments"]) == ["1011"]
    assert get(fake, "/rest/bug/attachment/5").status_code == 404


def test_include_and_exclude_fields(fake: FakeBMO) -> None:
    def bug(**params: str) -> dict:
        return get(fake, "/rest/bug", {"id": "101", **params}).json()["bugs"][0]

    assert set(bug(include_fields="id,summary")) == {"id", "summary"}
    assert set(bug(include_fields="summary")) == {"id", "summary"}  # id always comes back
    default = bug()
    assert "comments" not in default and "history" not in default
    assert default["comment_count"] == 3  # counts private comments too, as BMO does
    assert {"summary", "whiteboard", "creator", "groups"} <= set(default)
    full = bug(include_fields="_default,comments,history,attachments",
               exclude_fields="attachments.data")
    assert set(full) == set(default) | {"comments", "history", "attachments"}
    assert [a["id"] for a in full["attachments"]] == [1010]  # the private one is hidden
    assert "data" not in full["attachments"][0]
    assert "data" in bug(include_fields="_all")["attachments"][0]  # why _all is never used
    assert bug(include_fields="comments.text")["comments"] == [
        {"text": "text 0 of 101"}, {"text": "text 2 of 101"}]
    assert "summary" not in bug(exclude_fields="summary")
    assert "whiteboard" in bug(include_fields="_default", exclude_fields="summary")


def test_limit_cap_offset_and_order(corpus: Path) -> None:
    with FakeBMO(corpus, limit_cap=2) as fake:
        assert ids(get(fake, "/rest/bug", {"order": "bug_id"})) == [101, 103]
        assert ids(get(fake, "/rest/bug", {"order": "bug_id", "limit": "50"})) == [101, 103]
        assert ids(get(fake, "/rest/bug", {"order": "bug_id", "limit": "2", "offset": "2"})) \
            == [104, 105]
        assert ids(get(fake, "/rest/bug", {"order": "bug_id", "limit": "0", "offset": "2"})) \
            == [101, 103]  # limit=0 drops the offset, and is still capped
        # no order: unspecified on BMO; the fake answers newest change first
        assert ids(get(fake, "/rest/bug", {"limit": "9"})) == [104, 103]
        assert ids(get(fake, "/rest/bug", {"order": "bug_id DESC", "limit": "2"})) == [105, 104]
        answer = get(fake, "/rest/bug", {"offset": "2"})
    assert answer.status_code == 400
    assert answer.json() == {"error": True, "code": 50, "documentation": DOCS, "message":
                             "The function Bug.search requires a 'limit' argument when 'offset' "
                             "is set."}


def test_comments_and_history_endpoints(fake: FakeBMO) -> None:
    answer = get(fake, "/rest/bug/101/comment", [("ids", "103"), ("ids", "101")]).json()
    assert set(answer) == {"bugs", "comments"}
    assert {k: [c["count"] for c in v["comments"]] for k, v in answer["bugs"].items()} == {
        "101": [0, 2], "103": [0, 1]}
    newer = get(fake, "/rest/bug/101/comment", {"new_since": "2025-06-01T00:00:00Z"}).json()
    assert [c["count"] for c in newer["bugs"]["101"]["comments"]] == [2]
    history = get(fake, "/rest/bug/103/history").json()
    assert history == {"bugs": [{"id": 103, "alias": None, "history": [
        {"when": "2026-02-01T00:00:00Z", "who": "ben@example.com", "changes": [
            {"field_name": "status", "removed": "UNCONFIRMED", "added": "NEW"}]}]}]}
    denied = get(fake, "/rest/bug/101/comment", {"ids": "102"})
    assert (denied.status_code, denied.json()["code"]) == (401, 102)
    skipped = get(fake, "/rest/bug/101/comment", {"ids": "102", "skip_private": "1"}).json()
    assert list(skipped["bugs"]) == ["101"]
    one = get(fake, "/rest/bug/103", {"include_fields": "id,status"}).json()
    assert one == {"bugs": [{"id": 103, "status": "NEW"}], "faults": []}
    hidden = get(fake, "/rest/bug/102")
    assert (hidden.status_code, hidden.json()["code"]) == (401, 102)
    missing = get(fake, "/rest/bug/999/history")
    assert (missing.status_code, missing.json()["message"]) == (404, "Bug #999 does not exist.")


def test_errors_have_bmo_envelopes_and_statuses(fake: FakeBMO) -> None:
    unknown = get(fake, "/rest/nothing")
    assert (unknown.status_code, unknown.json()["code"]) == (404, 32614)
    bad_limit = get(fake, "/rest/bug", {"limit": "ten"})
    assert (bad_limit.status_code, bad_limit.json()["code"]) == (400, 52)
    too_long = get(fake, "/rest/bug", {"id": ",".join(["1234567"] * 1000)})
    assert too_long.status_code == 414
    assert too_long.headers["Content-Type"] == "text/plain"
    assert too_long.text == "URI Too Long\n"


def test_product_lookup(fake: FakeBMO) -> None:
    answer = get(fake, "/rest/product", {"names": "CA Program",
                                         "include_fields": "id,name,components.name"}).json()
    assert answer == {"products": [{"id": 1, "name": "CA Program",
                                    "components": [{"name": "CA Certificate Compliance"}]}]}
    assert get(fake, "/rest/product", {"names": "Firefox"}).json() == {"products": []}


def test_rate_limit_sequence(corpus: Path) -> None:
    with FakeBMO(corpus, rate_limit_after=2) as fake:
        statuses = [get(fake, "/rest/bug/101") for _ in range(5)]
        assert [r.status_code for r in statuses] == [200, 200, 400, 429, 429]
        assert statuses[2].json()["code"] == 32000
        assert statuses[2].json()["message"] == "You have exceeded the rate limit."
        assert statuses[3].headers["Content-Type"].startswith("text/html")
        assert all("Retry-After" not in r.headers for r in statuses)
        assert get(fake, "/rest/time").status_code == 429  # blocked means blocked for all
        fake.unblock()  # the hour has passed
        assert get(fake, "/rest/time").status_code == 200


@pytest.mark.parametrize(("path", "rule"), [
    ("/rest/bug/101", "get_bug"), ("/rest/bug/101/comment", "get_comments"),
    ("/rest/bug/101/attachment", "get_attachments"),
    ("/rest/bug/attachment/1010", "get_attachments"), ("/rest/bug/101/history", None),
    ("/rest/bug", None), ("/rest/time", None), ("/rest/product", None)])
def test_which_calls_bmo_rate_limits(path: str, rule: str | None) -> None:
    assert limited_call(path) == rule


def test_rate_limit_counts_only_anonymous_bug_comment_and_attachment_reads(
        corpus: Path) -> None:
    with FakeBMO(corpus, rate_limit_after=3, api_key=KEY) as fake:
        for _ in range(3):  # search, history and time are not limited on BMO
            for path in ("/rest/bug", "/rest/bug/101/history", "/rest/time"):
                assert get(fake, path).status_code == 200
        for _ in range(4):  # neither are calls with a valid key
            assert get(fake, "/rest/bug/101", **{"X-BUGZILLA-API-KEY": KEY}).status_code == 200
        served = [get(fake, path).status_code for path in (
            "/rest/bug/101", "/rest/bug/101/comment", "/rest/bug/101/attachment",
            "/rest/bug/101")]
        assert served == [200, 200, 200, 400]
        assert get(fake, "/rest/bug").status_code == 429


def test_block_after_blocks_every_request_after_k(corpus: Path) -> None:
    with FakeBMO(corpus, block_after=2) as fake:
        assert [get(fake, "/rest/bug").status_code for _ in range(4)] == [200, 200, 429, 429]
        fake.unblock()
        assert get(fake, "/rest/bug").status_code == 200
        fake.block()
        assert get(fake, "/rest/time").status_code == 429


def test_five_bad_keys_in_a_minute_block_the_address_for_an_hour(corpus: Path) -> None:
    clock = [1000.0]
    with FakeBMO(corpus, api_key=KEY) as fake:
        fake.gate.clock = lambda: clock[0]
        bad = {"X-BUGZILLA-API-KEY": "wrong"}
        for _ in range(4):  # four in a minute: each is error 306, nothing blocked yet
            answer = get(fake, "/rest/time", **bad)
            assert (answer.status_code, answer.json()["code"]) == (400, 306)
            clock[0] += 14
        clock[0] += 5  # 61 s after the first: only three remain in the window
        assert get(fake, "/rest/time", **bad).status_code == 400
        assert get(fake, "/rest/time").status_code == 200
        assert get(fake, "/rest/time", **bad).status_code == 400  # the fifth within 60 s
        assert get(fake, "/rest/time", **{"X-BUGZILLA-API-KEY": KEY}).status_code == 429
        clock[0] += 3599  # each blocked request restarts the hour
        assert get(fake, "/rest/time").status_code == 429
        clock[0] += 3599
        assert get(fake, "/rest/time").status_code == 429
        clock[0] += 3601
        assert get(fake, "/rest/time").status_code == 200


def test_keys_are_checked_and_never_logged(corpus: Path, tmp_path: Path) -> None:
    log_file = tmp_path / "requests.jsonl"
    with FakeBMO(corpus, api_key=KEY, request_log=log_file) as fake:
        wrong = get(fake, "/rest/time", **{"X-BUGZILLA-API-KEY": "nope-" + KEY})
        right = get(fake, "/rest/time", **{"X-BUGZILLA-API-KEY": KEY})
        in_url = get(fake, "/rest/time", {"api_key": KEY})  # BMO accepts it; we must not send it
        logged = list(fake.requests)
    # BMO maps 306 to no HTTP status of its own: the default 400 (WebService/Constants.pm)
    assert (wrong.status_code, wrong.json()["code"]) == (400, 306)
    assert (right.status_code, in_url.status_code) == (200, 200)
    assert [e.get("authenticated") for e in logged] == [False, True, True]
    assert logged[2]["key_in_query"] is True
    assert logged[2]["query"] == "api_key=REDACTED"
    text = log_file.read_text()
    assert KEY not in text
    assert [json.loads(line) for line in text.splitlines()] == logged


def test_require_key(corpus: Path) -> None:
    with FakeBMO(corpus, require_key=True) as fake:
        answer = get(fake, "/rest/time")
    assert (answer.status_code, answer.json()["code"]) == (401, 410)


def test_request_log_entries(fake: FakeBMO) -> None:
    get(fake, "/rest/bug", {"id": "101", "include_fields": "id"})
    body = b'{"bugs": [{"id": 101}], "faults": []}'
    assert fake.requests == [{"method": "GET", "path": "/rest/bug",
                              "query": "id=101&include_fields=id", "authenticated": False,
                              "status": 200, "bytes": len(body)}]


@pytest.mark.parametrize(("spec", "expected"), [
    ("503:0.05", [("503", 0.05, 1000)]),
    ("drop:0.1, slow:0.2@250", [("drop", 0.1, 1000), ("slow", 0.2, 250)]),
    ("all:0.1", [(k, pytest.approx(0.02), 0) for k in ("500", "502", "503", "drop",
                                                           "truncate")]),
    ("", []),
])
def test_fault_spec(spec: str, expected: list) -> None:
    assert parse_faults(spec) == expected


@pytest.mark.parametrize("spec", ["503", "404:0.1", "drop:2", "drop:x", "500:0.6,502:0.6"])
def test_bad_fault_spec(spec: str) -> None:
    with pytest.raises(UsageError):
        parse_faults(spec)


def _statuses(corpus: Path, seed: int) -> list[tuple[int, str | None]]:
    # One connection per request: a reused keep-alive connection that the server has just closed
    # can fail before the request reaches the fake, which would make the log depend on timing.
    with FakeBMO(corpus, faults="500:0.2,drop:0.2,truncate:0.2,badjson:0.2", fault_seed=seed) \
            as fake:
        for _ in range(40):
            with contextlib.suppress(requests.RequestException, ValueError):
                requests.get(fake.url + "/rest/time", headers={"Connection": "close"},
                             timeout=10).json()
        return [(e["status"], e.get("fault")) for e in fake.requests]


def test_faults_are_deterministic_and_look_like_real_failures(corpus: Path) -> None:
    first = _statuses(corpus, seed=5)
    assert first == _statuses(corpus, seed=5)
    assert first != _statuses(corpus, seed=6)
    kinds = {fault for _, fault in first}
    assert kinds == {None, "500", "drop", "truncate", "badjson"}
    assert {status for status, fault in first if fault == "drop"} == {0}
    assert {status for status, fault in first if fault in ("truncate", "badjson", None)} == {200}
    with FakeBMO(corpus, faults="drop:1") as fake, pytest.raises(requests.ConnectionError):
        requests.get(fake.url + "/rest/time", timeout=10)
    with FakeBMO(corpus, faults="truncate:1") as fake, \
            pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(fake.url + "/rest/time", timeout=10)
    with FakeBMO(corpus, faults="badjson:1") as fake:
        answer = requests.get(fake.url + "/rest/time", timeout=10)
        with pytest.raises(ValueError):
            answer.json()
    with FakeBMO(corpus, faults="502:1") as fake:
        answer = requests.get(fake.url + "/rest/time", timeout=10)
        assert (answer.status_code, answer.headers["Content-Type"][:9]) == (502, "text/html")


def test_minicorpus_shape(tmp_path: Path) -> None:
    corpus = minicorpus.build(tmp_path / "c", bugs=200, comments=4000, big_bugs=2,
                              big_comments=300, hidden=5, seed=3)
    bugs = minicorpus.read_bugs(corpus)
    assert len(bugs) == 200
    assert sum(b["comment_count"] for b in bugs) == sum(len(b["comments"]) for b in bugs) == 4000
    assert sum(1 for b in bugs if b["groups"]) == 5
    assert sum(1 for b in bugs if b["comment_count"] >= 300) == 2
    assert any(c["is_private"] for b in bugs for c in b["comments"])
    assert [b["id"] for b in bugs] == sorted({b["id"] for b in bugs})
    assert all([c["count"] for c in b["comments"]] == list(range(b["comment_count"]))
               for b in bugs)
    assert minicorpus.build(tmp_path / "again", bugs=200, comments=4000, big_bugs=2,
                            big_comments=300, hidden=5, seed=3).joinpath("bugs.jsonl") \
        .read_bytes() == (corpus / "bugs.jsonl").read_bytes()


def test_touch_changes_bugs_and_their_change_time(corpus: Path) -> None:
    when = minicorpus.touch(corpus, [101, 103], "comment")
    assert when == "2026-05-05T05:06:05Z"  # a minute after the corpus's db_time
    minicorpus.touch(corpus, [105], "status", at="2026-07-01T00:00:00Z")
    minicorpus.touch(corpus, [105], "whiteboard", at="2026-07-02T00:00:00Z")
    bugs = {b["id"]: b for b in minicorpus.read_bugs(corpus)}
    assert bugs[101]["comment_count"] == 4 and bugs[101]["comments"][-1]["count"] == 3
    assert bugs[103]["last_change_time"] == when
    assert bugs[105]["status"] == "RESOLVED" and bugs[105]["whiteboard"] == \
        "[ca-compliance] [audit-delay]"
    assert [c["field_name"] for h in bugs[105]["history"][1:] for c in h["changes"]] == [
        "status", "whiteboard"]
    assert bugs[105]["last_change_time"] == "2026-07-02T00:00:00Z"
    new = minicorpus.add_bugs(corpus, 2)
    assert new == [106, 107]
    assert minicorpus.db_time(corpus) == "2026-07-02T00:01:00Z"


def test_cli_serves_a_corpus(corpus: Path, tmp_path: Path) -> None:
    log_file = tmp_path / "log.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bzanalytics.cli", "fake-bmo", "--corpus", str(corpus),
         "--request-log", str(log_file), "--api-key", KEY, "--insider-key", INSIDER_KEY],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = proc.stdout.readline()
        assert line.startswith(f"fake BMO serving {corpus} at http://127.0.0.1:")
        url = line.split(" at ")[1].split()[0]
        answer = requests.get(url + "/rest/bug", params={"id": "101", "include_fields": "id"},
                              headers={"X-BUGZILLA-API-KEY": KEY}, timeout=10)
        assert answer.json() == {"bugs": [{"id": 101}], "faults": []}
        seen = {key: [c["count"] for c in requests.get(
            url + "/rest/bug/101/comment", headers={"X-BUGZILLA-API-KEY": key},
            timeout=10).json()["bugs"]["101"]["comments"]] for key in (KEY, INSIDER_KEY)}
        assert seen == {KEY: [0, 2], INSIDER_KEY: [0, 1, 2]}  # private comment 1: insiders
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    assert proc.returncode == 0
    assert [json.loads(x)["query"] for x in log_file.read_text().splitlines()] == [
        "id=101&include_fields=id", "", ""]
