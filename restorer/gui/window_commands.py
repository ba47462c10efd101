"""What the main window's menus, toolbar and drops do: opening, queue commands, saving, tools.

A mixin of :class:`~restorer.gui.main_window.MainWindow`: each command asks the user what a
dialog must ask, then hands the work to the session (queue, batch) or to a worker (import, export).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QFileDialog

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
        self.session.clear_done()

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
        start = self.output.folder() or self.settings.last_open_dir()
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
