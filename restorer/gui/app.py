"""`restorer-gui`: start the desktop app.

Nothing here imports torch: the window appears at once, and the network loads on the runner
thread when the first photo is colorized.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback

from PySide6.QtWidgets import QApplication

from restorer.gui.platform_check import startup_problem
from restorer.gui.settings import APPLICATION, ORGANIZATION

log = logging.getLogger("restorer.gui")


def create_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (reused when one exists, e.g. under pytest-qt)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Restorer")
    app.setDesktopFileName("org.restorer.Restorer")  # lets Wayland match the window to its menu entry
    from restorer.gui.icons import app_icon

    app.setWindowIcon(app_icon())
    return app


def install_excepthook(window) -> None:
    """Unexpected errors go to the log and the message bar, never to a traceback dialog."""

    def hook(kind, value, tb) -> None:
        log.error("Unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        try:
            window.notify("error", f"Unexpected error ({kind.__name__}: {value}). "
                                   "Your queue is safe; please report this if it happens again.")
        except RuntimeError:  # the window is already gone
            pass

    sys.excepthook = hook


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="restorer-gui", description="Colorize black-and-white photos.")
    parser.add_argument("photos", nargs="*", help="photos or folders to queue at start")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    problem = startup_problem()
    if problem:  # Qt would abort with a core dump instead
        print(problem, file=sys.stderr)
        return 1
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = create_app([sys.argv[0]])
    from restorer.gui.main_window import MainWindow

    window = MainWindow()
    install_excepthook(window)
    window.show()
    if args.photos:
        window.add_paths(args.photos)
    code = app.exec()
    window.shutdown()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
