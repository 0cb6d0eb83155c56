"""Parse accuracy against a synthetic corpus's ground truth (truth.json).

    python bench/parse_accuracy.py [--corpus data/sample] [--show 5]

Prints, over public comments: report kind and template, sections (distinct names in order), and
roles; over bugs: CA attribution and awareness (exact minute where the truth is minute-precise,
same day where it is day-precise). Reads bugs.jsonl straight into frames typed as frames.py
types them, so it needs nothing but the corpus directory.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from bzanalytics.parse.tables import analyze

UTC = "datetime64[us, UTC]"


def load_corpus(directory: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bugs and public comments of a corpus directory, typed like `frames.py`."""
    bugs: list[dict[str, Any]] = []
    comments: list[dict[str, Any]] = []
    with (directory / "bugs.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            bug = json.loads(line)
            bugs.append({"bug_id": bug["id"], "summary": bug.get("summary"),
                         "creator": bug.get("creator"), "assigned_to": bug.get("assigned_to"),
                         "creation_time": bug.get("creation_time"),
                         "whiteboard": bug.get("whiteboard")})
            for c in bug.get("comments", []):
                if c.get("is_private"):
                    continue
                comments.append({"bug_id": bug["id"], "comment_id": c["id"], "count": c["count"],
                                 "author": c.get("creator") or c.get("author"),
                                 "time": c.get("creation_time") or c.get("time"),
                                 "is_private": False,
                                 "text": c.get("raw_text") or c.get("text"),
                                 "attachment_id": c.get("attachment_id")})
    b = pd.DataFrame(bugs).astype({"bug_id": "Int64", "summary": "str", "creator": "str",
                                   "assigned_to": "str", "whiteboard": "str"})
    b["creation_time"] = pd.to_datetime(b["creation_time"], utc=True).astype(UTC)
    c = pd.DataFrame(comments).astype({"bug_id": "Int64", "comment_id": "Int64",
                                       "count": "Int64", "author": "str", "is_private": "boolean",
                                       "text": "str", "attachment_id": "Int64"})
    c["time"] = pd.to_datetime(c["time"], utc=True).astype(UTC)
    return b, c


def _na(value: Any) -> Any:
    return None if value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and value != value) else value


def measure(directory: Path, show: int = 0) -> dict[str, tuple[int, int]]:
    """(correct, total) per measure; prints up to `show` misses of each."""
    truth = json.loads((directory / "truth.json").read_text(encoding="utf-8"))["bugs"]
    bugs, comments = load_corpus(directory)
    parsed = analyze(bugs, comments)
    scores: dict[str, list[int]] = {k: [0, 0] for k in (
        "kind+template", "sections", "roles", "ca", "awareness")}
    misses: Counter[str] = Counter()

    def score(name: str, ok: bool, detail: str) -> None:
        scores[name][0] += ok
        scores[name][1] += 1
        if not ok and misses[name] < show:
            misses[name] += 1
            print(f"[{name}] {detail}")

    reports = parsed.reports.set_index(["bug_id", "count"])
    pc = parsed.comments
    for bug_id, count, role, kind in zip(pc["bug_id"], pc["count"], pc["role"],
                                         pc["report_kind"], strict=True):
        t = truth[str(bug_id)]["comments"].get(str(count))
        if t is None:
            continue
        where = f"bug {bug_id} c{count}"
        score("roles", role == t["role"], f"{where}: role {role} vs {t['role']}")
        template = _na(reports.loc[(bug_id, count), "template"]) if (
            bug_id, count) in reports.index else None
        got = (_na(kind), template)
        score("kind+template", got == (t["kind"], t["template"]),
              f"{where}: {got} vs {(t['kind'], t['template'])}")
        if t["kind"] is not None and got == (t["kind"], t["template"]):
            names = _na(reports.loc[(bug_id, count), "sections"]) or ""  # none: missing
            mine = list(dict.fromkeys(n for n in names.split(";") if n))
            score("sections", mine == t["sections"], f"{where}: {mine} vs {t['sections']}")
    inc = parsed.incidents.set_index("bug_id")
    for bug_id, t in truth.items():
        row = inc.loc[int(bug_id)]
        score("ca", _na(row["ca"]) == t["ca"], f"bug {bug_id}: {row['ca']} vs {t['ca']}")
        aw = t.get("awareness") or {}
        if aw.get("time") is None:
            continue
        want = pd.Timestamp(aw["time"])
        got_t, got_p = _na(row["aware_time"]), _na(row["aware_precision"])
        ok = got_t is not None and got_p == aw["precision"] and (
            got_t == want if aw["precision"] == "minute" else got_t.date() == want.date())
        score("awareness", ok, f"bug {bug_id}: {got_t} {got_p} vs {want} {aw['precision']} "
                               f"({row['aware_source']}, comment {row['aware_count']})")
    return {k: (v[0], v[1]) for k, v in scores.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("data/sample"))
    ap.add_argument("--show", type=int, default=0, help="print this many misses per measure")
    args = ap.parse_args(argv)
    if not (args.corpus / "truth.json").is_file():
        print(f"{args.corpus} has no truth.json (not a synthetic corpus)", file=sys.stderr)
        return 2
    for name, (ok, total) in measure(args.corpus, args.show).items():
        pct = 100 * ok / total if total else float("nan")
        print(f"{name:14s} {ok:6d} / {total:6d}  {pct:6.2f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
