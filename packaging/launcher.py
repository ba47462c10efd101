"""Entry script of the frozen (PyInstaller) build: one script, two executables.

packaging/restorer.spec builds this script twice from one analysis: ``restorer`` (console) and
``restorer-gui`` (windowed). Which program runs is decided by the executable's own name, so
both share a single ``_internal/`` folder and the bundle holds torch and Qt only once.

``restorer-gui --self-test`` checks the frozen GUI without opening a window: Qt platform
plugins, the icon fonts, the app icon, the About dialog and the main window module. It prints
one ``name: ok|FAILED ...`` line per check and exits non-zero if any check failed.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

GUI_NAMES = ("restorer-gui",)


def _program_name() -> str:
    name = Path(sys.executable if getattr(sys, "frozen", False) else sys.argv[0]).name.lower()
    for suffix in (".exe",):
        name = name.removesuffix(suffix)
    return name


def run_cli() -> int:
    from restorer.cli.main import main

    return main()


def run_gui() -> int:
    if sys.argv[1:2] == ["--self-test"]:
        return gui_self_test()
    from restorer.gui.app import main

    return main() or 0


def gui_self_test() -> int:
    """Exercise what a frozen GUI needs, offscreen; returns the number of failed checks."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    results: list[tuple[str, str]] = []

    def check(name, func):
        try:
            detail = func()
            results.append((name, f"ok{' ' + detail if detail else ''}"))
        except Exception as err:  # noqa: BLE001 (a self-test reports every failure)
            results.append((name, f"FAILED {type(err).__name__}: {err}"))

    state: dict = {}

    def qt():
        from PySide6.QtCore import qVersion
        from PySide6.QtWidgets import QApplication

        state["app"] = QApplication.instance() or QApplication([sys.argv[0]])
        return f"Qt {qVersion()} ({state['app'].platformName()})"

    def icon_fonts():
        from restorer.gui.icons import icon

        pixmap = icon("open").pixmap(32, 32)
        if pixmap.isNull():
            raise RuntimeError("qtawesome drew nothing")
        return ""

    def app_icon():
        from PySide6.QtGui import QIcon

        from restorer.gui.icons import app_icon_path

        path = app_icon_path()
        if path is None or QIcon(str(path)).isNull():
            raise FileNotFoundError("the app icon is not in the bundle's resources/")
        return path.name

    def svg_icon():
        from restorer.gui.icons import resource_path

        from PySide6.QtGui import QIcon

        svg = resource_path("icons", "restorer.svg")
        if QIcon(str(svg)).pixmap(64, 64).isNull():
            raise RuntimeError(f"Qt cannot draw {svg} (SVG icon engine or image format plugin missing)")
        return ""

    def about():
        from restorer.gui.about_dialog import AboutDialog

        dialog = AboutDialog()
        text = dialog.version_text()
        dialog.deleteLater()
        return text

    def weights():
        from restorer.core.paths import bundled_weights_dir

        folder = bundled_weights_dir()
        count = len(list(folder.glob("*.safetensors"))) if folder.is_dir() else 0
        return f"{count} bundled model(s) in {folder}"

    def main_window():
        import restorer.gui.app  # noqa: F401
        import restorer.gui.main_window  # noqa: F401

        return ""

    check("qt", qt)
    check("icon-fonts", icon_fonts)
    check("app-icon", app_icon)
    check("svg-icon", svg_icon)
    check("about", about)
    check("weights", weights)
    check("gui-app", main_window)
    failed = 0
    for name, outcome in results:
        failed += outcome.startswith("FAILED")
        if sys.stdout is not None:  # a windowed Windows exe has no stdout
            print(f"{name}: {outcome}", flush=True)
    return failed


def main() -> int:
    multiprocessing.freeze_support()  # spawn-based platforms (Windows, macOS) re-enter here
    return run_gui() if _program_name() in GUI_NAMES else run_cli()


if __name__ == "__main__":
    sys.exit(main())
