"""Phenomena the hand-labelled real development set showed (bench/real/), each rewritten here in
new words for fictional CAs, with the value a careful reader gives it. One test per phenomenon
and, for every window or threshold, a case on each side."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bzanalytics import parse_report
from bzanalytics.parse.awareness import INFERRED_WINDOW, STATED_WINDOW
from bzanalytics.parse.dates import DateContext, parse_datetime


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_legacy_questions_rendered_as_bullets_are_headings() -> None:
    text = ("- How your CA first became aware of the problem (e.g. via a problem report), and "
            "the time and date.\n"
            "Example Trust was told by its auditor of a possible delay on July 3rd, 2020.\n"
            "- A timeline of the actions your CA took in response.\n"
            "The auditor's letter was forwarded to the compliance team.\n"
            "- Whether your CA has stopped, or has not yet stopped, issuing certificates with "
            "the problem.\nNot applicable.\n"
            "- Timeline\nthis short bullet stays a field of the section above\n")
    r = parse_report(text, utc(2020, 7, 6), utc(2020, 7, 6))
    assert (r.kind, r.template) == ("legacy", "legacy")
    assert r.section_names == ("how_aware", "timeline", "stopped_issuance")
    assert "stays a field" in r.sections[2].text
    # "was told" is no awareness word, but the answer to the question still dates it
    assert r.awareness is None or r.awareness.time == utc(2020, 7, 3)


def test_informed_in_the_first_answer() -> None:
    text = ("1. How your CA first became aware of the problem\n"
            "Example Trust were informed by the auditors of a delay on June 5th, 2020. The "
            "report was due on Monday 29th of June 2020.\n2. Timeline\n2020-06-05 letter\n")
    r = parse_report(text, utc(2020, 6, 8), utc(2020, 6, 8))
    assert r.awareness is not None and r.awareness.time == utc(2020, 6, 5)


def test_a_date_in_the_first_answer_that_is_not_the_awareness() -> None:
    # the answer names the bug that told the CA; its only date is a rule's effective date
    text = ("1. How your CA first became aware of the problem\n"
            "A forum member opened this bug pointing out that our CPS still listed a method "
            "that was retired when the BRs changed on 2020-09-22.\n"
            "2. A timeline of the actions your CA took in response.\n"
            "2020-09-22 The BRs drop the method.\n")
    r = parse_report(text, utc(2021, 4, 30), utc(2021, 4, 28))
    assert (r.kind, r.template) == ("legacy", "legacy")
    assert r.awareness is None


def test_inferred_awareness_window_before_the_bug() -> None:
    created = utc(2021, 4, 29)
    inside = created - INFERRED_WINDOW + timedelta(days=1)
    outside = created - INFERRED_WINDOW - timedelta(days=1)

    def report(day: datetime) -> str:
        return ("1. How your CA first became aware of the problem\n"
                "We already knew of it; it started some time ago.\n"
                "2. A timeline of the actions your CA took in response.\n"
                f"{day:%Y-%m-%d} we detected a profile problem and opened a ticket\n")

    near = parse_report(report(inside), created, created)
    assert near.awareness is not None and near.awareness.time == inside
    assert parse_report(report(outside), created, created).awareness is None
    # a stated answer may lie further back (late disclosure), up to two years
    stated = ("1. How your CA first became aware of the problem\n"
              f"We became aware of it on {outside:%Y-%m-%d}.\n2. Timeline\n")
    r = parse_report(stated, created, created)
    assert r.awareness is not None and r.awareness.time == outside
    too_old = created - STATED_WINDOW - timedelta(days=1)
    stated = stated.replace(f"{outside:%Y-%m-%d}", f"{too_old:%Y-%m-%d}")
    assert parse_report(stated, created, created).awareness is None


def test_time_stamp_on_its_own_line_above_the_event() -> None:
    text = ("## Preliminary Incident Report\n### Summary\n"
            "- **Incident description:** two certificates had a bad AIA URL.\n"
            "Preliminary timeline:\n"
            "  • 2025-05-08 12:22\n    • Request received from our RA\n"
            "  • 2025-05-08 20:58 UTC\n    • Our nightly lint run flagged the AIA error\n")
    r = parse_report(text, utc(2025, 5, 9), utc(2025, 5, 9))
    assert r.awareness is not None
    assert (r.awareness.time, r.awareness.precision) == (utc(2025, 5, 8, 20, 58), "minute")


def test_a_first_notice_that_says_when_we_learnt_of_it() -> None:
    text = ("Our team received a problem report on Tuesday March 14 at 9:41pm Pacific; the "
            "affected certificate was revoked within a day.")
    r = parse_report(text, utc(2023, 3, 17), utc(2023, 3, 15, 5, 30))
    assert (r.kind, r.template) == ("preliminary", None)
    # 14 March 2023 was a Tuesday (PDT since 12 March); 21:41 PDT is 04:41 UTC the next day
    assert r.awareness is not None and r.awareness.time == utc(2023, 3, 15, 4, 41)
    # a third party's notes, or a notice without a date, stay no report
    assert parse_report("I noticed on 2017-09-08 that the CA issued these.", None,
                        None).kind is None
    assert parse_report("We received the report and are investigating it.", None,
                        None).kind is None
    # a date after the comment cannot be when the CA learnt of it
    later = "We received the report on 2017-09-20 and are investigating it."
    assert parse_report(later, utc(2017, 9, 11), utc(2017, 9, 9)).kind is None


def test_titles_no_template_has() -> None:
    draft = ("Draft Incident Report\nSummary\n- CA Owner CCADB unique ID: A000123\n"
             "- Incident description: a CPS typo.\n")
    assert (parse_report(draft).kind, parse_report(draft).template) == ("full", "ccadb-v3")
    initial = "Initial Incident Report\nOn 2025-01-30 at 15:11 we noticed a short audit period."
    r = parse_report(initial, utc(2025, 1, 31), utc(2025, 1, 31))
    assert (r.kind, r.template) == ("preliminary", None)


def test_v3_identified_date_with_an_approximate_time() -> None:
    text = ("Full Incident Report\nSummary\n- Timeline summary:\n"
            "- Non-compliance identified date: 2026-07-01 (~22:00 UTC)\n"
            "- Relevant policies: TLS BR 2.2\nImpact\nTimeline\nRoot Cause Analysis\n")
    r = parse_report(text, utc(2026, 7, 3), utc(2026, 7, 2))
    assert r.awareness is not None
    assert (r.awareness.time, r.awareness.precision) == (utc(2026, 7, 1, 22, 0), "minute")
    na = text.replace("2026-07-01 (~22:00 UTC)", "N/A (an audit recommendation, 2026-07-01)")
    assert parse_report(na, utc(2026, 7, 3), utc(2026, 7, 2)).awareness is None


def test_date_forms_from_the_real_set() -> None:
    ref = DateContext(ref=utc(2020, 6, 26))
    cases = [
        ("Feb 3-5, 2019 - we met the auditor", DateContext(), utc(2019, 2, 3), "day"),
        ("to be done by 09:30 (UTC) March the 11th 2024.", DateContext(), utc(2024, 3, 11, 9, 30),
         "minute"),
        ("2026-07-01 at approx. 22:00 UTC", DateContext(), utc(2026, 7, 1, 22, 0), "minute"),
        # a year-less date whose weekday settles the year: 24 June 2020 was a Wednesday
        ("Wednesday 24th June 12:59 UTC", ref, utc(2020, 6, 24, 12, 59), "minute"),
        # a weekday that fits neither of the two last years: the latest year, as without one
        ("Tuesday 24th June", ref, utc(2020, 6, 24), "day"),
        # a range without a year does not swallow the time after it
        ("Sep 16 – 10:05 UTC issued", DateContext(ref=utc(2024, 9, 20)),
         utc(2024, 9, 16, 10, 5), "minute"),
    ]
    for line, ctx, expected, precision in cases:
        p = parse_datetime(line, ctx)
        assert p is not None, line
        assert (p.time, p.precision) == (expected, precision), line


def test_unknown_awareness_says_why() -> None:
    posted, created = utc(2021, 9, 10), utc(2021, 9, 1)

    def legacy(answer: str) -> str:
        return ("1. How your CA first became aware of the problem\n" + answer +
                "\n2. A timeline of the actions your CA took in response.\nNone yet.\n")

    month = parse_report(legacy("We became aware of the delay during August."), posted, created)
    assert (month.awareness, month.awareness_unknown) == (None, "month only")
    rel = parse_report(legacy("We were notified the following day."), posted, created)
    assert (rel.awareness, rel.awareness_unknown) == (None, "relative")
    none = parse_report(legacy("Through this bug."), posted, created)
    assert (none.awareness, none.awareness_unknown) == (None, "not stated")
    late = parse_report(legacy("We became aware of it on 2021-09-12."), posted, created)
    assert (late.awareness, late.awareness_unknown) == (None, "stated after the comment")
    old = parse_report(legacy("We became aware of it on 2018-01-02."), posted, created)
    assert (old.awareness, old.awareness_unknown) == (None, "long before the bug was filed")
    na = parse_report("Full Incident Report\nSummary\n- Non-compliance identified date: N/A\n"
                      "Impact\nTimeline\nRoot Cause Analysis\n", posted, created)
    assert (na.awareness, na.awareness_unknown) == (None, "identified date not applicable")
    found = parse_report(legacy("We became aware of it on 2021-08-30."), posted, created)
    assert found.awareness is not None and found.awareness_unknown is None
    assert parse_report("Thanks!", posted, created).awareness_unknown is None


def test_preliminary_title_before_v3_existed_is_a_plain_phrase() -> None:
    free = ("Preliminary Incident Report\nSummary\nThis is a preliminary incident report. Example "
            "Trust's OCSP answered 'unknown' for two certificates.\n")
    before = utc(2024, 2, 9)  # v3 did not exist yet
    r = parse_report(free, before, before)
    assert (r.kind, r.template) == ("preliminary", None)
    v2_body = free + ("Impact\nTwo certificates.\nTimeline\n2024-02-08:\n- 05:03 E-mail from a "
                      "researcher\nRoot Cause Analysis\nStill open.\nAction Items\nNone yet.\n")
    r = parse_report(v2_body, before, before)
    assert (r.kind, r.template) == ("preliminary", "ccadb-v2")
    after = utc(2025, 3, 2)  # v3 in force: the title names the template
    assert parse_report(free, after, after).template == "ccadb-v3"
    # the v3 draft existed from 2024-11-14: v3 fields then make it v3; before, they cannot
    fields = ("Preliminary Incident Report\n- Incident description: a bad OU.\n"
              "- Relevant policies: TLS BR\n- Source of incident disclosure: Self Reported\n")
    assert parse_report(fields, utc(2024, 11, 20), None).template == "ccadb-v3"
    assert parse_report(fields, utc(2024, 11, 10), None).template is None


def test_incident_report_title_over_legacy_questions_before_v2() -> None:
    text = ("Incident Report – delayed revocation\n"
            "1. How your CA first became aware of the problem\nThrough our own earlier bug.\n"
            "2. A timeline of the actions your CA took in response.\n"
            "06-July-2020: bug filed.\n07-July-2020: Impacted customers were notified.\n")
    r = parse_report(text, utc(2020, 7, 9), utc(2020, 7, 9))
    assert (r.kind, r.template) == ("legacy", "legacy")
    # telling the customers is not becoming aware
    assert (r.awareness, r.awareness_unknown) == (None, "not stated")
    # the same title after v2 existed is the v2 template's
    v2 = "Incident Report\nSummary\nx\nImpact\ny\nTimeline\nz\nRoot Cause Analysis\nw\n"
    assert parse_report(v2, utc(2024, 1, 2), None).template == "ccadb-v2"


def test_title_with_a_subtitle() -> None:
    text = ("Full Incident Report - Audit Finding #7 - Change management\nSummary\n-\n"
            "CA Owner CCADB unique ID: A000999\n-\nIncident description: changes were not "
            "logged.\n-\nRelevant policies:\n-\nETSI EN 319 401\n")
    r = parse_report(text, utc(2025, 8, 15), utc(2025, 8, 15))
    assert (r.kind, r.template) == ("full", "ccadb-v3")
    # a bullet with a title's words is still a field
    bullet = "- Preliminary Incident Report: see comment 3\nWe are still investigating it."
    assert parse_report(bullet, utc(2025, 8, 15), None).kind is None


def test_one_echoed_legacy_question_is_a_report() -> None:
    text = ("  1. How your CA first became aware of the problem (e.g. via a problem report "
            "submitted to your Problem Reporting Mechanism), and the time and date.\n"
            "On 2023-08-30 10:31 MT Example Trust reported the incident in another bug.\n")
    r = parse_report(text, None, utc(2023, 9, 5))
    assert (r.kind, r.template) == ("legacy", "legacy")
    # MT in August is MDT, UTC-6
    assert r.awareness is not None and r.awareness.time == utc(2023, 8, 30, 16, 31)
    # a short label alone is not enough
    assert parse_report("Root cause\nA typo in the profile.", None, None).kind is None


def test_inferred_awareness_at_most_a_day_after_the_filing() -> None:
    created = utc(2024, 8, 26, 12, 0)

    def report(t: datetime) -> str:
        return ("Incident Report\nSummary\nA PEM CRL.\nImpact\nNone.\nTimeline\nAll times are "
                f"UTC.\n{t:%Y-%m-%d %H:%M} - Next review; the incident identified.\n"
                "Root Cause Analysis\nA script.\n")

    inside = created + timedelta(hours=23)
    r = parse_report(report(inside), None, created)
    assert r.awareness is not None and r.awareness.time == inside
    r = parse_report(report(created + timedelta(hours=25)), None, created)
    assert (r.awareness, r.awareness_unknown) == (None, "after the bug was filed")


def test_undated_awareness_line_takes_the_day_of_the_entry_above() -> None:
    text = ("1. How your CA first became aware of the problem\n"
            "Example Trust became aware of this when checking the certificate after issuance.\n"
            "2. A timeline of the actions your CA took in response.\n"
            "2021-06-08, 10:12 (CEST): The certificate was issued.\n\n"
            "The content check right after issuance identified the wrong value.\n\n"
            "2021-06-08, 11:05: We revoked the certificate.\n")
    r = parse_report(text, utc(2021, 6, 10), utc(2021, 6, 10))
    assert r.awareness is not None
    assert (r.awareness.time, r.awareness.precision) == (utc(2021, 6, 8), "day")


def test_undated_awareness_sentence_matched_to_the_dated_line_sharing_its_words() -> None:
    text = ("Incident Report\nTwo intermediates were disclosed the wrong way.\n"
            "We were first notified by an e-mail message from Jo Tester to our compliance "
            "inbox.\n"
            "Sep 16, 2024 – 10:05 UTC Intermediate certificates issued.\n"
            "Sep 25, 2024 – 11:33 UTC – Jo Tester sends an e-mail message to our compliance "
            "inbox.\n"
            "Sep 26, 2024 – 09:52 UTC – Support forwards the message to the PKI team.\n"
            "Root Cause Analysis\nA vague procedure.\nLessons Learned\nWhat went well\nx\n")
    r = parse_report(text, None, utc(2024, 9, 28))
    assert r.awareness is not None and r.awareness.time == utc(2024, 9, 25, 11, 33)
    # one shared word is not enough
    lone = text.replace("Jo Tester sends an e-mail message to our compliance inbox",
                        "Jo asks a question elsewhere")
    lone = lone.replace("Support forwards the message to the PKI team", "Support replies")
    assert parse_report(lone, None, utc(2024, 9, 28)).awareness is None


def test_a_late_self_description_as_a_preliminary_report() -> None:
    text = ("While scanning our certificates we found 74 with a wrong field.\n" + "More. " * 150
            + "\nThe other incidents delayed posting this preliminary report.")
    assert len(text) > 600
    assert parse_report(text, None, None).kind == "preliminary"
    far = ("While scanning we found 74 with a wrong field.\n" + "More. " * 800
           + "\nThe other incidents delayed posting this preliminary report.")
    assert parse_report(far, None, None).kind is None


def test_awareness_words_seen_in_real_reports() -> None:
    cases = [
        "1. How your CA first became aware\nWe became fully aware of it on 2019-11-21.\n"
        "2. Timeline\n",
        "Incident Report\nOn 2025-01-30 at 15:11 we were surprised to discover a short audit "
        "period.\nImpact\nx\nTimeline\ny\nRoot Cause Analysis\nz\n",
        "Incident Report\nSummary\nx\nImpact\ny\nTimeline\n2023-2-6 09:20 MST: Received a "
        "colleague's message pointing out the gap.\nRoot Cause Analysis\nz\n",
    ]
    days = [utc(2019, 11, 21), utc(2025, 1, 30), utc(2023, 2, 6)]
    for text, day in zip(cases, days, strict=True):
        r = parse_report(text, None, day + timedelta(days=2))
        assert r.awareness is not None, text
        assert r.awareness.time.date() == day.date(), text


def test_bare_preliminary_report_title_counts_only_over_v3_fields() -> None:
    # A 2025 preliminary report titled without "Incident", its v3 fields written as headings
    v3 = ("Preliminary Report\n\nExample Trust opens this to ask whether a test name with a "
          "zero-width label breaks a rule.\n\nSummary\n\nDescription\n\nOne certificate for "
          "www.example.com carries the label.\n\nRelevant policies\n\nRFC 5280, Section 7.2\n")
    r = parse_report(v3, utc(2025, 5, 14), utc(2025, 5, 14))
    assert (r.kind, r.template, r.section_names) == ("preliminary", "ccadb-v3", ("summary",))
    # the same heading over legacy answers (no v3 field): the answers decide, as before
    legacy = ("Preliminary Report\n"
              "1. How your CA first became aware of the problem\n"
              "Example Trust's linter flagged one certificate on 2021-03-02.\n"
              "2. A timeline of the actions your CA took in response\n"
              "2021-03-02 10:00 UTC the certificate was revoked\n")
    r = parse_report(legacy, utc(2021, 3, 4), utc(2021, 3, 4))
    assert (r.kind, r.template) == ("legacy", "legacy")
    # and before v3 existed the v3 words alone do not make it a title
    early = v3.replace("Preliminary Report\n\nExample", "Preliminary Report\n\nIncident "
                       "description: Example")
    r = parse_report(early, utc(2024, 5, 14), utc(2024, 5, 14))
    assert r.template != "ccadb-v3"


def test_v2_titled_report_that_promises_the_full_report_for_later() -> None:
    text = ("Incident Report\n\nOverview of the first notice\n\nExample Trust has not yet "
            "listed a new intermediate in the CCADB; the listing is under way.\n\n"
            "We will post the final report once the review is done, within ten days.\n")
    r = parse_report(text, utc(2024, 6, 21), utc(2024, 6, 21))
    assert (r.kind, r.template) == ("preliminary", "ccadb-v2")
    later = text.replace("We will post the final report once the review is done, within ten "
                         "days.", "A complete report will be published after the review.")
    assert parse_report(later, utc(2024, 6, 21), utc(2024, 6, 21)).kind == "preliminary"
    # a full report that only mentions an earlier full report stays full
    done = text.replace("We will post the final report once the review is done, within ten "
                        "days.", "This is the full report; the preliminary one was posted "
                        "last week.")
    assert parse_report(done, utc(2024, 6, 21), utc(2024, 6, 21)).kind == "full"
    # with the v2 body (three sections, one of them Impact or later) the title keeps it full
    body = text + "\nImpact\n\nNone.\n\nRoot Cause Analysis\n\nA missed step.\n\nAction Items\n"
    assert parse_report(body, utc(2024, 6, 21), utc(2024, 6, 21)).kind == "full"
