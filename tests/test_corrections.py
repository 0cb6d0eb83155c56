"""Hand corrections: the file's checks (each with its line number), and what applying them does.

Expected statuses are worked from docs/methodology.md by hand; the corrections move exactly the
values they name and nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bzanalytics.metrics import measure
from bzanalytics.metrics.corrections import apply
from bzanalytics.snapshot.corrections import CorrectionsError, read_corrections
from tests.metrics_helpers import Corpus, row, ts

HEADER = "bug_id,field,value,evidence,note,by\n"
LINK = "https://bugzilla.mozilla.org/show_bug.cgi?id={bug}#c{count}"


def _file(tmp_path: Path, *rows: str, name: str = "corrections.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def _row(bug: int, field: str, value: str, count: int = 1, note: str = "read by hand") -> str:
    return f"{bug},{field},{value},{LINK.format(bug=bug, count=count)},{note},A. Reviewer"


# -- the file -----------------------------------------------------------------------------

def test_every_field_reads_with_its_type(tmp_path):
    path = _file(tmp_path, _row(1, "awareness_time", "2025-04-01T08:30Z"),
                 _row(2, "awareness_time", "2025-04-01"), _row(3, "ca", "Example CA"),
                 _row(4, "excluded", "not an incident"), _row(5, "excluded", "no"),
                 _row(6, "initial_report", "3"), _row(7, "full_report", "none"),
                 _row(8, "self_filed", "TRUE"))
    rows = read_corrections(path).rows
    assert [(r.field, r.value, r.precision) for r in rows] == [
        ("awareness_time", ts("2025-04-01T08:30").to_pydatetime(), "minute"),
        ("awareness_time", ts("2025-04-01").to_pydatetime(), "day"),
        ("ca", "Example CA", None), ("excluded", "not an incident", None),
        ("excluded", None, None), ("initial_report", 3, None), ("full_report", None, None),
        ("self_filed", True, None)]
    assert [r.line for r in rows] == list(range(2, 10))


@pytest.mark.parametrize(("bad", "message"), [
    (_row(1, "aware_time", "2025-04-01"), "unknown field 'aware_time'"),
    (_row(1, "awareness_time", "2025-04-01 8:30"), "not an ISO UTC minute"),
    (_row(1, "awareness_time", "2025-02-30"), "not a real date"),
    (_row(1, "awareness_time", "2025-04-01T08:30+02:00"), "not an ISO UTC minute"),
    (_row(1, "awareness_time", "01/04/2025"), "not an ISO UTC minute"),
    (_row(1, "self_filed", "yes"), "true or false"),
    (_row(1, "initial_report", "#3"), "comment number or `none`"),
    (_row(1, "ca", ""), "ca needs a value"),
    ("x1,ca,Example CA," + LINK.format(bug=1, count=0) + ",,", "is not a bug number"),
    ("-1,ca,Example CA," + LINK.format(bug=1, count=0) + ",,", "is not a bug number"),
    ("1,ca,Example CA," + LINK.format(bug=2, count=0) + ",,", "links to bug 2, not to bug 1"),
    ("1,ca,Example CA,see the bug,,", "evidence must link"),
])
def test_bad_rows_are_errors_with_their_line(tmp_path, bad, message):
    path = _file(tmp_path, _row(9, "ca", "Example CA"), bad)
    with pytest.raises(CorrectionsError) as error:
        read_corrections(path)
    assert error.value.problems == [f"line 3: {error.value.problems[0][8:]}"]
    assert message in error.value.problems[0]
    assert "nothing applied" in str(error.value)


def test_a_duplicate_row_names_the_first_line(tmp_path):
    path = _file(tmp_path, _row(1, "ca", "Example CA"), _row(2, "ca", "Other CA"),
                 _row(1, "ca", "Third CA"))
    with pytest.raises(CorrectionsError, match=r"line 4: a second ca correction for bug 1 "
                                               r"\(first on line 2\)"):
        read_corrections(path)


def test_every_problem_is_listed_at_once(tmp_path):
    path = _file(tmp_path, _row(1, "colour", "red"), _row(2, "ca", "Example CA"),
                 _row(3, "self_filed", "maybe"))
    with pytest.raises(CorrectionsError) as error:
        read_corrections(path)
    assert [p.split(":")[0] for p in error.value.problems] == ["line 2", "line 4"]


def test_missing_columns_and_unreadable_files(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("bug_id,field,value\n1,ca,X\n", encoding="utf-8")
    with pytest.raises(CorrectionsError, match="missing column"):
        read_corrections(path)
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "1,ca,Caf\xe9,x,,\n").encode("latin-1"))
    with pytest.raises(CorrectionsError, match="not UTF-8"):
        read_corrections(latin)
    with pytest.raises(Exception, match="cannot read corrections file"):
        read_corrections(tmp_path / "absent.csv")


def test_the_hash_is_of_the_file_bytes(tmp_path):
    import hashlib

    path = _file(tmp_path, _row(1, "ca", "Example CA"))
    assert read_corrections(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    blank = _file(tmp_path, _row(1, "ca", "Example CA"), ",,,,,", name="blank.csv")
    assert len(read_corrections(blank).rows) == 1  # an empty line is not a correction


# -- applying them: hand-worked ---------------------------------------------------------------

def _unknown_awareness() -> Corpus:
    """Self-filed bug 10, no stated awareness: preliminary report 2025-04-04 10:00 (comment 1),
    full report 2025-04-20 10:00 (comment 2). 72-hour status: unknown_awareness."""
    c = Corpus().bug(10, "2025-04-03T10:00:00Z", self_filed=True)
    c.comment(10, 1, "2025-04-04T10:00:00Z", "ca", kind="preliminary")
    return c.comment(10, 2, "2025-04-20T10:00:00Z", "ca", kind="full")


def _measure(corpus: Corpus, path: Path, as_of: str = "2025-06-01T00:00:00Z"):
    parsed, bugs, history = corpus.frames()
    parsed, warnings = apply(parsed, bugs, read_corrections(path).rows)
    return measure(parsed, bugs, history, ts(as_of)), warnings


@pytest.mark.parametrize(("aware", "status", "hours"), [
    # initial report at 04-04 10:00; 72 h before is 04-01 10:00
    ("2025-04-01T10:00Z", "met", 72.0),      # exactly 72 h: met (methodology: the limit is met)
    ("2025-04-01T09:59Z", "missed", 72 + 1 / 60),
    ("2025-04-02T10:00Z", "met", 48.0),
])
def test_awareness_correction_decides_the_72_hour_rule(tmp_path, aware, status, hours):
    before = row(_unknown_awareness().measure("2025-06-01T00:00:00Z"), 10)
    assert before["initial_report_status"] == "unknown_awareness"
    path = _file(tmp_path, _row(10, "awareness_time", aware, count=1, note="timeline line 1"))
    measured, warnings = _measure(_unknown_awareness(), path)
    after = row(measured, 10)
    assert after["initial_report_status"] == status
    assert after["initial_report_hours"] == pytest.approx(hours)
    assert after["aware_source"] == "corrected"
    assert after["awareness_time_source"] == "corrected"
    assert after["aware_evidence"] == LINK.format(bug=10, count=1)
    assert after["correction_notes"] == "awareness_time: timeline line 1 (A. Reviewer)"
    assert after["full_report_source"] == "parsed"
    assert warnings == []


def test_a_day_correction_gives_a_status_only_when_the_whole_day_agrees(tmp_path):
    # aware on 04-01 (day): 04-01 00:00 -> 04-04 10:00 = 82 h, 04-02 00:00 -> 58 h: undecided
    path = _file(tmp_path, _row(10, "awareness_time", "2025-04-01"))
    after = row(_measure(_unknown_awareness(), path)[0], 10)
    assert after["initial_report_status"] == "unknown_awareness"
    assert after["initial_report_reason"] == "awareness known to the day only"
    # aware on 04-02 (day): at most 24 + 34 = 58 h ... at least 34 h: met either way
    path = _file(tmp_path, _row(10, "awareness_time", "2025-04-02"), name="b.csv")
    assert row(_measure(_unknown_awareness(), path)[0], 10)["initial_report_status"] == "met"


def test_report_corrections_name_the_comment_or_none(tmp_path):
    path = _file(tmp_path, _row(10, "awareness_time", "2025-04-03T10:00Z"),
                 _row(10, "initial_report", "2", count=2), _row(10, "full_report", "none"))
    after = row(_measure(_unknown_awareness(), path)[0], 10)
    # initial report is now comment 2 (04-20 10:00): 17 days after awareness
    assert after["initial_report_evidence"] == LINK.format(bug=10, count=2)
    assert after["initial_report_hours"] == pytest.approx(17 * 24)
    assert after["initial_report_status"] == "missed"
    # no full report at all, and 14 days have passed by as_of: no_report
    assert after["full_report_status"] == "no_report"
    assert after["initial_report_source"] == after["full_report_source"] == "corrected"


def test_ca_self_filed_and_exclusion_corrections(tmp_path):
    c = _unknown_awareness()
    c.bug(11, "2025-04-03T10:00:00Z", resolution="INVALID", status="RESOLVED",
          resolved="2025-04-05T00:00:00Z")
    path = _file(tmp_path, _row(10, "ca", "Sectigo Ltd"), _row(10, "self_filed", "false"),
                 _row(11, "excluded", "no"))
    measured, warnings = _measure(c, path)
    ten, eleven = row(measured, 10), row(measured, 11)
    assert (ten["ca"], ten["ca_source"]) == ("Sectigo", "corrected")  # alias -> canonical owner
    assert bool(ten["self_filed"]) is False
    assert ten["self_filed_source"] == "corrected"
    assert pd.isna(eleven["excluded"]) and eleven["excluded_source"] == "corrected"
    assert warnings == []
    path = _file(tmp_path, _row(10, "excluded", "not an incident"), name="x.csv")
    measured, _ = _measure(_unknown_awareness(), path)
    assert measured.incidents.empty  # excluded by hand: left out by default


def test_a_correction_that_changes_nothing_is_a_warning(tmp_path):
    path = _file(tmp_path, _row(10, "ca", "Example CA"), _row(10, "self_filed", "true"),
                 _row(10, "initial_report", "1"), _row(10, "excluded", "no"))
    measured, warnings = _measure(_unknown_awareness(), path)
    assert [w.split(":")[0] for w in warnings] == ["line 2", "line 3", "line 4", "line 5"]
    assert all("changes nothing" in w for w in warnings)
    assert row(measured, 10)["initial_report_status"] == "unknown_awareness"
