"""Whiteboard values: tags in their real spellings, "Next update" dates, "close on" notices."""

from __future__ import annotations

from datetime import date
from random import Random

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Spelling variants seen in real Whiteboards, mapped to the canonical tag.
TAG_VARIANTS = {
    "leaf-revocation-delay": ("delayed-revocation-leaf",),
    "ca-revocation-delay": ("delayed-revocation-ca",),
    "disclosure-failure": ("disclosure failure",),
}
RENAME_DAY = date(2021, 1, 1)  # before this, revocation-delay tags used the old names


def tag_spelling(tag: str, when: date, rng: Random) -> str:
    variants = TAG_VARIANTS.get(tag, ())
    if not variants:
        return tag
    if tag.endswith("revocation-delay"):
        return variants[0] if when < RENAME_DAY else tag
    return variants[0] if rng.random() < 0.1 else tag


def render_tags(tags: list[str], rng: Random) -> str:
    sep = "" if rng.random() < 0.15 else " "
    return sep.join(f"[{t}]" for t in tags)


def next_update_text(d: date, rng: Random) -> str:
    """One of the "Next update" forms of the real metadata; numeric M-D-Y only when unambiguous."""
    word = "Next update" if rng.random() < 0.9 else "Next Update"
    roll = rng.random()
    if roll < 0.8:
        value = d.isoformat()
    elif roll < 0.88 and d.day > 12:
        value = f"{d.month}-{d.day}-{d.year}"
    elif roll < 0.96:
        value = f"{d.day:02d}-{MONTH_ABBR[d.month - 1]}-{d.year}"
    else:
        value = f"{d.year}-{MONTH_ABBR[d.month - 1]}-{d.day:02d}"
    return f"{word} {value}"


def compose(tags: str, extra: str) -> str:
    return f"{tags} {extra}".strip() if extra else tags
