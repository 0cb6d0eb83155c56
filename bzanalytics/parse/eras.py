"""When each report template existed: a comment cannot follow a template not yet written.

Dates from ../shared/docs/incident-reporting-rules.md §1 (CCADB-GIT history): the v2 Markdown
template first appeared in a draft on 2023-08-11 and took effect on 2023-10-17; the v3
Preliminary/Full/Closure templates first appeared in the "2.1" draft on 2024-11-14 and took
effect on 2025-03-01. Before a template's first draft, text that looks like it is something
else; between draft and effect it is possible (early adopters), and from the effective date on
the template's own title names it. (The rule dates that drive the metrics live in
`metrics/rules.py`; these are the parser's, about what text can be.)
"""

from __future__ import annotations

from datetime import UTC, datetime

FIRST_DRAFT = {
    "ccadb-v2": datetime(2023, 8, 11, tzinfo=UTC),
    "ccadb-v3": datetime(2024, 11, 14, tzinfo=UTC),
}
IN_FORCE = {
    "ccadb-v2": datetime(2023, 10, 17, tzinfo=UTC),
    "ccadb-v3": datetime(2025, 3, 1, tzinfo=UTC),
}


def existed(template: str, when: datetime | None) -> bool:
    """Had `template` been drafted by `when` (unknown time: assume so)?"""
    start = FIRST_DRAFT.get(template)
    return start is None or when is None or when >= start


def in_force(template: str, when: datetime | None) -> bool:
    """Was `template` in force at `when` (unknown time: assume so)?"""
    start = IN_FORCE.get(template)
    return start is None or when is None or when >= start
