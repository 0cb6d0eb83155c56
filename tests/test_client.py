"""BMOClient: headers, pacing, retries, and the mapping of BMO's answers to errors.py errors."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
import requests

from bzanalytics.bmo.client import BMOClient, RequestTooLong, user_agent
from bzanalytics.errors import AuthError, BMOError, RateLimited, TransportError, UsageError
from bzanalytics.testing.fakebmo import FakeBMO
from tests.sync_helpers import small_bug, write_corpus

URL = "https://bmo.example.com"
KEY = "client-test-key-5e1f"


class StubSession:
    """Plays back prepared answers (responses or exceptions) and records each call."""

    def __init__(self, *answers: requests.Response | Exception):
        self.answers = list(answers)
        self.calls: list[dict] = []

    def get(self, url: str, **kwargs: object) -> requests.Response:
        self.calls.append({"url": url, **kwargs})
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


class Clock:
    """A clock that only moves when someone sleeps (or a test moves it)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def answer(status: int, body: object = None, content_type: str = "application/json",
           **headers: str) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}.get(status, "Status")
    text = body if isinstance(body, str) else json.dumps(body)
    response._content = text.encode()
    response.headers.update({"Content-Type": content_type, **headers})
    response.url = URL + "/rest/x"
    return response


def error(status: int, code: int, message: str) -> requests.Response:
    return answer(status, {"error": True, "code": code, "message": message,
                           "documentation": "https://bmo.readthedocs.io/en/latest/api/"})


def make(*answers: requests.Response | Exception, **kwargs: object) -> tuple[BMOClient,
                                                                            StubSession, Clock]:
    session, clock = StubSession(*answers), Clock()
    kwargs.setdefault("min_interval", 0)
    client = BMOClient(URL, session=session, sleep=clock.sleep, clock=clock,  # type: ignore
                       rng=random.Random(1), **kwargs)
    return client, session, clock


def test_request_shape_with_key() -> None:
    client, session, _ = make(answer(200, {"db_time": "2026-01-01T00:00:00Z"}), api_key=KEY)
    assert client.db_time() == "2026-01-01T00:00:00Z"
    (call,) = session.calls
    assert call["url"] == "https://bmo.example.com/rest/time"
    assert call["headers"] == {"User-Agent": user_agent(), "Accept": "application/json",
                               "X-BUGZILLA-API-KEY": KEY}
    assert call["allow_redirects"] is False
    assert call["timeout"] == (10.0, 120.0)
    assert user_agent() == "bzanalytics/0.1.0 (CA incident research; python-requests)"
    assert user_agent("me@example.com").endswith("; contact me@example.com)")
    assert KEY not in repr(client)


def test_anonymous_requests_carry_no_key_header() -> None:
    client, session, _ = make(answer(200, {"bugs": [{"id": 1}]}))
    assert client.search([("id", "1")]) == [{"id": 1}]
    assert "X-BUGZILLA-API-KEY" not in session.calls[0]["headers"]
    assert session.calls[0]["params"] == [("id", "1")]


def test_minimum_interval_between_request_starts() -> None:
    ok = answer(200, {"db_time": "2026-01-01T00:00:00Z"})
    client, _, clock = make(ok, ok, ok, min_interval=1.0)
    client.db_time()  # the first request does not wait
    client.db_time()  # immediately after: waits the full second
    clock.now += 0.25
    client.db_time()  # a quarter second passed: waits the rest
    assert clock.sleeps == [1.0, 0.75]


def test_transient_faults_are_retried_with_growing_jittered_backoff() -> None:
    client, session, clock = make(
        answer(503, "<html>503</html>", "text/html"),
        requests.ConnectionError("Connection aborted. RemoteDisconnected"),
        answer(200, '{"db_time": "2026-0'),  # a body cut short
        answer(200, {"db_time": "2026-01-01T00:00:00Z"}))
    assert client.db_time() == "2026-01-01T00:00:00Z"
    assert len(session.calls) == 4 == client.requests_sent
    first, second, third = clock.sleeps
    assert 1 <= first <= 2 and 2 <= second <= 4 and 4 <= third <= 8  # backoff 2 s doubling


def test_gives_up_after_four_tries() -> None:
    bad = answer(502, "<html>Bad Gateway</html>", "text/html")
    client, session, _ = make(bad, bad, bad, bad, bad)
    with pytest.raises(TransportError) as caught:
        client.db_time()
    assert len(session.calls) == 4
    assert str(caught.value) == ("https://bmo.example.com did not answer properly after 4 tries "
                                 "(last: HTTP 502 with a body that is not valid JSON); check "
                                 "--url or try again later")
    assert caught.value.exit_code == 8


@pytest.mark.parametrize("rate_limited", [
    error(400, 32000, "You have exceeded the rate limit."),
    answer(429, "<html><body>Too Many Requests</body></html>", "text/html"),
])
def test_rate_limit_stops_at_once(rate_limited: requests.Response) -> None:
    client, session, clock = make(rate_limited, answer(200, {}))
    with pytest.raises(RateLimited) as caught:
        client.db_time()
    assert len(session.calls) == 1 and clock.sleeps == []
    assert caught.value.exit_code == 3


def test_other_32000_errors_are_plain_bmo_errors() -> None:
    client, _, _ = make(error(400, 32000, "The product name is invalid."))
    with pytest.raises(BMOError) as caught:
        client.search([("product", "x")])
    assert type(caught.value) is BMOError
    assert (caught.value.status, caught.value.code) == (400, 32000)
    assert str(caught.value) == "BMO error 32000: The product name is invalid."


def test_auth_errors_are_not_retried_and_never_show_the_key() -> None:
    # BMO answers error 306 with HTTP 400 (306 is not in REST_STATUS_CODE_MAP)
    client, session, _ = make(error(400, 306, f"The API key {KEY} is invalid."), api_key=KEY)
    with pytest.raises(AuthError) as caught:
        client.db_time()
    assert len(session.calls) == 1
    assert caught.value.exit_code == 4 and caught.value.code == 306
    assert KEY not in str(caught.value)
    assert str(caught.value) == (
        "BMO refused the credentials (code 306): The API key [key] is invalid. Check "
        "BUGZILLA_API_KEY or --api-key-file before running again: every refused key counts "
        "toward BMO's block of this address (five in a minute block it for an hour), and "
        "retrying with a wrong key extends a block.")


def test_a_401_auth_code_is_an_auth_error_too() -> None:
    client, session, _ = make(error(401, 410, "You must log in."))
    with pytest.raises(AuthError):
        client.db_time()
    assert len(session.calls) == 1


def test_errors_carry_bmo_code_and_message() -> None:
    client, _, _ = make(error(404, 101, "Bug #5 does not exist."))
    with pytest.raises(BMOError) as caught:
        client.get("/rest/bug/5/comment")
    assert (caught.value.status, caught.value.code, str(caught.value)) == (
        404, 101, "BMO error 101: Bug #5 does not exist.")


@pytest.mark.parametrize("body", [{"db_time": "yesterday"}, {"web_time": "x"}, [1]])
def test_a_time_answer_without_a_usable_db_time(body: object) -> None:
    client, _, _ = make(answer(200, body))
    with pytest.raises(BMOError, match="no usable db_time"):
        client.db_time()


def test_uri_too_long_and_redirects() -> None:
    client, _, _ = make(answer(414, "URI Too Long\n", "text/plain"))
    with pytest.raises(RequestTooLong):
        client.search([("id", "1")])
    moved = answer(301, "", "text/html", Location="https://elsewhere.example.com/rest/time")
    client, session, _ = make(moved, api_key=KEY)
    with pytest.raises(BMOError, match=re.escape("redirected to https://elsewhere.example.com/rest/time")):
        client.db_time()
    assert len(session.calls) == 1  # the key is never carried to another host


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"url": "ftp://bmo.example.com"}, "--url must be an http(s) URL"),
    ({"url": "bugzilla.mozilla.org"}, "--url must be an http(s) URL"),
    ({"url": "http://bmo.example.com", "api_key": KEY}, "refusing to send an API key over "
                                                         "plain http"),
    ({"min_interval": -1}, "minimum interval must be a number of seconds >= 0"),
    ({"min_interval": float("nan")}, "minimum interval"),
    ({"max_tries": 0}, "at least 1"),
    ({"api_key": "two words"}, "one non-empty word"),
    ({"contact": "me@example.com\r\nX-Evil: 1"}, "the contact must be plain text"),
])
def test_bad_settings_are_usage_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)) as caught:
        BMOClient(**kwargs)
    assert KEY not in str(caught.value)


def test_plain_http_with_a_key_is_fine_on_loopback() -> None:
    assert BMOClient("http://127.0.0.1:8080/", api_key=KEY).url == "http://127.0.0.1:8080"
    assert BMOClient("http://localhost:1", api_key=KEY).authenticated


def test_against_a_flaky_fake(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", [small_bug(1, "2026-01-01T00:00:00Z")])
    with FakeBMO(corpus, faults="all:0.25", fault_seed=1) as fake:
        client = BMOClient(fake.url, min_interval=0, sleep=lambda s: None)
        times = {client.db_time() for _ in range(60)}
        faults = [e for e in fake.requests if "fault" in e]
        assert times == {"2026-11-01T00:00:00Z"}
        assert client.requests_sent == len(fake.requests) == 60 + len(faults)
        assert {e["fault"] for e in faults} == {"500", "502", "503", "drop", "truncate"}


def test_unreachable_host(tmp_path: Path) -> None:
    client = BMOClient("http://127.0.0.1:9", min_interval=0, max_tries=2, sleep=lambda s: None)
    with pytest.raises(TransportError, match=r"after 2 tries \(last: connection refused\)"):
        client.db_time()
