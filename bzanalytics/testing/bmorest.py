"""BMO's REST semantics over a corpus directory: pure request -> answer logic, no sockets.

What `/rest/time`, `/rest/product`, the `/rest/bug` search, `/rest/bug/{id}` and its `/comment`,
`/history` and `/attachment` answer for a given corpus and caller (anonymous, a normal account, an
insider, members of security groups), with BMO's error envelopes (bmo-rest-api.md §1 and §5).
`fakebmo` puts an HTTP server, keys, faults and the rate limiter around it; see docs/fake-bmo.md.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote

from bzanalytics.errors import DumpError, UsageError

DOCS_URL = "https://bmo.readthedocs.io/en/latest/api/"
EXTRA_FIELDS = frozenset({
    "comments", "history", "attachments", "counts", "description", "filed_via",
    "triage_owner", "triage_owner_detail", "tags", "last_change_time_non_bot",
})
ORDER_COLUMNS = {
    "bug_id": "id", "bug number": "id", "id": "id",
    "last_change_time": "last_change_time", "changeddate": "last_change_time",
    "delta_ts": "last_change_time", "last updated": "last_change_time",
    "creation_time": "creation_time", "opendate": "creation_time", "creation_ts": "creation_time",
}


# -- answers -------------------------------------------------------------------------------

@dataclass
class Answer:
    """What the server sends back: a status, a content type and a body."""

    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"


class ApiError(Exception):
    """A BMO error envelope: JSON `{"error": true, "code", "message", "documentation"}`."""

    def __init__(self, status: int, code: int, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def answer(self) -> Answer:
        return json_answer({"error": True, "code": self.code, "message": self.message,
                            "documentation": DOCS_URL}, self.status)


def json_answer(obj: Any, status: int = 200) -> Answer:
    return Answer(status, json.dumps(obj).encode())


def html_answer(status: int, title: str) -> Answer:
    body = f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>\n"
    return Answer(status, body.encode(), "text/html; charset=utf-8")


# -- callers -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Caller:
    """Who is asking: BMO shows private comments and attachments only to the insider group, and
    a bug in security groups only to members of every one of them (`groups=None`: all groups)."""

    authenticated: bool = False
    insider: bool = False
    groups: frozenset[str] | None = frozenset()

    def can_see(self, bug: dict) -> bool:
        wanted = set(bug.get("groups") or ())
        return not wanted or self.groups is None or wanted <= self.groups


ANONYMOUS = Caller()
NORMAL = Caller(authenticated=True)
INSIDER = Caller(authenticated=True, insider=True, groups=None)
HIDDEN_TAGS = frozenset({"spam", "deleted"})  # comments BMO hides once tagged so
# Which calls count toward BMO's per-address limit for anonymous callers (Bugzilla.pm
# `check_rate_limit` under `unless ($user->id)`): Bug.get, Bug.comments, Bug.attachments.
LIMITED_CALLS = {"bug": "get_bug", "comment": "get_comments", "attachment": "get_attachments"}


def limited_call(path: str) -> str | None:
    """The rate-limit rule a REST path falls under, or None (search, history, time...)."""
    parts = [p for p in path.split("/") if p]
    if len(parts) == 3 and parts[:2] == ["rest", "bug"] and parts[2] != "attachment":
        return LIMITED_CALLS["bug"]
    if len(parts) == 4 and parts[:2] == ["rest", "bug"]:
        return LIMITED_CALLS.get(parts[3] if parts[2] != "attachment" else "attachment")
    return None


# -- the corpus ----------------------------------------------------------------------------

class Corpus:
    """A corpus directory in memory, re-read whenever `bugs.jsonl` or `corpus.json` changes."""

    def __init__(self, directory: str | Path):
        self.dir = Path(directory)
        if not (self.dir / "corpus.json").is_file() or not (self.dir / "bugs.jsonl").is_file():
            raise UsageError(f"{self.dir} is not a corpus directory (needs corpus.json and "
                             "bugs.jsonl)")
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self.meta: dict[str, Any] = {}
        self.bugs: dict[int, dict] = {}
        self.db_time = ""
        self.refresh()

    def _file_stamp(self) -> tuple:
        stats = [(self.dir / name).stat() for name in ("corpus.json", "bugs.jsonl")]
        return tuple((s.st_ino, s.st_mtime_ns, s.st_size) for s in stats)

    def refresh(self) -> None:
        """Reload if either file changed since the last load (writers replace files atomically)."""
        with self._lock:
            stamp = self._file_stamp()
            if stamp == self._stamp:
                return
            meta, bugs = _read_corpus(self.dir)
            times = [meta.get("now") or ""] + [b.get("last_change_time") or "" for b in
                                               bugs.values()]
            self.meta, self.bugs, self.db_time = meta, dict(sorted(bugs.items())), max(times)
            self._stamp = stamp


def _read_corpus(directory: Path) -> tuple[dict[str, Any], dict[int, dict]]:
    """corpus.json and bugs.jsonl, or a DumpError naming the file and what is wrong with it
    (a fake that cannot read its corpus must say so in one line, not with a traceback)."""
    path = directory / "corpus.json"
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict):
            raise ValueError("not a JSON object")
        path, bugs = directory / "bugs.jsonl", {}
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    bug = json.loads(line)
                    bugs[int(bug["id"])] = bug
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise DumpError(f"{path}: cannot read the corpus ({exc})") from None
    return meta, bugs


def visible(bug: dict, caller: Caller) -> bool:
    """Bugs in a security group are visible only to members of its groups."""
    return caller.can_see(bug)


def comment_view(comment: dict) -> dict:
    """A comment as BMO emits it: with `tags` (BMO configures comment tagging)."""
    return comment if "tags" in comment else {**comment, "tags": []}


def shown(item: dict, caller: Caller) -> bool:
    """Private items only for insiders; comments tagged spam/deleted hidden from the rest."""
    if caller.insider:
        return True
    return not item.get("is_private") and not HIDDEN_TAGS & set(item.get("tags") or ())


def public_view(bug: dict, caller: Caller) -> dict:
    """The bug as a caller sees it: private (and hidden) comments and attachments gone."""
    view = dict(bug)
    if "comments" in view:
        view["comments"] = [comment_view(c) for c in view["comments"] if shown(c, caller)]
    if "attachments" in view:
        view["attachments"] = [a for a in view["attachments"] if shown(a, caller)]
    return view


# -- include_fields / exclude_fields -------------------------------------------------------

def field_list(values: Iterable[str]) -> list[str]:
    """Comma lists and repeated params both work for include_fields/exclude_fields."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _split(names: Iterable[str]) -> tuple[set[str], dict[str, list[str]]]:
    tops: set[str] = set()
    subs: dict[str, list[str]] = {}
    for name in names:
        top, _, sub = name.partition(".")
        if sub:
            subs.setdefault(top, []).append(sub)
        else:
            tops.add(top)
    return tops, subs


def filter_fields(obj: dict, include: list[str], exclude: list[str],
                  extras: frozenset[str] = frozenset()) -> dict:
    """BMO's `filter_wants`: `_default`/`_extra`/`_all`, dotted sub-fields; `id` always kept."""
    inc_top, inc_sub = _split(include)
    exc_top, exc_sub = _split(exclude)
    default = not include or bool(inc_top & {"_default", "_all"})
    extra = bool(inc_top & {"_extra", "_all"})
    out: dict[str, Any] = {}
    for key, value in obj.items():
        if key in exc_top and key != "id":
            continue
        whole = key == "id" or key in inc_top or (extra if key in extras else default)
        if not whole and key not in inc_sub:
            continue
        if isinstance(value, dict | list) and (key in exc_sub or not whole):
            keep = None if whole else inc_sub[key]
            value = _filter_sub(value, keep, exc_sub.get(key, []))
        out[key] = value
    return out


def _filter_sub(value: dict | list, keep: list[str] | None, drop: list[str]) -> Any:
    def one(item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        return {k: v for k, v in item.items() if (keep is None or k in keep) and k not in drop}
    return [one(item) for item in value] if isinstance(value, list) else one(value)


def with_attachment_data(bug: dict) -> dict:
    """Attachments as BMO sends them by default: with base64 `data` (the client must exclude it)."""
    if not bug.get("attachments"):
        return bug
    bug = dict(bug)
    bug["attachments"] = [
        dict(a, data=base64.b64encode(f"attachment {a.get('id')} content\n".encode()).decode())
        for a in bug["attachments"]]
    return bug


# -- request parsing helpers ---------------------------------------------------------------

class Params:
    """A query string as BMO's REST layer sees it: every parameter may repeat."""

    def __init__(self, query: str):
        self.pairs = parse_qsl(query, keep_blank_values=True)

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]

    def one(self, name: str) -> str | None:
        values = self.all(name)
        if len(values) > 1:
            raise ApiError(400, 53, f"The '{name}' parameter must be a single value, not a list.")
        return values[0] if values else None

    def flag(self, name: str) -> bool:
        return (self.one(name) or "").lower() in ("1", "true")

    def integer(self, name: str) -> int | None:
        value = self.one(name)
        if value is None or value == "":
            return None
        try:
            return int(value)
        except ValueError:
            raise ApiError(400, 52, f"Invalid argument: '{value}' for '{name}' must be an "
                           "integer.") from None

    def datetime(self, name: str) -> str | None:
        """A timestamp parameter, normalised to BMO's `YYYY-MM-DDTHH:MM:SSZ` for comparisons."""
        value = self.one(name)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value.replace(" ", "T"))
        except ValueError:
            raise ApiError(400, 56, f"'{value}' is not a legal date/time for '{name}'.") from None
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        return parsed.strftime("%Y-%m-%dT%H:%M:%SZ")


def bug_ids(values: Iterable[str]) -> list[int]:
    ids = []
    for value in field_list(values):
        if not value.isdigit():
            raise ApiError(400, 54, f"'{value}' is not a valid bug number.")
        ids.append(int(value))
    return ids


# -- the REST handler ----------------------------------------------------------------------

class Handler:
    """Pure request → answer logic over a corpus (no sockets, no faults, no rate limits)."""

    def __init__(self, corpus: Corpus, *, limit_cap: int = 10_000):
        self.corpus = corpus
        self.limit_cap = limit_cap

    def answer(self, path: str, query: str, caller: Caller = ANONYMOUS) -> Answer:
        params = Params(query)
        parts = [unquote(p) for p in path.strip("/").split("/")]
        try:
            if parts[:1] != ["rest"]:
                raise ApiError(404, 32614, f"A REST API resource was not found for 'GET {path}'.")
            rest = parts[1:]
            if rest == ["time"]:
                return json_answer(self.time())
            if rest == ["version"]:
                return json_answer({"version": "20260820.1"})
            if rest == ["product"]:
                return json_answer(self.product(params))
            if rest == ["bug"]:
                return json_answer(self.search(params, caller))
            if len(rest) == 2 and rest[0] == "bug":
                return json_answer(self.get(rest[1], params, caller))
            if len(rest) == 3 and rest[:2] == ["bug", "attachment"]:
                return json_answer(self.attachment(rest[2], params, caller))
            if len(rest) == 3 and rest[0] == "bug" and rest[2] in ("comment", "history",
                                                                   "attachment"):
                ids = bug_ids([rest[1], *params.all("ids")])
                method = {"comment": self.comments, "history": self.history,
                          "attachment": self.attachments}[rest[2]]
                return json_answer(method(ids, params, caller))
            raise ApiError(404, 32614, f"A REST API resource was not found for 'GET {path}'.")
        except ApiError as err:
            return err.answer()

    def time(self) -> dict:
        """BMO's keys (WebService/Bugzilla.pm `time`); the web server's clock equals the DB's."""
        db_time = self.corpus.db_time
        return {"db_time": db_time, "web_time": db_time, "web_time_utc": db_time,
                "tz_name": "UTC", "tz_offset": "+0000", "tz_short_name": "UTC"}

    def product(self, params: Params) -> dict:
        meta = self.corpus.meta
        product = {"id": meta.get("product_id", 1), "name": meta.get("product"),
                   "is_active": True,
                   "components": [{"id": meta.get("component_id", 1),
                                   "name": meta.get("component"), "is_active": True}]}
        # BMO compares names case-insensitively (WebService/Product.pm `get`: lc on both sides)
        names, ids = {n.lower() for n in params.all("names")}, params.all("ids")
        wanted = str(product["name"]).lower() in names or str(product["id"]) in ids
        include, exclude = field_list(params.all("include_fields")), \
            field_list(params.all("exclude_fields"))
        return {"products": [filter_fields(product, include, exclude)] if wanted else []}

    def search(self, params: Params, caller: Caller) -> dict:
        products, components = params.all("product"), params.all("component")
        ids = set(bug_ids(params.all("id")))
        changed_since = params.datetime("last_change_time")
        created_since = params.datetime("creation_time")
        limit, offset = params.integer("limit"), params.integer("offset")
        if offset is not None and limit is None:
            raise ApiError(400, 50, "The function Bug.search requires a 'limit' argument when "
                           "'offset' is set.")
        if not limit or limit > self.limit_cap or limit < 0:
            if limit == 0:
                offset = None
            limit = self.limit_cap
        found = [
            bug for bug in self.corpus.bugs.values()
            if visible(bug, caller)
            and (not products or bug.get("product") in products)
            and (not components or bug.get("component") in components)
            and (not ids or bug["id"] in ids)
            and (changed_since is None or (bug.get("last_change_time") or "") >= changed_since)
            and (created_since is None or (bug.get("creation_time") or "") >= created_since)
        ]
        if params.flag("count_only"):
            return {"bug_count": len(found)}
        found = order_bugs(found, params.one("order"))
        start = max(offset or 0, 0)
        return {"bugs": [self.shape(bug, params, caller) for bug in found[start:start + limit]],
                "faults": []}

    def get(self, raw_id: str, params: Params, caller: Caller) -> dict:
        (bug_id,) = bug_ids([raw_id])
        bug = self.visible_bug(bug_id, caller)
        return {"bugs": [self.shape(bug, params, caller)], "faults": []}

    def visible_bug(self, bug_id: int, caller: Caller) -> dict:
        bug = self.corpus.bugs.get(bug_id)
        if bug is None:
            raise ApiError(404, 101, f"Bug #{bug_id} does not exist.")
        if not visible(bug, caller):
            raise ApiError(401, 102, f"You are not authorized to access bug #{bug_id}.")
        return bug

    def shape(self, bug: dict, params: Params, caller: Caller) -> dict:
        view = with_attachment_data(public_view(bug, caller))
        return filter_fields(view, field_list(params.all("include_fields")),
                             field_list(params.all("exclude_fields")), EXTRA_FIELDS)

    def _batch(self, ids: list[int], params: Params, caller: Caller) -> list[dict]:
        skip = params.flag("skip_private")
        bugs = []
        for bug_id in dict.fromkeys(ids):
            if skip and bug_id in self.corpus.bugs and not visible(self.corpus.bugs[bug_id],
                                                                     caller):
                continue
            bugs.append(public_view(self.visible_bug(bug_id, caller), caller))
        return bugs

    def attachments(self, ids: list[int], params: Params, caller: Caller) -> dict:
        """`/rest/bug/{id}/attachment`: metadata with base64 `data` unless excluded."""
        include, exclude = field_list(params.all("include_fields")), \
            field_list(params.all("exclude_fields"))
        out = {}
        for bug in self._batch(ids, params, caller):
            full = with_attachment_data(bug).get("attachments", [])
            out[str(bug["id"])] = [filter_fields(a, include, exclude) for a in full]
        return {"bugs": out, "attachments": {}}

    def attachment(self, raw_id: str, params: Params, caller: Caller) -> dict:
        """`/rest/bug/attachment/{attachment_id}`."""
        (wanted,) = bug_ids([raw_id])
        for bug in self.corpus.bugs.values():
            for item in bug.get("attachments", []):
                if item.get("id") != wanted:
                    continue
                view = self._batch([bug["id"]], Params(""), caller)[0]
                if not any(a.get("id") == wanted for a in view.get("attachments", [])):
                    raise ApiError(401, 111, f"Attachment #{wanted} is private.")
                (full,) = [a for a in with_attachment_data(view)["attachments"]
                           if a.get("id") == wanted]
                include, exclude = field_list(params.all("include_fields")), \
                    field_list(params.all("exclude_fields"))
                return {"bugs": {}, "attachments": {str(wanted): filter_fields(
                    full, include, exclude)}}
        raise ApiError(404, 100, f"Attachment #{wanted} does not exist.")

    def comments(self, ids: list[int], params: Params, caller: Caller) -> dict:
        since = params.datetime("new_since")
        include, exclude = field_list(params.all("include_fields")), \
            field_list(params.all("exclude_fields"))
        out = {}
        for bug in self._batch(ids, params, caller):
            comments = [c for c in bug.get("comments", [])
                        if since is None or c.get("creation_time", "") > since]
            out[str(bug["id"])] = {"comments": [filter_fields(c, include, exclude)
                                                for c in comments]}
        return {"bugs": out, "comments": {}}

    def history(self, ids: list[int], params: Params, caller: Caller) -> dict:
        since = params.datetime("new_since")
        return {"bugs": [{"id": bug["id"], "alias": bug.get("alias"),
                          "history": [h for h in bug.get("history", [])
                                      if since is None or h.get("when", "") > since]}
                         for bug in self._batch(ids, params, caller)]}


def order_bugs(bugs: list[dict], order: str | None) -> list[dict]:
    """Sort by BMO `order` columns; without one the order is unspecified (newest change first
    here, so paging without `order` visibly misbehaves, as it can on BMO)."""
    if not order:
        return sorted(bugs, key=lambda b: (b.get("last_change_time") or "", b["id"]),
                      reverse=True)
    result = sorted(bugs, key=lambda b: b["id"])
    for term in reversed([t.strip() for t in order.split(",") if t.strip()]):
        words = term.split()
        descending = len(words) > 1 and words[-1].upper() == "DESC"
        name = " ".join(words[:-1] if len(words) > 1 and words[-1].upper() in ("ASC", "DESC")
                        else words).lower()
        column = ORDER_COLUMNS.get(name)
        if column:
            result.sort(key=lambda b, c=column: b.get(c) or "", reverse=descending)
    return result
