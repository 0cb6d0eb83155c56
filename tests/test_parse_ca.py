"""CA attribution: the mechanics on fictional owners, the coverage on the 1,688 real summaries."""

from __future__ import annotations

from collections import Counter

import pytest

from bzanalytics import ca_from_summary
from bzanalytics.parse.ca import key, lookup, owner_for_domain, summary_prefix
from bzanalytics.parse.tables_data import ca_owners
from tests.parse_helpers import real_bugs


def _fictional_owner() -> dict:
    owners = [o for o in ca_owners() if o["aliases"] and o["former_names"] and o["domains"]
              and o["domains"][0].endswith("example.com")]
    if not owners:
        pytest.skip("no synthetic alias table with aliases, former names and domains")
    return owners[0]


def test_prefix_and_key() -> None:
    assert summary_prefix("[meta] Example Trust: Bad OU [external]") == "Example Trust"
    assert summary_prefix("No colon here") == "No colon here"
    assert key("TÜViT  Süd-GmbH") == key("tuvit sud gmbh") == "tuvitsudgmbh"


def test_name_alias_former_name_and_compound_prefixes() -> None:
    owner = _fictional_owner()
    name, alias, former = owner["name"], owner["aliases"][0], owner["former_names"][0]["name"]
    match = ca_from_summary(f"{name}: Bad OU")
    assert (match.owner, match.raw, match.how) == (name, name, "name")
    spelled = alias.upper().replace(" ", "  ")
    assert ca_from_summary(f"[meta] {spelled}: Bad OU").owner == name
    assert ca_from_summary(f"{former}: Bad OU").how == "former_name"
    assert ca_from_summary(f"{former}: Bad OU").owner == name
    compound = ca_from_summary(f"{alias} / Some Subsidiary: Bad OU")
    assert (compound.owner, compound.how) == (name, "compound")


def test_unknown_prefix_is_kept_raw() -> None:
    match = ca_from_summary("Nobody Heard Of Us CA: Bad OU")
    assert (match.owner, match.raw, match.how) == (None, "Nobody Heard Of Us CA", "unattributed")
    assert ca_from_summary(None).owner is None
    assert ca_from_summary("").how == "unattributed"


def test_domains() -> None:
    owner = _fictional_owner()
    domain = owner["domains"][0]
    assert owner_for_domain(f"someone@{domain}") == owner["name"]
    assert owner_for_domain(f"someone@mail.{domain}") == owner["name"]
    assert owner_for_domain("someone@example.net") is None
    assert owner_for_domain("not-an-address") is None


def test_real_summaries_at_least_98_percent_attributed() -> None:
    bugs = real_bugs()
    how = Counter()
    unattributed = []
    for bug in bugs:
        match = ca_from_summary(bug["summary"])
        how[match.how] += 1
        if match.owner is None:
            assert match.raw  # the raw prefix is kept
            unattributed.append(match.raw)
    share = 1 - len(unattributed) / len(bugs)
    print(f"attributed {share:.2%}; {how}; unattributed: {sorted(set(unattributed))}")
    assert share >= 0.98


def test_real_spellings_of_one_prefix_agree() -> None:
    """Prefixes that differ only in case, spacing or punctuation name one owner."""
    by_key: dict[str, set] = {}
    for bug in real_bugs():
        prefix = summary_prefix(bug["summary"])
        by_key.setdefault(key(prefix), set()).add(ca_from_summary(bug["summary"]).owner)
    assert all(len(owners) == 1 for owners in by_key.values())


def test_alias_table_shape_and_unique_keys() -> None:
    seen: dict[str, str] = {}
    for owner in ca_owners():
        assert set(owner) >= {"name", "ccadb_id", "aliases", "former_names", "domains", "source"}
        assert owner["source"]
        for f in owner["former_names"]:
            assert set(f) == {"name", "until"}
        for text in [owner["name"], *owner["aliases"], *(f["name"] for f in owner["former_names"])]:
            assert seen.setdefault(key(text), owner["name"]) == owner["name"], text
        assert lookup(owner["name"]) == (owner["name"], "name")
