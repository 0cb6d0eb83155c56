"""A one-line progress bar on stderr for long CLI work, with no dependency.

The library reports progress through a callback `progress(stage, done, total)`; only the CLI
draws. The bar stays silent when stderr is not a terminal (logs, pipes, CI) or with --quiet, so
captured output never fills with carriage returns.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


def render(stage: str, done: int, total: int, width: int = 30) -> str:
    """The bar's text; `total` 0 means unknown (a counter, no bar)."""
    if total <= 0:
        return f"{stage:<9} {done:>7,} bugs"
    filled = min(width, width * done // total)
    bar = "#" * filled + "." * (width - filled)
    return f"{stage:<9} [{bar}] {done:>7,}/{total:,} bugs {100 * done // total:3d}%"


class ProgressBar:
    """A callable progress callback that redraws one stderr line at most every `interval` s."""

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None,
                 interval: float = 0.1, clock: Callable[[], float] = time.monotonic):
        self.stream = stream if stream is not None else sys.stderr
        is_tty = getattr(self.stream, "isatty", lambda: False)()
        self.enabled = is_tty if enabled is None else enabled
        self.interval = interval
        self.clock = clock
        self._last_draw: float | None = None
        self._stage = ""
        self._width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        finished = total > 0 and done >= total
        if (stage == self._stage and not finished and self._last_draw is not None
                and now - self._last_draw < self.interval):
            return
        if stage != self._stage and self._width:
            self.stream.write("\n")
            self._width = 0
        text = render(stage, done, total)
        self.stream.write("\r" + text + " " * max(self._width - len(text), 0))
        self.stream.flush()
        self._stage, self._last_draw, self._width = stage, now, len(text)

    def close(self) -> None:
        """End the bar's line so the next message starts on a fresh one."""
        if self.enabled and self._width:
            self.stream.write("\n")
            self.stream.flush()
            self._width = 0
