"""Choosing the network, the device it runs on and its working (render) size."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from restorer.core import ranges
from restorer.core.device import DeviceInfo
from restorer.gui.catalog import Catalog, ModelInfo, format_params
from restorer.gui.icons import icon
from restorer.gui.spin_limits import limit_spin

KeyRole = Qt.ItemDataRole.UserRole + 1


def _choice_item(text: str, key: str, enabled: bool, tooltip: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setData(key, KeyRole)
    item.setToolTip(tooltip)
    item.setEnabled(enabled)
    return item


class ModelPicker(QWidget):
    """Model, device and render size; ``changed`` fires when any of them changes."""

    changed = Signal()
    import_requested = Signal(str)  # the weight-less architecture the user looked at ("" if none)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._models: dict[str, ModelInfo] = {}
        self.model_combo = QComboBox()
        self.model_combo.setObjectName("modelCombo")
        self.model_combo.setModel(QStandardItemModel(self.model_combo))
        self.model_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.model_combo.setMinimumContentsLength(12)
        self.device_combo = QComboBox()
        self.device_combo.setModel(QStandardItemModel(self.device_combo))
        self.device_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.device_combo.setMinimumContentsLength(12)
        self.info = QLabel()
        self.info.setObjectName("modelInfo")
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.render_spin = QSpinBox()
        limit_spin(self.render_spin, ranges.RENDER_SIZE)
        self.render_spin.setSingleStep(32)
        self.render_spin.setSuffix(" px")
        self.render_spin.setToolTip("Long side of the image the network sees. The colours are then "
                                    "upsampled onto your full-resolution photo, so detail is never lost;\n"
                                    "larger sizes can give finer colour boundaries but take longer.")
        self._reset_render = QToolButton()
        self._reset_render.setIcon(icon("reset"))
        self._reset_render.setAutoRaise(True)
        self._reset_render.setToolTip("Back to the model's own render size")
        self._reset_render.clicked.connect(self._use_model_render_size)
        self.import_button = QToolButton()
        self.import_button.setObjectName("importWeights")
        self.import_button.setIcon(icon("import"))
        self.import_button.setToolTip("Import weights (.pth / .safetensors) for a model marked \"no weights\", "
                                      "e.g. the ECCV16 or SIGGRAPH17 authors' files…")
        self.import_button.clicked.connect(lambda: self.import_requested.emit(self._first_weightless()))
        self._build_layout()
        self._show_loading()
        self.model_combo.currentIndexChanged.connect(self._on_model_changed)
        self.device_combo.currentIndexChanged.connect(lambda _: self.changed.emit())
        self.render_spin.valueChanged.connect(lambda _: self.changed.emit())

    def _build_layout(self) -> None:
        render_row = QHBoxLayout()
        render_row.setContentsMargins(0, 0, 0, 0)
        render_row.addWidget(self.render_spin, 1)
        render_row.addWidget(self._reset_render)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        model_row = QHBoxLayout()
        model_row.setContentsMargins(0, 0, 0, 0)
        model_row.addWidget(self.model_combo, 1)
        model_row.addWidget(self.import_button)
        form.addRow("Model", model_row)
        form.addRow(self.info)
        form.addRow("Device", self.device_combo)
        form.addRow("Render size", render_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)

    def _show_loading(self) -> None:
        """Until the catalogue arrives (a second or two: it imports torch), show what was chosen last
        time (:meth:`show_remembered`), else a neutral wait; never the spin box's bare 32 px minimum."""
        self.model_combo.model().appendRow(_choice_item("Looking for models…", "", False, ""))
        self.device_combo.model().appendRow(_choice_item("Auto (best available)", "", False, ""))
        self.render_spin.setSpecialValueText("\u2014")  # shown at the minimum: a dash, not "32 px"
        self.render_spin.setValue(self.render_spin.minimum())
        for widget in (self.model_combo, self.device_combo, self.render_spin, self._reset_render, self.import_button):
            widget.setEnabled(False)

    def show_remembered(self, shown: dict) -> None:
        """Show last session's choice (``remembered()``'s dict) while the catalogue loads, so the panel
        comes up as it will stay instead of flickering through placeholders."""
        if self.loaded or not shown.get("model"):
            return
        self.model_combo.model().item(0).setText(str(shown["model"]))
        self.device_combo.model().item(0).setText(str(shown.get("device", "")) or "Auto (best available)")
        self.info.setText(str(shown.get("info", "")))
        size = shown.get("render_size")
        if isinstance(size, int) and size > self.render_spin.minimum():
            self.render_spin.setValue(size)

    def remembered(self) -> dict:
        """What the pickers show now, for :meth:`show_remembered` at the next start."""
        return {"model": self.model_combo.currentText(), "device": self.device_combo.currentText(),
                "info": self.info.text(), "render_size": self.render_size()}

    def weightless(self) -> list[tuple[str, str]]:
        """(name, title) of the listed architectures nobody has installed weights for."""
        return [(info.name, info.title) for info in self._models.values() if not info.ready]

    # public API ------------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return bool(self._models)

    def model_name(self) -> str:
        return self.model_combo.currentData(KeyRole) or ""

    def model_info(self) -> ModelInfo | None:
        return self._models.get(self.model_name())

    def device(self) -> str:
        return self.device_combo.currentData(KeyRole) or "auto"

    def render_size(self) -> int:
        return self.render_spin.value()

    def set_catalog(self, catalog: Catalog, model: str = "", device: str = "", render_size: int = 0) -> None:
        """Fill both pickers; select ``model``/``device`` when usable, else the defaults."""
        self.blockSignals(True)
        try:
            self.render_spin.setSpecialValueText("")
            for widget in (self.render_spin, self._reset_render, self.import_button):
                widget.setEnabled(True)
            self._fill_models(catalog.models)
            self._fill_devices(catalog.devices)
            usable = {m.name for m in catalog.models if m.ready}
            self._select(self.model_combo, model if model in usable else (catalog.default_model or ""))
            self._select(self.device_combo, device or "auto")
            if self.device_combo.currentIndex() < 0 or not self._current_enabled(self.device_combo):
                self._select(self.device_combo, "auto")
            self._on_model_changed()
            if render_size and self.model_name() == model:
                self.render_spin.setValue(render_size)
        finally:
            self.blockSignals(False)
        self.changed.emit()

    def set_failed(self, message: str) -> None:
        self.info.setText(f"<span style='color:#d64545'>Could not list models: {message}</span>")

    # internals -------------------------------------------------------------------------------

    def _fill_models(self, models: list[ModelInfo]) -> None:
        self._models = {m.name: m for m in models}
        store: QStandardItemModel = self.model_combo.model()
        self.model_combo.blockSignals(True)
        store.clear()
        for info in models:
            text = info.title if info.ready else f"{info.title} — no weights"
            tooltip = info.description if info.ready else info.reason
            store.appendRow(_choice_item(text, info.name, info.ready, tooltip))
        self.model_combo.setCurrentIndex(-1)
        self.model_combo.setPlaceholderText("No trained model installed")
        self.model_combo.setEnabled(True)
        self.model_combo.blockSignals(False)

    def _fill_devices(self, devices: list[DeviceInfo]) -> None:
        store: QStandardItemModel = self.device_combo.model()
        self.device_combo.blockSignals(True)
        store.clear()
        for choice in devices:
            text = choice.label if choice.available else f"{choice.label}: {choice.reason or 'unavailable'}"
            tooltip = " ".join(part for part in (choice.reason.capitalize() + "." if choice.reason else "",
                                                 choice.fix) if part)
            store.appendRow(_choice_item(text, choice.key, choice.available, tooltip or choice.label))
        self.device_combo.setEnabled(True)
        self.device_combo.blockSignals(False)

    @staticmethod
    def _select(combo: QComboBox, key: str) -> None:
        index = combo.findData(key, KeyRole)
        if index >= 0 and combo.model().item(index).isEnabled():
            combo.setCurrentIndex(index)

    @staticmethod
    def _current_enabled(combo: QComboBox) -> bool:
        item = combo.model().item(combo.currentIndex()) if combo.currentIndex() >= 0 else None
        return bool(item and item.isEnabled())

    def _on_model_changed(self, *_: object) -> None:
        info = self.model_info()
        self._show_info(info)
        self.render_spin.setEnabled(info is not None)
        self._reset_render.setEnabled(info is not None)
        if info is not None:
            self.render_spin.blockSignals(True)
            self.render_spin.setValue(info.render_size)
            self.render_spin.blockSignals(False)
        self.changed.emit()

    def _first_weightless(self) -> str:
        names = self.weightless()
        return names[0][0] if names else ""

    def _use_model_render_size(self) -> None:
        info = self.model_info()
        if info is not None:
            self.render_spin.setValue(info.render_size)

    def _show_info(self, info: ModelInfo | None) -> None:
        if info is None:
            none_ready = not any(m.ready for m in self._models.values())
            self.info.setText("<span style='color:#b06000'>No model with trained weights is installed. "
                              "Put weights in the weights/ folder or train one (Tools ▸ Train).</span>"
                              if none_ready else "")
            return
        self.info.setText(
            f"<div style='color:#5f6670'><b>{info.family.capitalize()}</b> · "
            f"{format_params(info.params)} · {info.render_size} px<br>{info.paper}<br>"
            f"<i>{info.description}</i></div>"
        )
