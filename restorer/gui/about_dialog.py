"""Help > About: version, the software it runs on, the licences of what is bundled, and the model cards.

The dialog's three tabs; what they say comes from :mod:`restorer.gui.about_info`. The Models tab
(which has to import the architectures, and so torch) is filled the first time it is shown.
"""

from __future__ import annotations

import html
import platform
import sys

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication, QPixmap
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
from restorer.gui.about_info import BUNDLED_COMPONENTS, dist_version, model_card_rows, rows_html, system_info
from restorer.gui.icons import app_icon, app_icon_path


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
        return f"<h3>{html.escape(entry.title)}</h3>" + rows_html(model_card_rows(entry))

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
