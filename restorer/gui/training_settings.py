"""The training wizard's settings page: device, epochs, crop and batch size, learning rate, time budget."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QSpinBox, QWidget, QWizard, QWizardPage,
)

from restorer.core import ranges
from restorer.gui.spin_limits import limit_spin
from restorer.gui.training_pages import hint
from restorer.gui.training_runs import WizardSettings, default_settings

FIELD_WIDTH = 180


class SettingsPage(QWizardPage):
    """Step 3: device and training settings, with defaults for this machine."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Training settings")
        self.setSubTitle("The defaults suit this computer; each setting says what it changes.")
        self.setButtonText(QWizard.WizardButton.NextButton, "Start training")
        self.gpu = False
        self._defaults_for = None
        self._make_fields()
        limit_row = self._limit_row()
        for spin in (self.epochs, self.epoch_size, self.size, self.batch, self.lr):
            spin.setMinimumWidth(FIELD_WIDTH)
        self.device.setMinimumWidth(FIELD_WIDTH * 2)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("Run on:", self.device)
        form.addRow(self.device_note)
        self._add(form, "Epochs:", self.epochs, "Rounds of learning. Each one ends with a check on photos kept aside.")
        self._add(form, "Pieces per epoch:", self.epoch_size,
                  "How many photo pieces one epoch learns from; fewer gives more frequent checks.")
        form.addRow("Crop size:", self.size)
        form.addRow(self.size_note)
        self._add(form, "Batch size:", self.batch, "Pieces learnt from together. Lower it if memory runs out.")
        self._add(form, "Learning rate:", self.lr,
                  "How boldly the model changes. Fine-tuning uses a gentler rate so it keeps what it knew.")
        form.addRow("Time budget:", limit_row)
        form.addRow(hint("Optional: training stops cleanly when the time is used and keeps the best epoch."))

    def _make_fields(self) -> None:
        self.device = QComboBox()
        self.device_note = hint("")
        self.epochs = QSpinBox()
        limit_spin(self.epochs, ranges.EPOCHS)
        self.epoch_size = QSpinBox()
        limit_spin(self.epoch_size, ranges.EPOCH_SIZE)
        self.epoch_size.setMinimum(0)  # 0 is the special value below
        self.epoch_size.setSingleStep(500)
        self.epoch_size.setSpecialValueText("all training photos")
        self.size = QSpinBox()
        limit_spin(self.size, ranges.CROP_SIZE)
        self.size.setSingleStep(32)
        self.size.setSuffix(" px")
        self.size_note = hint("Side of the square pieces cut from your photos. Larger sees more context, but is slower.")
        self.batch = QSpinBox()
        limit_spin(self.batch, ranges.BATCH)
        self.lr = QDoubleSpinBox()
        self.lr.setDecimals(6)
        limit_spin(self.lr, ranges.LEARNING_RATE)
        self.lr.setSingleStep(0.0001)
        self.limit = QCheckBox("Stop after")
        self.minutes = QSpinBox()
        limit_spin(self.minutes, ranges.MINUTES)
        self.minutes.setValue(30)
        self.minutes.setSuffix(" min")
        self.minutes.setEnabled(False)
        self.limit.toggled.connect(self.minutes.setEnabled)

    def _limit_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.limit)
        row.addWidget(self.minutes)
        row.addStretch(1)
        return row

    @staticmethod
    def _add(form: QFormLayout, label: str, widget: QWidget, text: str) -> None:
        widget.setToolTip(text)
        form.addRow(label, widget)
        form.addRow(hint(text))

    def load_devices(self, devices: list) -> None:
        self.device.clear()
        for device in devices:
            if device.available:
                self.device.addItem(device.label, device.key)
        gpus = [d for d in devices if d.available and d.key not in ("auto", "cpu")]
        self.gpu = bool(gpus)
        reason = next((d.reason for d in devices if not d.available and d.reason), "")
        self.device_note.setToolTip(reason)
        if gpus:
            self.device_note.setText(f"Found {', '.join(d.label for d in gpus)}: training runs on it.")
        else:
            self.device_note.setText("No usable graphics card found, so training runs on the processor, which is "
                                     "much slower: keep the epochs few or set a time budget.")

    def apply_defaults(self, finetune: bool, fixed_size: int | None, saved: WizardSettings | None = None) -> None:
        """Fill in defaults (or a resumed run's settings), only when the choice behind them changed."""
        key = (finetune, fixed_size, saved.name if saved else None)
        if key == self._defaults_for:
            return
        self._defaults_for = key
        values = default_settings(self.gpu, finetune, fixed_size)
        if saved is not None:
            values = {"epochs": saved.epochs, "size": saved.size, "batch": saved.batch, "lr": saved.lr}
            self.epoch_size.setValue(saved.epoch_size)
            self.limit.setChecked(bool(saved.minutes))
            self.minutes.setValue(int(saved.minutes) or 30)
            index = self.device.findData(saved.device)
            self.device.setCurrentIndex(max(0, index))
        self.epochs.setValue(values["epochs"])
        self.size.setValue(values["size"])
        self.batch.setValue(values["batch"])
        self.lr.setValue(values["lr"])
        self.size.setEnabled(not fixed_size)
        self.size_note.setText(f"This network works on {fixed_size} px pieces only." if fixed_size else
                               "Side of the square pieces cut from your photos. Larger sees more context, "
                               "but is slower.")

    def values(self) -> dict:
        return {"device": self.device.currentData() or "auto", "epochs": self.epochs.value(),
                "epoch_size": self.epoch_size.value(), "size": self.size.value(), "batch": self.batch.value(),
                "lr": self.lr.value(), "minutes": float(self.minutes.value()) if self.limit.isChecked() else 0.0}
