"""Turn a BugPlan into the BMO REST JSON object `/rest/bug` returns with comments, history and
attachment metadata (architecture.md, "Corpus directory")."""

from __future__ import annotations

import zlib
from datetime import datetime
from itertools import pairwise

from bzanalytics.synth.dates import bmo_time
from bzanalytics.synth.people import NOBODY
from bzanalytics.synth.scenario import PRODUCT_MOVE, BugPlan

CLOSED = ("RESOLVED", "VERIFIED", "CLOSED")


def user(email: str, real_name: str = "") -> dict:
    nick = email.split("@")[0].split(".")[0]
    return {"id": zlib.crc32(email.encode()) % 900000 + 100000, "email": email, "name": email,
            "nick": nick, "real_name": real_name or nick}


def _history(plan: BugPlan) -> list[dict]:
    entries: list[tuple[datetime, int, str, list[dict]]] = []

    def add(t: datetime, who: str, changes: list[tuple[str, str, str]]) -> None:
        entries.append((t, len(entries), who, [
            {"field_name": f, "removed": r, "added": a} for f, r, a in changes]))

    status = plan.initial_status
    if plan.assigned_at is not None:
        add(plan.assigned_at, plan.assigner, [("assigned_to", NOBODY, plan.assignee),
                                              ("status", status, "ASSIGNED")])
        status = "ASSIGNED"
    for prev, cur in pairwise(plan.whiteboard):
        if cur.value != prev.value:
            add(cur.time, cur.who, [("whiteboard", prev.value, cur.value)])
    if plan.created < PRODUCT_MOVE:
        add(PRODUCT_MOVE, "automation-bot@example.org", [("product", "NSS", "CA Program")])
    if plan.resolved is not None:
        add(plan.resolved, plan.resolver, [("status", status, "RESOLVED"),
                                           ("resolution", "", plan.resolution)])
    entries.sort(key=lambda e: (e[0], e[1]))
    return [{"when": bmo_time(t), "who": who, "changes": ch} for t, _, who, ch in entries]


def render_bug(plan: BugPlan) -> dict:
    bid = plan.bug_id
    comments, attachments = [], []
    for count, c in enumerate(plan.comments):
        text, attach_id = c.text, None
        if c.attachment:
            attach_id = bid * 10 + len(attachments) + 1
            text = f"Attached file {c.attachment}\n\n{text}"
            attachments.append({
                "id": attach_id, "bug_id": bid, "file_name": c.attachment,
                "summary": c.attachment, "content_type":
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "size": 8192 + (bid % 4096), "creation_time": bmo_time(c.time),
                "last_change_time": bmo_time(c.time), "creator": c.author.email,
                "is_private": False, "is_obsolete": False, "is_patch": False, "flags": []})
        stamp = bmo_time(c.time)
        comments.append({"id": bid * 1000 + count, "bug_id": bid, "count": count, "text": text,
                         "raw_text": text, "creator": c.author.email, "author": c.author.email,
                         "time": stamp, "creation_time": stamp, "is_private": c.is_private,
                         "attachment_id": attach_id, "tags": []})
    history = _history(plan)
    times = [plan.created] + [c.time for c in plan.comments]
    last_change = max([bmo_time(t) for t in times] + [h["when"] for h in history])
    assignee_name = next((c.author.real_name for c in plan.comments
                          if c.author.email == plan.assignee), "Nobody; OK to take it")
    return {
        "id": bid, "alias": None, "summary": plan.summary, "status": plan.status,
        "resolution": plan.resolution, "product": "CA Program",
        "component": "CA Certificate Compliance", "classification": "Other",
        "creator": plan.creator.email,
        "creator_detail": user(plan.creator.email, plan.creator.real_name),
        "assigned_to": plan.assignee,
        "assigned_to_detail": user(plan.assignee, assignee_name),
        "creation_time": bmo_time(plan.created), "last_change_time": last_change,
        "cf_last_resolved": bmo_time(plan.resolved) if plan.resolved else None,
        "whiteboard": plan.whiteboard[-1].value, "keywords": [],
        "is_open": plan.status not in CLOSED, "is_confirmed": plan.status != "UNCONFIRMED",
        "comment_count": len(comments), "dupe_of": plan.dupe_of, "groups": [],
        "severity": "--", "priority": "--", "type": "task", "version": "other",
        "op_sys": "Unspecified", "platform": "Unspecified", "url": "",
        "comments": comments, "history": history, "attachments": attachments,
    }
