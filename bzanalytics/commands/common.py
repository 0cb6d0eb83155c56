"""What several commands share: flag types, the per-CA options (grouping, distrusted owners,
corrections), the refusal of an empty snapshot, Ctrl-C notes."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import Any

from bzanalytics.errors import UsageError

READ_ONLY_INTERRUPTED = "nothing was changed"
OUTPUT_INTERRUPTED = "{out} was left as it was (it is replaced whole or not at all)"


def require_bugs(snapshot: Any, label: object) -> None:
    """The one rule for `scorecard` and `report`: a snapshot without bugs has nothing to show."""
    if snapshot.bugs().empty:
        raise UsageError(f"{label} holds no bugs yet; run `bzanalytics sync` or "
                         "`bzanalytics import` first")


def seconds(text: str, minimum: float = 0.0, inclusive: bool = True,
            unit: str = "seconds") -> float:
    """argparse type: a finite number of seconds >= `minimum` (> with inclusive=False); argparse
    turns the error into one line."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of {unit}") from None
    low = f">= {minimum:g}" if inclusive else f"more than {minimum:g}"
    if not math.isfinite(value) or value < minimum or (not inclusive and value == minimum):
        raise argparse.ArgumentTypeError(f"must be a number of {unit} {low}, not {text!r}")
    return value


def positive_seconds(text: str) -> float:
    """argparse type: a finite number of seconds > 0 (a timeout of 0 would never wait)."""
    return seconds(text, 0.0, inclusive=False)


def integer(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    """argparse type: a whole number in [minimum, maximum]."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum or (maximum is not None and value > maximum):
            span = f"at least {minimum}" if maximum is None else f"{minimum} to {maximum}"
            raise argparse.ArgumentTypeError(f"must be {span}, not {value}")
        return value
    parse.__name__ = "integer"
    return parse


def add_grouping_arguments(parser: argparse.ArgumentParser) -> None:
    """--group-by and --distrusted: which owner a bug counts for, and distrusted owners."""
    parser.add_argument("--group-by", choices=("owner", "current-owner"), default="owner",
                        help="owner: the CA owner named at filing, who handled the incident "
                        "(default); current-owner: today's owner after recorded acquisitions")
    parser.add_argument("--distrusted", choices=("mark", "exclude"), default="mark",
                        help="owners distrusted by a root program: mark them (default) or "
                        "leave them out")


def add_corrections_argument(parser: argparse.ArgumentParser) -> None:
    """--corrections FILE: hand corrections applied before any metric (checked first)."""
    parser.add_argument("--corrections", metavar="FILE",
                        help="a corrections CSV (bug_id,field,value,evidence,note,by) applied "
                        "before any metric; check it with `bzanalytics corrections check`")
