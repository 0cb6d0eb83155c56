"""CA attribution: the mechanics on fictional owners, the coverage on the 1,688 real summaries."""

from __future__ import annotations

from collections import Counter

import pytest

from bzanalytics import ca_from_summary
from bzanalytics.parse.ca import (
    bare_key,
    current_owner,
    distrust_label,
    distrusts,
    key,
    lookup,
    owner_for_domain,
    summary_prefix,
    transfers,
)
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
    """Both groupings: the owner at filing and today's owner after recorded transfers."""
    bugs = real_bugs()
    how = Counter()
    unattributed = []
    no_current = 0
    for bug in bugs:
        match = ca_from_summary(bug["summary"])
        how[match.how] += 1
        no_current += match.current_owner is None
        if match.owner is None:
            assert match.raw  # the raw prefix is kept
            unattributed.append(match.raw)
    share = 1 - len(unattributed) / len(bugs)
    print(f"attributed {share:.2%}; {how}; unattributed: {sorted(set(unattributed))}")
    assert share >= 0.98
    assert 1 - no_current / len(bugs) >= 0.98


def test_real_current_owner_rolls_quovadis_into_digicert() -> None:
    """QuoVadis bugs keep QuoVadis as owner at filing and count for DigiCert today."""
    owners = Counter()
    current = Counter()
    for bug in real_bugs():
        match = ca_from_summary(bug["summary"])
        owners[match.owner] += 1
        current[match.current_owner] += 1
    assert owners["QuoVadis"] > 0
    assert current["QuoVadis"] == 0
    assert current["DigiCert"] == owners["DigiCert"] + owners["QuoVadis"]
    # every other owner is unchanged: only recorded transfers move bugs
    moved = {t["owner"] for t in transfers()}
    for name, n in owners.items():
        if name not in moved and name not in {t["part_of"] for t in transfers()}:
            assert current[name] == n, name


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


@pytest.mark.parametrize(("written", "owner"), [
    ("e-commerce monitoring", "e-commerce monitoring GmbH"),   # the issue's own example
    ("e-commerce monitoring GmbH", "e-commerce monitoring GmbH"),
    ("Actalis", "Actalis"),
    ("Actalis S.p.A.", "Actalis"),
    ("Actalis SpA", "Actalis"),                                 # another spelling of the form
    ("Buypass AS", "Buypass"),
    ("Sectigo Ltd", "Sectigo"),                                 # a form the table never lists
    ("Chunghwa Telecom Co., Ltd.", "Chunghwa Telecom"),
    ("Chunghwa Telecom Co.", "Chunghwa Telecom"),
    ("AC Camerfirma SA", "AC Camerfirma, S.A."),
    ("IdenTrust Services, LLC", "IdenTrust"),
    ("Microsoft Corporation", "Microsoft Corporation"),
    ("Certainly LLC", "Certainly"),
])
def test_legal_forms_are_not_part_of_a_name(written: str, owner: str) -> None:
    assert ca_from_summary(f"{written}: Some incident").owner == owner


@pytest.mark.parametrize(("text", "bare"), [
    ("Example Co., Ltd.", "example"),
    ("Example GmbH", "example"),
    ("Example S.A.", "example"),
    ("Example B.V.", "example"),
    ("Company Example", "companyexample"),     # a legal word at the start is part of the name
    ("Example Company Trust", "examplecompanytrust"),  # ... and in the middle too
    ("Asseco", "asseco"),                      # "as" only as a separate trailing word
    ("GmbH", "gmbh"),                          # a name that is only a form keeps it
])
def test_bare_key_strips_trailing_forms_only(text: str, bare: str) -> None:
    assert bare_key(text) == bare


def test_legal_form_rule_never_merges_owners_that_share_no_alias() -> None:
    """Over the whole table (real and fictional): dropping legal forms joins no two owners."""
    exact: dict[str, set[str]] = {}
    bare: dict[str, set[str]] = {}
    for owner in ca_owners():
        names = [owner["name"], *owner["aliases"], *(f["name"] for f in owner["former_names"])]
        for text in names:
            exact.setdefault(owner["name"], set()).add(key(text))
            bare.setdefault(owner["name"], set()).add(bare_key(text))
    owners = sorted(exact)
    for i, a in enumerate(owners):
        for b in owners[i + 1:]:
            if exact[a] & exact[b]:
                continue
            assert not bare[a] & bare[b], (a, b, bare[a] & bare[b])
            assert not bare[a] & exact[b] and not exact[a] & bare[b], (a, b)


def test_current_owner_follows_recorded_transfers_only() -> None:
    assert current_owner("QuoVadis") == "DigiCert"
    assert current_owner("DigiCert") == "DigiCert"
    assert current_owner("Sectigo") == "Sectigo"       # a rename is not a transfer
    assert current_owner("Not In The Table") == "Not In The Table"
    assert current_owner(None) is None
    match = ca_from_summary("QuoVadis: Incorrect OU")
    assert (match.owner, match.current_owner) == ("QuoVadis", "DigiCert")
    unattributed = ca_from_summary("Certificates with odd encodings")
    assert (unattributed.owner, unattributed.current_owner) == (None, None)


def test_transfers_and_distrust_entries_are_sourced_and_dated() -> None:
    iso = r"^\d{4}(-\d{2}-\d{2})?$"
    import re

    names = {o["name"] for o in ca_owners()}
    recorded = 0
    for owner in ca_owners():
        for t in owner.get("part_of") or []:
            recorded += 1
            assert t["owner"] in names, t
            assert t["owner"] != owner["name"]
            assert re.match(iso, t["since"]), t
            assert "http" in t["source"], t
        for d in owner.get("distrusted") or []:
            recorded += 1
            assert d["by"] in {"Mozilla", "Chrome", "Apple", "Microsoft"}, d
            assert d["effective"] is None or re.match(iso, d["effective"]), d
            assert d["announced"] is None or re.match(iso, d["announced"]), d
            assert "http" in d["source"] and d["scope"], d
    assert recorded >= 5
    assert {t["owner"] for t in transfers()} >= {"QuoVadis"}


def test_distrust_marks() -> None:
    assert distrust_label("Entrust") == "Chrome 2024-11-11; Mozilla 2024-11-30"
    assert [d.by for d in distrusts("TrustCor")] == ["Mozilla", "Chrome"]
    assert distrusts("DigiCert") == ()
    assert distrust_label("Not In The Table") is None
    assert distrust_label(None) is None
