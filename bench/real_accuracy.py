"""Accuracy of `parse_report` on the hand-labelled real development set (bench/real/).

    python bench/real_accuracy.py --texts bench/real/texts [--labels bench/real/labels.jsonl]
                                  [--json] [--no-misses]

The texts are stored bug-page excerpts (third-party words, never committed; see
bench/real/README.md to rebuild them). The labels are facts read by hand. Each labelled comment
segment is cut out of its page text by character offsets, checked against its hash, and given to
`parse_report(text, posted=..., created=...)`. Prints per-field accuracy, a template confusion
table, every miss and the set's size by era; exits 1 below the targets, 2 on unusable input
(labels unreadable, texts folder absent), 3 if a held-out bug id is in the labels.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bzanalytics.parse.dates import DAY
from bzanalytics.parse.reports import parse_report

# Held out by issue 16 to check the parser independently: never labelled, never scored.
HELD_OUT = frozenset({
    1390990, 1391068, 1398545, 1401486, 1462844, 1511459, 1521950, 1525710, 1534147, 1534295,
    1536287, 1539190, 1551371, 1551372, 1551375, 1563573, 1575022, 1576013, 1577652, 1588001,
    1645832, 1650845, 1655698, 1663080, 1693343, 1706860, 1711432, 1712188, 1718991, 1729097,
    1750631, 1758372, 1771398, 1771482, 1774418, 1782356, 1782391, 1800405, 1818073, 1837519,
    1861783, 1864204, 1878106, 1879552, 1883731, 1885568, 1886624, 1887705, 1894054, 1896553,
    1898848, 1902748, 1904749, 1910805, 1919304, 1924385, 1934790, 1937210, 1942877, 1945536,
    1946927, 1948600, 1954861, 1954889, 1957140, 1959721, 1963456, 1965807, 1970968, 1972158,
    1972745, 1973238, 1978163, 1979457, 1985307, 1990275, 1991215, 1994454, 1996857, 2001327,
    2004654, 2005399, 2005567, 2007116, 2007221, 2009046, 2009491, 2011238, 2012274, 2014590,
    2015565, 2034360, 2037000, 2052085, 2052541,
})

# Targets of issue 16: (field, comparison, bound).
TARGETS: dict[str, tuple[str, float]] = {
    "template": (">=", 0.95),
    "awareness_date": (">=", 0.90),
    "awareness_minute": (">=", 0.80),
    "awareness_where_none": ("<=", 0.05),
    "negatives": ("==", 0.0),
}
FIELDS = ("template", "kind", "sections", "awareness_date", "awareness_minute",
          "awareness_where_none", "negatives", "non_reports")
EXIT_BELOW, EXIT_INPUT, EXIT_HELD_OUT = 1, 2, 3
DEFAULT_LABELS = Path(__file__).parent / "real" / "labels.jsonl"


class InputError(Exception):
    """Labels or texts that cannot be used at all (one line for the user)."""


@dataclass
class Tally:
    """Counts per field (`bad` counts the cases the field measures: misses, or for
    `awareness_where_none`/`negatives`/`non_reports` the cases where something was found)."""

    total: Counter[str] = field(default_factory=Counter)
    bad: Counter[str] = field(default_factory=Counter)
    misses: list[dict[str, Any]] = field(default_factory=list)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    eras: Counter[str] = field(default_factory=Counter)
    bugs: int = 0
    segments: int = 0

    def add(self, name: str, ok: bool, bug_id: int, expected: Any = None, got: Any = None,
            segment: int | None = None) -> None:
        self.total[name] += 1
        if not ok:
            self.bad[name] += 1
            self.misses.append({"bug_id": bug_id, "segment": segment, "field": name,
                                "expected": expected, "got": got})


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def load_labels(path: Path) -> list[dict[str, Any]]:
    """The labelled bugs (JSON lines, or one JSON list); refuses held-out ids."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read labels {path}: {exc.strerror}") from None
    try:
        stripped = raw.lstrip()
        rows = json.loads(raw) if stripped.startswith("[") else [
            json.loads(line) for line in raw.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise InputError(f"labels {path} are not valid JSON: {exc.msg} (line {exc.lineno})") \
            from None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise InputError(f"labels {path}: expected one JSON object per bug")
    return rows


def held_out_in(labels: list[dict[str, Any]]) -> list[int]:
    return sorted({int(r["bug_id"]) for r in labels if int(r["bug_id"]) in HELD_OUT})


def _expected_bug_awareness(segs: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The bug's stated awareness as methodology.md picks it from the CA's comments: the first
    statement with a UTC minute, else the first with a date; None when none states one."""
    stated = [s["awareness"] for s in segs
              if s.get("author") == "ca" and s.get("awareness") and s["awareness"].get("date")]
    with_minute = [a for a in stated if a.get("utc_minute")]
    return (with_minute or stated or [None])[0]


def _ambiguous(results: list[tuple[dict[str, Any], Any]]) -> bool:
    """A CA comment whose label leaves the date out as ambiguous (the text names more than one
    candidate moment): the bug counts neither as stating a date nor as stating none."""
    return any(s.get("author") == "ca" and s.get("awareness")
               and str(s["awareness"].get("null_reason") or "").startswith("ambiguous")
               for s, _ in results)


def _parsed_bug_awareness(results: list[tuple[dict[str, Any], Any]]) -> Any:
    """The same rule over what the parser read from the CA's comments that it takes for
    reports (as the product does: awareness only comes from report comments)."""
    found = [p.awareness for s, p in results
             if s.get("author") == "ca" and p.kind is not None and p.awareness is not None]
    precise = [a for a in found if a.precision != DAY]
    return (precise or found or [None])[0]


def _date_ok(expected: dict[str, Any], got: Any) -> bool:
    """Right day: the stated calendar date, or the UTC date of the stated minute (a late-evening
    local time can fall on the next or previous UTC day)."""
    days = {date.fromisoformat(expected["date"])}
    if expected.get("utc_minute"):
        days.add(_dt(expected["utc_minute"]).date())  # type: ignore[union-attr]
    return got.time.date() in days


def score_bug(bug: dict[str, Any], text: str, tally: Tally) -> None:
    """Add one bug's fields to the tally (the page text already checked against its hash)."""
    bug_id = int(bug["bug_id"])
    created = _dt(bug.get("created"))
    results: list[tuple[dict[str, Any], Any]] = []
    for seg in bug["segments"]:
        piece = text[seg["start"]:seg["end"]]
        if hashlib.sha256(piece.encode("utf-8")).hexdigest()[:len(seg["check"])] != seg["check"]:
            tally.skipped.append({"bug_id": bug_id, "segment": seg["index"],
                                  "reason": "segment check mismatch"})
            continue
        tally.segments += 1
        p = parse_report(piece, posted=_dt(seg.get("posted")), created=created)
        results.append((seg, p))
        i = seg["index"]
        if seg.get("negative"):
            tally.add("negatives", p.kind is None, bug_id, None, p.kind, i)
        elif not seg.get("is_report") and not seg.get("first_notice"):
            # a CA's first notice may fairly be read as a preliminary report: not judged here
            tally.add("non_reports", p.kind is None, bug_id, None, p.kind, i)
        if not seg.get("is_report"):
            continue
        if seg.get("kind"):  # a report whose kind the labeller could not settle is not scored
            tally.add("kind", p.kind == seg["kind"], bug_id, seg["kind"], p.kind, i)
        if seg.get("template"):
            tally.add("template", p.template == seg["template"], bug_id, seg["template"],
                      p.template, i)
            tally.confusion[(seg["template"], p.template or "none")] += 1
        if seg.get("sections"):
            got = [s for s in dict.fromkeys(p.section_names)]
            tally.add("sections", got == seg["sections"], bug_id, seg["sections"], got, i)
    if not any(s.get("author") == "ca" for s, _ in results):
        return
    expected = _expected_bug_awareness([s for s, _ in results])
    got = _parsed_bug_awareness(results)
    if expected is None:
        if _ambiguous(results):  # the text gives candidates but not which one: not judged
            return
        tally.add("awareness_where_none", got is None, bug_id, None,
                  got.time.isoformat() if got else None)
        return
    tally.add("awareness_date", got is not None and _date_ok(expected, got), bug_id,
              expected["date"], got.time.isoformat() if got else None)
    if expected.get("utc_minute"):
        want = _dt(expected["utc_minute"])
        ok = got is not None and got.precision != DAY and got.time == want
        tally.add("awareness_minute", ok, bug_id, expected["utc_minute"],
                  got.time.isoformat() if got else None)


def score(labels: list[dict[str, Any]], texts: Path) -> Tally:
    """Score every labelled bug whose text is present and unchanged; others are skipped."""
    tally = Tally()
    for bug in labels:
        bug_id = int(bug["bug_id"])
        path = texts / f"{bug_id}.txt"
        try:
            text = path.read_text(encoding="utf-8").rstrip()
        except (OSError, UnicodeDecodeError):
            tally.skipped.append({"bug_id": bug_id, "segment": None, "reason": "text missing"})
            continue
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != bug["sha256"]:
            tally.skipped.append({"bug_id": bug_id, "segment": None, "reason": "hash mismatch"})
            continue
        tally.bugs += 1
        tally.eras[bug.get("era") or "unknown"] += 1
        score_bug(bug, text, tally)
    return tally


def rates(tally: Tally) -> dict[str, dict[str, Any]]:
    """Per field: cases, good (or found), and the rate the target is stated in."""
    out: dict[str, dict[str, Any]] = {}
    for name in FIELDS:
        n = tally.total[name]
        bad = tally.bad[name]
        if name in ("awareness_where_none", "negatives", "non_reports"):
            value = bad / n if n else None  # share where something was wrongly found
        else:
            value = (n - bad) / n if n else None
        out[name] = {"cases": n, "wrong": bad, "rate": value}
    return out


def failures(table: dict[str, dict[str, Any]]) -> list[str]:
    """Fields below their target (a field without cases is not judged)."""
    failed = []
    for name, (op, bound) in TARGETS.items():
        value = table[name]["rate"]
        if value is None:
            continue
        ok = value >= bound if op == ">=" else value <= bound if op == "<=" else value == bound
        if not ok:
            failed.append(name)
    return failed


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"


def print_report(tally: Tally, table: dict[str, dict[str, Any]], show_misses: bool) -> None:
    print(f"bugs scored: {tally.bugs}, segments: {tally.segments}, skipped: {len(tally.skipped)}")
    for s in tally.skipped:
        print(f"  skipped bug {s['bug_id']}"
              + (f" segment {s['segment']}" if s["segment"] is not None else "")
              + f": {s['reason']}")
    print("by era: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.eras.items())))
    print()
    print(f"{'field':<22} {'cases':>6} {'wrong':>6} {'rate':>8}  target")
    for name in FIELDS:
        row = table[name]
        target = TARGETS.get(name)
        shown = f"{target[0]} {100 * target[1]:g} %" if target else "(report only)"
        print(f"{name:<22} {row['cases']:>6} {row['wrong']:>6} {_pct(row['rate']):>8}  {shown}")
    print("(awareness_where_none, negatives and non_reports: the share where the parser found "
          "something that is not there)")
    print()
    print("template confusion (expected -> got):")
    for (want, got), n in sorted(tally.confusion.items()):
        print(f"  {want:<10} -> {got:<10} {n}")
    if show_misses:
        print()
        print(f"misses ({len(tally.misses)}):")
        for m in tally.misses:
            seg = "" if m["segment"] is None else f"#{m['segment']}"
            print(f"  {m['bug_id']}{seg} {m['field']}: expected {m['expected']!r}, "
                  f"got {m['got']!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--texts", type=Path, required=True, help="folder of <bug_id>.txt excerpts")
    ap.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.add_argument("--no-misses", action="store_true", help="do not list every miss")
    args = ap.parse_args(argv)
    try:
        if not args.texts.is_dir():
            raise InputError(f"texts folder {args.texts} does not exist "
                             "(rebuild it as bench/real/README.md says)")
        labels = load_labels(args.labels)
        held = held_out_in(labels)
        if held:
            print(f"error: labels contain held-out bug ids: {held}", file=sys.stderr)
            return EXIT_HELD_OUT
        tally = score(labels, args.texts)
    except (InputError, KeyError, TypeError, ValueError) as exc:
        msg = exc if isinstance(exc, InputError) else f"malformed label ({exc!r})"
        print(f"error: {msg}", file=sys.stderr)
        return EXIT_INPUT
    table = rates(tally)
    failed = failures(table)
    if args.json:
        print(json.dumps({
            "bugs": tally.bugs, "segments": tally.segments, "eras": dict(tally.eras),
            "fields": table, "targets": {k: list(v) for k, v in TARGETS.items()},
            "below_target": failed, "skipped": tally.skipped, "misses": tally.misses,
            "confusion": [{"expected": w, "got": g, "n": n}
                          for (w, g), n in sorted(tally.confusion.items())],
        }, indent=1))
    else:
        print_report(tally, table, not args.no_misses)
        print()
        print("below target: " + (", ".join(failed) if failed else "none"))
    return EXIT_BELOW if failed else 0


if __name__ == "__main__":
    sys.exit(main())
