"""Report kind, template era, sections, timeline and awareness on hand-written comments of every
era, in raw Markdown and with the markers gone (observed-formats.md). CAs are fictional."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bzanalytics import parse_report

POSTED = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
CREATED = datetime(2025, 3, 5, 9, 0, tzinfo=UTC)
V3_SECTIONS = ("summary", "impact", "timeline", "related_incidents", "root_cause_analysis",
               "lessons_learned", "action_items", "appendix")

V3_FULL_MD = """## Full Incident Report
### Summary
- **CA Owner CCADB unique ID:** A123456
- **Incident description:** Example Trust issued 4 certificates with a bad OU.
- **Timeline summary:**
   - **Non-compliance start date:** 2025-02-01
   - **Non-compliance identified date:** 2025-03-04 at 08:30 UTC
   - **Non-compliance end date:** 2025-03-05
- **Relevant policies:** TLS BR 7.1.2
- **Source of incident disclosure:** Self-reported.
### Impact
- **Total number of certificates:** 4
### Timeline
All times are UTC.
2025-03-04:
- 08:30 Internal review identified the problem
- 09:10 Issuance stopped
### Related Incidents
| Bug | Date | Description |
|---|---|---|
### Root Cause Analysis
**Contributing Factor #1: profile**
- **Description:** an old profile.
- **Timeline:** since 2024.
### Lessons Learned
- **What went well:** quick fix
- **What didn’t go well:** linting
### Action Items
| Action Item | Kind | Corresponding Root Cause(s) | Evaluation Criteria | Due Date | Status |
|---|---|---|---|---|---|
| Lint | Prevent | #1 | test | 2025-04-01 | Ongoing |
### Appendix
N/A
"""

V3_FULL_PLAIN = """Full Incident Report
Summary
CA Owner CCADB unique ID:
A123456
-
Incident description:
Example Trust issued 4 certificates with a bad OU.
-
Non-compliance identified date:
2025-03-04
-
Source of incident disclosure:
Third Party Reported
Impact
• Total number of certificates: 4
Timeline
2025-03-04 10:15 UTC - We received the report via our problem reporting mechanism.
2025-03-04 11:00 UTC - Issuance stopped
Related Incidents
Bug Date Description
Root Cause Analysis
Contributing Factor #1: profile
Timeline:
since 2024
-
Lessons Learned
What went well:
quick fix
-
Action Items
Action Item Kind Due Date
Appendix
N/A
"""


def test_v3_full_markdown() -> None:
    r = parse_report(V3_FULL_MD, POSTED, CREATED)
    assert (r.kind, r.template) == ("full", "ccadb-v3")
    assert r.section_names == V3_SECTIONS
    assert r.completeness == 1.0
    assert r.ccadb_id == "A123456"
    assert r.disclosure_source == "self"
    assert r.awareness is not None
    assert (r.awareness.time, r.awareness.precision) == (
        datetime(2025, 3, 4, 8, 30, tzinfo=UTC), "minute")
    assert [(e.time.hour, e.time.minute) for e in r.timeline] == [(8, 30), (9, 10)]
    assert r.sections[2].text.startswith("All times are UTC.")


def test_v3_full_plain_text_sharpens_a_day_with_the_timeline_minute() -> None:
    r = parse_report(V3_FULL_PLAIN, POSTED, CREATED)
    assert (r.kind, r.template) == ("full", "ccadb-v3")
    assert r.section_names == V3_SECTIONS  # "Timeline:" inside the RCA is a field
    assert (r.ccadb_id, r.disclosure_source) == ("A123456", "third_party")
    assert r.awareness is not None
    assert (r.awareness.time, r.awareness.precision) == (
        datetime(2025, 3, 4, 10, 15, tzinfo=UTC), "minute")


def test_v3_preliminary_fields_and_free_text() -> None:
    fields = ("## Preliminary Incident Report\n### Summary\n- **Incident description:** On "
              "2025-03-04 we became aware of a bad OU.\n- **Relevant policies:** TLS BR\n"
              "- **Source of incident disclosure:** Audit")
    r = parse_report(fields, POSTED, CREATED)
    assert (r.kind, r.template, r.section_names) == ("preliminary", "ccadb-v3", ("summary",))
    assert r.disclosure_source == "audit"
    assert r.awareness is not None and r.awareness.precision == "day"
    free = "PRELIMINARY INCIDENT REPORT\nSUMMARY:\nWe are still looking into it."
    r = parse_report(free, POSTED, CREATED)
    assert (r.kind, r.template, r.section_names) == ("preliminary", "ccadb-v3", ("summary",))


def test_closure_both_spellings() -> None:
    for title in ("### Report Closure Summary", "Incident Report Closure Summary"):
        r = parse_report(f"{title}\n- **Incident description:** x\n- **Incident Root Cause(s):** "
                         "y\nAll Action Items disclosed in this report have been completed as "
                         "described, and we request its closure.", POSTED, CREATED)
        assert (r.kind, r.template, r.section_names) == ("closure", "ccadb-v3",
                                                         ("closure_summary",))
        assert r.completeness == 1.0


V2_SECTIONS = ("summary", "impact", "timeline", "root_cause_analysis", "lessons_learned",
               "what_went_well", "what_didnt_go_well", "where_we_got_lucky", "action_items")


def test_v2_full_markdown_caps_and_numbered() -> None:
    md = ("## Incident Report\n### Summary\nx\n### Impact\ny\n### Timeline\n"
          "- 2024-02-01 10:00 UTC: our quality assurance team discovered the issue\n"
          "### Root Cause Analysis\nz\n### Lessons Learned\n#### What went well\na\n"
          "#### What didn’t go well\nb\n#### Where we got lucky\nc\n### Action Items\n"
          "| Action Item | Kind | Due Date |\n|---|---|---|\n| Fix | Prevent | 2024-03-01 |\n")
    caps = ("INCIDENT REPORT -\nSUMMARY -\nx\nIMPACT -\ny\nTIMELINE -\n"
            "2024-02-01 10:00 UTC: our quality assurance team discovered the issue\n"
            "ROOT CAUSE ANALYSIS -\nz\nLESSONS LEARNED -\nWHAT WENT WELL -\na\n"
            "WHAT DIDN'T GO WELL -\nb\nWHERE WE GOT LUCKY -\nc\nACTION ITEMS -\nFix Prevent\n")
    numbered = ("Incident Report\n1. Summary\nx\n2. Impact\ny\n3. Timeline\n"
                "2024-02-01 10:00 UTC: our quality assurance team discovered the issue\n"
                "4. Root Cause Analysis\nz\n5. Lessons Learned\nWhat went well\na\n"
                "What didn't go well\nb\nWhere we got lucky\nc\n6. Action Items\nFix\n"
                "7. Appendix\nnone\n")
    for text, sections in ((md, V2_SECTIONS), (caps, V2_SECTIONS),
                           (numbered, (*V2_SECTIONS, "appendix"))):
        r = parse_report(text, datetime(2024, 2, 5, tzinfo=UTC), datetime(2024, 2, 2, tzinfo=UTC))
        assert (r.kind, r.template) == ("full", "ccadb-v2")
        assert r.section_names == sections
        assert r.awareness is not None
        assert r.awareness.time == datetime(2024, 2, 1, 10, 0, tzinfo=UTC)
    assert parse_report(md).completeness == 6 / 7
    assert parse_report(md).missing_sections == ("appendix",)


def test_audit_reports_v1_and_v2() -> None:
    v1 = ("Audit Incident Report\n\n1. Issue #1\n2. Issue Description: Finding 1: late CRL.\n"
          "3. Root Cause of Issue: a cron job.\n4. Remediation Plan for this Issue: a monitor.\n\n"
          "1. Issue #2\n2. Issue Description: Finding 2: x.\n3. Root Cause of Issue: y.\n"
          "4. Remediation Plan for this Issue: z.")
    r = parse_report(v1)
    assert (r.kind, r.template) == ("audit", "legacy")
    assert r.section_names == ("issue_number", "issue_description", "root_cause",
                               "remediation_plan")
    assert r.sections[1].text == "Finding 1: late CRL."
    v2 = ("## Audit Incident Report\n### Finding #1\nFinding 1: x.\n### Root Cause Analysis\ny\n"
          "### Action Items\n| a | b | c |\n### Finding #2\nFinding 2: x.\n"
          "### Root Cause Analysis\ny\n### Action Items\nz")
    r = parse_report(v2)
    assert (r.kind, r.template) == ("audit", "ccadb-v2")
    assert r.section_names == ("finding", "root_cause_analysis", "action_items") * 2
    assert r.completeness == 1.0


Q1 = ("How your CA first became aware of the problem (e.g. via a problem report submitted to "
      "your Problem Reporting Mechanism, a discussion in mozilla.dev.security.policy, a Bugzilla "
      "bug, or internal self-audit), and the time and date.")
Q6 = ("Explanation about how and why the mistakes were made or bugs introduced, and how they "
      "avoided detection until now.")
Q7 = ("List of steps your CA is taking to resolve the situation and ensure such issuance will "
      "not be repeated in the future, accompanied with a binding timeline of when your CA "
      "expects to accomplish each of these remediation steps.")
LEGACY = f"""User Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0

Steps to reproduce:

**1. {Q1}**

On Sat 5/11/2019 8:36 PM we received the report via our problem reporting mechanism.

1. A timeline of the actions your CA took in response.

All times are Pacific.
Sat 5/11/2019 8:36 PM: report received
Monday 5/13/2019: certificates revoked

1. Whether your CA has stopped issuing certificates with the problem.

Yes.

4 & 5. Summary and complete certificate data

3 certificates, https://crt.sh/?id=1

1. {Q6}

A bad profile.

1. {Q7}

Linting.

Actual results:

See above.
"""


def test_legacy_seven_topics_with_boilerplate_merged_items_and_pacific_time() -> None:
    r = parse_report(LEGACY, datetime(2019, 5, 14, tzinfo=UTC),
                     datetime(2019, 5, 12, tzinfo=UTC))
    assert (r.kind, r.template) == ("legacy", "legacy")
    assert r.section_names == ("how_aware", "timeline", "stopped_issuance",
                               "certificate_summary", "certificate_data", "root_cause",
                               "remediation")
    assert "User Agent" not in "".join(s.text for s in r.sections)
    # 8:36 PM PDT on 11 May 2019 is 03:36 UTC on 12 May
    assert r.awareness is not None
    assert r.awareness.time == datetime(2019, 5, 12, 3, 36, tzinfo=UTC)
    assert [e.precision for e in r.timeline] == ["minute", "day"]


def test_legacy_short_labels() -> None:
    text = ("How we became aware\nOn June 1, 2022 our internal compliance review identified "
            "the problem.\n\nTimeline\n2022-06-01 10:00 UTC: found\n\nRoot cause\nx\n\n"
            "Remediation steps\ny")
    r = parse_report(text)
    assert (r.kind, r.template) == ("legacy", "legacy")
    assert r.section_names == ("how_aware", "timeline", "root_cause", "remediation")
    assert r.completeness == 4 / 7
    assert r.awareness is not None
    assert (r.awareness.time, r.awareness.precision) == (datetime(2022, 6, 1, tzinfo=UTC), "day")


def test_questions_numbered_q1_q2() -> None:
    text = ("Q1. How your CA first became aware of the problem\nOn 2022-06-01 we became aware.\n"
            "Q2: A timeline of the actions your CA took in response.\n2022-06-01 10:00 UTC: found\n"
            "Q3) Whether your CA has stopped issuing certificates with the problem\nYes.")
    r = parse_report(text)
    assert (r.kind, r.template) == ("legacy", "legacy")
    assert r.section_names == ("how_aware", "timeline", "stopped_issuance")


def test_updates_and_free_form_preliminary() -> None:
    for head in ("Update", "Weekly update", "Update – completed analysis", "Status update",
                 "## Update"):
        r = parse_report(f"{head}\n\nThe remaining action items are on track.")
        assert (r.kind, r.template, r.section_names) == ("update", None, ())
    r = parse_report("This is a preliminary report. On 3 March we became aware of a bad OU. "
                     "A full report follows.", POSTED, CREATED)
    assert (r.kind, r.template) == ("preliminary", None)
    assert r.awareness is not None
    assert r.awareness.time == datetime(2025, 3, 3, tzinfo=UTC)


def test_not_reports() -> None:
    request = ("Example Trust: to continue inclusion, you must respond in this bug to provide "
               "the following information:\n1) How your CA first became aware of the problems\n"
               "2) A timeline of the actions your CA took in response.\n3) Whether your CA has "
               "stopped, or has not yet stopped, certificate issuance\n4) A summary of the "
               "problematic certificates.\nCan you please provide this by 2025-03-20?")
    third_party = ("I noticed a problem with certificates from Example Trust.\nMy own notes:\n"
                   "2025-03-01 10:00 UTC - checked the certificates again\n"
                   "2025-03-02 11:00 UTC - checked the certificates again")
    quoted = "> ## Full Incident Report\n> ### Summary\nThanks, we will answer this week."
    for text in (request, third_party, quoted, "Thank you for the update.", "", "   "):
        assert parse_report(text).kind is None
    assert parse_report(None).kind is None  # type: ignore[arg-type]


def test_awareness_later_than_the_post_is_discarded() -> None:
    text = "This is a preliminary report. On 2025-04-01 we became aware of it."
    assert parse_report(text, POSTED, CREATED).awareness is None
    text = "This is a preliminary report. On 2021-01-01 we became aware of it."
    assert parse_report(text, POSTED, CREATED).awareness is None  # two years before the bug


HEADINGS = st.sampled_from([
    "## Full Incident Report", "### Timeline", "Summary", "1. How your CA first became aware",
    "Issue #1", "### Finding #2", "Update", "Non-compliance identified date:", "2025-13-45 25:99",
    "Sat 31/02/2019 8:36 PM", "**", "- **CA Owner CCADB unique ID:** A1", "4 & 5.", ">", "•",
    "Report Closure Summary", "you must respond", "1/22 at 22:00 GMT", "July 29. 2024 02:17–",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(HEADINGS, st.text(max_size=40)), max_size=25),
       st.one_of(st.none(), st.datetimes(timezones=st.just(UTC))))
def test_never_raises(parts: list[str], posted: datetime | None) -> None:
    r = parse_report("\n".join(parts), posted, posted)
    assert r.kind in (None, "preliminary", "full", "closure", "legacy", "audit", "update")


def test_may_be_heading_on_unusual_first_characters() -> None:
    from bzanalytics.parse.sections import may_be_heading

    yes = ("### Timeline", "**Root Cause Analysis**", "1. How your CA first became aware",
           "- summary", "The", "Q1. How", "\x0bSummary",  # vertical tab: str.split skips it
           "Timelineé", "Timeline\u00a0of events", "(2) Impact")
    no = ("Thereafter we fixed it", "> Summary", "İn scope",  # lower() is "i̇n": not "in"
          "", "   ", "12.", "Summaries", "[Timeline]", "\x00Summary")
    assert [line for line in yes if not may_be_heading(line)] == []
    assert [line for line in no if may_be_heading(line)] == []


def test_inline_headings_and_awareness_on_a_later_line() -> None:
    text = ("Incident Report\n\nSummary: Example Trust issued 3 certificates with a bad OU.\n"
            "More detail on the summary.\nImpact: 3 certificates.\nTimeline\n"
            "We became aware through a customer.\n"
            "2025-03-04 08:30 UTC: a customer told us; we became aware of the problem.\n"
            "2025-03-04 09:00 UTC: issuance stopped\n"
            "Root Cause Analysis\nAn old profile.\nLessons Learned\nNone.\nAction Items\nNone.")
    r = parse_report(text, POSTED, CREATED)
    assert (r.kind, r.template) == ("full", "ccadb-v2")
    assert r.section_names == ("summary", "impact", "timeline", "root_cause_analysis",
                               "lessons_learned", "action_items")
    assert r.sections[0].text == ("Example Trust issued 3 certificates with a bad OU.\n"
                                  "More detail on the summary.")
    assert r.sections[1].text == "3 certificates."
    assert [e.time for e in r.timeline] == [datetime(2025, 3, 4, 8, 30, tzinfo=UTC),
                                            datetime(2025, 3, 4, 9, 0, tzinfo=UTC)]
    assert r.awareness is not None
    assert (r.awareness.time, r.awareness.precision) == (datetime(2025, 3, 4, 8, 30, tzinfo=UTC),
                                                         "minute")
    assert r.awareness.evidence.startswith("2025-03-04 08:30 UTC: a customer told us")


def test_awareness_from_the_first_dated_line_that_says_so() -> None:
    # The first "aware" line has no date; two phrases on the dated line count once.
    text = ("Update\n\nWe became aware of this through a customer report.\n"
            "On 2025-03-03 we were notified and became aware of the scope.\n"
            "On 2025-03-04 we detected more.")
    r = parse_report(text, POSTED, CREATED)
    assert r.kind == "update"
    assert r.awareness is not None
    assert (r.awareness.time, r.awareness.precision) == (datetime(2025, 3, 3, tzinfo=UTC),
                                                         "day")
    assert r.awareness.evidence == "On 2025-03-03 we were notified and became aware of the scope."
