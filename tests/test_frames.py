"""Typed frames from a snapshot: exact columns, dtypes and values; as_of; cached delegation."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pandas as pd
import pytest

from bzanalytics.errors import SnapshotError
from bzanalytics.snapshot import frames
from bzanalytics.snapshot.frames import Snapshot, open_snapshot
from bzanalytics.snapshot.store import Store
from tests.store_helpers import all_bugs, bug_1001, bug_1003

UTC = "datetime64[us, UTC]"
ALICE, BOB = "alice@quillfeather.example.com", "bob.reviewer@example.com"
CAROL = "carol@example.com"
NA = pd.NA


def _t(*values: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values), utc=True), dtype=UTC)


def _make(path: Path, bugs: list[dict], **state: str) -> Path:
    with Store.open(path) as store:
        store.save_bugs(bugs, origin="test", fetched_at="t", state=state or None)
    return path


@pytest.fixture
def snap(tmp_path: Path):
    with open_snapshot(_make(tmp_path / "s.sqlite", all_bugs())) as s:
        yield s


def test_bugs_frame(snap: Snapshot) -> None:
    expected = pd.DataFrame({
        "bug_id": pd.array([1001, 1002, 1003], dtype="Int64"),
        "summary": pd.array(["Quillfeather Trust: OCSP responder served stale answers",
                             "Inkwell CA: certificates with invalid SAN",
                             "[meta] Tracking bug for Quillfeather Trust"], dtype="str"),
        "status": pd.array(["RESOLVED", "NEW", "RESOLVED"], dtype="str"),
        "resolution": pd.array(["FIXED", None, "DUPLICATE"], dtype="str"),
        "product": pd.array(["CA Program", "CA Program", None], dtype="str"),
        "component": pd.array(["CA Certificate Compliance"] * 2 + [None], dtype="str"),
        "creator": pd.array([ALICE, CAROL, BOB], dtype="str"),
        "assigned_to": pd.array([ALICE, "nobody@example.com", None], dtype="str"),
        "creation_time": _t("2024-03-04T08:30:00Z", "2025-06-10T14:00:00Z",
                            "2023-01-02T03:04:05Z"),
        "last_change_time": _t("2024-05-01T12:00:00Z", "2025-06-12T16:45:30Z", None),
        "last_resolved": _t("2024-05-01T12:00:00Z", None, None),
        "whiteboard": pd.array(["[ca-compliance] [ocsp-failure] Next update 2024-04-01", None,
                                "[ca-compliance]"], dtype="str"),
        "keywords": pd.array([None, "leave-open, sec-low", None], dtype="str"),
        "is_open": pd.array([False, True, NA], dtype="boolean"),
        "comment_count": pd.array([4, 2, NA], dtype="Int64"),
        "dupe_of": pd.array([NA, NA, 1001], dtype="Int64"),
    })
    pd.testing.assert_frame_equal(snap.bugs(), expected)


def test_comments_frame(snap: Snapshot) -> None:
    frame = snap.comments(include_private=True, roles=False)
    assert list(frame.columns) == ["bug_id", "comment_id", "count", "author", "time",
                                   "is_private", "text", "attachment_id"]
    assert str(frame["text"].dtype) == "str"
    assert str(frame["time"].dtype) == UTC
    assert frame["comment_id"].tolist() == [501, 502, 503, 504, 601, 602]
    assert frame["is_private"].tolist() == [False, False, True, False, False, False]
    assert frame["text"].iloc[0] == "## Preliminary Incident Report\n\nSummary"  # raw_text
    assert frame["text"].iloc[3] == "log excerpt"  # raw_text, not "Created attachment ..."
    assert frame["text"].iloc[4] == "Found certificates with a bad SAN."  # no raw_text: text
    assert pd.isna(frame["text"].iloc[5])  # an empty comment is missing, never ""
    assert frame["attachment_id"].iloc[3] == 9001
    assert frame["time"].iloc[5] == pd.Timestamp("2025-06-12T16:45:30Z")
    public = snap.comments(roles=False)
    assert public["comment_id"].tolist() == [501, 502, 504, 601, 602]
    assert public.index.tolist() == list(range(5))


def test_history_frame(snap: Snapshot) -> None:
    expected = pd.DataFrame({
        "bug_id": pd.array([1001] * 5, dtype="Int64"),
        "when": _t("2024-03-05T09:00:00Z", "2024-03-05T09:00:00Z", "2024-03-07T09:05:00Z",
                   "2024-05-01T12:00:00Z", "2024-05-01T12:00:00Z"),
        "who": pd.array([BOB, BOB, ALICE, BOB, BOB], dtype="str"),
        "field_name": pd.array(["whiteboard", "status", "comment_is_private", "status",
                                "resolution"], dtype="str"),
        "removed": pd.array(["[ca-compliance]", "NEW", "0", "ASSIGNED", None], dtype="str"),
        "added": pd.array(["[ca-compliance] [ocsp-failure] Next update 2024-04-01", "ASSIGNED",
                           "1", "RESOLVED", "FIXED"], dtype="str"),
    })
    pd.testing.assert_frame_equal(snap.history(), expected)


def test_attachments_frame(snap: Snapshot) -> None:
    expected = pd.DataFrame({
        "bug_id": pd.array([1001], dtype="Int64"),
        "attachment_id": pd.array([9001], dtype="Int64"),
        "file_name": pd.array(["ocsp.log"], dtype="str"),
        "summary": pd.array(["log excerpt"], dtype="str"),
        "content_type": pd.array(["text/plain"], dtype="str"),
        "size": pd.array([2048], dtype="Int64"),
        "creation_time": _t("2024-03-08T11:15:00Z"),
        "creator": pd.array([ALICE], dtype="str"),
        "is_private": pd.array([False], dtype="boolean"),
        "is_obsolete": pd.array([False], dtype="boolean"),
        "is_patch": pd.array([False], dtype="boolean"),
    })
    pd.testing.assert_frame_equal(snap.attachments(), expected)


def test_empty_snapshot_has_typed_empty_frames(tmp_path: Path) -> None:
    Store.open(tmp_path / "e.sqlite").close()
    with open_snapshot(tmp_path / "e.sqlite") as snap:
        bugs = snap.bugs()
        assert len(bugs) == 0
        assert str(bugs["creation_time"].dtype) == UTC
        assert str(bugs["bug_id"].dtype) == "Int64"
        assert snap.as_of is pd.NaT


@pytest.mark.parametrize(("bugs", "state", "expected"), [
    (all_bugs(), {"db_time": "2026-11-01T00:00:00Z"}, "2026-11-01T00:00:00Z"),
    (all_bugs(), {}, "2025-06-12T16:45:30Z"),  # newest last_change_time
    ([bug_1003()], {}, "2023-01-02T03:04:05Z"),  # metadata-only: newest creation_time
])
def test_as_of(tmp_path: Path, bugs: list[dict], state: dict, expected: str) -> None:
    with open_snapshot(_make(tmp_path / "s.sqlite", bugs, **state)) as snap:
        assert snap.as_of == pd.Timestamp(expected)
        assert str(snap.as_of.tz) == "UTC"


def test_synthetic_flag(tmp_path: Path) -> None:
    with open_snapshot(_make(tmp_path / "real.sqlite", [bug_1001()])) as snap:
        assert not snap.is_synthetic
        assert snap.synthetic_source is None
    path = _make(tmp_path / "syn.sqlite", [bug_1001()], synthetic="bzanalytics synth --seed 7")
    with open_snapshot(path) as snap:
        assert snap.is_synthetic
        assert snap.synthetic_source == "bzanalytics synth --seed 7"


def test_content_hash_matches_the_store(tmp_path: Path) -> None:
    path = _make(tmp_path / "s.sqlite", all_bugs())
    with Store.open(path) as store:
        expected = store.content_hash()
    with open_snapshot(path) as snap:
        assert snap.content_hash() == expected


def test_missing_file_is_refused_and_not_created(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError):
        open_snapshot(tmp_path / "nothing.sqlite")
    assert not (tmp_path / "nothing.sqlite").exists()


def test_edits_to_a_frame_do_not_reach_the_cache(snap: Snapshot) -> None:
    frame = snap.bugs()
    frame.loc[0, "summary"] = "changed"
    frame["extra"] = 1
    again = snap.bugs()
    assert again.loc[0, "summary"].startswith("Quillfeather")
    assert "extra" not in again.columns


def test_comments_without_parse_package_are_raw(snap: Snapshot, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "bzanalytics.parse.tables", None)  # import fails
    assert "role" not in snap.comments().columns
    with pytest.raises(NotImplementedError, match="parse"):
        snap.reports()


def test_parse_and_metrics_are_delegated_once(snap: Snapshot, monkeypatch) -> None:
    calls: list[str] = []

    def analyze(bugs: pd.DataFrame, comments: pd.DataFrame) -> types.SimpleNamespace:
        calls.append("analyze")
        assert len(bugs) == 3 and comments["comment_id"].tolist() == [501, 502, 504, 601, 602]
        return types.SimpleNamespace(comments=comments.assign(role="ca"),
                                     reports=pd.DataFrame({"bug_id": [1001]}),
                                     timeline=pd.DataFrame({"bug_id": [1001, 1001]}),
                                     incidents=bugs[["bug_id"]])

    def measure(parsed, bugs, history, as_of, include_excluded=False, site=None, stored=None):
        calls.append(f"measure {include_excluded}")
        assert stored["comments"].sum() == len(snap.comments(True, roles=False))
        assert as_of == pd.Timestamp("2025-06-12T16:45:30Z") and len(history) == 5
        assert site == "https://bugzilla.mozilla.org"  # imported real-style data links to BMO
        return types.SimpleNamespace(incidents=parsed.incidents.assign(x=1),
                                     questions=pd.DataFrame({"q": [1]}),
                                     promises=pd.DataFrame({"p": [1, 2]}),
                                     update_gaps=pd.DataFrame({"g": [1, 2, 3]}))

    fake = types.ModuleType("bzanalytics.parse.tables")
    fake.analyze = analyze  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bzanalytics.parse.tables", fake)
    import bzanalytics.metrics as metrics

    monkeypatch.setattr(metrics, "measure", measure)
    monkeypatch.setattr(metrics, "scorecard",
                        lambda inc, since=None, ca=None, **grouping: inc.head(ca))
    assert snap.comments()["role"].tolist() == ["ca"] * 5
    assert len(snap.reports()) == 1 and len(snap.timeline()) == 2
    assert len(snap.incidents()) == 3 and len(snap.questions()) == 1
    assert len(snap.promises()) == 2 and len(snap.update_gaps()) == 3
    assert len(snap.incidents(include_excluded=True)) == 3
    assert len(snap.scorecard(ca=2)) == 2
    assert calls == ["analyze", "measure False", "measure True"]


def test_a_malformed_time_is_missing_with_a_warning(tmp_path: Path, caplog) -> None:
    bug = bug_1001()
    bug["last_change_time"] = "last Tuesday"
    bug["comments"][1]["time"] = "2024-03-06 10:00:00+01:00"  # ISO 8601 with an offset
    with open_snapshot(_make(tmp_path / "s.sqlite", [bug])) as snap:
        assert snap.bugs()["last_change_time"].isna().tolist() == [True]
        assert snap.as_of == pd.Timestamp("2024-03-04T08:30:00Z")  # creation_time instead
        assert snap.comments(roles=False)["time"].iloc[1] == pd.Timestamp("2024-03-06T09:00Z")
    assert "1 last_change_time value(s) are not usable times" in caplog.text


def test_reading_in_chunks_gives_the_same_frames(tmp_path: Path, monkeypatch) -> None:
    path = _make(tmp_path / "s.sqlite", all_bugs())
    with open_snapshot(path) as whole:
        expected = [whole.bugs(), whole.comments(True, roles=False), whole.history()]
    monkeypatch.setattr(frames, "_CHUNK", 2)
    with open_snapshot(path) as chunked:
        got = [chunked.bugs(), chunked.comments(True, roles=False), chunked.history()]
    for want, have in zip(expected, got, strict=True):
        pd.testing.assert_frame_equal(have, want)
