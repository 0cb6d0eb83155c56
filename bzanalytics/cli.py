"""Command-line entry point: parse arguments, call one library function, turn errors into one line.

Each subcommand lives in `bzanalytics.commands.<name>` and exposes `register(subparsers)`,
which adds its parser and sets `func` to a callable taking the parsed namespace and returning
an exit code, and `interrupted`, what is true after a Ctrl-C (a format string over the flags).
Every parser's --help ends with the exit-code table of `errors.py`.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import logging
import os
import sys

from bzanalytics import __version__
from bzanalytics.errors import INTERRUPTED, BzaError, DiskFull, exit_code_table

COMMAND_MODULES = (
    "sync",
    "status",
    "import_dump",
    "export",
    "scorecard",
    "attention",
    "report",
    "corrections",
    "synth",
    "fakebmo",
)


class _Parser(argparse.ArgumentParser):
    """argparse that exits with a one-line message (no usage dump) on a wrong flag, and whose
    help ends with the exit codes."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"bzanalytics: error: {message} (see --help)\n")

    def format_help(self) -> str:
        return super().format_help() + "\n" + exit_code_table() + "\n"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bzanalytics",
        description="Pull, parse and measure Mozilla Bugzilla's CA compliance bugs.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail to stderr")
    parser.add_argument("--version", action="version", version=f"bzanalytics {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"bzanalytics.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"bzanalytics.commands.{name}":
                raise
            continue  # command not built yet
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # bare `bzanalytics`: the command list, not an error
        parser.print_help()
        return 0
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a full disk shows here, while the error can still be reported
        return code
    except BzaError as exc:
        print(f"bzanalytics: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        kept = getattr(args, "interrupted", "")
        print(f"bzanalytics: interrupted{'; ' + kept.format(**vars(args)) if kept else ''}",
              file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT) or exc.filename is not None:
            raise  # a file's errors are its command's to explain; this is stdout on a full disk
        _silence_stdout()
        print(f"bzanalytics: cannot write the output: {exc.strerror}", file=sys.stderr)
        return DiskFull.exit_code


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's final flush of what is left cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
