"""Fictional CA owners, read from the same alias table the parser merges in.

Keeping one source (`data/ca_aliases_synthetic.json`) guarantees that every spelling the
generator writes into a summary is one the alias table can resolve.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from random import Random


@dataclass(frozen=True)
class Owner:
    name: str
    slug: str
    ccadb_id: str
    aliases: tuple[str, ...]
    former: tuple[tuple[str, str], ...]  # (former name, last day it was used, ISO date)
    domain: str
    weight: float


@cache
def owners() -> tuple[Owner, ...]:
    """The fictional owners, with a Zipf-like weight: a few CAs file most bugs, as in reality."""
    raw = json.loads(
        resources.files("bzanalytics.data").joinpath("ca_aliases_synthetic.json").read_text("utf-8")
    )
    result = []
    for rank, entry in enumerate(raw["owners"], start=1):
        domain = entry["domains"][0]
        result.append(Owner(
            name=entry["name"], slug=domain.split(".")[0], ccadb_id=entry["ccadb_id"],
            aliases=tuple(entry["aliases"]),
            former=tuple((f["name"], f["until"]) for f in entry["former_names"]),
            domain=domain, weight=1.0 / rank**0.8,
        ))
    return tuple(result)


def pick_owner(rng: Random) -> Owner:
    pool = owners()
    return rng.choices(pool, weights=[o.weight for o in pool])[0]


def summary_prefix(owner: Owner, when: datetime, rng: Random) -> str:
    """How a summary names the owner at `when`: the former name before a rename, else a variant."""
    for name, until in owner.former:
        if when.date().isoformat() <= until:
            return name if rng.random() < 0.85 else name.upper()
    roll = rng.random()
    if roll < 0.45:
        return owner.name
    if roll < 0.9:
        return rng.choice(owner.aliases)
    return owner.name.lower() if roll < 0.95 else owner.name.upper()
