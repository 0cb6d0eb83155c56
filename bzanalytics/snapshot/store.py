"""The only code that touches the SQLite snapshot file.

Each bug is kept twice: typed columns for fast SQL, and its JSON exactly as BMO sent it (keys
sorted, embedded comments/history/attachments split into their own tables) so a new derived field
never needs a refetch. Every write is one transaction, so a killed process loses at most the batch
in flight. The content hash covers the data, not the bookkeeping (fetched_at, origin, sync state),
so two snapshots holding the same bugs hash equal however they were built.

A bug that leaves the synced component or becomes invisible is moved, rows and all, into the
`aside_*` tables: out of the analysed snapshot and its hash, kept for the record, and moved
back (replaced by what BMO sends) when the bug returns.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from bzanalytics import SYNTHETIC_IDS_FROM, __version__
from bzanalytics.errors import BzaError, DiskFull, NotWritable, SnapshotBusy, SnapshotError

SCHEMA_VERSION = 1
APPLICATION_ID = 0x627A6131  # "bza1": marks the file as ours, so foreign SQLite files are refused
BUSY_TIMEOUT_MS = 10_000  # how long to wait for another process's lock before saying "busy"

_SCHEMA = """
CREATE TABLE bugs (
    id INTEGER PRIMARY KEY,
    summary TEXT, status TEXT, resolution TEXT, product TEXT, component TEXT,
    creator TEXT, assigned_to TEXT,
    creation_time TEXT, last_change_time TEXT, last_resolved TEXT,
    whiteboard TEXT, keywords TEXT, is_open INTEGER, comment_count INTEGER, dupe_of INTEGER,
    raw TEXT NOT NULL,
    fetched_at TEXT NOT NULL, origin TEXT NOT NULL, tool_version TEXT NOT NULL
);
CREATE TABLE comments (
    bug_id INTEGER NOT NULL, id INTEGER NOT NULL, count INTEGER,
    author TEXT, time TEXT, is_private INTEGER, attachment_id INTEGER,
    text TEXT, raw_text TEXT,
    raw TEXT NOT NULL,
    PRIMARY KEY (bug_id, id)
);
CREATE TABLE history (
    bug_id INTEGER NOT NULL, seq INTEGER NOT NULL,
    "when" TEXT, who TEXT, field_name TEXT, removed TEXT, added TEXT,
    extra TEXT,
    PRIMARY KEY (bug_id, seq)
);
CREATE TABLE attachments (
    bug_id INTEGER NOT NULL, id INTEGER NOT NULL,
    file_name TEXT, summary TEXT, content_type TEXT, size INTEGER,
    creation_time TEXT, last_change_time TEXT, creator TEXT,
    is_private INTEGER, is_obsolete INTEGER, is_patch INTEGER,
    raw TEXT NOT NULL,
    PRIMARY KEY (bug_id, id)
);
CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_DATA_TABLES = ("bugs", "comments", "history", "attachments")
# The set-aside copies: the same columns, plus why and when each bug left. Created on first use
# too, so snapshots written before they existed need no migration.
_ASIDE_SCHEMA = _SCHEMA.split("CREATE TABLE sync_state")[0].replace(
    "CREATE TABLE ", "CREATE TABLE IF NOT EXISTS aside_") + """
CREATE TABLE IF NOT EXISTS aside (id INTEGER PRIMARY KEY, reason TEXT NOT NULL,
                                  noticed TEXT NOT NULL);
"""

# Columns of the canonical export, in order; the first ones are the sort key.
# Bookkeeping columns (fetched_at, origin, tool_version) are deliberately absent.
CANONICAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "bugs": (
        "id", "summary", "status", "resolution", "product", "component", "creator",
        "assigned_to", "creation_time", "last_change_time", "last_resolved", "whiteboard",
        "keywords", "is_open", "comment_count", "dupe_of", "raw",
    ),
    "comments": (
        "bug_id", "id", "count", "author", "time", "is_private", "attachment_id", "text",
        "raw_text", "raw",
    ),
    "history": ("bug_id", "seq", "when", "who", "field_name", "removed", "added", "extra"),
    "attachments": (
        "bug_id", "id", "file_name", "summary", "content_type", "size", "creation_time",
        "last_change_time", "creator", "is_private", "is_obsolete", "is_patch", "raw",
    ),
}
_ORDER_BY = {"bugs": "id", "comments": "bug_id, id", "history": "bug_id, seq",
             "attachments": "bug_id, id"}
_PARTS = ("comments", "history", "attachments")
# The store's own sync-state keys: a counter bumped by every write, and the hash it was valid for.
_GENERATION, _HASH_CACHE = "_data_generation", "_content_hash"
_HASH_FORMAT = "h2"  # bump when the canonical form changes, so remembered hashes are redone
_BUMP_GENERATION = (
    "INSERT INTO sync_state (key, value) VALUES (?, '1') "
    "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
)


Dump = Callable[[Any], str]
# ASCII-only output: lossless for any string (lone surrogates included) and safe to store
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def _json(value: Any) -> str:
    """Canonical JSON text: equal values give equal text whatever the key order."""
    return _ENCODER.encode(value)


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be an integer, got {value!r}")
    return value


def _id(value: Any, what: str) -> int:
    """Bugzilla numbers bugs, comments and attachments from 1; anything else is not BMO data."""
    number = _int(value, what)
    if number < 1:
        raise ValueError(f"{what} must be a positive integer, got {number}")
    return number


def _opt_int(value: Any, what: str) -> int | None:
    return None if value is None else _int(value, what)


def _flag(value: Any) -> int | None:
    return None if value is None else int(bool(value))


def _text(value: Any) -> str | None:
    """Text columns: strings as sent; anything else (BMO never sends it) as JSON.

    A lone surrogate (legal in a JSON escape, not in UTF-8) would make SQLite refuse the row; it
    becomes "?" here, while the raw JSON keeps it escaped.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        return _json(value)
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "replace").decode("utf-8")
    return value


def _login(bug: dict, key: str) -> str | None:
    value = bug.get(key)
    if isinstance(value, dict):  # very old dumps embed the user object
        value = value.get("name") or value.get("email")
    return _text(value)


def _bug_row(bug: dict, fetched_at: str, origin: str, dump: Dump) -> tuple:
    keywords = bug.get("keywords")
    if isinstance(keywords, list):
        keywords = ", ".join(str(k) for k in keywords)
    raw = {k: v for k, v in bug.items() if k not in _PARTS}
    return (
        _id(bug.get("id"), "bug id"), _text(bug.get("summary")), _text(bug.get("status")),
        _text(bug.get("resolution")), _text(bug.get("product")), _text(bug.get("component")),
        _login(bug, "creator"), _login(bug, "assigned_to"), _text(bug.get("creation_time")),
        _text(bug.get("last_change_time")), _text(bug.get("cf_last_resolved")),
        _text(bug.get("whiteboard")), _text(keywords), _flag(bug.get("is_open")),
        _opt_int(bug.get("comment_count"), "comment_count"),
        _opt_int(bug.get("dupe_of"), "dupe_of"),
        dump(raw), fetched_at, origin, __version__,
    )


def _comment_rows(bug_id: int, comments: list, dump: Dump) -> Iterator[tuple]:
    for index, comment in enumerate(comments):
        if not isinstance(comment, dict):
            raise ValueError(f"bug {bug_id}: comment {index} is not an object")
        raw = {k: v for k, v in comment.items() if k not in ("text", "raw_text")}
        count = comment.get("count", index)
        yield (
            bug_id, _id(comment.get("id"), f"bug {bug_id}: comment id"),
            _int(count, f"bug {bug_id}: comment count"),
            _text(comment.get("creator", comment.get("author"))),
            _text(comment.get("time", comment.get("creation_time"))),
            _flag(comment.get("is_private")),
            _opt_int(comment.get("attachment_id"), f"bug {bug_id}: attachment_id"),
            _text(comment.get("text")), _text(comment.get("raw_text")), dump(raw),
        )


def _history_rows(bug_id: int, history: list, dump: Dump) -> Iterator[tuple]:
    """One row per change; a change set without changes has nothing to keep."""
    seq = 0
    for index, changeset in enumerate(history):
        if not isinstance(changeset, dict) or not isinstance(changeset.get("changes", []), list):
            raise ValueError(f"bug {bug_id}: history entry {index} is not a change set")
        for change in changeset.get("changes", []):
            if not isinstance(change, dict):
                raise ValueError(f"bug {bug_id}: history entry {index} has a malformed change")
            extra = {k: v for k, v in change.items()
                     if k not in ("field_name", "removed", "added")}
            yield (
                bug_id, seq, _text(changeset.get("when")), _text(changeset.get("who")),
                _text(change.get("field_name")), _text(change.get("removed")),
                _text(change.get("added")), dump(extra) if extra else None,
            )
            seq += 1


def _attachment_rows(bug_id: int, attachments: list, dump: Dump) -> Iterator[tuple]:
    for index, att in enumerate(attachments):
        if not isinstance(att, dict):
            raise ValueError(f"bug {bug_id}: attachment {index} is not an object")
        raw = {k: v for k, v in att.items() if k != "data"}  # never keep file contents
        yield (
            bug_id, _id(att.get("id"), f"bug {bug_id}: attachment id"),
            _text(att.get("file_name")), _text(att.get("summary")),
            _text(att.get("content_type")), _opt_int(att.get("size"), "attachment size"),
            _text(att.get("creation_time")), _text(att.get("last_change_time")),
            _login(att, "creator"), _flag(att.get("is_private")), _flag(att.get("is_obsolete")),
            _flag(att.get("is_patch")), dump(raw),
        )


_ROW_BUILDERS = {"comments": _comment_rows, "history": _history_rows,
                 "attachments": _attachment_rows}


def _rows(bug: Any, fetched_at: str, origin: str,
          dump: Dump = _json) -> tuple[tuple, dict[str, list[tuple]]]:
    """The bug's row and the rows of each part it carries; ValueError when malformed."""
    if not isinstance(bug, dict):
        raise ValueError(f"a bug must be a JSON object, got {type(bug).__name__}")
    row = _bug_row(bug, fetched_at, origin, dump)
    parts: dict[str, list[tuple]] = {}
    for part in _PARTS:
        items = bug.get(part)
        if items is None:
            continue
        if not isinstance(items, list):
            raise ValueError(f"bug {row[0]}: '{part}' must be a list")
        parts[part] = list(_ROW_BUILDERS[part](row[0], items, dump))
        keys = [r[1] for r in parts[part]]
        if len(set(keys)) != len(keys):
            raise ValueError(f"bug {row[0]}: duplicate {part[:-1]} ids")
    return row, parts


def check_bug(bug: Any) -> int:
    """Raise ValueError when `save_bugs` would refuse this bug, else return its id; no I/O.

    Lets `dumps` vet a whole file before writing any of it.
    """
    # JSON that came from a parser always encodes again, so skip that (the costliest) step
    return _rows(bug, "", "", dump=lambda value: "")[0][0]


_INSERT = {
    table: f"INSERT INTO {table} VALUES ({', '.join('?' * n)})"
    for table, n in (("bugs", 20), ("comments", 10), ("history", 8), ("attachments", 13))
}


class Store:
    """An open snapshot file. Use `Store.open(path)`, ideally as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self._conn = conn
        self.path = path

    @classmethod
    def open(cls, path: str | Path, create: bool = True, readonly: bool = False) -> Store:
        """Open (and with `create`, make) a snapshot; refuse anything that is not one of ours.

        `readonly` opens an existing file for reading only, so a snapshot in a read-only folder
        (or one this user may not write) can still be analysed.
        """
        path = Path(path)
        if path.is_dir():
            raise SnapshotError(f"{path} is a directory, not a snapshot file")
        if (readonly or not create) and not path.exists():
            raise SnapshotError(f"{path}: no such snapshot file")
        if not readonly:
            check_writable(path)
        try:
            conn = _connect(path, readonly)
        except sqlite3.Error as exc:
            raise _snapshot_error(path, exc) from None
        try:
            _prepare(conn, path, create and not readonly, readonly)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise _snapshot_error(path, exc) from None
        except BaseException:
            conn.close()
            raise
        return cls(conn, path)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

    def save_bugs(self, bugs: Iterable[dict], *, origin: str, fetched_at: str,
                  state: dict[str, str] | None = None) -> int:
        """Replace each bug whole and set `state`, all in one transaction; return the bug count.

        A bug dict without a `comments`, `history` or `attachments` key keeps what is stored for
        that part (absent means "not fetched", not "none"). Malformed bugs raise ValueError and
        nothing of the batch is written.
        """
        conn = self._conn
        saved = 0
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _snapshot_error(self.path, exc) from None
        try:
            has_aside = _has_aside(conn)
            for bug in bugs:
                row, parts = _rows(bug, fetched_at, origin)
                if has_aside:  # a bug that comes back replaces its set-aside copy
                    _delete_aside(conn, row[0])
                conn.execute("DELETE FROM bugs WHERE id = ?", (row[0],))
                conn.execute(_INSERT["bugs"], row)
                for part, rows in parts.items():
                    conn.execute(f"DELETE FROM {part} WHERE bug_id = ?", (row[0],))
                    conn.executemany(_INSERT[part], rows)
                saved += 1
            for key, value in (state or {}).items():
                _put_state(conn, key, value)
            if saved:
                conn.execute(_BUMP_GENERATION, (_GENERATION,))
            conn.execute("COMMIT")
        except sqlite3.IntegrityError as exc:
            _rollback(conn)
            raise ValueError(f"duplicate or inconsistent record ({exc})") from None
        except sqlite3.OperationalError as exc:  # disk full, I/O error, lock lost
            _rollback(conn)
            raise _snapshot_error(self.path, exc, "; nothing of this batch was stored") from None
        except BaseException:
            _rollback(conn)
            raise
        return saved

    def set_state(self, key: str, value: str) -> None:
        _put_state(self._conn, key, value)

    def set_aside(self, reasons: dict[int, str], *, noticed: str) -> int:
        """Move these bugs (with their comments, history, attachments) out of the analysed
        tables into the `aside_*` ones, with a reason; one transaction; returns how many moved.
        They leave `bugs()`, the metrics and the content hash."""
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _snapshot_error(self.path, exc) from None
        moved = 0
        try:
            for statement in _ASIDE_SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            for bug_id, reason in sorted(reasons.items()):
                if conn.execute("SELECT 1 FROM bugs WHERE id = ?", (bug_id,)).fetchone() is None:
                    continue
                _delete_aside(conn, bug_id)
                for table in _DATA_TABLES:
                    key = "id" if table == "bugs" else "bug_id"
                    conn.execute(f"INSERT INTO aside_{table} SELECT * FROM {table} "
                                 f"WHERE {key} = ?", (bug_id,))
                    conn.execute(f"DELETE FROM {table} WHERE {key} = ?", (bug_id,))
                conn.execute("INSERT INTO aside (id, reason, noticed) VALUES (?, ?, ?)",
                             (bug_id, reason, noticed))
                moved += 1
            if moved:
                conn.execute(_BUMP_GENERATION, (_GENERATION,))
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            _rollback(conn)
            raise _snapshot_error(self.path, exc, "; nothing was moved") from None
        except BaseException:
            _rollback(conn)
            raise
        return moved

    def aside(self) -> dict[int, tuple[str, str]]:
        """The set-aside bugs: id -> (reason, noticed at)."""
        if not _has_aside(self._conn):
            return {}
        return {i: (r, n) for i, r, n in self._conn.execute(
            "SELECT id, reason, noticed FROM aside ORDER BY id")}

    # -- reading ---------------------------------------------------------------------------

    def get_state(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def state(self) -> dict[str, str]:
        """All sync-state keys except the store's own bookkeeping."""
        return dict(self._conn.execute(
            "SELECT key, value FROM sync_state WHERE key NOT LIKE '\\_%' ESCAPE '\\' "
            "ORDER BY key"))

    def load_bugs(self, ids: Iterable[int]) -> dict[int, dict]:
        """The stored bugs among `ids` as BMO JSON again (raw fields, `comments`, `history`,
        `attachments`), so `import` can merge a dump into them."""
        wanted = sorted(set(ids))
        bugs: dict[int, dict] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            for bug_id, raw in self._conn.execute(
                    f"SELECT id, raw FROM bugs WHERE id IN ({marks})", chunk):
                bugs[bug_id] = {**json.loads(raw), "comments": [], "history": [],
                                "attachments": []}
            for bug_id, raw, text, raw_text in self._conn.execute(
                    f"SELECT bug_id, raw, text, raw_text FROM comments WHERE bug_id IN ({marks}) "
                    "ORDER BY rowid", chunk):
                comment = json.loads(raw)
                if text is not None:
                    comment["text"] = text
                if raw_text is not None:
                    comment["raw_text"] = raw_text
                bugs[bug_id]["comments"].append(comment)
            for bug_id, when, who, field, removed, added, extra in self._conn.execute(
                    f'SELECT bug_id, "when", who, field_name, removed, added, extra FROM history '
                    f"WHERE bug_id IN ({marks}) ORDER BY bug_id, seq", chunk):
                history = bugs[bug_id]["history"]
                change = {"field_name": field, "removed": removed, "added": added,
                          **(json.loads(extra) if extra else {})}
                if history and (history[-1]["when"], history[-1]["who"]) == (when, who):
                    history[-1]["changes"].append(change)
                else:
                    history.append({"when": when, "who": who, "changes": [change]})
            for bug_id, raw in self._conn.execute(
                    f"SELECT bug_id, raw FROM attachments WHERE bug_id IN ({marks}) "
                    "ORDER BY rowid", chunk):
                bugs[bug_id]["attachments"].append(json.loads(raw))
        return bugs

    def bug_ids(self) -> set[int]:
        """Every bug id of the analysed snapshot (set-aside bugs are not in it)."""
        return {row[0] for row in self._conn.execute("SELECT id FROM bugs")}

    def change_times(self) -> dict[int, str]:
        """Stored `last_change_time` per bug id (bugs without one are left out)."""
        return dict(self._conn.execute(
            "SELECT id, last_change_time FROM bugs WHERE last_change_time IS NOT NULL"))

    def counts(self) -> dict[str, int]:
        result = {t: self._conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("bugs", "comments", "history", "attachments")}
        result["private_comments"] = self._conn.execute(
            "SELECT count(*) FROM comments WHERE is_private = 1").fetchone()[0]
        return result

    def origins(self) -> dict[str, int]:
        """How many bugs came from each origin (a sync URL, a dump file, a corpus)."""
        return dict(self._conn.execute(
            "SELECT origin, count(*) FROM bugs GROUP BY origin ORDER BY origin"))

    def synthetic_source(self) -> str | None:
        """What made this snapshot's data, when it is synthetic; None for real data.

        A corpus's `generated_by` (kept by `import`), else, when bugs carry ids from
        `SYNTHETIC_IDS_FROM` up (only generated corpora use them), a note saying so: that label
        survives every path into a snapshot, a sync from the fake BMO included.
        """
        stated = self.get_state("synthetic")
        if stated:
            return stated
        count = self._conn.execute("SELECT count(*) FROM bugs WHERE id >= ?",
                                   (SYNTHETIC_IDS_FROM,)).fetchone()[0]
        if count:
            return f"synthetic bug ids ({count:,} bugs numbered from {SYNTHETIC_IDS_FROM:,})"
        return None

    def canonical_rows(self, table: str) -> Iterator[tuple]:
        """Rows of `table` in `CANONICAL_COLUMNS[table]` order, sorted by key: deterministic."""
        if table not in CANONICAL_COLUMNS:
            raise ValueError(f"unknown table {table!r}")
        columns = ", ".join(f'"{c}"' for c in CANONICAL_COLUMNS[table])
        yield from self._conn.execute(f"SELECT {columns} FROM {table} ORDER BY {_ORDER_BY[table]}")

    def content_hash(self) -> str:
        """SHA-256 of the canonical export of all four data tables (private comments included).

        Computed in one read transaction (a concurrent sync cannot mix two states into it) and
        remembered until the next `save_bugs`, since hashing 400k comments takes seconds.
        """
        self._conn.execute("BEGIN")
        try:
            generation = self.get_state(_GENERATION) or "0"
            key = f"{_HASH_FORMAT}/{generation}"
            cached = (self.get_state(_HASH_CACHE) or "").split(":")
            if len(cached) == 2 and cached[0] == key:
                return cached[1]
            digest = hashlib.sha256()
            for table, columns in CANONICAL_COLUMNS.items():
                digest.update(_json([table, list(columns)]).encode())
                digest.update(b"\n")
                for row in self.canonical_rows(table):
                    digest.update(_json(row).encode())
                    digest.update(b"\n")
        finally:
            self._conn.execute("COMMIT")
        # a read-only file or a busy writer: just don't remember
        with contextlib.suppress(sqlite3.OperationalError):
            self.set_state(_HASH_CACHE, f"{key}:{digest.hexdigest()}")
        return digest.hexdigest()

    def query(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        """Read-only SQL for `frames`, which needs the typed columns but not the file itself."""
        return self._conn.execute(sql, params)


def check_writable(path: Path) -> None:
    """Writing needs the file and its folder (SQLite puts its -wal and -shm files beside it)."""
    folder = path.parent
    if not folder.is_dir():
        raise SnapshotError(f"{path}: cannot create it, the folder {folder} does not exist")
    for where in (folder, path) if path.exists() else (folder,):
        if not os.access(where, os.W_OK):
            raise NotWritable(f"cannot write {path}: {where} is read-only or not writable by "
                              "this user (reading it needs no write access)")


def _writable(path: Path) -> bool:
    return os.access(path.parent, os.W_OK) and os.access(path, os.W_OK)


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    """A connection. A reader whose file and folder are writable gets an ordinary one (so SQLite
    tidies its -wal and -shm files on close, and the content hash can be remembered); any other
    reader opens in SQLite's read-only mode, which needs no write access at all."""
    if not readonly or _writable(path):
        return sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    uri = path.resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        # A WAL file needs a -shm file beside it; in a read-only folder none can be made. With
        # no -wal file there is nothing beyond the main file, so read it as immutable.
        wal = path.with_name(path.name + "-wal")
        if _code(exc) != sqlite3.SQLITE_CANTOPEN or wal.exists():
            raise
    return sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None,
                           check_same_thread=False)


def _code(exc: sqlite3.Error) -> int | None:
    """SQLite's primary result code (extended codes carry it in the low byte)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _snapshot_error(path: Path, exc: sqlite3.Error, tail: str = "") -> BzaError:
    """One SQLite failure as the user's error: busy, read-only and full disk get their own exit
    codes (errors.py); anything else means the file is not a usable snapshot."""
    code = _code(exc)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return SnapshotBusy(f"{path} is busy: another process holds a lock on it ({exc}); try "
                            f"again when it has finished{tail}")
    if code == sqlite3.SQLITE_FULL:
        return DiskFull(f"cannot write {path}: the disk is full ({exc}){tail}")
    if code == sqlite3.SQLITE_READONLY:
        return NotWritable(f"cannot write {path}: it is read-only ({exc}){tail}")
    if code == sqlite3.SQLITE_CANTOPEN:
        return SnapshotError(f"{path}: cannot open ({exc}){tail}")
    if isinstance(exc, sqlite3.OperationalError) and code not in (sqlite3.SQLITE_NOTADB,
                                                                   sqlite3.SQLITE_CORRUPT):
        return SnapshotError(f"{path}: cannot use the snapshot ({exc}){tail}")
    return SnapshotError(f"{path} is not a bzanalytics snapshot ({exc})")


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:  # SQLite may already have rolled back (e.g. disk full)
        conn.execute("ROLLBACK")


def _has_aside(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'aside'").fetchone() \
        is not None


def _delete_aside(conn: sqlite3.Connection, bug_id: int) -> None:
    conn.execute("DELETE FROM aside WHERE id = ?", (bug_id,))
    for table in _DATA_TABLES:
        key = "id" if table == "bugs" else "bug_id"
        conn.execute(f"DELETE FROM aside_{table} WHERE {key} = ?", (bug_id,))


def _put_state(conn: sqlite3.Connection, key: str, value: str) -> None:
    if not isinstance(value, str):
        raise ValueError(f"sync state {key!r} must be text, got {type(value).__name__}")
    conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", (key, value))


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL; the switch can fail at once (no busy wait) while another process creates
    or reads the file, so retry for a while."""
    for _ in range(200):
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.05)
    conn.execute("PRAGMA journal_mode = WAL")


def _prepare(conn: sqlite3.Connection, path: Path, create: bool, readonly: bool = False) -> None:
    """Check the file is ours and current; create the schema in an empty file when allowed."""
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
    conn.execute("BEGIN")  # one consistent read, even while another process creates the file
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    finally:
        conn.execute("COMMIT")
    if app_id != APPLICATION_ID:
        if has_tables or app_id != 0:
            raise SnapshotError(f"{path} is an SQLite database, but not a bzanalytics snapshot")
        if not create:
            raise SnapshotError(f"{path} is an empty file, not a bzanalytics snapshot")
        _use_wal(conn)
        conn.execute("BEGIN IMMEDIATE")
        # another process may have created it while we waited for the lock
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise SnapshotError(
            f"{path} was written by a newer bzanalytics (schema {version}, this version reads "
            f"up to {SCHEMA_VERSION}); upgrade bzanalytics")
    if version < SCHEMA_VERSION:
        raise SnapshotError(f"{path} has an unknown old schema version {version}")
    if readonly:
        return
    _use_wal(conn)
    conn.execute("PRAGMA synchronous = NORMAL")
