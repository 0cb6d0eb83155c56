"""Whiteboard tags and the root program's "Next update" / "close on" notices.

Tags are an open vocabulary: every `[...]` token is kept, with known spellings merged
(`disclosure failure` -> `disclosure-failure`, `delayed-revocation-leaf` ->
`leaf-revocation-delay`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bzanalytics.parse.dates import DateContext, parse_datetime

_TAG_ALIASES = {
    "delayed-revocation-leaf": "leaf-revocation-delay",
    "delayed-revocation-ca": "ca-revocation-delay",
    "delayed-revocation": "leaf-revocation-delay",
    "revocation-delay": "leaf-revocation-delay",
}
#: tags with a known meaning (docs/parsing.md, "Whiteboard"); any other tag is kept as found
KNOWN_TAGS = frozenset({
    "ca-compliance", "auditor-compliance", "audit-delay", "covid-19", "ca-revocation-delay",
    "leaf-revocation-delay", "ca-misissuance", "dv-misissuance", "ov-misissuance",
    "ev-misissuance", "iv-misissuance", "smime-misissuance", "crl-failure", "ocsp-failure",
    "policy-failure", "disclosure-failure", "audit-failure", "audit-finding", "uncategorized",
    "ca-informational", "meta",
    # handling tags: where the report came from, the root program's acceptance, OneCRL work
    "external", "remediation-accepted", "ca-onecrl",
})
#: tags about how a bug is handled, not what went wrong: never its category
HANDLING_TAGS = frozenset({"ca-compliance", "external", "remediation-accepted", "ca-onecrl"})
_TAG_RE = re.compile(r"\[([^\[\]]*)\]")
_BROKEN_TAG_RE = re.compile(r"(?<![\w\[])([a-z][a-z0-9]*(?:-[a-z0-9]+)+)\]", re.I)
_NEXT_RE = re.compile(r"next\s*-?\s*update\b\s*(?:on|by|at|:|-|due)?\s*(.{0,25})", re.I)
_CLOSE_RE = re.compile(r"\bclos(?:e|ing)\s+on\s*:?\s*(.{0,25})", re.I)
# Whiteboard dates are written by root-program staff: numeric dates are month-first unless a
# part is above 12 or the separator is a dot (European style).
_WB_CONTEXT = DateContext()


@dataclass(frozen=True)
class Whiteboard:
    """A parsed Whiteboard: canonical tags in order, the two dated notices, the leftover text."""

    tags: tuple[str, ...]
    next_update: date | None
    close_on: date | None
    free_text: str


def canonical_tag(tag: str) -> str:
    """One spelling per tag: lower case, hyphens for spaces, old names mapped to new ones."""
    t = re.sub(r"[\s_]+", "-", tag.strip().lower())
    return _TAG_ALIASES.get(t, t)


def _date_after(match: re.Match[str] | None) -> date | None:
    if match is None:
        return None
    parsed = parse_datetime(match.group(1), _WB_CONTEXT)
    if parsed is None or parsed.start > 4:
        return None
    return parsed.time.date()


def parse_whiteboard(text: str | None) -> Whiteboard:
    """Tags, Next update date, close-on date and free text of one Whiteboard value."""
    text = text or ""
    tags: list[str] = []
    close_on = next_update = None
    for raw in _TAG_RE.findall(text):
        if _CLOSE_RE.search(raw):
            close_on = _date_after(_CLOSE_RE.search(raw))
        elif _NEXT_RE.search(raw):
            next_update = _date_after(_NEXT_RE.search(raw))
        elif raw.strip():
            tags.append(canonical_tag(raw))
    rest = _TAG_RE.sub(" ", text)
    for raw in _BROKEN_TAG_RE.findall(rest):
        tags.append(canonical_tag(raw))
    rest = _BROKEN_TAG_RE.sub(" ", rest)
    if close_on is None:
        close_on = _date_after(_CLOSE_RE.search(rest))
    seen: dict[str, None] = dict.fromkeys(tags)
    if next_update is None:
        next_update = _date_after(_NEXT_RE.search(rest))
    return Whiteboard(tags=tuple(seen), next_update=next_update, close_on=close_on,
                      free_text=" ".join(rest.split()))


def is_known(tag: str) -> bool:
    """Whether a canonical tag is one of `KNOWN_TAGS`."""
    return tag in KNOWN_TAGS


def category(tags: tuple[str, ...]) -> str:
    """The first tag other than the handling tags (`ca-compliance`, `external`,
    `remediation-accepted`, `ca-onecrl`), or `uncategorized` (methodology.md, Counts)."""
    return next((t for t in tags if t not in HANDLING_TAGS), "uncategorized")
