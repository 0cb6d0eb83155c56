"""Export: exact CSV text, byte-identical repeats, privacy, manifest, skips, Parquet, dictionary."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from bzanalytics.errors import UsageError
from bzanalytics.snapshot.export import (
    BASE_TABLES,
    TABLES,
    _column_text,
    export_snapshot,
    parse_tables,
)
from bzanalytics.snapshot.frames import open_snapshot
from bzanalytics.snapshot.store import Store
from tests.store_helpers import all_bugs, bug_1001, bug_1002

DICTIONARY = Path(__file__).resolve().parents[1] / "docs" / "data-dictionary.md"

BUGS_CSV = """\
bug_id,summary,status,resolution,product,component,creator,assigned_to,creation_time,\
last_change_time,last_resolved,whiteboard,keywords,is_open,comment_count,dupe_of
1001,Quillfeather Trust: OCSP responder served stale answers,RESOLVED,FIXED,CA Program,\
CA Certificate Compliance,alice@quillfeather.example.com,alice@quillfeather.example.com,\
2024-03-04T08:30:00Z,2024-05-01T12:00:00Z,2024-05-01T12:00:00Z,\
[ca-compliance] [ocsp-failure] Next update 2024-04-01,,false,4,
1002,Inkwell CA: certificates with invalid SAN,NEW,,CA Program,CA Certificate Compliance,\
carol@example.com,nobody@example.com,2025-06-10T14:00:00Z,2025-06-12T16:45:30Z,,,\
"leave-open, sec-low",true,2,
1003,[meta] Tracking bug for Quillfeather Trust,RESOLVED,DUPLICATE,,,bob.reviewer@example.com,,\
2023-01-02T03:04:05Z,,,[ca-compliance],,,,1001
"""


def _snapshot_file(path: Path, bugs: list[dict], **state: str) -> Path:
    with Store.open(path) as store:
        store.save_bugs(bugs, origin="test", fetched_at="t", state=state or None)
    return path


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_bugs_csv_exact_text(tmp_path: Path) -> None:
    with open_snapshot(_snapshot_file(tmp_path / "s.sqlite", all_bugs())) as snap:
        export_snapshot(snap, tmp_path / "out", tables=["bugs"])
    assert (tmp_path / "out" / "bugs.csv").read_text(encoding="utf-8") == BUGS_CSV


def test_history_and_attachments_csv(tmp_path: Path) -> None:
    with open_snapshot(_snapshot_file(tmp_path / "s.sqlite", all_bugs())) as snap:
        export_snapshot(snap, tmp_path / "out", tables=["history", "attachments"])
    history = (tmp_path / "out" / "history.csv").read_text().splitlines()
    assert history[0] == "bug_id,when,who,field_name,removed,added"
    assert history[3] == ("1001,2024-03-07T09:05:00Z,alice@quillfeather.example.com,"
                          "comment_is_private,0,1")
    assert history[5] == "1001,2024-05-01T12:00:00Z,bob.reviewer@example.com,resolution,,FIXED"
    assert (tmp_path / "out" / "attachments.csv").read_text().splitlines()[1] == (
        "1001,9001,ocsp.log,log excerpt,text/plain,2048,2024-03-08T11:15:00Z,"
        "alice@quillfeather.example.com,false,false,false")


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_equal_snapshots_export_byte_identical(tmp_path: Path, fmt: str) -> None:
    """Built in another order and batching, exported twice: the same bytes every time."""
    a = _snapshot_file(tmp_path / "a.sqlite", [bug_1001(), bug_1002()])
    b = tmp_path / "b.sqlite"
    for bug in (bug_1002(), bug_1001()):
        _snapshot_file(b, [bug])
    outs = []
    for i, path in enumerate((a, b, a)):
        with open_snapshot(path) as snap:
            export_snapshot(snap, tmp_path / f"out{i}", fmt=fmt)
        outs.append(_files(tmp_path / f"out{i}"))
    assert outs[0] == outs[1] == outs[2]
    assert set(outs[0]) == {f"{t}.{fmt}" for t in TABLES} | {"manifest.json"}


def test_private_comments_and_attachments_only_on_request(tmp_path: Path) -> None:
    bug = bug_1001()
    bug["attachments"][0]["is_private"] = True
    with open_snapshot(_snapshot_file(tmp_path / "s.sqlite", [bug])) as snap:
        tables = ["comments", "attachments"]
        public = export_snapshot(snap, tmp_path / "pub", tables=tables)
        private = export_snapshot(snap, tmp_path / "all", tables=tables, include_private=True)
    assert public.rows == {"comments": 3, "attachments": 0}
    assert private.rows == {"comments": 4, "attachments": 1}
    assert "internal note" not in (tmp_path / "pub" / "comments.csv").read_text()
    assert "internal note" in (tmp_path / "all" / "comments.csv").read_text()
    manifest = json.loads((tmp_path / "pub" / "manifest.json").read_text())
    assert manifest["include_private"] is False


def test_manifest(tmp_path: Path) -> None:
    path = _snapshot_file(tmp_path / "s.sqlite", [bug_1001(), bug_1002()],
                          db_time="2026-11-01T00:00:00Z", synthetic="bzanalytics synth --seed 3")
    with open_snapshot(path) as snap:
        export_snapshot(snap, tmp_path / "out", tables=["bugs", "history"])
        expected_hash = snap.content_hash()
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["content_hash"] == expected_hash
    assert manifest["as_of"] == "2026-11-01T00:00:00Z"
    assert manifest["tool_version"] == "0.1.0"
    assert manifest["synthetic"] is True
    assert "bzanalytics synth --seed 3" in manifest["note"]
    assert {t: v["rows"] for t, v in manifest["tables"].items()} == {"bugs": 2, "history": 5}
    assert manifest["tables"]["history"]["columns"] == ["bug_id", "when", "who", "field_name",
                                                        "removed", "added"]


def test_a_failing_derived_table_is_skipped_with_its_reason(tmp_path: Path, monkeypatch) -> None:
    with open_snapshot(_snapshot_file(tmp_path / "s.sqlite", [bug_1001()])) as snap:
        def broken(include_private: bool = False) -> pd.DataFrame:
            raise NotImplementedError("the parse package is missing")

        monkeypatch.setattr(snap, "reports", broken)
        result = export_snapshot(snap, tmp_path / "out", tables=["bugs", "reports"])
    assert result.rows == {"bugs": 1}
    assert result.skipped == {"reports": "NotImplementedError: the parse package is missing"}
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["skipped"] == result.skipped
    assert not (tmp_path / "out" / "reports.csv").exists()


def test_comments_without_roles_when_parsing_fails(tmp_path: Path, monkeypatch) -> None:
    with open_snapshot(_snapshot_file(tmp_path / "s.sqlite", [bug_1001()])) as snap:
        def analyze(bugs: pd.DataFrame, comments: pd.DataFrame) -> None:
            raise ValueError("cannot parse")

        monkeypatch.setitem(sys.modules, "bzanalytics.parse.tables",
                            type(sys)("fake_tables"))
        sys.modules["bzanalytics.parse.tables"].analyze = analyze  # type: ignore[attr-defined]
        result = export_snapshot(snap, tmp_path / "out", tables=["comments", "incidents"])
    assert result.rows == {"comments": 3}
    assert result.skipped == {"comments.role": "ValueError: cannot parse",
                              "incidents": "ValueError: cannot parse"}
    header = (tmp_path / "out" / "comments.csv").read_text().splitlines()[0]
    assert header == "bug_id,comment_id,count,author,time,is_private,text,attachment_id"


def test_parquet_reads_back_typed(tmp_path: Path) -> None:
    with open_snapshot(_snapshot_file(tmp_path / "s.sqlite", [bug_1001(), bug_1002()])) as snap:
        export_snapshot(snap, tmp_path / "out", fmt="parquet", tables=list(BASE_TABLES))
        for table in BASE_TABLES:
            back = pd.read_parquet(tmp_path / "out" / f"{table}.parquet")
            frame = getattr(snap, table)() if table != "comments" else snap.comments()
            assert list(back.columns) == list(frame.columns)
            assert len(back) == len(frame)
        bugs = pd.read_parquet(tmp_path / "out" / "bugs.parquet")
        assert str(bugs["creation_time"].dtype) == "datetime64[us, UTC]"
        assert bugs["creation_time"].equals(snap.bugs()["creation_time"])


def test_parquet_without_pyarrow_is_a_clear_message(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with open_snapshot(_snapshot_file(tmp_path / "s.sqlite", [bug_1001()])) as snap, \
            pytest.raises(UsageError, match=r"needs pyarrow.*bzanalytics\[parquet\]"):
        export_snapshot(snap, tmp_path / "out", fmt="parquet")


@pytest.mark.parametrize(("series", "expected"), [
    (pd.Series([0.1, None, 1e-20, 2.0], dtype="Float64"), ["0.1", "", "1e-20", "2.0"]),
    (pd.Series([3, None], dtype="Int64"), ["3", ""]),
    (pd.Series([True, None], dtype="boolean"), ["true", ""]),
    (pd.Series(pd.to_datetime(["2024-01-02T03:04:05Z", None], utc=True)),
     ["2024-01-02T03:04:05Z", ""]),
    (pd.Series(pd.to_datetime(["2024-01-02T03:04:05.25Z", "2024-01-02T03:04:05Z"], utc=True,
                             format="ISO8601")),
     ["2024-01-02T03:04:05.250000Z", "2024-01-02T03:04:05.000000Z"]),
    (pd.Series([("summary", "impact"), None, {"b": 1, "a": [2]}], dtype=object),
     ['["summary", "impact"]', "", '{"a": [2], "b": 1}']),
    (pd.Series(["a,b", None], dtype="str"), ["a,b", ""]),
])
def test_value_formatting(series: pd.Series, expected: list[str]) -> None:
    assert _column_text(series) == expected


def test_parse_tables() -> None:
    assert parse_tables(None) == TABLES
    assert parse_tables(["bugs,comments", "bugs", "history"]) == ("bugs", "comments", "history")
    with pytest.raises(UsageError, match="unknown table 'bug'"):
        parse_tables(["bug"])


def _documented() -> dict[str, list[str]]:
    """Table name -> column names from the markdown tables under each `## <table>` heading."""
    tables: dict[str, list[str]] = {}
    current = None
    for line in DICTIONARY.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## `?(\w+)`?\s*$", line)
        if heading:
            current = heading.group(1)
            tables.setdefault(current, [])
            continue
        cell = re.match(r"^\|\s*`([^`]+)`\s*\|", line)
        if current and cell:
            tables[current].append(cell.group(1))
    return tables


def test_every_exported_column_is_documented_and_vice_versa(tmp_path: Path) -> None:
    with open_snapshot(_snapshot_file(tmp_path / "s.sqlite", [bug_1001(), bug_1002()])) as snap:
        result = export_snapshot(snap, tmp_path / "out", include_private=True)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    documented = _documented()
    assert set(BASE_TABLES) <= set(manifest["tables"])
    problems = []
    for table, info in manifest["tables"].items():
        exported, doc = info["columns"], documented.get(table, [])
        if missing := [c for c in exported if c not in doc]:
            problems.append(f"{table}: undocumented {missing}")
        if extra := [c for c in doc if c not in exported]:
            problems.append(f"{table}: documented but not exported {extra}")
        if len(doc) != len(set(doc)):
            problems.append(f"{table}: a column is documented twice")
    assert not problems, "\n".join(problems)
    assert result.skipped == {}
