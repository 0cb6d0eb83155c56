"""One writer per snapshot: `sync` and `import` hold an exclusive lock for their whole run.

Two syncs on one file would each fetch everything (double the load on BMO) and interleave their
batches, so the second writer stops at once with `SnapshotBusy`, naming the one that holds the
file. The lock is an OS lock (`flock`) on `FILE.lock` beside the snapshot: the kernel drops it
when its process dies, so a killed sync never leaves a stale lock. Readers take no lock (SQLite's
WAL lets them read while a sync writes).

`writing(path, what)` also undoes what a failed first run made: a snapshot file it created that
still holds no bug is removed, so a typo in --url never leaves an empty snapshot behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from bzanalytics.errors import SnapshotBusy, from_os_error
from bzanalytics.snapshot.store import Store, check_writable

SIDE_FILES = ("-wal", "-shm", "-journal")  # what SQLite may leave beside a snapshot


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def exclusive(path: str | Path, what: str) -> Iterator[None]:
    """Hold the writer lock of the snapshot at `path` (`what`: "sync", "import") or raise
    `SnapshotBusy` at once when another process holds it."""
    path = Path(path)
    target = lock_path(path)
    while True:
        try:
            fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise from_os_error(exc, target) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            os.close(fd)
            raise SnapshotBusy(f"{path} is busy: another bzanalytics {holder or 'process'} is "
                               "writing to it; wait until it has finished (or use another "
                               "--db)") from None
        if _same_file(fd, target):
            break
        os.close(fd)  # the holder removed the lock file as we opened it: take the new one
    try:
        started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        os.ftruncate(fd, 0)
        os.write(fd, f"{what} (pid {os.getpid()}, since {started})".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(target)  # before unlocking, so a waiter never locks a removed file
        os.close(fd)


@contextlib.contextmanager
def writing(path: str | Path, what: str) -> Iterator[Store]:
    """The snapshot at `path` opened for writing under the writer lock (created when missing).

    When this run created the file and fails before storing any bug, the file is removed again.
    """
    path = Path(path)
    check_writable(path)  # before the lock file, whose own failure would say less
    with exclusive(path, what):
        existed = path.exists()
        store = Store.open(path, create=True)
        try:
            yield store
        except BaseException:
            empty = not existed and _holds_no_bug(store)
            store.close()
            if empty:
                for name in ("", *SIDE_FILES):
                    with contextlib.suppress(FileNotFoundError):
                        path.with_name(path.name + name).unlink()
            raise
        store.close()


def _holds_no_bug(store: Store) -> bool:
    try:
        return store.counts()["bugs"] == 0
    except sqlite3.Error:
        return False  # cannot tell: keep the file


def _read(fd: int) -> str:
    """Who holds the lock; it writes that just after locking, so wait a moment for it."""
    for _ in range(25):
        with contextlib.suppress(OSError):
            text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            if text:
                return text
        time.sleep(0.02)
    return ""


def _same_file(fd: int, target: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(target).st_ino
    except FileNotFoundError:
        return False
