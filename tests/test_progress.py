"""The progress bar's time estimate: shown once a stage has run a while, from the rate so far."""

from __future__ import annotations

import io

from bzanalytics.progress import ETA_AFTER, ProgressBar, duration, render


def test_the_estimate_follows_the_rate_so_far() -> None:
    assert render("fetching", 500, 2000, width=10, elapsed=10) == \
        "fetching  [##........]     500/2,000 bugs  25%  ~30 s left"
    assert render("fetching", 1000, 2000, width=10, elapsed=150).endswith("~2 min 30 s left")
    assert render("fetching", 100, 2000, width=10, elapsed=600).endswith("~3 h 10 min left")


def test_no_estimate_too_early_without_a_total_or_when_done() -> None:
    plain = "fetching  [##........]     500/2,000 bugs  25%"
    assert render("fetching", 500, 2000, width=10) == plain
    assert render("fetching", 500, 2000, width=10, elapsed=ETA_AFTER - 0.01) == plain
    assert render("fetching", 500, 2000, width=10, elapsed=ETA_AFTER).endswith("left")
    assert render("fetching", 0, 2000, width=10, elapsed=60).endswith("0%")
    assert render("fetching", 2000, 2000, width=10, elapsed=60).endswith("100%")
    assert render("listing", 1000, 0, elapsed=60) == "listing     1,000 bugs"


def test_durations() -> None:
    assert [duration(s) for s in (0.2, 59.4, 60, 3599, 3600, 5400)] == [
        "1 s", "59 s", "1 min 00 s", "59 min 59 s", "1 h 00 min", "1 h 30 min"]


def test_the_bar_times_each_stage_from_its_start() -> None:
    now = [100.0]
    stream = io.StringIO()
    bar = ProgressBar(stream, enabled=True, interval=0, clock=lambda: now[0])
    bar("listing", 1000, 0)
    now[0] = 160.0  # a long listing must not count toward the fetching estimate
    bar("fetching", 0, 100)
    now[0] = 170.0
    bar("fetching", 50, 100)
    assert stream.getvalue().rstrip().endswith("50/100 bugs  50%  ~10 s left")
