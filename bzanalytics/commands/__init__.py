"""One module per CLI subcommand, each exposing `register(subparsers)`. The top of the flow: may
import every stage; nothing but `cli` imports it.
"""

from __future__ import annotations

import sys
from typing import Any


def warn(snapshot: Any) -> None:
    """Say on stderr what every output of this snapshot must say (`Snapshot.warnings`)."""
    for note in snapshot.warnings():
        print(f"warning: {note}", file=sys.stderr)
