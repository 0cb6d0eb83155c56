"""No comment may take more than a second to parse (issue 16): a megabyte of repeated headings,
digits, dates and awareness words of every era, each checked against a CPU deadline, and the
growth from a quarter megabyte to a megabyte checked to be linear, not quadratic."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from bzanalytics import parse_report

POSTED = datetime(2025, 3, 10, tzinfo=UTC)
MB = 1_000_000
BLOCKS = {
    "legacy questions, awareness and ambiguous dates": (
        "1. How your CA first became aware of the problem\nWe became aware on 5/6/2019 10:00 PM "
        "via 3.4.2019\n2. A timeline of the actions your CA took in response\n"
        "2019-05-06 10:00 we detected it\n  • 2019-05-06\n    • we noticed it\n"),
    "v3 fields and timeline": (
        "## Full Incident Report\n### Summary\n- **Non-compliance identified date:** N/\n"
        "### Timeline\n2025-03-04 08:30 UTC We became aware of it\n### Impact\n"),
    "v2 headings only": "## Incident Report\n### Summary\n### Timeline\n### Action Items\n",
    "first notice sentences": "We received the report on Friday 5/6 at 10:00 PM. We saw 12.11. ",
    "digits and dots": "1.2.3.4.5.6.7.8.9.10.11.12 2019-01-0" * 3 + "\n",
    "one line of dates": "Timeline identified 2025-03-04 08:30 UTC and 1/2 and Mar 5 ",
}


def _cpu(text: str) -> float:
    start = time.process_time()
    parse_report(text, POSTED, POSTED)
    return time.process_time() - start


def _of_size(block: str, size: int) -> str:
    return (block * (size // len(block) + 1))[:size]


@pytest.mark.parametrize("name", list(BLOCKS))
def test_a_megabyte_parses_within_a_second_and_linearly(name: str) -> None:
    block = BLOCKS[name]
    quarter = min(_cpu(_of_size(block, MB // 4)) for _ in range(2))
    full = min(_cpu(_of_size(block, MB)) for _ in range(2))
    assert full < 1.0, f"{name}: {full:.2f} s of CPU for 1 MB"
    # four times the text: about four times the work (quadratic would be sixteen)
    assert full < 8 * quarter + 0.05, f"{name}: {quarter:.3f} s -> {full:.3f} s"


def test_timeline_lines_past_the_limit_are_not_read() -> None:
    from bzanalytics.parse.dates import DateContext
    from bzanalytics.parse.timeline import MAX_LINES, extract_timeline

    lines = [f"2024-01-01 {i // 60:02d}:{i % 60:02d} step {i}" for i in range(MAX_LINES + 5)]
    entries = extract_timeline(lines, DateContext())
    assert len(entries) == MAX_LINES
    assert entries[-1].raw == lines[MAX_LINES - 1]


def test_awareness_lines_past_the_limit_are_not_tried() -> None:
    from bzanalytics.parse.awareness import MAX_AWARE_LINES

    def text(n_before: int) -> str:
        noise = "we noticed nothing new\n" * n_before
        return "Preliminary incident report\n" + noise + "We noticed it on 2025-03-01.\n"

    near = parse_report(text(MAX_AWARE_LINES - 1), POSTED, POSTED)
    assert near.awareness is not None and near.awareness.time == datetime(2025, 3, 1, tzinfo=UTC)
    far = parse_report(text(MAX_AWARE_LINES), POSTED, POSTED)
    assert far.awareness is None


def test_answer_lines_past_the_limit_are_not_read() -> None:
    from bzanalytics.parse.awareness import MAX_ANSWER_LINES

    def text(n_before: int) -> str:
        return ("1. How your CA first became aware of the problem\n" + "More context.\n" * n_before
                + "The report was received on 2025-03-01.\n2. Timeline\nNone.\n")

    near = parse_report(text(MAX_ANSWER_LINES - 1), POSTED, POSTED)
    assert near.awareness is not None and near.awareness.time == datetime(2025, 3, 1, tzinfo=UTC)
    assert parse_report(text(MAX_ANSWER_LINES), POSTED, POSTED).awareness is None
