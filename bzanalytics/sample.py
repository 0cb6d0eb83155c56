"""The bundled synthetic sample as a ready snapshot, for the notebooks and `report` without --db.

`data/sample/` (a corpus directory, next to the package in the repository) is imported once into
a cached SQLite file whose name carries a hash of the sample's files and the store's schema
version, so an edited sample or a new schema builds a fresh file and an unchanged one is reused.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from bzanalytics.errors import UsageError
from bzanalytics.metrics.aggregate import GROUPING_LABELS, group_column
from bzanalytics.snapshot.dumps import import_dumps
from bzanalytics.snapshot.frames import Snapshot, open_snapshot
from bzanalytics.snapshot.store import SCHEMA_VERSION, Store

SAMPLE_FILES = ("corpus.json", "bugs.jsonl")
DB_ENV = "BZA_DB"
CORRECTIONS_ENV = "BZA_CORRECTIONS"
GROUP_ENV = "BZA_GROUP_BY"
CACHE_ENV = "BZA_CACHE_DIR"


def sample_dir() -> Path:
    """`data/sample/` of the checkout this package was installed from (editable install)."""
    return Path(__file__).resolve().parent.parent / "data" / "sample"


def cache_dir(env: Mapping[str, str] = os.environ) -> Path:
    """$BZA_CACHE_DIR, else $XDG_CACHE_HOME/bzanalytics, else ~/.cache/bzanalytics."""
    if env.get(CACHE_ENV):
        return Path(env[CACHE_ENV])
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bzanalytics"


def sample_key(directory: Path) -> str:
    """Hash of the sample's files and the store schema: equal keys mean an equal snapshot."""
    digest = hashlib.sha256(f"schema={SCHEMA_VERSION}\n".encode())
    for name in SAMPLE_FILES:
        path = directory / name
        if not path.is_file():
            raise UsageError(f"the bundled sample is missing: {path} not found (run from a "
                             "bzanalytics checkout, or pass --db / BZA_DB=FILE)")
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def sample_db(directory: Path | None = None, cache: Path | None = None) -> Path:
    """Path of the cached sample snapshot, importing the sample first when there is none."""
    directory = sample_dir() if directory is None else Path(directory)
    cache = cache_dir() if cache is None else Path(cache)
    target = cache / f"sample-{sample_key(directory)}.sqlite"
    if target.exists():
        return target
    try:
        cache.mkdir(parents=True, exist_ok=True)
        handle, tmp_name = tempfile.mkstemp(dir=cache, prefix=".sample-", suffix=".sqlite")
    except OSError as exc:
        raise UsageError(f"cannot write the sample cache in {cache}: {exc.strerror} "
                         f"(set {CACHE_ENV} to a writable directory)") from exc
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()  # Store.open creates the file itself
        with Store.open(tmp) as store:
            import_dumps(store, [directory])
        os.replace(tmp, target)  # atomic: a concurrent reader sees no file or a whole one
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
    for stale in cache.glob("sample-*.sqlite*"):  # builds of earlier versions of the sample
        if not stale.name.startswith(target.name):
            stale.unlink(missing_ok=True)
    return target


def sample_snapshot(cache: Path | None = None) -> Snapshot:
    """The bundled synthetic sample, imported on first use and cached."""
    return open_snapshot(sample_db(cache=cache))


def default_snapshot(env: Mapping[str, str] = os.environ) -> Snapshot:
    """The snapshot named by $BZA_DB, else the bundled sample: what the notebooks show.

    $BZA_CORRECTIONS names a corrections file to apply to it.
    """
    path = env.get(DB_ENV)
    corrections = env.get(CORRECTIONS_ENV) or None
    if path:
        return open_snapshot(path, corrections=corrections)
    return open_snapshot(sample_db(cache=cache_dir(env)), corrections=corrections)


def grouping(env: Mapping[str, str] = os.environ) -> str:
    """The notebooks' CA grouping: $BZA_GROUP_BY (`owner` or `current-owner`), else `owner`."""
    value = env.get(GROUP_ENV) or "owner"
    group_column(value)  # a UsageError naming the choices for anything else
    return value


def notice(snapshot: Snapshot, env: Mapping[str, str] = os.environ) -> str:
    """A Markdown line saying what a notebook is showing; loud when it is the synthetic sample."""
    as_of = f"{snapshot.as_of:%Y-%m-%d %H:%M} UTC"
    ident = (f"snapshot as of {as_of}, content hash `{snapshot.content_hash()[:16]}`; CA figures "
             f"grouped by {GROUPING_LABELS[grouping(env)]} (`{GROUP_ENV}`)")
    corrections = getattr(snapshot, "corrections", None)
    if corrections is not None:
        ident += (f"; {len(corrections.rows)} hand corrections applied from "
                  f"`{corrections.path.name}` (SHA-256 `{corrections.sha256[:16]}`)")
    # an unfinished sync or skipped data: a line each, as loud as the synthetic notice
    warnings = "".join(f"\n>\n> **⚠ {note[:1].upper()}{note[1:]}.**"
                       for note in snapshot.warnings())
    if snapshot.is_synthetic:
        return (f"> **⚠ Synthetic sample — fictional CAs.** Every CA, person and bug shown here "
                f"was generated; the numbers describe no real certificate authority. "
                f"Set `{DB_ENV}=path/to/snapshot.sqlite` to analyse real data. ({ident})"
                + warnings)
    return f"> Showing {ident}." + warnings
