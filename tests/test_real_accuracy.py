"""bench/real_accuracy.py: its scoring arithmetic on a fictional labelled set written here, and
(report only) the real development set when its texts are present locally.

The fictional pages below are invented for this test (fictional CA, example.com); the real texts
are third-party words that are never committed, so the second test skips where they are absent
(CI) and never asserts accuracy targets.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REAL_TEXTS = REPO / "bench" / "real" / "texts"
REAL_LABELS = REPO / "bench" / "real" / "labels.jsonl"


def load_scorer():
    spec = importlib.util.spec_from_file_location("bench_real_accuracy",
                                                  REPO / "bench" / "real_accuracy.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while decorating
    spec.loader.exec_module(module)
    return module


scorer = load_scorer()

CHROME = "[fictional page header of bug 9000001]\n\nExample Trust: test bug\n\n"
V3_FULL = (
    "Full Incident Report\n\nSummary\n\n- CA Owner CCADB unique ID: A999999\n"
    "- Incident description: Example Trust issued two certificates for www.example.com with "
    "a wrong policy OID.\n- Timeline summary:\n  - Non-compliance start date: 2025-04-28\n"
    "  - Non-compliance identified date: 2025-05-02 at 14:20 UTC\n"
    "  - Non-compliance end date: 2025-05-03\n- Relevant policies: TLS BR 7.1.6\n"
    "- Source of incident disclosure: Self Reported\n\nImpact\n\n"
    "- Total number of certificates: 2\n"
)
LEGACY = (
    "1. How your CA first became aware of the problem (e.g. via a problem report), and the "
    "time and date.\n\nWe became aware on 2025-06-03 through a report to our mailbox.\n\n"
    "2. A timeline of the actions your CA took in response.\n\n"
    "2025-06-03 10:00 UTC report received\n2025-06-04 revoked\n"
)
QUESTIONS = (
    "Example Root Program asks you to answer here and provide the following information: "
    "1) How your CA first became aware of these problems, and when. 2) Confirmation that "
    "issuance has stopped.\n"
)


def _segment(text: str, piece: str, **label) -> dict:
    piece = piece.rstrip()
    start = text.index(piece)
    end = start + len(piece)
    check = hashlib.sha256(text[start:end].encode()).hexdigest()[:16]
    return {"start": start, "end": end, "check": check, **label}


def _write_set(tmp_path: Path, legacy_date: str = "2025-06-01") -> tuple[Path, Path]:
    """Five fictional bugs: a v3 full report, a legacy report whose label is wrong by default,
    a question list, one without its text and one whose text changed since it was labelled."""
    texts = tmp_path / "texts"
    texts.mkdir()
    pages = {9000001: CHROME + V3_FULL, 9000002: CHROME + LEGACY, 9000003: CHROME + QUESTIONS,
             9000005: CHROME + LEGACY}
    pages = {bug_id: text.rstrip() for bug_id, text in pages.items()}  # as the scorer reads
    for bug_id, text in pages.items():
        (texts / f"{bug_id}.txt").write_text(text + "\n", encoding="utf-8")
    aware_v3 = {"date": "2025-05-02", "utc_minute": "2025-05-02T14:20:00+00:00",
                "evidence": "identified-date field with a time in UTC"}
    labels = [
        {"bug_id": 9000001, "created": "2025-05-03T09:00:00Z", "era": "ccadb-v3",
         "sha256": hashlib.sha256(pages[9000001].encode()).hexdigest(),
         "segments": [_segment(pages[9000001], V3_FULL, index=0, comment=0, author="ca",
                               posted="2025-05-03T09:00:00Z", is_report=True, kind="full",
                               template="ccadb-v3", sections=["summary", "impact"],
                               awareness=aware_v3)]},
        {"bug_id": 9000002, "created": "2025-06-05T09:00:00Z", "era": "legacy",
         "sha256": hashlib.sha256(pages[9000002].encode()).hexdigest(),
         "segments": [_segment(pages[9000002], LEGACY, index=0, comment=0, author="ca",
                               posted="2025-06-05T09:00:00Z", is_report=True, kind="legacy",
                               template="legacy", sections=["how_aware", "timeline"],
                               awareness={"date": legacy_date, "utc_minute": None})]},
        {"bug_id": 9000003, "created": "2025-07-01T09:00:00Z", "era": "negative",
         "sha256": hashlib.sha256(pages[9000003].encode()).hexdigest(),
         "segments": [_segment(pages[9000003], QUESTIONS, index=0, comment=0,
                               author="root_program", is_report=False, negative=True,
                               awareness=None)]},
        {"bug_id": 9000004, "created": None, "era": "legacy", "sha256": "0" * 64,
         "segments": []},
        {"bug_id": 9000005, "created": None, "era": "legacy", "sha256": "f" * 64,
         "segments": []},
    ]
    path = tmp_path / "labels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in labels), encoding="utf-8")
    return texts, path


def test_scoring_arithmetic_on_fictional_set(tmp_path, capsys):
    texts, labels = _write_set(tmp_path)
    tally = scorer.score(scorer.load_labels(labels), texts)
    table = scorer.rates(tally)
    assert tally.bugs == 3 and tally.segments == 3
    assert sorted((s["bug_id"], s["reason"]) for s in tally.skipped) == [
        (9000004, "text missing"), (9000005, "hash mismatch")]
    assert (table["template"]["cases"], table["template"]["wrong"]) == (2, 0)
    assert (table["kind"]["cases"], table["kind"]["wrong"]) == (2, 0)
    assert (table["sections"]["cases"], table["sections"]["wrong"]) == (2, 0)
    # The legacy label says 1 June, the text says 3 June: one date right out of two.
    assert (table["awareness_date"]["cases"], table["awareness_date"]["wrong"]) == (2, 1)
    assert table["awareness_date"]["rate"] == 0.5
    assert (table["awareness_minute"]["cases"], table["awareness_minute"]["wrong"]) == (1, 0)
    assert (table["negatives"]["cases"], table["negatives"]["wrong"]) == (1, 0)
    assert table["awareness_where_none"]["rate"] is None  # no case: not judged
    assert tally.confusion == {("ccadb-v3", "ccadb-v3"): 1, ("legacy", "legacy"): 1}
    assert [m["bug_id"] for m in tally.misses] == [9000002]
    assert scorer.failures(table) == ["awareness_date"]
    assert scorer.main(["--texts", str(texts), "--labels", str(labels)]) == 1
    out = capsys.readouterr().out
    assert "9000002 awareness_date: expected '2025-06-01'" in out
    assert "below target: awareness_date" in out


def test_ambiguous_awareness_is_not_judged(tmp_path):
    """A legacy label with no date: 'not stated' makes the parser's 3 June a false find, while
    'ambiguous' leaves the bug out of both awareness rates."""
    for reason, cases in (("not stated", 1), ("ambiguous: two candidate days", 0)):
        where = tmp_path / reason.split(":")[0].replace(" ", "_")
        where.mkdir()
        texts, labels = _write_set(where)
        rows = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines()]
        rows[1]["segments"][0]["awareness"] = {"date": None, "utc_minute": None,
                                               "null_reason": reason}
        labels.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        table = scorer.rates(scorer.score(scorer.load_labels(labels), texts))
        assert table["awareness_where_none"]["cases"] == cases
        assert table["awareness_where_none"]["wrong"] == cases
        assert table["awareness_date"]["cases"] == 1  # the v3 bug only


def test_first_notice_read_as_report_is_not_a_non_report_miss(tmp_path):
    """The legacy page labelled as a non-report counts in non_reports (the parser reads it as a
    report), unless the label marks it as the CA's first notice."""
    for first_notice, cases in ((False, 1), (True, 0)):
        where = tmp_path / f"fn{int(first_notice)}"
        where.mkdir()
        texts, labels = _write_set(where)
        rows = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines()]
        seg = rows[1]["segments"][0]
        seg.update(is_report=False, kind=None, template=None, sections=[],
                   first_notice=first_notice)
        labels.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        table = scorer.rates(scorer.score(scorer.load_labels(labels), texts))
        assert table["non_reports"]["cases"] == cases
        assert table["non_reports"]["wrong"] == cases


def test_exit_zero_when_every_target_is_met(tmp_path, capsys):
    texts, labels = _write_set(tmp_path, legacy_date="2025-06-03")
    assert scorer.main(["--texts", str(texts), "--labels", str(labels), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["below_target"] == []
    assert result["fields"]["awareness_date"] == {"cases": 2, "wrong": 0, "rate": 1.0}


def test_targets_each_side_of_the_bound():
    def table(**rates):
        base = {name: {"cases": 1, "wrong": 0, "rate": None} for name in scorer.FIELDS}
        for name, value in rates.items():
            base[name]["rate"] = value
        return base

    assert scorer.failures(table(template=0.95, awareness_date=0.90, awareness_minute=0.80,
                                 awareness_where_none=0.05, negatives=0.0)) == []
    assert scorer.failures(table(template=0.9499, awareness_date=0.8999,
                                 awareness_minute=0.7999, awareness_where_none=0.0501,
                                 negatives=0.01)) == [
        "template", "awareness_date", "awareness_minute", "awareness_where_none", "negatives"]


def test_a_changed_segment_is_skipped_not_scored(tmp_path):
    texts, labels = _write_set(tmp_path)
    rows = scorer.load_labels(labels)
    rows[0]["segments"][0]["check"] = "0" * 16
    tally = scorer.score(rows[:1], texts)
    assert tally.segments == 0
    assert tally.skipped == [{"bug_id": 9000001, "segment": 0,
                              "reason": "segment check mismatch"}]


def test_bad_input_exit_codes(tmp_path, capsys, monkeypatch):
    texts, labels = _write_set(tmp_path)
    assert scorer.main(["--texts", str(tmp_path / "absent"), "--labels", str(labels)]) == 2
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n", encoding="utf-8")
    assert scorer.main(["--texts", str(texts), "--labels", str(broken)]) == 2
    assert scorer.main(["--texts", str(texts), "--labels", str(tmp_path / "none.jsonl")]) == 2
    monkeypatch.setattr(scorer, "HELD_OUT_HASHES", frozenset({scorer.held_out_hash(9000003)}))
    assert scorer.main(["--texts", str(texts), "--labels", str(labels)]) == 3
    err = capsys.readouterr().err
    assert "held-out bug ids: [9000003]" in err
    assert "Traceback" not in err


def test_committed_labels_hold_no_held_out_bug():
    rows = scorer.load_labels(REAL_LABELS)
    assert rows, "the labelled set is committed"
    assert scorer.held_out_in(rows) == []
    for row in rows:
        for seg in row["segments"]:
            assert 0 <= seg["start"] < seg["end"]
            assert seg["kind"] is None or seg["is_report"]


@pytest.mark.skipif(not any(REAL_TEXTS.glob("*.txt")),
                    reason="real bug-page texts are local only (see bench/real/README.md)")
def test_real_set_scores_without_error(capsys):
    """Report only: the real figures are recorded in docs/parsing.md, not asserted here."""
    tally = scorer.score(scorer.load_labels(REAL_LABELS), REAL_TEXTS)
    scorer.print_report(tally, scorer.rates(tally), show_misses=False)
    assert tally.bugs + len({s["bug_id"] for s in tally.skipped}) >= 1
    print(capsys.readouterr().out)


PRELIMINARY = (
    "Preliminary Incident Report\n\nSummary\n\n- Incident description: Example Trust issued "
    "three certificates for www.example.com without a required extension.\n"
    "- Relevant policies: TLS BR 7.1.2\n- Source of incident disclosure: Self Reported\n\n"
    "Our analysis continues; the full incident report will be posted no later than Tuesday, "
    "20 May 2025.\n"
)


@pytest.mark.parametrize(("label", "wrong"), [
    ({"date": "2025-05-20"}, 0),
    ({"date": "2025-05-21"}, 1),  # a day off is a miss
    ({"date": "2025-05-20", "utc_minute": "2025-05-20T12:00:00Z"}, 1),  # only the day is stated
])
def test_promised_full_report_date_is_scored(tmp_path, label, wrong):
    texts = tmp_path / "texts"
    texts.mkdir()
    page = (CHROME + PRELIMINARY).rstrip()
    (texts / "9000006.txt").write_text(page + "\n", encoding="utf-8")
    seg = _segment(page, PRELIMINARY, index=0, comment=0, author="ca",
                   posted="2025-05-08T10:00:00Z", is_report=True, kind="preliminary",
                   template="ccadb-v3", awareness=None, full_report_promise=label)
    rows = [{"bug_id": 9000006, "created": "2025-05-08T09:00:00Z", "era": "ccadb-v3",
             "sha256": hashlib.sha256(page.encode()).hexdigest(), "segments": [seg]}]
    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    table = scorer.rates(scorer.score(scorer.load_labels(path), texts))
    assert (table["full_report_promise"]["cases"], table["full_report_promise"]["wrong"]) \
        == (1, wrong)
    assert table["full_report_promise_where_none"]["cases"] == 0
    # without the label the same text is a promise found where none is labelled
    del rows[0]["segments"][0]["full_report_promise"]
    path.write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    table = scorer.rates(scorer.score(scorer.load_labels(path), texts))
    assert table["full_report_promise_where_none"]["wrong"] == 1
    assert table["full_report_promise"]["cases"] == 0
