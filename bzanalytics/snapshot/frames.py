"""`open_snapshot`: a snapshot file as typed pandas DataFrames, with parse and metrics cached.

Every frame has the columns listed in docs/architecture.md (Frames) and real dtypes: UTC-aware
`datetime64[us, UTC]` times, `Int64` ids and counts, pandas' `str` text, `boolean` flags. Empty
text is missing, never "". Parse and metrics are imported only when first asked for, so loading
frames stays cheap, and each result is computed once per Snapshot.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from types import TracebackType
from typing import Any

import pandas as pd

from bzanalytics.errors import UsageError
from bzanalytics.snapshot.corrections import Corrections, check_against, read_corrections
from bzanalytics.snapshot.dumps import FIRST_YEAR, LAST_YEAR
from bzanalytics.snapshot.store import Store

log = logging.getLogger(__name__)

TIME = "datetime64[us, UTC]"
_CHUNK = 50_000  # rows read from SQLite at a time
_T, _I, _S, _B = TIME, "Int64", "str", "boolean"

# name -> (SQL expression, dtype); order is the frame's column order.
_BUGS = {
    "bug_id": ("id", _I), "summary": ("summary", _S), "status": ("status", _S),
    "resolution": ("resolution", _S), "product": ("product", _S),
    "component": ("component", _S), "creator": ("creator", _S),
    "assigned_to": ("assigned_to", _S), "creation_time": ("creation_time", _T),
    "last_change_time": ("last_change_time", _T), "last_resolved": ("last_resolved", _T),
    "whiteboard": ("whiteboard", _S), "keywords": ("keywords", _S), "is_open": ("is_open", _B),
    "comment_count": ("comment_count", _I), "dupe_of": ("dupe_of", _I),
}
_COMMENTS = {
    "bug_id": ("bug_id", _I), "comment_id": ("id", _I), "count": ("count", _I),
    "author": ("author", _S), "time": ("time", _T), "is_private": ("is_private", _B),
    "text": ("COALESCE(raw_text, text)", _S), "attachment_id": ("attachment_id", _I),
}
_HISTORY = {
    "bug_id": ("bug_id", _I), "when": ('"when"', _T), "who": ("who", _S),
    "field_name": ("field_name", _S), "removed": ("removed", _S), "added": ("added", _S),
}
_ATTACHMENTS = {
    "bug_id": ("bug_id", _I), "attachment_id": ("id", _I), "file_name": ("file_name", _S),
    "summary": ("summary", _S), "content_type": ("content_type", _S), "size": ("size", _I),
    "creation_time": ("creation_time", _T), "creator": ("creator", _S),
    "is_private": ("is_private", _B), "is_obsolete": ("is_obsolete", _B),
    "is_patch": ("is_patch", _B),
}
BASE_COLUMNS = {"bugs": _BUGS, "comments": _COMMENTS, "history": _HISTORY,
                "attachments": _ATTACHMENTS}
_FROM = {
    "bugs": "FROM bugs ORDER BY id",
    "comments": "FROM comments {where} ORDER BY bug_id, count, id",
    "history": "FROM history {where} ORDER BY bug_id, seq",
    "attachments": "FROM attachments {where} ORDER BY bug_id, id",
}


def open_snapshot(path: str | Path,
                  corrections: str | Path | Corrections | None = None) -> Snapshot:
    """Open an existing snapshot file for reading (no write access needed); a missing, foreign
    or too-new file is a `SnapshotError`.

    `corrections` (a corrections CSV, see `snapshot.corrections`) is checked against the
    snapshot and applied before any metric is computed; a bad file raises `CorrectionsError`
    and nothing is applied.
    """
    snapshot = Snapshot(Store.open(path, readonly=True))
    if corrections is not None:
        try:
            snapshot.use_corrections(corrections)
        except BaseException:
            snapshot.close()
            raise
    return snapshot


def _select(columns: dict[str, tuple[str, str]]) -> str:
    parts = []
    for name, (expr, dtype) in columns.items():
        if dtype == _S:
            expr = f"NULLIF({expr}, '')"
        parts.append(f'{expr} AS "{name}"')
    return "SELECT " + ", ".join(parts)


def _typed(rows: list[tuple], columns: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Build each column straight in its dtype (faster than a DataFrame of objects, then cast)."""
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    converted = {}
    for (name, (_, dtype)), column in zip(columns.items(), values, strict=True):
        if dtype == TIME:
            converted[name] = _times(column, name)
        elif dtype == _S:
            converted[name] = _text_series(column)
        else:
            converted[name] = pd.Series(column, dtype=dtype)
    return pd.DataFrame(converted, index=pd.RangeIndex(len(rows)))


def _times(column: tuple, name: str) -> pd.Series:
    """UTC datetimes; a value that is no usable time (not ISO 8601, not a real day, outside
    1998-2099: methodology.md, Bad dates) becomes NaT, with a warning."""
    raw = pd.Series(column, dtype=object)
    times = pd.to_datetime(raw, utc=True, format="ISO8601", errors="coerce").astype(TIME)
    year = times.dt.year
    times = times.where(((year >= FIRST_YEAR) & (year <= LAST_YEAR)).fillna(False).to_numpy())
    bad = int((times.isna() & raw.notna()).sum())
    if bad:
        log.warning("%d %s value(s) are not usable times; read as missing", bad, name)
    return times


def _text_series(column: tuple) -> pd.Series:
    """A `str` Series; through pyarrow directly when present (2x faster on 400k comments)."""
    dtype = pd.Series([], dtype="str").dtype
    if getattr(dtype, "storage", None) != "pyarrow":
        return pd.Series(column, dtype=dtype)
    import pyarrow as pa

    return pd.Series(pd.arrays.ArrowStringArray(pa.array(column, type=pa.large_string()),
                                                dtype=dtype))


def _utc(value: str) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.as_unit("us")


class Snapshot:
    """One snapshot: typed base tables, `as_of`, provenance, and cached parse/metrics results."""

    def __init__(self, store: Store):
        self._store = store
        self._cache: dict[Any, Any] = {}
        self.path = store.path
        self.corrections: Corrections | None = None
        #: corrections that change nothing, found when the metrics were computed
        self.correction_warnings: list[str] = []

    def use_corrections(self, corrections: str | Path | Corrections) -> None:
        """Check `corrections` against this snapshot and apply them to every metric from now on."""
        checked = (corrections if isinstance(corrections, Corrections)
                   else read_corrections(corrections))
        check_against(checked, self.bugs(), self._raw_comments(include_private=True))
        self.corrections = checked
        for key in [k for k in self._cache if isinstance(k, tuple) and k[0] == "measured"]:
            del self._cache[key]
        self._cache.pop("trends", None)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Snapshot {self.path} as of {self.as_of}>"

    def _cached(self, key: Any, build: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = build()
        value = self._cache[key]
        # a shallow copy: with copy-on-write, a caller's edits never reach the cache
        return value.copy(deep=False) if isinstance(value, pd.DataFrame) else value

    def _load(self, table: str, where: str = "") -> pd.DataFrame:
        columns = BASE_COLUMNS[table]
        sql = f"{_select(columns)} {_FROM[table].format(where=where)}"
        cursor = self._store.query(sql)
        # typed chunk by chunk: only one chunk of rows is ever held as Python objects
        parts = [_typed(rows, columns) for rows in iter(lambda: cursor.fetchmany(_CHUNK), [])]
        if not parts:
            return _typed([], columns)
        if len(parts) == 1:
            return parts[0]
        return pd.concat(parts, ignore_index=True)

    # -- base tables -----------------------------------------------------------------------

    def bugs(self) -> pd.DataFrame:
        """One row per bug, sorted by bug_id."""
        return self._cached("bugs", lambda: self._load("bugs"))

    def comments(self, include_private: bool = False, roles: bool = True) -> pd.DataFrame:
        """Comments in order; with `roles` (and the parse package present) a `role` column too."""
        if roles:
            parsed = self._parsed(include_private)
            if parsed is not None:
                return parsed.comments.copy(deep=False)
        return self._raw_comments(include_private)

    def _raw_comments(self, include_private: bool) -> pd.DataFrame:
        where = "" if include_private else "WHERE is_private IS NOT 1"
        return self._cached(("comments", include_private),
                            lambda: self._load("comments", where))

    def history(self) -> pd.DataFrame:
        """One row per changed field, in the order BMO listed the changes."""
        return self._cached("history", lambda: self._load("history", ""))

    def attachments(self, include_private: bool = True) -> pd.DataFrame:
        """Attachment metadata (never contents); private ones only with `include_private`."""
        where = "" if include_private else "WHERE is_private IS NOT 1"
        return self._cached(("attachments", include_private),
                            lambda: self._load("attachments", where))

    # -- provenance ------------------------------------------------------------------------

    @property
    def as_of(self) -> pd.Timestamp:
        """BMO's `db_time` of the last sync or corpus, else the newest bug change (or filing).

        The "now" of every metric; `NaT` only for an empty snapshot.
        """
        return self._cached("as_of", self._as_of)

    def _as_of(self) -> pd.Timestamp:
        stated = self._store.get_state("db_time")
        if stated:
            return _utc(stated)
        for column in ("last_change_time", "creation_time"):
            # the newest usable value: an older snapshot may hold garbage or year 9999
            rows = self._store.query(
                f"SELECT {column} FROM bugs WHERE {column} >= ? AND {column} < ? "
                f"ORDER BY {column} DESC LIMIT 50", (str(FIRST_YEAR), str(LAST_YEAR + 1)))
            times = _times(tuple(r[0] for r in rows), column).dropna()
            if len(times):
                return times.max()
        return pd.NaT

    def content_hash(self) -> str:
        """SHA-256 of the snapshot's canonical export: cite it to pin the data behind a result."""
        return self._cached("content_hash", self._store.content_hash)

    @property
    def synthetic_source(self) -> str | None:
        """The generator that made this snapshot's corpus (`generated_by`), None for real data."""
        return self._cached("synthetic_source", self._store.synthetic_source)

    @property
    def is_synthetic(self) -> bool:
        """True when the data came from a synthetic corpus: show a "synthetic sample" banner."""
        return self.synthetic_source is not None or any(
            "synthetic" in origin for origin in self._store.origins())

    @property
    def site(self) -> str:
        """The Bugzilla this snapshot's bugs came from: every evidence link points there."""
        from bzanalytics.metrics.common import site_of
        return self._cached("site", lambda: site_of(self._store.origins(), self.is_synthetic))

    def stored_parts(self) -> pd.DataFrame:
        """Per bug: how many comments (private included) and history rows the snapshot holds.

        Metrics read "none stored" as "not fetched" (`metrics.incidents.fetched_parts`).
        """
        def build() -> pd.DataFrame:
            rows = self._store.query(
                "SELECT id, (SELECT count(*) FROM comments c WHERE c.bug_id = b.id), "
                "(SELECT count(*) FROM history h WHERE h.bug_id = b.id) FROM bugs b ORDER BY id"
            ).fetchall()
            ids, comments, history = zip(*rows, strict=True) if rows else ((), (), ())
            return pd.DataFrame({"bug_id": pd.array(ids, dtype="Int64"),
                                 "comments": pd.array(comments, dtype="int64"),
                                 "history": pd.array(history, dtype="int64")})
        return self._cached("stored_parts", build)

    @property
    def pending(self) -> int | None:
        """None when the last sync finished (or there was none); else the bugs it still has to
        fetch (0 when it stopped before listing them): an incomplete snapshot."""
        state = self._store.state()
        started, finished = state.get("last_sync_started"), state.get("last_sync_finished")
        if not started or (finished and finished >= started):
            return None
        try:
            return len(json.loads(state.get("pending") or "{}").get("ids", []))
        except (ValueError, AttributeError):
            return 0

    def skipped(self) -> dict[str, list[int]]:
        """What the analysis leaves out because its time is not usable (methodology.md, Bad
        dates): bug ids per reason (public comments: those the metrics read). Only older
        snapshots hold such values (import refuses them)."""
        def build() -> dict[str, list[int]]:
            bugs, comments, history = self.bugs(), self._raw_comments(False), self.history()
            found = {
                "bugs without a usable creation_time": bugs.loc[bugs["creation_time"].isna()],
                "comments without a usable time": comments.loc[comments["time"].isna()],
                "history changes without a usable time": history.loc[history["when"].isna()],
            }
            return {reason: sorted(int(b) for b in rows["bug_id"])
                    for reason, rows in found.items() if len(rows)}
        return self._cached("skipped", build)

    def warnings(self) -> list[str]:
        """What every output made from this snapshot must say: an unfinished sync, skipped data."""
        notes = []
        if self.pending is not None:
            notes.append(f"incomplete snapshot: {self.pending:,} bugs still pending (the last "
                         "sync did not finish; run `bzanalytics sync` again to complete it)")
        for reason, ids in self.skipped().items():
            shown = ", ".join(str(b) for b in sorted(set(ids))[:5])
            more = ", ..." if len(set(ids)) > 5 else ""
            notes.append(f"skipped {len(ids):,} {reason} (bug {shown}{more}); they are left out "
                         "of every metric")
        return notes

    def _usable(self, include_private: bool) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Bugs, comments and history without the rows `skipped` lists, for parse and metrics."""
        def build() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
            bugs, comments, history = (self.bugs(), self._raw_comments(include_private),
                                       self.history())
            if not self.skipped():
                return bugs, comments, history
            bugs = bugs.loc[bugs["creation_time"].notna().to_numpy()].reset_index(drop=True)
            keep = bugs["bug_id"]
            comments = comments.loc[(comments["time"].notna()
                                     & comments["bug_id"].isin(keep)).to_numpy()]
            history = history.loc[(history["when"].notna() & history["bug_id"].isin(keep))
                                  .to_numpy()]
            return bugs, comments.reset_index(drop=True), history.reset_index(drop=True)
        return self._cached(("usable", include_private), build)

    def state(self) -> dict[str, str]:
        """The sync bookkeeping (db_time, last_sync_started, ...), for display."""
        return self._store.state()

    # -- parse and metrics (imported lazily; computed once) ----------------------------------

    def _parsed(self, include_private: bool = False) -> Any:
        """`parse.tables.analyze` over the bugs and comments, or None before parse exists."""
        def build() -> Any:
            try:
                from bzanalytics.parse.tables import analyze
            except ImportError:
                return None
            bugs, comments, _ = self._usable(include_private)
            return analyze(bugs, comments)
        return self._cached(("parsed", include_private), build)

    def _require_parsed(self, include_private: bool = False) -> Any:
        parsed = self._parsed(include_private)
        if parsed is None:
            raise NotImplementedError("the parse package (bzanalytics.parse.tables) is missing")
        return parsed

    def reports(self, include_private: bool = False) -> pd.DataFrame:
        """One row per report comment: kind, template, sections, completeness, and whether its
        template was still current (CCADB Policy 2.0, methodology.md)."""
        def build() -> pd.DataFrame:
            from bzanalytics.metrics.templates import currency
            reports = self._require_parsed(include_private).reports
            if not {"template", "time"} <= set(reports.columns):
                return reports  # a stand-in parse layer without templates
            return reports.join(currency(reports))
        return self._cached(("reports", include_private), build)

    def timeline(self, include_private: bool = False) -> pd.DataFrame:
        """One row per timeline line parsed from the reports."""
        return self._require_parsed(include_private).timeline.copy(deep=False)

    def _measured(self, include_excluded: bool) -> Any:
        def build() -> Any:
            from bzanalytics.metrics import measure
            bugs, _, history = self._usable(False)
            parsed = self._require_parsed()
            if self.corrections is not None:
                from bzanalytics.metrics.corrections import apply
                parsed, self.correction_warnings = apply(parsed, bugs, self.corrections.rows)
            return measure(parsed, bugs, history, self.as_of,
                           include_excluded=include_excluded, site=self.site,
                           stored=self.stored_parts())
        return self._cached(("measured", include_excluded), build)

    def incidents(self, include_excluded: bool = False) -> pd.DataFrame:
        """One row per bug with every metric of methodology.md (INVALID/DUPLICATE/meta left out)."""
        return self._measured(include_excluded).incidents.copy(deep=False)

    def questions(self, include_excluded: bool = False) -> pd.DataFrame:
        return self._measured(include_excluded).questions.copy(deep=False)

    def promises(self, include_excluded: bool = False) -> pd.DataFrame:
        return self._measured(include_excluded).promises.copy(deep=False)

    def update_gaps(self, include_excluded: bool = False) -> pd.DataFrame:
        return self._measured(include_excluded).update_gaps.copy(deep=False)

    def attention(self, as_of: Any = None, *, due_within_hours: float = 48.0,
                  new_days: float = 7.0) -> pd.DataFrame:
        """What needs a reviewer's attention at `as_of` (default: the snapshot's as_of), most
        urgent first (methodology.md, "Attention"). An earlier `as_of` replays the snapshot as
        it stood then: later bugs, comments and changes are left out."""
        from bzanalytics.metrics.attention import attention

        when = self.as_of if as_of is None else _utc(str(pd.Timestamp(as_of)))
        if when > self.as_of:
            raise UsageError(f"as-of {when:%Y-%m-%d %H:%M} UTC is after the snapshot's as-of time "
                             f"({self.as_of:%Y-%m-%d %H:%M} UTC); it cannot show later events")
        measured = self._attention_measured(when)
        return attention(measured.obligations, measured.incidents, when,
                         due_within_hours=due_within_hours, new_days=new_days, site=self.site)

    def _attention_measured(self, when: pd.Timestamp) -> Any:
        """The full metrics when already computed for this moment, else those of the bugs open
        at `when` only (the same `measure`, on far fewer comments: each bug is measured alone)."""
        if when == self.as_of and ("measured", False) in self._cache:
            return self._cache[("measured", False)]
        return self._cached(("open_measured", when), lambda: self._measure_open(when))

    def _measure_open(self, when: pd.Timestamp) -> Any:
        from bzanalytics.metrics import measure
        from bzanalytics.parse.tables import analyze
        from bzanalytics.snapshot.rewind import rewind_bugs, rewind_events

        def history(where: str) -> pd.DataFrame:
            """History rows (from the cache when the whole table is loaded already)."""
            if "history" in self._cache:
                return self.history()
            return self._load("history", where)

        # only changes after `when` can make a bug's fields differ from today's
        later = history(f"WHERE \"when\" >= '{when:%Y-%m-%d}'")
        bugs = rewind_bugs(self.bugs(), later, when)
        bugs = bugs.loc[bugs["is_open"].fillna(True).to_numpy()].reset_index(drop=True)
        ids = ", ".join(str(int(b)) for b in bugs["bug_id"]) or "NULL"
        chosen = f"WHERE bug_id IN ({ids})"
        comments = rewind_events(self._load("comments", f"{chosen} AND is_private IS NOT 1"),
                                 "time", when)
        past = history(chosen)
        past = rewind_events(past.loc[past["bug_id"].isin(bugs["bug_id"]).to_numpy()], "when",
                             when)
        parsed = analyze(bugs, comments)
        if self.corrections is not None:
            from bzanalytics.metrics.corrections import apply
            present = set(bugs["bug_id"].astype("int64").tolist())
            parsed, _ = apply(parsed, bugs,
                              [r for r in self.corrections.rows if r.bug_id in present])
        # what was fetched is a property of the snapshot, not of the moment replayed
        return measure(parsed, bugs, past, when, site=self.site, stored=self.stored_parts())

    def action_items(self, include_excluded: bool = False) -> pd.DataFrame:
        """One row per Action Item per CA comment that states it, linked across comments, with
        each item's completion, slip and outcome (methodology.md, "Action Items")."""
        return self._measured(include_excluded).action_items.copy(deep=False)

    def scorecard(self, since: Any = None, ca: str | None = None, group_by: str = "owner",
                  distrusted: str = "mark") -> pd.DataFrame:
        """Per-CA aggregates; `since` limits to bugs filed from that date, `ca` to one owner.

        `group_by`: `owner` (at filing, the default) or `current-owner` (after transfers).
        """
        from bzanalytics.metrics import scorecard
        return scorecard(self.incidents(), since=since, ca=ca, group_by=group_by,
                         distrusted=distrusted)

    def trends(self) -> pd.DataFrame:
        """The scorecard's aggregates per year of filing, over all CAs."""
        from bzanalytics.metrics import yearly_trends
        return self._cached("trends", lambda: yearly_trends(self.incidents()))
