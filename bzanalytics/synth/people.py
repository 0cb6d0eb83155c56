"""Fictional people and accounts, under example.com/.org/.net only.

CA staff use their CA's domain (`<first>.<last>@<slug>.example.com`) or, in IRG 3.x bugs, an
anonymous account; root programs and bots come from `root_programs_synthetic.json` so the role
tables and the corpus cannot drift apart; everyone else is community under example.net.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from random import Random

from bzanalytics.synth.cas import Owner

FIRST = ("alex", "billie", "casey", "dana", "eli", "frankie", "gale", "harper", "indy", "jules",
         "kim", "lou", "morgan", "noor", "oakley", "pat", "quinn", "remy", "sam", "toni",
         "uma", "val", "wren", "yael", "zion")
LAST = ("ashdown", "brill", "carrow", "delacey", "ember", "fennick", "garlow", "holm", "iverly",
        "jessop", "kettering", "lisle", "marlow", "nettle", "orrin", "pryde", "quill", "rooke",
        "selby", "thorne", "upwood", "vance", "wilder", "yorke", "zell")
NOBODY = "nobody@example.org"


@dataclass(frozen=True)
class Person:
    email: str
    real_name: str


@cache
def _programs() -> dict:
    path = resources.files("bzanalytics.data").joinpath("root_programs_synthetic.json")
    return json.loads(path.read_text("utf-8"))


def _name(rng: Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST)


def ca_staff(owner: Owner, rng: Random) -> Person:
    """One of a CA's small, stable pool of responders, always on the CA's own domain.

    The domain is what makes a non-assignee responder recognisable as the CA, so staff never
    post from elsewhere (the anonymous IRG 3.x account is always the assignee instead).
    """
    seed = sum(ord(c) for c in owner.slug)
    k = rng.randrange(5)
    first, last = FIRST[(seed + 7 * k) % len(FIRST)], LAST[(3 * seed + 11 * k) % len(LAST)]
    return Person(f"{first}.{last}@{owner.domain}", f"{first.title()} {last.title()}")


def anonymous_ca(rng: Random) -> Person:
    """IRG 3.x lets CA staff post from an account that does not show their affiliation."""
    return Person(f"incident-desk-{rng.randrange(100, 999)}@example.net", "Incident Desk")


def community(rng: Random) -> Person:
    first, last = _name(rng)
    host = rng.choice(("example.net", "researchlab.example.net", "certwatch.example.net"))
    return Person(f"{first}.{last}@{host}", f"{first.title()} {last.title()}")


def root_program(rng: Random, organisation: str | None = None) -> Person:
    accounts = [a for a in _programs()["accounts"]
                if organisation is None or a["organisation"] == organisation]
    if organisation in (None, "Mozilla") and rng.random() < 0.15:
        first, last = _name(rng)
        return Person(f"{first}.{last}@rootprogram.example.org", f"{first.title()} (Mozilla)")
    account = rng.choice(accounts)
    return Person(account["login"], f"Root Program ({account['organisation']})")


def bot() -> Person:
    return Person(_programs()["bots"][0]["login"], "Automation Bot")
