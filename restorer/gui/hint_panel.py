"""The side-panel part of the hint tool: on/off, the model's suggested colours, size, undo/redo."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (QColorDialog, QDoubleSpinBox, QGridLayout, QHBoxLayout, QLabel, QPushButton,
                               QToolButton, QVBoxLayout, QWidget)

from restorer.core import ranges

SWATCHES = 8
SWATCH_PX = 26


class HintPanel(QWidget):
    """Buttons and swatches; it edits nothing itself, it asks (signals) the controller."""

    tool_toggled = Signal(bool)
    colour_chosen = Signal(str)  # "#rrggbb" for the selected hint
    size_changed = Signal(float)  # radius, fraction of the long side
    delete_requested = Signal()
    clear_requested = Signal()
    undo_requested = Signal()
    redo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = QPushButton("Place colour hints")
        self.toggle.setCheckable(True)
        self.toggle.setShortcut(QKeySequence("H"))
        self.toggle.setToolTip("Click the photo to pin a colour there, drag for a larger square (H)")
        self.toggle.toggled.connect(self.tool_toggled)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setEnabled(False)
        self.swatches = [self._swatch() for _ in range(SWATCHES)]
        self.other = QPushButton("Other colour…")
        self.other.clicked.connect(self._pick_other)
        self.size = QDoubleSpinBox()
        self.size.setRange(ranges.HINT_RADIUS.low * 100, ranges.HINT_RADIUS.high * 100)
        self.size.setDecimals(1)
        self.size.setSingleStep(0.5)
        self.size.setSuffix(" % of the long side")
        self.size.valueChanged.connect(lambda value: self.size_changed.emit(value / 100))
        self.undo = self._button("Undo", self.undo_requested, QKeySequence.StandardKey.Undo)
        self.redo = self._button("Redo", self.redo_requested, QKeySequence.StandardKey.Redo)
        self.delete = self._button("Delete", self.delete_requested)
        self.clear = self._button("Clear all", self.clear_requested)
        self._current = "#808080"
        self._layout()
        self.show_state(hints=0, selected=None, can_undo=False, can_redo=False)

    def _swatch(self) -> QToolButton:
        button = QToolButton()
        button.setFixedSize(SWATCH_PX, SWATCH_PX)
        button.clicked.connect(lambda: self.colour_chosen.emit(button.property("colour")))
        return button

    def _button(self, text: str, signal, key=None) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(signal)
        if key is not None:
            button.setShortcut(QKeySequence(key))
        return button

    def _layout(self) -> None:
        grid = QGridLayout()
        grid.setSpacing(3)
        for index, swatch in enumerate(self.swatches):
            grid.addWidget(swatch, index // 4, index % 4)
        edit_row = QGridLayout()  # two by two: four buttons in a row made the side panel wider than its column
        for index, button in enumerate((self.undo, self.redo, self.delete, self.clear)):
            edit_row.addWidget(button, index // 2, index % 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.status)
        layout.addWidget(QLabel("The model's suggestions here:"))
        layout.addLayout(grid)
        layout.addWidget(self.other)
        size_row = QHBoxLayout()
        size_row.addWidget(QLabel("Size"))
        size_row.addWidget(self.size, 1)
        layout.addLayout(size_row)
        layout.addLayout(edit_row)

    # what the controller shows -----------------------------------------------------------------

    def show_state(self, hints: int, selected, can_undo: bool, can_redo: bool) -> None:
        """``selected``: the selected hint (a ColorHint) or None."""
        self.undo.setEnabled(can_undo)
        self.redo.setEnabled(can_redo)
        self.clear.setEnabled(hints > 0)
        for widget in (self.delete, self.other, self.size):
            widget.setEnabled(selected is not None)
        if selected is not None:
            self._current = selected.color or self._current
            self.size.blockSignals(True)
            self.size.setValue(selected.radius * 100)
            self.size.blockSignals(False)
        else:
            self.show_suggestions([])
        words = f"{hints} hint{'' if hints == 1 else 's'} on this photo"
        self.set_status(words + ("; pick its colour below" if selected is not None else ""))

    def show_suggestions(self, suggestions) -> None:
        """Fill the swatches with the model's suggestions (most probable first)."""
        for swatch, suggestion in zip(self.swatches, list(suggestions) + [None] * SWATCHES):
            swatch.setEnabled(suggestion is not None)
            colour = suggestion.color if suggestion is not None else "#3a3d42"
            swatch.setProperty("colour", colour)
            swatch.setStyleSheet(f"QToolButton {{ background: {colour}; border: 1px solid #111; }}")
            swatch.setToolTip(f"{colour}: {suggestion.probability:.0%} likely" if suggestion else "")

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def _pick_other(self) -> None:
        colour = QColorDialog.getColor(QColor(self._current), self, "Colour of the hint")
        if colour.isValid():
            self.colour_chosen.emit(colour.name())

    def set_tool_enabled(self, enabled: bool) -> None:
        """Allow the tool for the photo on screen (or not: none shown, or its sidecar is broken)."""
        self.toggle.setEnabled(enabled)
        if not enabled and self.toggle.isChecked():
            self.toggle.setChecked(False)

