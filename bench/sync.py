"""Benchmark: our full and no-op sync against generic Bugzilla clients, all on the fake BMO.

For each corpus size it generates a synthetic corpus (`bzanalytics synth`), serves it with
`bzanalytics fake-bmo` at a fixed added latency, and runs one after the other:
  (a) `bzanalytics sync` into an empty database (full sync),
  (b) the same command again (no-op sync: nothing changed),
  (c) python-bugzilla fetching every bug with comments and history through its public API,
      the documented way (per-bug `get_comments` and `bugs_history_raw`),
  (d) python-bugzilla's `getbugs` on 100 ids at a time with comments and history as extra
      fields (peer `python-bugzilla-getbugs`), to separate the usage pattern from the library,
  (e) libmozdata's Bugzilla class doing the same (it can be pointed at a local URL).
Requests and bytes come from the fake's request log (the slice each client produced), wall time
is the client process's, and every client's haul is checked against what an anonymous caller
can see in the corpus, so a fast but incomplete client cannot win.

python-bugzilla needs two requests per bug; `--peer-sample N` runs its per-bug phase on a
seeded random sample of N bugs and extrapolates that phase linearly (its listing always runs in
full). The output says so on every extrapolated row. Peers run under `--peer-python`, an
interpreter with the peer packages (benchmark only, never project dependencies); a peer that
is not importable there is skipped with a note.

    .venv/bin/python bench/sync.py --sizes 2000,20000 --latency-ms 50 --peer-sample 500
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PEER_DIR = Path(__file__).resolve().parent / "peers"


@dataclass(frozen=True)
class Peer:
    """How to run one peer: the module it needs, its adapter script and extra arguments."""

    module: str
    script: str
    args: tuple[str, ...] = ()
    per_bug: bool = False  # costs requests per bug, so `--peer-sample` applies


PEERS = {
    "python-bugzilla": Peer("bugzilla", "pybugzilla_fetch.py", per_bug=True),
    "python-bugzilla-getbugs": Peer("bugzilla", "pybugzilla_fetch.py", ("--batch", "100")),
    "libmozdata": Peer("libmozdata", "libmozdata_fetch.py"),
}
DETAIL_PATH_PARTS = ("/comment", "/history", "/attachment")


@dataclass(frozen=True)
class Visible:
    """What an anonymous client can fetch from a corpus: the yardstick every run must meet."""

    comments: dict[int, int]  # visible bug id -> visible comment count
    changesets: dict[int, int]  # visible bug id -> history entries
    changes: dict[int, int]  # visible bug id -> individual field changes

    @property
    def bugs(self) -> int:
        return len(self.comments)


@dataclass
class Run:
    """One client's measured (or partly extrapolated) cost of fetching one corpus."""

    size: int
    client: str
    requests: float
    bytes: float
    seconds: float
    fetched: str
    note: str = ""


def visible_counts(corpus: Path) -> Visible:
    """Count from `bugs.jsonl` what an anonymous caller sees: bugs without groups, comments
    not marked private, and every history entry of a visible bug."""
    comments, changesets, changes = {}, {}, {}
    with (corpus / "bugs.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            bug = json.loads(line)
            if bug.get("groups"):
                continue
            comments[bug["id"]] = sum(not c.get("is_private") for c in bug["comments"])
            changesets[bug["id"]] = len(bug["history"])
            changes[bug["id"]] = sum(len(h["changes"]) for h in bug["history"])
    return Visible(comments, changesets, changes)


def read_log(path: Path, offset: int) -> tuple[list[dict], int]:
    """Return the request-log entries written after byte `offset`, and the new offset.

    The fake logs a request before answering it, so once a client has exited, all of its
    requests are in the log."""
    if not path.exists():
        return [], offset
    with path.open("rb") as log:
        log.seek(offset)
        data = log.read()
    complete = data[: data.rfind(b"\n") + 1]
    entries = [json.loads(line) for line in complete.splitlines() if line.strip()]
    return entries, offset + len(complete)


def entry_path(entry: dict) -> str:
    """The path of a logged request, without its query string."""
    return str(entry["path"]).split("?", 1)[0]


def entry_bytes(entry: dict) -> int:
    return int(entry["bytes"])


def is_detail(entry: dict) -> bool:
    """A per-bug comment/history/attachment request (`/rest/bug/{id}/comment` ...)."""
    return entry_path(entry).endswith(DETAIL_PATH_PARTS)


def extrapolate(entries: list[dict], wall: float, detail_seconds: float, factor: float
                ) -> tuple[float, float, float]:
    """Scale the per-bug phase of a sampled run by `factor` (= listed / sampled bugs), keep
    the listing as measured: returns (requests, bytes, seconds) for the whole corpus."""
    detail = [e for e in entries if is_detail(e)]
    listing = [e for e in entries if not is_detail(e)]
    requests = len(listing) + len(detail) * factor
    size = sum(map(entry_bytes, listing)) + sum(map(entry_bytes, detail)) * factor
    return requests, size, wall + detail_seconds * (factor - 1)


def ratio_table(runs: list[Run]) -> str:
    """Markdown table: each run's figures and its ratio to our full sync of the same size."""
    lines = [
        "| bugs | client | requests | MB | wall s | × requests | × MB | × time | fetched |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    base = {r.size: r for r in runs if r.client == "bzanalytics full sync"}
    for r in runs:
        ref = base.get(r.size)

        def ratio(mine: float, theirs: float | None) -> str:
            return f"{mine / theirs:.2f}" if theirs else "n/a"

        star = " *" if r.note else ""
        lines.append(
            f"| {r.size:,} | {r.client}{star} | {r.requests:,.0f} | {r.bytes / 1e6:,.2f} "
            f"| {r.seconds:,.1f} | {ratio(r.requests, ref and ref.requests)} "
            f"| {ratio(r.bytes, ref and ref.bytes)} | {ratio(r.seconds, ref and ref.seconds)} "
            f"| {r.fetched} |"
        )
    notes = [f"\\* {r.client}, {r.size:,} bugs: {r.note}" for r in runs if r.note]
    return "\n".join(lines + (["", *notes] if notes else []))


def machine() -> dict[str, str]:
    """The facts a reader needs to compare figures across machines."""
    mem = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("\n", 1)[0].split()[1])
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "load average (1 min)": f"{os.getloadavg()[0]:.1f}",
        "memory": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bza(*args: str) -> list[str]:
    """Command line for the project's CLI under the current interpreter."""
    return [sys.executable, "-m", "bzanalytics.cli", *args]


@contextmanager
def fake_bmo(corpus: Path, latency_ms: int, log: Path) -> Iterator[str]:
    """Serve `corpus` with `bzanalytics fake-bmo` in a child process; yield its base URL.

    The fake loads the corpus before it listens, so an open port means ready to answer."""
    port = free_port()
    errors = log.with_suffix(".stderr")
    with errors.open("wb") as stderr:
        proc = subprocess.Popen(
            bza("fake-bmo", "--corpus", str(corpus), "--port", str(port),
                "--latency-ms", str(latency_ms), "--request-log", str(log)),
            stdout=subprocess.DEVNULL, stderr=stderr,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = errors.read_text(errors="replace").strip()
                    raise SystemExit(f"fake-bmo did not start: {err}") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def timed(cmd: list[str]) -> tuple[float, str]:
    """Run `cmd`; return its wall time and stdout, or stop with its stderr on failure."""
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{shlex.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")
    return wall, done.stdout


def ensure_corpus(size: int, seed: int, workdir: Path) -> Path:
    """Generate the synthetic corpus once per (size, seed); later runs reuse it."""
    corpus = workdir / f"corpus-{size}-seed{seed}"
    if not (corpus / "corpus.json").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        timed(bza("synth", "--bugs", str(size), "--seed", str(seed), "--out", str(corpus)))
    return corpus


def check_store(db: Path, seen: Visible) -> str:
    """Describe what our sync stored and fail loudly if it is not everything visible."""
    with sqlite3.connect(db) as con:
        bugs = con.execute("SELECT count(*) FROM bugs").fetchone()[0]
        comments = con.execute("SELECT count(*) FROM comments").fetchone()[0]
        changes = con.execute("SELECT count(*) FROM history").fetchone()[0]
    want = (seen.bugs, sum(seen.comments.values()), sum(seen.changes.values()))
    if (bugs, comments, changes) != want:
        raise SystemExit(f"our sync stored {(bugs, comments, changes)} "
                         f"(bugs, comments, changes), expected {want}")
    return f"{bugs:,} bugs, {comments:,} comments, {changes:,} changes ✓"


def check_peer(name: str, out: dict, seen: Visible) -> str:
    """Describe a peer's haul and fail loudly unless it matches the visible corpus exactly."""
    detailed = [int(i) for i in out["detailed"]]
    want = (seen.bugs, sum(seen.comments[i] for i in detailed),
            sum(seen.changesets[i] for i in detailed))
    got = (out["listed"], out["comments"], out["history"])
    if got != want or not set(detailed) <= set(seen.comments):
        raise SystemExit(f"{name} fetched {got} (bugs, comments, history entries), "
                         f"expected {want}")
    scope = "" if len(detailed) == seen.bugs else f" (details for {len(detailed):,})"
    return f"{out['listed']:,} bugs{scope}, {out['comments']:,} comments, " \
           f"{out['history']:,} history entries ✓"


def peer_available(peer_python: str, module: str) -> bool:
    probe = subprocess.run([peer_python, "-c", f"import {module}"], capture_output=True)
    return probe.returncode == 0


def bench_size(size: int, args: argparse.Namespace, peers: list[str]) -> list[Run]:
    """Run every client against one corpus size; return one Run per client."""
    corpus = ensure_corpus(size, args.seed, args.workdir)
    seen = visible_counts(corpus)
    log = args.workdir / f"requests-{size}.jsonl"
    db = args.workdir / f"ours-{size}.sqlite"
    log.unlink(missing_ok=True)
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    runs: list[Run] = []
    with fake_bmo(corpus, args.latency_ms, log) as url:
        offset = 0
        sync = bza("sync", "--url", url, "--db", str(db), "--min-interval", "0", "--quiet")
        for label in ("bzanalytics full sync", "bzanalytics no-op sync"):
            wall, _ = timed(sync)
            entries, offset = read_log(log, offset)
            runs.append(Run(size, label, len(entries), sum(map(entry_bytes, entries)), wall,
                            check_store(db, seen)))
        for name in peers:
            peer = PEERS[name]
            cmd = [args.peer_python, str(PEER_DIR / peer.script), "--url", url, *peer.args]
            sampled = peer.per_bug and 0 < args.peer_sample < seen.bugs
            if sampled:
                cmd += ["--sample", str(args.peer_sample), "--seed", str(args.seed)]
            wall, stdout = timed(cmd)
            out = json.loads(stdout)
            entries, offset = read_log(log, offset)
            fetched = check_peer(name, out, seen)
            if sampled:
                factor = seen.bugs / len(out["detailed"])
                req, size_b, secs = extrapolate(entries, wall, out["seconds"]["detail"], factor)
                note = (f"extrapolated: listing measured in full, per-bug comment+history phase "
                        f"measured on a random sample of {len(out['detailed']):,} of "
                        f"{seen.bugs:,} bugs (seed {args.seed}) and scaled ×{factor:.2f} "
                        f"(measured: {len(entries):,} requests, {wall:.1f} s)")
                runs.append(Run(size, f"{name} {out['version']}", req, size_b, secs, fetched,
                                note))
            else:
                runs.append(Run(size, f"{name} {out['version']}", len(entries),
                                sum(map(entry_bytes, entries)), wall, fetched))
    return runs


def default_peer_python() -> str:
    scratch = REPO / ".venv-bench" / "bin" / "python"
    return str(scratch) if scratch.exists() else sys.executable


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000",
                        help="comma-separated corpus sizes in bugs (default 2000,20000)")
    parser.add_argument("--latency-ms", type=int, default=50,
                        help="latency the fake adds to every request (default 50)")
    parser.add_argument("--peer-sample", type=int, default=500,
                        help="python-bugzilla: fetch comments+history for a random sample of N "
                             "bugs and extrapolate linearly; 0 = all bugs (default 500)")
    parser.add_argument("--peers", default=",".join(PEERS),
                        help=f"comma-separated peers to run (default {','.join(PEERS)}); "
                             "empty = ours only")
    parser.add_argument("--peer-python", default=default_peer_python(),
                        help="interpreter with the peer packages (default .venv-bench if present)")
    parser.add_argument("--seed", type=int, default=7, help="synthetic corpus and sample seed")
    parser.add_argument("--workdir", type=Path, default=REPO / "out" / "bench",
                        help="corpora, databases and request logs (default out/bench)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes must be comma-separated integers, not {args.sizes!r}")
    if not args.sizes or min(args.sizes) < 1 or args.peer_sample < 0:
        parser.error("--sizes must be positive and --peer-sample at least 0")
    unknown = [p for p in args.peers.split(",") if p and p not in PEERS]
    if unknown:
        parser.error(f"unknown peer(s) {unknown}; known: {', '.join(PEERS)}")
    return args


def main(argv: list[str] | None = None) -> dict:
    """Run the benchmark, print the tables, and return everything measured."""
    args = parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    peers, skipped = [], []
    for name in filter(None, args.peers.split(",")):
        (peers if peer_available(args.peer_python, PEERS[name].module) else skipped).append(name)
    facts = machine()  # before the runs: the load average the runs started under
    runs = [run for size in args.sizes for run in bench_size(size, args, peers)]
    startup = timed(bza("--help"))[0]
    result = {
        "machine": facts,
        "command": shlex.join([Path(sys.executable).name, "bench/sync.py", *(argv or [])]),
        "latency_ms": args.latency_ms,
        "cli_startup_s": startup,
        "skipped_peers": skipped,
        "runs": [asdict(r) for r in runs],
    }
    print(" · ".join(f"{k}: {v}" for k, v in result["machine"].items()))
    print(f"fake BMO latency {args.latency_ms} ms per request; command: {result['command']}")
    print(f"wall times are whole processes; `bzanalytics --help` alone takes {startup:.1f} s")
    for name in skipped:
        print(f"skipped {name}: not importable by {args.peer_python}")
    print()
    print(ratio_table(runs))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
