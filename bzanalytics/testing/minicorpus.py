"""Fast, deterministic corpus directories for volume and plumbing tests of the sync.

The realistic generator is `bzanalytics.synth`; this one only has to be big, quick and exact:
many comments, a few very long bugs, private comments, bugs hidden in a security group, history
and attachment metadata, in BMO's JSON shapes. `touch`, `add_bugs`, `set_groups` and `move` edit a
corpus the way BMO changes between two syncs (bumping `last_change_time`); `edit_comment` and
`tag_comment` change a comment the way BMO's EditComments and comment tagging do, without
touching the bug's `last_change_time`. Each replaces `bugs.jsonl` atomically so a running fake
BMO reloads it cleanly.

    build("corpus", bugs=2000, comments=40_000)
    touch("corpus", [1800003, 1800010], "comment")
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

PRODUCT = "CA Program"
COMPONENT = "CA Certificate Compliance"
NOW = "2026-11-01T00:00:00Z"
FIRST_ID = 1_800_000
FIRST_COMMENT_ID = 15_000_000
SECURITY_GROUP = "core-security"
PEOPLE = tuple(f"{name}@example.com" for name in
               ("ana", "ben", "chloe", "dev", "emil", "fern", "gus", "hana"))
CAS = ("Examplon Trust", "Fictive CA", "Notreal Certs", "Placeholder PKI", "Imaginary Sign")
WORDS = ("certificate", "revocation", "audit", "issuance", "OCSP", "CRL", "root", "cause",
         "timeline", "remediation", "policy", "serial", "validation", "report", "update")
PHRASES = tuple(" ".join(WORDS[(i * 7 + j * j) % len(WORDS)] for j in range(8 + i % 20))
                for i in range(64))
TOUCH_KINDS = ("comment", "private_comment", "whiteboard", "status")
_FMT = "%Y-%m-%dT%H:%M:%SZ"


def _ts(moment: datetime) -> str:
    return moment.strftime(_FMT)


def _parse(text: str) -> datetime:
    return datetime.strptime(text, _FMT)


def _person(login: str) -> dict:
    nick = login.split("@")[0]
    return {"id": PEOPLE.index(login) + 100 if login in PEOPLE else 99, "real_name":
            nick.title(), "nick": nick, "name": login, "email": login}


def comment(bug_id: int, comment_id: int, count: int, when: str, author: str, text: str,
            private: bool = False) -> dict:
    """A comment object with every field BMO's `_translate_comment` emits (`tags` too: BMO
    configures comment tagging)."""
    return {"id": comment_id, "bug_id": bug_id, "count": count, "text": text, "raw_text": text,
            "creator": author, "author": author, "time": when, "creation_time": when,
            "is_private": private, "attachment_id": None, "tags": []}


def _comment_counts(rng: random.Random, bugs: int, comments: int, big_bugs: int,
                    big_comments: int) -> list[int]:
    counts = [1] * bugs  # every bug has its description, comment 0
    for index in range(min(big_bugs, bugs)):
        counts[index * (bugs // max(big_bugs, 1))] = big_comments
    for _ in range(max(comments - sum(counts), 0)):
        counts[rng.randrange(bugs)] += 1
    return counts


def _bug(rng: random.Random, bug_id: int, n_comments: int, next_comment_id: int,
         created: datetime, last: datetime, hidden: bool) -> dict:
    creator, assignee = rng.choice(PEOPLE), rng.choice(PEOPLE)
    span = (last - created) / max(n_comments - 1, 1)
    comments = []
    for count in range(n_comments):
        when = _ts(last if count == n_comments - 1 and count else created + span * count)
        words = PHRASES[rng.randrange(len(PHRASES))]
        author = creator if count == 0 else rng.choice(PEOPLE)
        comments.append(comment(bug_id, next_comment_id + count, count, when, author,
                                f"Comment {count} on bug {bug_id}: {words}.",
                                private=count > 0 and rng.random() < 0.02))
    closed = rng.random() < 0.7
    history = [{"when": _ts(created + timedelta(hours=2)), "who": assignee, "changes": [
        {"field_name": "status", "removed": "NEW", "added": "ASSIGNED"},
        {"field_name": "whiteboard", "removed": "", "added": "[ca-compliance]"}]}]
    if closed:
        history.append({"when": _ts(last), "who": assignee, "changes": [
            {"field_name": "status", "removed": "ASSIGNED", "added": "RESOLVED"},
            {"field_name": "resolution", "removed": "", "added": "FIXED"}]})
    attachments = []
    if rng.random() < 0.1:
        attachments.append({
            "id": bug_id * 10 + 1, "bug_id": bug_id, "file_name": "certs.csv",
            "summary": "affected certificates", "content_type": "text/csv",
            "size": rng.randrange(200, 90000), "creation_time": _ts(created),
            "last_change_time": _ts(created), "is_private": False, "is_obsolete": False,
            "is_patch": False, "creator": creator, "flags": []})
    return {
        "id": bug_id, "alias": None,
        "summary": f"{rng.choice(CAS)}: test incident number {bug_id}",
        "status": "RESOLVED" if closed else "ASSIGNED", "resolution": "FIXED" if closed else "",
        "product": PRODUCT, "component": COMPONENT, "classification": "Other",
        "creator": creator, "creator_detail": _person(creator),
        "assigned_to": assignee, "assigned_to_detail": _person(assignee),
        "creation_time": _ts(created), "last_change_time": _ts(last),
        "cf_last_resolved": _ts(last) if closed else None,
        "whiteboard": "[ca-compliance]", "keywords": [], "severity": "--", "priority": "--",
        "type": "task", "is_open": not closed, "is_confirmed": True,
        "comment_count": n_comments, "dupe_of": None,
        "groups": [SECURITY_GROUP] if hidden else [],
        "comments": comments, "history": history, "attachments": attachments,
    }


def build(directory: str | Path, *, bugs: int = 2000, comments: int = 40_000, seed: int = 1,
          big_bugs: int = 4, big_comments: int = 300, hidden: int = 10,
          now: str = NOW) -> Path:
    """Write corpus.json and bugs.jsonl into `directory` (created if needed); return its path.

    `bugs` counts every bug, `hidden` of them in a security group; `comments` is the total
    including descriptions and the `big_bugs` bugs of `big_comments` comments each.
    """
    rng = random.Random(seed)
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    counts = _comment_counts(rng, bugs, comments, big_bugs, big_comments)
    hidden_at = set(rng.sample(range(bugs), min(hidden, bugs)))
    moment = _parse(now)
    result, bug_id, comment_id = [], FIRST_ID, FIRST_COMMENT_ID
    for index, n_comments in enumerate(counts):
        bug_id += rng.randrange(1, 4)
        created = moment - timedelta(days=rng.uniform(30, 2500))
        last = created + timedelta(days=rng.uniform(1, 25), seconds=rng.randrange(86400))
        last = min(last, moment - timedelta(days=2))
        result.append(_bug(rng, bug_id, n_comments, comment_id, created, last,
                           index in hidden_at))
        comment_id += n_comments
    meta = {"format": "bzanalytics-corpus/1", "product": PRODUCT, "component": COMPONENT,
            "generated_by": "bzanalytics.testing.minicorpus", "seed": seed, "now": now}
    write_atomically(out / "corpus.json", json.dumps(meta, indent=1) + "\n")
    write_bugs(out, result)
    return out


def read_bugs(directory: str | Path) -> list[dict]:
    with (Path(directory) / "bugs.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def write_bugs(directory: str | Path, bugs: Iterable[dict]) -> None:
    ordered = sorted(bugs, key=lambda b: b["id"])
    write_atomically(Path(directory) / "bugs.jsonl",
                     "".join(json.dumps(b, separators=(",", ":")) + "\n" for b in ordered))


def write_atomically(path: Path, text: str) -> None:
    """Replace a file in one step, so the fake never reads it half written."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def db_time(directory: str | Path, bugs: list[dict] | None = None) -> str:
    """What the fake answers on /rest/time for this corpus."""
    meta = json.loads((Path(directory) / "corpus.json").read_text(encoding="utf-8"))
    bugs = read_bugs(directory) if bugs is None else bugs
    return max([meta.get("now") or ""] + [b.get("last_change_time") or "" for b in bugs])


def _next_comment_id(bugs: list[dict]) -> int:
    return max((c["id"] for b in bugs for c in b.get("comments", [])),
               default=FIRST_COMMENT_ID) + 1


def _apply(bug: dict, kind: str, when: str, comment_id: int) -> None:
    who = PEOPLE[bug["id"] % len(PEOPLE)]
    if kind in ("comment", "private_comment"):
        comments = bug.setdefault("comments", [])
        comments.append(comment(bug["id"], comment_id, bug["comment_count"], when, who,
                                f"Update on bug {bug['id']} at {when}.",
                                private=kind == "private_comment"))
        bug["comment_count"] += 1
        return
    if kind == "whiteboard":
        old, new = bug.get("whiteboard") or "", f"{bug.get('whiteboard') or ''} [audit-delay]"
        field, bug["whiteboard"] = "whiteboard", new.strip()
    elif kind == "status":
        old = bug["status"]
        new = "REOPENED" if old == "RESOLVED" else "RESOLVED"
        field, bug["status"] = "status", new
        bug["resolution"] = "" if new == "REOPENED" else "FIXED"
        bug["is_open"] = new != "RESOLVED"
        if new == "RESOLVED":
            bug["cf_last_resolved"] = when
    else:
        raise ValueError(f"unknown change {kind!r}; choose from {', '.join(TOUCH_KINDS)}")
    bug.setdefault("history", []).append(
        {"when": when, "who": who, "changes": [{"field_name": field, "removed": old,
                                                "added": bug[field]}]})


def touch(directory: str | Path, ids: Iterable[int], kind: str = "comment",
          at: str | None = None) -> str:
    """Change the given bugs (a new comment, a whiteboard tag, a status flip) and bump their
    `last_change_time`; `at` defaults to one minute after the corpus's current db_time.
    Returns the time used."""
    bugs = read_bugs(directory)
    when = at or _ts(_parse(db_time(directory, bugs)) + timedelta(minutes=1))
    wanted = set(ids)
    by_id = {b["id"]: b for b in bugs}
    missing = wanted - by_id.keys()
    if missing:
        raise KeyError(f"no such bugs in the corpus: {sorted(missing)}")
    comment_id = _next_comment_id(bugs)
    for bug_id in sorted(wanted):
        _apply(by_id[bug_id], kind, when, comment_id)
        comment_id += 1
        by_id[bug_id]["last_change_time"] = when
    write_bugs(directory, bugs)
    return when


def add_bugs(directory: str | Path, count: int, *, seed: int = 2,
             at: str | None = None) -> list[int]:
    """Append `count` new bugs (filed after everything else); return their ids."""
    bugs = read_bugs(directory)
    rng = random.Random(seed)
    when = _parse(at or db_time(directory, bugs)) + timedelta(minutes=1)
    next_id = max(b["id"] for b in bugs) + 1
    next_comment = _next_comment_id(bugs)
    new: list[dict[str, Any]] = []
    for offset in range(count):
        new.append(_bug(rng, next_id + offset, 3, next_comment + offset * 3, when, when,
                        hidden=False))
    write_bugs(directory, bugs + new)
    return [b["id"] for b in new]


def set_groups(directory: str | Path, bug_id: int, groups: list[str],
               at: str | None = None) -> None:
    """Hide a bug in a security group (or make it public again with `[]`)."""
    bugs = read_bugs(directory)
    when = at or _ts(_parse(db_time(directory, bugs)) + timedelta(minutes=1))
    for bug in bugs:
        if bug["id"] == bug_id:
            bug["groups"], bug["last_change_time"] = list(groups), when
    write_bugs(directory, bugs)


def _comment_of(bugs: list[dict], bug_id: int, count: int) -> dict:
    for bug in bugs:
        if bug["id"] == bug_id:
            for item in bug.get("comments", []):
                if item["count"] == count:
                    return item
            raise KeyError(f"bug {bug_id} has no comment {count}")
    raise KeyError(f"no such bug in the corpus: {bug_id}")


def edit_comment(directory: str | Path, bug_id: int, count: int, text: str) -> None:
    """Edit comment `count` of a bug as EditComments does: new text, the bug's
    `last_change_time` and history untouched (only the comment tables change on BMO)."""
    bugs = read_bugs(directory)
    item = _comment_of(bugs, bug_id, count)
    item["text"] = item["raw_text"] = text
    write_bugs(directory, bugs)


def tag_comment(directory: str | Path, bug_id: int, count: int, tag: str,
                at: str | None = None) -> None:
    """Tag a comment (BMO hides those tagged "spam" or "deleted" from non-insiders). The
    bug's history gains a `comment_tag` change, but `last_change_time` stays as it was."""
    bugs = read_bugs(directory)
    item = _comment_of(bugs, bug_id, count)
    item["tags"] = sorted({*item.get("tags", []), tag})
    when = at or _ts(_parse(db_time(directory, bugs)) + timedelta(minutes=1))
    bug = next(b for b in bugs if b["id"] == bug_id)
    bug.setdefault("history", []).append(
        {"when": when, "who": PEOPLE[0], "changes": [
            {"field_name": "comment_tag", "removed": "", "added": tag,
             "comment_id": item["id"], "comment_count": count}]})
    write_bugs(directory, bugs)


def move(directory: str | Path, bug_id: int, product: str, component: str,
         at: str | None = None) -> str:
    """Move a bug to another product/component (an ordinary edit on BMO: history and a new
    `last_change_time`); returns the time used."""
    bugs = read_bugs(directory)
    when = at or _ts(_parse(db_time(directory, bugs)) + timedelta(minutes=1))
    bug = next((b for b in bugs if b["id"] == bug_id), None)
    if bug is None:
        raise KeyError(f"no such bug in the corpus: {bug_id}")
    changes = [{"field_name": name, "removed": bug[name], "added": new}
               for name, new in (("product", product), ("component", component))
               if bug[name] != new]
    bug["product"], bug["component"], bug["last_change_time"] = product, component, when
    bug.setdefault("history", []).append({"when": when, "who": PEOPLE[0], "changes": changes})
    write_bugs(directory, bugs)
    return when
