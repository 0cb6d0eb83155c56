"""Whiteboard tags with aliases merged, and every "Next update" form in the real metadata."""

from __future__ import annotations

import re
from datetime import date

from bzanalytics.parse.whiteboard import category, parse_whiteboard
from tests.parse_helpers import real_bugs

# Each "Next update ..." fragment of the real file, with the date it means, read by hand.
NEXT_UPDATE = {
    "3-1-2023": date(2023, 3, 1),  # month-first, as Mozilla staff write it
    "01-Nov-2023": date(2023, 11, 1),
    "31-Oct-2023": date(2023, 10, 31),
    "2-Oct-2023": date(2023, 10, 2),
    "2023-Oct-27": date(2023, 10, 27),
    "at 23.2.2024": date(2024, 2, 23),
    **{iso: date.fromisoformat(iso) for iso in (
        "2023-03-30", "2023-05-10", "2023-04-17", "2023-04-30", "2023-06-26", "2023-04-28",
        "2023-04-21", "2023-09-30", "2023-07-27", "2023-07-28", "2023-08-15", "2023-08-18",
        "2023-10-23", "2023-10-02", "2023-11-02", "2023-11-30", "2023-12-21", "2024-01-31",
        "2025-03-03", "2024-04-24", "2024-04-26", "2024-06-30", "2025-03-31", "2024-06-01",
        "2024-06-17", "2024-08-01", "2024-09-06", "2025-01-02", "2026-03-20", "2026-04-14",
        "2026-04-30", "2026-02-28", "2026-03-31", "2026-04-24", "2026-03-05", "2026-02-27",
        "2026-03-17", "2026-03-27")},
}


def test_every_real_next_update_parses_to_the_intended_date() -> None:
    seen = 0
    for bug in real_bugs():
        m = re.search(r"next update\s*(.*)$", bug["whiteboard"], re.I)
        if m is None:
            continue
        seen += 1
        fragment = m.group(1).strip()
        assert fragment in NEXT_UPDATE, f"unread form {fragment!r}"
        assert parse_whiteboard(bug["whiteboard"]).next_update == NEXT_UPDATE[fragment]
    assert seen == 77


def test_every_real_close_on_parses() -> None:
    found = [(b["whiteboard"], parse_whiteboard(b["whiteboard"]).close_on)
             for b in real_bugs() if "close on" in b["whiteboard"].lower()]
    assert found
    for text, parsed in found:
        iso = re.search(r"close on (\d{4}-\d{2}-\d{2})", text, re.I).group(1)
        assert parsed == date.fromisoformat(iso)


def test_tags_aliases_and_free_text() -> None:
    wb = parse_whiteboard("[ca compliance] [disclosure failure] [delayed-revocation-leaf] "
                          "[Delayed-Revocation-CA] [weird-new-tag] Next update 2-Oct-2023")
    assert wb.tags == ("ca-compliance", "disclosure-failure", "leaf-revocation-delay",
                       "ca-revocation-delay", "weird-new-tag")
    assert wb.next_update == date(2023, 10, 2)
    assert wb.close_on is None
    assert wb.free_text == "Next update 2-Oct-2023"


def test_dated_notices_inside_brackets_are_not_tags() -> None:
    wb = parse_whiteboard("[ca-compliance] [close on 2026-03-06] [Next Update: 2026-02-01]")
    assert wb.tags == ("ca-compliance",)
    assert wb.close_on == date(2026, 3, 6)
    assert wb.next_update == date(2026, 2, 1)


def test_broken_bracket_still_yields_the_tag() -> None:
    assert parse_whiteboard("[ca-compliance] audit-finding]").tags == ("ca-compliance",
                                                                       "audit-finding")


def test_empty_and_category() -> None:
    wb = parse_whiteboard(None)
    assert (wb.tags, wb.next_update, wb.close_on, wb.free_text) == ((), None, None, "")
    assert category(("ca-compliance", "ov-misissuance")) == "ov-misissuance"
    assert category(("ca-compliance",)) == "uncategorized"


def test_real_tags_all_canonical() -> None:
    for bug in real_bugs():
        for tag in parse_whiteboard(bug["whiteboard"]).tags:
            assert tag == tag.lower() and " " not in tag
            assert not tag.startswith("delayed-revocation")


def test_handling_tags_are_known_but_never_the_category() -> None:
    from bzanalytics.parse.whiteboard import is_known

    wb = parse_whiteboard("[ca-compliance] [external] [remediation-accepted] [ca-onecrl] "
                          "[ov-misissuance]")
    assert wb.tags == ("ca-compliance", "external", "remediation-accepted", "ca-onecrl",
                       "ov-misissuance")
    assert all(is_known(t) for t in wb.tags) and not is_known("made-up-tag")
    assert category(wb.tags) == "ov-misissuance"
    assert category(("ca-compliance", "external")) == "uncategorized"
