"""The project's exceptions, in one place so the CLI can map each to a message and an exit code.

    BzaError                      anything the user can act on; str() is a one-line message
    ├── UsageError                a wrong flag value, a missing file            (exit 2)
    ├── SnapshotError             unreadable, foreign or too-new database file  (exit 5)
    ├── DumpError                 a JSON dump that is not BMO REST JSON         (exit 6)
    └── BMOError                  BMO answered with an error envelope           (exit 7)
        ├── TransportError        network fault after the retries ran out       (exit 8)
        ├── RateLimited           BMO blocked this address (400/32000 or 429)   (exit 3)
        └── AuthError             the API key was refused                       (exit 4)

Messages never contain an API key: the client never puts one in a URL or a message.
"""

from __future__ import annotations


class BzaError(Exception):
    """Base class: an error whose message is meant for the user."""

    exit_code = 1


class UsageError(BzaError):
    exit_code = 2


class SnapshotError(BzaError):
    exit_code = 5


class DumpError(BzaError):
    exit_code = 6


class BMOError(BzaError):
    """An error answer from BMO, with its JSON `code` when it sent one."""

    exit_code = 7

    def __init__(self, message: str, *, status: int | None = None, code: int | None = None):
        super().__init__(message)
        self.status = status
        self.code = code


class TransportError(BMOError):
    exit_code = 8


class RateLimited(BMOError):
    exit_code = 3


class AuthError(BMOError):
    exit_code = 4
