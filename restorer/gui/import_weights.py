"""Importing a ``.pth``/``.safetensors`` file as a model, from the app.

The work is :func:`restorer.models.zoo.import_weights`, the code behind ``restorer import-weights``,
run on a worker (it imports torch and builds the network); the dialog only asks for the file, the
architecture (detected from the tensors unless the user names one) and an optional name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from restorer.gui.icons import icon

WEIGHTS_FILTER = "Model weights (*.pth *.pt *.ckpt *.bin *.safetensors);;All files (*)"
DETECT = ""  # the architecture choice that lets the tensors decide


@dataclass(frozen=True)
class ImportRequest:
    path: Path
    arch: str | None  # None: detected from the file
    name: str | None  # None: ``<arch>-imported``, as the command line names it


def import_model(request: ImportRequest):
    """Install the weights (worker thread); returns the new ZooEntry."""
    from restorer.models.zoo import import_weights

    return import_weights(request.path, name=request.name, arch=request.arch)


class ImportWeightsDialog(QDialog):
    """File, architecture and name; :meth:`request` is the user's answer once accepted."""

    def __init__(self, architectures: list[tuple[str, str]], start_dir: str = "", preselect: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import model weights")
        self._start_dir = start_dir
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText("A .pth or .safetensors file")
        self.file_edit.textChanged.connect(self._update_ok)
        browse = QToolButton()
        browse.setIcon(icon("open-folder"))
        browse.setToolTip("Choose the weights file…")
        browse.clicked.connect(self.browse)
        self.arch_combo = QComboBox()
        self.arch_combo.addItem("Detect from the file", DETECT)
        for name, title in architectures:
            self.arch_combo.addItem(title, name)
        self.arch_combo.setCurrentIndex(max(0, self.arch_combo.findData(preselect)))
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("<architecture>-imported")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._build(browse)
        self._update_ok()

    def _build(self, browse: QToolButton) -> None:
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)
        note = QLabel("The file is read safely (tensors only; nothing in it can run) and installed among your "
                      "models as .safetensors. ECCV16 and SIGGRAPH17 accept the authors' released .pth files.")
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow("File", file_row)
        form.addRow("Architecture", self.arch_combo)
        form.addRow("Name", self.name_edit)
        form.addRow(self.buttons)
        self.resize(520, self.sizeHint().height())

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose model weights", self._start_dir, WEIGHTS_FILTER)
        if path:
            self.file_edit.setText(path)

    def request(self) -> ImportRequest | None:
        text = self.file_edit.text().strip()
        if not text:
            return None
        return ImportRequest(Path(text), self.arch_combo.currentData() or None, self.name_edit.text().strip() or None)

    def _update_ok(self, *_: object) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.file_edit.text().strip()))
