"""Write a synthetic corpus directory: corpus.json, bugs.jsonl and truth.json.

Bug i draws from its own Random seeded by (seed, i), so the output depends only on the seed
and the bug count: same arguments, same bytes.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from multiprocessing import Pool
from pathlib import Path
from random import Random

from bzanalytics import SYNTHETIC_IDS_FROM
from bzanalytics.synth import attention
from bzanalytics.synth.render import render_bug
from bzanalytics.synth.scenario import plan_bug
from bzanalytics.synth.truth import bug_truth

DEFAULT_NOW = datetime(2026, 11, 1, tzinfo=UTC)
# Relative bug counts per year of the real component (2026 scaled to the months before `now`).
YEAR_WEIGHTS = {2017: 123, 2018: 108, 2019: 255, 2020: 237, 2021: 187, 2022: 106, 2023: 133,
                2024: 236, 2025: 223, 2026: 330}
FIRST_ID = SYNTHETIC_IDS_FROM  # ids no real bug has (bzanalytics.SYNTHETIC_IDS_FROM)


def _creation_times(rng: Random, n: int, now: datetime) -> list[datetime]:
    years = [y for y in YEAR_WEIGHTS if y <= now.year]
    weights = [YEAR_WEIGHTS[y] for y in years]
    out = []
    for year in rng.choices(years, weights=weights, k=n):
        start = datetime(year, 1, 1, tzinfo=UTC)
        end = min(datetime(year + 1, 1, 1, tzinfo=UTC), now - timedelta(days=1))
        out.append(start + timedelta(seconds=rng.randrange(int((end - start).total_seconds()))))
    return sorted(out)


PlanArgs = tuple[int, int, datetime, int | None, str | None]


def _plan_args(n: int, seed: int, now: datetime) -> list[PlanArgs]:
    """(index, bug id, creation time, an earlier id for duplicates, attention scenario or None)
    for every bug, in id order. A few bugs are planted open in each attention state at `now`."""
    master = Random(f"bzanalytics-synth/{seed}")
    planted = attention.planted_count(n)
    created: list[tuple[datetime, str | None]] = [
        (t, None) for t in _creation_times(master, n - planted, now)]
    for j in range(planted):
        scenario = attention.SCENARIOS[j % len(attention.SCENARIOS)]
        age = attention.age(scenario, master)
        created.append(((now - age).replace(microsecond=0), scenario))
    created.sort(key=lambda c: c[0])
    step = max(1, 1_200_000 // max(n, 1))
    ids, current = [], FIRST_ID
    for _ in created:
        current += master.randint(1, step)
        ids.append(current)
    out = []
    for i, (bug_id, (t, scenario)) in enumerate(zip(ids, created, strict=True)):
        out.append((i, bug_id, t, ids[i - 1 - (bug_id % min(i, 5))] if i else None, scenario))
    return out


def _one(seed: int, now: datetime, args: PlanArgs) -> tuple[dict, dict]:
    i, bug_id, t, earlier, scenario = args
    plan = plan_bug(Random(f"bzanalytics-synth/{seed}/{i}"), bug_id, t, now, earlier, scenario)
    return render_bug(plan), bug_truth(plan, now)


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _lines(job: tuple[int, datetime, PlanArgs]) -> tuple[str, str]:
    """Worker: one bug as its bugs.jsonl line and its truth.json entry (order kept by imap)."""
    seed, now, args = job
    bug, entry = _one(seed, now, args)
    return _ENCODE(bug), f'"{bug["id"]}": {_ENCODE(entry)}'


def command_line(n: int, seed: int) -> str:
    return f"bzanalytics synth --bugs {n} --seed {seed}"


def write_corpus(out: Path, n: int, seed: int, now: datetime = DEFAULT_NOW,
                 jobs: int = 1) -> int:
    """Write the three files into `out` (created if missing); returns the number of bugs.

    With `jobs` > 1, worker processes plan and render the bugs; the bytes do not depend on it
    because every bug has its own seed. (Measured: one process is as fast on a busy 2-core
    machine, since passing the text back costs about what the second core saves.)
    """
    out.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    meta = {"format": "bzanalytics-corpus/1", "product": "CA Program",
            "component": "CA Certificate Compliance", "generated_by": command_line(n, seed),
            "seed": seed, "now": stamp}
    (out / "corpus.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    work = [(seed, now, args) for args in _plan_args(n, seed, now)]
    count = 0
    with ExitStack() as stack:
        bugs = stack.enter_context((out / "bugs.jsonl").open("w", encoding="utf-8", newline="\n"))
        truth = stack.enter_context((out / "truth.json").open("w", encoding="utf-8",
                                                              newline="\n"))
        if jobs > 1:
            pool = stack.enter_context(Pool(jobs))
            results = pool.imap(_lines, work, chunksize=100)
        else:
            results = map(_lines, work)
        truth.write(f'{{"format": "bzanalytics-truth/1", "seed": {seed}, "as_of": "{stamp}", '
                    f'"generated_by": "{command_line(n, seed)}",\n"bugs": {{')
        for bug_line, truth_line in results:
            bugs.write(bug_line + "\n")
            truth.write(("\n" if count == 0 else ",\n") + truth_line)
            count += 1
        truth.write("\n}}\n")
    return count
