"""Would python-dateutil's free-form parser find dates the parser's patterns miss in real text?

    python bench/real_dateutil.py --texts bench/real/texts [--labels bench/real/labels.jsonl]

For every sentence with a digit in the labelled real excerpts (bench/real/), reads the first date
with `parse.dates.parse_datetime` (the bug's filing time as the reference for year-less dates)
and with `dateutil.parser.parse(fuzzy=True)` (day/month order from the same report context).
A dateutil date counts only when the sentence itself gave the month and the day (parsed twice
with different defaults, the fields that stay equal). Prints how many sentences each finds a
date in, how many dates only dateutil finds, and how many of those are a labelled awareness
date of the bug; bug ids only, no text (the excerpts are third-party words). The result is
docs/parsing.md's reason for not using dateutil as a fallback.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import warnings
from datetime import datetime
from pathlib import Path

from dateutil import parser as du

from bzanalytics.parse.awareness import sentences
from bzanalytics.parse.dates import context_for, parse_datetime

_DIGIT = re.compile(r"\d")
_DEFAULTS = (datetime(2000, 1, 1, 0, 0), datetime(2001, 2, 2, 1, 1))


def _dateutil_day(sentence: str, dayfirst: bool) -> datetime | None:
    """dateutil's fuzzy reading, kept only if the sentence gave month and day itself."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a, b = (du.parse(sentence, fuzzy=True, default=d, dayfirst=dayfirst)
                    for d in _DEFAULTS)
    except (ValueError, OverflowError, TypeError):
        return None
    return a if (a.month, a.day) == (b.month, b.day) else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", type=Path, required=True)
    ap.add_argument("--labels", type=Path,
                    default=Path(__file__).parent / "real" / "labels.jsonl")
    args = ap.parse_args(argv)
    if not args.texts.is_dir():
        print(f"error: texts folder {args.texts} does not exist", file=sys.stderr)
        return 2
    n = ours = theirs = only_theirs = only_theirs_right = 0
    where: list[int] = []
    for line in args.labels.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        bug = json.loads(line)
        path = args.texts / f"{bug['bug_id']}.txt"
        if not path.exists():
            continue
        text = path.read_text("utf-8")
        created = datetime.fromisoformat(bug["created"].replace("Z", "+00:00")) \
            if bug.get("created") else None
        ctx = context_for(text, None, created)
        aware = {(s.get("awareness") or {}).get("date") for s in bug["segments"]} - {None}
        for row in text.splitlines():
            for sentence in sentences(row):
                if not _DIGIT.search(sentence):
                    continue
                n += 1
                mine = parse_datetime(sentence, ctx)
                dayfirst = any(ctx.dayfirst.values())
                other = _dateutil_day(sentence, dayfirst)
                ours += mine is not None
                theirs += other is not None
                if other is not None and mine is None:
                    only_theirs += 1
                    where.append(int(bug["bug_id"]))
                    only_theirs_right += any(
                        d[5:] == f"{other.month:02d}-{other.day:02d}" for d in aware)
    print(f"sentences with a digit: {n}")
    print(f"a date found by the patterns: {ours}; by dateutil (month and day given): {theirs}")
    print(f"found by dateutil only: {only_theirs}, of which a labelled awareness date: "
          f"{only_theirs_right}")
    print("bugs of the dateutil-only finds: " + ", ".join(map(str, sorted(set(where)))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
