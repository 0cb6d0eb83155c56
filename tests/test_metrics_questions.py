"""Questions by root programs and the community, and the CA's time to answer, on hand-built bugs."""

from __future__ import annotations

import pandas as pd
import pytest

from bzanalytics.metrics.questions import has_question
from tests.metrics_helpers import Corpus, row

AS_OF = "2025-09-01T00:00:00Z"
LINK = "https://bugzilla.mozilla.org/show_bug.cgi?id="


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("When will the certificates be revoked?", True),
        ("> Why did this happen?\nThanks for the report.", False),  # only in a quote
        ("See https://example.com/page?id=3 for details.", False),  # only in a URL
        ("  > quoted?\nAnd what about the CPS?", True),
        ("No question here.", False),
        ("", False),
    ],
)
def test_has_question(text, expected):
    assert bool(has_question(pd.Series([text], dtype="str")).iloc[0]) is expected


def test_question_answered_after_8_days_is_late():
    c = Corpus().bug(1, "2025-04-01T00:00:00Z")
    c.comment(1, 1, "2025-04-01T06:00:00Z", "ca", text="Ack.")
    c.comment(1, 2, "2025-04-02T00:00:00Z", "root_program", text="Why was the CRL late?")
    c.comment(1, 3, "2025-04-03T00:00:00Z", "community", text="+1, see > quoted? no.")
    c.comment(1, 4, "2025-04-10T00:00:00Z", "ca", text="Because ...")
    m = c.measure(AS_OF)
    q = m.questions
    # c2 answered by c4: 8 days, late; c3 answered by c4: 7 days exactly, not late (> 7 needed)
    assert list(q["count"]) == [2, 3]
    assert list(q["answer_count"]) == [4, 4]
    assert list(q["answer_days"]) == [8.0, 7.0]
    assert list(q["late"]) == [True, False]
    assert list(q["rule"]) == ["ccadb-irg-3.0", "ccadb-irg-3.0"]
    r = row(m, 1)
    assert (r["questions"], r["questions_late"], r["questions_unanswered"]) == (2, 1, 0)
    assert r["question_worst_gap_days"] == 8.0
    assert r["question_worst_evidence"] == f"{LINK}1#c2"
    assert r["questions_rule"] == "ccadb-irg-3.0"


def test_unanswered_questions_age_to_resolution_or_as_of():
    c = Corpus()
    # open bug: asked 08-20, no CA comment after: 12 days to as_of 09-01, late
    c.bug(2, "2025-08-01T00:00:00Z").comment(2, 1, "2025-08-02T00:00:00Z", "ca", text="Ack.")
    c.comment(2, 2, "2025-08-20T00:00:00Z", "community", text="Any update?")
    # resolved 2025-06-04: asked 06-01, unanswered for 3 days only
    c.bug(3, "2025-05-01T00:00:00Z", status="RESOLVED", resolution="FIXED",
          resolved="2025-06-04T00:00:00Z")
    c.comment(3, 1, "2025-05-02T00:00:00Z", "ca", kind="full")
    c.comment(3, 2, "2025-06-01T00:00:00Z", "root_program", text="Anything else?")
    m = c.measure(AS_OF)
    open_bug, resolved = row(m, 2), row(m, 3)
    assert (open_bug["questions_unanswered"], open_bug["questions_late"]) == (1, 1)
    assert open_bug["question_worst_gap_days"] == 12.0
    assert (resolved["questions_unanswered"], resolved["questions_late"]) == (1, 0)
    assert resolved["question_worst_gap_days"] == 3.0
    q = m.questions.set_index("bug_id")
    assert pd.isna(q.loc[2, "answer_days"]) and not q.loc[2, "answered"]


def test_what_is_not_a_question():
    c = Corpus().bug(4, "2025-04-01T00:00:00Z", summary="Example CA: why?")
    # comment 0 (the filing) is not a question even with '?'; nor a CA's or a bot's comment,
    # nor a private comment
    c.comments[0]["text"] = "Is this a problem?"
    c.comment(4, 1, "2025-04-02T00:00:00Z", "ca", text="Should we revoke?")
    c.comment(4, 2, "2025-04-03T00:00:00Z", "bot", text="Reminder: next update?")
    c.comment(4, 3, "2025-04-04T00:00:00Z", "root_program", text="Why?", private=True)
    r = row(c.measure(AS_OF), 4)
    assert r["questions"] == 0
    assert pd.isna(r["question_worst_gap_days"])
    assert r["questions_rule"] == "none"


def test_questions_before_irg_2_are_measured_but_never_late():
    c = Corpus().bug(5, "2023-09-01T00:00:00Z")
    c.comment(5, 1, "2023-09-02T00:00:00Z", "root_program", text="When?")
    c.comment(5, 2, "2023-10-02T00:00:00Z", "ca", text="Now.")  # 30 days
    # a later question in the same bug falls under IRG 2.0: 2023-10-20 -> 2023-10-30 = 10 days
    c.comment(5, 3, "2023-10-20T00:00:00Z", "root_program", text="And the CPS?")
    c.comment(5, 4, "2023-10-30T00:00:00Z", "ca", text="Updated.")
    m = c.measure(AS_OF)
    assert list(m.questions["rule"]) == ["none", "ccadb-irg-2.0"]
    assert list(m.questions["late"]) == [False, True]
    r = row(m, 5)
    assert (r["questions"], r["questions_late"]) == (2, 1)
    assert r["question_worst_gap_days"] == 30.0
    assert r["question_worst_evidence"] == f"{LINK}5#c1"
    assert r["questions_rule"] == "ccadb-irg-2.0"
