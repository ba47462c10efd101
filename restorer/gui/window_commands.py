"""What the main window's menus, toolbar and drops do: opening, queue commands, saving, tools.

A mixin of :class:`~restorer.gui.main_window.MainWindow`: each command asks the user what a
dialog must ask, then hands the work to the session (queue, batch) or to a worker (import, export).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMenu

from restorer.gui.export import ExportRequest
from restorer.gui.session.scan import plural
from restorer.pipeline.io import file_dialog_filter, output_path

IMAGE_FILTER = file_dialog_filter()


def local_paths(mime) -> list[str]:
    """Local file/folder paths carried by a drag (remote URLs are ignored)."""
    return [url.toLocalFile() for url in mime.urls() if isinstance(url, QUrl) and url.isLocalFile()]


class WindowCommands:
    # dropping and opening --------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        paths = local_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)

    def add_paths(self, paths: list[str | Path], row: int = -1) -> None:
        """Queue photos and folders (walked recursively, in the background)."""
        if not paths:
            return
        self.settings.add_recent(paths)
        self._refresh_recent()
        self.message_bar.info(f"Looking for photos in {plural(len(paths), 'item')}…")
        self.importer.add([str(p) for p in paths], row)

    def open_photos(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Open photos", self.settings.last_open_dir(), IMAGE_FILTER)
        if files:
            self.settings.set_last_open_dir(Path(files[0]).parent)
            self.add_paths(files)

    def open_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a folder of photos", self.settings.last_open_dir())
        if folder:
            self.settings.set_last_open_dir(folder)
            self.add_paths([folder])

    # queue -----------------------------------------------------------------------------------

    def run_queue(self) -> None:
        if not self.picker.loaded:
            self._start_when_ready = True
            self.notify("info", "Looking for installed models; the batch starts in a moment…")
            return
        self.session.start()

    def retry_failed(self) -> None:
        if self.session.retry() and not self.session.running:
            self.run_queue()

    def remove_selected(self) -> None:
        self.session.remove(self.queue_panel.selected_ids())

    def clear_done(self) -> None:
        self.session.clear_done()  # its ``cleared`` event shows what went, with Undo (_on_cleared)

    def _on_cleared(self, cleared) -> None:
        """Offer Undo; a clear that dropped unsaved work stays on screen until dismissed."""
        level = "warning" if cleared.unsaved else "info"
        self.message_bar.show_message(cleared.describe(), level, ("Undo", self.session.undo_clear))

    def recolorize_selected(self) -> None:
        """Colorize the selected photos (else the one on screen) again with the picker's model."""
        ids = self.queue_panel.selected_ids() or ([self.session.current] if self.session.current else [])
        if not ids:
            self.notify("info", "Select photos in the queue to colorize them again.")
        elif self.picker.loaded:
            self.session.recolorize(ids)

    def recolorize_all(self) -> None:
        """Colorize again every finished photo whose result another model (or size, or device) made."""
        ids = self.session.outdated()
        if not ids:
            settings = self.session.colorize
            self.notify("info", f"Every colorized photo was already made with {settings.model} at "
                                f"{settings.render_size} px.")
        elif self.picker.loaded:
            self.session.recolorize(ids)

    def queue_menu(self, item_id: int | None) -> QMenu:
        """The right-click menu of a queue row (``item_id``: the row clicked, None: empty space)."""
        a, menu = self.actions, QMenu(self)
        if item_id is None:
            menu.addActions([a.open, a.open_folder, a.undo_clear])
            return menu
        menu.addActions([a.recolorize_selected, a.retry, a.cancel_current])
        menu.addSeparator()
        menu.addActions([a.save, a.save_as])
        show = menu.addAction(self._folder_icon(), "Show in &Folder", lambda: self.show_in_folder(item_id))
        show.setToolTip("Open the folder holding the saved result (or the original)")
        menu.addSeparator()
        menu.addActions([a.move_up, a.move_down, a.remove])
        return menu

    def _show_queue_menu(self, pos) -> None:
        index = self.queue_panel.view.indexAt(pos)
        item = self.session.queue.item_at(index.row()) if index.isValid() else None
        self.queue_menu(item.id if item else None).popup(self.queue_panel.view.viewport().mapToGlobal(pos))

    @staticmethod
    def _folder_icon():
        from restorer.gui.icons import icon

        return icon("show-folder")

    def show_in_folder(self, item_id: int) -> bool:
        item = self.session.queue.item(item_id)
        if item is None:
            return False
        folder = (item.output or item.path).parent
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def move_selected(self, delta: int) -> None:
        self.session.queue.move_by(self.queue_panel.selected_ids(), delta)

    def choose_reference(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a reference photo", self.settings.last_open_dir(),
                                              IMAGE_FILTER)
        if path:
            self.adjust.load_reference_file(path)

    # saving ----------------------------------------------------------------------------------

    def selected_done(self) -> list:
        items = [self.session.queue.item(i) for i in self.queue_panel.selected_ids()]
        return [item for item in items if item is not None and item.result is not None]

    def _request(self, item, target: Path | None = None) -> ExportRequest:
        return ExportRequest(item.id, item.path, item.result, item.adjustments, target)

    def save_selected(self) -> None:
        items = self.selected_done()
        if not items:
            self.notify("info", "Select colorized photos in the queue to save them.")
            return
        self.exporter.export([self._request(item) for item in items], self.output.options())

    def save_as(self) -> None:
        item = self.session.queue.item(self.session.current)
        if item is None or item.result is None:
            self.notify("info", "Colorize the photo first, then save it.")
            return
        suggestion = output_path(item.path, self.output.options())
        path, _ = QFileDialog.getSaveFileName(self, "Save colorized photo as", str(suggestion), IMAGE_FILTER)
        if path:
            self.exporter.export([self._request(item, Path(path))], self.output.options())

    def export_all_dialog(self) -> None:
        start = self.output.start_dir()
        folder = QFileDialog.getExistingDirectory(self, "Export all colorized photos to", start)
        if folder:
            self.output.set_folder(folder)
            self.export_all(folder)

    def export_all(self, folder: str | Path | None = None) -> int:
        """Save every colorized photo (into ``folder``, else the output folder); returns how many."""
        items = [item for item in self.session.queue.items() if item.result is not None]
        if not items:
            self.notify("info", "Nothing to export yet: run the queue first.")
            return 0
        options = self.output.options(folder)
        where = options.folder or "beside the originals"
        self.notify("info", f"Exporting {plural(len(items), 'photo')} to {where}…")
        self.exporter.export([self._request(item) for item in items], options)
        return len(items)

    # tools -----------------------------------------------------------------------------------

    def import_weights(self, preselect: str = "") -> None:
        """Ask for a weights file and install it, as ``restorer import-weights`` does."""
        from restorer.gui.import_weights import ImportWeightsDialog

        dialog = ImportWeightsDialog(self.picker.weightless(), self.settings.last_open_dir(), preselect, self)
        if dialog.exec() and dialog.request() is not None:
            self.start_import(dialog.request())

    def start_import(self, request) -> None:
        """Install ``request``'s weights on the catalogue's worker, then list and choose the new model."""
        from restorer.gui.import_weights import import_model

        self.notify("info", f"Importing {request.path.name}…")
        self._catalog_lane.run(import_model, request, on_done=self._on_imported,
                               on_error=lambda message: self.notify("error", f"Could not import "
                                                                             f"{request.path.name}: {message}"))

    def _on_imported(self, entry) -> None:
        self.notify("success", f"Imported {entry.name} ({entry.spec.title}): it is now the chosen model.")
        self.reload_models(select=entry.name)

    def _open_training_wizard(self) -> None:
        """Show the training wizard (one at a time); imported here because it imports torch."""
        if self._wizard is not None and self._wizard.isVisible():
            self._wizard.raise_()
            self._wizard.activateWindow()
            return
        from restorer.gui.training_wizard import TrainingWizard

        self._wizard = TrainingWizard(self)
        # list a new model at once; select it only when it beat its base (model_recommended)
        self._wizard.model_created.connect(lambda _name: self.reload_models())
        self._wizard.model_recommended.connect(self.reload_models)
        self._wizard.show()
        self._wizard.raise_()

    def show_about(self) -> None:
        from restorer.gui.about_dialog import AboutDialog

        AboutDialog(self).exec()
