"""A local stand-in for bugzilla.mozilla.org's REST API, serving a corpus directory.

Tests and demos must never contact a real host, yet the client and the sync have to meet BMO's
real behaviour: silent omission of invisible ids, the limit cap, the rate-limit block with an HTML
429 and no Retry-After, a 414 from the proxy, flaky gateways. `bmorest` answers requests the way
BMO does; this module serves it on 127.0.0.1 with faults and a rate limiter on demand, and logs
every request so tests can count and inspect them (docs/fake-bmo.md).

    with FakeBMO(corpus_dir, faults="all:0.1", fault_seed=3) as fake:
        client = BMOClient(fake.url, min_interval=0)
        ...
        fake.requests   # [{"method": "GET", "path": "/rest/time", "query": "", ...}, ...]
"""

from __future__ import annotations

import contextlib
import json
import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from bzanalytics.errors import UsageError
from bzanalytics.testing.bmorest import (
    ANONYMOUS,
    INSIDER,
    NORMAL,
    Answer,
    ApiError,
    Caller,
    Corpus,
    Handler,
    html_answer,
    limited_call,
)

MAX_TARGET = 8192  # bytes of request target Varnish accepts before answering 414
KEY_HEADER = "X-BUGZILLA-API-KEY"
KEY_PARAMS = ("api_key", "Bugzilla_api_key")
FAULT_KINDS = ("500", "502", "503", "504", "drop", "truncate", "badjson", "slow")
ALL_FAULTS = ("500", "502", "503", "drop", "truncate")  # what `all:P` spreads P over
RATE_LIMIT_MESSAGE = "You have exceeded the rate limit."
BAD_KEY_MESSAGE = ("The API key you specified is invalid. Please check that you typed it "
                   "correctly.")
BAD_KEYS_PER_WINDOW, BAD_KEY_WINDOW = 5, 60.0  # BMO's `api_key_mismatch` rule: 5 per 60 s


# -- faults and rate limits ----------------------------------------------------------------

def parse_faults(spec: str | None) -> list[tuple[str, float, int]]:
    """`--faults` syntax: comma list of KIND:P (P a fraction); `slow:P@MS`; `all:P` spreads P
    evenly over 500, 502, 503, drop and truncate. Returns (kind, probability, slow_ms)."""
    faults: list[tuple[str, float, int]] = []
    for item in (spec or "").split(","):
        item = item.strip()
        if not item:
            continue
        kind, sep, rest = item.partition(":")
        rate_text, _, ms_text = rest.partition("@")
        try:
            rate = float(rate_text)
            slow_ms = int(ms_text) if ms_text else 1000
        except ValueError:
            raise UsageError(f"bad fault {item!r}: expected KIND:FRACTION, e.g. 503:0.05") from None
        if not sep or not 0 <= rate <= 1 or (kind != "all" and kind not in FAULT_KINDS):
            raise UsageError(f"bad fault {item!r}: kinds are all, {', '.join(FAULT_KINDS)}; "
                             "the fraction must be between 0 and 1")
        if kind == "all":
            faults += [(k, rate / len(ALL_FAULTS), 0) for k in ALL_FAULTS]
        else:
            faults.append((kind, rate, slow_ms))
    if sum(rate for _, rate, _ in faults) > 1:
        raise UsageError(f"fault fractions in {spec!r} add up to more than 1")
    return faults


class Gate:
    """Decides per request whether to block (rate limit) or misbehave (fault), deterministically.

    Like BMO, only anonymous Bug.get, Bug.comments and Bug.attachments calls count toward the
    limit (`count`), failed key checks count toward their own rule (`bad_key`), and once the
    address is blocked every request of any kind gets a 429 that restarts the hour.
    """

    def __init__(self, *, faults: str | None = None, fault_seed: int = 0,
                 rate_limit_after: int | None = None, block_after: int | None = None,
                 block_seconds: float = 3600, clock: Callable[[], float] = time.monotonic):
        self.faults = parse_faults(faults)
        self.rng = random.Random(fault_seed)
        self.rate_limit_after = rate_limit_after
        self.block_after = block_after
        self.block_seconds = block_seconds
        self.clock = clock
        self.served = 0  # requests that count toward the rate limit
        self.seen = 0  # requests of any kind (for `block_after`)
        self.bad_keys: list[float] = []
        self.blocked_until: float | None = None

    def unblock(self) -> None:
        """As if the hour had passed: the block ends and the counters restart."""
        self.blocked_until, self.served, self.seen, self.bad_keys = None, 0, 0, []

    def block(self) -> None:
        """Block the address now (as if another program on it had tripped BMO's limit)."""
        self.blocked_until = self.clock() + self.block_seconds

    def blocked(self) -> Answer | None:
        """The HTML 429 while the address is blocked (each one restarts the hour), else None."""
        now = self.clock()
        self.seen += 1
        if self.block_after is not None and self.seen > self.block_after \
                and self.blocked_until is None:
            self.block()
        if self.blocked_until is not None and now < self.blocked_until:
            self.blocked_until = now + self.block_seconds  # each blocked request resets the timer
            return html_answer(429, "429 Too Many Requests")
        self.blocked_until = None
        return None

    def count(self) -> Answer | None:
        """One rate-limited call: past the limit, block and answer BMO's JSON 400 (code 32000)."""
        if self.rate_limit_after is not None and self.served >= self.rate_limit_after:
            self.block()
            return ApiError(400, 32000, RATE_LIMIT_MESSAGE).answer()
        self.served += 1
        return None

    def bad_key(self) -> None:
        """A failed key check; the fifth within a minute blocks the address for an hour."""
        now = self.clock()
        self.bad_keys = [t for t in self.bad_keys if now - t < BAD_KEY_WINDOW] + [now]
        if len(self.bad_keys) >= BAD_KEYS_PER_WINDOW:
            self.block()

    def draw_fault(self) -> tuple[str, int] | None:
        if not self.faults:
            return None
        roll = self.rng.random()
        for kind, rate, slow_ms in self.faults:
            if roll < rate:
                return kind, slow_ms
            roll -= rate
        return None


# -- the HTTP server -----------------------------------------------------------------------

def redact_query(query: str) -> tuple[str, bool]:
    """The query for the log with any key parameter's value replaced; and whether one was there."""
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(k in KEY_PARAMS for k, _ in pairs):
        return query, False
    return urlencode([(k, "REDACTED" if k in KEY_PARAMS else v) for k, v in pairs]), True


@dataclass
class FakeBMO:
    """The fake BMO on 127.0.0.1 in a background thread; a context manager for tests."""

    corpus_dir: str | Path
    port: int = 0
    host: str = "127.0.0.1"
    latency_ms: float = 0
    faults: str | None = None
    fault_seed: int = 0
    limit_cap: int = 10_000
    rate_limit_after: int | None = None
    block_after: int | None = None
    api_key: str | None = None
    insider_key: str | None = None
    keys: dict[str, Caller] = field(default_factory=dict)
    require_key: bool = False
    request_log: str | Path | None = None
    requests: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.corpus = Corpus(self.corpus_dir)
        self.handler = Handler(self.corpus, limit_cap=self.limit_cap)
        self.gate = Gate(faults=self.faults, fault_seed=self.fault_seed,
                         rate_limit_after=self.rate_limit_after, block_after=self.block_after)
        self.callers = dict(self.keys)
        if self.api_key is not None:
            self.callers[self.api_key] = NORMAL
        if self.insider_key is not None:
            self.callers[self.insider_key] = INSIDER
        self._lock = threading.Lock()
        self._log_file = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake BMO is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeBMO:
        if self.request_log:
            self._log_file = open(self.request_log, "a", encoding="utf-8")  # noqa: SIM115
        self._server = _Server((self.host, self.port), _make_http_handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> FakeBMO:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def unblock(self) -> None:
        with self._lock:
            self.gate.unblock()

    def block(self) -> None:
        with self._lock:
            self.gate.block()

    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    def set_rate_limit_after(self, count: int | None) -> None:
        with self._lock:
            self.gate.rate_limit_after = count
            self.gate.served = 0

    # -- per request ---------------------------------------------------------------------

    def decide(self, target: str, headers: dict[str, str]) -> tuple[Answer | None, str | None,
                                                                     dict]:
        """Everything but the socket work: returns (answer or None for a dropped connection,
        fault kind, log entry)."""
        split = urlsplit(target)
        logged_query, key_in_query = redact_query(split.query)
        entry: dict[str, Any] = {"method": "GET", "path": split.path, "query": logged_query}
        if key_in_query:
            entry["key_in_query"] = True
        fault, slow_ms = None, 0
        with self._lock:
            if len(target.encode()) > MAX_TARGET:
                answer: Answer | None = Answer(414, b"URI Too Long\n", "text/plain")
            else:
                answer = self.gate.blocked()
                if answer is None:
                    drawn = self.gate.draw_fault()
                    fault, slow_ms = drawn if drawn else (None, 0)
        if fault:
            entry["fault"] = fault
        if answer is None:
            answer = self._fault_or_answer(fault, slow_ms, split, headers, entry)
        return answer, fault, entry

    def _fault_or_answer(self, fault: str | None, slow_ms: int, split: Any,
                         headers: dict[str, str], entry: dict) -> Answer | None:
        if fault == "drop":
            return None
        if fault in ("500", "502", "503", "504"):
            return html_answer(int(fault), f"{fault} Server Error")
        if fault == "slow":
            time.sleep(slow_ms / 1000)
        caller, error = self._authenticate(headers, split.query)
        entry["authenticated"] = caller.authenticated
        if error:
            return error
        if not caller.authenticated and limited_call(split.path):
            with self._lock:
                limited = self.gate.count()
            if limited:
                return limited
        self.corpus.refresh()
        return self.handler.answer(split.path, split.query, caller)

    def _authenticate(self, headers: dict[str, str], query: str) -> tuple[Caller, Answer | None]:
        """The caller a key belongs to; a bad key is BMO's error 306 with HTTP 400 (code 306
        is not in REST_STATUS_CODE_MAP) and counts toward the address block."""
        keys = [v for k, v in headers.items() if k.lower() == KEY_HEADER.lower()]
        keys += [v for k, v in parse_qsl(query) if k in KEY_PARAMS]
        # BMO trims the key and treats an empty one as no key (APIKey.pm `if ($api_key_text)`);
        # libmozdata sends `X-Bugzilla-API-Key: ""` on every anonymous request.
        keys = [k.strip() for k in keys if k.strip()]
        if keys:
            callers = {self.callers.get(k) for k in keys}
            if len(callers) == 1 and None not in callers:
                return callers.pop(), None  # type: ignore[return-value]
            with self._lock:
                self.gate.bad_key()
            return ANONYMOUS, ApiError(400, 306, BAD_KEY_MESSAGE).answer()
        if self.require_key:
            return ANONYMOUS, ApiError(401, 410, "You must log in before using this part of "
                                       "Bugzilla.").answer()
        return ANONYMOUS, None

    def record(self, entry: dict) -> None:
        with self._lock:
            self.requests.append(entry)
            if self._log_file is not None:
                self._log_file.write(json.dumps(entry) + "\n")
                self._log_file.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (killed syncs, dropped faults) are normal here, not errors."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _make_http_handler(fake: FakeBMO) -> type[BaseHTTPRequestHandler]:
    class HTTPHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "FakeBMO/1"
        disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stall

        def do_GET(self) -> None:
            if fake.latency_ms:
                time.sleep(fake.latency_ms / 1000)
            answer, fault, entry = fake.decide(self.path, dict(self.headers.items()))
            if answer is None:  # dropped connection: close without a byte
                self.close_connection = True
                entry.update(status=0, bytes=0)
                fake.record(entry)
                return
            body, length = answer.body, len(answer.body)
            if fault == "truncate":  # promise the whole body, send half, hang up
                body = body[: len(body) // 2]
                self.close_connection = True
            elif fault == "badjson":  # a complete-looking answer whose JSON is cut off
                body = body[: len(body) // 2]
                length = len(body)
            # logged before sending: once a client holds an answer, the log shows it
            entry.update(status=answer.status, bytes=len(body))
            fake.record(entry)
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(length))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def do_POST(self) -> None:
            self.send_error(405)

        def log_message(self, format: str, *args: Any) -> None:
            """Silence http.server's stderr log; the request log is the record."""

    return HTTPHandler


def serve_forever(fake: FakeBMO, announce: Callable[[str], None]) -> None:
    """Run until interrupted (the CLI's main loop)."""
    with fake:
        try:  # announce inside: a Ctrl-C right after the URL appears is still a clean stop
            announce(fake.url)
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass

