"""`restorer` command line: colorize, models, train, evaluate, import-weights.

Heavy modules (torch, cv2) are imported inside each command so `restorer --help` is instant.
"""

from __future__ import annotations

import argparse
import sys

from restorer import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="restorer", description="Bring black-and-white photos back to colour.")
    parser.add_argument("--version", action="version", version=f"restorer {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    from restorer.cli import cmd_colorize, cmd_evaluate, cmd_models, cmd_train

    for module in (cmd_colorize, cmd_models, cmd_train, cmd_evaluate):
        module.add_parser(commands)
    cmd_evaluate.add_calibrate_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    from restorer.core.errors import RestorerError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("\nInterrupted: no partial output was left behind.", file=sys.stderr)
        return 130
    except RestorerError as err:
        print(f"restorer: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
