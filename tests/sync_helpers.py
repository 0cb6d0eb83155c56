"""Shared helpers for the client, fake BMO and sync tests: tiny corpora, quiet clients, hashes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from urllib.parse import parse_qsl

from bzanalytics.bmo.client import BMOClient
from bzanalytics.bmo.sync import SyncResult, sync
from bzanalytics.snapshot.store import Store
from bzanalytics.testing import minicorpus

ANNA = "anna@example.com"
BEN = "ben@example.com"


def client_for(url: str, **kwargs: object) -> BMOClient:
    """A client that never waits: no pacing, no real backoff sleeps (delays are recorded)."""
    delays: list[float] = []
    kwargs.setdefault("min_interval", 0)
    kwargs.setdefault("sleep", delays.append)
    client = BMOClient(url, **kwargs)  # type: ignore[arg-type]
    client.delays = delays  # type: ignore[attr-defined]
    return client


def run_sync(url: str, db: Path, **kwargs: object) -> SyncResult:
    with Store.open(db) as store:
        return sync(client_for(url, **kwargs), store)


def snapshot_hash(db: Path) -> str:
    with Store.open(db, create=False) as store:
        return store.content_hash()


def state(db: Path) -> dict[str, str]:
    with Store.open(db, create=False) as store:
        return store.state()


def stored_ids(db: Path) -> set[int]:
    with Store.open(db, create=False) as store:
        return set(store.change_times())


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def detail_ids(entries: list[dict]) -> list[list[int]]:
    """The id lists of the detail requests (`/rest/bug?id=...`) in a fake's request log."""
    result = []
    for entry in entries:
        params = dict(parse_qsl(entry["query"]))
        if entry["path"] == "/rest/bug" and "id" in params:
            result.append([int(i) for i in params["id"].split(",")])
    return result


def visible_ids(corpus: Path) -> list[int]:
    return [b["id"] for b in minicorpus.read_bugs(corpus) if not b["groups"]]


def write_corpus(directory: Path, bugs: list[dict], now: str = "2026-11-01T00:00:00Z") -> Path:
    """A hand-written corpus directory (bugs given in full)."""
    directory.mkdir(parents=True, exist_ok=True)
    meta = {"format": "bzanalytics-corpus/1", "product": minicorpus.PRODUCT,
            "component": minicorpus.COMPONENT, "generated_by": "tests", "seed": None,
            "now": now}
    (directory / "corpus.json").write_text(json.dumps(meta), encoding="utf-8")
    minicorpus.write_bugs(directory, bugs)
    return directory


def small_bug(bug_id: int, last_change: str, *, comments: int = 2, private: tuple[int, ...] = (),
              groups: tuple[str, ...] = (), product: str = minicorpus.PRODUCT,
              attachments: int = 0) -> dict:
    """A complete little bug: `comments` comments (count 0..n-1, those in `private` private)."""
    created = "2025-01-02T03:04:05Z"
    return {
        "id": bug_id, "summary": f"Fictive CA: issue {bug_id}", "status": "NEW",
        "resolution": "", "product": product, "component": minicorpus.COMPONENT,
        "creator": ANNA, "assigned_to": BEN, "creation_time": created,
        "last_change_time": last_change, "cf_last_resolved": None,
        "whiteboard": "[ca-compliance]", "keywords": [], "is_open": True,
        "comment_count": comments, "dupe_of": None, "groups": list(groups),
        "comments": [minicorpus.comment(bug_id, bug_id * 100 + n, n,
                                        created if n == 0 else last_change,
                                        ANNA if n == 0 else BEN, f"text {n} of {bug_id}",
                                        private=n in private)
                     for n in range(comments)],
        "history": [{"when": last_change, "who": BEN, "changes": [
            {"field_name": "status", "removed": "UNCONFIRMED", "added": "NEW"}]}],
        "attachments": [{"id": bug_id * 10 + n, "bug_id": bug_id, "file_name": f"f{n}.txt",
                         "summary": "log", "content_type": "text/plain", "size": 10,
                         "creation_time": created, "last_change_time": created,
                         "creator": ANNA, "is_private": n == 1, "is_obsolete": False,
                         "is_patch": False}
                        for n in range(attachments)],
    }
