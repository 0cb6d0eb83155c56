"""`BMOClient`: the only code that speaks HTTP, so retries, pacing and error mapping live here once.

BMO punishes careless clients: a burst of anonymous calls blocks the address for an hour, every
request while blocked extends the block, and failed key checks count toward it too. So requests
are sequential with a minimum interval, transient faults (connection errors, cut-off or garbled
bodies, 500/502/503/504) get at most a few tries with exponential backoff and jitter, and a
rate-limit or authentication answer is never retried. The API key travels only in the
`X-BUGZILLA-API-KEY` header (never in a URL, a log line, a message or `repr`).

    client = BMOClient("https://bugzilla.mozilla.org", api_key=key)
    client.db_time()                     # "2026-11-01T00:00:00Z"
    client.search([("id", "1,2"), ("include_fields", "id,summary")])
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
import random
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests

from bzanalytics import __version__
from bzanalytics.errors import AuthError, BMOError, RateLimited, TransportError, UsageError

DEFAULT_URL = "https://bugzilla.mozilla.org"
KEY_HEADER = "X-BUGZILLA-API-KEY"
RETRY_STATUSES = frozenset({500, 502, 503, 504})
# BMO's authentication error codes (Bugzilla/WebService/Constants.pm): bad login, disabled
# account, invalid or revoked API key, login required.
AUTH_CODES = frozenset({300, 301, 302, 303, 304, 305, 306, 307, 410})
RATE_LIMIT_CODE = 32000  # BMO's code for any unmapped user error, the rate limit among them
DEFAULT_TIMEOUT = (10.0, 120.0)  # (connect, read) seconds; big detail batches take a while

log = logging.getLogger(__name__)

Params = Sequence[tuple[str, str]] | dict[str, str] | None


class RequestTooLong(BMOError):
    """HTTP 414: the request target passed BMO's 8 KiB limit; the caller should split the batch."""


class _Transient(Exception):
    """A fault worth another try; its message says what went wrong, for the final error."""


def _pairs(params: Params) -> list[tuple[str, str]]:
    if params is None:
        return []
    return list(params.items()) if isinstance(params, dict) else list(params)


def user_agent(contact: str | None = None) -> str:
    """A descriptive User-Agent, as BMO asks of automated clients (it can block agents)."""
    extra = f"; contact {contact}" if contact else ""
    return f"bzanalytics/{__version__} (CA incident research; python-requests{extra})"


CREDENTIAL_PARAMS = frozenset({"api_key", "bugzilla_api_key", "bugzilla_login",
                               "bugzilla_password", "bugzilla_token", "token", "password"})
KEY_ADVICE = "pass an API key with $BUGZILLA_API_KEY or --api-key-file instead"


def _check_url(url: str, with_key: bool) -> str:
    """The base URL, refused when it could carry a secret into the snapshot, a log or a message:
    credentials (user:password@) or a query string. Its text is never echoed then."""
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None or "@" in url:
        raise UsageError(f"--url must not contain credentials (user:password@host); {KEY_ADVICE}")
    if parts.query or parts.fragment:
        names = {name.lower() for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
        what = "an API key or login" if names & CREDENTIAL_PARAMS else "a query string"
        raise UsageError(f"--url must be BMO's base address without {what} (no '?...'); "
                         + (KEY_ADVICE if names & CREDENTIAL_PARAMS else
                            f"for example {DEFAULT_URL}"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--url must be an http(s) URL such as {DEFAULT_URL}, not {url!r}")
    if with_key and parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise UsageError(f"refusing to send an API key over plain http to {parts.hostname}; "
                         "use https")
    return url.rstrip("/")


def redact_url(url: str) -> str:
    """`url` without user:password@ and query string, for showing origins that older versions
    stored unchecked."""
    parts = urlsplit(url)
    if "@" not in parts.netloc and not parts.query:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=host, query="", fragment="").geturl() + " [credentials removed]"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _short_reason(exc: requests.RequestException) -> str:
    """A few words for a transport failure; requests' own text is long and repeats the URL."""
    text = str(exc)
    if isinstance(exc, requests.Timeout):
        return "timed out"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "answer cut short"
    if "Connection refused" in text:
        return "connection refused"
    if any(s in text for s in ("Name or service not known", "getaddrinfo failed",
                               "nodename nor servname", "Temporary failure in name resolution")):
        return "unknown host"
    if "RemoteDisconnected" in text or "Connection aborted" in text or "reset" in text:
        return "connection dropped"
    return type(exc).__name__


class BMOClient:
    """Sequential, paced, retrying access to one BMO instance's REST API."""

    def __init__(self, url: str = DEFAULT_URL, *, api_key: str | None = None,
                 session: requests.Session | None = None, min_interval: float = 1.0,
                 timeout: float | tuple[float, float] = DEFAULT_TIMEOUT, max_tries: int = 4,
                 backoff: float = 2.0, contact: str | None = None,
                 sleep: Callable[[float], None] | None = None,
                 clock: Callable[[], float] | None = None, rng: random.Random | None = None):
        if not (isinstance(min_interval, int | float) and math.isfinite(min_interval)
                and min_interval >= 0):
            raise UsageError(f"the minimum interval must be a number of seconds >= 0, "
                             f"not {min_interval!r}")
        if max_tries < 1:
            raise UsageError(f"the number of tries must be at least 1, not {max_tries}")
        if api_key is not None and (not api_key or any(c.isspace() for c in api_key)):
            raise UsageError("the API key must be one non-empty word (no spaces or newlines)")
        if contact is not None and any(ord(c) < 32 or c in "()" for c in contact):
            raise UsageError("the contact must be plain text (no line breaks or parentheses)")
        self.url = _check_url(url, api_key is not None)
        self._api_key = api_key
        self.session = session or requests.Session()
        self.min_interval = float(min_interval)
        self.timeout = timeout
        self.max_tries = max_tries
        self.backoff = backoff
        self.user_agent = user_agent(contact)
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self._last_start: float | None = None
        self.requests_sent = 0

    def __repr__(self) -> str:
        return f"BMOClient({self.url!r}, authenticated={self._api_key is not None})"

    @property
    def authenticated(self) -> bool:
        return self._api_key is not None

    # -- the public calls ---------------------------------------------------------------------

    def db_time(self) -> str:
        """BMO's database clock (`/rest/time`), read before a search as the sync recipe says."""
        answer = self.get("/rest/time")
        db_time = answer.get("db_time") if isinstance(answer, dict) else None
        try:
            datetime.strptime(str(db_time), "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            raise BMOError(f"BMO's /rest/time answer has no usable db_time: {db_time!r:.40}") \
                from None
        return str(db_time)

    def search(self, params: Params) -> list[dict]:
        """`GET /rest/bug` with the given parameters; the `bugs` list as BMO sent it."""
        answer = self.get("/rest/bug", params)
        bugs = answer.get("bugs") if isinstance(answer, dict) else None
        if not isinstance(bugs, list):
            raise BMOError("BMO's /rest/bug answer has no bugs list")
        return bugs

    def count(self, params: Params) -> int:
        """`GET /rest/bug` with `count_only=1`: how many bugs match, in one tiny answer."""
        answer = self.get("/rest/bug", [*_pairs(params), ("count_only", "1")])
        count = answer.get("bug_count") if isinstance(answer, dict) else None
        if isinstance(count, bool) or not isinstance(count, int):
            raise BMOError("BMO's count_only answer has no bug_count")
        return count

    def get(self, path: str, params: Params = None) -> Any:
        """One GET with pacing and retries; the decoded JSON, or one of the errors.py errors."""
        problem = ""
        for attempt in range(1, self.max_tries + 1):
            if attempt > 1:
                delay = self._backoff_delay(attempt - 1)
                log.info("retrying %s in %.1f s after: %s", path, delay, problem)
                self._wait(delay)
            try:
                return self._attempt(path, params)
            except _Transient as exc:
                problem = str(exc)
        tries = "1 try" if self.max_tries == 1 else f"{self.max_tries} tries"
        raise TransportError(f"{self.url} did not answer properly after {tries} "
                             f"(last: {problem}); check --url or try again later")

    # -- one try -----------------------------------------------------------------------------

    def _attempt(self, path: str, params: Params) -> Any:
        self._pace()
        headers = {"User-Agent": self.user_agent, "Accept": "application/json"}
        if self._api_key is not None:
            headers[KEY_HEADER] = self._api_key
        self.requests_sent += 1
        started = self._now()
        try:
            response = self.session.get(self.url + path, params=params, headers=headers,
                                        timeout=self.timeout, allow_redirects=False)
        except requests.RequestException as exc:
            log.debug("GET %s failed: %s", path, _short_reason(exc))
            raise _Transient(_short_reason(exc)) from None
        log.debug("GET %s -> %d, %d bytes in %.2f s", response.url, response.status_code,
                  len(response.content), self._now() - started)
        return self._interpret(response)

    def _interpret(self, response: requests.Response) -> Any:
        status = response.status_code
        if status == 429:
            raise RateLimited("BMO answered 429 Too Many Requests: this address is blocked",
                              status=429)
        if status == 414:
            raise RequestTooLong("BMO refused a request over 8 KiB (414)", status=414)
        if 300 <= status < 400:
            raise BMOError(f"BMO redirected to {response.headers.get('Location', '?')}; "
                           "use that address with --url", status=status)
        try:
            data = json.loads(response.content)
        except ValueError:
            if status == 200 or status in RETRY_STATUSES:
                raise _Transient(f"HTTP {status} with a body that is not valid JSON") from None
            raise BMOError(f"BMO answered HTTP {status} {response.reason} without a JSON body",
                           status=status) from None
        if isinstance(data, dict) and (data.get("error") or status >= 400):
            self._raise_error(status, data)
        if status != 200:
            raise _Transient(f"HTTP {status}")
        return data

    def _raise_error(self, status: int, data: dict) -> None:
        code = data.get("code")
        message = self._scrub(str(data.get("message") or "no message"))
        if code == RATE_LIMIT_CODE and "rate limit" in message.lower():
            raise RateLimited(f"BMO rate limit: {message}", status=status, code=code)
        if code in AUTH_CODES or (status == 401 and code != 102):
            raise AuthError(f"BMO refused the credentials (code {code}): {message} Check "
                            "BUGZILLA_API_KEY or --api-key-file before running again: every "
                            "refused key counts toward BMO's block of this address (five in a "
                            "minute block it for an hour), and retrying with a wrong key "
                            "extends a block.", status=status, code=code)
        if status in RETRY_STATUSES:
            raise _Transient(f"HTTP {status} (code {code}: {message})")
        raise BMOError(f"BMO error {code}: {message}", status=status, code=code)

    def _scrub(self, text: str) -> str:
        """Defence in depth: a server message must never carry our key into an exception."""
        return text.replace(self._api_key, "[key]") if self._api_key else text

    # -- time ----------------------------------------------------------------------------------

    def _backoff_delay(self, retry: int) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random."""
        base = self.backoff * 2 ** (retry - 1)
        return base / 2 + self._rng.uniform(0, base / 2)

    def _pace(self) -> None:
        """Keep at least `min_interval` seconds between request starts."""
        if self._last_start is not None:
            wait = self._last_start + self.min_interval - self._now()
            if wait > 0:
                self._wait(wait)
        self._last_start = self._now()

    def _now(self) -> float:
        return (self._clock or time.monotonic)()

    def _wait(self, seconds: float) -> None:
        (self._sleep or time.sleep)(seconds)
