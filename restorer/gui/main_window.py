"""The Restorer main window: queue on the left, before/after in the middle, settings on the right.

The window builds the widgets and wires them to the :class:`~restorer.gui.session.Session`, which
holds the queue, the selection and the batch; workers report to the session, widgets observe it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
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
from restorer.gui.catalog import load_catalog
from restorer.gui.compare_view import CompareView
from restorer.gui.display import DisplayController
from restorer.gui.hint_controller import HintController
from restorer.gui.hint_panel import HintPanel
from restorer.gui.hint_preview import HintPreviewer
from restorer.gui.export import Exporter
from restorer.gui.icons import app_icon
from restorer.gui.importer import Importer
from restorer.gui.message_bar import MessageBar
from restorer.gui.model_picker import ModelPicker
from restorer.gui.output_panel import OutputPanel
from restorer.gui.queue_model import QueueModel
from restorer.gui.queue_panel import QueuePanel
from restorer.gui.repair_dialog import open_repair_editor
from restorer.gui.repair_panel import RepairPanel
from restorer.gui.runner import Runner
from restorer.gui.session import Session
from restorer.gui.settings import Settings
from restorer.gui.thumbnails import ThumbnailCache
from restorer.gui.window_commands import WindowCommands
from restorer.gui.workers import Lane
from restorer.pipeline.colorize import ColorizeSettings

log = logging.getLogger(__name__)
DEFAULT_SPLIT = [330, 760, 340]
PREVIEW_DELAY_MS = 400  # a picker change waits this long (a render size typed digit by digit) before re-colorizing


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
        self._wizard = None
        self.repair_editor = None
        self.session = Session()
        self.session.batch_adjustments = self._load_batch_adjustments()
        self.model = QueueModel(self.session.queue, self)
        self.thumbnails = ThumbnailCache(parent=self)
        self.model.thumbnail_for = lambda item: self.thumbnails.get(item.id, item.path)
        self.runner = Runner(self.session, loader, self)
        self.importer = Importer(self.session, self)
        self.exporter = Exporter(self.session, self)
        self._catalog_lane = Lane("catalog", 1, self)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.session.preview_current)
        self._build_widgets()
        self.display = DisplayController(self.session, self.compare, self.adjust, self)
        self.hints = HintController(self.compare, self.hint_panel, self.display, HintPreviewer(loader, self), self)
        self.actions = build_actions(self)
        self.recent_menu = build_menus(self, self.actions)
        self.toolbar = build_toolbar(self, self.actions)
        self.queue_panel.add_actions([self.actions.run, self.actions.cancel_current, self.actions.cancel_all, None,
                                      self.actions.move_up, self.actions.move_down, None, self.actions.retry,
                                      self.actions.recolorize_selected, self.actions.remove, self.actions.clear_done])
        self.queue_panel.view.addAction(self.actions.remove)
        self._connect()
        self._restore_settings()
        self.update_actions()
        self._refresh_recent()
        self._catalog_lane.run(load_catalog, on_done=self._on_catalog, on_error=self._on_catalog_failed)

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
        self.queue_panel = QueuePanel(self.model, self.session)
        self.picker = ModelPicker()
        self.adjust = AdjustPanel()
        self.hint_panel = HintPanel()
        self.output = OutputPanel()
        self.repair_panel = RepairPanel(self.session.repair)
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
        layout.addWidget(_group("Repair damage", self.repair_panel))
        layout.addWidget(_group("Model", self.picker))
        layout.addWidget(_group("Colour hints", self.hint_panel))
        layout.addWidget(self.adjust)
        layout.addWidget(_group("Output", self.output))
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("sidePanel")
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # never narrower than what the panel needs (a wider panel than its column was cut at the right:
        # the output folder's buttons at 1366 x 768); the height scrolls
        bar = scroll.style().pixelMetric(scroll.style().PixelMetric.PM_ScrollBarExtent)
        scroll.setMinimumWidth(max(300, side.minimumSizeHint().width() + bar))
        for child in side.findChildren(QWidget):  # dropped files go to the queue, not into a text field
            child.setAcceptDrops(False)
        return scroll

    def _connect(self) -> None:
        session, queue = self.session, self.session.queue
        self.model.paths_dropped.connect(lambda paths, row: self.add_paths(paths, row))
        for event in (queue.counts_changed, session.running_changed, session.current_changed):
            event.connect(lambda *_: self.update_actions())
        queue.removed.connect(lambda *_: self.thumbnails.keep_only({item.id for item in queue.items()}))
        session.notice.connect(self.notify)
        session.cleared.connect(self._on_cleared)
        self.queue_panel.view.customContextMenuRequested.connect(self._show_queue_menu)
        self.picker.import_requested.connect(self.import_weights)
        session.model_loaded.connect(lambda name, device: self.model_status.setText(f"Model: {name} on {device}"))
        session.adjustments_changed.connect(self._on_adjustments_changed)
        self.thumbnails.ready.connect(self._on_thumbnail)
        self.queue_panel.selection_changed.connect(self.update_actions)
        self.picker.changed.connect(self._on_picker_changed)
        self.adjust.apply_to_batch.connect(session.apply_to_all)
        self.adjust.reference_failed.connect(self.message_bar.warning)
        self.adjust.choose_reference_requested.connect(self.choose_reference)
        self.output.changed.connect(self._on_output_changed)
        self.compare.zoom_changed.connect(lambda z: self.zoom_label.setText(f"Zoom {z * 100:.0f} %"))
        self.compare.mode_changed.connect(self._on_compare_mode)
        self.repair_panel.edit_requested.connect(lambda: open_repair_editor(self))
        session.repair.changed.connect(lambda: self.settings.set_repair(session.repair.to_dict()))

    # messages and state ----------------------------------------------------------------------

    def notify(self, level: str, text: str) -> None:
        log.info("%s: %s", level, text)
        self.message_bar.show_message(text, level)

    def update_actions(self) -> None:
        a, session, queue = self.actions, self.session, self.session.queue
        a.run.setEnabled(queue.count("queued") > 0 and not session.running)
        a.cancel_all.setEnabled(session.running)
        a.cancel_current.setEnabled(session.job is not None)
        a.retry.setEnabled(queue.count("failed") + queue.count("cancelled") > 0)
        selected = bool(self.queue_panel.selected_ids())
        a.recolorize_selected.setEnabled(self.picker.loaded and bool(selected or session.current))
        a.recolorize_all.setEnabled(self.picker.loaded and bool(session.outdated()))
        a.undo_clear.setEnabled(session.can_undo_clear)
        for action in (a.remove, a.move_up, a.move_down):
            action.setEnabled(selected)
        done = queue.count("done")
        a.clear_done.setEnabled(done > 0)
        a.export_all.setEnabled(done > 0)
        a.save.setEnabled(bool(self.selected_done()))
        current = queue.item(session.current)
        a.save_as.setEnabled(current is not None and current.result is not None)
        self.repair_panel.edit_button.setEnabled(current is not None)

    def _on_thumbnail(self, item_id: int, dims) -> None:
        self.session.queue.set_dimensions(item_id, dims)
        self.model.thumbnail_changed(item_id)

    def _on_compare_mode(self, mode: str) -> None:
        (self.actions.side if mode == "side" else self.actions.split).setChecked(True)

    # model catalogue -------------------------------------------------------------------------

    def reload_models(self, select: str = "") -> None:
        """List the models again (e.g. after training one) and pick ``select`` if given."""
        self._catalog_lane.run(load_catalog, on_done=lambda catalog: self._on_catalog(catalog, select),
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
            self.session.start()

    def _on_catalog_failed(self, message: str) -> None:
        self.picker.set_failed(message)
        self.notify("error", f"Could not list the installed models: {message}")

    def _on_picker_changed(self) -> None:
        if not self.picker.loaded:
            return
        picker, before = self.picker, self.session.colorize
        self.session.colorize = ColorizeSettings(picker.model_name() or None, picker.device(), picker.render_size())
        self.settings.set_model(picker.model_name())
        self.settings.set_device(picker.device())
        self.settings.set_render_size(picker.render_size())
        name = picker.model_name() or "This Model"
        self.actions.recolorize_selected.setText(f"Re-colori&ze Selected with {name}")
        self.actions.recolorize_all.setText(f"Re-colorize &All with {name}")
        if self.session.colorize != before and before.model and not self._closed:
            # the user changed the choice (not the catalogue's first fill): the photo on screen shows it
            self._preview_timer.start()
        self.update_actions()

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
        header = s.header_state("queue")
        if header is not None:
            self.queue_panel.view.restore_columns(header)
        self.picker.show_remembered(s.model_shown())
        self.output.recent_folder = s.recent_export_dir()
        self.output.fallback_dir = s.last_open_dir
        self.compare.set_mode(s.compare_mode())
        self.output.blockSignals(True)
        self.output.set_folder(s.export_dir())
        self.output.set_format(s.export_format())
        self.output.quality_spin.setValue(s.export_quality())
        self.output.auto_save.setChecked(s.auto_save())
        self.output.blockSignals(False)
        self._on_output_changed()
        self.adjust.set_adjustments(self.session.batch_adjustments)
        self.session.repair.load(s.repair())

    def _on_output_changed(self) -> None:
        s, output = self.settings, self.output
        self.session.auto_save = output.options() if output.auto_save.isChecked() else None
        s.set_export_dir(output.folder())
        s.set_recent_export_dir(output.recent_folder)
        s.set_export_format(output.format())
        s.set_export_quality(output.quality_spin.value())
        s.set_auto_save(output.auto_save.isChecked())

    def _on_adjustments_changed(self, item_id) -> None:
        if item_id is None:  # new batch adjustments: remembered for the next session
            self.settings.set_adjustments(self.session.batch_adjustments.to_dict())

    def save_settings(self) -> None:
        s = self.settings
        s.set_geometry(self.saveGeometry())
        s.set_splitter_state("main", self.splitter.saveState())
        if not self.queue_panel.view.names_follow_width:  # only widths the user chose are kept
            s.set_header_state("queue", self.queue_panel.view.horizontalHeader().saveState())
        if self.picker.loaded:
            s.set_model_shown(self.picker.remembered())
        s.set_compare_mode(self.compare.mode)
        self._on_output_changed()
        self._on_picker_changed()
        s.set_adjustments(self.session.batch_adjustments.to_dict())
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
        self._preview_timer.stop()
        self.save_settings()
        if self._wizard is not None:
            self._wizard.shutdown()
        if self.repair_editor is not None:
            self.repair_editor.shutdown()
        self.session.cancel_all()
        self.runner.shutdown()
        self.exporter.shutdown()
        for part in (self.importer, self.thumbnails, self.hints, self.display, self.adjust, self._catalog_lane):
            part.shutdown()
