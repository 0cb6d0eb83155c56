"""bzanalytics: pull, parse and measure Mozilla Bugzilla's CA compliance bugs.

    >>> import bzanalytics
    >>> snap = bzanalytics.open_snapshot("ca.sqlite")
    >>> snap.incidents()
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"
#: Bug ids from here up are synthetic: `bzanalytics synth` numbers its bugs from it, and a
#: snapshot holding such ids is labelled synthetic however it was built (import, or a sync from
#: the fake BMO). Real BMO ids are near 2.1 million (2026) and grow by about 0.1 million a year.
SYNTHETIC_IDS_FROM = 90_000_000

_EXPORTS = {
    "open_snapshot": "bzanalytics.snapshot.frames",
    "Snapshot": "bzanalytics.snapshot.frames",
    "parse_report": "bzanalytics.parse.reports",
    "ca_from_summary": "bzanalytics.parse.ca",
}

# Public modules reachable as attributes after a bare `import bzanalytics`; plots and report
# lived at the top before the stage folders, so `from bzanalytics import plots` keeps working.
_MODULES = {
    "metrics": "bzanalytics.metrics",
    "sample": "bzanalytics.sample",
    "plots": "bzanalytics.outputs.plots",
    "report": "bzanalytics.outputs.report",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    """Import the public names lazily, so `import bzanalytics` stays cheap for the CLI."""
    if name in _MODULES:
        return importlib.import_module(_MODULES[name])
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'bzanalytics' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
