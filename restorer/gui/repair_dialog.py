"""The damage-mask editor for one photo: the detector's mask in red over the grey, a brush to add or
erase mask, and before/after of the repaired grey. Decoding, detection and inpainting run on a
worker pool; the dialog only paints."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSlider,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from restorer.gui.compare_view import CompareView
from restorer.gui.mask_canvas import MaskCanvas
from restorer.gui.repair_panel import fraction_slider
from restorer.gui.workers import Lane
from restorer.pipeline.repair_options import RepairOptions

MASK_TAB, COMPARE_TAB = 0, 1


def _rgb(grey: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.repeat(grey[..., None], 3, axis=2))


class RepairDialog(QDialog):
    """Accepted with :meth:`full_mask` (the photo's full size) as the mask to repair with; the
    "Detect automatically" button ends it with ``use_detection`` set instead."""

    def __init__(self, path: Path, options: RepairOptions, mask: np.ndarray | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Repair damage: {Path(path).name}")
        self.resize(1000, 720)
        self.path, self.options, self.use_detection = Path(path), options, False
        self._previous_mask = mask
        self.view = None
        self._lane = Lane("repair-editor", 1, self)
        self._build()
        self.status.setText("Finding damage…")
        self._lane.run(self._prepare, on_done=self._on_ready, on_error=self._on_failed)

    # layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.canvas = MaskCanvas()
        self.compare = CompareView()
        self.compare.after_label = "Repaired"
        self.tabs = QTabWidget()
        self.tabs.addTab(self.canvas, "Mask")
        self.tabs.addTab(self.compare, "Before / after")
        self.tabs.currentChanged.connect(self._on_tab)
        self.status = QLabel("")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(self._controls())
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.use_button = buttons.addButton("Use this mask", QDialogButtonBox.ButtonRole.AcceptRole)
        self.detect_button = buttons.addButton("Detect automatically", QDialogButtonBox.ButtonRole.ResetRole)
        self.use_button.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.detect_button.clicked.connect(self._use_detection)
        layout.addWidget(buttons)

    def _controls(self) -> QHBoxLayout:
        self.paint_radio, self.erase_radio = QRadioButton("Add damage"), QRadioButton("Erase")
        self.paint_radio.setChecked(True)
        self.erase_radio.toggled.connect(lambda on: setattr(self.canvas, "erasing", on))
        self.brush = QSlider(Qt.Orientation.Horizontal)
        self.brush.setRange(1, 40)
        self.brush.setValue(self.canvas.brush_radius)
        self.brush.valueChanged.connect(lambda value: setattr(self.canvas, "brush_radius", value))
        self.sensitivity = fraction_slider(self.options.sensitivity, "Re-detect with this sensitivity (hand edits stay)")
        self.sensitivity.valueChanged.connect(self._on_sensitivity)
        self.show_mask = QCheckBox("Show mask")
        self.show_mask.setChecked(True)
        self.show_mask.toggled.connect(self.canvas.set_show_overlay)
        form = QFormLayout()
        form.addRow("Brush (px)", self.brush)
        form.addRow("Sensitivity", self.sensitivity)
        row = QHBoxLayout()
        for widget in (self.paint_radio, self.erase_radio, self.show_mask):
            row.addWidget(widget)
        row.addLayout(form, 1)
        row.addWidget(QLabel("Right-drag always erases."))
        return row

    # work on the pool ------------------------------------------------------------------------

    def _prepare(self):
        from restorer.pipeline.repair_edit import editing_size_mask, editing_view

        view = editing_view(self.path, self.options)
        previous = None
        if self._previous_mask is not None and self._previous_mask.shape == view.full_shape:
            previous = editing_size_mask(self._previous_mask, view.grey.shape)
        return view, previous

    def _on_ready(self, result) -> None:
        from restorer.pipeline.repair_edit import detected_mask

        self.view, previous = result
        detected = detected_mask(self.view, self.options)
        self.canvas.set_image(self.view.grey, detected)
        if previous is not None:  # the user's earlier edit: shown as it was
            self.canvas.added[:] = previous & ~detected
            self.canvas.erased[:] = detected & ~previous
            self.canvas.set_detected(detected)
        self.use_button.setEnabled(True)
        self.status.setText(f"{100 * self.canvas.mask().mean():.2f} % of the photo marked as damage. "
                            "Paint to add, erase what is not damage.")

    def _on_failed(self, message: str) -> None:
        self.status.setText(f"Cannot repair this photo: {message}")

    def _on_sensitivity(self, value: float) -> None:
        if self.view is None:
            return
        from restorer.pipeline.repair_edit import detected_mask

        self.options = replace(self.options, sensitivity=round(value, 3))
        self.canvas.set_detected(detected_mask(self.view, self.options))

    def _on_tab(self, index: int) -> None:
        if index != COMPARE_TAB or self.view is None:
            return
        from restorer.pipeline.repair_edit import repaired_preview

        self.compare.set_message("Repairing…")
        self._lane.clear_pending()
        self._lane.run(repaired_preview, self.view, self.canvas.mask(), self.options,
                       on_done=self._on_repaired, on_error=self._on_failed)

    def _on_repaired(self, repaired: np.ndarray) -> None:
        self.compare.set_images(_rgb(self.view.grey), _rgb(repaired))
        self.compare.set_message("")

    # results ---------------------------------------------------------------------------------

    def full_mask(self) -> np.ndarray | None:
        """The edited mask at the photo's full size (None before the photo was read)."""
        if self.view is None:
            return None
        from restorer.pipeline.repair_edit import full_size_mask

        return full_size_mask(self.canvas.mask(), self.view.full_shape)

    def _use_detection(self) -> None:
        self.use_detection = True
        self.accept()

    def shutdown(self) -> None:
        self._lane.shutdown()

    def done(self, result: int) -> None:  # noqa: D401 - Qt API: closing by any button stops the pool
        self.shutdown()
        super().done(result)


def open_repair_editor(window) -> RepairDialog | None:
    """Open the editor for the photo on screen; its mask goes into the session's repair state."""
    session = window.session
    item = session.queue.item(session.current)
    if item is None:
        window.notify("info", "Select a photo in the queue to see and edit its damage mask.")
        return None
    state = session.repair
    dialog = RepairDialog(item.path, state.options, state.mask_of(item.id), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished(result: int) -> None:
        window.repair_editor = None
        if result != QDialog.DialogCode.Accepted:
            return
        state.set_mask(item.id, None if dialog.use_detection else dialog.full_mask())
        state.set_enabled(True)
        window.notify("info", f"The damage mask of {item.path.name} is used the next time it is colorized.")

    dialog.finished.connect(finished)
    window.repair_editor = dialog
    dialog.open()
    return dialog
