"""Options shared by the commands that show figures per CA (not a command itself)."""

from __future__ import annotations

import argparse


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
