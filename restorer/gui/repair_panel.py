"""The "Repair damage" controls of the side panel: on/off, sensitivity, strength, and the masks a
user edited by hand (one per queue item), turned into a :class:`RepairPlan` for each job."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QPushButton, QWidget
from superqt import QLabeledDoubleSlider

from restorer.pipeline.repair_options import RepairOptions

DEFAULTS = RepairOptions()


def fraction_slider(value: float, tooltip: str) -> QLabeledDoubleSlider:
    slider = QLabeledDoubleSlider(Qt.Orientation.Horizontal)
    slider.setRange(0.0, 1.0)
    slider.setSingleStep(0.05)
    slider.setDecimals(2)
    slider.setValue(value)
    slider.setToolTip(tooltip)
    return slider


class RepairPanel(QWidget):
    """``changed`` when a control moves; ``edit_requested`` when the user wants to see/paint the mask."""

    changed = Signal()
    edit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._masks: dict[int, np.ndarray] = {}
        self.enabled_box = QCheckBox("Repair scratches, dust, creases and tears before colour")
        self.enabled_box.setToolTip("A small network finds the damage; the marks are filled in from their "
                                    "surroundings on the grey photo, then it is colorized.")
        self.sensitivity = fraction_slider(DEFAULTS.sensitivity, "Higher finds fainter marks (and more "
                                           "false ones); see the mask with Edit mask.")
        self.strength = fraction_slider(DEFAULTS.strength, "How much of the filled-in value replaces a damaged "
                                        "pixel (1 = all of it).")
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
        self.enabled_box.toggled.connect(self._on_changed)
        self.sensitivity.valueChanged.connect(self._on_changed)
        self.strength.valueChanged.connect(self._on_changed)
        self._on_changed()

    def enabled(self) -> bool:
        return self.enabled_box.isChecked()

    def options(self) -> RepairOptions:
        return RepairOptions(sensitivity=round(self.sensitivity.value(), 3), strength=round(self.strength.value(), 3))

    def plan_for(self, item_id: int):
        """The RepairPlan for a queue item's job (its hand-edited mask if any), or None when off."""
        if not self.enabled():
            return None
        from restorer.pipeline.repair import RepairPlan

        return RepairPlan(self.options(), self._masks.get(item_id))

    def set_mask(self, item_id: int, mask: np.ndarray | None) -> None:
        """Use ``mask`` (full size, bool) for this item instead of detecting; None goes back to detecting."""
        if mask is None:
            self._masks.pop(item_id, None)
        else:
            self._masks[item_id] = mask
        self._update_note()

    def mask_of(self, item_id: int) -> np.ndarray | None:
        return self._masks.get(item_id)

    def forget(self, item_id: int) -> None:
        self.set_mask(item_id, None)

    def state(self) -> dict:
        return {"enabled": self.enabled(), "sensitivity": self.sensitivity.value(), "strength": self.strength.value()}

    def set_state(self, data: dict) -> None:
        self.enabled_box.setChecked(bool(data.get("enabled", False)))
        self.sensitivity.setValue(float(data.get("sensitivity", DEFAULTS.sensitivity)))
        self.strength.setValue(float(data.get("strength", DEFAULTS.strength)))

    def _on_changed(self, *_: object) -> None:
        on = self.enabled()
        for widget in (self.sensitivity, self.strength):
            widget.setEnabled(on)
        self._update_note()
        self.changed.emit()

    def _update_note(self) -> None:
        count = len(self._masks)
        self.mask_note.setText(f"Hand-edited masks: {count} photo{'s' if count != 1 else ''}." if count else "")
