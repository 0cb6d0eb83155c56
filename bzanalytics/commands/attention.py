"""`bzanalytics attention`: which open bugs need a reviewer now, and which CA is late on what."""

from __future__ import annotations

import argparse
import json
import math
import sys

from bzanalytics.commands.common import add_corrections_argument, add_grouping_arguments
from bzanalytics.errors import UsageError

FORMATS = ("text", "markdown", "json", "html")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "attention",
        help="open bugs and obligations that are overdue or due soon, most urgent first",
        description="One item per open bug and obligation: initial_report_overdue (72 hours), "
        "full_report_overdue (14 days), question_unanswered (7 days), next_update_missed, "
        "update_overdue (7 days), closure_pending (7 days after a closure summary), "
        "action_item_overdue (an open Action Item past its due date, no CA word since) and "
        "new_bug. "
        "State overdue, due_soon (due within --due-within hours) or new. Rules and clocks are "
        "those of the incidents table (docs/methodology.md, Attention). Without --db it shows "
        "the bundled synthetic sample.",
    )
    parser.add_argument("--db", metavar="FILE",
                        help="snapshot file (default: the bundled synthetic sample)")
    parser.add_argument("--as-of", metavar="WHEN",
                        help="a UTC date or time (default: the snapshot's as-of time); an "
                        "earlier time replays what a reviewer would have seen then")
    parser.add_argument("--ca", metavar="NAME", help="one CA owner (any case, or a prefix)")
    parser.add_argument("--due-within", type=float, default=48.0, metavar="HOURS",
                        help="list obligations due within HOURS as due_soon (default 48)")
    parser.add_argument("--new-days", type=float, default=7.0, metavar="DAYS",
                        help="list open bugs filed within DAYS as new_bug (default 7)")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="output format (default: text); json is a list of items")
    add_grouping_arguments(parser)
    add_corrections_argument(parser)
    parser.set_defaults(func=run)


def _when(text: str | None):
    """The --as-of value as a UTC timestamp (a date alone is its midnight)."""
    import pandas as pd

    if text is None:
        return None
    try:
        stamp = pd.Timestamp(text)
    except ValueError:
        stamp = pd.NaT
    if pd.isna(stamp):
        raise UsageError(f"--as-of {text!r} is not a date or time (use YYYY-MM-DD or "
                         "YYYY-MM-DDTHH:MM, UTC)")
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _check(args: argparse.Namespace) -> None:
    for flag, value in (("--due-within", args.due_within), ("--new-days", args.new_days)):
        if not math.isfinite(value) or value < 0:
            raise UsageError(f"{flag} must be a number of at least 0, got {value:g}")


def _known_cas(bugs, items):
    """Every CA owner named in the snapshot's summaries or in the items, for matching --ca
    (without measuring every bug: a CA with nothing to attend to is still a valid choice)."""
    import pandas as pd

    from bzanalytics.parse.ca import ca_from_summary

    names = {ca_from_summary(s).owner for s in bugs["summary"].dropna()}
    names |= set(items["ca"].dropna())
    return pd.DataFrame({"ca": sorted(n for n in names if n)})


def _grouped(items, group_by: str, distrusted: str):
    """Items with `ca` as the chosen grouping names it (today's owner via the recorded
    transfers, the same rule as the incidents' `ca_current`), distrusted owners left out on
    request."""
    from bzanalytics.parse.ca import current_owner, distrust_label

    if group_by == "current-owner":
        items = items.assign(ca=items["ca"].map(current_owner, na_action="ignore").astype("str"))
    if distrusted == "exclude":
        marked = items["ca"].map(lambda name: distrust_label(name) is not None)
        items = items.loc[~marked.astype(bool).to_numpy()].reset_index(drop=True)
    return items


def run(args: argparse.Namespace) -> int:
    # Imported here: every command module is loaded to build the parser, and pandas is slow.
    from bzanalytics.metrics.aggregate import GROUPING_LABELS, match_ca
    from bzanalytics.outputs import attention as out
    from bzanalytics.sample import sample_db
    from bzanalytics.snapshot.frames import open_snapshot

    _check(args)
    when = _when(args.as_of)
    snapshot = open_snapshot(args.db or sample_db(), corrections=args.corrections)
    with snapshot:
        if snapshot.bugs().empty:
            raise UsageError(f"{args.db} holds no bugs yet; run `bzanalytics sync` or "
                             "`bzanalytics import` first")
        items = _grouped(snapshot.attention(when, due_within_hours=args.due_within,
                                            new_days=args.new_days),
                         args.group_by, args.distrusted)
        ca = None
        if args.ca:
            ca = match_ca(_known_cas(snapshot.bugs(), items), args.ca)
            items = items.loc[items["ca"].eq(ca).fillna(False).to_numpy()].reset_index(drop=True)
        meta = {"as_of": when if when is not None else snapshot.as_of,
                "synthetic": snapshot.is_synthetic, "ca": ca, "site": snapshot.site,
                "due_within_hours": args.due_within, "new_days": args.new_days,
                "grouping": GROUPING_LABELS[args.group_by],
                "corrections": None if snapshot.corrections is None
                else snapshot.corrections.sha256}
    if args.format == "json":
        # the JSON format is a plain list of items: the grouping goes to stderr, as for CSV
        print(f"grouped by {meta['grouping']}", file=sys.stderr)
        print(json.dumps(out.as_json(items), indent=1, ensure_ascii=False))
    elif args.format == "markdown":
        print(out.format_markdown(items, meta))
    elif args.format == "html":
        print(out.render_page(items, meta), end="")
    else:
        print(out.format_text(items, meta))
    return 0
