"""Where and how results are saved: folder, format, quality, and auto-save while the batch runs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QSpinBox,
    QToolButton,
    QWidget,
)
from superqt import QElidingLabel

from restorer.core import ranges
from restorer.gui.export import FORMATS, LOSSY
from restorer.gui.icons import icon
from restorer.gui.spin_limits import limit_spin
from restorer.pipeline.io import OutputOptions

BESIDE_ORIGINAL = "Beside each original"


class OutputPanel(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._folder = ""
        self.recent_folder = ""  # the last folder chosen, kept when the user goes back to "beside each original"
        self.fallback_dir = lambda: str(Path.home())  # where a first folder dialog opens (the window: the photos')
        self.folder_label = QElidingLabel(BESIDE_ORIGINAL)
        browse = QToolButton()
        browse.setIcon(icon("open-folder"))
        browse.setToolTip("Choose the output folder…")
        browse.clicked.connect(self.choose_folder)
        clear = QToolButton()
        clear.setIcon(icon("remove"))
        clear.setAutoRaise(True)
        clear.setToolTip("Save beside each original instead")
        clear.clicked.connect(lambda: self.set_folder(""))
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(clear)
        folder_row.addWidget(browse)
        self.format_combo = QComboBox()
        for key, text in FORMATS.items():
            self.format_combo.addItem(text, key)
        self.quality_spin = QSpinBox()
        limit_spin(self.quality_spin, ranges.QUALITY)
        self.quality_spin.setValue(95)
        self.quality_spin.setToolTip("JPEG / WebP quality (lossless formats ignore it)")
        self.auto_save = QCheckBox("Auto-save each photo when colorized")
        self.auto_save.setToolTip("Otherwise results stay in the app until you save or export them.")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Folder", folder_row)
        form.addRow("Format", self.format_combo)
        form.addRow("Quality", self.quality_spin)
        form.addRow(self.auto_save)
        self.format_combo.currentIndexChanged.connect(self._on_format)
        self.quality_spin.valueChanged.connect(lambda _: self.changed.emit())
        self.auto_save.toggled.connect(lambda _: self.changed.emit())
        self._on_format()

    def folder(self) -> str:
        return self._folder

    def set_folder(self, folder: str | Path) -> None:
        self._folder = str(folder) if folder else ""
        self.recent_folder = self._folder or self.recent_folder
        self.folder_label.setText(self._folder or BESIDE_ORIGINAL)
        self.folder_label.setToolTip(self._folder or "Results are saved next to each original photo")
        self.changed.emit()

    def choose_folder(self) -> str:
        folder = QFileDialog.getExistingDirectory(self, "Output folder", self.start_dir())
        if folder:
            self.set_folder(folder)
        return folder

    def start_dir(self) -> str:
        """Where a folder dialog opens: the output folder, else the last one chosen, else the photos' folder."""
        return self._folder or self.recent_folder or self.fallback_dir()

    def set_format(self, fmt: str) -> None:
        index = self.format_combo.findData(fmt)
        self.format_combo.setCurrentIndex(max(0, index))

    def format(self) -> str:
        return self.format_combo.currentData()

    def options(self, folder: str | Path | None = None) -> OutputOptions:
        """Where and how to save: the app never replaces a file unasked, it numbers the new one."""
        folder = folder if folder is not None else self._folder
        fmt = self.format()
        return OutputOptions(Path(folder) if folder else None, ext=None if fmt == "same" else "." + fmt,
                             quality=self.quality_spin.value(), if_exists="number")

    def _on_format(self, *_: object) -> None:
        fmt = self.format_combo.currentData()
        self.quality_spin.setEnabled(fmt in LOSSY or fmt == "same")
        self.changed.emit()
