"""Small, hand-written BMO-shaped bugs (fictional CAs and people) for the store/frames/export tests.

Each function returns a fresh dict shaped like a `/rest/bug` answer with
include_fields=_default,comments,history,attachments, so tests may mutate it freely.
"""

from __future__ import annotations

import copy
from typing import Any

_ALICE = "alice@quillfeather.example.com"
_BOB = "bob.reviewer@example.com"
_CAROL = "carol@example.com"

_BUG_1001: dict[str, Any] = {
    "id": 1001,
    "summary": "Quillfeather Trust: OCSP responder served stale answers",
    "status": "RESOLVED",
    "resolution": "FIXED",
    "product": "CA Program",
    "component": "CA Certificate Compliance",
    "creator": _ALICE,
    "creator_detail": {"id": 11, "real_name": "Alice Example", "nick": "alice",
                       "name": _ALICE, "email": _ALICE},
    "assigned_to": _ALICE,
    "assigned_to_detail": {"id": 11, "real_name": "Alice Example", "nick": "alice",
                           "name": _ALICE, "email": _ALICE},
    "creation_time": "2024-03-04T08:30:00Z",
    "last_change_time": "2024-05-01T12:00:00Z",
    "cf_last_resolved": "2024-05-01T12:00:00Z",
    "whiteboard": "[ca-compliance] [ocsp-failure] Next update 2024-04-01",
    "keywords": [],
    "is_open": False,
    "comment_count": 4,
    "dupe_of": None,
    "groups": [],
    "comments": [
        {"id": 501, "bug_id": 1001, "count": 0, "text": "Preliminary Incident Report\n\nSummary",
         "raw_text": "## Preliminary Incident Report\n\nSummary", "creator": _ALICE,
         "author": _ALICE, "time": "2024-03-04T08:30:00Z",
         "creation_time": "2024-03-04T08:30:00Z", "is_private": False, "attachment_id": None},
        {"id": 502, "bug_id": 1001, "count": 1, "text": "When will the full report come?",
         "raw_text": "When will the full report come?", "creator": _BOB, "author": _BOB,
         "time": "2024-03-06T10:00:00Z", "creation_time": "2024-03-06T10:00:00Z",
         "is_private": False, "attachment_id": None},
        {"id": 503, "bug_id": 1001, "count": 2, "text": "internal note",
         "raw_text": "internal note", "creator": _ALICE, "author": _ALICE,
         "time": "2024-03-07T09:00:00Z",
         "creation_time": "2024-03-07T09:00:00Z", "is_private": True, "attachment_id": None},
        {"id": 504, "bug_id": 1001, "count": 3, "text": "Created attachment 9001\nlog excerpt",
         "raw_text": "log excerpt", "creator": _ALICE, "author": _ALICE,
         "time": "2024-03-08T11:15:00Z", "creation_time": "2024-03-08T11:15:00Z",
         "is_private": False, "attachment_id": 9001},
    ],
    "history": [
        {"when": "2024-03-05T09:00:00Z", "who": _BOB,
         "changes": [{"field_name": "whiteboard", "removed": "[ca-compliance]",
                      "added": "[ca-compliance] [ocsp-failure] Next update 2024-04-01"},
                     {"field_name": "status", "removed": "NEW", "added": "ASSIGNED"}]},
        {"when": "2024-03-07T09:05:00Z", "who": _ALICE,
         "changes": [{"field_name": "comment_is_private", "removed": "0", "added": "1",
                      "comment_id": 503, "comment_count": 2}]},
        {"when": "2024-05-01T12:00:00Z", "who": _BOB,
         "changes": [{"field_name": "status", "removed": "ASSIGNED", "added": "RESOLVED"},
                     {"field_name": "resolution", "removed": "", "added": "FIXED"}]},
    ],
    "attachments": [
        {"id": 9001, "bug_id": 1001, "file_name": "ocsp.log", "summary": "log excerpt",
         "content_type": "text/plain", "size": 2048, "creation_time": "2024-03-08T11:15:00Z",
         "last_change_time": "2024-03-08T11:15:00Z", "creator": _ALICE, "is_private": False,
         "is_obsolete": False, "is_patch": False, "flags": [], "data": "bG9nIGV4Y2VycHQ="},
    ],
}

_BUG_1002: dict[str, Any] = {
    "id": 1002,
    "summary": "Inkwell CA: certificates with invalid SAN",
    "status": "NEW",
    "resolution": "",
    "product": "CA Program",
    "component": "CA Certificate Compliance",
    "creator": _CAROL,
    "creator_detail": {"id": 12, "real_name": "Carol Example", "nick": "carol",
                       "name": _CAROL, "email": _CAROL},
    "assigned_to": "nobody@example.com",
    "creation_time": "2025-06-10T14:00:00Z",
    "last_change_time": "2025-06-12T16:45:30Z",
    "cf_last_resolved": None,
    "whiteboard": "",
    "keywords": ["leave-open", "sec-low"],
    "is_open": True,
    "comment_count": 2,
    "dupe_of": None,
    "groups": [],
    "comments": [
        {"id": 601, "bug_id": 1002, "count": 0, "text": "Found certificates with a bad SAN.",
         "creator": _CAROL, "author": _CAROL, "time": "2025-06-10T14:00:00Z",
         "creation_time": "2025-06-10T14:00:00Z", "is_private": False, "attachment_id": None},
        {"id": 602, "bug_id": 1002, "count": 1, "text": "", "raw_text": "",
         "creator": _BOB, "author": _BOB, "time": "2025-06-12T16:45:30Z",
         "creation_time": "2025-06-12T16:45:30Z", "is_private": False, "attachment_id": None},
    ],
    "history": [],
    "attachments": [],
}

_BUG_1003: dict[str, Any] = {
    # metadata only, like a search answer: no comments/history/attachments keys, no times but one
    "id": 1003,
    "summary": "[meta] Tracking bug for Quillfeather Trust",
    "status": "RESOLVED",
    "resolution": "DUPLICATE",
    "creator": _BOB,
    "creation_time": "2023-01-02T03:04:05Z",
    "whiteboard": "[ca-compliance]",
    "dupe_of": 1001,
}


def bug_1001() -> dict[str, Any]:
    """Resolved; 4 comments (one private, one with an attachment), 5 changes, 1 attachment."""
    return copy.deepcopy(_BUG_1001)


def bug_1002() -> dict[str, Any]:
    """An open bug: empty resolution/whiteboard, two keywords, a comment without raw_text."""
    return copy.deepcopy(_BUG_1002)


def bug_1003() -> dict[str, Any]:
    """A metadata-only bug (as in a plain search answer)."""
    return copy.deepcopy(_BUG_1003)


def all_bugs() -> list[dict[str, Any]]:
    return [bug_1001(), bug_1002(), bug_1003()]
