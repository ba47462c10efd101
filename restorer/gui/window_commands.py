"""What the main window's menus, toolbar and drops do: opening, queue commands, saving, tools.

A mixin of :class:`~restorer.gui.main_window.MainWindow`; it uses the window's parts
(``model``, ``controller``, ``importer``, ``exporter``, ``output``, ``message_bar``...).
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QFileDialog, QMessageBox

from restorer.core.errors import RestorerError
from restorer.gui.export import ExportRequest, target_for
from restorer.gui.importer import describe_scan
from restorer.gui.runner import Job

IMAGE_FILTER = "Images (*.jpg *.jpeg *.png *.tif *.tiff *.bmp *.webp *.gif);;All files (*)"
WIZARD_MODULE = "restorer.gui.training_wizard"


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
        self.message_bar.info(f"Looking for photos in {len(paths)} item{'s' if len(paths) != 1 else ''}…")
        self.importer.add([str(p) for p in paths], row)

    def _on_scanned(self, result, row: int) -> None:
        was_empty = self.model.rowCount() == 0
        new = self.model.add_paths(result.images, row, self._new_item_adjustments)
        level, text = describe_scan(result, len(new))
        self.notify(level, text)
        if new and (was_empty or self.queue_panel.current_id() is None):
            self.auto_select(new[0].id)

    def _new_item_adjustments(self):
        return replace(self.batch_adjustments)

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

    def make_job(self, item) -> Job:
        name = self.picker.model_name()
        if not name:
            raise RestorerError("No model with trained weights is available: add weights to the weights/ "
                                "folder or train a model (Tools ▸ Train a Model).")
        auto = self.output.options() if self.output.auto_save.isChecked() else None
        return Job(item.id, item.path, name, self.picker.device(), self.picker.render_size(),
                   adjustments=item.adjustments, auto_save=auto)

    def run_queue(self) -> None:
        if not self.picker.loaded:
            self._start_when_ready = True
            self.notify("info", "Looking for installed models; the batch starts in a moment…")
            return
        self.controller.start()

    def retry_failed(self) -> None:
        count = self.model.retry()
        if count:
            self.notify("info", f"Queued {count} photo{'s' if count != 1 else ''} again.")
            if not self.controller.running:
                self.run_queue()

    def remove_selected(self) -> None:
        ids = self.queue_panel.selected_ids()
        if self.controller.current_id in ids:
            self.controller.cancel_current()
        for item_id in ids:
            self.thumbnails.forget(item_id)
            self.display.previews.forget(item_id)
        self.model.remove_ids(ids)

    def clear_done(self) -> None:
        unsaved = sum(1 for item in self.model.items() if item.status == "done" and item.output is None)
        for item in self.model.items():
            if item.status == "done":
                self.thumbnails.forget(item.id)
                self.display.previews.forget(item.id)
        count = self.model.clear_done()
        note = f" ({unsaved} had not been saved)" if unsaved else ""
        self.notify("info", f"Removed {count} finished photo{'s' if count != 1 else ''} from the queue{note}.")

    def move_selected(self, delta: int) -> None:
        self.model.move_by(self.queue_panel.selected_ids(), delta)

    def apply_to_batch(self, adjustments) -> None:
        self.batch_adjustments = adjustments
        for item in self.model.items():
            item.adjustments = replace(adjustments)
        self.settings.set_adjustments(adjustments.to_dict())
        self.display.refresh()
        self.notify("success", f"These adjustments now apply to all {self.model.rowCount()} photos in the queue "
                               "and to photos you add later.")

    def choose_reference(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a reference photo", self.settings.last_open_dir(),
                                              IMAGE_FILTER)
        if path:
            self.adjust.load_reference_file(path)

    # saving ----------------------------------------------------------------------------------

    def selected_done(self) -> list:
        items = [self.model.item(i) for i in self.queue_panel.selected_ids()]
        return [item for item in items if item is not None and item.result is not None]

    def _request(self, item, target: Path | None = None) -> ExportRequest:
        return ExportRequest(item.id, item.path, item.result.ab, item.adjustments, target)

    def save_selected(self) -> None:
        items = self.selected_done()
        if not items:
            self.notify("info", "Select colorized photos in the queue to save them.")
            return
        self.exporter.export([self._request(item) for item in items], self.output.options())

    def save_as(self) -> None:
        item = self.model.item(self.queue_panel.current_id() or -1)
        if item is None or item.result is None:
            self.notify("info", "Colorize the photo first, then save it.")
            return
        suggestion = target_for(item.path, self.output.options())
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
        items = [item for item in self.model.items() if item.result is not None]
        if not items:
            self.notify("info", "Nothing to export yet: run the queue first.")
            return 0
        options = self.output.options(folder)
        where = options.folder or "beside the originals"
        self.notify("info", f"Exporting {len(items)} photo{'s' if len(items) != 1 else ''} to {where}…")
        self.exporter.export([self._request(item) for item in items], options)
        return len(items)

    def _on_saved(self, item_id: int, path: str) -> None:
        item = self.model.item(item_id)
        if item is not None:
            item.output = Path(path)
            item.message = (item.message.split("\nSaved to")[0]) + f"\nSaved to {path}"

    def _on_save_failed(self, item_id: int, message: str) -> None:
        item = self.model.item(item_id)
        self.notify("error", f"Could not save {item.name if item else 'a photo'}: {message}")

    def _on_export_finished(self, saved: int, failed: int) -> None:
        if failed:
            self.notify("warning", f"Saved {saved} photo{'s' if saved != 1 else ''}; {failed} could not be saved.")
        elif saved:
            last = next((i.output for i in reversed(self.model.items()) if i.output), None)
            where = f" to {last.parent}" if last else ""
            self.notify("success", f"Saved {saved} photo{'s' if saved != 1 else ''}{where}.")

    # tools -----------------------------------------------------------------------------------

    def _open_training_wizard(self) -> None:
        """Show ``restorer.gui.training_wizard.TrainingWizard`` when that module is installed."""
        if self._wizard is not None and self._wizard.isVisible():
            self._wizard.raise_()
            self._wizard.activateWindow()
            return
        module = self._optional_module(WIZARD_MODULE, "The training wizard is not part of this build yet; "
                                                      "use `restorer train` from a terminal meanwhile.")
        if module is None:
            return
        try:
            self._wizard = module.TrainingWizard(self)
        except Exception as err:  # noqa: BLE001 - a broken wizard must not take the queue down
            self.notify("error", f"The training wizard could not start: {err}")
            return
        created = getattr(self._wizard, "model_created", None)
        if created is not None:  # list it; select it only when it beat its base (model_recommended)
            created.connect(lambda _name: self.reload_models())
        recommended = getattr(self._wizard, "model_recommended", None)
        if recommended is not None:
            recommended.connect(self.reload_models)
        self._wizard.show()
        self._wizard.raise_()

    def _optional_module(self, name: str, missing_message: str):
        """``importlib.import_module(name)``, or None after telling the user why not."""
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name == name or name.startswith(f"{err.name}."):
                self.notify("info", missing_message)
            else:
                self.notify("error", f"{name.rsplit('.', 1)[-1]} could not start: {err}")
        except Exception as err:  # noqa: BLE001 - e.g. a syntax error in a module being written
            self.notify("error", f"{name.rsplit('.', 1)[-1]} could not start: {err}")
        return None

    def show_about(self) -> None:
        try:
            from restorer.gui.about_dialog import AboutDialog
        except ImportError:
            QMessageBox.about(self, "About Restorer",
                              "<h3>Restorer</h3><p>Bring black-and-white photos back to colour.</p>"
                              "<p>Colorization runs on your own computer; your photos never leave it.</p>")
            return
        AboutDialog(self).exec()
