"""Output folders written whole: `export` and `report` fill a temporary folder beside the target
and swap it in only once every file is written.

So an interrupted, failed or disk-full run leaves the old folder exactly as it was (or no folder),
never new files beside an old manifest. A non-empty folder that is not an earlier output of the
same command (no `marker` file in it) is refused rather than replaced, so a mistyped --out
cannot wipe unrelated files.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bzanalytics.errors import UsageError, from_os_error


@contextlib.contextmanager
def replaced_whole(out: str | Path, marker: str) -> Iterator[Path]:
    """Yield an empty temporary folder; on success it becomes `out` (replacing an earlier one)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / marker).exists():
        raise UsageError(f"{out} is not empty and holds no {marker}, so it is not an earlier "
                         "output to replace; choose a new or empty folder")
    blocker = next((p for p in out.parents if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise UsageError(f"cannot write {out}: {blocker} is not a directory")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it private; outputs are ordinary folders
    except OSError as exc:
        raise from_os_error(exc, out) from None
    try:
        yield tmp
        _swap(tmp, out)
    except OSError as exc:
        raise from_os_error(exc, out) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone already after a successful swap


def _swap(new: Path, out: Path) -> None:
    if not out.exists():
        os.rename(new, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rmdir(old)
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
