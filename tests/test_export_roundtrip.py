"""An export read back is the frame it was written from: every table, both formats, every value
and every dtype (`assert_frame_equal`), on a snapshot where every table has rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bzanalytics.snapshot.export import TABLES, canonical_frame, export_snapshot, read_table
from bzanalytics.snapshot.frames import open_snapshot
from tests.golden_helpers import full, measure_bugs
from tests.store_helpers import bug_1001, bug_1002
from tests.test_golden_incidents import AS_OF, CASES


@pytest.fixture(scope="module")
def snapshot_file(tmp_path_factory) -> Path:
    """The golden bugs of one as-of time (reports, timelines, questions, promises, gaps) plus two
    hand-written bugs with an attachment, a private comment and an empty comment."""
    path = tmp_path_factory.mktemp("roundtrip") / "s.sqlite"
    measure_bugs(path, [c.bug for c in CASES if c.as_of == AS_OF] + [bug_1001(), bug_1002(),
                                                                      _with_action_items()],
                 AS_OF)
    return path


def _with_action_items() -> dict:
    """A golden bug whose full report ends with an IRG 2.0 Action Items table."""
    bug = dict(CASES[0].bug, id=2399999)
    table = ("### Action Items\n| Action Item | Kind | Due Date |\n|---|---|---|\n"
             "| Add a linter check | Prevent | 2025-05-01 |\n"
             "| Alert on failures | Detect | TBD |\n")
    bug["comments"] = [*bug["comments"], dict(bug["comments"][1], id=239999901, count=2,
                                               text=full() + table, raw_text=full() + table)]
    return bug


def frames(snap) -> dict[str, pd.DataFrame]:
    """What each exported table is made from: the Snapshot method of that name (public comments
    with roles and public attachments, as the export writes them)."""
    out = {table: getattr(snap, table)() for table in TABLES}
    out["attachments"] = snap.attachments(include_private=False)
    return out


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_every_table_reads_back_equal(snapshot_file: Path, tmp_path: Path, fmt: str) -> None:
    with open_snapshot(snapshot_file) as snap:
        result = export_snapshot(snap, tmp_path / fmt, fmt=fmt)
        expected = frames(snap)
    assert set(expected) == set(TABLES) and result.skipped == {}
    for table in TABLES:
        frame = canonical_frame(expected[table])
        assert len(frame) > 0, f"{table} is empty: the round trip would prove little"
        back = read_table(tmp_path / fmt, table)
        pd.testing.assert_frame_equal(back, frame, check_exact=True, obj=f"{fmt} {table}")


def test_csv_keeps_text_that_looks_like_other_types(tmp_path: Path) -> None:
    """A summary of "true", "12" or "" -like text stays text; a comment with a comma, a quote and
    a newline survives; missing stays missing."""
    bug = bug_1002()
    bug["summary"] = 'true, "12", and\na newline'
    bug["comments"][0]["text"] = "0012"
    measure_bugs(tmp_path / "s.sqlite", [bug], "2025-06-13T00:00:00Z")
    with open_snapshot(tmp_path / "s.sqlite") as snap:
        export_snapshot(snap, tmp_path / "out", tables=["bugs", "comments"])
        bugs, comments = snap.bugs(), snap.comments()
    pd.testing.assert_frame_equal(read_table(tmp_path / "out", "bugs"), canonical_frame(bugs))
    back = read_table(tmp_path / "out", "comments")
    pd.testing.assert_frame_equal(back, canonical_frame(comments))
    assert back["text"].tolist()[0] == "0012"
