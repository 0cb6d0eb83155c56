"""Check every metric of the incidents table against the synthetic corpus's planted truth.

    .venv/bin/python bench/metrics_truth.py --bugs 20000             # generate, import, compare
    .venv/bin/python bench/metrics_truth.py --corpus data/sample      # an existing corpus dir

The truth (`truth.json`) is computed by the generator from the events it planted, never from
text; the incidents table is computed from the text through parse and metrics. Every value of
every metric column must agree exactly (floats to 1e-5, the truth rounds to 6 decimals), and
so must the truth's rows of questions, Next-update promises and counted update gaps. Prints the
mismatches per column and a few examples; exit status 1 when any value differs.

`--slack-seconds S` accepts durations that differ by at most S seconds (a diagnostic: early
generators planted times with microseconds while BMO's JSON carries whole seconds).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

TOLERANCE = 1e-5  # the truth rounds to 6 decimals
UNIT_SECONDS = {"hours": 3600.0, "days": 86400.0}


def load_truth(corpus: Path) -> dict[str, Any]:
    return json.loads((corpus / "truth.json").read_text(encoding="utf-8"))


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and math.isnan(value))


def _same(ours: Any, truth: Any, slack: float = 0.0) -> bool:
    if _missing(ours) or _missing(truth):
        return _missing(ours) and _missing(truth)
    if isinstance(truth, bool) or isinstance(ours, bool):
        return bool(ours) == bool(truth)
    if isinstance(truth, int | float) and not isinstance(truth, bool):
        return abs(float(ours) - float(truth)) <= TOLERANCE + slack
    return str(ours) == str(truth)


def _slack(column: str, seconds: float) -> float:
    unit = next((u for word, u in UNIT_SECONDS.items() if word in column), None)
    return seconds / unit if unit else 0.0


def compare(incidents: pd.DataFrame, truth: dict[str, Any], seconds: float = 0.0
            ) -> pd.DataFrame:
    """One row per disagreeing value: bug_id, column, ours, truth (columns the truth names).

    Durations may differ by up to `seconds`; everything else must be equal.
    """
    ours = incidents.assign(bug_id=incidents["bug_id"].astype("int64")).set_index("bug_id")
    rows = []
    for key, entry in truth["bugs"].items():
        bug = int(key)
        if bug not in ours.index:
            rows.append({"bug_id": bug, "column": "(bug)", "ours": None, "truth": "present"})
            continue
        mine = ours.loc[bug]
        for column, expected in entry["metrics"].items():
            got = mine[column] if column in mine.index else "(no such column)"
            if not _same(got, expected, _slack(column, seconds)):
                rows.append({"bug_id": bug, "column": column, "ours": got, "truth": expected})
    extra = set(ours.index) - {int(k) for k in truth["bugs"]}
    rows += [{"bug_id": b, "column": "(bug)", "ours": "present", "truth": None} for b in extra]
    return pd.DataFrame(rows, columns=["bug_id", "column", "ours", "truth"])


def _pairs(ours: pd.DataFrame, theirs: list[tuple], what: str) -> list[dict[str, Any]]:
    mine = sorted(ours.itertuples(index=False, name=None))
    missing = sorted(set(theirs) - set(mine))
    extra = sorted(set(mine) - set(theirs))
    return ([{"bug_id": t[0], "column": what, "ours": None, "truth": t} for t in missing]
            + [{"bug_id": t[0], "column": what, "ours": t, "truth": None} for t in extra])


def compare_rows(measured: dict[str, pd.DataFrame], truth: dict[str, Any]) -> pd.DataFrame:
    """The truth's questions, promises and counted gaps against ours, as (bug, key) tuples."""
    def stamp(t: Any) -> str:
        return pd.Timestamp(t).strftime("%Y-%m-%dT%H:%M:%SZ")

    def answer(q: dict[str, Any]) -> int:
        return -1 if q["answer_count"] is None else q["answer_count"]

    bugs = {int(k): v for k, v in truth["bugs"].items()}
    q, p, g = measured["questions"], measured["promises"], measured["update_gaps"]
    ours_q = pd.DataFrame({"b": q["bug_id"].astype(int), "c": q["count"].astype(int),
                           "a": q["answer_count"].fillna(-1).astype(int),
                           "late": q["late"].astype(bool)})
    ours_p = pd.DataFrame({"b": p["bug_id"].astype(int), "s": p["set_time"].map(stamp),
                           "d": p["next_update"].dt.strftime("%Y-%m-%d"), "st": p["status"]})
    ours_g = pd.DataFrame({"b": g["bug_id"].astype(int), "s": g["start"].map(stamp),
                           "e": g["end"].map(stamp)})
    rows = _pairs(ours_q, [(b, x["count"], answer(x), bool(x["late"]))
                           for b, e in bugs.items() for x in e.get("questions", [])], "(question)")
    rows += _pairs(ours_p, [(b, x["set"], x["date"], x["status"])
                            for b, e in bugs.items() for x in e.get("promises", [])],
                   "(promise)")
    rows += _pairs(ours_g, [(b, x["start"], x["end"])
                            for b, e in bugs.items() for x in e.get("gaps", []) if x["counts"]],
                   "(gap)")
    if "action_items" in measured:
        rows += compare_action_items(measured["action_items"], bugs)
    return pd.DataFrame(rows, columns=["bug_id", "column", "ours", "truth"])


def _text(value: Any) -> Any:
    return None if _missing(value) else value


def _day(value: Any) -> str | None:
    return None if _missing(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _stamp(value: Any) -> str | None:
    return None if _missing(value) else pd.Timestamp(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def _flag(value: Any) -> bool | None:
    return None if _missing(value) else bool(value)


ITEM_ROW_KEYS = ("count", "row", "item", "form", "text", "kind", "due", "due_precision",
                 "status", "status_date", "match", "change", "change_time", "within", "rule")
ITEM_KEYS = ("item", "origin_count", "completed_at", "slipped", "on_time", "outcome",
             "change_reported_within_3d")


def _multiset_pairs(mine: list[tuple], theirs: list[tuple], what: str) -> list[dict[str, Any]]:
    """Like `_pairs`, for tuples holding None (counted, not sorted)."""
    ours, truth = Counter(mine), Counter(theirs)
    return ([{"bug_id": t[0], "column": what, "ours": None, "truth": t}
             for t in sorted(truth - ours, key=repr)]
            + [{"bug_id": t[0], "column": what, "ours": t, "truth": None}
               for t in sorted(ours - truth, key=repr)])


def compare_action_items(items: pd.DataFrame, bugs: dict[int, Any]) -> list[dict[str, Any]]:
    """Every planted Action Item row (one per item per comment) and every item's completion,
    slip and outcome, against `snapshot.action_items()`, as tuples."""
    rows = [(int(r.bug_id), int(r.count), int(r.row), int(r.item), r.form, r.text,
             _text(r.kind), _day(r.due), _text(r.due_precision), _text(r.status),
             _day(r.status_date), r.match, r.change, _stamp(r.change_time),
             _flag(r.change_reported_within_3d), r.change_rule)
            for r in items.itertuples(index=False)]
    origin = items.loc[items["match"].eq("origin").to_numpy()]
    per_item = [(int(r.bug_id), int(r.item), int(r.count), _stamp(r.completed_at),
                 _flag(r.slipped), _flag(r.on_time), r.outcome,
                 _flag(r.item_change_reported_within_3d))
                for r in origin.itertuples(index=False)]
    out = _multiset_pairs(rows, [(b, *(x[k] for k in ITEM_ROW_KEYS))
                                      for b, e in bugs.items()
                                      for x in e.get("action_item_rows", [])], "(action item row)")
    out += _multiset_pairs(per_item, [(b, *(x[k] for k in ITEM_KEYS))
                                           for b, e in bugs.items()
                                           for x in e.get("action_items", [])], "(action item)")
    return out


def values_compared(truth: dict[str, Any]) -> int:
    return sum(len(entry["metrics"]) for entry in truth["bugs"].values())


def add_corpus_arguments(parser: argparse.ArgumentParser) -> None:
    """--bugs N (generate) or --corpus DIR, with --seed and --workdir: shared by the bench scripts
    that measure a synthetic corpus."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--bugs", type=int, help="generate a corpus of this many bugs")
    source.add_argument("--corpus", type=Path, help="an existing corpus directory")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=Path("out/bench"))


def corpus_from(args: argparse.Namespace, prefix: str = "truth") -> Path:
    """The corpus the arguments name, generated under --workdir (once) when --bugs is given."""
    if not args.bugs:
        return args.corpus
    from bzanalytics.synth.corpus import write_corpus

    corpus = args.workdir / f"{prefix}-{args.bugs}-s{args.seed}"
    if not (corpus / "truth.json").exists():
        write_corpus(corpus, args.bugs, args.seed)
    return corpus


def snapshot_of(corpus: Path, db: Path) -> Path:
    """Import the corpus into `db` (reused while it is newer than the corpus's bugs.jsonl)."""
    from bzanalytics.snapshot.dumps import import_dumps
    from bzanalytics.snapshot.store import Store

    if db.exists() and db.stat().st_mtime < (corpus / "bugs.jsonl").stat().st_mtime:
        db.unlink()
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        with Store.open(db) as store:
            import_dumps(store, [corpus])
    return db


def measured_frames(db: Path) -> dict[str, pd.DataFrame]:
    """incidents, questions, promises and update_gaps of a snapshot, excluded bugs included."""
    from bzanalytics.snapshot.frames import open_snapshot

    with open_snapshot(db) as snapshot:
        return {name: getattr(snapshot, name)(include_excluded=True)
                for name in ("incidents", "questions", "promises", "update_gaps",
                             "action_items")}


def run(corpus: Path, db: Path, slack_seconds: float = 0.0) -> dict[str, Any]:
    truth = load_truth(corpus)
    start = time.perf_counter()
    measured = measured_frames(snapshot_of(corpus, db))
    seconds = time.perf_counter() - start
    exact = compare(measured["incidents"], truth)
    diff = pd.concat([compare(measured["incidents"], truth, slack_seconds),
                      compare_rows(measured, truth)], ignore_index=True)
    return {
        "corpus": str(corpus), "bugs": len(truth["bugs"]), "values": values_compared(truth),
        "slack_seconds": slack_seconds, "mismatches": len(diff),
        "by_column": diff["column"].value_counts().to_dict(),
        "exact_mismatches_by_column": exact["column"].value_counts().to_dict(),
        "rows_compared": {k: len(v) for k, v in measured.items()},
        "seconds_import_parse_measure": round(seconds, 1), "diff": diff,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_corpus_arguments(parser)
    parser.add_argument("--show", type=int, default=10, help="examples to print per column")
    parser.add_argument("--slack-seconds", type=float, default=0.0,
                        help="accept durations this many seconds off (see the docstring)")
    args = parser.parse_args(argv)
    corpus = corpus_from(args)
    result = run(corpus, args.workdir / f"{corpus.name}.sqlite", args.slack_seconds)
    diff = result.pop("diff")
    print(json.dumps(result, indent=1))
    for column, rows in diff.groupby("column"):
        print(f"\n{column}: {len(rows)} mismatches")
        print(rows.head(args.show).to_string(index=False))
    return 1 if len(diff) else 0


if __name__ == "__main__":
    sys.exit(main())
