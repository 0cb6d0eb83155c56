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

# Held out by issue 16 to check the parser independently: never labelled, never scored. Only
# salted SHA-256 prefixes are kept, so the ids themselves are named nowhere in the project.
HELD_OUT_HASHES = frozenset({
    "0145bead598b37e5", "021df6f7518fd3bc", "045c836bdba1b172", "05119e1e12321242",
    "06969558a7432ea9", "0b8d9aaa4d4f9a39", "0fb172bef54a64f2", "11e2e2251cb57371",
    "1794525d600e7a7e", "1f5e7d46e05678bf", "244ee8648c414cef", "2592810b3457cbb7",
    "25affc62e90c9617", "28ccd457017bdb91", "28f020d2d7bb6559", "297daf78bf080fcf",
    "2b162a306fc5865f", "2c0f26d535c1179f", "2ea2cc76a1d3a373", "2ef01c0f53209ff9",
    "3614e3ef3faaf001", "36db0a689e684dee", "3dafd9c18565114f", "3ddc1b95921b20b6",
    "3ef4bd2631443447", "4090aa48c6456bdc", "426d4da94ed16dfb", "470c638f22fe9fc9",
    "476c51f20fa03380", "4abe59fec7520cff", "50f0289c9e16cdbc", "516ff7a96bb2fb17",
    "5292647e08bde963", "529a000be9e66395", "55a7d98cc46573c3", "57910a5980118841",
    "57ad9405c7b80657", "61f7783f9ae45dfb", "62e0bf64bdab9dd6", "68fb3d22edc1e58d",
    "6aaebc9dea674603", "7141b1bd6d52bd85", "71bde8916fcd7c8e", "73ea78e0b12bbc35",
    "76d28401e4ddbfae", "793671922c13ece6", "7dd56853db3db0e9", "7f9d0605997fddbb",
    "83438db9652fbb12", "846f7ab6046930a6", "888f4df68792935c", "8c8b4356e316b9c0",
    "924c939533ea4e28", "929351548215a334", "983bce10f658d1d3", "99e757025bf514b0",
    "9b40cc74ec9f2af0", "a01aa3ed6e65c30d", "a3ce8827bd80ee9a", "a485cc116217fa6c",
    "aa5dc23996f9a43d", "ae24b097926900f3", "aead1fdc60d4bc14", "b4c7cf5cf7322e2c",
    "b51852c568cd12af", "ba2059497bc00b7a", "bbc029a6e4f79161", "c122830c455b56b3",
    "c57743f4c8c0186a", "c6881e3359c37b03", "cb672afd872940ff", "cdc1f602f1bfe285",
    "d3c2d322e5eddc6e", "d45f2d3f4b060c81", "d74515359c9989f8", "d76ef07488ea41b5",
    "dbdee83924efd8e6", "dc4beb7144fadd19", "de6d9e22a18ff374", "e5582f58a0bf04e8",
    "e63278003a00c69d", "e8243266615fe668", "eb1b4375e82164fd", "ede1a2e902485789",
    "f0ba648edbab2773", "f0fadd8f73b88c38", "f1f42d9e1887c996", "f37652a7984b6abe",
    "f38f2bd772a759dc", "f785066c8ebad216", "f8e7f743b70fcff4", "fa1287d87cab863a",
    "fa1ab451604ffca8", "fa68b6c738f27cb7", "fd1ab5597b53850a",
})

# Targets of issue 16: (field, comparison, bound).
TARGETS: dict[str, tuple[str, float]] = {
    "template": (">=", 0.95),
    "awareness_date": (">=", 0.90),
    "awareness_minute": (">=", 0.80),
    "awareness_where_none": ("<=", 0.05),
    "negatives": ("==", 0.0),
    "full_report_promise": (">=", 0.85),
    "full_report_promise_where_none": ("<=", 0.05),
}
FIELDS = ("template", "kind", "sections", "awareness_date", "awareness_minute",
          "awareness_where_none", "negatives", "non_reports", "full_report_promise",
          "full_report_promise_where_none")
#: the fields whose rate is the share where something was found that is not there
FOUND_WRONGLY = ("awareness_where_none", "negatives", "non_reports",
                 "full_report_promise_where_none")
EXIT_BELOW, EXIT_INPUT, EXIT_HELD_OUT = 1, 2, 3


def held_out_hash(bug_id: int) -> str:
    return hashlib.sha256(f"bzanalytics-held-out:{bug_id}".encode()).hexdigest()[:16]
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
    ids = {int(r["bug_id"]) for r in labels}
    return sorted(b for b in ids if held_out_hash(b) in HELD_OUT_HASHES)


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
        if seg.get("author") == "ca":
            _score_promise(seg, p.full_report_promise, bug_id, tally)
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


def _score_promise(seg: dict[str, Any], got: Any, bug_id: int, tally: Tally) -> None:
    """The promised date of the full report in one CA comment: the labelled day (and minute,
    where stated), or none where the label has none."""
    want = seg.get("full_report_promise")
    shown = f"{got.time.isoformat()} ({got.precision})" if got else None
    if want is None:
        tally.add("full_report_promise_where_none", got is None, bug_id, None, shown,
                  seg["index"])
        return
    ok = got is not None and got.time.date() == date.fromisoformat(want["date"])
    if ok and want.get("utc_minute"):
        ok = got.precision != DAY and got.time == _dt(want["utc_minute"])
    tally.add("full_report_promise", ok, bug_id, want, shown, seg["index"])


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
        # the share where something was wrongly found, else the share right
        value = None if not n else bad / n if name in FOUND_WRONGLY else (n - bad) / n
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
    print(f"{'field':<30} {'cases':>6} {'wrong':>6} {'rate':>8}  target")
    for name in FIELDS:
        row = table[name]
        target = TARGETS.get(name)
        shown = f"{target[0]} {100 * target[1]:g} %" if target else "(report only)"
        print(f"{name:<30} {row['cases']:>6} {row['wrong']:>6} {_pct(row['rate']):>8}  {shown}")
    print(f"({', '.join(FOUND_WRONGLY)}: the share where the parser found something that is "
          "not there)")
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
