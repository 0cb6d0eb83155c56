"""Questions by root programs and the community, and how long the CA took to answer each.

A question is a public non-CA comment (not comment 0) with a `?` outside quoted lines and URLs;
its answer is the next CA comment, since the IRGs accept an acknowledgement as a response.
"""

from __future__ import annotations

import pandas as pd

from bzanalytics.metrics import rules
from bzanalytics.metrics.common import BMO, ca_only, days, evidence

ASKER_ROLES = ("root_program", "community")
_QUOTED_LINE = r"(?m)^[ \t]*>.*$"
_URL = r"(?i)\b(?:https?|ftp)://\S+"

QUESTION_COLUMNS = [
    "bug_id", "count", "time", "author", "role", "rule", "answer_count", "answer_time",
    "answered", "answer_days", "gap_days", "late", "evidence", "answer_evidence",
]


def has_question(text: pd.Series) -> pd.Series:
    """True where the text has a `?` outside quoted (`>`) lines and URLs."""
    clean = text.fillna("").astype("str")
    clean = clean.str.replace(_QUOTED_LINE, "", regex=True).str.replace(_URL, "", regex=True)
    return clean.str.contains("?", regex=False)


def mark_questions(comments: pd.DataFrame) -> pd.DataFrame:
    """Add `asks` (the comment is a question) and drop the text, which nothing else needs.

    Only comments by askers that contain a `?` at all go through the regular expressions.
    """
    maybe = comments["role"].isin(ASKER_ROLES).fillna(False) & (comments["count"] != 0)
    maybe &= comments["text"].str.contains("?", regex=False).fillna(False)
    asks = maybe.to_numpy(dtype=bool).copy()
    asks[asks] = has_question(comments["text"].loc[asks]).to_numpy(dtype=bool)
    return comments.drop(columns="text").assign(asks=asks)


def find_questions(
    comments: pd.DataFrame, t_resolved: pd.Series, as_of: pd.Timestamp, site: str = BMO
) -> pd.DataFrame:
    """One row per question, with its answer or its unanswered age.

    `comments` are the public comments in comment order, marked by `mark_questions`;
    `t_resolved` is indexed by bug_id. An unanswered question ages until the bug was resolved,
    or until `as_of` while the bug is open.
    """
    questions = comments.loc[comments["asks"].to_numpy(),
                             ["bug_id", "count", "time", "author", "role"]]
    answers = ca_only(comments)[["bug_id", "count", "time"]].rename(
        columns={"time": "answer_time"}
    )
    answers = answers.assign(answer_count=answers["count"])
    merged = pd.merge_asof(
        questions.sort_values("count", kind="stable"),
        answers.sort_values("count", kind="stable"),
        on="count",
        by="bug_id",
        direction="forward",
        allow_exact_matches=False,
    ).sort_values(["bug_id", "count"], kind="stable")
    merged = merged.reset_index(drop=True)
    answered = merged["answer_time"].notna()
    end = pd.Series(t_resolved.reindex(merged["bug_id"]).to_numpy(), index=merged.index)
    end = pd.to_datetime(end, utc=True).dt.as_unit("us").fillna(as_of.as_unit("us"))
    age = ((end - merged["time"]).clip(lower=pd.Timedelta(0)))
    gap = merged["answer_time"].sub(merged["time"]).where(answered, age)
    rule = rules.version_at(rules.QUESTIONS, merged["time"])
    out = merged.assign(
        rule=rule,
        answer_count=merged["answer_count"].astype("Int64"),
        answered=answered.astype("boolean"),
        answer_days=days(merged["answer_time"] - merged["time"]),
        gap_days=days(gap),
        late=((rule != rules.NONE) & (gap > rules.QUESTION_LIMIT)).astype("boolean"),
        evidence=evidence(merged["bug_id"], merged["count"], site),
        answer_evidence=evidence(merged["bug_id"], merged["answer_count"], site),
        bug_id=merged["bug_id"].astype("Int64"),
        count=merged["count"].astype("Int64"),
    )
    return out[QUESTION_COLUMNS]


def per_bug(questions: pd.DataFrame) -> pd.DataFrame:
    """Per-bug question columns, indexed by bug_id (bugs without questions are absent)."""
    if questions.empty:
        return pd.DataFrame(
            columns=["questions", "questions_late", "questions_unanswered",
                     "question_worst_gap_days", "question_worst_evidence", "questions_rule"]
        )
    grouped = questions.groupby("bug_id", sort=True)
    worst = questions.loc[
        questions["gap_days"].astype("float64").groupby(questions["bug_id"]).idxmax()
    ].set_index("bug_id")
    latest = questions.drop_duplicates("bug_id", keep="last").set_index("bug_id")
    return pd.DataFrame(
        {
            "questions": grouped.size(),
            "questions_late": grouped["late"].sum(),
            "questions_unanswered": (~questions["answered"]).groupby(questions["bug_id"]).sum(),
            "question_worst_gap_days": worst["gap_days"],
            "question_worst_evidence": worst["evidence"],
            "questions_rule": latest["rule"],
        }
    )

