"""Import never loses or corrupts what is stored: pieces merge into their bug, older copies do
not overwrite newer ones (unless --force), and every real recorded BMO answer imports."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from bzanalytics.cli import main
from bzanalytics.snapshot.dumps import import_dumps
from bzanalytics.snapshot.frames import open_snapshot
from bzanalytics.snapshot.merge import merge
from bzanalytics.snapshot.store import Store
from tests.store_helpers import bug_1001

RECORDED = Path(__file__).resolve().parents[2] / "shared" / "data" / "bmo-recorded"
needs_recorded = pytest.mark.skipif(not RECORDED.is_dir(),
                                    reason="../shared/data/bmo-recorded not present")
PARTS = ("comments", "history", "attachments")


def write(path: Path, obj: object) -> Path:
    path.write_text(json.dumps(obj), encoding="utf-8")
    return path


def whole_bug() -> dict:
    return {**bug_1001(), "alias": None}  # BMO sends alias; the history answer repeats it


def pieces(tmp_path: Path) -> dict[str, Path]:
    """Bug 1001 split the way BMO's endpoints answer: search, history, comment, attachment."""
    bug = whole_bug()
    top = {k: v for k, v in bug.items() if k not in PARTS}
    return {
        "search": write(tmp_path / "search.json", {"bugs": [top], "faults": []}),
        "history": write(tmp_path / "history.json", {"bugs": [
            {"id": 1001, "alias": None, "history": bug["history"]}]}),
        "comment": write(tmp_path / "comment.json", {
            "bugs": {"1001": {"comments": bug["comments"][:3]}},
            "comments": {"504": bug["comments"][3]}}),  # one by comment_ids
        "attachment": write(tmp_path / "attachment.json", {
            "bugs": {"1001": bug["attachments"]}, "attachments": {}}),
    }


def snapshot_of(db: Path) -> dict:
    with open_snapshot(db) as snap:
        return {"bugs": snap.bugs(), "comments": snap.comments(include_private=True,
                                                                roles=False),
                "history": snap.history(), "attachments": snap.attachments(),
                "hash": snap.content_hash()}


@pytest.mark.parametrize("order", [
    ["search", "history", "comment", "attachment"],
    ["history", "comment", "attachment", "search"],
    ["attachment", "search", "comment", "history"],
])
def test_pieces_in_any_order_give_the_whole_bug(tmp_path: Path, order: list[str]) -> None:
    files = pieces(tmp_path)
    with Store.open(tmp_path / "whole.sqlite") as store:
        import_dumps(store, [write(tmp_path / "whole.json", [whole_bug()])])
    for name in order:  # one import per piece: each merges into what the last one stored
        with Store.open(tmp_path / "pieces.sqlite") as store:
            import_dumps(store, [files[name]])
    whole, built = snapshot_of(tmp_path / "whole.sqlite"), snapshot_of(tmp_path /
                                                                       "pieces.sqlite")
    assert built["hash"] == whole["hash"]
    row = built["bugs"].iloc[0]
    assert (row["summary"], row["status"], str(row["creation_time"])) == (
        "Quillfeather Trust: OCSP responder served stale answers", "RESOLVED",
        "2024-03-04 08:30:00+00:00")
    assert (len(built["comments"]), len(built["history"]), len(built["attachments"])) == (4, 5, 1)


def test_a_history_answer_alone_never_blanks_a_stored_bug(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    with Store.open(db) as store:
        import_dumps(store, [write(tmp_path / "bug.json", [bug_1001()])])
        before = store.content_hash()
        import_dumps(store, [pieces(tmp_path)["history"]])
        import_dumps(store, [write(tmp_path / "few.json", {"bugs": [
            {"id": 1001, "cf_status_firefox52": "---"}]})])  # a search with a few fields
        (row,) = store.query("SELECT summary, status, product, creation_time FROM bugs")
        assert tuple(row) == ("Quillfeather Trust: OCSP responder served stale answers",
                              "RESOLVED", "CA Program", "2024-03-04T08:30:00Z")
        assert store.counts()["history"] == 5 and store.counts()["comments"] == 4
        assert store.content_hash() != before  # only because of the new custom field
        raw = json.loads(store.query("SELECT raw FROM bugs").fetchone()[0])
    assert raw["cf_status_firefox52"] == "---" and raw["whiteboard"].startswith("[ca-compliance]")


def test_an_older_copy_is_kept_out_and_counted_unless_forced(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture
                                                            ) -> None:
    db = tmp_path / "s.sqlite"
    newer = bug_1001()
    older = copy.deepcopy(newer)
    older["last_change_time"], older["status"] = "2024-04-01T00:00:00Z", "ASSIGNED"
    older["comments"] = older["comments"][:2]
    same_time = copy.deepcopy(newer)
    same_time["whiteboard"] = "[ca-compliance] retagged"
    new_file = write(tmp_path / "new.json", [newer])
    old_file = write(tmp_path / "old.json", [older])
    assert main(["import", "--db", str(db), "--quiet", str(new_file)]) == 0
    capsys.readouterr()
    assert main(["import", "--db", str(db), "--quiet", str(old_file)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"imported 0 bugs from {old_file}",
        f"kept 1 stored bugs that are newer than the copies in {old_file} (--force replaces "
        "them)", f"{db} now holds 1 bugs"]
    with Store.open(db) as store:
        assert store.query("SELECT status FROM bugs").fetchone()[0] == "RESOLVED"
        # an equal last_change_time is not older: it merges
        (result,) = import_dumps(store, [write(tmp_path / "same.json", [same_time])])
        assert (result.bugs, result.kept) == (1, 0)
        assert store.query("SELECT whiteboard FROM bugs").fetchone()[0] == \
            "[ca-compliance] retagged"
    assert main(["import", "--db", str(db), "--quiet", "--force", str(old_file)]) == 0
    with Store.open(db) as store:
        assert store.query("SELECT status, last_change_time FROM bugs").fetchone() == (
            "ASSIGNED", "2024-04-01T00:00:00Z")
        assert store.counts()["comments"] == 2  # the forced copy replaced the comments too


def test_the_same_bug_twice_in_one_file_merges(tmp_path: Path) -> None:
    top = {k: v for k, v in bug_1001().items() if k not in PARTS}
    path = tmp_path / "twice.jsonl"
    path.write_text(json.dumps(top) + "\n" + json.dumps(
        {"id": 1001, "history": bug_1001()["history"]}) + "\n")
    with Store.open(tmp_path / "s.sqlite") as store:
        (result,) = import_dumps(store, [path])
        assert result.bugs == 2
        assert store.counts()["history"] == 5
        assert store.query("SELECT summary FROM bugs").fetchone()[0].startswith("Quillfeather")


def test_reimporting_changes_nothing(tmp_path: Path) -> None:
    files = list(pieces(tmp_path).values())
    with Store.open(tmp_path / "s.sqlite") as store:
        import_dumps(store, files)
        first = store.content_hash()
        import_dumps(store, files)
        assert store.content_hash() == first
        assert store.counts()["history"] == 5  # history is united, never doubled


def test_merge_rules() -> None:
    stored = {"id": 1, "summary": "s", "comments": [{"id": 10, "count": 0, "text": "a"}],
              "history": [{"when": "t1", "who": "x", "changes": [
                  {"field_name": "status", "removed": None, "added": "NEW"}]}]}
    piece = {"id": 1, "comments": [{"id": 11, "count": 1, "text": "b"},
                                   {"id": 10, "count": 0, "tags": ["typo"]}],
             "history": [{"when": "t0", "who": "y", "changes": [
                 {"field_name": "cc", "added": "z"}]},
                 {"when": "t1", "who": "x", "changes": [
                     {"field_name": "status", "added": "NEW"}]}]}
    result = merge(stored, piece)
    assert result["summary"] == "s"
    assert result["comments"] == [{"id": 10, "count": 0, "text": "a", "tags": ["typo"]},
                                  {"id": 11, "count": 1, "text": "b"}]
    assert [h["when"] for h in result["history"]] == ["t0", "t1"]  # the t1 change is the same
    assert stored["comments"] == [{"id": 10, "count": 0, "text": "a"}]  # inputs untouched


def test_a_bmo_error_answer_imports_nothing_and_says_so(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture) -> None:
    path = write(tmp_path / "error.json", {"error": True, "code": 32000, "message":
                                           "Rate limited", "documentation": "x"})
    db = tmp_path / "s.sqlite"
    assert main(["import", "--db", str(db), "--quiet", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        f"imported 0 bugs from {path}: a BMO error answer (code 32000: Rate limited), no bugs "
        "in it")


# -- the real recorded answers ---------------------------------------------------------------

def recorded_files() -> list[Path]:
    return sorted(p for p in RECORDED.glob("*") if p.suffix in (".json", ".jsonl"))


@needs_recorded
@pytest.mark.parametrize("name", [p.name for p in recorded_files()] if RECORDED.is_dir()
                         else ["absent"])
def test_every_recorded_file_imports_alone(tmp_path: Path, name: str) -> None:
    db = tmp_path / "one.sqlite"
    with Store.open(db) as store:
        (result,) = import_dumps(store, [RECORDED / name])
        counts = store.counts()
    assert result.kept == 0
    with open_snapshot(db) as snap:  # typed frames, every row there
        assert len(snap.bugs()) == counts["bugs"] == result.bugs
        assert len(snap.comments(include_private=True, roles=False)) == counts["comments"]
        assert len(snap.history()) == counts["history"]
        assert len(snap.attachments()) == counts["attachments"]
    if name == "perceval_bugzilla_rest_error.json":
        assert result.note.startswith("a BMO error answer (code ")


@needs_recorded
@pytest.mark.parametrize("reverse", [False, True])
def test_all_recorded_files_together(tmp_path: Path, reverse: bool) -> None:
    files = recorded_files()[::-1] if reverse else recorded_files()
    db = tmp_path / "all.sqlite"
    with Store.open(db) as store:
        results = import_dumps(store, files)
    assert sum(r.kept for r in results) == 0
    with open_snapshot(db) as snap:
        bugs, history = snap.bugs(), snap.history()
        comments = snap.comments(include_private=True, roles=False)
        attachments = snap.attachments()
        digest = snap.content_hash()
    assert (len(bugs), len(comments), len(history), len(attachments)) == (65, 810, 1754, 117)
    known = bugs.set_index("bug_id")
    assert known.loc[1270686, ["summary", "status", "creation_time"]].isna().all()
    others = known.drop(index=1270686)
    assert others[["summary", "status", "creation_time"]].notna().all().all()
    # bugbug trimmed its comments; some have no author: kept, with a missing author
    no_author = comments[comments["author"].isna()]
    assert len(no_author) > 0 and no_author["text"].notna().all()
    assert {12345, 1270686, 1273439, 1273442, 947945, 12346, 12347} <= set(known.index)
    assert len(history[history["bug_id"] == 1270686]) == 87
    assert len(comments[comments["bug_id"] == 12345]) == 19
    (tmp_path / "digest").write_text(digest)
    if reverse:  # the order of the files does not matter
        other = tmp_path / "forward.sqlite"
        with Store.open(other) as store:
            import_dumps(store, recorded_files())
            assert store.content_hash() == digest
