"""The curated tables shipped as package data, loaded once and read-only.

Each loader merges the real table with its `*_synthetic.json` sibling (fictional owners and
accounts written by the synthetic-corpus generator) when that file exists.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


def _read(name: str) -> dict[str, Any]:
    path = resources.files("bzanalytics") / "data" / name
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def ca_owners() -> tuple[dict[str, Any], ...]:
    """Owner entries of `ca_aliases.json` followed by those of `ca_aliases_synthetic.json`."""
    return tuple(
        owner
        for name in ("ca_aliases.json", "ca_aliases_synthetic.json")
        for owner in _read(name).get("owners", [])
    )


@cache
def root_programs() -> dict[str, tuple[dict[str, Any], ...]]:
    """Accounts, domains and bots of `root_programs.json` plus its synthetic sibling."""
    merged: dict[str, list[dict[str, Any]]] = {"accounts": [], "domains": [], "bots": []}
    for name in ("root_programs.json", "root_programs_synthetic.json"):
        data = _read(name)
        for key, rows in merged.items():
            rows.extend(data.get(key, []))
    return {key: tuple(rows) for key, rows in merged.items()}
