"""Golden incidents: small bugs written out in full, measured end to end, against values a person
worked out from docs/methodology.md with pen and paper (the arithmetic is in the comments).

Each bug goes through the whole path: BMO-shaped JSON -> store -> frames -> parse (roles, report
kinds, awareness from the text) -> metrics. Nothing here was obtained by running the code: when a
case fails, re-derive the value from the methodology, and change the docs first if the rule moved.

Conventions: `S_H` / `S_D` is one second in hours / days; "as_of" is 2025-06-01 00:00 UTC unless a
case says otherwise; a comment number is its `count` (comment 0 is the bug's description). Every
metric column of the incidents table is checked for every case; tuples below are
  aware      (time, precision, source)
  response   (hours, reason, comment)
  initial    (hours, status, rule, reason, comment)
  full       (days, status, rule, reason, comment)
  legacy     (days, status, rule, reason)             evidence: the full report's comment
  questions  (n, late, unanswered, worst days, worst question's comment, rule)
  cadence    (gaps over 7 d, worst days, comment, rule)
  close      (days_to_close, closure_to_close_days, closure comment)
  promises   rows of (set time, Next-update day, status, keeping comment)
  gaps       rows of (start, end, rule, evidence comment)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pytest

from tests.golden_helpers import (
    BOT,
    CA,
    CA_OWNER,
    CLOSURE,
    NA,
    RP,
    C,
    bug,
    comment_of,
    full,
    legacy,
    measure_bugs,
    preliminary,
    same,
    ts,
    v2_report,
)
from tests.golden_helpers import REPORTER as TP

AS_OF = "2025-06-01T00:00:00Z"
AS_OF_2023 = "2023-10-20T00:00:00Z"
S_H = 1 / 3600
S_D = 1 / 86400
IRG1, IRG2, IRG3 = "ccadb-irg-1.0", "ccadb-irg-2.0", "ccadb-irg-3.0"
WIKI, NONE = "wiki-2017", "none"
NO_Q = (0, 0, 0, NA, NA, NONE)
NO_REPORT = "no CA report"
DAY_ONLY = "awareness known to the day only"
SELF = (NA, "self-filed", NA)
ISSUED_1016 = "2023-10-16 08:00 UTC: a certificate was issued."
ISSUED_1009 = "2023-10-09 10:00 UTC: a certificate was issued."
TAGS = "[ca-compliance] [disclosure-failure]"


@dataclass(frozen=True)
class G:
    name: str
    bug: dict[str, Any]
    aware: tuple
    response: tuple
    initial: tuple
    full: tuple
    legacy: tuple
    cadence: tuple = (0, NA, NA, IRG3)
    close: tuple = (NA, NA, NA)
    questions: tuple = NO_Q
    promises: tuple = ()
    gaps: tuple | None = None
    question_rows: tuple | None = None
    excluded: Any = NA
    as_of: str = AS_OF

    @property
    def bug_id(self) -> int:
        return self.bug["id"]

    @property
    def self_filed(self) -> bool:
        return self.bug["creator"] == CA


def tp_aware(created: str) -> tuple:
    """A third-party bug with no stated awareness: T_aware = T_create (methodology, Awareness)."""
    return (created, "minute", "bug_created")


def reopened(b: dict[str, Any]) -> dict[str, Any]:
    """The bug without `cf_last_resolved`, resolved once on 04-02 and reopened before its final
    resolution, so T_resolved must come from the last status change to RESOLVED."""
    b["cf_last_resolved"] = None
    b["history"][:0] = [
        {"when": "2025-04-02T00:00:00Z", "who": RP, "changes": [
            {"field_name": "status", "removed": "ASSIGNED", "added": "RESOLVED"}]},
        {"when": "2025-04-02T12:00:00Z", "who": RP, "changes": [
            {"field_name": "status", "removed": "RESOLVED", "added": "REOPENED"}]},
    ]
    return b


NOT_APPLICABLE_NO_REPORT = (NA, "not_applicable", NONE, NO_REPORT)  # legacy, filed >= 2023-10-17

CASES: list[G] = [
    # --- the 72-hour rule at its limit (IRG 3.0, third party, awareness = filing) ----------------
    G("initial_exactly_72h_is_met",
      bug(2300001, "2025-04-01T10:00:00Z", [C("2025-04-04T10:00:00Z", CA, preliminary())],
          resolved="2025-04-05T10:00:00Z"),
      aware=tp_aware("2025-04-01T10:00:00Z"),
      response=(72.0, NA, 1),  # 04-04 10:00 - 04-01 10:00 = 3 d = 72 h
      initial=(72.0, "met", IRG3, NA, 1),  # 72 h <= 72 h: "exactly equal to the limit is met"
      full=(NA, "no_report", IRG3, NO_REPORT, NA),  # 04-01 10:00 + 14 d = 04-15 < as_of
      legacy=NOT_APPLICABLE_NO_REPORT,
      close=(4.0, NA, NA)),  # 04-01 10:00 -> 04-05 10:00; resolved: no trailing interval
    G("initial_72h_plus_1s_is_missed",
      bug(2300002, "2025-04-01T10:00:00Z", [C("2025-04-04T10:00:01Z", CA, preliminary())],
          resolved="2025-04-05T10:00:00Z"),
      aware=tp_aware("2025-04-01T10:00:00Z"),
      response=(72 + S_H, NA, 1),
      initial=(72 + S_H, "missed", IRG3, NA, 1),  # 72 h 1 s > 72 h
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT, close=(4.0, NA, NA)),
    G("initial_72h_minus_1s_is_met",
      bug(2300003, "2025-04-01T10:00:00Z", [C("2025-04-04T09:59:59Z", CA, preliminary())],
          resolved="2025-04-05T10:00:00Z"),
      aware=tp_aware("2025-04-01T10:00:00Z"),
      response=(72 - S_H, NA, 1),
      initial=(72 - S_H, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT, close=(4.0, NA, NA)),
    # --- day precision (self-filed, "Non-compliance identified date: 2025-04-10") ----------------
    G("day_precision_72h_from_start_of_day_is_met",
      bug(2300004, "2025-04-10T09:00:00Z",
          [C("2025-04-13T00:00:00Z", CA, preliminary("2025-04-10"))],
          by=CA, resolved="2025-04-14T00:00:00Z"),
      aware=("2025-04-10T00:00:00Z", "day", "report"),
      response=SELF,
      initial=(72.0, "met", IRG3, NA, 1),  # from the start of 04-10: 72 h, within the limit
      full=(NA, "no_report", IRG3, NO_REPORT, NA),  # 04-10 + 14 d = 04-24 < as_of
      legacy=NOT_APPLICABLE_NO_REPORT,
      close=(3.625, NA, NA)),  # 04-10 09:00 -> 04-14 00:00 = 3 d 15 h
    G("day_precision_straddling_the_limit_is_unknown",
      bug(2300005, "2025-04-10T09:00:00Z",
          [C("2025-04-13T12:00:00Z", CA, preliminary("2025-04-10"))],
          by=CA, resolved="2025-04-14T00:00:00Z"),
      aware=("2025-04-10T00:00:00Z", "day", "report"),
      response=SELF,
      # 84 h from the start of the day (> 72), 60 h from its end (04-11 00:00, <= 72)
      initial=(84.0, "unknown_awareness", IRG3, DAY_ONLY, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT, close=(3.625, NA, NA)),
    G("day_precision_exactly_72h_from_end_of_day_is_not_missed",
      bug(2300006, "2025-04-10T09:00:00Z",
          [C("2025-04-14T00:00:00Z", CA, preliminary("2025-04-10"))],
          by=CA, resolved="2025-04-15T00:00:00Z"),
      aware=("2025-04-10T00:00:00Z", "day", "report"),
      response=SELF,
      initial=(96.0, "unknown_awareness", IRG3, DAY_ONLY, 1),  # 72 h from 04-11 00:00: not > 72
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      close=(4.625, NA, NA)),  # 04-10 09:00 -> 04-15 00:00
    G("day_precision_1s_past_72h_from_end_of_day_is_missed",
      bug(2300007, "2025-04-10T09:00:00Z",
          [C("2025-04-14T00:00:01Z", CA, preliminary("2025-04-10"))],
          by=CA, resolved="2025-04-15T00:00:00Z"),
      aware=("2025-04-10T00:00:00Z", "day", "report"),
      response=SELF,
      initial=(96 + S_H, "missed", IRG3, NA, 1),  # 72 h 1 s even from the end of the day
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT, close=(4.625, NA, NA)),
    # --- third party with a day-precision statement: the day "ends" at T_create ------------------
    G("third_party_day_ends_at_filing_exactly_72h_is_unknown",
      bug(2300008, "2025-04-10T06:00:00Z",
          [C("2025-04-13T06:00:00Z", CA, preliminary("2025-04-10"))],
          resolved="2025-04-14T06:00:00Z"),
      aware=("2025-04-10T00:00:00Z", "day", "report"),  # A = 04-10 00:00 <= T_create
      response=(72.0, NA, 1),
      # 78 h from 04-10 00:00 (> 72); the CA knew by T_create 06:00 at the latest: 72 h, not > 72
      initial=(78.0, "unknown_awareness", IRG3, DAY_ONLY, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT, close=(4.0, NA, NA)),
    G("third_party_day_ends_at_filing_1s_more_is_missed",
      bug(2300009, "2025-04-10T06:00:00Z",
          [C("2025-04-13T06:00:01Z", CA, preliminary("2025-04-10"))],
          resolved="2025-04-14T06:00:00Z"),
      aware=("2025-04-10T00:00:00Z", "day", "report"),
      response=(72 + S_H, NA, 1),
      # 72 h 1 s from T_create (from the end of the day, 04-11 00:00, it would be 54 h: unknown)
      initial=(78 + S_H, "missed", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT, close=(4.0, NA, NA)),
    G("third_party_awareness_before_filing_is_used",
      bug(2300010, "2025-04-10T12:00:00Z",
          [C("2025-04-12T12:00:00Z", CA, preliminary("2025-04-09 12:00 UTC"))],
          resolved="2025-04-13T12:00:00Z"),
      aware=("2025-04-09T12:00:00Z", "minute", "report"),  # earlier of A and T_create
      response=(48.0, NA, 1),
      initial=(72.0, "met", IRG3, NA, 1),  # 04-09 12:00 -> 04-12 12:00
      full=(NA, "no_report", IRG3, NO_REPORT, NA),  # 04-09 12:00 + 14 d = 04-23 < as_of
      legacy=NOT_APPLICABLE_NO_REPORT, close=(3.0, NA, NA)),
    G("third_party_awareness_after_filing_is_capped_at_filing",
      bug(2300011, "2025-04-10T12:00:00Z",
          [C("2025-04-13T13:00:00Z", CA, preliminary("2025-04-11 08:00 UTC"))],
          resolved="2025-04-14T13:00:00Z"),
      aware=("2025-04-10T12:00:00Z", "minute", "bug_created"),  # A later than T_create
      response=(73.0, NA, 1),
      initial=(73.0, "missed", IRG3, NA, 1),  # from T_create; from A it would be 53 h (met)
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      close=(4 + 1 / 24, NA, NA)),  # 04-10 12:00 -> 04-14 13:00 = 4 d 1 h
    # --- plausibility of a stated awareness ------------------------------------------------------
    G("awareness_later_than_its_comment_is_discarded",
      bug(2300012, "2025-04-20T08:00:00Z", [
          C("2025-04-21T08:00:00Z", CA, preliminary("2025-04-21 09:00 UTC")),  # 1 h after posting
          C("2025-04-25T08:00:00Z", CA,
            full("2025-04-19 08:00 UTC: we became aware of the problem.")),
      ], by=CA, resolved="2025-04-26T08:00:00Z"),
      aware=("2025-04-19T08:00:00Z", "minute", "report"),  # the full report's timeline line
      response=SELF,
      initial=(48.0, "met", IRG3, NA, 1),  # 04-19 08:00 -> 04-21 08:00
      full=(6.0, "met", IRG3, NA, 2),  # 04-19 08:00 -> 04-25 08:00
      legacy=(5.0, "not_applicable", NONE, NA),  # T_create 04-20 08:00 -> 04-25 08:00
      close=(6.0, NA, NA)),
    G("awareness_exactly_730_days_before_filing_is_kept",
      bug(2300013, "2025-04-01T00:00:00Z",
          [C("2025-04-02T00:00:00Z", CA, preliminary("2023-04-02 00:00 UTC"))],
          by=CA, resolved="2025-04-03T00:00:00Z"),
      # 2025-04-01 - 730 d = 2023-04-02 (2024 has 29 February): not more than 730 days before
      aware=("2023-04-02T00:00:00Z", "minute", "report"),
      response=SELF,
      initial=(17544.0, "missed", IRG3, NA, 1),  # 2023-04-02 -> 2025-04-02 = 366 + 365 = 731 d
      full=(NA, "no_report", IRG3, NO_REPORT, NA),  # 2023-04-02 + 14 d long past
      legacy=NOT_APPLICABLE_NO_REPORT, close=(2.0, NA, NA)),
    G("awareness_more_than_730_days_before_filing_is_discarded",
      bug(2300014, "2025-04-01T00:00:00Z",
          [C("2025-04-02T00:00:00Z", CA, preliminary("2023-04-01 23:59 UTC"))],
          by=CA, resolved="2025-04-03T00:00:00Z"),
      aware=(NA, NA, "unknown"),  # one minute too early: discarded; self-filed without A
      response=SELF,
      initial=(NA, "unknown_awareness", IRG3, "awareness unknown", 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),  # clock from T_create: 04-15 < as_of
      legacy=NOT_APPLICABLE_NO_REPORT, close=(2.0, NA, NA)),
    # --- no report yet: deadline before, at and after as_of --------------------------------------
    G("initial_deadline_exactly_at_as_of_is_pending",
      bug(2300015, "2025-05-29T00:00:00Z"),
      aware=tp_aware("2025-05-29T00:00:00Z"),
      response=(NA, "no CA comment", NA),
      initial=(NA, "pending", IRG3, NO_REPORT, NA),  # 05-29 + 72 h = 06-01 00:00: not before as_of
      full=(NA, "pending", IRG3, NO_REPORT, NA),  # 05-29 + 14 d = 06-12
      legacy=NOT_APPLICABLE_NO_REPORT),  # no CA comment: no gap; cadence rule at E = as_of
    G("initial_deadline_1s_before_as_of_is_no_report",
      bug(2300016, "2025-05-28T23:59:59Z"),
      aware=tp_aware("2025-05-28T23:59:59Z"),
      response=(NA, "no CA comment", NA),
      initial=(NA, "no_report", IRG3, NO_REPORT, NA),  # 05-31 23:59:59 < as_of
      full=(NA, "pending", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT),
    G("initial_deadline_1s_after_as_of_is_pending",
      bug(2300017, "2025-05-29T00:00:01Z"),
      aware=tp_aware("2025-05-29T00:00:01Z"),
      response=(NA, "no CA comment", NA),
      initial=(NA, "pending", IRG3, NO_REPORT, NA),
      full=(NA, "pending", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT),
    G("full_deadline_exactly_at_as_of_is_pending",
      bug(2300018, "2025-05-18T00:00:00Z", [C("2025-05-18T12:00:00Z", CA, preliminary()),
                                             C("2025-05-24T12:00:00Z", CA),
                                             C("2025-05-30T12:00:00Z", CA)]),
      aware=tp_aware("2025-05-18T00:00:00Z"),
      response=(12.0, NA, 1),
      initial=(12.0, "met", IRG3, NA, 1),
      full=(NA, "pending", IRG3, NO_REPORT, NA),  # 05-18 + 14 d = 06-01 00:00 = as_of
      legacy=NOT_APPLICABLE_NO_REPORT),  # gaps 6 d, 6 d, trailing 1.5 d
    G("full_deadline_1s_before_as_of_is_no_report",
      bug(2300019, "2025-05-17T23:59:59Z", [C("2025-05-18T12:00:00Z", CA, preliminary()),
                                             C("2025-05-24T12:00:00Z", CA),
                                             C("2025-05-30T12:00:00Z", CA)]),
      aware=tp_aware("2025-05-17T23:59:59Z"),
      response=(12 + S_H, NA, 1),
      initial=(12 + S_H, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),  # 05-31 23:59:59 < as_of
      legacy=NOT_APPLICABLE_NO_REPORT),
    G("day_precision_no_report_deadline_counts_from_start_of_day",
      bug(2300020, "2025-05-28T20:00:00Z", by=CA,
          description="Update: we became aware of the problem on 2025-05-28."),
      aware=("2025-05-28T00:00:00Z", "day", "report"),  # stated in an update by the CA
      response=SELF,
      # 05-28 00:00 + 72 h = 05-31 < as_of (from the end of the day it would be 06-01 = as_of)
      initial=(NA, "no_report", IRG3, NO_REPORT, NA),
      full=(NA, "pending", IRG3, NO_REPORT, NA),  # 05-28 + 14 d = 06-11
      legacy=NOT_APPLICABLE_NO_REPORT),  # trailing 05-28 20:00 -> as_of = 3 d 4 h
    G("self_filed_unknown_awareness_without_report_counts_from_filing",
      bug(2300021, "2025-05-20T00:00:00Z", [C("2025-05-26T00:00:00Z", CA)], by=CA),
      aware=(NA, NA, "unknown"),
      response=SELF,
      initial=(NA, "no_report", IRG3, NO_REPORT, NA),  # T_create + 72 h = 05-23 < as_of
      full=(NA, "pending", IRG3, NO_REPORT, NA),  # 05-20 + 14 d = 06-03 > as_of
      legacy=NOT_APPLICABLE_NO_REPORT),  # gaps 6 d, trailing 6 d
    # --- rule effective dates: the second before and the first second ----------------------------
    G("filed_1s_before_irg_2_0",
      bug(2300022, "2023-10-16T23:59:59Z",
          [C("2023-10-18T23:59:59Z", CA, v2_report(ISSUED_1016))],
          resolved="2023-10-20T23:59:59Z"),
      aware=tp_aware("2023-10-16T23:59:59Z"),
      response=(48.0, NA, 1),
      initial=(48.0, "not_applicable", NONE, NA, 1),  # measured, but no 72-hour rule yet
      full=(2.0, "not_applicable", NONE, NA, 1),
      legacy=(2.0, "met", WIKI, NA),
      cadence=(0, NA, NA, IRG2),  # E = T_resolved 10-20: IRG 2.0 in force
      close=(4.0, NA, NA)),
    G("filed_at_irg_2_0_start",
      bug(2300023, "2023-10-17T00:00:00Z",
          [C("2023-10-19T00:00:00Z", CA, v2_report(ISSUED_1016))],
          resolved="2023-10-21T00:00:00Z"),
      aware=tp_aware("2023-10-17T00:00:00Z"),
      response=(48.0, NA, 1),
      initial=(48.0, "met", IRG2, NA, 1),
      full=(2.0, "met", IRG2, NA, 1),
      legacy=(2.0, "not_applicable", NONE, NA),
      cadence=(0, NA, NA, IRG2), close=(4.0, NA, NA)),
    G("filed_1s_before_irg_3_0",
      bug(2300024, "2025-02-28T23:59:59Z", [C("2025-03-01T23:59:59Z", CA, preliminary())],
          resolved="2025-03-02T23:59:59Z"),
      aware=tp_aware("2025-02-28T23:59:59Z"),
      response=(24.0, NA, 1),
      initial=(24.0, "met", IRG2, NA, 1),
      full=(NA, "no_report", IRG2, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      cadence=(0, NA, NA, IRG3),  # by the bug's creation 2.0, but E = 03-02 falls under 3.0
      close=(2.0, NA, NA)),
    G("filed_at_irg_3_0_start",
      bug(2300025, "2025-03-01T00:00:00Z", [C("2025-03-02T00:00:00Z", CA, preliminary())],
          resolved="2025-03-03T00:00:00Z"),
      aware=tp_aware("2025-03-01T00:00:00Z"),
      response=(24.0, NA, 1),
      initial=(24.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT, close=(2.0, NA, NA)),
    G("filed_1s_before_the_wiki_rule",
      bug(2300026, "2016-12-31T23:59:59Z", [C("2017-01-14T23:59:59Z", CA, legacy())],
          resolved="2017-02-01T00:00:00Z"),
      aware=tp_aware("2016-12-31T23:59:59Z"),
      response=(336.0, NA, 1),  # 14 d
      initial=(336.0, "not_applicable", NONE, NA, 1),
      full=(14.0, "not_applicable", NONE, NA, 1),
      legacy=(14.0, "not_applicable", NONE, NA),  # the wiki measure starts 2017-01-01
      cadence=(0, NA, NA, NONE),  # E = 2017-02-01: no weekly-update rule yet
      close=(31 + S_D, NA, NA)),  # 2016-12-31 23:59:59 -> 2017-02-01 00:00
    G("wiki_full_report_after_exactly_14_days_is_met",
      bug(2300027, "2017-01-01T00:00:00Z", [C("2017-01-15T00:00:00Z", CA, legacy())],
          resolved="2017-02-01T00:00:00Z"),
      aware=tp_aware("2017-01-01T00:00:00Z"),
      response=(336.0, NA, 1),
      initial=(336.0, "not_applicable", NONE, NA, 1),
      full=(14.0, "not_applicable", NONE, NA, 1),
      legacy=(14.0, "met", WIKI, NA),
      cadence=(0, NA, NA, NONE), close=(31.0, NA, NA)),
    G("wiki_full_report_1s_after_14_days_is_missed",
      bug(2300028, "2017-01-01T00:00:00Z", [C("2017-01-15T00:00:01Z", CA, legacy())],
          resolved="2017-02-01T00:00:00Z"),
      aware=tp_aware("2017-01-01T00:00:00Z"),
      response=(336 + S_H, NA, 1),
      initial=(336 + S_H, "not_applicable", NONE, NA, 1),
      full=(14 + S_D, "not_applicable", NONE, NA, 1),
      legacy=(14 + S_D, "missed", WIKI, NA),
      cadence=(0, NA, NA, NONE), close=(31.0, NA, NA)),
    G("wiki_deadline_exactly_at_as_of_is_pending",
      bug(2300029, "2023-10-06T00:00:00Z", [C("2023-10-06T12:00:00Z", CA),
                                             C("2023-10-13T00:00:00Z", CA)]),
      as_of=AS_OF_2023,
      aware=tp_aware("2023-10-06T00:00:00Z"),
      response=(12.0, NA, 1),
      initial=(NA, "not_applicable", NONE, NO_REPORT, NA),
      full=(NA, "not_applicable", NONE, NO_REPORT, NA),
      legacy=(NA, "pending", WIKI, NO_REPORT),  # 10-06 + 14 d = 10-20 00:00 = as_of
      # gap 6.5 d; trailing 10-13 -> as_of 10-20 = exactly 7 d (not more); E = as_of: IRG 2.0
      cadence=(0, NA, NA, IRG2)),
    G("wiki_deadline_1s_before_as_of_is_no_report",
      bug(2300030, "2023-10-05T23:59:59Z", [C("2023-10-06T12:00:00Z", CA),
                                             C("2023-10-12T23:59:59Z", CA)]),
      as_of=AS_OF_2023,
      aware=tp_aware("2023-10-05T23:59:59Z"),
      response=(12 + S_H, NA, 1),
      initial=(NA, "not_applicable", NONE, NO_REPORT, NA),
      full=(NA, "not_applicable", NONE, NO_REPORT, NA),
      legacy=(NA, "no_report", WIKI, NO_REPORT),  # 10-19 23:59:59 < as_of
      # trailing 10-12 23:59:59 -> as_of = 7 d 1 s: counted; no comment ends it, so the
      # evidence is the comment that starts it; IRG 1.0 at its start, IRG 2.0 at E
      cadence=(1, 7 + S_D, 2, IRG2),
      gaps=(("2023-10-12T23:59:59Z", AS_OF_2023, IRG1, 2),)),
    # --- the 14-day rule -------------------------------------------------------------------------
    G("full_exactly_14_days_is_met",
      bug(2300031, "2025-04-01T00:00:00Z", [C("2025-04-08T00:00:00Z", CA),
                                             C("2025-04-14T12:00:00Z", CA, full())],
          by=CA, description=preliminary("2025-03-31 12:00 UTC"), resolved="2025-04-15T00:00:00Z"),
      aware=("2025-03-31T12:00:00Z", "minute", "report"),
      response=SELF,
      initial=(12.0, "met", IRG3, NA, 0),  # comment 0 is the preliminary report
      full=(14.0, "met", IRG3, NA, 2),  # 03-31 12:00 -> 04-14 12:00
      legacy=(13.5, "not_applicable", NONE, NA),  # from T_create 04-01 00:00
      # 04-01 -> 04-08 exactly 7 d (not more than 7), 04-08 -> 04-14 12:00 6.5 d
      close=(14.0, NA, NA)),
    G("full_14_days_plus_1s_is_missed",
      bug(2300032, "2025-04-01T00:00:00Z", [C("2025-04-08T00:00:01Z", CA),
                                             C("2025-04-14T12:00:01Z", CA, full())],
          by=CA, description=preliminary("2025-03-31 12:00 UTC"), resolved="2025-04-15T00:00:00Z"),
      aware=("2025-03-31T12:00:00Z", "minute", "report"),
      response=SELF,
      initial=(12.0, "met", IRG3, NA, 0),
      full=(14 + S_D, "missed", IRG3, NA, 2),
      legacy=(13.5 + S_D, "not_applicable", NONE, NA),
      cadence=(1, 7 + S_D, 1, IRG3),  # 04-01 00:00 -> 04-08 00:00:01, ended by comment 1
      gaps=(("2025-04-01T00:00:00Z", "2025-04-08T00:00:01Z", IRG3, 1),),
      close=(14.0, NA, NA)),
    G("full_day_precision_straddling_14_days_is_unknown",
      bug(2300033, "2025-04-02T00:00:00Z", [C("2025-04-09T00:00:00Z", CA),
                                             C("2025-04-15T12:00:00Z", CA, full())],
          by=CA, description=preliminary("2025-04-01"), resolved="2025-04-16T00:00:00Z"),
      aware=("2025-04-01T00:00:00Z", "day", "report"),
      response=SELF,
      initial=(24.0, "met", IRG3, NA, 0),  # 04-01 00:00 -> 04-02 00:00
      # 14.5 d from the start of 04-01 (> 14), 13.5 d from its end (<= 14)
      full=(14.5, "unknown_awareness", IRG3, DAY_ONLY, 2),
      legacy=(13.5, "not_applicable", NONE, NA),
      close=(14.0, NA, NA)),
    G("self_filed_without_stated_awareness",
      bug(2300034, "2025-04-05T00:00:00Z", [C("2025-04-10T00:00:00Z", CA, full())],
          by=CA, description=preliminary(), resolved="2025-04-11T00:00:00Z"),
      aware=(NA, NA, "unknown"),
      response=SELF,
      initial=(NA, "unknown_awareness", IRG3, "awareness unknown", 0),
      full=(NA, "unknown_awareness", IRG3, "awareness unknown", 1),
      legacy=(5.0, "not_applicable", NONE, NA),
      close=(6.0, NA, NA)),
    # --- zones and daylight saving time (US change: 2025-03-09 02:00 local) ----------------------
    G("pacific_time_before_the_dst_change_is_utc_minus_8",
      bug(2300035, "2025-03-10T00:00:00Z",
          [C("2025-03-12T04:00:00Z", CA, preliminary("2025-03-08 20:00 PT"))],
          by=CA, resolved="2025-03-13T00:00:00Z"),
      aware=("2025-03-09T04:00:00Z", "minute", "report"),  # 20:00 PST + 8 h
      response=SELF,
      initial=(72.0, "met", IRG3, NA, 1),  # read as PDT (03:00Z) it would be 73 h
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT, close=(3.0, NA, NA)),
    G("pacific_time_after_the_dst_change_is_utc_minus_7",
      bug(2300036, "2025-03-10T12:00:00Z",
          [C("2025-03-13T03:00:01Z", CA, preliminary("2025-03-09 20:00 PT"))],
          by=CA, resolved="2025-03-14T00:00:00Z"),
      aware=("2025-03-10T03:00:00Z", "minute", "report"),  # 20:00 PDT + 7 h
      response=SELF,
      initial=(72 + S_H, "missed", IRG3, NA, 1),  # read as PST (04:00Z) it would be 71 h 1 s
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      close=(3.5, NA, NA)),  # 03-10 12:00 -> 03-14 00:00
    G("report_zone_applies_to_a_timeline_line_without_zone",
      bug(2300037, "2025-04-03T00:00:00Z", [C("2025-04-05T08:00:01Z", CA, full(
          "2025-04-02 09:00 We became aware of the issue.", zone_line="All times are CET."))],
          by=CA, resolved="2025-04-06T00:00:00Z"),
      aware=("2025-04-02T08:00:00Z", "minute", "report"),  # 09:00 CET (UTC+1)
      response=SELF,
      initial=(72 + S_H, "missed", IRG3, NA, 1),  # read as UTC it would be 71 h 1 s (met)
      full=(3 + S_D, "met", IRG3, NA, 1),
      legacy=(2 + 1 / 3 + S_D, "not_applicable", NONE, NA),  # 04-03 00:00 -> 04-05 08:00:01
      close=(3.0, NA, NA)),
    G("report_zone_applies_to_time_only_lines",
      bug(2300038, "2025-04-03T00:00:00Z", [C("2025-04-05T08:00:00Z", CA, v2_report(
          "2025-04-02:\n- 01:00 We became aware of the problem.", zone_line="Times are Pacific."))],
          by=CA, resolved="2025-04-06T00:00:00Z"),
      aware=("2025-04-02T08:00:00Z", "minute", "report"),  # 01:00 PDT (UTC-7) on 04-02
      response=SELF,
      initial=(72.0, "met", IRG3, NA, 1),  # read as UTC (01:00Z) it would be 79 h (missed)
      full=(3.0, "met", IRG3, NA, 1),
      legacy=(2 + 1 / 3, "not_applicable", NONE, NA),
      close=(3.0, NA, NA)),
    G("ambiguous_slash_date_defaults_to_month_first",
      bug(2300039, "2025-04-06T00:00:00Z",
          [C("2025-04-08T00:00:00Z", CA, preliminary("04/05/2025"))],
          by=CA, resolved="2025-04-09T00:00:00Z"),
      # April 5 (read day-first, 4 May would be after the comment and discarded)
      aware=("2025-04-05T00:00:00Z", "day", "report"),
      response=SELF,
      initial=(72.0, "met", IRG3, NA, 1),  # from the start of 04-05
      full=(NA, "no_report", IRG3, NO_REPORT, NA),  # 04-05 + 14 d = 04-19 < as_of
      legacy=NOT_APPLICABLE_NO_REPORT, close=(3.0, NA, NA)),
    G("day_month_order_from_the_reports_other_dates",
      bug(2300040, "2025-05-05T00:00:00Z", [C("2025-05-07T09:00:00Z", CA, full(
          "13/04/2025 10:00 UTC: a certificate was issued.\n"
          "04/05/2025 09:00 UTC: we became aware of the problem."))],
          by=CA, resolved="2025-05-08T00:00:00Z"),
      aware=("2025-05-04T09:00:00Z", "minute", "report"),  # 13/04 makes "/" day-first: 4 May
      response=SELF,
      initial=(72.0, "met", IRG3, NA, 1),  # 05-04 09:00 -> 05-07 09:00
      full=(3.0, "met", IRG3, NA, 1),
      legacy=(2.375, "not_applicable", NONE, NA),  # 05-05 00:00 -> 05-07 09:00 = 2 d 9 h
      close=(3.0, NA, NA)),
    G("legacy_how_aware_date_is_day_precision",
      bug(2300041, "2022-06-10T00:00:00Z",
          [C("2022-06-20T00:00:00Z", CA,
             legacy("On 2022-06-09 we received an e-mail from a researcher."))],
          resolved="2022-06-25T00:00:00Z"),
      aware=("2022-06-09T00:00:00Z", "day", "report"),
      response=(240.0, NA, 1),  # 10 d
      initial=(264.0, "not_applicable", NONE, NA, 1),  # 11 d from the start of 06-09
      full=(11.0, "not_applicable", NONE, NA, 1),
      legacy=(10.0, "met", WIKI, NA),  # from T_create
      cadence=(0, NA, NA, NONE), close=(15.0, NA, NA)),
    G("private_comments_are_not_seen",
      bug(2300042, "2025-04-01T00:00:00Z", [
          C("2025-04-01T06:00:00Z", CA, preliminary(), private=True),
          C("2025-04-04T06:00:00Z", CA, preliminary()),
      ], resolved="2025-04-05T00:00:00Z"),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(78.0, NA, 2),  # the private comment 1 does not count
      initial=(78.0, "missed", IRG3, NA, 2),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT, close=(4.0, NA, NA)),
    # --- questions -------------------------------------------------------------------------------
    G("question_answered_after_exactly_7_days_is_on_time",
      bug(2300043, "2025-04-01T00:00:00Z", [
          C("2025-04-02T00:00:00Z", CA, preliminary()),
          C("2025-04-02T00:00:00Z", RP, "Why did the linter miss this field?"),
          C("2025-04-09T00:00:00Z", CA),
      ], resolved="2025-04-10T00:00:00Z"),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(24.0, NA, 1),
      initial=(24.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      questions=(1, 0, 0, 7.0, 2, IRG3),  # answered by comment 3 after exactly 7 d
      close=(9.0, NA, NA)),  # CA gap 04-02 -> 04-09 exactly 7 d: not counted
    G("question_answered_after_7_days_and_1s_is_late",
      bug(2300044, "2025-04-01T00:00:00Z", [
          C("2025-04-02T00:00:00Z", CA, preliminary()),
          C("2025-04-02T00:00:00Z", RP, "Why did the linter miss this field?"),
          C("2025-04-09T00:00:01Z", CA),
      ], resolved="2025-04-10T00:00:00Z"),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(24.0, NA, 1),
      initial=(24.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      questions=(1, 1, 0, 7 + S_D, 2, IRG3),
      cadence=(1, 7 + S_D, 3, IRG3),  # the CA gap 04-02 -> 04-09 00:00:01 too
      close=(9.0, NA, NA)),
    G("unanswered_question_ages_to_resolution_exactly_7_days",
      bug(2300045, "2025-04-01T00:00:00Z", [
          C("2025-04-01T06:00:00Z", CA, preliminary()),
          C("2025-04-03T00:00:00Z", RP, "Which subordinate CAs are affected?"),
      ], resolved="2025-04-10T00:00:00Z"),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(6.0, NA, 1),
      initial=(6.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      questions=(1, 0, 1, 7.0, 2, IRG3),  # no later CA comment: 04-03 -> T_resolved 04-10
      close=(9.0, NA, NA)),
    G("unanswered_question_ages_to_resolution_7_days_and_1s",
      bug(2300046, "2025-04-01T00:00:00Z", [
          C("2025-04-01T06:00:00Z", CA, preliminary()),
          C("2025-04-03T00:00:00Z", RP, "Which subordinate CAs are affected?"),
      ], resolved="2025-04-10T00:00:01Z"),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(6.0, NA, 1),
      initial=(6.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      questions=(1, 1, 1, 7 + S_D, 2, IRG3),
      close=(9 + S_D, NA, NA)),
    G("question_after_resolution_waits_zero_days",
      bug(2300047, "2025-04-01T00:00:00Z", [
          C("2025-04-01T06:00:00Z", CA, preliminary()),
          C("2025-04-20T00:00:00Z", RP, "Was the root cause confirmed?"),
      ], resolved="2025-04-05T00:00:00Z"),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(6.0, NA, 1),
      initial=(6.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      questions=(1, 0, 1, 0.0, 2, IRG3),  # resolved before it was asked: age 0
      close=(4.0, NA, NA)),
    G("open_question_ages_to_as_of_exactly_7_days",
      bug(2300048, "2025-05-20T00:00:00Z", [
          C("2025-05-20T06:00:00Z", CA, preliminary()),
          C("2025-05-25T00:00:00Z", RP, "When will the fix ship?"),
      ]),
      aware=tp_aware("2025-05-20T00:00:00Z"),
      response=(6.0, NA, 1),
      initial=(6.0, "met", IRG3, NA, 1),
      full=(NA, "pending", IRG3, NO_REPORT, NA),  # 05-20 + 14 d = 06-03 > as_of
      legacy=NOT_APPLICABLE_NO_REPORT,
      questions=(1, 0, 1, 7.0, 2, IRG3),  # 05-25 -> as_of
      # trailing 05-20 06:00 -> as_of = 11 d 18 h; evidence: comment 1, which starts it
      cadence=(1, 11.75, 1, IRG3),
      gaps=(("2025-05-20T06:00:00Z", AS_OF, IRG3, 1),)),
    G("open_question_ages_to_as_of_7_days_and_1s",
      bug(2300049, "2025-05-20T00:00:00Z", [
          C("2025-05-20T06:00:00Z", CA, preliminary()),
          C("2025-05-24T23:59:59Z", RP, "When will the fix ship?"),
      ]),
      aware=tp_aware("2025-05-20T00:00:00Z"),
      response=(6.0, NA, 1),
      initial=(6.0, "met", IRG3, NA, 1),
      full=(NA, "pending", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      questions=(1, 1, 1, 7 + S_D, 2, IRG3),
      cadence=(1, 11.75, 1, IRG3)),
    G("quoted_lines_urls_bots_the_ca_and_private_comments_ask_nothing",
      bug(2300050, "2025-04-01T00:00:00Z", [
          C("2025-04-01T06:00:00Z", CA, preliminary()),
          C("2025-04-01T07:00:00Z", RP, "> Is this the only affected profile?\nThanks, clear."),
          C("2025-04-01T08:00:00Z", TP, "  > an indented quote?\n\t> a tab-indented one?\n"
                                        "Details at https://example.com/faq?id=3 for readers."),
          C("2025-04-01T09:00:00Z", BOT, "Is this bug still open?"),
          C("2025-04-01T10:00:00Z", CA, "Did you mean the second log?"),
          C("2025-04-01T11:00:00Z", RP, "Any news on the audit?", private=True),
      ], description="Is this certificate misissued?", resolved="2025-04-03T00:00:00Z"),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(6.0, NA, 1),
      initial=(6.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      questions=NO_Q,  # comment 0, quotes, a URL's "?", a bot, the CA, a private comment
      close=(2.0, NA, NA)),
    G("question_rule_follows_the_time_it_was_asked",
      bug(2300051, "2023-10-10T00:00:00Z", [
          C("2023-10-11T00:00:00Z", CA, v2_report(ISSUED_1009)),
          C("2023-10-16T23:59:59Z", RP, "Why was the check skipped?"),
          C("2023-10-30T00:00:00Z", CA),
          C("2023-10-30T00:00:00Z", RP, "Is the new check deployed everywhere?"),
          C("2023-11-08T00:00:00Z", CA),
      ], resolved="2023-11-09T00:00:00Z"),
      aware=tp_aware("2023-10-10T00:00:00Z"),
      response=(24.0, NA, 1),
      initial=(24.0, "not_applicable", NONE, NA, 1),
      full=(1.0, "not_applicable", NONE, NA, 1),
      legacy=(1.0, "met", WIKI, NA),
      # comment 2 (no rule yet) waited 13 d 1 s for comment 3: not late; comment 4 (IRG 2.0)
      # waited 9 d for comment 5: late; the bug's rule is its latest question's
      questions=(2, 1, 0, 13 + S_D, 2, IRG2),
      question_rows=((2, 3, 13 + S_D, False, NONE), (4, 5, 9.0, True, IRG2)),
      # CA comments 10-11, 10-30 (19 d, from 2023-10-11: IRG 1.0), 11-08 (9 d, IRG 2.0)
      cadence=(2, 19.0, 3, IRG2),
      gaps=(("2023-10-11T00:00:00Z", "2023-10-30T00:00:00Z", IRG1, 3),
            ("2023-10-30T00:00:00Z", "2023-11-08T00:00:00Z", IRG2, 5)),
      close=(30.0, NA, NA)),
    # --- update cadence --------------------------------------------------------------------------
    G("gap_starting_1s_before_weekly_updates_is_not_counted",
      bug(2300052, "2023-04-20T00:00:00Z", [C("2023-05-01T23:59:59Z", CA),
                                             C("2023-05-20T00:00:00Z", CA),
                                             C("2023-05-30T00:00:00Z", CA)],
          resolved="2023-06-01T00:00:00Z"),
      aware=tp_aware("2023-04-20T00:00:00Z"),
      response=(288 - S_H, NA, 1),  # 11 d 23:59:59
      initial=(NA, "not_applicable", NONE, NO_REPORT, NA),
      full=(NA, "not_applicable", NONE, NO_REPORT, NA),
      legacy=(NA, "no_report", WIKI, NO_REPORT),  # 04-20 + 14 d = 05-04 < as_of
      # 05-01 23:59:59 -> 05-20 (18 d 1 s) began before 2023-05-02; 05-20 -> 05-30 10 d counts
      cadence=(1, 10.0, 3, IRG1),
      gaps=(("2023-05-20T00:00:00Z", "2023-05-30T00:00:00Z", IRG1, 3),),
      close=(42.0, NA, NA)),  # 04-20 -> 06-01: 30 + 12 d
    G("gap_starting_when_weekly_updates_begin_is_counted",
      bug(2300053, "2023-04-20T00:00:00Z", [C("2023-05-02T00:00:00Z", CA),
                                             C("2023-05-20T00:00:00Z", CA),
                                             C("2023-05-30T00:00:00Z", CA)],
          resolved="2023-06-01T00:00:00Z"),
      aware=tp_aware("2023-04-20T00:00:00Z"),
      response=(288.0, NA, 1),
      initial=(NA, "not_applicable", NONE, NO_REPORT, NA),
      full=(NA, "not_applicable", NONE, NO_REPORT, NA),
      legacy=(NA, "no_report", WIKI, NO_REPORT),
      cadence=(2, 18.0, 2, IRG1),
      gaps=(("2023-05-02T00:00:00Z", "2023-05-20T00:00:00Z", IRG1, 2),
            ("2023-05-20T00:00:00Z", "2023-05-30T00:00:00Z", IRG1, 3)),
      close=(42.0, NA, NA)),
    G("gap_ending_exactly_at_end_of_next_update_day_is_covered",
      bug(2300054, "2025-04-01T00:00:00Z", [C("2025-04-01T12:00:00Z", CA, preliminary()),
                                             C("2025-04-16T00:00:00Z", CA)],
          whiteboard_changes=[("2025-04-02T00:00:00Z", "[ca-compliance] Next update 2025-04-15")],
          resolved="2025-04-17T00:00:00Z"),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(12.0, NA, 1),
      initial=(12.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      # gap 04-01 12:00 -> 04-16 00:00 (14.5 d) ends at the end of 04-15: covered
      # the promise: the comment at exactly 04-16 00:00 is not before the end of the day; no
      # change or resolution before it; due before as_of: missed
      promises=(("2025-04-02T00:00:00Z", "2025-04-15", "missed", NA),),
      close=(16.0, NA, NA)),
    G("gap_ending_1s_after_end_of_next_update_day_counts",
      bug(2300055, "2025-04-01T00:00:00Z", [C("2025-04-01T12:00:00Z", CA, preliminary()),
                                             C("2025-04-16T00:00:01Z", CA)],
          whiteboard_changes=[("2025-04-02T00:00:00Z", "[ca-compliance] Next update 2025-04-15")],
          resolved="2025-04-17T00:00:00Z"),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(12.0, NA, 1),
      initial=(12.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      cadence=(1, 14.5 + S_D, 2, IRG3),
      promises=(("2025-04-02T00:00:00Z", "2025-04-15", "missed", NA),),
      close=(16.0, NA, NA)),
    G("close_on_notice_covers_the_trailing_interval",
      bug(2300056, "2025-04-01T00:00:00Z", [C("2025-04-01T12:00:00Z", CA, preliminary())],
          whiteboard_changes=[("2025-04-05T00:00:00Z", "[ca-compliance] [close on 2025-04-20]")]),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(12.0, NA, 1),
      initial=(12.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT),  # trailing 60.5 d, excused from 04-05 on: no gap
    G("whiteboard_value_set_at_the_gap_end_does_not_cover_it",
      bug(2300057, "2025-04-01T00:00:00Z", [C("2025-04-01T12:00:00Z", CA, preliminary()),
                                             C("2025-04-10T12:00:00Z", CA),
                                             C("2025-04-18T00:00:00Z", CA)],
          whiteboard_changes=[("2025-04-10T12:00:00Z", "[ca-compliance] Next update 2025-04-20")],
          resolved="2025-04-19T00:00:00Z"),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(12.0, NA, 1),
      initial=(12.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      # 04-01 12:00 -> 04-10 12:00 (9 d): the value starts at the gap's end, outside the open
      # interval: counted. 04-10 12:00 -> 04-18 (7.5 d): ends before the end of 04-20: covered
      cadence=(1, 9.0, 2, IRG3),
      # set 04-10 12:00; comment 2 in the same second is not after it; comment 3 keeps it
      promises=(("2025-04-10T12:00:00Z", "2025-04-20", "kept", 3),),
      close=(18.0, NA, NA)),
    # --- Next update promises --------------------------------------------------------------------
    G("ca_comment_in_the_same_second_as_the_promise_does_not_keep_it",
      bug(2300058, "2025-04-01T00:00:00Z", [C("2025-04-01T12:00:00Z", CA, preliminary()),
                                             C("2025-04-03T00:00:00Z", CA),
                                             C("2025-04-06T00:00:00Z", CA)],
          whiteboard_changes=[("2025-04-03T00:00:00Z", "[ca-compliance] Next update 2025-04-05")],
          resolved="2025-04-07T00:00:00Z"),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(12.0, NA, 1),
      initial=(12.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      # comment 2: same second as the change (not after); comment 3: exactly at the end of
      # 04-05 (not before it); nothing withdrew it: missed
      promises=(("2025-04-03T00:00:00Z", "2025-04-05", "missed", NA),),
      close=(6.0, NA, NA)),
    G("date_changed_before_due_withdraws_and_exactly_at_due_does_not",
      bug(2300059, "2025-04-01T00:00:00Z", [C("2025-04-01T12:00:00Z", CA, preliminary()),
                                             C("2025-04-11T00:00:00Z", CA)],
          whiteboard_changes=[
              ("2025-04-02T00:00:00Z", "[ca-compliance] Next update 2025-04-04"),
              ("2025-04-04T23:59:59Z", "[ca-compliance] Next update 2025-04-08"),
              ("2025-04-09T00:00:00Z", "[ca-compliance] Next update 2025-04-12"),
          ], resolved="2025-04-13T00:00:00Z"),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(12.0, NA, 1),
      initial=(12.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      promises=(
          # due 04-05 00:00, replaced at 04-04 23:59:59, no CA comment before: withdrawn
          ("2025-04-02T00:00:00Z", "2025-04-04", "withdrawn", NA),
          # due 04-09 00:00, replaced at exactly 04-09 00:00 (not before the end of the day)
          ("2025-04-04T23:59:59Z", "2025-04-08", "missed", NA),
          ("2025-04-09T00:00:00Z", "2025-04-12", "kept", 2),
      ),
      # gap 04-01 12:00 -> 04-11 (9.5 d): "Next update 2025-04-12", held from 04-09, covers it
      close=(12.0, NA, NA)),
    G("resolution_before_the_end_of_the_day_withdraws_the_promise",
      bug(2300060, "2025-04-01T00:00:00Z", [C("2025-04-01T12:00:00Z", CA, preliminary())],
          whiteboard_changes=[("2025-04-02T00:00:00Z", "[ca-compliance] Next update 2025-04-10")],
          resolved="2025-04-10T23:59:59Z"),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(12.0, NA, 1),
      initial=(12.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      promises=(("2025-04-02T00:00:00Z", "2025-04-10", "withdrawn", NA),),
      close=(10 - S_D, NA, NA)),
    G("resolution_exactly_at_due_does_not_withdraw",
      bug(2300061, "2025-04-01T00:00:00Z", [C("2025-04-01T12:00:00Z", CA, preliminary())],
          whiteboard_changes=[("2025-04-02T00:00:00Z", "[ca-compliance] Next update 2025-04-10")],
          resolved="2025-04-11T00:00:00Z"),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(12.0, NA, 1),
      initial=(12.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      promises=(("2025-04-02T00:00:00Z", "2025-04-10", "missed", NA),),
      close=(10.0, NA, NA)),
    G("promise_due_exactly_at_as_of_is_missed",
      bug(2300062, "2025-05-20T00:00:00Z", [C("2025-05-20T12:00:00Z", CA, preliminary())],
          whiteboard_changes=[("2025-05-21T00:00:00Z", "[ca-compliance] Next update 2025-05-31")]),
      aware=tp_aware("2025-05-20T00:00:00Z"),
      response=(12.0, NA, 1),
      initial=(12.0, "met", IRG3, NA, 1),
      full=(NA, "pending", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      # due 06-01 00:00 = as_of: not after as_of. The trailing 11.5 d ends at as_of, no later
      # than the end of 05-31: covered
      promises=(("2025-05-21T00:00:00Z", "2025-05-31", "missed", NA),)),
    G("promise_due_after_as_of_is_pending",
      bug(2300063, "2025-05-20T00:00:00Z", [C("2025-05-20T12:00:00Z", CA, preliminary())],
          whiteboard_changes=[("2025-05-21T00:00:00Z", "[ca-compliance] Next update 2025-06-01")]),
      aware=tp_aware("2025-05-20T00:00:00Z"),
      response=(12.0, NA, 1),
      initial=(12.0, "met", IRG3, NA, 1),
      full=(NA, "pending", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      promises=(("2025-05-21T00:00:00Z", "2025-06-01", "pending", NA),)),
    G("promise_at_filing_tag_edit_and_the_same_date_set_again",
      bug(2300064, "2025-04-01T00:00:00Z", [C("2025-04-02T12:00:00Z", CA, preliminary()),
                                             C("2025-04-12T00:00:00Z", CA)],
          whiteboard="[ca-compliance] Next update 2025-04-03",
          whiteboard_changes=[
              ("2025-04-02T00:00:00Z", TAGS + " Next update 2025-04-03"),
              ("2025-04-03T00:00:00Z", TAGS + " Next update 2025-04-10"),
              ("2025-04-04T00:00:00Z", TAGS),
              ("2025-04-06T00:00:00Z", TAGS + " Next update 2025-04-10"),
          ], resolved="2025-04-13T00:00:00Z"),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(36.0, NA, 1),
      initial=(36.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      promises=(
          # present at filing (the first change's "removed"); the tag edit keeps the date;
          # comment 1 (04-02 12:00) comes before the end of 04-03
          ("2025-04-01T00:00:00Z", "2025-04-03", "kept", 1),
          # removed 04-04, before the end of 04-10, with no CA comment in between
          ("2025-04-03T00:00:00Z", "2025-04-10", "withdrawn", NA),
          # the same date set again is a new promise; comment 2 (04-12) is too late
          ("2025-04-06T00:00:00Z", "2025-04-10", "missed", NA),
      ),
      # 04-02 12:00 -> 04-12 (9.5 d): no value held then allows 04-12 (ends 04-04, 04-11, 04-11)
      cadence=(1, 9.5, 2, IRG3),
      close=(12.0, NA, NA)),
    # --- closure and time to close ---------------------------------------------------------------
    G("closure_summary_ends_observation_of_an_open_bug",
      bug(2300065, "2025-04-01T00:00:00Z", [C("2025-04-01T12:00:00Z", CA, preliminary()),
                                             C("2025-04-05T00:00:00Z", CA, full()),
                                             C("2025-04-08T00:00:00Z", CA, CLOSURE),
                                             C("2025-04-30T00:00:00Z", CA)]),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(12.0, NA, 1),
      initial=(12.0, "met", IRG3, NA, 1),
      full=(4.0, "met", IRG3, NA, 2),
      legacy=(4.0, "not_applicable", NONE, NA),
      # E = T_closure 04-08: the 22 d up to comment 4 and the trailing interval are not observed
      close=(NA, NA, 3)),
    G("closure_then_resolution",
      bug(2300066, "2025-04-01T00:00:00Z", [C("2025-04-01T12:00:00Z", CA, preliminary()),
                                             C("2025-04-05T00:00:00Z", CA, full()),
                                             C("2025-04-08T00:00:00Z", CA, CLOSURE)],
          resolved="2025-04-10T00:00:00Z"),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(12.0, NA, 1),
      initial=(12.0, "met", IRG3, NA, 1),
      full=(4.0, "met", IRG3, NA, 2),
      legacy=(4.0, "not_applicable", NONE, NA),
      close=(9.0, 2.0, 3)),  # 04-01 -> 04-10; 04-08 -> 04-10
    G("gap_ended_by_the_closure_summary_counts",
      bug(2300070, "2025-04-01T00:00:00Z", [C("2025-04-01T12:00:00Z", CA, preliminary()),
                                             C("2025-04-10T12:00:00Z", CA, CLOSURE)]),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(12.0, NA, 1),
      initial=(12.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      # E = T_closure 04-10 12:00; the closure summary itself is observed (time <= E): 9 d gap
      cadence=(1, 9.0, 2, IRG3),
      close=(NA, NA, 2)),
    G("next_update_value_ending_at_the_gap_start_does_not_cover_it",
      bug(2300071, "2025-04-01T00:00:00Z", [C("2025-04-01T12:00:00Z", CA, preliminary()),
                                             C("2025-04-05T00:00:00Z", CA),
                                             C("2025-04-14T00:00:00Z", CA)],
          whiteboard_changes=[("2025-04-02T00:00:00Z", "[ca-compliance] Next update 2025-04-20"),
                              ("2025-04-05T00:00:00Z", "[ca-compliance]")],
          resolved="2025-04-15T00:00:00Z"),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(12.0, NA, 1),
      initial=(12.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      # 04-05 -> 04-14 (9 d): the Next update value was held 04-02 .. 04-05, ending exactly where
      # the gap starts, so not during it: counted
      cadence=(1, 9.0, 3, IRG3),
      promises=(("2025-04-02T00:00:00Z", "2025-04-20", "kept", 2),),  # comment 2 on 04-05
      close=(14.0, NA, NA)),
    G("resolution_time_from_history_when_cf_last_resolved_is_missing",
      reopened(bug(2300072, "2025-04-01T00:00:00Z",
                   [C("2025-04-01T12:00:00Z", CA, preliminary())],
                   resolved="2025-04-03T00:00:00Z")),
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(12.0, NA, 1),
      initial=(12.0, "met", IRG3, NA, 1),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT,
      close=(2.0, NA, NA)),  # resolved 04-02, reopened, resolved 04-03: the last one counts
    # --- excluded bugs (measured all the same with include_excluded) -----------------------------
    G("meta_wins_over_duplicate",
      bug(2300067, "2025-04-01T00:00:00Z", summary="[meta] Quillfeather: tracking bug",
          resolved="2025-04-02T00:00:00Z", resolution="DUPLICATE"),
      excluded="meta",
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(NA, "no CA comment", NA),
      initial=(NA, "no_report", IRG3, NO_REPORT, NA),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT, close=(1.0, NA, NA)),
    G("duplicate_is_excluded",
      bug(2300068, "2025-04-01T00:00:00Z", resolved="2025-04-02T00:00:00Z",
          resolution="DUPLICATE"),
      excluded="duplicate",
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(NA, "no CA comment", NA),
      initial=(NA, "no_report", IRG3, NO_REPORT, NA),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT, close=(1.0, NA, NA)),
    G("invalid_is_excluded",
      bug(2300069, "2025-04-01T00:00:00Z", resolved="2025-04-02T00:00:00Z",
          resolution="INVALID"),
      excluded="invalid",
      aware=tp_aware("2025-04-01T00:00:00Z"),
      response=(NA, "no CA comment", NA),
      initial=(NA, "no_report", IRG3, NO_REPORT, NA),
      full=(NA, "no_report", IRG3, NO_REPORT, NA),
      legacy=NOT_APPLICABLE_NO_REPORT, close=(1.0, NA, NA)),
]


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    """One snapshot per as-of time, every golden bug of that time in it."""
    out = {}
    for as_of in sorted({c.as_of for c in CASES}):
        path = tmp_path_factory.mktemp("golden") / "golden.sqlite"
        out[as_of] = measure_bugs(path, [c.bug for c in CASES if c.as_of == as_of], as_of)
    return out


def _row(frame: pd.DataFrame, bug_id: int) -> pd.Series:
    rows = frame.loc[(frame["bug_id"] == bug_id).to_numpy()]
    assert len(rows) == 1, f"bug {bug_id}: {len(rows)} incident rows"
    return rows.iloc[0]


def _expected(case: G) -> dict[str, Any]:
    """Column -> hand-worked value (comments as numbers: see `comment_of`)."""
    r_hours, r_reason, r_comment = case.response
    i_hours, i_status, i_rule, i_reason, i_comment = case.initial
    f_days, f_status, f_rule, f_reason, f_comment = case.full
    l_days, l_status, l_rule, l_reason = case.legacy
    q_n, q_late, q_open, q_worst, q_comment, q_rule = case.questions
    c_n, c_worst, c_comment, c_rule = case.cadence
    close_days, closure_days, closure_comment = case.close
    statuses = Counter(p[2] for p in case.promises)
    a_time, a_precision, a_source = case.aware
    return {
        "ca": CA_OWNER, "self_filed": case.self_filed, "excluded": case.excluded,
        "aware_time": ts(a_time) if a_time is not NA else NA, "aware_precision": a_precision,
        "aware_source": a_source,
        "response_hours": r_hours, "response_reason": r_reason, "response_evidence": r_comment,
        "initial_report_hours": i_hours, "initial_report_status": i_status,
        "initial_report_rule": i_rule, "initial_report_reason": i_reason,
        "initial_report_evidence": i_comment,
        "full_report_days": f_days, "full_report_status": f_status, "full_report_rule": f_rule,
        "full_report_reason": f_reason, "full_report_evidence": f_comment,
        "legacy_full_report_days": l_days, "legacy_full_report_status": l_status,
        "legacy_full_report_rule": l_rule, "legacy_full_report_reason": l_reason,
        "legacy_full_report_evidence": f_comment,
        "questions": q_n, "questions_late": q_late, "questions_unanswered": q_open,
        "question_worst_gap_days": q_worst, "question_worst_evidence": q_comment,
        "questions_rule": q_rule,
        "cadence_gaps_over_7d": c_n, "cadence_worst_gap_days": c_worst,
        "cadence_evidence": c_comment, "cadence_rule": c_rule,
        "next_updates_set": len(case.promises), "next_updates_kept": statuses["kept"],
        "next_updates_missed": statuses["missed"], "next_updates_pending": statuses["pending"],
        "next_updates_withdrawn": statuses["withdrawn"],
        "days_to_close": close_days, "closure_to_close_days": closure_days,
        "closure_evidence": closure_comment,
    }


def test_there_are_at_least_40_golden_cases_with_distinct_bugs():
    assert len(CASES) >= 40
    assert len({c.bug_id for c in CASES}) == len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_incident(case: G, measured) -> None:
    result = measured[case.as_of]
    row = _row(result.incidents, case.bug_id)
    wrong = {}
    for column, expected in _expected(case).items():
        actual = row[column]
        if column.endswith("_evidence"):
            actual = comment_of(actual, case.bug_id)
        if not same(actual, expected):
            wrong[column] = (actual, expected)
    assert not wrong, "column: (actual, expected by hand)\n" + "\n".join(
        f"  {k}: {v}" for k, v in wrong.items())


@pytest.mark.parametrize("case", [c for c in CASES if c.promises or c.gaps is not None
                                  or c.question_rows is not None],
                         ids=lambda c: c.name)
def test_golden_rows(case: G, measured) -> None:
    """The per-promise, per-gap and per-question rows behind the counts."""
    result = measured[case.as_of]
    mine = {name: frame.loc[(frame["bug_id"] == case.bug_id).to_numpy()]
            for name, frame in (("promises", result.promises), ("gaps", result.update_gaps),
                                ("questions", result.questions))}
    promises = [(r.set_time, r.next_update, r.status, comment_of(r.evidence, case.bug_id))
                for r in mine["promises"].itertuples()]
    assert promises == [(ts(s), ts(d), status, kept) if kept is not NA
                        else (ts(s), ts(d), status, NA) for s, d, status, kept in case.promises]
    if case.gaps is not None:
        gaps = [(r.start, r.end, r.rule, comment_of(r.evidence, case.bug_id))
                for r in mine["gaps"].itertuples()]
        assert gaps == [(ts(s), ts(e), rule, n) for s, e, rule, n in case.gaps]
    if case.question_rows is not None:
        rows = [(int(r.count), int(r.answer_count), r.gap_days, bool(r.late), r.rule)
                for r in mine["questions"].itertuples()]
        assert [r[:2] for r in rows] == [q[:2] for q in case.question_rows]
        for got, want in zip(rows, case.question_rows, strict=True):
            assert same(got[2], want[2]) and got[3:] == want[3:], (got, want)


def test_excluded_bugs_leave_the_default_tables(tmp_path):
    """Without include_excluded the meta, duplicate and invalid bugs are not rows at all."""
    from bzanalytics.snapshot.frames import open_snapshot

    excluded = [c for c in CASES if c.excluded is not NA]
    kept = next(c for c in CASES if c.name == "initial_exactly_72h_is_met")
    measure_bugs(tmp_path / "s.sqlite", [c.bug for c in [*excluded, kept]], AS_OF)
    with open_snapshot(tmp_path / "s.sqlite") as snap:
        assert snap.incidents()["bug_id"].tolist() == [kept.bug_id]
