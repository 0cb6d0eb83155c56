"""Which CA owner a bug is about, from its summary prefix (and, per snapshot, a v3 CCADB id).

The prefix before the first colon (bracket tags dropped) is looked up case-, space-, accent- and
punctuation-insensitively among canonical owner names, aliases and former names. Compound
prefixes ("DigiCert / Siemens") fall back to their first part.
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


@dataclass(frozen=True)
class CAMatch:
    """`owner` is the canonical CA owner or None; `how` says which table entry matched."""

    owner: str | None
    raw: str
    how: str  # name | alias | former_name | compound | leading_words | unattributed


def key(text: str) -> str:
    """Comparison key: accents folded, lower case, letters and digits only."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _KEY_RE.sub("", folded.lower())


@cache
def _index() -> dict[str, tuple[str, str]]:
    index: dict[str, tuple[str, str]] = {}
    for owner in ca_owners():
        name = owner["name"]
        entries = [(name, "name")] + [(a, "alias") for a in owner.get("aliases", [])] + [
            (f["name"], "former_name") for f in owner.get("former_names", [])]
        for text, how in entries:
            index.setdefault(key(text), (name, how))
    return index


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
    """Canonical owner and how it matched, for one name as written."""
    return _index().get(key(name)) if key(name) else None


def ca_from_summary(summary: str | None) -> CAMatch:
    """Canonical CA owner of a bug from its summary, the raw prefix, and how it matched."""
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
