"""A one-line progress bar on stderr for long CLI work, with no dependency.

The library reports progress through a callback `progress(stage, done, total)`; only the CLI
draws, with the time left once a stage has run for a few seconds. The bar stays silent when
stderr is not a terminal (logs, pipes, CI) or with --quiet, so captured output never fills with
carriage returns.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

ETA_AFTER = 2.0  # seconds into a stage before the first time estimate (earlier ones jump about)


def render(stage: str, done: int, total: int, width: int = 30,
           elapsed: float | None = None) -> str:
    """The bar's text; `total` 0 means unknown (a counter, no bar). With `elapsed` (seconds
    since the stage began) it ends with the time left, assuming the rate so far holds."""
    if total <= 0:
        return f"{stage:<9} {done:>7,} bugs"
    filled = min(width, width * done // total)
    bar = "#" * filled + "." * (width - filled)
    text = f"{stage:<9} [{bar}] {done:>7,}/{total:,} bugs {100 * done // total:3d}%"
    if elapsed is not None and elapsed >= ETA_AFTER and 0 < done < total:
        text += f"  ~{duration(elapsed * (total - done) / done)} left"
    return text


def duration(seconds: float) -> str:
    """A rough remaining time: `45 s`, `3 min 05 s`, `1 h 20 min`."""
    whole = max(1, round(seconds))
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


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
        self._stage_start = 0.0
        self._width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        finished = total > 0 and done >= total
        if (stage == self._stage and not finished and self._last_draw is not None
                and now - self._last_draw < self.interval):
            return
        if stage != self._stage:
            self._stage_start = now
            if self._width:
                self.stream.write("\n")
                self._width = 0
        text = render(stage, done, total, elapsed=now - self._stage_start)
        self.stream.write("\r" + text + " " * max(self._width - len(text), 0))
        self.stream.flush()
        self._stage, self._last_draw, self._width = stage, now, len(text)

    def close(self) -> None:
        """End the bar's line so the next message starts on a fresh one."""
        if self.enabled and self._width:
            self.stream.write("\n")
            self.stream.flush()
            self._width = 0
