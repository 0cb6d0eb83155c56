"""Building blocks for the golden cases: BMO-shaped bugs written by hand, report texts in the
templates' own words, and a snapshot of them measured end to end (store, frames, parse, metrics).

Everything here is fictional (Quillfeather Trust Services is a synthetic CA of the alias table,
rp.mozilla1@example.org a synthetic root-program account). The expected values live in the test
files, worked out by hand from docs/methodology.md; nothing in this module computes a metric.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from bzanalytics.snapshot.frames import open_snapshot
from bzanalytics.snapshot.store import Store

CA = "lead@quillfeather.example.com"  # role ca by the CA's e-mail domain
CA_OWNER = "Quillfeather Trust Services"
RP = "rp.mozilla1@example.org"  # root program (synthetic account table)
REPORTER = "watcher@example.net"  # community
BOT = "automation-bot@example.org"
NOBODY = "nobody@mozilla.org"

NA = pd.NA
NOTE = "Still working on the fix."  # a CA comment that is no report (no report keyword)


@dataclass(frozen=True)
class C:
    """One comment after comment 0: when, who, what, and whether it is private."""

    time: str
    author: str
    text: str = NOTE
    private: bool = False


def preliminary(identified: str | None = None) -> str:
    """An IRG 3.0 Preliminary Incident Report, with the v3 awareness field when given."""
    text = ("## Preliminary Incident Report\n\n### Summary\n"
            "Incident description: a field was wrong.\n")
    if identified is not None:
        text += f"Non-compliance identified date: {identified}\n"
    return text


def full(timeline: str = "2025-01-01 09:00 UTC: fixed the linter.", zone_line: str = "") -> str:
    """A Full Incident Report (v3 title) with the given timeline lines."""
    head = f"{zone_line}\n" if zone_line else ""
    return (
        "## Full Incident Report\n\n### Summary\nA field was wrong.\n\n### Impact\n"
        "Twelve certificates.\n\n### Timeline\n" + head + timeline + "\n\n"
        "### Root Cause Analysis\nThe linter missed it.\n\n### Action Items\nAdd a check.\n"
    )


def v2_report(timeline: str, zone_line: str = "") -> str:
    """An IRG 2.0 "Incident Report" (title of the v2 template)."""
    head = f"{zone_line}\n" if zone_line else ""
    return (
        "## Incident Report\n\n### Summary\nA field was wrong.\n\n### Impact\nTwelve "
        "certificates.\n\n### Timeline\n" + head + timeline + "\n\n### Root Cause Analysis\n"
        "The linter missed it.\n\n### Lessons Learned\nCheck more.\n\n### Action Items\nAdd a "
        "check.\n"
    )


def legacy(how_aware: str = "A researcher wrote to our problem reporting address.") -> str:
    """The wiki's seven-topic report (legacy template)."""
    return (
        f"1. How your CA first became aware of the problem\n{how_aware}\n\n"
        "2. A timeline of the actions your CA took\nWe revoked the certificates.\n\n"
        "3. Whether your CA has stopped issuing certificates with the problem\nYes.\n\n"
        "7. List of steps your CA is taking to resolve the situation\nA new check.\n"
    )


CLOSURE = "## Report Closure Summary\n\nAll action items are complete."


def bug(
    bug_id: int,
    created: str,
    comments: list[C] = (),  # type: ignore[assignment]
    *,
    by: str = REPORTER,
    description: str = "Certificates with a wrong field were issued.",
    whiteboard: str = "[ca-compliance]",
    whiteboard_changes: list[tuple[str, str]] = (),  # type: ignore[assignment]
    resolved: str | None = None,
    resolution: str = "FIXED",
    summary: str = "Quillfeather: certificates with a wrong field",
    assignee: str = NOBODY,
) -> dict[str, Any]:
    """A bug as BMO's REST API returns it with comments and history (comment 0 by `by`).

    `whiteboard` is the value at filing; each (when, value) of `whiteboard_changes` replaces it,
    and the bug's current Whiteboard is the last one. `resolved` adds the status change.
    """
    texts = [C(created, by, description), *comments]
    history = []
    value = whiteboard
    for when, new in whiteboard_changes:
        history.append({"when": when, "who": RP, "changes": [
            {"field_name": "whiteboard", "removed": value, "added": new}]})
        value = new
    if resolved:
        history.append({"when": resolved, "who": RP, "changes": [
            {"field_name": "status", "removed": "ASSIGNED", "added": "RESOLVED"},
            {"field_name": "resolution", "removed": "", "added": resolution}]})
    history.sort(key=lambda h: h["when"])
    times = [c.time for c in texts] + [h["when"] for h in history]
    return {
        "id": bug_id, "summary": summary, "status": "RESOLVED" if resolved else "ASSIGNED",
        "resolution": resolution if resolved else "", "product": "CA Program",
        "component": "CA Certificate Compliance", "creator": by, "assigned_to": assignee,
        "creation_time": created, "last_change_time": max(times), "cf_last_resolved": resolved,
        "whiteboard": value, "keywords": [], "is_open": not resolved,
        "comment_count": len(texts), "dupe_of": None, "groups": [],
        "comments": [
            {"id": bug_id * 100 + n, "bug_id": bug_id, "count": n, "text": c.text,
             "raw_text": c.text, "creator": c.author, "author": c.author, "time": c.time,
             "creation_time": c.time, "is_private": c.private, "attachment_id": None}
            for n, c in enumerate(texts)
        ],
        "history": history,
        "attachments": [],
    }


@dataclass(frozen=True)
class Measured:
    incidents: pd.DataFrame
    questions: pd.DataFrame
    promises: pd.DataFrame
    update_gaps: pd.DataFrame


def measure_bugs(path: Path, bugs: list[dict[str, Any]], as_of: str) -> Measured:
    """Store the bugs with BMO's db_time = `as_of`, then read every metric table back."""
    with Store.open(path) as store:
        store.save_bugs(bugs, origin="golden", fetched_at=as_of, state={"db_time": as_of})
    with open_snapshot(path) as snap:
        return Measured(snap.incidents(include_excluded=True),
                        snap.questions(include_excluded=True),
                        snap.promises(include_excluded=True),
                        snap.update_gaps(include_excluded=True))


_LINK_RE = re.compile(r"[?&]id=(\d+)#c(\d+)$")


def comment_of(link: Any, bug_id: int) -> Any:
    """The comment number an evidence link points at (`<NA>` for no link); the link must be to
    `bug_id`. Only the bug and comment are checked, not the host, which depends on the origin."""
    if link is None or link is pd.NA or (isinstance(link, float) and pd.isna(link)):
        return NA
    m = _LINK_RE.search(str(link))
    assert m is not None, f"not an evidence link: {link!r}"
    assert int(m.group(1)) == bug_id, f"{link!r} is not a link to bug {bug_id}"
    return int(m.group(2))


def same(actual: Any, expected: Any) -> bool:
    """Equality where `<NA>`/NaN/NaT equal each other and floats agree to 1e-9."""
    a_missing = actual is None or actual is pd.NaT or (not isinstance(actual, str)
                                                        and pd.isna(actual))
    e_missing = expected is None or expected is pd.NaT or expected is NA
    if a_missing or e_missing:
        return bool(a_missing and e_missing)
    if isinstance(expected, float):
        return abs(float(actual) - expected) <= 1e-9 * max(1.0, abs(expected))
    if isinstance(expected, pd.Timestamp):
        return pd.Timestamp(actual) == expected
    return bool(actual == expected)


def ts(text: str) -> pd.Timestamp:
    """A UTC timestamp from ISO text (naive text is UTC)."""
    stamp = pd.Timestamp(text)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
