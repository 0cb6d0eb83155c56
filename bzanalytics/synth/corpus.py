"""Write a synthetic corpus directory: corpus.json, bugs.jsonl and truth.json.

Bug i draws from its own Random seeded by (seed, i), so the output depends only on the seed
and the bug count: same arguments, same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

from bzanalytics.synth.render import render_bug
from bzanalytics.synth.scenario import plan_bug
from bzanalytics.synth.truth import bug_truth

DEFAULT_NOW = datetime(2026, 11, 1, tzinfo=UTC)
FIRST_YEAR = 2017
# Relative bug counts per year of the real component (2026 scaled to the months before `now`).
YEAR_WEIGHTS = {2017: 123, 2018: 108, 2019: 255, 2020: 237, 2021: 187, 2022: 106, 2023: 133,
                2024: 236, 2025: 223, 2026: 330}
FIRST_ID = 1_380_000


def _creation_times(rng: Random, n: int, now: datetime) -> list[datetime]:
    years = [y for y in YEAR_WEIGHTS if y <= now.year]
    weights = [YEAR_WEIGHTS[y] for y in years]
    out = []
    for year in rng.choices(years, weights=weights, k=n):
        start = datetime(year, 1, 1, tzinfo=UTC)
        end = min(datetime(year + 1, 1, 1, tzinfo=UTC), now - timedelta(days=1))
        out.append(start + timedelta(seconds=rng.randrange(int((end - start).total_seconds()))))
    return sorted(out)


def generate(n: int, seed: int, now: datetime = DEFAULT_NOW) -> Iterator[tuple[dict, dict]]:
    """Yield (BMO bug object, truth entry) pairs in id order."""
    master = Random(f"bzanalytics-synth/{seed}")
    created = _creation_times(master, n, now)
    step = max(1, 1_200_000 // max(n, 1))
    ids, current = [], FIRST_ID
    for _ in created:
        current += master.randint(1, step)
        ids.append(current)
    for i, (bug_id, t) in enumerate(zip(ids, created, strict=True)):
        rng = Random(f"bzanalytics-synth/{seed}/{i}")
        earlier = ids[i - rng.randint(1, min(i, 5))] if i else None
        plan = plan_bug(rng, bug_id, t, now, earlier)
        yield render_bug(plan), bug_truth(plan, now)


def command_line(n: int, seed: int) -> str:
    return f"bzanalytics synth --bugs {n} --seed {seed}"


def write_corpus(out: Path, n: int, seed: int, now: datetime = DEFAULT_NOW) -> int:
    """Write the three files into `out` (created if missing); returns the number of bugs."""
    out.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    meta = {"format": "bzanalytics-corpus/1", "product": "CA Program",
            "component": "CA Certificate Compliance", "generated_by": command_line(n, seed),
            "seed": seed, "now": stamp}
    (out / "corpus.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    count = 0
    with (out / "bugs.jsonl").open("w", encoding="utf-8", newline="\n") as bugs, \
            (out / "truth.json").open("w", encoding="utf-8", newline="\n") as truth:
        truth.write(f'{{"format": "bzanalytics-truth/1", "seed": {seed}, "as_of": "{stamp}", '
                    f'"generated_by": "{command_line(n, seed)}",\n"bugs": {{')
        for bug, entry in generate(n, seed, now):
            bugs.write(dump(bug) + "\n")
            truth.write(("\n" if count == 0 else ",\n") + f'"{bug["id"]}": {dump(entry)}')
            count += 1
        truth.write("\n}}\n")
    return count
