"""Deterministic CSV/Parquet export of a snapshot: one file per table plus `manifest.json`.

Two exports of one snapshot are byte-identical: rows are sorted, columns keep the frame's fixed
order, every value is formatted by one rule per dtype, and nothing varying (export time, pandas
metadata) is written. Private comments (and private attachments, and reports parsed from private
comments) stay out unless asked for. Tables that parse/metrics cannot build are skipped, with
the reason in the manifest, so the base tables are always exported.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from bzanalytics import __version__
from bzanalytics.errors import UsageError
from bzanalytics.snapshot.frames import Snapshot
from bzanalytics.snapshot.outdir import replaced_whole

log = logging.getLogger(__name__)

BASE_TABLES = ("bugs", "comments", "history", "attachments")
DERIVED_TABLES = ("reports", "timeline", "incidents", "questions", "promises", "update_gaps",
                  "action_items", "scorecard", "trends")
TABLES = BASE_TABLES + DERIVED_TABLES
FORMATS = ("csv", "parquet")
MANIFEST_FORMAT = "bzanalytics-export/1"
# Sort keys, used when present, in this order; the sort is stable so ties keep frame order.
_SORT_KEYS = ("ca", "year", "bug_id", "count", "comment_id", "attachment_id", "entry",
              "set_time", "start")


@dataclass(frozen=True)
class ExportResult:
    out_dir: Path
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows written
    skipped: dict[str, str] = field(default_factory=dict)  # table -> why


def _getter(snapshot: Snapshot, table: str, include_private: bool) -> Callable[[], pd.DataFrame]:
    getters: dict[str, Callable[[], pd.DataFrame]] = {
        "bugs": snapshot.bugs,
        "comments": lambda: snapshot.comments(include_private=include_private, roles=False),
        "comments+roles": lambda: snapshot.comments(include_private=include_private),
        "history": snapshot.history,
        "attachments": lambda: snapshot.attachments(include_private=include_private),
        "reports": lambda: snapshot.reports(include_private=include_private),
        "timeline": lambda: snapshot.timeline(include_private=include_private),
        "incidents": snapshot.incidents,
        "questions": snapshot.questions,
        "promises": snapshot.promises,
        "update_gaps": snapshot.update_gaps,
        "action_items": snapshot.action_items,
        "scorecard": snapshot.scorecard,
        "trends": snapshot.trends,
    }
    return getters[table]


def parse_tables(values: Iterable[str] | None) -> tuple[str, ...]:
    """`--tables` values (repeated or comma lists) checked against TABLES; None means all."""
    if not values:
        return TABLES
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    unknown = [n for n in names if n not in TABLES]
    if unknown:
        raise UsageError(f"unknown table {unknown[0]!r}; choose from {', '.join(TABLES)}")
    return tuple(dict.fromkeys(names))


def export_snapshot(snapshot: Snapshot, out_dir: str | Path, *, fmt: str = "csv",
                    include_private: bool = False,
                    tables: Sequence[str] = TABLES) -> ExportResult:
    """Write each table to `out_dir/<table>.<fmt>` and a manifest; return rows and skips.

    The folder is written whole (`snapshot.outdir`): an earlier export in `out_dir` is replaced
    only once the new one is complete, so no run leaves files of two snapshots side by side.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose csv or parquet")
    if fmt == "parquet":
        _require_pyarrow()
    out = Path(out_dir)
    with replaced_whole(out, "manifest.json") as tmp:
        result = _export(snapshot, tmp, fmt, include_private, tables)
    return dataclasses.replace(result, out_dir=out)


def _export(snapshot: Snapshot, out: Path, fmt: str, include_private: bool,
            tables: Sequence[str]) -> ExportResult:
    result = ExportResult(out_dir=out)
    files: dict[str, dict[str, Any]] = {}
    for table in tables:
        try:
            frame = _getter(snapshot, table if table != "comments" else "comments+roles",
                            include_private)()
        except Exception as exc:  # a parse/metrics failure must not block the base tables
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
            if table == "comments":
                log.warning("exporting comments without roles: %s", reason)
                result.skipped["comments.role"] = reason
                frame = _getter(snapshot, table, include_private)()
            elif table in BASE_TABLES:
                raise
            else:
                log.warning("skipping %s: %s", table, reason)
                result.skipped[table] = reason
                continue
        frame = canonical_frame(frame)
        path = out / f"{table}.{fmt}"
        (write_csv if fmt == "csv" else write_parquet)(frame, path)
        result.rows[table] = len(frame)
        files[table] = {"file": path.name, "rows": len(frame), "columns": list(frame.columns),
                        "dtypes": [str(frame[c].dtype) for c in frame.columns],
                        "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    _write_manifest(snapshot, out, fmt, include_private, files, result.skipped)
    return result


def _write_manifest(snapshot: Snapshot, out: Path, fmt: str, include_private: bool,
                    files: dict[str, dict[str, Any]], skipped: dict[str, str]) -> None:
    as_of = snapshot.as_of
    synthetic = snapshot.synthetic_source
    manifest = {
        "format": MANIFEST_FORMAT,
        "tool_version": __version__,
        "content_hash": snapshot.content_hash(),
        "as_of": None if as_of is pd.NaT else _time_text(as_of, False),
        "file_format": fmt,
        "include_private": include_private,
        "synthetic": snapshot.is_synthetic,
        "site": snapshot.site,
        "incomplete": None if snapshot.pending is None else {"pending": snapshot.pending},
        "warnings": snapshot.warnings(),
        "note": (f"SYNTHETIC DATA: fictional CAs and people, generated by {synthetic}; "
                 "not evidence about any real CA." if snapshot.is_synthetic else None),
        "tables": files,
        "skipped": skipped,
        "corrections": _corrections(snapshot),
    }
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    (out / "manifest.json").write_text(text, encoding="utf-8")


def _corrections(snapshot: Snapshot) -> dict[str, Any] | None:
    """The corrections file applied to the metrics, cited by its SHA-256 beside the hash."""
    corrections = getattr(snapshot, "corrections", None)
    if corrections is None:
        return None
    return {"file": corrections.path.name, "sha256": corrections.sha256,
            "rows": len(corrections.rows)}


def canonical_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted by the table's keys (stably), a fresh 0..n-1 index, columns unchanged."""
    keys = [k for k in _SORT_KEYS if k in frame.columns]
    if keys and len(frame):
        frame = frame.sort_values(keys, kind="stable", na_position="last")
    return frame.reset_index(drop=True)


# -- CSV ---------------------------------------------------------------------------------------

_CSV_ROWS = 50_000  # rows formatted at a time: bounded memory for 400k comments


def _time_text(value: pd.Timestamp, micro: bool) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if micro else "%Y-%m-%dT%H:%M:%SZ")


def _float_text(value: float) -> str:
    if math.isnan(value):
        return ""
    return repr(float(value))  # shortest text that reads back to the same float


def _is_time(series: pd.Series) -> bool:
    return (isinstance(series.dtype, pd.DatetimeTZDtype)
            or pd.api.types.is_datetime64_dtype(series.dtype))


def _has_fraction(series: pd.Series) -> bool:
    """Whether a datetime column needs microseconds; decided once per column, for all rows."""
    return _is_time(series) and bool((series.dt.microsecond.fillna(0) != 0).any())


def _column_text(series: pd.Series, micro: bool | None = None) -> list[str]:
    """One formatting rule per dtype; missing values become empty fields."""
    dtype = series.dtype
    if _is_time(series):
        micro = _has_fraction(series) if micro is None else micro
        times = pd.to_datetime(series, utc=True)
        text = times.dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if micro else "%Y-%m-%dT%H:%M:%SZ")
        return list(text.to_numpy(dtype=object, na_value=""))
    if isinstance(dtype, pd.StringDtype):
        return list(series.to_numpy(dtype=object, na_value=""))
    values = series.to_numpy(dtype=object, na_value=None)
    if pd.api.types.is_bool_dtype(dtype):
        return ["" if v is None else ("true" if v else "false") for v in values]
    if pd.api.types.is_float_dtype(dtype):
        return ["" if v is None else _float_text(v) for v in values]
    if pd.api.types.is_integer_dtype(dtype):
        return ["" if v is None else str(int(v)) for v in values]
    if pd.api.types.is_timedelta64_dtype(dtype):
        return ["" if v is None or v is pd.NaT else _float_text(v.total_seconds())
                for v in values]
    return [_object_text(v) for v in values]


def _object_text(value: Any) -> str:
    if value is None or (not isinstance(value, list | tuple | dict) and pd.isna(value)):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, pd.Timestamp):
        return _time_text(value.tz_convert("UTC") if value.tzinfo else value, False)
    return str(value)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8, `\\n` line ends, minimal quoting, header row; see `_column_text` for values."""
    micro = {c: _has_fraction(frame[c]) for c in frame.columns}
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(frame.columns)
        for start in range(0, len(frame), _CSV_ROWS):
            part = frame.iloc[start:start + _CSV_ROWS]
            columns = [_column_text(part[c], micro[c]) for c in frame.columns]
            writer.writerows(zip(*columns, strict=True))


# -- Parquet -----------------------------------------------------------------------------------

def _require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise UsageError("Parquet export needs pyarrow: pip install 'bzanalytics[parquet]' "
                         "(or use --format csv)") from None


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Typed columns, no pandas metadata, fixed writer settings: identical bytes every time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object:  # lists/dicts from parse: JSON text, as in CSV
            frame[column] = pd.Series([_object_text(v) or None for v in frame[column]],
                                      dtype="str", index=frame.index)
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    pq.write_table(table, path, compression="zstd", use_dictionary=False,
                   write_statistics=True, store_schema=False)


# -- reading an export back -----------------------------------------------------------------------

def read_table(out_dir: str | Path, table: str) -> pd.DataFrame:
    """One exported table as the frame it was written from: columns, values and the dtypes the
    manifest records (CSV has no types of its own; Parquet files carry no pandas metadata)."""
    out = Path(out_dir)
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["tables"][table]
    dtypes = dict(zip(entry["columns"], entry["dtypes"], strict=True))
    path = out / entry["file"]
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path, dtype_backend="numpy_nullable")
        return frame.astype(dtypes)[entry["columns"]]
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    return pd.DataFrame({c: _from_text(raw[c], dtype) for c, dtype in dtypes.items()},
                        index=pd.RangeIndex(len(raw)))


def _from_text(column: pd.Series, dtype: str) -> pd.Series:
    """The inverse of `_column_text` for one dtype; an empty field is a missing value."""
    values = column.to_numpy(dtype=object)
    missing = column.eq("").to_numpy()
    if dtype.startswith("datetime64"):
        return pd.to_datetime(column.mask(missing), utc=True, format="ISO8601").astype(dtype)
    if dtype in ("bool", "boolean"):
        parsed: list[Any] = [None if m else v == "true" for v, m in zip(values, missing,
                                                                       strict=True)]
    elif dtype in ("int64", "Int64"):
        parsed = [None if m else int(v) for v, m in zip(values, missing, strict=True)]
    elif dtype in ("float64", "Float64"):
        parsed = [None if m else float(v) for v, m in zip(values, missing, strict=True)]
    else:
        parsed = [None if m else v for v, m in zip(values, missing, strict=True)]
    return pd.Series(parsed, dtype=dtype)
