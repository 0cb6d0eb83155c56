"""Combining two copies of one bug, for `import`: what is stored and what a dump brings.

Dumps come in pieces (a search answer, a `/comment`, `/history` or `/attachment` answer, a
search limited to a few fields) and in ages (an old export next to a newer sync). Importing one
must never blank what is known nor let an older copy overwrite a newer one, so a piece is merged
into the stored bug: its top-level fields replace those it carries, comments and attachments
are merged by id, history change sets are united. `sync` does not use this: what BMO sends now
replaces the bug whole, which is how a snapshot converges to the server.
"""

from __future__ import annotations

import json
from typing import Any

PARTS = ("comments", "history", "attachments")


def is_older(incoming: dict, current: dict) -> bool:
    """True when both copies carry `last_change_time` and the incoming one is earlier."""
    new, old = incoming.get("last_change_time"), current.get("last_change_time")
    return isinstance(new, str) and isinstance(old, str) and bool(new) and new < old


def merge(current: dict, incoming: dict) -> dict:
    """`incoming` merged into `current`; neither is modified."""
    result = {k: v for k, v in current.items() if k not in PARTS}
    result.update({k: v for k, v in incoming.items() if k not in PARTS})
    for part in PARTS:
        old, new = current.get(part), incoming.get(part)
        if not isinstance(new, list):
            if old is not None:
                result[part] = old
            continue
        if not isinstance(old, list):
            result[part] = new
        elif part == "history":
            result[part] = _union_history(old, new)
        else:
            result[part] = _merge_by_id(old, new, part)
    return result


def replace(current: dict, incoming: dict) -> dict:
    """`--force`: the incoming copy wins whole; parts it does not carry stay as stored."""
    result = dict(incoming)
    for part in PARTS:
        if part not in incoming and part in current:
            result[part] = current[part]
    return result


def _merge_by_id(old: list, new: list, part: str) -> list:
    """Items keyed by `id`: each incoming item's keys over the stored one's; stored items the
    incoming list lacks are kept. Comments in `count` order, attachments by id."""
    merged: dict[Any, dict] = {}
    for item in [*old, *new]:
        if isinstance(item, dict) and "id" in item:
            key = item["id"]
            merged[key] = {**merged.get(key, {}), **item}
    items = list(merged.values())
    if part == "comments":
        return sorted(items, key=lambda c: (_number(c.get("count")), _number(c.get("id"))))
    return sorted(items, key=lambda a: _number(a.get("id")))


def _union_history(old: list, new: list) -> list:
    """Every distinct change of both lists, grouped into change sets by (when, who) as BMO
    groups them, in time order (stable for equal times). Changes compare without their
    missing (None) keys, so a stored copy read back from its rows matches the dump's."""
    groups: dict[tuple[str, str], dict] = {}
    seen: set[str] = set()
    for changeset in [*old, *new]:
        if not isinstance(changeset, dict):
            continue
        when, who = str(changeset.get("when") or ""), str(changeset.get("who") or "")
        group = groups.setdefault((when, who), {**changeset, "changes": []})
        for change in changeset.get("changes") or []:
            if not isinstance(change, dict):
                continue
            key = json.dumps([when, who, {k: v for k, v in change.items() if v is not None}],
                             sort_keys=True, default=str)
            if key not in seen:
                seen.add(key)
                group["changes"].append(change)
    return sorted((g for g in groups.values() if g["changes"]),
                  key=lambda h: str(h.get("when") or ""))


def _number(value: Any) -> float:
    return value if isinstance(value, int | float) and not isinstance(value, bool) \
        else float("inf")
