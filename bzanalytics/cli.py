"""Command-line entry point: parse arguments, call one library function, turn errors into one line.

Each subcommand lives in `bzanalytics.commands.<name>` and exposes `register(subparsers)`,
which adds its parser and sets `func` to a callable taking the parsed namespace and returning
an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from bzanalytics.errors import BzaError

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
    """argparse that exits with a one-line message (no usage dump) on a wrong flag."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"bzanalytics: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bzanalytics",
        description="Pull, parse and measure Mozilla Bugzilla's CA compliance bugs.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail to stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
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
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args) or 0)
    except BzaError as exc:
        print(f"bzanalytics: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("bzanalytics: interrupted; everything stored so far is kept", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
