"""Compare a synthetic corpus with the real component's metadata, side by side.

    .venv/bin/python bench/compare_corpus.py                       # data/sample vs the real file
    .venv/bin/python bench/compare_corpus.py --corpus out/s2000    # any corpus directory

The real file (`../shared/data/bmo-ca-compliance-bugs.json`, not part of the project) is only
read here to print aggregate shares; nothing of it is copied. It has no assignee and no comments,
so "self-filed" is estimated the same way on both sides: the creator's e-mail domain names the
summary's CA. The synthetic side also shows the planted self-filed share from truth.json.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REAL = REPO.parent / "shared" / "data" / "bmo-ca-compliance-bugs.json"
TAG_ALIASES = {"delayed-revocation-leaf": "leaf-revocation-delay",
               "delayed-revocation-ca": "ca-revocation-delay",
               "disclosure failure": "disclosure-failure", "ca compliance": "ca-compliance"}
IGNORED_LABELS = {"com", "org", "net", "example", "www", "mail", "co", "uk", "de", "nl"}


def _norm(s: str) -> str:
    return re.sub(r"[\W_]+", "", s).lower()


def prefix(summary: str) -> str:
    summary = re.sub(r"\[[^\]]*\]", "", summary)
    return summary.split(":", 1)[0].strip() if ":" in summary else ""


def looks_self_filed(bug: dict) -> bool:
    """Estimate: some label of the creator's domain (4+ letters) starts the summary's CA name."""
    domain = bug["creator"].split("@")[-1].lower()
    name = _norm(prefix(bug["summary"]))
    labels = [_norm(x) for x in domain.split(".") if x not in IGNORED_LABELS]
    return bool(name) and any(len(x) >= 4 and (name.startswith(x[:5]) or x in name)
                              for x in labels)


def tags(whiteboard: str) -> list[str]:
    return [TAG_ALIASES.get(t.strip().lower(), t.strip().lower())
            for t in re.findall(r"\[([^\]]+)\]", whiteboard or "")]


def profile(bugs: list[dict]) -> dict[str, float]:
    """Shares (in %) of what the two sides should have in common."""
    n = len(bugs)
    out: dict[str, float] = {"bugs": n}
    years = Counter(b["creation_time"][:4] for b in bugs)
    for year in sorted(years):
        out[f"year {year}"] = 100 * years[year] / n
    out["self-filed (domain estimate)"] = 100 * sum(map(looks_self_filed, bugs)) / n
    mix = Counter(f"{b['status']} {b['resolution']}".strip() for b in bugs)
    for key, count in mix.items():
        out[f"status {key}"] = 100 * count / n
    tag_count = Counter(t for b in bugs for t in set(tags(b["whiteboard"]))
                        if not t.startswith("close on"))
    for tag, count in tag_count.items():
        out[f"tag [{tag}]"] = 100 * count / n
    wb = lambda b: (b["whiteboard"] or "").lower()  # noqa: E731
    checks = {"whiteboard has Next update": lambda b: "next update" in wb(b),
              "whiteboard has close on": lambda b: "close on" in wb(b),
              "summary has [meta]": lambda b: "[meta]" in b["summary"].lower(),
              "summary 'Findings in 20XX Audit'": lambda b: bool(
                  re.search(r"findings in 20\d\d audit", b["summary"], re.I)),
              "summary without 'CA:' prefix": lambda b: not prefix(b["summary"])}
    for label, test in checks.items():
        out[label] = 100 * sum(map(test, bugs)) / n
    prefixes = Counter(prefix(b["summary"]) for b in bugs if prefix(b["summary"]))
    out["distinct summary prefixes"] = len(prefixes)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=REPO / "data" / "sample")
    ap.add_argument("--real", type=Path, default=REAL)
    args = ap.parse_args(argv)
    if not args.real.exists():
        print(f"compare_corpus: real metadata not found at {args.real}; nothing to compare")
        return 0
    real = json.loads(args.real.read_text(encoding="utf-8"))
    synth = [json.loads(line) for line in (args.corpus / "bugs.jsonl").open(encoding="utf-8")]
    truth = json.loads((args.corpus / "truth.json").read_text(encoding="utf-8"))["bugs"]
    a, b = profile(real), profile(synth)
    b_planted = 100 * sum(e["self_filed"] for e in truth.values()) / len(truth)
    print(f"{'measure':<40} {'real':>9} {'synthetic':>10}")
    counts = ("bugs", "distinct summary prefixes")
    for key in sorted(set(a) | set(b), key=lambda k: (k not in counts, k.split()[0], k)):
        fmt = (lambda v: f"{v:.0f}") if key in counts else (lambda v: f"{v:.1f}%")
        ra = fmt(a[key]) if key in a else "-"
        sb = fmt(b[key]) if key in b else "-"
        print(f"{key:<40} {ra:>9} {sb:>10}")
    print(f"{'self-filed (planted truth)':<40} {'-':>9} {b_planted:>9.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
