"""A non-modal message strip above the photo: info, warnings and errors, never a dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from restorer.gui.icons import icon

LEVELS = {
    "info": ("#e8f1fd", "#1d4f91", "#2f80ed"),
    "success": ("#e7f6ec", "#1e6b3a", "#27ae60"),
    "warning": ("#fff6dc", "#7a5600", "#d4a000"),
    "error": ("#fdeaea", "#8c1f1f", "#d64545"),
}
INFO_TIMEOUT_MS = 8000
ACTION_TIMEOUT_MS = 20000  # a message offering Undo stays long enough to read it and change one's mind


class MessageBar(QFrame):
    """Shows the latest message; info and success fade after a while, problems stay until closed."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MessageBar")
        self._icon = QLabel()
        self._text = QLabel()
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._close = QToolButton()
        self._close.setIcon(icon("close"))
        self._close.setAutoRaise(True)
        self._close.setToolTip("Dismiss")
        self._close.clicked.connect(self.dismiss)
        self.action_button = QPushButton()
        self.action_button.setObjectName("messageAction")
        self.action_button.clicked.connect(self._run_action)
        self.action_button.hide()
        self._action: Callable[[], object] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self._icon)
        layout.addWidget(self._text, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self._close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.level = ""
        self.history: list[tuple[str, str]] = []
        self.hide()

    def text(self) -> str:
        return self._text.text()

    def show_message(self, text: str, level: str = "info",
                     action: tuple[str, Callable[[], object]] | None = None) -> None:
        """Show ``text``; ``action`` (label, callback) adds a button, e.g. ("Undo", session.undo_clear)."""
        level = level if level in LEVELS else "info"
        background, foreground, accent = LEVELS[level]
        self.level = level
        self.history.append((level, text))
        del self.history[:-200]
        self._text.setText(text)
        self._icon.setPixmap(icon(level if level != "success" else "done", accent).pixmap(18, 18))
        self.setStyleSheet(
            f"#MessageBar {{ background: {background}; border: 1px solid {accent};"
            f" border-radius: 4px; }} #MessageBar QLabel {{ color: {foreground}; }}"
        )
        self._set_action(action)
        self.show()
        self._timer.stop()
        if level in ("info", "success"):
            self._timer.start(ACTION_TIMEOUT_MS if action else INFO_TIMEOUT_MS)

    def info(self, text: str) -> None:
        self.show_message(text, "info")

    def success(self, text: str) -> None:
        self.show_message(text, "success")

    def warning(self, text: str) -> None:
        self.show_message(text, "warning")

    def error(self, text: str) -> None:
        self.show_message(text, "error")

    def _set_action(self, action: tuple[str, Callable[[], object]] | None) -> None:
        self._action = action[1] if action else None
        self.action_button.setText(action[0] if action else "")
        self.action_button.setVisible(action is not None)

    def _run_action(self) -> None:
        action = self._action
        self.dismiss()
        if action is not None:
            action()

    def dismiss(self) -> None:
        self._timer.stop()
        self.hide()
        self.closed.emit()
