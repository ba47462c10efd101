"""Icons: qtawesome glyphs by role, and the application icon."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QIcon

# One place naming every glyph the app uses (Material Design Icons via qtawesome).
GLYPHS = {
    "app": "mdi6.palette",
    "open": "mdi6.image-plus",
    "open-folder": "mdi6.folder-open",
    "recent": "mdi6.history",
    "save": "mdi6.content-save",
    "save-as": "mdi6.content-save-edit",
    "export": "mdi6.export",
    "quit": "mdi6.exit-to-app",
    "run": "mdi6.play",
    "cancel": "mdi6.stop",
    "cancel-one": "mdi6.skip-next",
    "retry": "mdi6.refresh",
    "remove": "mdi6.close",
    "clear-done": "mdi6.broom",
    "recolorize": "mdi6.image-refresh",
    "undo": "mdi6.undo",
    "import": "mdi6.file-import",
    "show-folder": "mdi6.folder-search-outline",
    "up": "mdi6.arrow-up",
    "down": "mdi6.arrow-down",
    "fit": "mdi6.fit-to-screen",
    "actual": "mdi6.numeric-1-box-outline",
    "zoom-in": "mdi6.magnify-plus-outline",
    "zoom-out": "mdi6.magnify-minus-outline",
    "split": "mdi6.compare-horizontal",
    "side": "mdi6.view-split-vertical",
    "reset": "mdi6.restore",
    "reference": "mdi6.image-search",
    "batch": "mdi6.checkbox-multiple-marked",
    "train": "mdi6.school",
    "about": "mdi6.information-outline",
    "info": "mdi6.information",
    "warning": "mdi6.alert",
    "error": "mdi6.alert-circle",
    "close": "mdi6.close",
    "queued": "mdi6.clock-outline",
    "done": "mdi6.check-circle",
    "failed": "mdi6.alert-circle",
    "cancelled": "mdi6.cancel",
    "running": "mdi6.progress-clock",
    "photo": "mdi6.image-outline",
    "broken": "mdi6.image-broken-variant",
}

STATUS_COLOURS = {
    "queued": "#8a8f98",
    "running": "#2f80ed",
    "done": "#27ae60",
    "failed": "#d64545",
    "cancelled": "#b08500",
}


@lru_cache(maxsize=None)
def icon(role: str, color: str | None = None) -> QIcon:
    """The icon for ``role`` (a key of :data:`GLYPHS`), optionally tinted."""
    import qtawesome

    options = {"color": color} if color else {}
    return qtawesome.icon(GLYPHS[role], **options)


def status_icon(status: str) -> QIcon:
    return icon(status, STATUS_COLOURS.get(status))


def resource_path(*parts: str) -> Path:
    """A file under ``resources/`` in the source tree or a frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    root = Path(frozen_root) if frozen_root else Path(__file__).resolve().parents[2]
    return root.joinpath("resources", *parts)


def app_icon() -> QIcon:
    """``resources/icons/restorer.svg`` when present, else a tinted palette glyph."""
    svg = resource_path("icons", "restorer.svg")
    if svg.is_file():
        candidate = QIcon(str(svg))
        if not candidate.isNull():
            return candidate
    return icon("app", "#e07a2f")


APP_ID = "org.restorer.Restorer"


def app_icon_path(size: int = 256) -> Path | None:
    """The rendered app icon closest to ``size`` (resources/icons/hicolor), or None if absent."""
    base = resource_path("icons", "hicolor")
    for candidate in (size, 256, 512, 128):
        path = base / f"{candidate}x{candidate}" / "apps" / f"{APP_ID}.png"
        if path.is_file():
            return path
    return None
