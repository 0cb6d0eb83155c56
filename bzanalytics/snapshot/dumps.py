"""Reading BMO REST JSON dumps for `bzanalytics import`.

Accepted inputs: a search answer `{"bugs": [...]}` (whatever its `include_fields`), a
`/rest/bug/{id}/history` answer (the same shape, bugs carrying only `history`), a
`/rest/bug/{id}/comment` answer `{"bugs": {"<id>": {"comments": [...]}}, "comments": {...}}`, a
`/rest/bug/{id}/attachment` answer `{"bugs": {"<id>": [...]}, "attachments": {...}}`, a bare JSON
list of bug objects, a `.jsonl` file (one bug per line), and a corpus directory (`corpus.json` +
`bugs.jsonl`). A BMO error answer holds no bugs and imports none. Files are read as a stream, one
bug at a time, so a 20,000-bug corpus never has to sit in memory whole.

Each bug object is merged into what is stored (`snapshot.merge`): a piece never blanks a field,
and a copy older than the stored one (lower `last_change_time`) is kept out unless `force`.

A file is read twice: first to vet every bug (JSON syntax, shape), then to store it in batches.
So a broken file raises `DumpError` with nothing of it imported, while a valid one is still
written in bounded transactions.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import IO, Any

from bzanalytics.errors import DumpError
from bzanalytics.snapshot import merge
from bzanalytics.snapshot.store import Store, check_bug

CORPUS_FORMAT = "bzanalytics-corpus/1"
#: the years a Bugzilla time may have: bugzilla.mozilla.org opened in 1998; later than 2099 is
#: garbage (and beyond what pandas can hold from 2262)
FIRST_YEAR, LAST_YEAR = 1998, 2099
# (where in the bug, field): the times of a bug object; comment 'time' falls back to
# 'creation_time' as the store reads it
_BUG_TIMES = ("creation_time", "last_change_time", "cf_last_resolved")
BATCH_SIZE = 200  # bugs per transaction: bounded memory (a bug with 20 long comments ~ 0.3 MB)
_CHUNK = 1 << 20  # characters read at a time from a JSON file
_NEWLINE = "\n"
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class DumpSource:
    """One input as understood: where the bugs are, and what the corpus says about itself."""

    path: Path
    bugs_file: Path
    kind: str  # "json", "jsonl" or "corpus"
    now: str | None = None  # corpus.json "now": BMO's db_time when the corpus was taken
    generated_by: str | None = None  # set for synthetic corpora


@dataclass(frozen=True)
class ImportResult:
    source: DumpSource
    bugs: int  # bug objects read and merged (or stored new)
    kept: int = 0  # stored bugs newer than the file's copy, kept as they were
    note: str = ""  # e.g. why a file held no bugs (a BMO error answer)


def describe(path: str | Path) -> DumpSource:
    """Classify an input path; a missing file or a broken corpus.json is a `DumpError`."""
    path = Path(path)
    if path.is_dir():
        return _corpus_source(path)
    if not path.is_file():
        raise DumpError(f"{path}: no such file or directory")
    kind = "jsonl" if path.suffix.lower() in (".jsonl", ".ndjson") else "json"
    return DumpSource(path=path, bugs_file=path, kind=kind)


def _corpus_source(path: Path) -> DumpSource:
    meta_file, bugs_file = path / "corpus.json", path / "bugs.jsonl"
    if not meta_file.is_file() or not bugs_file.is_file():
        raise DumpError(f"{path}: a corpus directory needs corpus.json and bugs.jsonl")
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise DumpError(f"{meta_file}: not JSON (line {exc.lineno} column {exc.colno}: "
                        f"{exc.msg})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DumpError(f"{meta_file}: cannot read ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != CORPUS_FORMAT:
        raise DumpError(f"{meta_file}: not a corpus description (expected \"format\": "
                        f"\"{CORPUS_FORMAT}\")")
    now, generated_by = meta.get("now"), meta.get("generated_by")
    if now is not None and not _is_bmo_time(now):
        raise DumpError(f"{meta_file}: \"now\" must look like 2026-11-01T00:00:00Z, got {now!r}")
    if generated_by is not None and not isinstance(generated_by, str):
        raise DumpError(f"{meta_file}: \"generated_by\" must be text")
    return DumpSource(path=path, bugs_file=bugs_file, kind="corpus", now=now,
                      generated_by=generated_by or None)


def _is_bmo_time(value: Any) -> bool:
    if not isinstance(value, str) or not value.endswith("Z"):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def iter_bugs(source: DumpSource) -> Iterator[dict]:
    """Yield the source's bug objects in file order, vetting each; `DumpError` on any problem."""
    try:
        with source.bugs_file.open(encoding="utf-8-sig", newline="") as fh:
            raw = _jsonl_items(fh) if source.kind in ("jsonl", "corpus") else _json_items(fh)
            for index, (where, bug) in enumerate(raw, 1):
                try:
                    check_bug(bug)
                    check_times(bug)
                except ValueError as exc:
                    place = f"bug #{index}" + (f" ({where})" if where else "")
                    raise DumpError(f"{source.bugs_file}: {place}: {exc}") from None
                yield bug
    except _Bad as exc:
        raise DumpError(f"{source.bugs_file}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise DumpError(f"{source.bugs_file}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise DumpError(f"{source.bugs_file}: cannot read ({exc.strerror})") from None


def _bad_time(value: Any) -> str | None:
    """Why `value` is not a usable Bugzilla time, or None when it is one."""
    if not isinstance(value, str):
        return f"must be a date and time like 2024-02-03T10:00:00Z, got {json.dumps(value)}"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return f"is not a real date and time (like 2024-02-03T10:00:00Z): {value!r}"
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        return f"is outside {FIRST_YEAR}-{LAST_YEAR}: {value!r}"
    return None


def check_times(bug: dict) -> None:
    """Raise ValueError naming the bug and the field when a time is not usable (methodology.md,
    Bad dates): every time given must be an ISO 8601 date and time of a real calendar day in
    1998-2099. `creation_time` may be left out (the analysis skips such a bug) but not null; the
    other times may be null (an open bug has no `cf_last_resolved`)."""
    bug_id = bug.get("id")
    checks: list[tuple[str, Any, bool]] = [
        (name, bug[name], name != "creation_time") for name in _BUG_TIMES if name in bug]
    for index, comment in enumerate(bug.get("comments") or []):
        when = comment.get("time", comment.get("creation_time"))
        checks.append((f"comment {comment.get('count', index)} time", when, True))
    for index, change in enumerate(bug.get("history") or []):
        checks.append((f"history entry {index} 'when'", change.get("when"), True))
    for attachment in bug.get("attachments") or []:
        checks.append((f"attachment {attachment.get('id')} creation_time",
                       attachment.get("creation_time"), True))
    for field, value, nullable in checks:
        if value is None and nullable:
            continue
        problem = _bad_time(value)
        if problem:
            raise ValueError(f"bug {bug_id}: {field} {problem}")


def import_dumps(store: Store, paths: Iterable[str | Path], *, batch_size: int = BATCH_SIZE,
                 progress: Callable[[str, int, int], None] | None = None,
                 force: bool = False) -> list[ImportResult]:
    """Vet every input, then store each in batches of `batch_size` bugs (one transaction each).

    Each bug is merged into its stored copy (`snapshot.merge.merge`); a copy older than the
    stored one is counted in `kept` and left out, unless `force`, which lets the file's copy
    replace the stored one (`merge.replace`; parts it does not carry stay).

    A corpus's "now" becomes the snapshot's `db_time` (the later one wins when several are
    imported) and its `generated_by` the `synthetic` state, which marks the snapshot synthetic.
    `progress(stage, done, total)` is called while checking ("checking", total 0 = unknown) and
    after each stored batch ("importing"), as `bzanalytics.progress.ProgressBar` expects.
    """
    report = progress or (lambda stage, done, total: None)
    sources = [describe(p) for p in paths]
    counts = []
    for source in sources:
        checked = 0
        for checked, _ in enumerate(iter_bugs(source), 1):
            if checked % batch_size == 0:
                report("checking", sum(counts) + checked, 0)
        counts.append(checked)
    fetched_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    results = []
    stored_total = 0
    for source, expected in zip(sources, counts, strict=True):
        origin = f"{'corpus' if source.kind == 'corpus' else 'dump'}:{source.path.name}"
        bugs = iter_bugs(source)
        stored = kept = 0
        while batch := list(islice(bugs, batch_size)):
            merged, older = combine(store, batch, force)
            store.save_bugs(merged, origin=origin, fetched_at=fetched_at)
            stored, kept = stored + len(batch), kept + older
            report("importing", stored_total + stored, sum(counts))
        state = _corpus_state(store, source)
        if state:
            store.save_bugs([], origin=origin, fetched_at=fetched_at, state=state)
        if stored != expected:
            raise DumpError(f"{source.bugs_file} changed while it was being imported")
        stored_total += stored
        results.append(ImportResult(source=source, bugs=stored - kept, kept=kept,
                                    note=_error_note(source) if not expected else ""))
    return results


def combine(store: Store, batch: list[dict], force: bool) -> tuple[list[dict], int]:
    """The batch merged into the stored copies (and into earlier copies in the batch): the bugs
    to save, and how many incoming copies were older than what they met and left out."""
    current = store.load_bugs(bug["id"] for bug in batch)
    changed: dict[int, dict] = {}
    older = 0
    for bug in batch:
        before = changed.get(bug["id"]) or current.get(bug["id"])
        if before is None:
            changed[bug["id"]] = bug
        elif merge.is_older(bug, before) and not force:
            older += 1
        elif force and bug.get("last_change_time"):
            changed[bug["id"]] = merge.replace(before, bug)
        else:
            changed[bug["id"]] = merge.merge(before, bug)
    return list(changed.values()), older


def _error_note(source: DumpSource) -> str:
    """Why a file held no bugs, when it is a BMO error answer (`{"error": true, ...}`)."""
    if source.kind != "json":
        return ""
    try:
        with source.bugs_file.open(encoding="utf-8-sig") as fh:
            head = json.loads(fh.read(1 << 16))
    except (ValueError, OSError):
        return ""
    if isinstance(head, dict) and head.get("error"):
        return (f"a BMO error answer (code {head.get('code')}: "
                f"{str(head.get('message') or 'no message')[:200]}), no bugs in it")
    return ""


def _corpus_state(store: Store, source: DumpSource) -> dict[str, str]:
    state = {}
    if source.now is not None:
        known = store.get_state("db_time")
        state["db_time"] = max(source.now, known) if known else source.now
    if source.generated_by:
        state["synthetic"] = source.generated_by
    return state


class _Bad(Exception):
    """A syntax or shape problem inside a file; `iter_bugs` adds the file name."""


def _jsonl_items(fh: IO[str]) -> Iterator[tuple[str, Any]]:
    for number, line in enumerate(fh, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line.rstrip("\r\n"))
        except json.JSONDecodeError as exc:
            raise _Bad(f"not JSON at line {number} column {exc.colno}: {exc.msg}") from None
        if not isinstance(item, dict):
            raise _Bad(f"line {number} is not a bug object")
        yield f"line {number}", item


def _json_items(fh: IO[str]) -> Iterator[tuple[str, Any]]:
    """Stream the bugs of `[...]` or `{"bugs": [...], ...}` without loading the whole file."""
    reader = _Reader(fh)
    first = reader.peek()
    if first == "[":
        yield from reader.array_items()
    elif first == "{":
        yield from _object_bugs(reader)
    elif first == "":
        raise _Bad("empty file, expected BMO REST JSON")
    else:
        raise _Bad(f"not JSON at {reader.where()}: expected a list of bugs or a "
                   f"{{\"bugs\": [...]}} object")
    if reader.peek() != "":
        raise _Bad(f"not JSON at {reader.where()}: extra data after the end")


def _object_bugs(reader: _Reader) -> Iterator[tuple[str, Any]]:
    reader.expect("{")
    found = False
    other: dict[str, Any] = {}
    while reader.peek() != "}":
        if other or found:
            reader.expect(",")
        where = reader.where()
        key = reader.value()
        if not isinstance(key, str):
            raise _Bad(f"not JSON at {where}: expected a key")
        reader.expect(":")
        if key == "bugs" and reader.peek() == "[":
            found = True
            yield from reader.array_items()
        else:
            other[key] = reader.value()
    reader.expect("}")
    if found:
        return
    if other.get("error"):
        return  # a BMO error answer: no bugs (import_dumps says so)
    keyed = other.get("bugs")
    if isinstance(keyed, dict):
        yield from _keyed_parts(keyed, other)
        return
    raise _Bad("a JSON object without a \"bugs\" list")


def _keyed_parts(keyed: dict, other: dict) -> Iterator[tuple[str, Any]]:
    """A `/comment` answer (`{"<id>": {"comments": [...]}}`) or an `/attachment` answer
    (`{"<id>": [...]}`) as partial bugs; the by-id maps (`comments`/`attachments`, filled by
    `comment_ids=`/attachment ids) join the bug each item names."""
    parts: dict[int, dict[str, list]] = {}

    def bug_of(key: Any, where: str) -> dict[str, list]:
        try:
            return parts.setdefault(int(key), {})
        except (TypeError, ValueError):
            raise _Bad(f"{where} {key!r} is not a bug id") from None

    for key, value in keyed.items():
        if isinstance(value, dict) and isinstance(value.get("comments"), list):
            bug_of(key, "'bugs' key").setdefault("comments", []).extend(value["comments"])
        elif isinstance(value, list):
            bug_of(key, "'bugs' key").setdefault("attachments", []).extend(value)
        else:
            raise _Bad(f"'bugs' entry {key!r} is neither a comment nor an attachment list")
    for part in ("comments", "attachments"):
        by_id = other.get(part)
        if not isinstance(by_id, dict):
            continue
        for item in by_id.values():
            if not isinstance(item, dict):
                raise _Bad(f"'{part}' holds something that is not an object")
            items = bug_of(item.get("bug_id"), f"a {part[:-1]}'s bug_id").setdefault(part, [])
            if all(i.get("id") != item.get("id") for i in items if isinstance(i, dict)):
                items.append(item)
    for bug_id, bug_parts in sorted(parts.items()):
        yield f"bug {bug_id}", {"id": bug_id, **bug_parts}


class _Reader:
    """Incremental JSON tokenizer over a text stream, tracking line and column for messages."""

    def __init__(self, fh: IO[str]):
        self._fh = fh
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._line = 1  # line and column of self._buf[0]
        self._col = 1

    def _more(self, at_least: int = _CHUNK) -> bool:
        """Append text to the buffer, dropping what was consumed; False at the end."""
        if self._eof:
            return False
        chunk = self._fh.read(max(at_least, _CHUNK))
        if not chunk:
            self._eof = True
            return False
        dropped = self._buf[:self._pos]
        newlines = dropped.count(_NEWLINE)
        if newlines:
            self._line += newlines
            self._col = len(dropped) - dropped.rfind(_NEWLINE)
        else:
            self._col += len(dropped)
        self._buf = self._buf[self._pos:] + chunk
        self._pos = 0
        return True

    def where(self, pos: int | None = None) -> str:
        pos = self._pos if pos is None else pos
        before = self._buf[:pos]
        newlines = before.count("\n")
        if newlines:
            return f"line {self._line + newlines} column {pos - before.rfind(_NEWLINE)}"
        return f"line {self._line} column {self._col + pos}"

    def peek(self) -> str:
        """The next non-blank character ('' at the end), without consuming it."""
        while True:
            buf, pos = self._buf, self._pos
            while pos < len(buf) and buf[pos] in " \t\r\n":
                pos += 1
            self._pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self._more():
                return ""

    def expect(self, char: str) -> None:
        got = self.peek()
        if got != char:
            shown = repr(got) if got else "the end of the file"
            raise _Bad(f"not JSON at {self.where()}: expected '{char}', found {shown}")
        self._pos += 1

    def value(self) -> Any:
        """Decode one JSON value, reading more text until it is complete."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                if self._more(len(self._buf)):
                    continue
                raise _Bad(f"not JSON at {self.where(exc.pos)}: {exc.msg}") from None
            if end == len(self._buf) and self._more(len(self._buf)):
                continue  # a number may go on in the next chunk
            self._pos = end
            return value

    def array_items(self) -> Iterator[tuple[str, Any]]:
        self.expect("[")
        if self.peek() == "]":
            self._pos += 1
            return
        number = 0
        while True:
            number += 1
            item = self.value()
            if not isinstance(item, dict):
                raise _Bad(f"item {number} of the bug list is not a bug object")
            yield "", item
            if self.peek() == "]":
                self._pos += 1
                return
            self.expect(",")
