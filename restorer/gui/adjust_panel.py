"""Post-processing controls: live (debounced), non-destructive, resettable one by one or all at once.

The panel only edits an :class:`~restorer.pipeline.postprocess.Adjustments`; the main window
applies it to the preview-size colorized picture (never re-running the network) and to the
full-size photo on export.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from superqt import QElidingLabel, QLabeledDoubleSlider

from restorer.gui.icons import icon
from restorer.gui.workers import Lane

DEBOUNCE_MS = 150
REFERENCE_SIDE = 512


@dataclass(frozen=True)
class SliderSpec:
    key: str  # Adjustments field
    label: str
    low: float
    high: float
    neutral: float
    tooltip: str


TONE = (
    SliderSpec("brightness", "Brightness", -1.0, 1.0, 0.0, "Shifts the lightness (Lab L) up or down."),
    SliderSpec("contrast", "Contrast", 0.0, 2.0, 1.0, "Spreads tones away from (or towards) mid-grey."),
    SliderSpec("sharpen_amount", "Sharpen", 0.0, 3.0, 0.0, "Unsharp mask on the lightness only: no colour fringes."),
)
COLOUR = (
    SliderSpec("saturation", "Saturation", 0.0, 2.0, 1.0, "Scales all colours; 0 gives back black and white."),
    SliderSpec("vibrance", "Vibrance", -1.0, 1.0, 0.0, "Boosts dull colours more than vivid ones."),
    SliderSpec("temperature", "Temperature", -1.0, 1.0, 0.0, "Cooler (blue) to warmer (yellow)."),
    SliderSpec("tint", "Tint", -1.0, 1.0, 0.0, "Green to magenta."),
)
EQUALIZE = (("off", "Off"), ("global", "Global"), ("clahe", "Local (CLAHE)"))


def load_reference(path: str) -> np.ndarray:
    """A small uint8 copy of a reference photo (its colour statistics are all that is used)."""
    from restorer.pipeline.pixels import shrink, to_uint8
    from restorer.pipeline.io import load_image

    return np.ascontiguousarray(to_uint8(shrink(load_image(path).pixels, REFERENCE_SIDE)))


def _reset_button(tooltip: str) -> QToolButton:
    button = QToolButton()
    button.setIcon(icon("reset"))
    button.setAutoRaise(True)
    button.setToolTip(tooltip)
    return button


class AdjustPanel(QWidget):
    """Emits ``changed(Adjustments)`` a moment after the user stops moving a control."""

    changed = Signal(object)
    apply_to_batch = Signal(object)
    reference_failed = Signal(str)
    choose_reference_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sliders: dict[str, QLabeledDoubleSlider] = {}
        self._specs = {spec.key: spec for spec in TONE + COLOUR}
        self._reference: np.ndarray | None = None
        self._reference_path: str | None = None
        self._lane = Lane("reference", 1, self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._tone_group())
        layout.addWidget(self._colour_group())
        layout.addLayout(self._buttons())
        layout.addStretch(1)

    # building --------------------------------------------------------------------------------

    def _slider(self, key: str, low: float, high: float, value: float, tooltip: str) -> QLabeledDoubleSlider:
        slider = QLabeledDoubleSlider(Qt.Orientation.Horizontal)
        slider.setObjectName(f"slider_{key}")
        slider.setRange(low, high)
        slider.setDecimals(2)
        slider.setSingleStep(0.01)
        slider.setValue(value)
        slider.setToolTip(tooltip)
        slider.valueChanged.connect(self._schedule)
        self.sliders[key] = slider
        return slider

    def _add_row(self, grid: QGridLayout, label: str, control: QWidget, reset) -> None:
        row = grid.rowCount()
        grid.addWidget(QLabel(label), row, 0)
        grid.addWidget(control, row, 1)
        button = _reset_button(f"Reset {label.lower()}")
        button.clicked.connect(reset)
        grid.addWidget(button, row, 2)

    def _grid(self, title: str) -> tuple[QGroupBox, QGridLayout]:
        box = QGroupBox(title)
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        grid.setContentsMargins(8, 6, 4, 6)
        grid.setVerticalSpacing(2)
        return box, grid

    def _tone_group(self) -> QGroupBox:
        box, grid = self._grid("Tone")
        for spec in TONE[:2]:
            self._add_row(grid, spec.label, self._slider(spec.key, spec.low, spec.high, spec.neutral,
                                                         spec.tooltip), lambda _=False, k=spec.key: self.reset(k))
        self.equalize_combo = QComboBox()
        for key, text in EQUALIZE:
            self.equalize_combo.addItem(text, key)
        self.equalize_combo.setToolTip("Histogram equalization of the lightness: global, or local (CLAHE).")
        self.equalize_combo.currentIndexChanged.connect(self._on_equalize_changed)
        self._add_row(grid, "Equalize", self.equalize_combo, lambda: self.reset("equalize"))
        strength = self._slider("equalize_strength", 0.0, 1.0, 1.0, "How much of the equalized tones to use.")
        strength.setEnabled(False)
        self._add_row(grid, "  Strength", strength, lambda: self.reset("equalize_strength"))
        spec = TONE[2]
        self._add_row(grid, spec.label, self._slider(spec.key, spec.low, spec.high, spec.neutral, spec.tooltip),
                      lambda: self.reset(spec.key))
        return box

    def _colour_group(self) -> QGroupBox:
        box, grid = self._grid("Colour")
        for spec in COLOUR:
            self._add_row(grid, spec.label, self._slider(spec.key, spec.low, spec.high, spec.neutral,
                                                         spec.tooltip), lambda _=False, k=spec.key: self.reset(k))
        self.reference_label = QElidingLabel("No reference photo")
        self.reference_label.setToolTip("Match the colours' overall statistics to a photo you choose.")
        choose = QToolButton()
        choose.setIcon(icon("reference"))
        choose.setToolTip("Choose a reference photo…")
        choose.clicked.connect(lambda: self.choose_reference_requested.emit())
        reference_row = QWidget()
        row = QHBoxLayout(reference_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.reference_label, 1)
        row.addWidget(choose)
        self._add_row(grid, "Reference", reference_row, self.clear_reference)
        self._add_row(grid, "  Strength", self._slider("reference_strength", 0.0, 1.0, 1.0,
                                                       "How far to move the colours towards the reference."),
                      lambda: self.reset("reference_strength"))
        return box

    def _buttons(self) -> QHBoxLayout:
        reset_all = QPushButton(icon("reset"), "Reset all")
        reset_all.clicked.connect(self.reset_all)
        batch = QPushButton(icon("batch"), "Apply to whole batch")
        batch.setToolTip("Use these settings for every photo in the queue (and for photos added later).")
        batch.clicked.connect(lambda: self.apply_to_batch.emit(self.adjustments()))
        row = QHBoxLayout()
        row.addWidget(reset_all)
        row.addWidget(batch, 1)
        return row

    # values ----------------------------------------------------------------------------------

    def adjustments(self):
        from restorer.pipeline.postprocess import Adjustments

        values = {key: float(slider.value()) for key, slider in self.sliders.items()}
        return Adjustments(equalize=self.equalize_combo.currentData(), reference=self._reference,
                           reference_path=self._reference_path, **values)

    def set_adjustments(self, adjustments) -> None:
        """Show ``adjustments`` without emitting ``changed`` (None: all neutral)."""
        from restorer.pipeline.postprocess import Adjustments

        adjustments = adjustments if adjustments is not None else Adjustments()
        for key, slider in self.sliders.items():
            slider.blockSignals(True)
            slider.setValue(float(getattr(adjustments, key)))
            slider.blockSignals(False)
        self.equalize_combo.blockSignals(True)
        self.equalize_combo.setCurrentIndex(max(0, self.equalize_combo.findData(adjustments.equalize)))
        self.equalize_combo.blockSignals(False)
        self.sliders["equalize_strength"].setEnabled(adjustments.equalize != "off")
        self._set_reference(adjustments.reference_path, adjustments.reference)
        self._timer.stop()

    def set_value(self, key: str, value) -> None:
        """Change one setting as the user would (debounced ``changed`` follows)."""
        if key == "equalize":
            self.equalize_combo.setCurrentIndex(self.equalize_combo.findData(value))
        else:
            self.sliders[key].setValue(float(value))

    def reset(self, key: str) -> None:
        if key == "equalize":
            self.set_value("equalize", "off")
        elif key in self._specs:
            self.set_value(key, self._specs[key].neutral)
        else:
            self.set_value(key, 1.0)  # strengths

    def reset_all(self) -> None:
        from restorer.pipeline.postprocess import Adjustments

        self.set_adjustments(Adjustments())
        self._schedule()

    def flush(self) -> None:
        """Emit a pending change now instead of after the debounce delay."""
        if self._timer.isActive():
            self._timer.stop()
            self._emit_changed()

    def shutdown(self) -> None:
        self._timer.stop()
        self._lane.shutdown()

    # reference photo -------------------------------------------------------------------------

    def load_reference_file(self, path: str | Path) -> None:
        path = str(path)
        self.reference_label.setText(f"Loading {Path(path).name}…")
        self._lane.run(load_reference, path, on_done=lambda array: self._reference_loaded(path, array),
                       on_error=self._reference_error)

    def clear_reference(self) -> None:
        self._set_reference(None, None)
        self._schedule()

    def _set_reference(self, path: str | None, array: np.ndarray | None) -> None:
        self._reference_path = path
        self._reference = array
        if path and array is None:
            self.load_reference_file(path)  # settings restored from disk: read the photo again
        else:
            self.reference_label.setText(Path(path).name if path else "No reference photo")
        self.reference_label.setToolTip(path or "Match the colours to a photo you choose.")

    def _reference_loaded(self, path: str, array: np.ndarray) -> None:
        self._reference_path, self._reference = path, array
        self.reference_label.setText(Path(path).name)
        self._schedule()

    def _reference_error(self, message: str) -> None:
        self._reference_path, self._reference = None, None
        self.reference_label.setText("No reference photo")
        self.reference_failed.emit(f"Reference photo not used: {message}")

    # internals -------------------------------------------------------------------------------

    def _on_equalize_changed(self, _index: int) -> None:
        self.sliders["equalize_strength"].setEnabled(self.equalize_combo.currentData() != "off")
        self._schedule()

    def _schedule(self, *_: object) -> None:
        self._timer.start()

    def _emit_changed(self) -> None:
        self.changed.emit(self.adjustments())
