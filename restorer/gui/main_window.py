"""The Restorer main window: queue on the left, before/after in the middle, settings on the right."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from restorer.gui.actions import build_actions, build_menus, build_toolbar, fill_recent_menu
from restorer.gui.adjust_panel import AdjustPanel
from restorer.gui.batch_controller import BatchController
from restorer.gui.catalog import load_catalog
from restorer.gui.compare_view import CompareView
from restorer.gui.display import DisplayController
from restorer.gui.export import Exporter
from restorer.gui.icons import app_icon
from restorer.gui.importer import Importer
from restorer.gui.message_bar import MessageBar
from restorer.gui.model_picker import ModelPicker
from restorer.gui.output_panel import OutputPanel
from restorer.gui.queue_model import QueueModel
from restorer.gui.queue_panel import QueuePanel
from restorer.gui.runner import ModelRunner
from restorer.gui.settings import Settings
from restorer.gui.tasks import TaskPool
from restorer.gui.thumbnails import ThumbnailCache
from restorer.gui.window_commands import WindowCommands

log = logging.getLogger(__name__)
DEFAULT_SPLIT = [330, 760, 340]


def _group(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(8, 8, 8, 8)
    layout.addWidget(widget)
    return box


class MainWindow(WindowCommands, QMainWindow):
    """``settings`` and ``loader`` (model name, device -> Colorizer) can be injected by tests."""

    def __init__(self, settings: Settings | None = None, loader=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else Settings()
        self.setWindowTitle("Restorer")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self._default_size()
        self._closed = False
        self._start_when_ready = False
        self._auto_selecting = False
        self._wizard = None
        self.batch_adjustments = self._load_batch_adjustments()
        self.model = QueueModel(self)
        self.thumbnails = ThumbnailCache(parent=self)
        self.model.thumbnail_for = lambda item: self.thumbnails.get(item.id, item.path)
        self.runner = ModelRunner(loader, self)
        self.controller = BatchController(self.model, self.runner, self.make_job, self)
        self.importer = Importer(self)
        self.exporter = Exporter(self)
        self._catalog_pool = TaskPool("catalog", 1, self)
        self._build_widgets()
        self.display = DisplayController(self.model, self.compare, self.adjust, self)
        self.actions = build_actions(self)
        self.recent_menu = build_menus(self, self.actions)
        self.toolbar = build_toolbar(self, self.actions)
        self.queue_panel.add_actions([self.actions.run, self.actions.cancel_current, self.actions.cancel_all, None,
                                      self.actions.move_up, self.actions.move_down, None, self.actions.retry,
                                      self.actions.remove, self.actions.clear_done])
        self.queue_panel.view.addAction(self.actions.remove)
        self._connect()
        self._restore_settings()
        self.update_actions()
        self._refresh_recent()
        self._catalog_pool.submit(load_catalog, on_done=self._on_catalog, on_error=self._on_catalog_failed)

    # layout ----------------------------------------------------------------------------------

    def _default_size(self) -> None:
        """1320 x 820, or 90 % of a smaller screen."""
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 1320, 820
        if screen is not None:
            width, height = min(width, int(screen.width() * 0.9)), min(height, int(screen.height() * 0.9))
        self.resize(width, height)

    def _build_widgets(self) -> None:
        self.message_bar = MessageBar()
        self.compare = CompareView()
        self.queue_panel = QueuePanel(self.model)
        self.picker = ModelPicker()
        self.adjust = AdjustPanel()
        self.output = OutputPanel()
        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(0, 0, 0, 0)
        center_layout.setSpacing(4)
        center_layout.addWidget(self.message_bar)
        center_layout.addWidget(self.compare, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.queue_panel)
        self.splitter.addWidget(center)
        self.splitter.addWidget(self._side_panel())
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes(DEFAULT_SPLIT)
        wrapper = QWidget()
        layout = QVBoxLayout(wrapper)
        layout.setContentsMargins(6, 4, 6, 2)
        layout.addWidget(self.splitter)
        self.setCentralWidget(wrapper)
        self.model_status = QLabel("Model loads when you press Run")
        self.zoom_label = QLabel("")
        self.zoom_label.setMinimumWidth(90)
        self.statusBar().addPermanentWidget(self.model_status)
        self.statusBar().addPermanentWidget(self.zoom_label)

    def _side_panel(self) -> QScrollArea:
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(_group("Model", self.picker))
        layout.addWidget(self.adjust)
        layout.addWidget(_group("Output", self.output))
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("sidePanel")
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setMinimumWidth(300)
        for child in side.findChildren(QWidget):  # dropped files go to the queue, not into a text field
            child.setAcceptDrops(False)
        return scroll

    def _connect(self) -> None:
        self.model.paths_dropped.connect(lambda paths, row: self.add_paths(paths, row))
        self.model.counts_changed.connect(self._on_counts_changed)
        self.thumbnails.ready.connect(self._on_thumbnail)
        self.importer.scanned.connect(self._on_scanned)
        self.importer.failed.connect(self.message_bar.error)
        self.controller.running_changed.connect(lambda _running: self.update_actions())
        self.controller.overall_changed.connect(self._on_overall)
        self.controller.item_finished.connect(self._on_item_finished)
        self.controller.notice.connect(self.notify)
        self.controller.model_loaded.connect(self._on_model_loaded)
        self.queue_panel.current_changed.connect(self._on_current_changed)
        self.queue_panel.selection_changed.connect(self.update_actions)
        self.picker.changed.connect(self._on_picker_changed)
        self.adjust.apply_to_batch.connect(self.apply_to_batch)
        self.adjust.reference_failed.connect(self.message_bar.warning)
        self.adjust.choose_reference_requested.connect(self.choose_reference)
        self.output.changed.connect(self._save_output_settings)
        self.exporter.saved.connect(self._on_saved)
        self.exporter.failed.connect(self._on_save_failed)
        self.exporter.finished.connect(self._on_export_finished)
        self.compare.zoom_changed.connect(lambda z: self.zoom_label.setText(f"Zoom {z * 100:.0f} %"))
        self.compare.mode_changed.connect(self._on_compare_mode)
        self.display.notice.connect(self.notify)

    # messages and state ----------------------------------------------------------------------

    def notify(self, level: str, text: str) -> None:
        log.info("%s: %s", level, text)
        self.message_bar.show_message(text, level)

    def update_actions(self) -> None:
        a = self.actions
        queued = self.model.count("queued")
        running = self.controller.running
        a.run.setEnabled(queued > 0 and not running)
        a.cancel_all.setEnabled(running)
        a.cancel_current.setEnabled(self.controller.busy)
        a.retry.setEnabled(self.model.count("failed") + self.model.count("cancelled") > 0)
        selected = self.queue_panel.selected_ids()
        a.remove.setEnabled(bool(selected))
        a.move_up.setEnabled(bool(selected))
        a.move_down.setEnabled(bool(selected))
        done = self.model.count("done")
        a.clear_done.setEnabled(done > 0)
        a.export_all.setEnabled(done > 0)
        a.save.setEnabled(bool(self.selected_done()))
        current = self.model.item(self.queue_panel.current_id() or -1)
        a.save_as.setEnabled(current is not None and current.result is not None)

    def _on_counts_changed(self) -> None:
        self.update_actions()
        self.display.on_status_changed()
        finished, total, fraction = self.controller.overall()
        self._on_overall(finished, total, fraction)

    def _on_overall(self, finished: int, total: int, fraction: float) -> None:
        self.queue_panel.set_overall(finished, total, fraction, self.model.count("failed"))
        self.update_actions()

    def auto_select(self, item_id: int) -> None:
        """Select a row for the user without pinning it: the view keeps following the batch."""
        self._auto_selecting = True
        try:
            self.queue_panel.select_id(item_id)
        finally:
            self._auto_selecting = False

    def _on_current_changed(self, item_id) -> None:
        self.display.select(item_id, pinned=not self._auto_selecting)

    def _on_item_finished(self, item_id: int, preview) -> None:
        self.display.on_item_finished(item_id, preview)
        if not self.display.pinned and self.display.item_id == item_id:
            self.auto_select(item_id)

    def _on_thumbnail(self, item_id: int, dims) -> None:
        self.model.set_dimensions(item_id, dims)
        self.model.thumbnail_changed(item_id)

    def _on_model_loaded(self, name: str, device: str) -> None:
        self.model_status.setText(f"Model: {name} on {device}")

    def _on_compare_mode(self, mode: str) -> None:
        (self.actions.side if mode == "side" else self.actions.split).setChecked(True)

    # model catalogue -------------------------------------------------------------------------

    def reload_models(self, select: str = "") -> None:
        """List the models again (e.g. after training one) and pick ``select`` if given."""
        self._catalog_pool.submit(load_catalog, on_done=lambda catalog: self._on_catalog(catalog, select),
                                  on_error=self._on_catalog_failed)

    def _on_catalog(self, catalog, select: str = "") -> None:
        s = self.settings
        if select:
            self.picker.set_catalog(catalog, select, self.picker.device())
        else:
            self.picker.set_catalog(catalog, s.model(), s.device(), s.render_size())
        if catalog.default_model is None:
            self.notify("warning", "No trained model is installed: the weights/ folder has no model. "
                                   "Train one (Tools ▸ Train a Model) or import weights, then restart.")
        if self._start_when_ready:
            self._start_when_ready = False
            self.controller.start()

    def _on_catalog_failed(self, message: str) -> None:
        self.picker.set_failed(message)
        self.notify("error", f"Could not list the installed models: {message}")

    def _on_picker_changed(self) -> None:
        if not self.picker.loaded:
            return
        self.settings.set_model(self.picker.model_name())
        self.settings.set_device(self.picker.device())
        self.settings.set_render_size(self.picker.render_size())

    # settings --------------------------------------------------------------------------------

    def _load_batch_adjustments(self):
        from restorer.pipeline.postprocess import Adjustments

        try:
            return Adjustments.from_dict(self.settings.adjustments())
        except ValueError:
            return Adjustments()

    def _restore_settings(self) -> None:
        s = self.settings
        if s.geometry() is not None:
            self.restoreGeometry(s.geometry())
        state = s.splitter_state("main")
        if state is not None:
            self.splitter.restoreState(state)
        self.compare.set_mode(s.compare_mode())
        self.output.blockSignals(True)
        self.output.set_folder(s.export_dir())
        self.output.set_format(s.export_format())
        self.output.quality_spin.setValue(s.export_quality())
        self.output.auto_save.setChecked(s.auto_save())
        self.output.blockSignals(False)
        self.adjust.set_adjustments(self.batch_adjustments)

    def _save_output_settings(self) -> None:
        s = self.settings
        s.set_export_dir(self.output.folder())
        s.set_export_format(self.output.format_combo.currentData())
        s.set_export_quality(self.output.quality_spin.value())
        s.set_auto_save(self.output.auto_save.isChecked())

    def save_settings(self) -> None:
        s = self.settings
        s.set_geometry(self.saveGeometry())
        s.set_splitter_state("main", self.splitter.saveState())
        s.set_compare_mode(self.compare.mode)
        self._save_output_settings()
        self._on_picker_changed()
        s.set_adjustments(self.batch_adjustments.to_dict())
        s.sync()

    def _refresh_recent(self) -> None:
        fill_recent_menu(self.recent_menu, self.settings.recent_files(), self.add_paths, self._clear_recent)

    def _clear_recent(self) -> None:
        self.settings.clear_recent()
        self._refresh_recent()

    # closing ---------------------------------------------------------------------------------

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Save settings, cancel the batch, and wait for every worker thread to stop."""
        if self._closed:
            return
        self._closed = True
        self.save_settings()
        if self._wizard is not None and hasattr(self._wizard, "shutdown"):
            self._wizard.shutdown()
        self.controller.cancel_all()
        self.runner.shutdown()
        self.exporter.shutdown()
        for part in (self.importer, self.thumbnails, self.display, self.adjust, self._catalog_pool):
            part.shutdown()
