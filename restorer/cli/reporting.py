"""How the command line reports what went wrong, in one line.

An expected failure (a bad file, a missing model, a full disk, a number out of range) prints
``restorer: error: ...`` and exits 2. Anything else is a bug: one line naming it and the log file
that holds the full traceback (``--debug`` prints it too), exit 1. Library warnings (torch,
numpy, Pillow) go to that log instead of the terminal: every real problem is reported by us.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import warnings
from contextlib import contextmanager
from logging.handlers import RotatingFileHandler
from pathlib import Path

from restorer.core.errors import RestorerError
from restorer.core.paths import user_log_file

EXIT_INTERNAL = 1
EXIT_EXPECTED = 2
EXIT_INTERRUPTED = 130
LOG_BYTES = 1_000_000  # one old log is kept beside the current one

log = logging.getLogger("restorer")


class _QuietFileHandler(RotatingFileHandler):
    def handleError(self, record) -> None:
        """A log that cannot be written (disk full) must not print a traceback of its own."""


def _file_handler() -> RotatingFileHandler | None:
    """A handler appending to the user's log file (created on the first record), or None when
    its folder cannot be made (a read-only home)."""
    path = user_log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    handler = _QuietFileHandler(path, maxBytes=LOG_BYTES, backupCount=1, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler


def _log_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """``warnings.showwarning`` replacement: into the log, not onto the terminal."""
    log.getChild("warnings").warning("%s:%s: %s: %s", filename, lineno, category.__name__, message)


@contextmanager
def logging_to_file(debug: bool = False):
    """For the duration: the ``restorer`` log and every warning go to the log file (and to
    stderr with ``debug``). Yields the log file's path, or None when it cannot be written."""
    file_handler = _file_handler()
    handlers = [h for h in (file_handler, logging.StreamHandler(sys.stderr) if debug else None) if h]
    level = log.level
    log.setLevel(logging.DEBUG if debug else logging.INFO)
    for handler in handlers:
        log.addHandler(handler)
    try:
        with warnings.catch_warnings():  # restores the filters and showwarning afterwards
            warnings.showwarning = _log_warning
            yield Path(file_handler.baseFilename) if file_handler else None
    finally:
        for handler in handlers:
            log.removeHandler(handler)
            handler.close()
        log.setLevel(level)


def one_line(text: str) -> str:
    return re.sub(r"\s*[\r\n]+\s*", " ", str(text)).strip()


def expected_message(err: BaseException) -> str:
    """What the user needs to know about an expected failure, in one line."""
    if isinstance(err, MemoryError):
        return "not enough memory; try a smaller --render-size (colorize) or --batch and --size (train)"
    if isinstance(err, OSError) and not isinstance(err, RestorerError) and err.strerror:
        return one_line(f"{err.filename}: {err.strerror}" if err.filename else err.strerror)
    return one_line(str(err) or type(err).__name__)


def internal_message(err: BaseException, log_file: Path | None) -> str:
    detail = one_line(f"{type(err).__name__}: {err}")[:200]
    where = f"the details are in {log_file}" if log_file else "run again with --debug to see the details"
    return f"restorer: internal error (please report it): {detail}; {where}"


def _quiet_broken_pipe() -> None:
    """``restorer models | head``: stop writing, and keep Python from complaining at exit."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (captured in tests)
        pass


def run_reported(command, args, debug: bool = False) -> int:
    """``command(args)`` with every failure turned into one line and an exit code."""
    with logging_to_file(debug) as log_file:
        try:
            return int(command(args) or 0)
        except KeyboardInterrupt:
            print("\nInterrupted: no partial output was left behind.", file=sys.stderr)
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            _quiet_broken_pipe()
            return EXIT_INTERNAL
        except (RestorerError, OSError, MemoryError) as err:
            log.info("error: %s", expected_message(err), exc_info=debug)
            print(f"restorer: error: {expected_message(err)}", file=sys.stderr)
            return EXIT_EXPECTED
        except Exception as err:  # noqa: BLE001 - a bug: one line here, the traceback in the log
            # with --debug the log's stderr handler prints this traceback on the terminal too
            log.error("unexpected error in `restorer %s`", getattr(args, "command", "?"), exc_info=True)
            print(internal_message(err, log_file), file=sys.stderr)
            return EXIT_INTERNAL
