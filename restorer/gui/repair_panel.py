"""The "Repair damage" controls of the side panel, a view of the session's
:class:`~restorer.gui.session.repair.RepairState`: on/off, sensitivity, strength, the count of
hand-edited masks, and the button that opens the mask editor."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QPushButton, QWidget
from superqt import QLabeledDoubleSlider

from restorer.core import ranges
from restorer.gui.session.repair import RepairState


def fraction_slider(value: float, tooltip: str) -> QLabeledDoubleSlider:
    """A 0..1 slider (the range of both repair fractions) with its value shown beside it."""
    slider = QLabeledDoubleSlider(Qt.Orientation.Horizontal)
    slider.setRange(ranges.REPAIR_SENSITIVITY.low, ranges.REPAIR_SENSITIVITY.high)
    slider.setSingleStep(0.05)
    slider.setDecimals(2)
    slider.setValue(value)
    slider.setToolTip(tooltip)
    return slider


class RepairPanel(QWidget):
    """Writes the user's choices into ``state`` and follows its changes; ``edit_requested`` when
    the user wants to see and paint the current photo's mask."""

    edit_requested = Signal()

    def __init__(self, state: RepairState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.enabled_box = QCheckBox("Repair before colorizing")
        self.enabled_box.setToolTip("Scratches, dust, creases and tears: a small network finds them, and they are "
                                    "filled in from their surroundings on the grey photo before it is colorized.")
        self.sensitivity = fraction_slider(state.options.sensitivity, "Higher finds fainter marks (and more "
                                           "false ones); Edit mask shows what is found.")
        self.strength = fraction_slider(state.options.strength, "How much of the filled-in value replaces a "
                                        "damaged pixel (1 = all of it).")
        self.edit_button = QPushButton("Edit mask for this photo…")
        self.edit_button.setToolTip("See what was found, paint or erase damage, compare before and after.")
        self.edit_button.clicked.connect(self.edit_requested)
        self.mask_note = QLabel("")
        self.mask_note.setWordWrap(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.enabled_box)
        form.addRow("Sensitivity", self.sensitivity)
        form.addRow("Strength", self.strength)
        form.addRow(self.edit_button)
        form.addRow(self.mask_note)
        self.enabled_box.toggled.connect(state.set_enabled)
        self.sensitivity.valueChanged.connect(lambda value: state.set_options(sensitivity=round(value, 3)))
        self.strength.valueChanged.connect(lambda value: state.set_options(strength=round(value, 3)))
        state.changed.connect(self.sync)
        self.sync()

    def sync(self) -> None:
        """Show the state (signals blocked: showing it must not write it back)."""
        state = self.state
        for widget, value in ((self.sensitivity, state.options.sensitivity), (self.strength, state.options.strength)):
            widget.blockSignals(True)
            widget.setValue(value)
            widget.blockSignals(False)
            widget.setEnabled(state.enabled)
        self.enabled_box.blockSignals(True)
        self.enabled_box.setChecked(state.enabled)
        self.enabled_box.blockSignals(False)
        count = state.edited
        self.mask_note.setText(f"Hand-edited masks: {count} photo{'s' if count != 1 else ''}." if count else "")
