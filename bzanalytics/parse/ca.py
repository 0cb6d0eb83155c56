"""Which CA owner a bug is about, from its summary prefix (and, per snapshot, a v3 CCADB id).

The prefix before the first colon (bracket tags dropped) is looked up case-, space-, accent- and
punctuation-insensitively among canonical owner names, aliases and former names, with or without a
trailing legal form ("GmbH", "S.A.", "Co., Ltd."). Compound prefixes ("DigiCert / Siemens") fall
back to their first part.

Two answers to "who is the CA": `owner`, the owner named at filing (the organisation that handled
the incident), and `current_owner`, today's owner after every recorded transfer (`part_of` in the
alias table, each with its date and public source). Distrust decisions of root programs are
recorded beside the owner they concern (`distrusts`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from bzanalytics.parse.tables_data import ca_owners

_TAGS_RE = re.compile(r"\[[^\]]*\]")
_KEY_RE = re.compile(r"[^a-z0-9]+")
_SEPARATORS_RE = re.compile(r"\s*(?:/|\s-\s|\s–\s|\s—\s)\s*")
# Legal forms at the end of a name, after accents are folded and case lowered. Several may follow
# each other ("Co., Ltd."); only trailing ones go, so a name is never cut in its middle.
_LEGAL_FORM_RE = re.compile(
    r"(?:[\s,]+(?:gmbh|ag|ltd|limited|llc|inc|incorporated|corp|corporation|plc|co|company|"
    r"s\.?\s?a|s\.?\s?p\.?\s?a|s\.?\s?l|b\.?\s?v|n\.?\s?v|nv-sa|a\.?\s?s|as|kft|zrt|oy|ab|"
    r"sas|sarl|pte|pty|bhd|srl|spa|sro|s\.?\s?r\.?\s?o)\.?)+\s*$")


@dataclass(frozen=True)
class CAMatch:
    """`owner` is the canonical CA owner at filing or None; `how` says which entry matched.

    `current_owner` is today's owner after every recorded transfer (equal to `owner` when none
    is recorded).
    """

    owner: str | None
    raw: str
    how: str  # name | alias | former_name | compound | leading_words | unattributed
    current_owner: str | None = None


@dataclass(frozen=True)
class Distrust:
    """One root program's distrust decision about an owner, as the alias table records it."""

    by: str
    announced: str | None
    effective: str | None
    scope: str
    source: str


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c)).lower()


def key(text: str) -> str:
    """Comparison key: accents folded, lower case, letters and digits only."""
    return _KEY_RE.sub("", _fold(text))


def bare_key(text: str) -> str:
    """`key` of the name without its trailing legal form ("e-commerce monitoring GmbH")."""
    return _KEY_RE.sub("", _LEGAL_FORM_RE.sub("", _fold(text)))


@cache
def _index() -> dict[str, tuple[str, str]]:
    index: dict[str, tuple[str, str]] = {}
    bare: dict[str, tuple[str, str]] = {}
    for owner in ca_owners():
        name = owner["name"]
        entries = [(name, "name")] + [(a, "alias") for a in owner.get("aliases", [])] + [
            (f["name"], "former_name") for f in owner.get("former_names", [])]
        for text, how in entries:
            index.setdefault(key(text), (name, how))
            bare.setdefault(bare_key(text), (name, how))
    # A name written without (or with another) legal form finds its owner, unless that bare
    # form is already some other owner's exact key: exact spellings always win.
    for k, found in bare.items():
        if k:
            index.setdefault(k, found)
    return index


@cache
def _owners() -> dict[str, dict]:
    return {o["name"]: o for o in ca_owners()}


def current_owner(owner: str | None) -> str | None:
    """Today's owner of `owner` after every recorded transfer (itself when none is recorded)."""
    seen = []
    while owner is not None and owner not in seen:
        seen.append(owner)
        transfers = _owners().get(owner, {}).get("part_of") or []
        if not transfers:
            return owner
        owner = transfers[-1]["owner"]
    return owner


def transfers() -> list[dict[str, str]]:
    """Every recorded transfer: owner, became part of, since, source (for the docs and report)."""
    return [{"owner": o["name"], "part_of": t["owner"], "since": t.get("since"),
             "source": t["source"]} for o in ca_owners() for t in o.get("part_of") or []]


def distrusts(owner: str | None) -> tuple[Distrust, ...]:
    """The distrust decisions recorded for `owner` (empty when none or unknown)."""
    entry = _owners().get(owner or "", {})
    return tuple(Distrust(d["by"], d.get("announced"), d.get("effective"), d["scope"],
                          d["source"]) for d in entry.get("distrusted") or [])


def distrust_label(owner: str | None) -> str | None:
    """A short mark for tables, e.g. "Chrome 2024-11-11; Mozilla 2024-11-30", or None."""
    found = distrusts(owner)
    return "; ".join(f"{d.by} {d.effective or d.announced or '?'}" for d in found) or None


@cache
def _by_ccadb_id() -> dict[str, str]:
    return {o["ccadb_id"]: o["name"] for o in ca_owners() if o.get("ccadb_id")}


@cache
def _domains() -> dict[str, str]:
    return {d.lower(): o["name"] for o in ca_owners() for d in o.get("domains", [])}


def summary_prefix(summary: str) -> str:
    """The text before the first colon after dropping bracket tags (whole summary if none)."""
    text = _TAGS_RE.sub(" ", summary or "").strip()
    head, colon, _ = text.partition(":")
    return " ".join((head if colon else text).split())


def lookup(name: str) -> tuple[str, str] | None:
    """Canonical owner and how it matched, for one name as written (legal form or not)."""
    exact = key(name)
    if not exact:
        return None
    return _index().get(exact) or _index().get(bare_key(name) or exact)


def ca_from_summary(summary: str | None) -> CAMatch:
    """Owner at filing and today's owner of a bug, the raw prefix, and how the owner matched."""
    match = _match_summary(summary)
    return CAMatch(match.owner, match.raw, match.how, current_owner(match.owner))


def _match_summary(summary: str | None) -> CAMatch:
    text = _TAGS_RE.sub(" ", summary or "").strip()
    raw = summary_prefix(summary or "")
    has_colon = ":" in text
    if has_colon:
        found = lookup(raw)
        if found:
            return CAMatch(found[0], raw, found[1])
        parts = [p for p in _SEPARATORS_RE.split(raw) if p]
        if len(parts) > 1 and (found := lookup(parts[0])):
            return CAMatch(found[0], raw, "compound")
    # No colon (or an unknown prefix): the longest run of leading words naming an owner.
    words = re.split(r"\s+|(?<=\w)(?=\s*[-–—/(])", text)
    for n in range(min(len(words), 6), 0, -1):
        found = lookup(" ".join(words[:n]))
        if found and len(key(" ".join(words[:n]))) >= 3:
            lead = " ".join(words[:n]).rstrip(" -–—/(")
            return CAMatch(found[0], raw if has_colon else lead, "leading_words")
    return CAMatch(None, raw, "unattributed")


def owner_for_ccadb_id(ccadb_id: str | None) -> str | None:
    """The owner whose CCADB id this is, if the alias table knows it."""
    return _by_ccadb_id().get(ccadb_id) if ccadb_id else None


@cache
def owner_for_domain(email: str | None) -> str | None:
    """The CA owner whose e-mail domain (or a parent domain) the address uses."""
    if not email or "@" not in email:
        return None
    domain = email.rsplit("@", 1)[1].lower()
    table = _domains()
    parts = domain.split(".")
    for i in range(len(parts) - 1):
        owner = table.get(".".join(parts[i:]))
        if owner:
            return owner
    return None
