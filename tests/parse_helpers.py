"""Shared pieces for the parse tests: the real metadata file (read at test time, never copied)
and small typed frames built by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

REAL_BUGS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / \
    "bmo-ca-compliance-bugs.json"


def real_bugs() -> list[dict[str, Any]]:
    """The 1,688 real bugs of ../shared/data, or a clean skip when that folder is absent."""
    if not REAL_BUGS.is_file():
        pytest.skip("../shared/data/bmo-ca-compliance-bugs.json is not available")
    return json.loads(REAL_BUGS.read_text(encoding="utf-8"))


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def bugs_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A bugs frame typed as frames.py types it (only the columns the parser reads)."""
    frame = pd.DataFrame(rows, columns=["bug_id", "summary", "creator", "assigned_to",
                                        "creation_time", "whiteboard"])
    return frame.astype({"bug_id": "Int64", "summary": "str", "creator": "str",
                         "assigned_to": "str", "creation_time": "datetime64[us, UTC]",
                         "whiteboard": "str"})


def comments_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A comments frame typed as frames.py types it."""
    frame = pd.DataFrame(rows, columns=["bug_id", "comment_id", "count", "author", "time",
                                        "is_private", "text", "attachment_id"])
    return frame.astype({"bug_id": "Int64", "comment_id": "Int64", "count": "Int64",
                         "author": "str", "time": "datetime64[us, UTC]", "is_private": "boolean",
                         "text": "str", "attachment_id": "Int64"})
