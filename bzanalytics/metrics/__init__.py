"""Metrics: the incidents table and its aggregates, from parsed frames. Pure: no I/O; imports only
itself, `parse` and the top-level `errors`.

Definitions are normative in docs/methodology.md; rule versions and dates in `rules`.
"""

from bzanalytics.metrics.aggregate import scorecard, yearly_trends
from bzanalytics.metrics.incidents import Measured, counts, measure

__all__ = ["Measured", "counts", "measure", "scorecard", "yearly_trends"]
