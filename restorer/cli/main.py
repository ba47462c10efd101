"""`restorer` command line: colorize, repair, models, train, evaluate, calibrate, import-weights, train-detector.

Heavy modules (torch, cv2) are imported inside each command so `restorer --help` is instant.
Failures are reported in one line (see restorer.cli.reporting).
"""

from __future__ import annotations

import argparse

from restorer import __version__

DEBUG_HELP = "on failure, print the full traceback, and show library warnings (both always go to the log file)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="restorer", description="Bring black-and-white photos back to colour.")
    parser.add_argument("--version", action="version", version=f"restorer {__version__}")
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    from restorer.cli import cmd_colorize, cmd_detector, cmd_evaluate, cmd_models, cmd_repair, cmd_train

    for module in (cmd_colorize, cmd_repair, cmd_models, cmd_train, cmd_evaluate, cmd_detector):
        module.add_parser(commands)
    cmd_evaluate.add_calibrate_parser(commands)
    for command in commands.choices.values():  # `restorer colorize ... --debug` works too
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
    return parser


def main(argv: list[str] | None = None) -> int:
    from restorer.cli.reporting import run_reported

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_request:  # a usage error (2: argparse printed why), --help or --version (0)
        return int(exit_request.code or 0)
    if not args.command:
        parser.print_help()
        return 0
    return run_reported(args.run, args, args.debug)


if __name__ == "__main__":
    raise SystemExit(main())
