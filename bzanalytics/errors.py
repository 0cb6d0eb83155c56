"""The project's exceptions and exit codes, in one place: the CLI maps each error to its code, and
`exit_code_table()` (printed by `--help` of every command, copied into the README) is built from
the same classes, so the documented codes cannot drift from the real ones.

    BzaError                      anything the user can act on; str() is a one-line message
    ├── UsageError                a wrong flag value, a missing file            (exit 2)
    ├── SnapshotError             unreadable, foreign or too-new database file  (exit 5)
    │   └── SnapshotBusy          another process writes to or locks the file   (exit 9)
    ├── DumpError                 a JSON dump that is not BMO REST JSON         (exit 6)
    ├── NotWritable               a read-only location or no permission         (exit 10)
    ├── DiskFull                  no space left on the device                   (exit 11)
    └── BMOError                  BMO answered with an error envelope           (exit 7)
        ├── TransportError        network fault after the retries ran out       (exit 8)
        ├── RateLimited           BMO blocked this address (400/32000 or 429)   (exit 3)
        └── AuthError             the API key was refused                       (exit 4)

Messages never contain an API key: the client never puts one in a URL or a message.
"""

from __future__ import annotations

import errno
import textwrap

INTERRUPTED = 130  # what shells use for Ctrl-C (128 + SIGINT)


class BzaError(Exception):
    """Base class: an error whose message is meant for the user."""

    exit_code = 1
    meaning = "unexpected error (a bug in bzanalytics; please report it)"


class UsageError(BzaError):
    exit_code = 2
    meaning = "usage: a wrong flag value, or an input or output path that cannot be used"


class SnapshotError(BzaError):
    exit_code = 5
    meaning = ("bad snapshot file: missing, not a bzanalytics snapshot, damaged, or written by "
               "a newer version")


class SnapshotBusy(SnapshotError):
    exit_code = 9
    meaning = ("snapshot busy: another sync or import is writing to it, or another process "
               "locks it; try again when it has finished")


class DumpError(BzaError):
    exit_code = 6
    meaning = "bad dump: an input is not BMO REST JSON (nothing of it was imported)"


class NotWritable(BzaError):
    exit_code = 10
    meaning = ("not writable: a read-only location or no permission (reading a snapshot needs "
               "no write access)")


class DiskFull(BzaError):
    exit_code = 11
    meaning = "disk full: no space left; nothing partial was left behind"


class BMOError(BzaError):
    """An error answer from BMO, with its JSON `code` when it sent one."""

    exit_code = 7
    meaning = "BMO answered with an error"

    def __init__(self, message: str, *, status: int | None = None, code: int | None = None):
        super().__init__(message)
        self.status = status
        self.code = code


class TransportError(BMOError):
    exit_code = 8
    meaning = ("BMO unreachable after the retries; what is stored is kept and the next sync "
               "resumes")


class RateLimited(BMOError):
    exit_code = 3
    meaning = ("rate-limited by BMO: wait an hour; what is stored is kept and the next sync "
               "resumes")


class AuthError(BMOError):
    exit_code = 4
    meaning = "BMO refused the API key (check BUGZILLA_API_KEY or --api-key-file)"


ERRORS = (BzaError, UsageError, RateLimited, AuthError, SnapshotError, DumpError, BMOError,
          TransportError, SnapshotBusy, NotWritable, DiskFull)


def exit_codes() -> list[tuple[int, str]]:
    """Every exit code with its meaning, in order: 0, each error class, then Ctrl-C."""
    codes = [(0, "success"), *sorted((cls.exit_code, cls.meaning) for cls in ERRORS)]
    return [*codes, (INTERRUPTED, "interrupted (Ctrl-C); each command says what was kept")]


def exit_code_table() -> str:
    """The exit codes as the text block that ends every command's --help."""
    lines = ["exit codes (the same for every command):"]
    for code, meaning in exit_codes():
        lines += textwrap.wrap(meaning, 78, initial_indent=f"  {code:>3}  ",
                               subsequent_indent=" " * 7)
    return "\n".join(lines)


def from_os_error(exc: OSError, what: object) -> BzaError:
    """The user-facing error for a failed write to `what` (a file or folder): a full disk and a
    read-only location get their own exit codes; anything else is a usage problem."""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return DiskFull(f"cannot write {what}: {reason}; nothing partial was left behind")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return NotWritable(f"cannot write {what}: {reason}")
    return UsageError(f"cannot write {what}: {reason}")
