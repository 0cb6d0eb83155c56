"""Reading BMO REST JSON dumps: every accepted shape, streaming, and all-or-nothing per file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bzanalytics.errors import DumpError
from bzanalytics.snapshot import dumps
from bzanalytics.snapshot.dumps import describe, import_dumps, iter_bugs
from bzanalytics.snapshot.store import Store
from tests.store_helpers import all_bugs, bug_1001, bug_1002

REAL_DUMP = Path(__file__).resolve().parents[2] / "shared" / "data" / "bmo-ca-compliance-bugs.json"


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "s.sqlite") as s:
        yield s


def _reference_hash(tmp_path: Path) -> str:
    with Store.open(tmp_path / "reference.sqlite") as ref:
        ref.save_bugs(all_bugs(), origin="reference", fetched_at="t")
        return ref.content_hash()


def _write_corpus(directory: Path, bugs: list[dict], **meta) -> Path:
    directory.mkdir()
    corpus = {"format": "bzanalytics-corpus/1", "product": "CA Program",
              "component": "CA Certificate Compliance", "generated_by": None, "seed": None,
              "now": "2026-11-01T00:00:00Z", **meta}
    (directory / "corpus.json").write_text(json.dumps(corpus))
    (directory / "bugs.jsonl").write_text("".join(json.dumps(b) + "\n" for b in bugs))
    return directory


@pytest.mark.parametrize("shape", ["search", "list", "jsonl", "corpus"])
def test_every_shape_stores_the_same_bugs(tmp_path: Path, store: Store, shape: str) -> None:
    bugs = all_bugs()
    if shape == "search":
        path = tmp_path / "search.json"
        path.write_text(json.dumps({"faults": [], "bugs": bugs, "total": 3}, indent=1))
    elif shape == "list":
        path = tmp_path / "list.json"
        path.write_text(json.dumps(bugs))
    elif shape == "jsonl":
        path = tmp_path / "bugs.jsonl"
        path.write_text("\n".join(json.dumps(b) for b in bugs) + "\n\n")
    else:
        path = _write_corpus(tmp_path / "corpus", bugs)
    (result,) = import_dumps(store, [path])
    assert result.bugs == 3
    assert store.counts() == {"bugs": 3, "comments": 6, "history": 5, "attachments": 1,
                              "private_comments": 1}
    assert store.content_hash() == _reference_hash(tmp_path)


def test_corpus_sets_db_time_and_synthetic(tmp_path: Path, store: Store) -> None:
    plain = _write_corpus(tmp_path / "plain", [bug_1001()], now="2026-10-01T00:00:00Z")
    synth = _write_corpus(tmp_path / "synth", [bug_1002()], now="2026-09-01T00:00:00Z",
                          generated_by="bzanalytics synth --bugs 1 --seed 1")
    import_dumps(store, [plain])
    assert store.get_state("db_time") == "2026-10-01T00:00:00Z"
    assert store.get_state("synthetic") is None
    import_dumps(store, [synth])
    assert store.get_state("db_time") == "2026-10-01T00:00:00Z"  # the later "now" is kept
    assert store.get_state("synthetic") == "bzanalytics synth --bugs 1 --seed 1"
    assert store.origins() == {"corpus:plain": 1, "corpus:synth": 1}


def test_plain_dump_sets_no_db_time(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "d.json"
    path.write_text(json.dumps([bug_1001()]))
    import_dumps(store, [path])
    assert store.get_state("db_time") is None
    assert store.origins() == {"dump:d.json": 1}


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
def test_streaming_reader_matches_json_load(tmp_path: Path, monkeypatch, chunk: int) -> None:
    """Bugs split across read boundaries, numbers at a chunk edge, escapes and non-ASCII text."""
    monkeypatch.setattr(dumps, "_CHUNK", chunk)
    bugs = all_bugs()
    bugs[1]["summary"] = "Ünïcødé CA: \"quoted\" \\ back\tslash \u2028 and emoji \U0001f512"
    bugs[2]["comment_count"] = 1234567890123
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"bugs": bugs, "extra": {"n": [1, 2.5e3]}}, indent=2,
                               ensure_ascii=False), encoding="utf-8")
    assert list(iter_bugs(describe(path))) == bugs


def test_reading_is_lazy(tmp_path: Path) -> None:
    """The first bug arrives before the reader has seen the broken end of the file."""
    path = tmp_path / "d.json"
    path.write_text(json.dumps([bug_1001()])[:-1] + "," + " " * (3 << 20) + "oops")
    bugs = iter_bugs(describe(path))
    assert next(bugs)["id"] == 1001
    with pytest.raises(DumpError, match="not JSON at line 1"):
        next(bugs)


_BAD_BUG_2 = json.dumps({"id": 2, "comments": [{"id": "x"}]})


@pytest.mark.parametrize(("name", "content", "message"), [
    ("trunc.json", '{"bugs": [{"id": 1},', "not JSON at line 1 column 21: Expecting value"),
    ("comma.json", '[\n  {"id": 1},\n  {"id": 2,}\n]',
     "not JSON at line 3 column 12: Expecting property name"),
    ("text.json", "id,summary\n1,hello\n", "not JSON at line 1 column 1"),
    ("empty.json", "", "empty file"),
    ("scalar.json", "[1, 2]", "item 1 of the bug list is not a bug object"),
    ("nokey.json", '{"faults": []}', 'without a "bugs" list'),
    ("keyed.json", '{"bugs": {"x1": {"comments": []}}}', "'bugs' key 'x1' is not a bug id"),
    ("keyed2.json", '{"bugs": {"1": {"text": "?"}}}', "neither a comment nor an attachment"),
    ("extra.json", '[{"id": 1}] [{"id": 2}]', "line 1 column 13: extra data"),
    ("noid.json", '[{"summary": "x"}]', "bug #1: bug id must be an integer"),
    ("badpart.json", f'[{{"id": 1}}, {_BAD_BUG_2}]', "bug #2: bug 2: comment id"),
    ("history.json", '[{"id": 1, "history": {"when": "x"}}]', "'history' must be a list"),
    ("dupes.json", '[{"id": 1, "attachments": [{"id": 5}, {"id": 5}]}]', "duplicate"),
    ("lines.jsonl", '{"id": 1}\n{"id": 2\n',
     "not JSON at line 2 column 9: Expecting ',' delimiter"),
    ("list.jsonl", '{"id": 1}\n[1]\n', "line 2 is not a bug object"),
    ("badbug.jsonl", '{"id": 1}\n{"id": true}\n', "bug #2 (line 2): bug id must be an integer"),
])
def test_bad_input_is_one_line_and_imports_nothing(tmp_path: Path, store: Store, name: str,
                                                   content: str, message: str) -> None:
    store.save_bugs([bug_1002()], origin="before", fetched_at="t")
    before = store.content_hash()
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(DumpError) as info:
        import_dumps(store, [path])
    text = str(info.value)
    assert text.startswith(f"{path}: ")
    assert message in text
    assert "\n" not in text
    assert store.content_hash() == before


def test_not_utf8(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('[{"id": 1, "summary": "Zürich"}]'.encode("latin-1"))
    with pytest.raises(DumpError, match="not UTF-8 text"):
        import_dumps(store, [path])


def test_one_bad_file_stops_all_files(tmp_path: Path, store: Store) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps([bug_1001()]))
    bad.write_text("[{")
    with pytest.raises(DumpError, match=r"bad\.json"):
        import_dumps(store, [good, bad])
    assert store.counts()["bugs"] == 0


@pytest.mark.parametrize(("setup", "message"), [
    ("missing", "no such file or directory"),
    ("no_jsonl", "needs corpus.json and bugs.jsonl"),
    ("bad_format", "not a corpus description"),
    ("bad_now", '"now" must look like'),
])
def test_bad_corpus_directory(tmp_path: Path, setup: str, message: str) -> None:
    path = tmp_path / "c"
    if setup != "missing":
        path.mkdir()
        (path / "corpus.json").write_text(json.dumps(
            {"format": "other/1" if setup == "bad_format" else "bzanalytics-corpus/1",
             "now": "yesterday" if setup == "bad_now" else "2026-11-01T00:00:00Z"}))
        if setup != "no_jsonl":
            (path / "bugs.jsonl").write_text("")
    with pytest.raises(DumpError, match=message):
        describe(path)


def test_batches_and_progress(tmp_path: Path, store: Store) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.jsonl"
    first.write_text(json.dumps(all_bugs()))
    second.write_text(json.dumps(bug_1002()) + "\n")
    seen: list[tuple[str, int, int]] = []
    import_dumps(store, [first, second], batch_size=2,
                 progress=lambda *args: seen.append(args))
    assert seen == [("checking", 2, 0), ("importing", 2, 4), ("importing", 3, 4),
                    ("importing", 4, 4)]


@pytest.mark.skipif(not REAL_DUMP.exists(), reason="shared real-data file not present")
def test_real_metadata_dump(store: Store) -> None:
    (result,) = import_dumps(store, [REAL_DUMP])
    assert result.bugs == 1688
    assert store.counts()["bugs"] == 1688
    assert store.counts()["comments"] == 0


_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)
_BUG = st.fixed_dictionaries(
    {"id": st.integers(1, 10**9)},
    optional={"summary": _TEXT, "whiteboard": _TEXT,
              "comment_count": st.integers(0, 10**15), "is_open": st.booleans(),
              "cf_x": st.one_of(st.none(), st.floats(allow_nan=False), _TEXT,
                                st.lists(st.integers(), max_size=3))},
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bugs=st.lists(_BUG, max_size=6), chunk=st.integers(1, 40), indent=st.sampled_from(
    [None, 0, 2]), wrap=st.booleans())
def test_streaming_reader_property(tmp_path: Path, monkeypatch, bugs: list[dict], chunk: int,
                                   indent: int | None, wrap: bool) -> None:
    monkeypatch.setattr(dumps, "_CHUNK", chunk)
    path = tmp_path / "p.json"
    payload = {"total": len(bugs), "bugs": bugs} if wrap else bugs
    path.write_text(json.dumps(payload, indent=indent, ensure_ascii=False), encoding="utf-8")
    assert list(iter_bugs(describe(path))) == bugs


def test_lone_surrogates_are_stored_not_fatal(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "s.json"
    path.write_text('[{"id": 7, "summary": "Bad \\ud800 char \\u00e9", "comments": [{"id": 1, '
                    '"count": 0, "text": "x\\udfff"}]}]')
    import_dumps(store, [path])
    (bug,) = store.canonical_rows("bugs")
    assert bug[1] == "Bad ? char \u00e9"
    assert json.loads(bug[16])["summary"] == "Bad \ud800 char \u00e9"  # raw keeps it
    assert next(store.canonical_rows("comments"))[7] == "x?"
